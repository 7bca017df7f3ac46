import type { SyncStatus } from '../../shared/sync/status';

/** A device's sync status with nothing pending and no account, changed where `over` says. */
export function syncStatusOf(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    server: 'http://127.0.0.1:4800',
    user: null,
    deviceId: '0190aaaa-0000-7000-8000-000000000001',
    lastSuccessAt: null,
    lastAttemptAt: null,
    pendingOps: 0,
    pendingAttachments: 0,
    pendingUploads: 0,
    pendingDownloads: 0,
    parked: [],
    conflicts: [],
    deferred: {},
    relay: { pending: 0, problems: [] },
    state: 'idle',
    lastError: null,
    credentialProtection: null,
    upToDate: false,
    ...over,
  };
}
