import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeChanges } from '../../db/changes';
import type { Db } from '../../db/client';
import { ensureDeviceSecret, pendingOpCount, toSyncOp } from '../../db/repositories/device';
import {
  claimSyncRun,
  compactOutbox,
  countDeferred,
  countPendingFiles,
  discardParkedOps,
  getConflict,
  getFileTransfer,
  listNeededFiles,
  listOpenConflicts,
  listOpenParked,
  listOpsAfter,
  listPendingDownloads,
  listUploadCandidates,
  markConflictResolved,
  readSyncSettings,
  recordPushOutcome,
  requeueParked,
  rewindPushed,
  rowExists,
  setFileTransfer,
  writeSyncSettings,
  type SyncUser,
  blockRelay,
  bulkCheckpoints,
  dismissRelayParked,
  unblockRelay,
  keepScopeExitsOutside,
  nextRelayBatch,
  relayCounts,
  relaySecretHash,
  settleRelay,
} from '../../db/repositories/sync';
import {
  catchUpSearchIndex,
  resumeSearchIndex,
  searchIndexPaused,
} from '../../db/repositories/enterprises';
import {
  applyPullPage,
  replayDeferred,
  retryScopeExits,
  type ApplyResult,
} from '../../db/sync-apply';
import { adoptSnapshot, isFreshDevice, schemaOf, SnapshotRefused } from '../../db/snapshot';
import { isSyncedTable } from '../../db/synced-tables';
import { AppError } from '../../shared/api/errors';
import {
  CHUNK_BYTES_MAX,
  PULL_PAGE_MAX,
  PUSH_BATCH_MAX,
  REGION_SCOPE,
} from '../../shared/sync/protocol';
import type { SyncPhase, SyncRunSummary, SyncStatus } from '../../shared/sync/status';
import { shownText, toWellFormed } from '../../shared/text';

import { APP_VERSION } from './app-version';
import { attachmentPath, readStoredFile, sha256, storeFile } from './attachments';
import type { AppContext } from './context';
import { isSealed, SecretUnreadableError, UNREADABLE_ELSEWHERE } from './secrets';
import { normalizeServerUrl, SyncHttpError, SyncTransport, type FetchLike } from './sync-http';

/**
 * Sync with the central store (DESIGN.md, Sync), the device's side. One run, in named steps:
 *
 *   0. log in if the device has no token (and credentials were given);
 *   1. replay deferred remote values (an upgrade may have added their columns);
 *   2. pull first, when local ops wait: a concurrent edit of the same field is then seen here,
 *      against the unsent local value, and recorded as a conflict on this device;
 *   3. push the outbox in seq order, in batches; parked ops are listed, the ops after them go on;
 *   4. upload the files the server lacks, in chunks, resuming where it stopped;
 *   5. pull every page after the cursor, each page and its cursor in one transaction;
 *   6. download the files of pulled rows that are missing here, verified by SHA-256;
 *   7. compact the outbox (only ops acknowledged more than a month ago).
 *
 * Network failures are retried with backoff; a run that still fails leaves everything it did
 * (each step commits as it goes) and the state says offline or error with the reason. Nothing
 * local is deleted before the server acknowledged it, and the status never says up to date while
 * an op, a file or a parked op waits.
 */

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

const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000 };
/** A run whose heartbeat is older than this is taken for dead (a closed app, a killed CLI). */
const STALE_RUN_MS = 2 * 60_000;
/** Acknowledged ops are kept this long, in case the server is restored from an older backup. */
const KEEP_ACKNOWLEDGED_MS = 30 * 24 * 60 * 60_000;
/** Push batches stay well under the server's 10 MB body limit. */
const PUSH_BATCH_BYTES = 4 * 1024 * 1024;
const MISSING_QUERY_MAX = 5000;

/** Runs in progress in this process, by database (the same data folder opened once). */
const running = new WeakMap<Db, Promise<SyncRunSummary>>();

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Settings: server, account.
// ---------------------------------------------------------------------------------------------

/**
 * Sets the central store's address. A different server means a different cursor and account:
 * both are forgotten (the pending ops are not: they go to the new server).
 */
export function configureServer(ctx: AppContext, server: string): SyncStatus {
  const url = normalizeServerUrl(server);
  const settings = readSyncSettings(ctx.db);
  if (settings.server !== url) {
    writeSyncSettings(ctx.db, {
      server: url,
      token: null,
      user: null,
      cursor: null,
      lastError: null,
      state: 'idle',
    });
  }
  return publish(ctx);
}

