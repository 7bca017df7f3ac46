/**
 * The retry policy of a run: each request is tried again with exponential backoff and jitter
 * while the failure is retryable (the network, a busy server), and once more after a new login
 * when the token was refused and credentials were given.
 */

import { writeSyncSettings } from '../../../db/repositories/sync';
import { AppError } from '../../../shared/api/errors';
import { SyncHttpError } from '../sync-http';

import { doLogin } from './settings';
import { heartbeat, type RetryPolicy, type RunEnv } from './options';

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 15_000 };

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** A request with retries, and one new login when the token was refused (if we can). */
export async function call<T>(run: RunEnv, what: () => Promise<T>): Promise<T> {
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
