import crypto from 'node:crypto';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { compactOutbox, readSyncSettings } from '../../db/repositories/sync';
import { dispatch } from '../../electron/api';
import type { AppContext } from '../../electron/services/context';
import { createEnterprise } from '../../electron/services/enterprises';
import {
  backgroundSyncWhenConfigured,
  login,
  startBackgroundSync,
  syncNow,
  syncStatus,
} from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync-http';
import type { Events } from '../../shared/api/contract';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import type { SyncRunSummary, SyncStatus } from '../../shared/sync/status';
import { addUser } from '../../server/auth/users';
import { startServer, type RunningServer } from '../../server/start';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { closeAppContext, createDevice, outboxCount, SharedClock } from '../helpers/sync';

const draft = (name: string) =>
  EnterpriseDraftSchema.parse({ name, cityCode: '6401', countyCode: '640104' });

let central: Central;
let http: RunningServer;
const opened: AppContext[] = [];
let clock: SharedClock;

beforeAll(async () => {
  central = await startCentral();
  http = await startServer({ port: 0, host: '127.0.0.1', store: central.store });
});
afterAll(async () => {
  await http?.close();
  await central?.close();
});
beforeEach(async () => {
  await central.reset();
  await addUser(
    central.store.db,
    { username: 'admin', role: '管理员', scope: 'region', password: PASSWORD },
    { now: () => Date.now(), newId: () => crypto.randomUUID() },
  );
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

function device(n: number): AppContext {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  return ctx;
}

async function call<T>(ctx: AppContext, method: string, input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('the sync.* API methods', () => {
  it('configure, log in, run as a task with progress, and report the status', async () => {
    const ctx = device(1);
    const statuses: SyncStatus[] = [];
    const progress: Events['task.progress'][] = [];
    ctx.events.subscribe((event, payload) => {
      if (event === 'sync.status') statuses.push(payload as SyncStatus);
      if (event === 'task.progress') progress.push(payload as Events['task.progress']);
    });
    const configured = await call<SyncStatus>(ctx, 'sync.configure', { server: http.url });
    expect(configured).toMatchObject({ server: http.url, user: null, upToDate: false });
    const bad = await dispatch(ctx, 'sync.login', { username: 'admin', password: 'nope-nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const loggedIn = await call<SyncStatus>(ctx, 'sync.login', {
      username: 'admin',
      password: PASSWORD,
    });
    expect(loggedIn.user).toMatchObject({ username: 'admin', role: '管理员' });
    createEnterprise(ctx, draft('宁夏瑞泰水泥有限公司'));
    const ran = await call<SyncRunSummary>(ctx, 'sync.run', { taskId: 'sync-1' });
    expect(ran).toMatchObject({ pushed: 1, status: { upToDate: true, pendingOps: 0 } });
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['推送', '拉取']));
    expect(progress.every((p) => p.taskId === 'sync-1')).toBe(true);
    expect(statuses.some((s) => s.state === 'syncing')).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', upToDate: true });
    expect(await call<SyncStatus>(ctx, 'sync.status', {})).toMatchObject({ upToDate: true });
    const out = await call<SyncStatus>(ctx, 'sync.logout', {});
    expect(out.user).toBeNull();
  });

  it('exports a bundle as a file payload that another device imports', async () => {
    const a = device(1);
    const b = device(2);
    createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    const file = await call<{ fileName: string; dataBase64: string; ops: number }>(
      a,
      'sync.exportBundle',
      {},
    );
    expect(file.fileName).toMatch(/\.uplift-sync$/);
    expect(file.ops).toBe(1);
    const summary = await call<{ applied: number }>(b, 'sync.importBundle', {
      fileName: file.fileName,
      dataBase64: file.dataBase64,
    });
    expect(summary.applied).toBe(1);
    const bad = await dispatch(b, 'sync.importBundle', {
      fileName: 'x.uplift-sync',
      dataBase64: Buffer.from('nonsense').toString('base64'),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('answers unknown conflicts and parked ops with typed errors or no change', async () => {
    const ctx = device(1);
    expect(await dispatch(ctx, 'sync.resolveConflict', { id: 'x', choice: 'local' })).toMatchObject(
      {
        ok: false,
        error: { code: 'not_found' },
      },
    );
    expect(await dispatch(ctx, 'sync.retryParked', { opIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call<SyncStatus>(ctx, 'sync.discardParked', { opIds: ['nope'] })).toMatchObject({
      parked: [],
    });
    const blank = await dispatch(ctx, 'sync.retryRelay', { deviceId: ' ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(blank)).toContain('缺少设备编号');
    expect(await call<SyncStatus>(ctx, 'sync.dismissRelay', { deviceId: 'nope' })).toMatchObject({
      relay: { pending: 0, problems: [] },
    });
  });
});

describe('cancelling and compaction', () => {
  it('stops a run when cancelled, keeping what it did, without calling it an error', async () => {
    const ctx = device(1);
    await login(
      ctx,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    createEnterprise(ctx, draft('宁夏瑞泰水泥有限公司'));
    const abort = new AbortController();
    let requests = 0;
    const fetch: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (++requests === 2) abort.abort();
      return res;
    };
    await expect(syncNow(ctx, { fetch, signal: abort.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
    expect(syncStatus(ctx)).toMatchObject({ state: 'idle', lastError: null, upToDate: false });
  });

  it('compacts only acknowledged, unparked ops older than the cut-off', async () => {
    const ctx = device(1);
    await login(
      ctx,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    createEnterprise(ctx, draft('宁夏一号水泥有限公司'));
    await syncNow(ctx, { fetch: central.fetch });
    createEnterprise(ctx, draft('宁夏二号建材有限公司'));
    expect(outboxCount(ctx.db)).toBe(2);
    expect(compactOutbox(ctx.db, Date.now() + 10 ** 9)).toBe(1);
    expect(outboxCount(ctx.db)).toBe(1);
    expect(syncStatus(ctx).pendingOps).toBe(1);
  });
});

describe('background sync', () => {
  it('backs off while the server cannot be reached, then syncs, and syncs soon after a change', async () => {
    const ctx = device(1);
    await login(
      ctx,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    createEnterprise(ctx, draft('宁夏一号水泥有限公司'));
    let reachable = false;
    const runs: number[] = [];
    const fetch: FetchLike = async (url, init) => {
      if (url.endsWith('/sync/pull') || url.endsWith('/sync/push')) runs.push(Date.now());
      if (!reachable) throw new TypeError('fetch failed');
      return central.fetch(url, init);
    };
    const stop = startBackgroundSync(ctx, {
      fetch,
      initialDelayMs: 0,
      intervalMs: 60_000,
      minBackoffMs: 20,
      maxBackoffMs: 80,
      afterChangeMs: 10,
      run: { retry: { attempts: 1 }, sleep: () => Promise.resolve() },
    });
    try {
      await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(4), { timeout: 5000 });
      expect(syncStatus(ctx).state).toBe('offline');
      const gaps = runs.slice(1, 4).map((t, i) => t - (runs[i] as number));
      expect(gaps[1]! + 5).toBeGreaterThanOrEqual(gaps[0]!);
      reachable = true;
      await vi.waitFor(() => expect(syncStatus(ctx).upToDate).toBe(true), { timeout: 5000 });
      createEnterprise(ctx, draft('宁夏二号建材有限公司'));
      await vi.waitFor(
        () => expect(syncStatus(ctx)).toMatchObject({ pendingOps: 0, upToDate: true }),
        {
          timeout: 5000,
        },
      );
    } finally {
      stop();
    }
  });

  it('starts only once a server is configured', async () => {
    const ctx = device(1);
    // Time passes with no server configured, on a fake clock; the real one runs the sync after.
    vi.useFakeTimers();
    const stop = backgroundSyncWhenConfigured(ctx, {
      fetch: central.fetch,
      initialDelayMs: 0,
      intervalMs: 30,
    });
    try {
      await vi.advanceTimersByTimeAsync(100);
      vi.useRealTimers();
      expect(readSyncSettings(ctx.db).lastAttemptAt).toBeNull();
      await login(
        ctx,
        { username: 'admin', password: PASSWORD },
        { server: central.url, fetch: central.fetch },
      );
      await vi.waitFor(() => expect(syncStatus(ctx).lastSuccessAt).not.toBeNull(), {
        timeout: 5000,
      });
    } finally {
      vi.useRealTimers();
      stop();
    }
  });
});