function transportFor(
  server: string,
  token: string | null,
  options: Pick<SyncOptions, 'fetch' | 'signal' | 'timeoutMs'>,
): SyncTransport {
  return new SyncTransport({
    baseUrl: server,
    token,
    appVersion: APP_VERSION,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// The token, sealed in the data folder (electron/services/secrets.ts).
// ---------------------------------------------------------------------------------------------

interface Credential {
  /** The bearer token, or null: none stored, or one this process cannot open. */
  token: string | null;
  /** Why a stored token cannot be used here (Chinese), or null. */
  unreadable: string | null;
  /** How the usable token is stored: sealed by the OS, or plain text. */
  protection: 'os' | 'none' | null;
}

/** The last token opened per context, so the OS key store is not asked on every status read. */
const opened = new WeakMap<AppContext, { stored: string; token: string }>();

/**
 * The token from its stored form. A plain one (stored before sealing, or by the CLI on this data
 * folder) is used, and sealed now when the box can. One the box cannot open (the data folder
 * came from another computer or OS user) counts as logged out: the stored value and everything
 * else stay as they are (a new login replaces it), and the reason is returned.
 */
function readCredential(ctx: AppContext, stored: string | null): Credential {
  if (!stored) return { token: null, unreadable: null, protection: null };
  const cached = opened.get(ctx);
  let token: string;
  if (cached?.stored === stored) {
    token = cached.token;
  } else {
    try {
      token = ctx.secrets.decrypt(stored);
    } catch (e) {
      const reason = e instanceof SecretUnreadableError ? e.message : UNREADABLE_ELSEWHERE;
      return { token: null, unreadable: reason, protection: null };
    }
    opened.set(ctx, { stored, token });
  }
  if (ctx.secrets.kind === 'os' && !isSealed(stored)) {
    return { token, unreadable: null, protection: reseal(ctx, stored, token) ? 'os' : 'none' };
  }
  return { token, unreadable: null, protection: isSealed(stored) ? 'os' : 'none' };
}

/** Seals a token stored as plain text, unless another process changed it meanwhile. */
function reseal(ctx: AppContext, stored: string, token: string): boolean {
  try {
    const sealed = ctx.secrets.encrypt(token);
    const done = ctx.db.sqlite
      .transaction(() => {
        if (readSyncSettings(ctx.db).token !== stored) return false;
        writeSyncSettings(ctx.db, { token: sealed });
        return true;
      })
      .immediate();
    if (done) opened.set(ctx, { stored: sealed, token });
    return done;
  } catch {
    // The key store or the database is busy: the plain token still works; sealed next time.
    return false;
  }
}

/** The token's stored form: sealed when the box can. */
function sealToken(ctx: AppContext, token: string): string {
  let sealed: string;
  try {
    sealed = ctx.secrets.encrypt(token);
  } catch (e) {
    throw new AppError(
      'internal',
      `无法用操作系统的密钥库加密保存登录凭据（${e instanceof Error ? e.message : String(e)}）`,
    );
  }
  opened.set(ctx, { stored: sealed, token });
  return sealed;
}

/** Logs in to the configured server; the token (sealed) and account are kept in the data folder. */
export async function login(
  ctx: AppContext,
  credentials: { username: string; password: string },
  options: Pick<SyncOptions, 'fetch' | 'signal' | 'timeoutMs' | 'server'> = {},
): Promise<SyncStatus> {
  if (options.server) configureServer(ctx, options.server);
  const server = readSyncSettings(ctx.db).server;
  if (!server) throw new AppError('invalid_input', '请先设置中心服务器地址');
  const transport = transportFor(server, null, options);
  await doLogin(ctx, transport, credentials);
  return publish(ctx);
}

async function doLogin(
  ctx: AppContext,
  transport: SyncTransport,
  credentials: { username: string; password: string },
  signal?: AbortSignal,
): Promise<void> {
  let answer;
  try {
    answer = await transport.login({
      username: credentials.username,
      password: credentials.password,
      deviceId: ctx.device.deviceId,
      deviceSecret: ensureDeviceSecret(ctx.db),
      // A host name is the OS's text: shown as the store's rule allows.
      deviceName: toWellFormed(shownText(os.hostname()).slice(0, 100)),
    });
  } catch (e) {
    throw toAppError(e);
  }
  // Its run ended meanwhile (another login may have come since): this answer is not used.
  if (signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
  const before = readSyncSettings(ctx.db).user;
  const user: SyncUser = {
    id: answer.user.id,
    username: answer.user.username,
    displayName: answer.user.displayName,
    role: answer.user.role,
    scope: answer.user.scope,
  };
  // Another account may see other rows: pull them all again (applying is idempotent).
  const sameView = before !== null && before.id === user.id && before.scope === user.scope;
  ctx.db.sqlite.transaction(() => {
    writeSyncSettings(ctx.db, {
      token: sealToken(ctx, answer.token),
      user,
      ...(sameView ? {} : { cursor: null }),
      lastError: null,
    });
    // A city account keeps only its city: what an earlier account (the region, another city)
    // pulled here leaves on the next sync run, unless local changes to it still wait.
    if (user.scope !== REGION_SCOPE) keepScopeExitsOutside(ctx.db, user.scope, ctx.device.now());
  })();
  transport.token = answer.token;
}

/** Forgets the token (the account must log in again); pending changes stay and wait. */
export function logout(ctx: AppContext): SyncStatus {
  writeSyncSettings(ctx.db, { token: null, user: null });
  return publish(ctx);
}

// ---------------------------------------------------------------------------------------------
// Status.
// ---------------------------------------------------------------------------------------------

/** Where sync stands, read fresh from the database (another process may have synced). */
export function syncStatus(ctx: AppContext): SyncStatus {
  const s = readSyncSettings(ctx.db);
  const credential = readCredential(ctx, s.token);
  const files = countPendingFiles(ctx.db);
  const parked = listOpenParked(ctx.db);
  const pendingOps = pendingOpCount(ctx.db);
  const relay = relayCounts(ctx.db);
  let state = s.state;
  let lastError = s.lastError;
  if (state === 'syncing' && (s.stateAt === null || ctx.device.now() - s.stateAt >= STALE_RUN_MS)) {
    state = 'error';
    lastError =
      '上次同步未正常结束（程序可能被关闭）；下次同步会从中断处继续，已完成的部分不会重复';
  }
  // A token this process cannot open: logged out, and why (the account is kept for the next login).
  if (credential.unreadable) lastError = credential.unreadable;
  const pendingAttachments = files.uploads + files.downloads;
  return {
    server: s.server,
    user:
      s.user && !credential.unreadable
        ? {
            username: s.user.username,
            displayName: s.user.displayName,
            role: s.user.role,
            scope: s.user.scope,
          }
        : null,
    deviceId: ctx.device.deviceId,
    lastSuccessAt: s.lastSuccessAt,
    lastAttemptAt: s.lastAttemptAt,
    pendingOps,
    pendingAttachments,
    pendingUploads: files.uploads,
    pendingDownloads: files.downloads,
    parked: parked.map((p) => ({
      opId: p.opId,
      seq: p.seq,
      table: p.table,
      rowId: p.rowId,
      values: p.values ?? {},
      reason: p.reason,
      parkedAt: p.parkedAt,
      status: p.status === 'retrying' ? 'retrying' : 'parked',
    })),
    conflicts: listOpenConflicts(ctx.db).map((c) => ({
      id: c.id,
      table: c.table,
      rowId: c.rowId,
      field: c.field,
      localValue: c.localValue,
      localClock: c.localClock,
      remoteValue: c.remoteValue,
      remoteClock: c.remoteClock,
      winner: c.winner,
      source: c.source,
      createdAt: c.createdAt,
    })),
    deferred: countDeferred(ctx.db).byReason,
    relay,
    state,
    lastError,
    credentialProtection: credential.protection,
    upToDate:
      state === 'idle' &&
      lastError === null &&
      s.lastSuccessAt !== null &&
      pendingOps === 0 &&
      pendingAttachments === 0 &&
      parked.length === 0 &&
      relay.pending === 0 &&
      !relay.problems.some((p) => p.status === 'blocked'),
  };
}

function publish(ctx: AppContext): SyncStatus {
  const status = syncStatus(ctx);
  ctx.events.emit('sync.status', status);
  return status;
}

// ---------------------------------------------------------------------------------------------
// Errors and retries.
// ---------------------------------------------------------------------------------------------

/** A failure as the user hears it: typed, Chinese. */
function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof SyncHttpError) {
    if (e.kind === 'network') return new AppError('internal', e.message);
    switch (e.code) {
      case 'unauthorized':
        return new AppError('unauthorized', e.message);
      case 'forbidden':
        return new AppError('forbidden', e.message);
      case 'invalid_input':
      case 'too_large':
        return new AppError('invalid_input', e.message);
      case 'upgrade_required':
        return new AppError('conflict', e.message);
      case 'too_many_attempts':
        return new AppError('conflict', e.message);
      case 'not_found':
        return new AppError('not_found', e.message);
      case 'conflict':
        return new AppError('conflict', e.message);
      default:
        return new AppError('internal', e.message);
    }
  }
  return new AppError('internal', e instanceof Error ? e.message : String(e));
}

async function withRetry<T>(run: RunEnv, what: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (run.signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
    try {
      return await what();
    } catch (e) {
      if (!(e instanceof SyncHttpError) || !e.retryable || attempt >= run.retry.attempts) throw e;
      const backoff = Math.min(run.retry.maxDelayMs, run.retry.baseDelayMs * 2 ** (attempt - 1));
      const wait = e.retryAfter !== null ? Math.max(backoff, e.retryAfter * 1000) : backoff;
      // Jitter, so devices that lost the network together do not come back together.
      await run.sleep(Math.round(wait * (0.75 + Math.random() * 0.5)));
      if (!run.signal?.aborted) heartbeat(run);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The run.
// ---------------------------------------------------------------------------------------------

interface RunEnv {
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

function heartbeat(run: RunEnv): void {
  writeSyncSettings(run.ctx.db, { stateAt: run.ctx.device.now() });
}

/** A request with retries, and one new login when the token was refused (if we can). */
async function call<T>(run: RunEnv, what: () => Promise<T>): Promise<T> {
  try {
    return await withRetry(run, what);
  } catch (e) {
    // A request the run no longer waits for (a page asked ahead) changes no account state.
    if (run.signal?.aborted) throw e;
    if (e instanceof SyncHttpError && e.code === 'unauthorized' && run.credentials) {
      await doLogin(run.ctx, run.transport, run.credentials, run.signal);
      return withRetry(run, what);
    }
    if (e instanceof SyncHttpError && e.code === 'unauthorized') {
      writeSyncSettings(run.ctx.db, { token: null });
    }
    throw e;
  }
}

/**
 * One full sync run (see the module comment). Concurrent calls in this process share the run in
 * progress; a run of another process on the same data folder is refused (conflict).
 */
export function syncNow(ctx: AppContext, options: SyncOptions = {}): Promise<SyncRunSummary> {
  const current = running.get(ctx.db);
  if (current) return current;
  const promise = runSync(ctx, options).finally(() => {
    running.delete(ctx.db);
  });
  running.set(ctx.db, promise);
  return promise;
}

async function runSync(ctx: AppContext, options: SyncOptions): Promise<SyncRunSummary> {
  if (options.server) configureServer(ctx, options.server);
  const settings = readSyncSettings(ctx.db);
  if (!settings.server) {
    throw new AppError(
      'invalid_input',
      '尚未设置中心服务器地址；请在“同步”中填写，或使用 --server',
    );
  }
  const credential = readCredential(ctx, settings.token);
  if (!credential.token && !options.credentials) {
    throw new AppError('unauthorized', credential.unreadable ?? '尚未登录中心服务器；请先登录');
  }
  if (!claimSyncRun(ctx.db, ctx.device.now(), STALE_RUN_MS)) {
    throw new AppError('conflict', '另一个 Uplift 进程正在同步这个数据目录，请稍后再试');
  }
  publish(ctx);
  const run: RunEnv = {
    ctx,
    transport: transportFor(settings.server, credential.token, options),
    credentials: options.credentials,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    sleep: options.sleep ?? defaultSleep,
    signal: options.signal,
    progress: (phase, done, total) => options.onProgress?.({ phase, done, total }),
    pageSize: Math.min(PULL_PAGE_MAX, Math.max(1, options.pageSize ?? PULL_PAGE_MAX)),
    batchSize: Math.min(PUSH_BATCH_MAX, Math.max(1, options.batchSize ?? PUSH_BATCH_MAX)),
    faults: options.faults ?? {},
    snapshot: options.snapshot ?? true,
    summary: {
      pushed: 0,
      parked: 0,
      pulled: 0,
      conflicts: 0,
      deferred: 0,
      removed: 0,
      relayed: 0,
      uploadedFiles: 0,
      uploadedBytes: 0,
      downloadedFiles: 0,
      downloadedBytes: 0,
    },
  };
  try {
    // 0. Log in.
    if (!run.transport.token && run.credentials) {
      await doLogin(ctx, run.transport, run.credentials);
    }
    // 1. Deferred values an upgrade may now apply.
    noteApplied(run, replayDeferred(ctx.db, ctx.device));
    // 2. Pull first when local edits wait, to see concurrent edits against them.
    if (pendingOpCount(ctx.db) > 0) await pullAll(run);
    // 3. Push, then relay other devices' ops that came here on USB bundles.
    await pushAll(run);
    await relayAll(run);
    // 4. Files the server lacks.
    await uploadFiles(run);
    // 5. Pull.
    await pullAll(run);
    // 6. Files of pulled rows.
    await downloadFiles(run);
    // 7. Enterprises that left the account's city while local changes to them waited: those
    //    the store has acknowledged all changes of (parked ones count as waiting until they are
    //    discarded or accepted) can go now.
    noteApplied(run, retryScopeExits(ctx.db, ctx.device));
    // 8. Compact.
    compactOutbox(ctx.db, ctx.device.now() - KEEP_ACKNOWLEDGED_MS);
    writeSyncSettings(ctx.db, {
      state: 'idle',
      stateAt: ctx.device.now(),
      lastSuccessAt: ctx.device.now(),
      lastError: null,
    });
  } catch (e) {
    const error = toAppError(e);
    const offline = e instanceof SyncHttpError && e.kind === 'network';
    writeSyncSettings(ctx.db, {
      state: error.code === 'cancelled' ? 'idle' : offline ? 'offline' : 'error',
      stateAt: ctx.device.now(),
      lastError: error.code === 'cancelled' ? null : error.message,
    });
    publish(ctx);
    throw error;
  }
  return { ...run.summary, status: publish(ctx) };
}

function noteApplied(run: RunEnv, result: ApplyResult): void {
  run.summary.pulled += result.rows;
  run.summary.conflicts += result.conflicts;
  run.summary.deferred += result.deferred;
  run.summary.removed += result.removed;
}

async function pullAll(run: RunEnv): Promise<void> {
  bulkCheckpoints(run.ctx.db, true);
  try {
    await adoptSnapshotIfFresh(run);
    await pullPages(run);
  } finally {
    bulkCheckpoints(run.ctx.db, false);
    // A pull cut short leaves the search index paused (db/sync-apply.ts): index what arrived.
    if (searchIndexPaused(run.ctx.db)) resumeSearchIndex(run.ctx.db);
  }
}

/** Whether the disk holding `file` has `bytes` free (true when it cannot tell). */
function hasRoom(file: string, bytes: number): boolean {
  try {
    const s = fs.statfsSync(path.dirname(file));
    return s.bavail * s.bsize > bytes;
  } catch {
    return true;
  }
}

/**
 * A device that holds nothing yet (never pulled, no edits, no rows) starts from the store's
 * snapshot of its scope when one is ready (db/snapshot.ts): one file instead of 100+ pages
 * applied row by row. Anything that goes wrong — none ready, a broken download, a file that is
 * not of this schema, an edit made meanwhile — only means the pages bring the same rows; the
 * device's database is left as it was. Only a cancel stops the run.
 */
async function adoptSnapshotIfFresh(run: RunEnv): Promise<void> {
  const { ctx } = run;
  if (ctx.db.file === ':memory:' || !run.snapshot || !isFreshDevice(ctx.db)) return;
  let beat = Date.now();
  try {
    const got = await run.transport.snapshot(
      ctx.device.deviceId,
      schemaOf(ctx.db.sqlite),
      (done, total) => {
        run.progress('下载快照', done, total);
        // A long download is a live run, not one another process may take over.
        if (Date.now() - beat > 10_000) {
          beat = Date.now();
          heartbeat(run);
        }
      },
    );
    if (!got) return;
    if (run.signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
    // Room for the database and, while it is copied, its journal.
    if (!hasRoom(ctx.db.file, got.image.byteLength * 1.2)) return;
    const adopted = adoptSnapshot(ctx.db, got.image, got.cursor, ctx.device);
    noteApplied(run, {
      rows: adopted.rows,
      removed: 0,
      conflicts: 0,
      deferred: 0,
      replayed: 0,
      tables: adopted.tables,
    });
    run.progress('拉取', adopted.rows, 0);
  } catch (e) {
    if (e instanceof AppError && e.code === 'cancelled') throw e;
    // Whatever went wrong, the database is as it was (adopting is one transaction): the pages
    // bring the same rows.
    if (!(e instanceof SnapshotRefused || e instanceof SyncHttpError)) {
      console.warn(`快照未采用，改为逐页拉取：${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/**
 * Pages in order, each applied in its own transaction. The next page is asked for before this
 * one is applied, so the store builds it meanwhile (a first pull is 100+ pages); it is used only
 * after this page committed, and dropped if applying fails. A page handed out but never applied
 * costs nothing: the cursor saved is the applied page's, and the store's note of what this
 * device has seen only moves ahead (see server/sync/pull.ts).
 */
async function pullPages(run: RunEnv): Promise<void> {
  const { ctx } = run;
  // The page asked ahead belongs to this run only: once the run stops waiting for it (applying
  // failed, or the pull ended), it is not retried and cannot log in again or drop the token.
  const ahead = new AbortController();
  const aheadRun: RunEnv = {
    ...run,
    signal: run.signal ? AbortSignal.any([run.signal, ahead.signal]) : ahead.signal,
  };
  const fetchPage = (env: RunEnv, cursor: string | null) => {
    const page = call(env, () => run.transport.pull(ctx.device.deviceId, cursor, run.pageSize));
    // Dropped when applying the page before it fails: its own failure must not go unhandled.
    page.catch(() => undefined);
    return page;
  };
  let arrived = false;
  const ask = (env: RunEnv, cursor: string | null) => {
    arrived = false;
    const page = fetchPage(env, cursor);
    page.then(
      () => (arrived = true),
      () => (arrived = true),
    );
    return page;
  };
  let next = ask(run, readSyncSettings(ctx.db).cursor);
  let received = 0;
  try {
    for (;;) {
      const page = await next;
      if (page.more) {
        next = ask(aheadRun, page.cursor);
        // A few turns of the event loop send the request before the synchronous apply below.
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      }
      if (run.signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
      const result = applyPullPage(ctx.db, ctx.device, page, {
        ...(run.faults.beforeCommit ? { beforeCommit: run.faults.beforeCommit } : {}),
      });
      noteApplied(run, result);
      received += page.changes.length;
      heartbeat(run);
      run.progress('拉取', received, page.more ? 0 : received);
      if (!page.more) return;
      // The next page is not here yet: the search index catches up meanwhile.
      if (!arrived && searchIndexPaused(ctx.db)) catchUpSearchIndex(ctx.db);
    }
  } finally {
    ahead.abort();
  }
}

function opSize(op: object): number {
  return JSON.stringify(op).length;
}

/** The first entries that keep a body well under the server's limit; an op is never split. */
function fitBatch<T extends object>(entries: readonly T[]): T[] {
  let bytes = 0;
  let count = 0;
  for (const e of entries) {
    bytes += opSize(e);
    if (count > 0 && bytes > PUSH_BATCH_BYTES) break;
    count++;
  }
  return entries.slice(0, count);
}

/**
 * Sends on the ops of other devices imported here from USB bundles (a laptop that never
 * connects), each device's in its own seq order. The store answers them like a push; a refusal of
 * the whole batch (another account's device, a bundle in between missing) blocks that device's
 * ops with the reason until a new bundle of it is imported. Nothing is dropped.
 */
async function relayAll(run: RunEnv): Promise<void> {
  const { ctx } = run;
  for (;;) {
    const batch = nextRelayBatch(ctx.db, run.batchSize);
    const first = batch[0];
    if (!first) return;
    const sent = fitBatch(batch);
    try {
      const secretHash = relaySecretHash(ctx.db, first.deviceId);
      const answer = await call(run, () =>
        run.transport.relay(first.deviceId, sent.map(toSyncOp), secretHash),
      );
      settleRelay(ctx.db, first.deviceId, answer, ctx.device.now());
      // An op the answer does not mention would be sent again and again: it waits instead, with
      // the device's ops after it (the store takes them only in order), until 重新转交 or a new
      // import of that device. It is not parked: the store never recorded it.
      const answered = new Set([...answer.accepted, ...answer.parked.map((p) => p.opId)]);
      if (sent.some((e) => !answered.has(e.opId))) {
        blockRelay(ctx.db, first.deviceId, '中心库没有确认这些修改', ctx.device.now());
      }
      run.summary.relayed += answer.accepted.length;
    } catch (e) {
      // The network, the server failing or this login no longer valid: the run stops and is
      // retried as for any push. Any other refusal (another account's device, a gap, a server
      // without relay, a body too large…) concerns only this device's ops: kept, with why, and
      // the run goes on to its pull.
      if (
        !(e instanceof SyncHttpError) ||
        e.kind !== 'http' ||
        e.retryable ||
        e.status === 401 ||
        e.status === 426
      ) {
        throw e;
      }
      const reason =
        e.status === 409 && typeof e.detail.lastSeq === 'number' && e.detail.lastSeq < first.seq
          ? `缺少设备 ${first.deviceId} 的第 ${e.detail.lastSeq + 1}–${first.seq - 1} 条修改（可能有一个同步包没有导入）；导入后会继续转交`
          : e.message;
      blockRelay(ctx.db, first.deviceId, reason, ctx.device.now());
    }
    heartbeat(run);
  }
}

async function pushAll(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const total = pendingOpCount(ctx.db);
  let done = 0;
  let batch = run.batchSize;
  run.progress('推送', 0, total);
  for (;;) {
    const { pushedSeq } = readSyncSettings(ctx.db);
    const entries = listOpsAfter(ctx.db, pushedSeq, batch);
    if (entries.length === 0) break;
    const sent = fitBatch(entries);
    let answer;
    try {
      answer = await call(run, () => run.transport.push(ctx.device.deviceId, sent.map(toSyncOp)));
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 409 && typeof e.detail.lastSeq === 'number') {
        // The server processed fewer ops than we believed (restored from a backup, or another
        // server): send again from where it is.
        if (!rewindPushed(ctx.db, e.detail.lastSeq)) {
          throw new AppError(
            'conflict',
            `中心服务器只收到本机前 ${e.detail.lastSeq} 条修改，其后的部分修改已不在本机待发送记录中；请联系管理员核对中心库是否被恢复到了旧的备份`,
          );
        }
        continue;
      }
      if (e instanceof SyncHttpError && e.status === 413 && batch > 1) {
        batch = Math.max(1, Math.floor(sent.length / 2));
        continue;
      }
      throw e;
    }
    const parked = recordPushOutcome(
      ctx.db,
      { sent, accepted: answer.accepted, parked: answer.parked, lastSeq: answer.lastSeq },
      ctx.device.now(),
    );
    const sentIds = new Set(sent.map((s) => s.opId));
    run.summary.pushed += answer.accepted.filter((id) => sentIds.has(id)).length;
    run.summary.parked += parked;
    done += sent.length;
    heartbeat(run);
    run.progress('推送', Math.min(done, Math.max(total, done)), Math.max(total, done));
    if (answer.lastSeq < (sent.at(-1)?.seq ?? 0)) {
      throw new AppError('internal', '中心服务器未处理全部推送的修改，请稍后再试');
    }
  }
}

function hasLocalFile(ctx: AppContext, hash: string, size: number): boolean {
  try {
    return fs.statSync(attachmentPath(ctx.dataDir, hash)).size === size;
  } catch {
    return false;
  }
}

async function uploadFiles(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const candidates = listUploadCandidates(ctx.db).filter((c) =>
    hasLocalFile(ctx, c.sha256, c.size),
  );
  if (candidates.length === 0) return;
  const now = () => ctx.device.now();
  const todo: { sha256: string; size: number; received: number }[] = [];
  for (let i = 0; i < candidates.length; i += MISSING_QUERY_MAX) {
    const slice = candidates.slice(i, i + MISSING_QUERY_MAX);
    const answer = await call(run, () => run.transport.missing(slice.map((c) => c.sha256)));
    const missing = new Map(answer.missing.map((m) => [m.sha256, m.received]));
    for (const c of slice) {
      const received = missing.get(c.sha256);
      if (received === undefined) {
        setFileTransfer(
          ctx.db,
          {
            sha256: c.sha256,
            direction: 'up',
            size: c.size,
            doneBytes: c.size,
            status: 'done',
            error: null,
          },
          now(),
        );
      } else {
        todo.push({ ...c, received });
      }
    }
  }
  const total = todo.reduce((n, t) => n + t.size - t.received, 0);
  let done = 0;
  run.progress('上传附件', 0, total);
  for (const t of todo) {
    let data: Buffer;
    try {
      data = readStoredFile(ctx.dataDir, t.sha256);
    } catch (e) {
      setFileTransfer(
        ctx.db,
        {
          sha256: t.sha256,
          direction: 'up',
          size: t.size,
          doneBytes: 0,
          status: 'failed',
          error: toAppError(e).message,
        },
        now(),
      );
      continue;
    }
    let offset = Math.min(t.received, data.length);
    const start = offset;
    let restarts = 0;
    let refused: string | null = null;
    for (;;) {
      const chunk = data.subarray(offset, offset + CHUNK_BYTES_MAX);
      let answer;
      try {
        answer = await call(run, () => run.transport.upload(t.sha256, offset, data.length, chunk));
      } catch (e) {
        // The server has another offset (a chunk whose answer was lost): go on from there.
        if (
          e instanceof SyncHttpError &&
          e.status === 409 &&
          typeof e.detail.received === 'number'
        ) {
          offset = Math.min(e.detail.received, data.length);
          continue;
        }
        // The whole file arrived but did not match its hash (damaged on the way): start over once.
        if (e instanceof SyncHttpError && e.status === 422 && restarts === 0) {
          restarts++;
          offset = 0;
          continue;
        }
        // No record the store holds for this account uses the file (the op that would was parked,
        // or waits for its parent): kept with why, tried again at the next run; the others go on.
        if (e instanceof SyncHttpError && e.status === 403) {
          refused = e.message;
          break;
        }
        throw e;
      }
      offset = answer.received;
      setFileTransfer(
        ctx.db,
        {
          sha256: t.sha256,
          direction: 'up',
          size: data.length,
          doneBytes: offset,
          status: answer.complete ? 'done' : 'pending',
          error: null,
        },
        now(),
      );
      run.progress('上传附件', Math.min(total, done + offset - start), total);
      if (answer.complete) break;
    }
    if (refused !== null) {
      setFileTransfer(
        ctx.db,
        {
          sha256: t.sha256,
          direction: 'up',
          size: data.length,
          doneBytes: offset,
          status: 'failed',
          error: refused,
        },
        now(),
      );
      done += data.length - start;
      continue;
    }
    done += data.length - start;
    run.summary.uploadedFiles++;
    run.summary.uploadedBytes += data.length - start;
    heartbeat(run);
  }
}

async function downloadFiles(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const now = () => ctx.device.now();
  // Files a record here uses whose bytes are not here: queue them.
  const mimeOf = new Map<string, string>();
  for (const f of listNeededFiles(ctx.db)) {
    mimeOf.set(f.sha256, f.mimeType);
    if (hasLocalFile(ctx, f.sha256, f.size)) continue;
    const t = getFileTransfer(ctx.db, f.sha256, 'down');
    if (!t || t.status === 'done') {
      setFileTransfer(
        ctx.db,
        {
          sha256: f.sha256,
          direction: 'down',
          size: f.size,
          doneBytes: 0,
          status: 'pending',
          error: null,
        },
        now(),
      );
    }
  }
  const pending = listPendingDownloads(ctx.db);
  const total = pending.reduce((n, p) => n + p.size, 0);
  let done = 0;
  run.progress('下载附件', 0, total);
  for (const p of pending) {
    const mime = mimeOf.get(p.sha256);
    if (mime === undefined || hasLocalFile(ctx, p.sha256, p.size)) {
      // No longer needed here (the use is gone), or the bytes came another way (a bundle).
      markFileHere(ctx, p.sha256, p.size);
      continue;
    }
    let data: Buffer;
    try {
      data = await call(run, () => run.transport.download(p.sha256));
    } catch (e) {
      if (e instanceof SyncHttpError && (e.status === 404 || e.status === 403)) {
        setFileTransfer(
          ctx.db,
          {
            sha256: p.sha256,
            direction: 'down',
            size: p.size,
            doneBytes: 0,
            // 404: the device that has the file has not uploaded it yet; try again next time.
            status: e.status === 404 ? 'pending' : 'failed',
            error: e.message,
          },
          now(),
        );
        continue;
      }
      throw e;
    }
    if (sha256(data) !== p.sha256 || data.length !== p.size) {
      setFileTransfer(
        ctx.db,
        {
          sha256: p.sha256,
          direction: 'down',
          size: p.size,
          doneBytes: 0,
          status: 'pending',
          error: '下载的文件与摘要不符（传输中损坏），下次同步时重新下载',
        },
        now(),
      );
      continue;
    }
    storeFile(ctx.dataDir, data, mime);
    markFileHere(ctx, p.sha256, p.size, true);
    done += data.length;
    run.summary.downloadedFiles++;
    run.summary.downloadedBytes += data.length;
    run.progress('下载附件', done, total);
    heartbeat(run);
  }
}

/** The bytes are here and verified: nothing to download (and, from the server, nothing to upload). */
function markFileHere(ctx: AppContext, hash: string, size: number, fromServer = false): void {
  const done = { sha256: hash, size, doneBytes: size, status: 'done', error: null } as const;
  setFileTransfer(ctx.db, { ...done, direction: 'down' }, ctx.device.now());
  if (fromServer) setFileTransfer(ctx.db, { ...done, direction: 'up' }, ctx.device.now());
}

// ---------------------------------------------------------------------------------------------
// Parked ops and conflicts.
// ---------------------------------------------------------------------------------------------

/** Sends parked ops again (as new ops with the same values and clocks) at the next sync. */
export function retryParked(ctx: AppContext, opIds: readonly string[]): SyncStatus {
  requeueParked(ctx.db, ctx.device, opIds, ctx.device.now());
  return publish(ctx);
}

/**
 * Stops listing parked ops. Nothing is deleted: the op stays in the outbox and in sync_parked,
 * marked discarded, with its values, and the row keeps whatever value it has — until a scope
 * exit that waited for the op removes this device's copy of a row outside the account's city.
 */
export function discardParked(ctx: AppContext, opIds: readonly string[]): SyncStatus {
  discardParkedOps(ctx.db, opIds, ctx.device.now());
  return publish(ctx);
}

/**
 * A bundle's ops the store would not take from this account (or that waited for a missing
 * bundle): relayed again at the next run.
 */
export function retryRelay(ctx: AppContext, deviceId: string): SyncStatus {
  unblockRelay(ctx.db, deviceId, ctx.device.now());
  return publish(ctx);
}

/**
 * A bundle's ops the store parked: no longer listed here. Only the device they came from can
 * send them again (the store numbers them in its sequence); it still holds them, and its next
 * sync shows them parked with the reason.
 */
export function dismissRelay(ctx: AppContext, deviceId: string): SyncStatus {
  dismissRelayParked(ctx.db, deviceId, ctx.device.now());
  return publish(ctx);
}

/**
 * Settles a conflict. The chosen value is written again through writeChanges (a new op with a
 * new clock), so it wins everywhere once synced; if the row already holds it, nothing is written.
 */
export function resolveConflict(
  ctx: AppContext,
  id: string,
  choice: 'local' | 'remote',
): SyncStatus {
  const c = getConflict(ctx.db, id);
  if (!c) throw new AppError('not_found', '没有这条冲突记录');
  if (c.resolvedAt !== null) throw new AppError('conflict', '这条冲突已经处理过了');
  if (!isSyncedTable(c.table)) throw new AppError('conflict', `本版本不认识表“${c.table}”`);
  const table = c.table;
  const value = choice === 'local' ? c.localValue : c.remoteValue;
  try {
    writeChanges(ctx.db, ctx.device, (changes) => {
      if (rowExists(ctx.db, table, c.rowId)) changes.update(table, c.rowId, { [c.field]: value });
      markConflictResolved(ctx.db, c, choice, ctx.device.now());
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_TRIGGER') {
      throw new AppError('conflict', (e as Error).message);
    }
    throw e;
  }
  return publish(ctx);
}

// ---------------------------------------------------------------------------------------------
// Background sync.
// ---------------------------------------------------------------------------------------------

export interface BackgroundOptions {
  /** Between successful runs. */
  intervalMs?: number;
  /** The first run, after start. */
  initialDelayMs?: number;
  /** After a local change, a run comes this soon (if ops wait). */
  afterChangeMs?: number;
  /** Backoff after failures: doubling from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  fetch?: FetchLike;
  log?: (line: string) => void;
  /** Passed to each run (tests shorten the retries). */
  run?: Pick<SyncOptions, 'retry' | 'sleep' | 'timeoutMs'>;
}

/**
 * Syncs in the background while a server and a token are set: every interval, soon after a
 * local change, and after a failure again with backoff (the server cannot be reached: 30 s,
 * 1 min, 2 min… up to 30 min). Returns stop().
 */
export function startBackgroundSync(ctx: AppContext, options: BackgroundOptions = {}): () => void {
  const interval = options.intervalMs ?? 5 * 60_000;
  const minBackoff = options.minBackoffMs ?? 30_000;
  const maxBackoff = options.maxBackoffMs ?? 30 * 60_000;
  const afterChange = options.afterChangeMs ?? 20_000;
  let timer: NodeJS.Timeout | null = null;
  let dueAt = Infinity;
  let failures = 0;
  let stopped = false;
  let busy = false;

  const schedule = (ms: number, force = false) => {
    if (stopped) return;
    const at = Date.now() + ms;
    if (!force && at >= dueAt) return;
    if (timer) clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(() => void tick(), ms);
    timer.unref?.();
  };

  const tick = async () => {
    timer = null;
    dueAt = Infinity;
    if (stopped) return;
    const s = readSyncSettings(ctx.db);
    if (!s.server || !readCredential(ctx, s.token).token) {
      schedule(interval, true);
      return;
    }
    busy = true;
    try {
      await syncNow(ctx, { ...options.run, ...(options.fetch ? { fetch: options.fetch } : {}) });
      failures = 0;
      schedule(interval, true);
    } catch (e) {
      failures++;
      const code = e instanceof AppError ? e.code : 'internal';
      const wait =
        code === 'unauthorized' || code === 'forbidden'
          ? maxBackoff
          : Math.min(maxBackoff, minBackoff * 2 ** (failures - 1));
      options.log?.(
        `后台同步失败（${failures}）：${(e as Error).message}；${Math.round(wait / 1000)} 秒后重试`,
      );
      schedule(wait, true);
    } finally {
      busy = false;
    }
  };

  const unsubscribe = ctx.events.subscribe((event) => {
    if (event !== 'data.changed' || busy || stopped) return;
    if (failures > 0) return; // offline: the backoff decides
    if (pendingOpCount(ctx.db) > 0) schedule(afterChange);
  });
  schedule(options.initialDelayMs ?? 3_000, true);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}

/**
 * Background sync for the app's host process: starts startBackgroundSync once a central store is
 * configured (now, or later through sync.configure), and not before. Returns stop().
 */
export function backgroundSyncWhenConfigured(
  ctx: AppContext,
  options: BackgroundOptions = {},
): () => void {
  let stop: (() => void) | null = null;
  const ensure = () => {
    if (!stop && readSyncSettings(ctx.db).server) stop = startBackgroundSync(ctx, options);
  };
  ensure();
  const unsubscribe = ctx.events.subscribe((event) => {
    if (event === 'sync.status') ensure();
  });
  return () => {
    unsubscribe();
    stop?.();
  };
}
