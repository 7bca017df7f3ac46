export * from './directions';
export * from './schema';
export * from './library';
export * from './draft';
export * from './tax';
export * from './annex1';
export { issuesOf, jsonPath } from './issues';
export * from './api';
