/**
 * A demo registry for a new user to try the app at once (fill.ts), made reproducibly from a seed
 * (random.ts): enterprises and processes from tables of names (enterprises.ts, names.ts),
 * inspections with answers and generated photos (inspections.ts), and plans (plans.ts).
 */

export { demoEnterprises, demoProcesses } from './enterprises';
export { fillDemo } from './fill';
export type { DemoResult } from './fill';
export { demoFact, demoPhoto } from './inspections';
export { seededRandom } from './random';
