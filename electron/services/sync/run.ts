/**
 * Sync with the central store (DESIGN.md, Sync), the device's side. One run, in named steps:
 *
 *   0. log in if the device has no token (and credentials were given) — ./settings.ts;
 *   1. replay deferred remote values (an upgrade may have added their columns) — db/sync-apply;
 *   2. pull first, when local ops wait: a concurrent edit of the same field is then seen here,
 *      against the unsent local value, and recorded as a conflict on this device — steps/pull.ts;
 *   3. push the outbox in seq order, in batches; parked ops are listed, the ops after them go on —
 *      steps/push.ts; then relay the ops of other devices that came on USB bundles — steps/relay.ts;
 *   4. upload the files the server lacks, in chunks, resuming where it stopped — steps/attachments.ts;
 *   5. pull every page after the cursor, each page and its cursor in one transaction (a fresh
 *      device first adopts the store's snapshot) — steps/pull.ts, steps/snapshot.ts;
 *   6. download the files of pulled rows that are missing here, verified by SHA-256 —
 *      steps/attachments.ts;
 *   7. remove the rows that left the account's scope once their changes are acknowledged;
 *   8. compact the outbox (only ops acknowledged more than a month ago).
 *
 * Network failures are retried with backoff (./retry.ts); a run that still fails leaves everything
 * it did (each step commits as it goes) and the state says offline or error with the reason.
 * Nothing local is deleted before the server acknowledged it, and the status never says up to date
 * while an op, a file or a parked op waits.
 */

import type { Db } from '../../../db/client';
import { pendingOpCount } from '../../../db/repositories/device';
import {
  claimSyncRun,
  compactOutbox,
  readSyncSettings,
  writeSyncSettings,
} from '../../../db/repositories/sync';
import { replayDeferred, retryScopeExits } from '../../../db/sync-apply';
import { AppError } from '../../../shared/api/errors';
import { PULL_PAGE_MAX, PUSH_BATCH_MAX } from '../../../shared/sync/protocol';
import type { SyncRunSummary } from '../../../shared/sync/status';
import type { AppContext } from '../context';
import { SyncHttpError } from '../sync-http';

import { toAppError } from './errors';
import { noteApplied, type RunEnv, type SyncOptions } from './options';
import { DEFAULT_RETRY, defaultSleep } from './retry';
import { configureServer, doLogin, transportFor } from './settings';
import { publish, STALE_RUN_MS } from './status';
import { downloadFiles, uploadFiles } from './steps/attachments';
import { pullAll } from './steps/pull';
import { pushAll } from './steps/push';
import { relayAll } from './steps/relay';
import { readCredential } from './token';

/** Acknowledged ops are kept this long, in case the server is restored from an older backup. */
const KEEP_ACKNOWLEDGED_MS = 30 * 24 * 60 * 60_000;

/** Runs in progress in this process, by database (the same data folder opened once). */
const running = new WeakMap<Db, Promise<SyncRunSummary>>();

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
