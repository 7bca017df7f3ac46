/**
 * The options of a sync run and what it reports while it goes: progress per phase, the retry
 * policy, the faults tests inject, and the run's environment (RunEnv) every step receives, with
 * the two small things every step does on it: keep the run alive (heartbeat) and count what a
 * pull applied (noteApplied).
 */

import { writeSyncSettings } from '../../../db/repositories/sync';
import type { ApplyResult } from '../../../db/sync-apply';
import type { SyncPhase, SyncRunSummary } from '../../../shared/sync/status';
import type { AppContext } from '../context';
import type { FetchLike, SyncTransport } from '../sync-http';

export interface SyncProgress {
  phase: SyncPhase;
  /** Ops (推送, 拉取) or bytes (上传附件, 下载附件) done in this phase. */
  done: number;
  /** The phase's total; 0 while unknown (a pull does not know how much remains). */
  total: number;
}

export interface RetryPolicy {
  /** Tries per request, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SyncFaults {
  /** Runs inside each pull page's transaction just before it commits (throw to simulate a crash). */
  beforeCommit?: () => void;
}

export interface SyncOptions {
  /** Sets (or changes) the server address first. */
  server?: string;
  /** Logs in with these when the device has no token (or the token was revoked). */
  credentials?: { username: string; password: string };
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** The HTTP client (tests hand in the server's in-process app). */
  fetch?: FetchLike;
  retry?: Partial<RetryPolicy>;
  /** Waiting between retries (tests wait no time). */
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  /** Changes per pull page (at most PULL_PAGE_MAX). */
  pageSize?: number;
  /** Ops per push (at most PUSH_BATCH_MAX). */
  batchSize?: number;
  faults?: SyncFaults;
  /**
   * false: a fresh device pulls page by page even when the store has a snapshot ready (the
   * benchmark compares the two ways).
   */
  snapshot?: boolean;
}

export interface RunEnv {
  ctx: AppContext;
  transport: SyncTransport;
  credentials: { username: string; password: string } | undefined;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal | undefined;
  progress: (phase: SyncPhase, done: number, total: number) => void;
  pageSize: number;
  batchSize: number;
  faults: SyncFaults;
  snapshot: boolean;
  summary: Omit<SyncRunSummary, 'status'>;
}

export function heartbeat(run: RunEnv): void {
  writeSyncSettings(run.ctx.db, { stateAt: run.ctx.device.now() });
}

export function noteApplied(run: RunEnv, result: ApplyResult): void {
  run.summary.pulled += result.rows;
  run.summary.conflicts += result.conflicts;
  run.summary.deferred += result.deferred;
  run.summary.removed += result.removed;
}
