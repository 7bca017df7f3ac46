/**
 * Sync with the central store, the device's side: the public names used by electron/api, the CLI
 * and tests. One run's steps are listed in ./run.ts; settings and account in ./settings.ts, the
 * status in ./status.ts, parked ops and conflicts in ./parked.ts, background sync in ./scheduler.ts.
 */

export type { RetryPolicy, SyncFaults, SyncOptions, SyncProgress } from './options';
export { discardParked, dismissRelay, resolveConflict, retryParked, retryRelay } from './parked';
export { syncNow } from './run';
export {
  backgroundSyncWhenConfigured,
  startBackgroundSync,
  type BackgroundOptions,
} from './scheduler';
export { configureServer, login, logout } from './settings';
export { syncStatus } from './status';
