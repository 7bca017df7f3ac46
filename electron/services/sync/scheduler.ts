/**
 * Background sync: runs on a timer while a server and a token are set, soon after a local change,
 * and with backoff after failures; and the host process's start once a server is configured.
 */

import { pendingOpCount } from '../../../db/repositories/device';
import { readSyncSettings } from '../../../db/repositories/sync';
import { AppError } from '../../../shared/api/errors';
import type { AppContext } from '../context';
import type { FetchLike } from '../sync-http';

import type { SyncOptions } from './options';
import { syncNow } from './run';
import { readCredential } from './token';

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
