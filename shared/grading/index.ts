export * from './types';
export * from './validate';
export * from './engine';
export { addYears } from './dates';
export * from './text';
export * from './display';
export * from './general';
export * from './readings';
export * from './field';
