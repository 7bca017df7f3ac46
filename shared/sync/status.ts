/**
 * What the device tells its user about sync (the 同步 screen, the CLI): the API's view of
 * electron/services/sync.ts. Plain data: ISO-free epoch milliseconds, JSON values.
 */

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error';

/** The phases of a run, as task.progress names them. 推送/拉取 count ops; the others bytes. */
export const SYNC_PHASES = ['推送', '上传附件', '拉取', '下载附件'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export interface SyncAccount {
  username: string;
  displayName: string;
  role: string;
  /** A city code, or 'region'. */
  scope: string;
}

/** An op the central store refused and set aside; the edit is still on this device. */
export interface ParkedOpInfo {
  opId: string;
  seq: number;
  table: string;
  rowId: string;
  /** The fields and values the op carried. */
  values: Record<string, unknown>;
  /** The server's reason, in Chinese. */
  reason: string;
  parkedAt: number;
  /** parked: waiting for a decision; retrying: sent again, no answer yet. */
  status: 'parked' | 'retrying';
}

/** A field both sides changed; the loser's value is kept here until someone resolves it. */
export interface SyncConflictInfo {
  id: string;
  table: string;
  rowId: string;
  field: string;
  localValue: unknown;
  localClock: string;
  remoteValue: unknown;
  remoteClock: string;
  /** Whose value the row holds now. */
  winner: 'local' | 'remote';
  /** server, or bundle:<deviceId> (a USB bundle). */
  source: string;
  createdAt: number;
}

export interface SyncStatus {
  /** The central store's address, or null when none is set. */
  server: string | null;
  /** The account logged in on this device, or null. */
  user: SyncAccount | null;
  deviceId: string;
  /** The last run that finished every step (push, files, pull). */
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  /** Local changes the central store has not acknowledged. */
  pendingOps: number;
  /** Files still to upload (the server may lack them) or to download (rows here, bytes not). */
  pendingAttachments: number;
  pendingUploads: number;
  pendingDownloads: number;
  parked: ParkedOpInfo[];
  /** Unresolved conflicts, oldest first. */
  conflicts: SyncConflictInfo[];
  /** Remote values kept but not applicable yet, by reason (unknown_field: from a newer app…). */
  deferred: Record<string, number>;
  state: SyncState;
  /** The last run's failure, in Chinese; null after a successful run. */
  lastError: string | null;
  /**
   * True only when the last run succeeded and nothing is pending (no op, no file, no parked op
   * waiting for a decision). Never true while an op waits.
   */
  upToDate: boolean;
}

/** What one run did. */
export interface SyncRunSummary {
  /** Ops the server accepted in this run. */
  pushed: number;
  /** Ops the server parked in this run (listed in status.parked). */
  parked: number;
  /** Remote changes applied (rows written). */
  pulled: number;
  /** New conflict records. */
  conflicts: number;
  /** Remote values set aside (sync_deferred). */
  deferred: number;
  uploadedFiles: number;
  uploadedBytes: number;
  downloadedFiles: number;
  downloadedBytes: number;
  status: SyncStatus;
}

/** What importing a USB bundle did. */
export interface BundleImportSummary {
  fromDevice: string;
  /** When the bundle was written (epoch ms). */
  created: number;
  appVersion: string;
  ops: number;
  /** Ops applied now; skipped: imported before (importing twice changes nothing). */
  applied: number;
  skipped: number;
  rows: number;
  conflicts: number;
  deferred: number;
  attachments: number;
}

export interface BundleExportSummary {
  ops: number;
  attachments: number;
  bytes: number;
}
