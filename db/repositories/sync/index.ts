/**
 * The device's sync bookkeeping: settings and cursors (keys of sync_state), what the central
 * store acknowledged, parked ops, conflicts, deferred remote values and files on their way.
 * The rule throughout: nothing of the user's data is deleted here. The outbox keeps every op
 * until the server has acknowledged it, and compaction only removes acknowledged, unparked ops.
 *
 * One file per part: settings.ts (sync_state keys, claiming a run), outbox.ts (pending ops,
 * acknowledging, compaction, unsent clocks), parked.ts, conflicts.ts, deferred.ts, transfers.ts
 * (files on their way), imported.ts (bundle ops seen), scope-exits.ts (subtrees leaving this
 * device), relay.ts (bundle ops sent on).
 */

export * from './settings';
export * from './outbox';
export * from './parked';
export * from './conflicts';
export * from './deferred';
export * from './transfers';
export * from './imported';
export * from './scope-exits';
export * from './relay';
