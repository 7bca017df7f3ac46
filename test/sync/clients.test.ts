import crypto from 'node:crypto';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import { ensureDeviceSecret } from '../../db/repositories/device';
import { getFileTransfer } from '../../db/repositories/sync';
import type { AppContext } from '../../electron/services/context';
import {
  createEnterprise,
  getEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../electron/services/enterprises';
import { buildBundle, importBundle } from '../../electron/services/sync-bundle';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
  listInspections,
  readEvidence,
  reviseInspection,
} from '../../electron/services/inspections';
import { draftPlanFor, listPlans } from '../../electron/services/plans';
import { findInspectionsByNumber } from '../../electron/services/record-numbers';
import {
  configureServer,
  discardParked,
  dismissRelay,
  login,
  logout,
  resolveConflict,
  retryParked,
  retryRelay,
  syncNow,
  syncStatus,
  type SyncOptions,
} from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync-http';
import { AppError } from '../../shared/api/errors';
import { CHUNK_BYTES_MAX } from '../../shared/sync/protocol';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { answer, createSite, NOX, startSiteInspection } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  enterpriseDraft as draft,
  NO_WAIT as quick,
  replicaState,
  SharedClock,
} from '../helpers/sync';

const YINCHUAN = '6401';
const JPEG_SMALL = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 9)]);
const SHIZUISHAN = '6402';

let central: Central;

beforeAll(async () => {
  central = await startCentral();
});
afterAll(async () => {
  await central?.close();
});

const opened: AppContext[] = [];
let clock: SharedClock;

