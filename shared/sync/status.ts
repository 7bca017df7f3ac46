/**
 * What the device tells its user about sync (the 同步 screen, the CLI): the API's view of
 * electron/services/sync/. Plain data: ISO-free epoch milliseconds, JSON values.
 */

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error';

/** The phases of a run, as task.progress names them. 推送/拉取 count ops; the others bytes. */
export const SYNC_PHASES = ['推送', '上传附件', '下载快照', '拉取', '下载附件'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/** Whether a phase counts bytes (else ops). */
export function countsBytes(phase: string): boolean {
  return phase === '上传附件' || phase === '下载附件' || phase === '下载快照';
}

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

/**
 * Why a remote value was set aside instead of applied (sync_deferred.reason). A newer version may
 * write a reason this list lacks; show it as it is.
 */
export const DEFER_REASONS = [
  'unknown_table',
  'unknown_field',
  'parent_missing',
  'incomplete',
  'finalize',
  'immutable',
  'duplicate',
  'invalid',
  /** Text that is not well-formed (shared/text.ts): a lone surrogate, NUL, a control character. */
  'bad_text',
  /** A content-addressed ruleset whose content is not what its id (SHA-256) names. */
  'forged',
] as const;
export type DeferReason = (typeof DEFER_REASONS)[number];

/** One remote field value set aside: kept on this device, applied once it can be. */
export interface DeferredValueInfo {
  field: string;
  /** The value as it arrived (JSON-decoded), whole: shortening it for display is the UI's job. */
  value: unknown;
  /** Its hybrid clock (the time it was written, on the device that wrote it). */
  clock: string;
  /** A DeferReason (or a newer version's reason). */
  reason: string;
  /** server, or bundle:<deviceId> (a USB bundle). */
  source: string;
  /** When this device set it aside (epoch ms). */
  createdAt: number;
}

/** The values set aside for one row. */
export interface DeferredRowInfo {
  table: string;
  rowId: string;
  /**
   * What a person calls the record, when it is cheap to know: the enterprise's name (for an
   * enterprise, or a row under one), from this device's rows or from the values set aside.
   */
  label: string | null;
  /** By field name. */
  fields: DeferredValueInfo[];
  /** The newest clock among the fields. */
  clock: string;
  /** The fields' reasons, each once, in the order of DEFER_REASONS (unknown ones last). */
  reasons: string[];
  /** The fields' sources, each once. */
  sources: string[];
  /** The newest createdAt among the fields. */
  createdAt: number;
}

/** A page of rows with values set aside, the most recently set aside first. */
export interface DeferredPage {
  rows: DeferredRowInfo[];
  /** Rows in all. */
  total: number;
  /** Field values in all (what status.deferred counts). */
  values: number;
}

/** Relayed ops of one device the store refused (parked) or would not take yet (blocked). */
export interface RelayProblem {
  deviceId: string;
  status: 'parked' | 'blocked';
  reason: string;
  ops: number;
}

export interface RelayCounts {
  /** Ops of other devices still to send on to the central store. */
  pending: number;
  problems: RelayProblem[];
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
  /**
   * Other devices' ops imported here from USB bundles, to send on to the central store: how
   * many wait, and those it refused (parked) or would not take yet (blocked), with the reason.
   */
  relay: RelayCounts;
  state: SyncState;
  /** The last run's failure, in Chinese; null after a successful run. */
  lastError: string | null;
  /**
   * How the login token is kept in the data folder: 'os' sealed by the operating system's key
   * store (this OS user on this computer), 'none' plain text (CLI, browser mode, no key store);
   * null when no usable token is kept.
   */
  credentialProtection: 'os' | 'none' | null;
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
  /** Enterprises removed here because they moved out of the account's city. */
  removed: number;
  /** Other devices' ops (from USB bundles) the store accepted from this device. */
  relayed: number;
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
