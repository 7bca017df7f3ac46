import { v7 as uuidv7 } from 'uuid';

/** Makes ids for new records. Injected into services so tests can fix them. */
export type IdGenerator = () => string;

/** Time-ordered UUIDv7 ids: unique across devices, and sorted roughly by creation. */
export const newId: IdGenerator = () => uuidv7();

/** Reads the time. Injected into services so tests can fix it. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