beforeEach(async () => {
  await central.reset();
  await central.addUser('admin', '管理员', 'region');
  await central.addUser('shizuishan', '帮扶队员', SHIZUISHAN);
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

/** A device logged in to the central store as `user`. */
async function device(n: number, user = 'admin'): Promise<AppContext> {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  await login(
    ctx,
    { username: user, password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

function sync(ctx: AppContext, options: SyncOptions = {}) {
  return syncNow(ctx, { fetch: central.fetch, ...quick, ...options });
}

/** Every device's data equals every other's (the rows, not their bookkeeping). */
function expectConverged(...devices: AppContext[]): void {
  const [first, ...rest] = devices.map((d) => replicaState(d.db));
  for (const other of rest) expect(other).toEqual(first);
}

describe('syncNow() with two and three devices', () => {
  it('brings one device’s new enterprise to the other, and reports both up to date', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    expect(syncStatus(a)).toMatchObject({ pendingOps: 1, upToDate: false });
    const ran = await sync(a);
    expect(ran).toMatchObject({ pushed: 1, parked: 0 });
    expect(ran.status).toMatchObject({ pendingOps: 0, upToDate: true, state: 'idle' });
    await sync(b);
    expect(getEnterprise(b, e.id).name).toBe('宁夏瑞泰水泥有限公司');
    expect(syncStatus(b).upToDate).toBe(true);
    expectConverged(a, b);
  });

  it('merges edits of different fields made on both devices while apart', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await sync(a);
    await sync(b);
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '兴庆区工业园' }));
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { contactPerson: '马军' }));
    await sync(a);
    await sync(b);
    await sync(a);
    expect(getEnterprise(a, e.id)).toMatchObject({
      address: '兴庆区工业园',
      contactPerson: '马军',
    });
    expectConverged(a, b);
    expect(syncStatus(a).conflicts).toEqual([]);
    expect(syncStatus(b).conflicts).toEqual([]);
  });

  it('lets the later edit of one field win everywhere and records the loser as a conflict', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await sync(a);
    await sync(b);
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '甲地址' }));
    clock.advance(1000);
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '乙地址' }));
    await sync(b);
    await sync(a);
    await sync(b);
    expect(getEnterprise(a, e.id).address).toBe('乙地址');
    expectConverged(a, b);
    expect(syncStatus(a).conflicts).toMatchObject([
      {
        table: 'enterprises',
        rowId: e.id,
        field: 'address',
        localValue: '甲地址',
        remoteValue: '乙地址',
        winner: 'remote',
      },
    ]);
    expect(await central.conflicts()).toMatchObject([
      { field: 'address', losingValue: '甲地址', deviceId: a.device.deviceId },
    ]);
  });

  it('records on the device that syncs second when its own later edit wins', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await sync(a);
    await sync(b);
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '甲地址' }));
    clock.advance(1000);
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '乙地址' }));
    await sync(a);
    await sync(b);
    await sync(a);
    expect(getEnterprise(a, e.id).address).toBe('乙地址');
    expectConverged(a, b);
    expect(syncStatus(b).conflicts).toMatchObject([
      { field: 'address', localValue: '乙地址', remoteValue: '甲地址', winner: 'local' },
    ]);
  });

  it('tells the device whose acknowledged value lost on the server, which could not see the clash itself', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await sync(a);
    await sync(b);
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '甲地址' }));
    clock.advance(1000);
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '乙地址' }));
    // b pulls (nothing new), then a's 甲 reaches the server, then b's later 乙 is pushed over
    // it: neither device saw the other's value before the server chose, so only it knows.
    let raced = false;
    const racing: FetchLike = async (url, init) => {
      if (url.endsWith('/sync/push') && !raced) {
        raced = true;
        await sync(a);
      }
      return central.fetch(url, init);
    };
    await sync(b, { fetch: racing });
    expect(syncStatus(b).conflicts).toEqual([]);
    expect(syncStatus(a).conflicts).toEqual([]);
    expect(await central.conflicts()).toMatchObject([
      { field: 'address', losingValue: '甲地址', deviceId: a.device.deviceId },
    ]);
    const pulled = await sync(a);
    expect(pulled.conflicts).toBe(1);
    expect(syncStatus(a).conflicts).toMatchObject([
      {
        table: 'enterprises',
        rowId: e.id,
        field: 'address',
        localValue: '甲地址',
        remoteValue: '乙地址',
        winner: 'remote',
      },
    ]);
    // Delivered once: later pulls bring nothing more.
    await sync(a);
    expect(syncStatus(a).conflicts).toHaveLength(1);
    // Keeping 甲 writes it again, and it wins everywhere.
    resolveConflict(a, syncStatus(a).conflicts[0]!.id, 'local');
    await sync(a);
    await sync(b);
    expect(getEnterprise(b, e.id).address).toBe('甲地址');
    expectConverged(a, b);
  });

  it('resolves a conflict for the losing side by writing it again, so it wins everywhere', async () => {
    const a = await device(1);
    const b = await device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await sync(a);
    await sync(b);
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '甲地址' }));
    clock.advance(1000);
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '乙地址' }));
    await sync(b);
    await sync(a);
    const [conflict] = syncStatus(a).conflicts;
    const after = resolveConflict(a, conflict!.id, 'local');
    expect(after.conflicts).toEqual([]);
    expect(after.pendingOps).toBe(1);
    await sync(a);
    await sync(b);
    expect(getEnterprise(b, e.id).address).toBe('甲地址');
    expectConverged(a, b);
  });

  it('converges three devices after rounds of edits, deletes and syncs in any order', async () => {
    const [a, b, c] = [await device(1), await device(2), await device(3)];
    const e1 = createEnterprise(a, draft('宁夏一号水泥有限公司'));
    const e2 = createEnterprise(b, draft('宁夏二号建材有限公司'));
    await sync(a);
    await sync(b);
    await sync(c);
    await sync(a);
    updateEnterprise(
      c,
      e1.id,
      draft('宁夏一号水泥有限公司', YINCHUAN, { contactPhone: '0951-1234567' }),
    );
    updateEnterprise(a, e2.id, draft('宁夏二号建材有限公司', YINCHUAN, { address: '永宁县' }));
    writeChanges(b.db, b.device, (ch) => ch.markDeleted('enterprises', e1.id));
    createEnterprise(c, draft('宁夏三号化工有限公司'));
    await sync(c);
    await sync(a);
    await sync(b);
    await sync(c);
    await sync(a);
    expectConverged(a, b, c);
    for (const d of [a, b, c])
      expect(syncStatus(d)).toMatchObject({ pendingOps: 0, upToDate: true });
    const rows = await central.rows();
    expect(rows.filter((r) => r.table === 'enterprises')).toHaveLength(3);
  });

  it('keeps every record number unique and unchanged when two devices number visits and plans offline in one city and sync', async () => {
    const a = await device(1);
    const b = await device(2);
    const site = createSite(a, '宁夏瑞泰水泥有限公司');
    await sync(a);
    await sync(b);
    const finalize = (ctx: AppContext, id: string, processId: string) => {
      answer(ctx, id, processId, NOX, { fact: 40 });
      for (const m of getInspectionDetail(ctx, id).members) {
        confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      }
      finalizeInspection(ctx, id);
    };
    // Apart: both number visits in 银川 in 2026, and each finalizes (signs) one.
    const made = [a, b].map((ctx) => {
      const visits = [1, 2, 3].map(
        (day) => startSiteInspection(ctx, site, { date: `2026-03-0${day}` }).inspection,
      );
      finalize(ctx, (visits[0] as (typeof visits)[number]).id, site.cementId);
      return visits;
    });
    // Each drafts a plan too, in the same sequence as its visits: b for the enterprise both
    // know (its 0004), a for one it registered offline, after visiting it (its 0004 and 0005).
    const plan = draftPlanFor(b, { enterpriseId: site.enterpriseId }).plan;
    const other = createSite(a, '宁夏贺兰山水泥铸造有限公司');
    const otherVisit = startSiteInspection(a, other, { date: '2026-03-04' }).inspection;
    finalize(a, otherVisit.id, other.cementId);
    const otherPlan = draftPlanFor(a, { enterpriseId: other.enterpriseId }).plan;
    const visitNumbers = new Map(
      [...made.flat(), otherVisit].map((v) => [v.id, v.number] as const),
    );
    const planNumbers = new Map([plan, otherPlan].map((p) => [p.id, p.number] as const));
    const all = [...visitNumbers.values(), ...planNumbers.values()];
    expect(all).toHaveLength(9);
    expect(new Set(all).size).toBe(9);
    for (const n of all) expect(n).toMatch(/^银川-2026-\d{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    // The same sequences on both devices, told apart by the devices' tags.
    const sequences = (ns: string[]) => ns.map((n) => n.split('-').slice(1, 3).join('-'));
    expect(sequences([plan.number, otherVisit.number])).toEqual(['2026-0004', '2026-0004']);
    expect(plan.number).not.toBe(otherVisit.number);

    await sync(a);
    await sync(b);
    await sync(a);
    expectConverged(a, b);
    for (const ctx of [a, b]) {
      // Every visit and plan on each device, each with the number it was made with, none twice.
      const listed = [site, other].flatMap((s) =>
        listInspections(ctx, { enterpriseId: s.enterpriseId }),
      );
      expect(listed).toHaveLength(7);
      for (const v of listed) expect(v.number).toBe(visitNumbers.get(v.id));
      const plans = listPlans(ctx);
      expect(plans).toHaveLength(2);
      for (const p of plans) expect(p.number).toBe(planNumbers.get(p.id));
      const shown = [...listed.map((v) => v.number), ...plans.map((p) => p.number)];
      expect(new Set(shown).size).toBe(9);
      for (const [id, number] of visitNumbers) {
        expect(findInspectionsByNumber(ctx.db, number)).toEqual([id]);
      }
    }
    // The store holds each number once, as written.
    const rows = await central.rows();
    const storedNumbers = (table: string) =>
      rows
        .filter((r) => r.table === table)
        .map((r) => r.values.number)
        .sort();
    expect(storedNumbers('inspections')).toEqual([...visitNumbers.values()].sort());
    expect(storedNumbers('plans')).toEqual([...planNumbers.values()].sort());
  });

  it('removes an enterprise that moved to another city from the old city’s devices, finalized visit and all, and brings it back if it returns', async () => {
    await central.addUser('yinchuan', '帮扶队员', YINCHUAN);
    const region = await device(1);
    const y = await device(2, 'yinchuan');
    const shi = await device(3, 'shizuishan');
    const site = createSite(y, '宁夏瑞泰水泥有限公司');
    const visit = startSiteInspection(y, site).inspection;
    for (const m of getInspectionDetail(y, visit.id).members) {
      confirmInspection(y, { inspectionId: visit.id, memberId: m.id });
    }
    finalizeInspection(y, visit.id);
    // A correction of it (a revision names the visit it corrects: it must go first).
    const revision = reviseInspection(y, visit.id, '现场复核发现记录有误').inspection;
    await sync(y);
    await sync(region);
    await sync(shi);
    expect(listEnterprises(shi, { limit: 10, offset: 0 }).total).toBe(0);

    updateEnterprise(region, site.enterpriseId, draft('宁夏瑞泰水泥有限公司', SHIZUISHAN));
    await sync(region);
    const left = await sync(y);
    expect(left.removed).toBe(1);
    expect(listEnterprises(y, { limit: 10, offset: 0 }).total).toBe(0);
    expect(() => getInspectionDetail(y, visit.id)).toThrow();
    expect(() => getInspectionDetail(y, revision.id)).toThrow();
    expect(syncStatus(y).upToDate).toBe(true);
    await sync(shi);
    expect(getEnterprise(shi, site.enterpriseId).cityCode).toBe(SHIZUISHAN);
    expect(getInspectionDetail(shi, visit.id).inspection.status).toBe('finalized');
    // The region keeps it, and a second sync of the old city removes nothing more.
    expect(getEnterprise(region, site.enterpriseId).cityCode).toBe(SHIZUISHAN);
    expect((await sync(y)).removed).toBe(0);

    // Back to 银川: it arrives again whole, with its finalized visit.
    updateEnterprise(region, site.enterpriseId, draft('宁夏瑞泰水泥有限公司', YINCHUAN));
    await sync(region);
    await sync(y);
    expect(getEnterprise(y, site.enterpriseId).cityCode).toBe(YINCHUAN);
    expect(getInspectionDetail(y, visit.id).inspection.status).toBe('finalized');
    expect(listEnterprises(y, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(1);
    await sync(shi);
    expect(listEnterprises(shi, { limit: 10, offset: 0 }).total).toBe(0);
    await sync(region);
    expectConverged(region, y);
  });

  it('keeps an enterprise that left the city while a local edit of it waits, until that edit is settled', async () => {
    await central.addUser('yinchuan', '帮扶队员', YINCHUAN);
    const region = await device(1);
    const y = await device(2, 'yinchuan');
    const e = createEnterprise(y, draft('宁夏瑞泰水泥有限公司'));
    await sync(y);
    await sync(region);
    updateEnterprise(y, e.id, draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '本机新地址' }));
    updateEnterprise(region, e.id, draft('宁夏瑞泰水泥有限公司', SHIZUISHAN));
    await sync(region);
    const ran = await sync(y);
    // The edit went out and was refused (the enterprise is 石嘴山's now): it is listed, and the
    // enterprise with the edit stays on this device.
    expect(ran).toMatchObject({ parked: 1, removed: 0 });
    expect(syncStatus(y).parked).toHaveLength(1);
    expect(getEnterprise(y, e.id).address).toBe('本机新地址');
    // Discarding the edit settles it: the next sync removes the copy.
    discardParked(y, [syncStatus(y).parked[0]!.opId]);
    expect((await sync(y)).removed).toBe(1);
    expect(listEnterprises(y, { limit: 10, offset: 0 }).total).toBe(0);
  });

  it('keeps only the new account’s city when a city account logs in where the region’s was, but not the other cities’ rows with local edits', async () => {
    const region = await device(1);
    const y1 = createEnterprise(region, draft('银川甲公司'));
    const s1 = createEnterprise(region, draft('石嘴山乙公司', SHIZUISHAN));
    const s2 = createEnterprise(region, draft('石嘴山丙公司', SHIZUISHAN));
    await sync(region);
    const laptop = await device(2);
    await sync(laptop);
    expect(listEnterprises(laptop, { limit: 10, offset: 0 }).total).toBe(3);
    // An edit made here under the region account, not yet sent.
    updateEnterprise(laptop, s2.id, draft('石嘴山丙公司', SHIZUISHAN, { address: '本机新地址' }));

    logout(laptop);
    await central.addUser('yinchuan', '帮扶队员', YINCHUAN);
    await login(
      laptop,
      { username: 'yinchuan', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    const ran = await sync(laptop);
    // 石嘴山乙 goes; 石嘴山丙 stays with its edit, which the 银川 account may not send (parked).
    expect(ran).toMatchObject({ removed: 1, parked: 1 });
    expect(
      listEnterprises(laptop, { limit: 10, offset: 0 })
        .items.map((e) => e.id)
        .sort(),
    ).toEqual([y1.id, s2.id].sort());
    expect(getEnterprise(laptop, s2.id).address).toBe('本机新地址');
    expect(() => getEnterprise(laptop, s1.id)).toThrow();
    // Discarding the edit settles it: the next sync removes that copy too.
    discardParked(laptop, [syncStatus(laptop).parked[0]!.opId]);
    expect((await sync(laptop)).removed).toBe(1);
    expect(listEnterprises(laptop, { limit: 10, offset: 0 }).items.map((e) => e.id)).toEqual([
      y1.id,
    ]);
    // Back to the region account: everything comes again.
    logout(laptop);
    await login(
      laptop,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    await sync(laptop);
    expect(listEnterprises(laptop, { limit: 10, offset: 0 }).total).toBe(3);
  });

  it('carries an offline laptop’s work to the central store on a USB bundle imported at the office', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1);
    const other = await device(2);
    const e = createEnterprise(laptop, draft('宁夏瑞泰水泥有限公司'));
    const first = buildBundle(laptop);
    expect(importBundle(office, first.data, first.fileName).applied).toBe(1);
    expect(syncStatus(office).relay.pending).toBe(1);
    expect(syncStatus(office).upToDate).toBe(false);
    const ran = await sync(office);
    expect(ran.relayed).toBe(1);
    expect(syncStatus(office)).toMatchObject({
      relay: { pending: 0, problems: [] },
      upToDate: true,
    });
    await sync(other);
    expect(getEnterprise(other, e.id).name).toBe('宁夏瑞泰水泥有限公司');

    // More work on the laptop, then a second bundle holding all its unsent ops again: only the
    // new one is new to the store; importing the first bundle again changes nothing.
    updateEnterprise(
      laptop,
      e.id,
      draft('宁夏瑞泰水泥有限公司', YINCHUAN, { address: '笔记本上填写' }),
    );
    const second = buildBundle(laptop);
    importBundle(office, second.data, second.fileName);
    importBundle(office, first.data, first.fileName);
    expect((await sync(office)).relayed).toBe(1);
    await sync(other);
    expect(getEnterprise(other, e.id).address).toBe('笔记本上填写');
    const stored = (await central.rows()).length;

    // When the laptop finally connects, its ops are answered as already done: nothing twice.
    await login(
      laptop,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    const own = await sync(laptop);
    expect(own.parked).toBe(0);
    expect((await central.rows()).length).toBe(stored);
    expect(syncStatus(laptop).upToDate).toBe(true);
    expectConverged(laptop, office, other);
  });

  it('lets only the laptop itself claim its id after the office relayed its bundle, not a copy of its folder', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1);
    createEnterprise(laptop, draft('宁夏恒达铁合金有限公司'));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    expect((await sync(office)).relayed).toBe(1);

    // Another computer under the same id (its data folder copied before it made its secret).
    const copy = createDevice(7, clock);
    opened.push(copy);
    expect(copy.device.deviceId).toBe(laptop.device.deviceId);
    const as = { username: 'admin', password: PASSWORD };
    const to = { server: central.url, fetch: central.fetch };
    await expect(login(copy, as, to)).rejects.toThrow('另一台设备');
    await login(laptop, as, to);
    expect((await sync(laptop)).parked).toBe(0);
  });

  it('parks, rather than answers as done, a device’s op that differs from the one a bundle relayed under its number', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1);
    createEnterprise(laptop, draft('宁夏瑞泰水泥有限公司'));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    await sync(office);
    // The same device id with other work under the same seq (a restored old copy of its folder,
    // which holds the same device secret).
    const copy = createDevice(7, clock);
    opened.push(copy);
    expect(copy.device.deviceId).toBe(laptop.device.deviceId);
    copy.db.sqlite
      .prepare(`INSERT OR REPLACE INTO sync_state (key, value) VALUES ('deviceSecret', ?)`)
      .run(ensureDeviceSecret(laptop.db));
    copy.device.newId(); // the copy's ids run differently from here on
    const other = createEnterprise(copy, draft('吴忠宝丰焦化有限公司'));
    await login(
      copy,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    const ran = await sync(copy);
    expect(ran.parked).toBe(1);
    const [parked] = syncStatus(copy).parked;
    expect(parked).toMatchObject({ rowId: other.id });
    expect(parked!.reason).toContain('已由同步包转交了另一条修改');
    // Retrying sends it under a new number: it is applied, nothing lost.
    retryParked(copy, [parked!.opId]);
    await sync(copy);
    expect(syncStatus(copy).parked).toEqual([]);
    expect((await central.rows()).map((r) => r.rowId)).toContain(other.id);
  });

  it('goes on syncing when the server cannot take relayed ops, and keeps them with why', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1);
    createEnterprise(laptop, draft('宁夏瑞泰水泥有限公司'));
    createEnterprise(office, draft('办公室录入的企业'));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    // An older server: no relay endpoint.
    const older: FetchLike = (url, init) =>
      url.endsWith('/sync/relay')
        ? Promise.resolve(new Response('not found', { status: 404 }))
        : central.fetch(url, init);
    const ran = await sync(office, { fetch: older });
    expect(ran.pushed).toBe(1);
    const status = syncStatus(office);
    expect(status.relay.problems).toMatchObject([{ status: 'blocked', ops: 1 }]);
    expect(status.lastError).toBeNull();
    expect(status.upToDate).toBe(false);
    // 重新转交 once the server can take them.
    expect(retryRelay(office, laptop.device.deviceId).relay).toEqual({ pending: 1, problems: [] });
    expect((await sync(office)).relayed).toBe(1);
    expect((await central.rows()).map((r) => r.values.name)).toContain('宁夏瑞泰水泥有限公司');
    expect(syncStatus(office).upToDate).toBe(true);
  });

  it('holds a bundle’s ops the store’s answer leaves out until they are relayed again, never dropping them', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1);
    createEnterprise(laptop, draft('宁夏瑞泰水泥有限公司'));
    createEnterprise(laptop, draft('宁夏新材料有限公司'));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    // A faulty store: the relay is answered without a word about the ops.
    const silent: FetchLike = (url, init) =>
      url.endsWith('/sync/relay')
        ? Promise.resolve(
            new Response(JSON.stringify({ accepted: [], parked: [], lastSeq: 0 }), {
              headers: { 'content-type': 'application/json' },
            }),
          )
        : central.fetch(url, init);
    expect((await sync(office, { fetch: silent })).relayed).toBe(0);
    expect(syncStatus(office).relay).toEqual({
      pending: 0,
      problems: [
        {
          deviceId: laptop.device.deviceId,
          status: 'blocked',
          reason: '中心库没有确认这些修改',
          ops: 2,
        },
      ],
    });
    retryRelay(office, laptop.device.deviceId);
    expect((await sync(office)).relayed).toBe(2);
    expect((await central.rows()).map((r) => r.values.name).sort()).toEqual(
      ['宁夏新材料有限公司', '宁夏瑞泰水泥有限公司'].sort(),
    );
  });

  it('leaves a bundle’s ops the store parked to the device they came from, which retries them there', async () => {
    const laptop = createDevice(7, clock);
    opened.push(laptop);
    const office = await device(1, 'shizuishan');
    const e = createEnterprise(laptop, draft('银川某公司', YINCHUAN));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    await sync(office);
    expect(syncStatus(office).relay.problems).toMatchObject([{ status: 'parked', ops: 1 }]);
    // The office lets it go: no longer listed, and nothing else waits there.
    expect(dismissRelay(office, laptop.device.deviceId).relay.problems).toEqual([]);
    await sync(office);
    expect(syncStatus(office).upToDate).toBe(true);
    // The laptop, logged in to an account that may send it, is told and retries.
    await login(
      laptop,
      { username: 'admin', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    await sync(laptop);
    const parked = syncStatus(laptop).parked;
    expect(parked).toMatchObject([{ rowId: e.id }]);
    retryParked(laptop, [parked[0]!.opId]);
    await sync(laptop);
    expect((await central.rows()).map((r) => r.rowId)).toContain(e.id);
    expect(syncStatus(laptop).upToDate).toBe(true);
  });

  it('keeps a bundle’s ops at the office, with why, when the store will not take them from this account', async () => {
    const laptop = await device(7, 'shizuishan');
    const office = await device(1);
    createEnterprise(laptop, draft('石嘴山某公司', SHIZUISHAN));
    const bundle = buildBundle(laptop);
    importBundle(office, bundle.data, bundle.fileName);
    await sync(office);
    const status = syncStatus(office);
    expect(status.relay.pending).toBe(0);
    expect(status.relay.problems).toMatchObject([
      { deviceId: laptop.device.deviceId, status: 'blocked', ops: 1 },
    ]);
    expect(status.relay.problems[0]!.reason).toContain('属于另一个账号');
    expect(status.upToDate).toBe(false);
    expect(await central.rows()).toEqual([]);
    // The laptop's own sync still takes them.
    await sync(laptop);
    expect((await central.rows()).length).toBe(1);
  });

  it('lists an op the server parks, goes on with the ops after it, and discards without deleting', async () => {
    const a = await device(1, 'shizuishan');
    const outside = createEnterprise(a, draft('银川某公司', YINCHUAN));
    const inside = createEnterprise(a, draft('石嘴山某公司', SHIZUISHAN));
    const ran = await sync(a);
    expect(ran).toMatchObject({ pushed: 1, parked: 1 });
    const status = syncStatus(a);
    expect(status.pendingOps).toBe(0);
    expect(status.upToDate).toBe(false);
    expect(status.parked).toMatchObject([
      { table: 'enterprises', rowId: outside.id, status: 'parked', values: { name: '银川某公司' } },
    ]);
    expect(status.parked[0]!.reason).toContain('无权修改');
    expect((await central.rows()).map((r) => r.rowId)).toEqual([inside.id]);

    // Retrying sends it again (same values, same clock): the server parks it again.
    const retrying = retryParked(a, [status.parked[0]!.opId]);
    expect(retrying.parked[0]).toMatchObject({ status: 'retrying' });
    expect(retrying.pendingOps).toBe(1);
    await sync(a);
    expect(syncStatus(a).parked).toHaveLength(1);
    expect(syncStatus(a).parked[0]!.opId).not.toBe(status.parked[0]!.opId);

    const discarded = discardParked(a, [syncStatus(a).parked[0]!.opId]);
    expect(discarded.parked).toEqual([]);
    expect(discarded.upToDate).toBe(true);
    expect(getEnterprise(a, outside.id).name).toBe('银川某公司');
  });

  it('uploads a photo once, and another device downloads and verifies it', async () => {
    const a = await device(1);
    const b = await device(2);
    const site = createSite(a);
    const visit = startSiteInspection(a, site).inspection;
    const photo = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      crypto.randomBytes(2.5 * CHUNK_BYTES_MAX),
    ]);
    const use = addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: photo });
    const up = await sync(a);
    expect(up).toMatchObject({ uploadedFiles: 1, uploadedBytes: photo.length });
    expect(up.status.pendingAttachments).toBe(0);
    const down = await sync(b);
    expect(down).toMatchObject({ downloadedFiles: 1, downloadedBytes: photo.length });
    expect(Buffer.from(readEvidence(b, use.id).data).equals(photo)).toBe(true);
    expect((await sync(a)).uploadedFiles).toBe(0);
    expectConverged(a, b);
  });

  it('does not fetch the photos of records outside the account’s city', async () => {
    const a = await device(1);
    const site = createSite(a);
    const visit = startSiteInspection(a, site).inspection;
    addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: JPEG_SMALL });
    await sync(a);
    const other = await device(2, 'shizuishan');
    const ran = await sync(other);
    expect(ran.downloadedFiles).toBe(0);
    expect(ran.status).toMatchObject({ pendingAttachments: 0, upToDate: true });
  });

  it('resumes an upload where the server stopped after a broken connection', async () => {
    const a = await device(1);
    const site = createSite(a);
    const visit = startSiteInspection(a, site).inspection;
    const photo = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      crypto.randomBytes(3 * CHUNK_BYTES_MAX),
    ]);
    addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: photo });
    let puts = 0;
    const breaking: FetchLike = async (url, init) => {
      if (init.method === 'PUT' && ++puts > 1) throw new TypeError('fetch failed');
      return central.fetch(url, init);
    };
    await expect(sync(a, { fetch: breaking })).rejects.toThrow(/无法连接/);
    expect(syncStatus(a)).toMatchObject({ state: 'offline', pendingAttachments: 1 });
    const resumed = await sync(a);
    expect(resumed.uploadedBytes).toBe(photo.length - CHUNK_BYTES_MAX);
    expect(resumed.status.pendingAttachments).toBe(0);
  });

  it('goes on after an upload answer was lost (the server says where it is)', async () => {
    const a = await device(1);
    const site = createSite(a);
    const visit = startSiteInspection(a, site).inspection;
    const photo = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      crypto.randomBytes(2 * CHUNK_BYTES_MAX),
    ]);
    addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: photo });
    let puts = 0;
    const losing: FetchLike = async (url, init) => {
      const res = await central.fetch(url, init);
      if (init.method === 'PUT' && ++puts === 2) throw new TypeError('socket hang up');
      return res;
    };
    const ran = await sync(a, { fetch: losing });
    expect(ran.uploadedFiles).toBe(1);
    expect(ran.status.pendingAttachments).toBe(0);
  });

  it('goes on syncing when the store will not take a photo no record of the account uses, and tries it again next time', async () => {
    // A 石嘴山市 account records a visit to a 银川市 enterprise: the store parks the rows, so
    // no record it holds lets this account send the photo.
    const a = await device(1, 'shizuishan');
    const visit = startSiteInspection(a, createSite(a)).inspection;
    addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: JPEG_SMALL });
    const ran = await sync(a);
    expect(ran.uploadedFiles).toBe(0);
    expect(ran.status.parked.length).toBeGreaterThan(0);
    expect(ran.status.pendingUploads).toBe(1);
    const sha = crypto.createHash('sha256').update(JPEG_SMALL).digest('hex');
    expect(getFileTransfer(a.db, sha, 'up')).toMatchObject({ status: 'failed' });
    expect(getFileTransfer(a.db, sha, 'up')?.error).toContain('无权上传这个文件');
    expect((await sync(a)).uploadedFiles).toBe(0);
  });
});

