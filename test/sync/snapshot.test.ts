import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import {
  createEnterprise,
  getEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { login, syncNow, syncStatus, type SyncOptions } from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync-http';
import { EnterpriseQuerySchema } from '../../shared/domain/enterprise';
import { parseHlc } from '../../shared/sync/hlc';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { tempDir } from '../helpers/context';
import { Device as ServerDevice } from '../server/helpers';
import { createSite, startSiteInspection } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  enterpriseDraft as draft,
  NO_WAIT as quick,
  replicaState,
  SharedClock,
} from '../helpers/sync';

const YINCHUAN = '6401';
const SHIZUISHAN = '6402';

let central: Central;

beforeAll(async () => {
  // A snapshot for any scope with rows: these tests hold a handful.
  central = await startCentral({}, { snapshotMinRows: 1 });
});
afterAll(async () => {
  await central?.close();
});

const opened: AppContext[] = [];
let clock: SharedClock;

beforeEach(async () => {
  await central.reset();
  await central.addUser('admin', '管理员', 'region');
  await central.addUser('yinchuan', '帮扶队员', YINCHUAN);
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

/** A device with its database in a file (snapshots replace a file), logged in as `user`. */
async function device(n: number, user = 'admin'): Promise<AppContext> {
  const ctx = createDevice(n, clock, path.join(tempDir(`uplift-snap-${n}-`), 'uplift.db'));
  opened.push(ctx);
  await login(
    ctx,
    { username: user, password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

/** A sync; `snapshots` records the status of each /sync/snapshot answer. */
function sync(ctx: AppContext, options: SyncOptions & { snapshots?: number[] } = {}) {
  const { snapshots, ...rest } = options;
  const fetch: FetchLike = async (url, init) => {
    const res = await central.fetch(url, init);
    if (url.endsWith('/sync/snapshot')) snapshots?.push(res.status);
    return res;
  };
  return syncNow(ctx, { fetch, ...quick, ...rest });
}

/** Every row of every synced table with its field clocks, as the database holds it. */
function rawRows(ctx: AppContext): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const { name } of ctx.db.sqlite
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%field_clocks%' ORDER BY name`,
    )
    .all() as { name: string }[]) {
    out[name] = ctx.db.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY id`).all();
  }
  return out;
}

function search(ctx: AppContext, text: string): string[] {
  return listEnterprises(ctx, EnterpriseQuerySchema.parse({ text })).items.map((e) => e.name);
}

/** A store holding a few enterprises (one with a finalized visit), and its snapshot built. */
async function storeWithSnapshot(): Promise<AppContext> {
  const a = await device(1);
  const site = createSite(a, '宁夏瑞泰水泥有限公司');
  const visit = startSiteInspection(a, site).inspection;
  for (const m of getInspectionDetail(a, visit.id).members) {
    confirmInspection(a, { inspectionId: visit.id, memberId: m.id });
  }
  finalizeInspection(a, visit.id);
  createEnterprise(a, draft('银川兴庆化工有限公司'));
  createEnterprise(a, draft('石嘴山市惠农区兰炭厂', SHIZUISHAN));
  await sync(a);
  await central.snapshots?.build('region');
  await central.snapshots?.build(YINCHUAN);
  return a;
}

describe('a new device’s first sync from a snapshot', () => {
  it('adopts the store’s snapshot and holds exactly what a device that pulled page by page holds', async () => {
    const a = await storeWithSnapshot();
    const paged = await device(2);
    const fresh = await device(3);
    // The paged device is not fresh once it has an edit of its own: it pulls page by page.
    const mine = createEnterprise(paged, draft('贺兰县建材有限公司'));
    const seen: number[] = [];
    await sync(paged, { snapshots: seen });
    expect(seen).toEqual([]);
    const ran = await sync(fresh, { snapshots: seen });
    expect(seen).toEqual([200]);
    expect(ran.pulled).toBeGreaterThan(0);
    expect(ran.status).toMatchObject({ upToDate: true, pendingOps: 0 });
    await sync(a);
    await sync(fresh);
    expect(getEnterprise(fresh, mine.id).name).toBe('贺兰县建材有限公司');
    // Same rows, same field clocks, on the device that started from the file.
    expect(rawRows(fresh)).toEqual(rawRows(paged));
    expect(replicaState(fresh.db)).toEqual(replicaState(a.db));
    // The search index came built.
    expect(search(fresh, '兴庆化工')).toEqual(['银川兴庆化工有限公司']);
    expect(search(fresh, '瑞泰')).toEqual(['宁夏瑞泰水泥有限公司']);
  });

  it('sets aside a value of a field this version does not know, as a device that pulled page by page does', async () => {
    const a = await storeWithSnapshot();
    const [target] = listEnterprises(a, EnterpriseQuerySchema.parse({ text: '兴庆化工' })).items;
    if (!target) throw new Error('no enterprise');
    // A newer app's field, pushed by a device of its own.
    const newer = new ServerDevice((p, init) => central.fetch(`${central.url}${p}`, init), clock);
    expect((await newer.login('admin')).status).toBe(200);
    const pushed = await newer.push([
      newer.op('enterprises', target.id, { futureField: '下一版本的字段' }),
    ]);
    expect(pushed.body).toMatchObject({ parked: [] });
    await central.snapshots?.build('region');
    const paged = await device(2);
    createEnterprise(paged, draft('贺兰县建材有限公司'));
    await sync(paged);
    const fresh = await device(3);
    const seen: number[] = [];
    await sync(fresh, { snapshots: seen });
    expect(seen).toEqual([200]);
    const deferred = (ctx: AppContext) =>
      ctx.db.sqlite
        .prepare(
          'SELECT table_name, row_id, field, value, clock, reason FROM sync_deferred ORDER BY row_id, field',
        )
        .all();
    expect(deferred(fresh)).toEqual(deferred(paged));
    expect(deferred(fresh)).toEqual([
      expect.objectContaining({ row_id: target.id, field: 'futureField', reason: 'unknown_field' }),
    ]);
  });

  it('keeps the device’s own id, login and clock, and its next edit wins over what the snapshot held', async () => {
    const a = await storeWithSnapshot();
    const fresh = await device(3);
    const id = fresh.device.deviceId;
    const before = syncStatus(fresh);
    await sync(fresh);
    expect(fresh.device.deviceId).toBe(id);
    expect(
      fresh.db.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'deviceId'`).get(),
    ).toEqual({ value: id });
    expect(syncStatus(fresh)).toMatchObject({
      server: before.server,
      user: before.user,
      deviceId: id,
    });
    expect(before.user).not.toBeNull();
    const [row] = listEnterprises(fresh, EnterpriseQuerySchema.parse({ text: '兴庆化工' })).items;
    if (!row) throw new Error('no enterprise');
    // A's clock runs ahead of the shared test clock: the edit must still be stamped after it.
    const newest = (
      a.db.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'lastHlc'`).get() as {
        value: string;
      }
    ).value;
    updateEnterprise(fresh, row.id, draft('银川兴庆化工有限公司', YINCHUAN, { address: '新址' }));
    const own = (
      fresh.db.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'lastHlc'`).get() as {
        value: string;
      }
    ).value;
    expect(parseHlc(own).node).toBe(id);
    expect(own > newest).toBe(true);
    await sync(fresh);
    await sync(a);
    expect(getEnterprise(a, row.id).address).toBe('新址');
  });

  it('brings what changed after the snapshot was built as pages after it', async () => {
    const a = await storeWithSnapshot();
    const later = createEnterprise(a, draft('灵武市电厂'));
    await sync(a);
    const fresh = await device(3);
    const seen: number[] = [];
    await sync(fresh, { snapshots: seen });
    expect(seen).toEqual([200]);
    expect(getEnterprise(fresh, later.id).name).toBe('灵武市电厂');
    expect(replicaState(fresh.db)).toEqual(replicaState(a.db));
  });

  it('gives a city account its city’s snapshot, never another city’s enterprises', async () => {
    await storeWithSnapshot();
    const y = await device(3, 'yinchuan');
    const seen: number[] = [];
    await sync(y, { snapshots: seen });
    expect(seen).toEqual([200]);
    const names = listEnterprises(y, EnterpriseQuerySchema.parse({})).items.map((e) => e.name);
    expect(names.sort()).toEqual(['宁夏瑞泰水泥有限公司', '银川兴庆化工有限公司']);
  });

  it('refuses a snapshot damaged on the way, changes nothing, and pulls the same rows page by page', async () => {
    const a = await storeWithSnapshot();
    const fresh = await device(3);
    const damaging: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (!url.endsWith('/sync/snapshot') || res.status !== 200) return res;
      const body = Buffer.from(await res.arrayBuffer());
      body[body.length - 20] = (body[body.length - 20] ?? 0) ^ 0xff;
      return new Response(body, { status: 200, headers: res.headers });
    };
    const ran = await syncNow(fresh, { fetch: damaging, ...quick });
    expect(ran.status.upToDate).toBe(true);
    expect(replicaState(fresh.db)).toEqual(replicaState(a.db));
  });

  it('refuses a snapshot whose bytes do not match the SHA-256 the store sent with it', async () => {
    const a = await storeWithSnapshot();
    const fresh = await device(3);
    const seen: number[] = [];
    const misnamed: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (!url.endsWith('/sync/snapshot') || res.status !== 200) return res;
      seen.push(res.status);
      const headers = new Headers(res.headers);
      headers.set('x-uplift-snapshot-sha256', '0'.repeat(64));
      return new Response(res.body, { status: 200, headers });
    };
    const ran = await syncNow(fresh, { fetch: misnamed, ...quick });
    expect(seen).toEqual([200]);
    expect(ran.status.upToDate).toBe(true);
    expect(replicaState(fresh.db)).toEqual(replicaState(a.db));
  });

  it('stops unpacking a snapshot that grows past the size the store declared, and pulls page by page', async () => {
    const a = await storeWithSnapshot();
    const fresh = await device(3);
    const understated: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (!url.endsWith('/sync/snapshot') || res.status !== 200) return res;
      const headers = new Headers(res.headers);
      headers.set('x-uplift-snapshot-size', '4096');
      return new Response(res.body, { status: 200, headers });
    };
    const ran = await syncNow(fresh, { fetch: understated, ...quick });
    expect(ran.status.upToDate).toBe(true);
    expect(replicaState(fresh.db)).toEqual(replicaState(a.db));
  });

  it('answers 204 while none is ready, starts building one, and serves it to the next device', async () => {
    await central.reset({ keepAccounts: true });
    const a = await device(1);
    createEnterprise(a, draft('银川兴庆化工有限公司'));
    await sync(a);
    const first = await device(2);
    const seen: number[] = [];
    await sync(first, { snapshots: seen });
    await central.snapshots?.idle();
    const second = await device(3);
    await sync(second, { snapshots: seen });
    expect(seen).toEqual([204, 200]);
    expect(replicaState(second.db)).toEqual(replicaState(first.db));
  });

  it('leaves a device that was cancelled while downloading as it was', async () => {
    await storeWithSnapshot();
    const fresh = await device(3);
    const controller = new AbortController();
    const cancelling: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (url.endsWith('/sync/snapshot') && res.status === 200) controller.abort();
      return res;
    };
    await expect(
      syncNow(fresh, { fetch: cancelling, signal: controller.signal, ...quick }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(listEnterprises(fresh, EnterpriseQuerySchema.parse({})).total).toBe(0);
    await sync(fresh);
    expect(listEnterprises(fresh, EnterpriseQuerySchema.parse({})).total).toBe(3);
  });
});