describe('sync state and accounts', () => {
  it('lets a page asked ahead of a failed pull change nothing after the run, not even the login', async () => {
    const a = await device(1);
    for (const name of ['甲公司', '乙公司', '丙公司']) createEnterprise(a, draft(name));
    await sync(a);
    const b = await device(2);
    let pulls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The second page is answered "logged out", late: after the run failed on the first.
    const fetch: FetchLike = async (url, init) => {
      if (url.endsWith('/sync/pull') && ++pulls === 2) {
        await gate;
        return new Response(JSON.stringify({ code: 'unauthorized', message: '登录已失效' }), {
          status: 401,
          headers: { 'content-type': 'application/json' },
        });
      }
      return central.fetch(url, init);
    };
    await expect(
      sync(b, {
        fetch,
        pageSize: 1,
        credentials: { username: 'admin', password: PASSWORD },
        faults: {
          beforeCommit: () => {
            throw new Error('killed mid-apply');
          },
        },
      }),
    ).rejects.toThrow('killed mid-apply');
    // Another account logs in on this device; then the late answer arrives.
    await login(
      b,
      { username: 'shizuishan', password: PASSWORD },
      { server: central.url, fetch: central.fetch },
    );
    release();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(syncStatus(b).user?.username).toBe('shizuishan');
    expect(pulls).toBe(2);
  });
  it('says offline when the server cannot be reached, keeps the local work, and never up to date', async () => {
    const a = await device(1);
    createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    const down: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
    await expect(sync(a, { fetch: down })).rejects.toThrow(AppError);
    const status = syncStatus(a);
    expect(status).toMatchObject({ state: 'offline', pendingOps: 1, upToDate: false });
    expect(status.lastError).toMatch(/无法连接中心服务器/);
    const ran = await sync(a);
    expect(ran.status).toMatchObject({ state: 'idle', lastError: null, upToDate: true });
  });

  it('logs in with the credentials given when it has no token, and refuses a wrong password', async () => {
    const a = createDevice(1, clock);
    opened.push(a);
    configureServer(a, central.url);
    await expect(sync(a)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(
      login(a, { username: 'admin', password: 'wrong-password' }, { fetch: central.fetch }),
    ).rejects.toMatchObject({ code: 'unauthorized', message: '用户名或密码错误' });
    const ran = await sync(a, { credentials: { username: 'admin', password: PASSWORD } });
    expect(ran.status.user).toMatchObject({ username: 'admin', role: '管理员', scope: 'region' });
    logout(a);
    expect(syncStatus(a).user).toBeNull();
  });

  it('refuses to run without a server address, and normalizes the one given', () => {
    const a = createDevice(1, clock);
    opened.push(a);
    expect(() => configureServer(a, 'ftp://x')).toThrow(/http/);
    expect(configureServer(a, '192.168.1.10:4791/sync/').server).toBe('http://192.168.1.10:4791');
  });

  it('shares one run between concurrent callers in the same process', async () => {
    const a = await device(1);
    createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    const [one, two] = await Promise.all([sync(a), sync(a)]);
    expect(two).toBe(one);
  });
});
