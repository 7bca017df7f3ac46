import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';

import Database from 'better-sqlite3';

import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { schemaOfMigrations } from '../../db/snapshot';
import { canonicalJson } from '../../shared/canonical-json';
import { formatHlc } from '../../shared/sync/hlc';
import {
  CHUNK_BYTES_MAX,
  FEATURES_HEADER,
  SNAPSHOT_CURSOR_HEADER,
  SNAPSHOT_ROWS_HEADER,
  SNAPSHOT_SHA256_HEADER,
  type PullResponse,
  type SyncOp,
} from '../../shared/sync/protocol';
import type { AuthUser } from '../../server/auth/tokens';
import { revokeTokens, setUserDisabled } from '../../server/auth/users';
import { conflicts, devices, parkedOps, rows } from '../../server/db/schema';
import { query, type Store } from '../../server/db/store';
import { createSyncApp } from '../../server/http/app';
import { createSnapshots } from '../../server/sync/snapshot';
import { startServer, type RunningServer } from '../../server/start';
import { tempDir } from '../helpers/temp-dir';

import {
  Device,
  emptyStore,
  enterprise,
  inspection,
  makeUser,
  newId,
  openTestStore,
  process_,
  protocolHeaders,
  sha256,
  TestClock,
  type Backend,
  type Fetcher,
} from './helpers';

const YINCHUAN = '6401';

/** A pinned ruleset row as a device writes it: its id is the SHA-256 of its canonical content. */
function pinnedRuleset(rulesetId = 'cement', edition = '2026'): [string, Record<string, unknown>] {
  const json = canonicalJson({ id: rulesetId, edition, indicators: [] });
  return [sha256(Buffer.from(json)), { rulesetId, edition, json, createdAt: 1 }];
}
const SHIZUISHAN = '6402';
/** Two free failures, then 1 s, 2 s; four lock an account (twenty an address) for 15 minutes. */
const THROTTLE = {
  freeFailures: 2,
  baseDelayMs: 1000,
  maxFailures: 4,
  windowMs: 15 * 60_000,
  addressFactor: 5,
};

/**
 * The central store's behaviour, over one backend. test/server/pglite.test.ts runs it on PGlite
 * in process; test/server/postgres.test.ts on a real PostgreSQL when DATABASE_URL is set.
 */
export function defineSyncSuite(backend: Backend): void {
  let store: Store;
  let clock: TestClock;
  let fetcher: Fetcher;
  const logged: string[] = [];
  /** Failed logins and lockouts, as an administrator reads them. */
  const events: string[] = [];

  beforeAll(async () => {
    store = await openTestStore(backend);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await emptyStore(store.db);
    clock = new TestClock();
    logged.length = 0;
    events.length = 0;
    const app = createSyncApp(store, {
      now: clock.now,
      throttle: THROTTLE,
      maxJsonBytes: 256 * 1024,
      minAppVersion: '0.1.0',
      logError: (m) => logged.push(m),
      logEvent: (m) => events.push(m),
    });
    fetcher = (path, init) => app.request(path, init);
  });

  afterEach(() => {
    // No test may end in an error of ours (a 500), even where the status it checks is a refusal.
    expect(logged).toEqual([]);
  });

  const device = () => new Device(fetcher, clock);
  const rowCount = async () =>
    Number((await query<{ n: string }>(store.db, sql`SELECT count(*) AS n FROM rows`))[0]?.n);
  const lastSeqOf = async (d: Device) =>
    (await store.db.select().from(devices).where(eq(devices.deviceId, d.deviceId)))[0]?.lastSeq;

  /** A user and a logged-in device of theirs. */
  async function member(username: string, role = '帮扶队员', scope = YINCHUAN) {
    await makeUser(store.db, username, role, scope);
    const d = device();
    expect((await d.login(username)).status).toBe(200);
    return d;
  }

  describe('logging in', () => {
    it('gives a token for the right password, and the token opens pull', async () => {
      await makeUser(store.db, 'zhang', '帮扶队员', YINCHUAN);
      const d = device();
      const reply = await d.login('Zhang ');
      expect(reply.status).toBe(200);
      expect(reply.body.user).toMatchObject({ username: 'zhang', role: '帮扶队员', scope: '6401' });
      expect(reply.body.minAppVersion).toBe('0.1.0');
      expect(reply.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const stored = await query<{ token_hash: string }>(
        store.db,
        sql`SELECT token_hash FROM tokens`,
      );
      expect(stored[0]?.token_hash).not.toContain(reply.body.token);
      expect((await d.pull(null)).status).toBe(200);
    });

    it('slows repeated wrong passwords, then refuses even the right one until the window ends', async () => {
      await makeUser(store.db, 'li', '帮扶队员', YINCHUAN);
      const d = device();
      expect((await d.login('li', 'wrong-password')).status).toBe(401);
      expect((await d.login('li', 'wrong-password')).body).toMatchObject({
        code: 'unauthorized',
        message: '用户名或密码错误',
      });
      // The third attempt comes too soon: refused unheard, even with the right password.
      const early = await d.login('li');
      expect(early.status).toBe(429);
      expect(early.body).toMatchObject({ code: 'too_many_attempts' });
      expect((early.body as unknown as { message: string }).message).toContain('1 秒后再试');
      clock.advance(1000);
      expect((await d.login('li', 'wrong-password')).status).toBe(401);
      expect((await d.login('li', 'wrong-password')).status).toBe(429);
      clock.advance(2000);
      expect((await d.login('li', 'wrong-password')).status).toBe(401);
      // Four failures: locked for the rest of the window.
      clock.advance(60_000);
      const locked = await d.login('li');
      expect(locked.status).toBe(429);
      expect((locked.body as unknown as { message: string }).message).toMatch(/分钟后再试/);
      clock.advance(15 * 60_000);
      expect((await d.login('li')).status).toBe(200);
      // A success clears the count.
      expect((await d.login('li', 'wrong-password')).status).toBe(401);
      expect((await d.login('li')).status).toBe(200);

      // The administrator reads every failure and the lockout, with username and address.
      expect(events.filter((e) => e.startsWith('登录失败：用户 "li"'))).toHaveLength(5);
      expect(events.filter((e) => e.startsWith('登录已锁定：用户 "li"'))).toHaveLength(1);
      expect(events.join('\n')).not.toContain('wrong-password');
    });

    describe('over HTTP', () => {
      let server: RunningServer;
      afterEach(() => server?.close());
      const serve = async (trustProxy: boolean) => {
        server = await startServer({
          port: 0,
          host: '127.0.0.1',
          store,
          config: {
            now: clock.now,
            throttle: THROTTLE,
            trustProxy,
            logError: (m) => logged.push(m),
            logEvent: (m) => events.push(m),
          },
        });
      };
      /** One login over HTTP from a device of its own; its status. */
      const attempt = async (username: string, headers: Record<string, string> = {}) => {
        const res = await fetch(`${server.url}/sync/login`, {
          method: 'POST',
          headers: { ...protocolHeaders(), 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ username, password: 'guess-1234', deviceId: newId() }),
        });
        await res.arrayBuffer();
        return res.status;
      };
      const tally = (statuses: number[]) => ({
        checked: statuses.filter((s) => s === 401).length,
        refused: statuses.filter((s) => s === 429).length,
      });

      it('checks no more of 300 parallel wrong guesses at one account than the throttle allows', async () => {
        await makeUser(store.db, 'target', '帮扶队员', YINCHUAN);
        await serve(false);
        const statuses = await Promise.all(Array.from({ length: 300 }, () => attempt('target')));
        expect(tally(statuses)).toEqual({ checked: THROTTLE.freeFailures, refused: 298 });
        expect(
          events.filter((e) => e.startsWith('登录失败：用户 "target"，地址 127.0.0.1')),
        ).toHaveLength(THROTTLE.freeFailures);
        expect(events.join('\n')).not.toContain('guess-1234');
        // The right password, once the delay has passed, still gets in.
        clock.advance(1000);
        const d = new Device((path, init) => fetch(`${server.url}${path}`, init), clock);
        expect((await d.login('target')).status).toBe(200);
      }, 120_000);

      it('lets many parallel logins with the right password in, from one address to a few accounts', async () => {
        for (const name of ['office-a', 'office-b', 'office-c']) {
          await makeUser(store.db, name, '帮扶队员', YINCHUAN);
        }
        await serve(false);
        const replies = await Promise.all(
          Array.from({ length: 24 }, (_, i) => {
            const d = new Device((path, init) => fetch(`${server.url}${path}`, init), clock);
            return d.login(['office-a', 'office-b', 'office-c'][i % 3] as string);
          }),
        );
        expect(replies.map((r) => r.status)).toEqual(Array.from({ length: 24 }, () => 200));
        expect(events).toEqual([]);
      }, 120_000);

      it('takes the address from the right end of X-Forwarded-For behind a proxy, so a forged left end evades nothing', async () => {
        await serve(true);
        // 300 accounts guessed at once from one address, each claiming another origin on the left.
        const statuses = await Promise.all(
          Array.from({ length: 300 }, (_, i) =>
            attempt(`user${i}`, {
              'x-forwarded-for': `10.${i % 250}.0.${(i * 7) % 250}, 203.0.113.9`,
            }),
          ),
        );
        const perAddress = THROTTLE.freeFailures * THROTTLE.addressFactor;
        expect(tally(statuses)).toEqual({ checked: perAddress, refused: 300 - perAddress });
        expect(
          events
            .filter((e) => e.startsWith('登录失败：'))
            .every((e) => e.includes('地址 203.0.113.9')),
        ).toBe(true);
        // The same account from ever-new addresses is held by its own count.
        const spread = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            attempt('one-account', { 'x-forwarded-for': `198.51.100.${i}` }),
          ),
        );
        expect(tally(spread)).toEqual({ checked: THROTTLE.freeFailures, refused: 48 });
      }, 120_000);
    });

    it('refuses no token, a revoked token and a disabled user with 401', async () => {
      const d = await member('wang');
      const anonymous = device();
      expect((await anonymous.pull(null)).status).toBe(401);
      expect((await anonymous.pull(null)).body).toMatchObject({
        code: 'unauthorized',
        message: '请先登录',
      });

      await revokeTokens(store.db, 'wang', clock.now());
      const revoked = await d.pull(null);
      expect(revoked.status).toBe(401);
      expect((revoked.body as unknown as { message: string }).message).toContain('重新登录');

      expect((await d.login('wang')).status).toBe(200);
      await setUserDisabled(store.db, 'wang', true, clock.now());
      expect((await d.pull(null)).status).toBe(401);
      // Its right password answers as a wrong one does: nothing tells it is disabled.
      const disabled = await d.login('wang');
      const wrong = await d.login('wang', 'wrong-password');
      expect(disabled).toEqual(wrong);
      expect(disabled).toMatchObject({
        status: 401,
        body: { code: 'unauthorized', message: '用户名或密码错误' },
      });
      d.token = 'not-a-token-at-all-but-long-enough';
      expect((await d.pull(null)).status).toBe(401);
    });

    it('refuses a forged device id with 403 and changes nothing', async () => {
      const d = await member('zhao');
      const other = newId();
      const forged = await d.request('POST', '/sync/push', {
        deviceId: other,
        ops: [{ ...d.op('enterprises', newId(), enterprise(YINCHUAN)), deviceId: other }],
      });
      expect(forged.status).toBe(403);
      expect(forged.body).toMatchObject({ code: 'forbidden' });
      // An op claiming another device inside this device's push is refused too.
      const smuggled = await d.push([
        { ...d.op('enterprises', newId(), enterprise(YINCHUAN)), deviceId: other },
      ]);
      expect(smuggled.status).toBe(403);
      expect(
        (await d.request('POST', '/sync/pull', { deviceId: other, cursor: null })).status,
      ).toBe(403);
      expect(await rowCount()).toBe(0);
    });
  });

  describe('pushing ops', () => {
    it('applies ops once: a resent push has no effect, and lastSeq is recorded', async () => {
      const d = await member('sun');
      const id = newId();
      const ops = [
        d.op('enterprises', id, enterprise(YINCHUAN, '甲公司')),
        d.op('enterprises', id, { contactPhone: '0951-1234567' }),
      ];
      const first = await d.push(ops);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ accepted: ops.map((o) => o.opId), parked: [], lastSeq: 2 });
      expect(await lastSeqOf(d)).toBe(2);
      const before = await store.db.select().from(rows);

      clock.advance(1000);
      const again = await d.push(ops);
      expect(again.body).toEqual({ accepted: ops.map((o) => o.opId), parked: [], lastSeq: 2 });
      const after = await store.db.select().from(rows);
      expect(after).toEqual(before);
      // A resend that overlaps new ops applies only the new ones.
      const third = d.op('enterprises', id, { address: '兴庆区' });
      const mixed = await d.push([...ops, third]);
      expect(mixed.body.lastSeq).toBe(3);
      expect(mixed.body.accepted).toEqual([...ops, third].map((o) => o.opId));
      const { changes } = await d.pullAll();
      expect(changes).toHaveLength(1);
      expect(changes[0]?.values).toMatchObject({
        name: '甲公司',
        contactPhone: '0951-1234567',
        address: '兴庆区',
      });
    });

    it('parks a refused op and still applies the ops after it', async () => {
      const d = await member('qian');
      const good = newId();
      const ops = [
        d.op('enterprises', newId(), { name: '无城市的公司', createdAt: 1 }),
        d.op('enterprises', good, enterprise(YINCHUAN, '乙公司')),
        { seq: d.skip(), opId: newId(), table: 'enterprises' },
        d.op('enterprise_processes', newId(), process_(good)),
      ];
      const reply = await d.push(ops);
      expect(reply.status).toBe(200);
      expect(reply.body.lastSeq).toBe(4);
      expect(reply.body.accepted).toEqual([(ops[1] as SyncOp).opId, (ops[3] as SyncOp).opId]);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1, 3]);
      expect(reply.body.parked[0]?.reason).toContain('新记录缺少必填字段：cityCode');
      expect(reply.body.parked[1]?.reason).toContain('操作格式不正确');
      const parked = await store.db.select().from(parkedOps);
      expect(parked.map((p) => [p.seq, p.code])).toEqual(
        expect.arrayContaining([
          [1, 'invalid'],
          [3, 'invalid'],
        ]),
      );
      // Resent, a parked op is reported parked again, not accepted.
      const again = await d.push(ops);
      expect(again.body.parked.map((p) => p.seq)).toEqual([1, 3]);
      expect(await rowCount()).toBe(2);
    });

    it('refuses a push that skips sequence numbers with 409 and the seq it expects', async () => {
      const d = await member('zhou');
      d.op('enterprises', newId(), enterprise(YINCHUAN));
      const second = d.op('enterprises', newId(), enterprise(YINCHUAN));
      const reply = await d.push([second]);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ code: 'conflict', lastSeq: 0 });
      expect(await rowCount()).toBe(0);
      expect(await lastSeqOf(d)).toBe(0);
    });

    it('keeps the last writer by hybrid clock per field and the losing value in conflicts', async () => {
      const a = await member('a-user');
      const b = await member('b-user');
      const id = newId();
      expect((await a.push([a.op('enterprises', id, enterprise(YINCHUAN, '丙公司'))])).status).toBe(
        200,
      );
      await b.pullAll();

      // Both edit offline: A at 10:00:10, B at 10:00:05 (older), B pushes last and loses the phone,
      // but its address (a field A did not touch) is taken.
      const aEdit = a.op('enterprises', id, { contactPhone: 'A-phone' }, clock.now() + 10_000);
      const bEdit = b.op(
        'enterprises',
        id,
        { contactPhone: 'B-phone', address: 'B-address' },
        clock.now() + 5_000,
      );
      clock.advance(20_000);
      await a.push([aEdit]);
      const lost = await b.push([bEdit]);
      expect(lost.body.accepted).toEqual([bEdit.opId]);
      const { changes } = await a.pullAll();
      const row = changes.find((c) => c.rowId === id);
      expect(row?.values).toMatchObject({ contactPhone: 'A-phone', address: 'B-address' });
      expect(row?.clocks.contactPhone).toBe(aEdit.hlc);
      expect(row?.clocks.address).toBe(bEdit.hlc);
      const recorded = await store.db.select().from(conflicts);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({
        tableName: 'enterprises',
        rowId: id,
        field: 'contactPhone',
        losingValue: 'B-phone',
        losingClock: bEdit.hlc,
        winningClock: aEdit.hlc,
        deviceId: b.deviceId,
      });

      // B edits again without having pulled A's phone: B is newer now and wins; A's value is the
      // loser of a concurrent edit.
      const bLater = b.op('enterprises', id, { contactPhone: 'B-later' });
      await b.push([bLater]);
      const both = await store.db.select().from(conflicts);
      expect(both).toHaveLength(2);
      expect(both.find((c) => c.losingValue === 'A-phone')).toMatchObject({
        deviceId: a.deviceId,
        winningClock: bLater.hlc,
      });

      // Each record reaches the device whose value lost, and only it, once.
      const bPull = await b.pull(null, 1000);
      expect(bPull.body.conflicts).toMatchObject([
        { table: 'enterprises', rowId: id, field: 'contactPhone', losingValue: 'B-phone' },
      ]);
      expect((await b.pull(bPull.body.cursor, 1000)).body.conflicts).toEqual([]);
      const aPull = await a.pull(null, 1000);
      expect(aPull.body.conflicts).toMatchObject([
        { field: 'contactPhone', losingValue: 'A-phone', winningClock: bLater.hlc },
      ]);

      // A pulls, then edits: a plain later edit, not a conflict.
      const { cursor } = await a.pullAll();
      expect(cursor).toMatch(/^\d+$/);
      clock.advance(1000);
      await a.push([a.op('enterprises', id, { contactPhone: 'A-after-reading' })]);
      expect(await store.db.select().from(conflicts)).toHaveLength(2);
    });

    it('breaks a tie of equal wall time and counter by device id', async () => {
      const one = await member('tie-1');
      const two = await member('tie-2');
      const id = newId();
      await one.push([one.op('enterprises', id, enterprise(YINCHUAN))]);
      const at = clock.now() + 1000;
      const [low, high] = [one, two].sort((x, y) => (x.deviceId < y.deviceId ? -1 : 1)) as [
        Device,
        Device,
      ];
      const lowOp = low.op('enterprises', id, { remark: 'low' }, at);
      const highOp = high.op('enterprises', id, { remark: 'high' }, at);
      lowOp.hlc = formatHlc({ wallMs: at, counter: 0, node: low.deviceId });
      highOp.hlc = formatHlc({ wallMs: at, counter: 0, node: high.deviceId });
      clock.advance(2000);
      await high.push([highOp]);
      await low.push([lowOp]);
      const { changes } = await one.pullAll();
      expect(changes.find((c) => c.rowId === id)?.values.remark).toBe('high');
    });

    it('keeps fields it does not know and gives them back in pull', async () => {
      const d = await member('newer-app');
      const id = newId();
      const values = { ...enterprise(YINCHUAN), futureField: { nested: ['x', 1] }, 未来字段: '值' };
      expect((await d.push([d.op('enterprises', id, values)])).body.parked).toEqual([]);
      const { changes } = await d.pullAll();
      expect(changes[0]?.values).toMatchObject({
        futureField: { nested: ['x', 1] },
        未来字段: '值',
      });
      expect(changes[0]?.clocks).toHaveProperty('futureField');
    });

    it('parks changes to a finalized visit and to its answers, members and evidence', async () => {
      const d = await member('inspector');
      const ent = newId();
      const visit = newId();
      const memberId = newId();
      await d.push([
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('inspections', visit, inspection(ent)),
        d.op('inspection_members', memberId, {
          inspectionId: visit,
          name: '张三',
          role: '执法',
          createdAt: 1,
        }),
        d.op('inspections', visit, { status: 'finalized', finalizedAt: 2 }),
      ]);
      const late = [
        d.op('inspections', visit, { note: '补充' }),
        d.op('inspection_members', memberId, { name: '李四' }),
        d.op('inspection_members', newId(), {
          inspectionId: visit,
          name: '王五',
          role: '专家',
          createdAt: 3,
        }),
        d.op('inspections', visit, { deleted: true }),
        d.op('inspections', newId(), {
          ...inspection(ent),
          revisionOf: visit,
          correctionReason: '读数记错',
        }),
      ];
      const reply = await d.push(late);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([5, 6, 7, 8]);
      expect(reply.body.parked[0]?.reason).toBe(
        '检查记录已确认，不能修改；如需更正，请创建修订版本',
      );
      expect(reply.body.accepted).toEqual([(late[4] as SyncOp).opId]);
    });

    it('lets only a city or region reviewer or an administrator delete a finalized visit, or an enterprise holding one, and only with a reason', async () => {
      const inspector = await member('trash-inspector');
      const expert = await member('trash-expert', '专家');
      const reviewer = await member('trash-reviewer', '市级审核');
      const ent = newId();
      const other = newId();
      const visit = newId();
      const draft = newId();
      await inspector.push([
        inspector.op('enterprises', ent, enterprise(YINCHUAN)),
        inspector.op('inspections', visit, inspection(ent)),
        inspector.op('inspections', visit, { status: 'finalized', finalizedAt: 2 }),
        inspector.op('enterprises', other, { ...enterprise(YINCHUAN), name: '只有草稿的企业' }),
        inspector.op('inspections', draft, inspection(other)),
      ]);
      const trash = (reason?: string) => ({
        deleted: true,
        deletedAt: clock.now(),
        deletedBy: '某人',
        ...(reason === undefined ? {} : { deleteReason: reason }),
      });

      // A team member and an expert are refused, with a reason or without, visit or enterprise.
      const refused = await inspector.push([
        inspector.op('inspections', visit, trash('重复录入')),
        inspector.op('enterprises', ent, trash('重复录入')),
      ]);
      expect(refused.body.parked.map((p) => p.reason)).toEqual([
        '这次检查是签字确认的正式记录，帮扶队员账号不能删除；需要市级审核、自治区复审、管理员账号',
        '该企业的 1 次已定稿检查是签字确认的正式记录，帮扶队员账号不能删除；需要市级审核、自治区复审、管理员账号',
      ]);
      const byExpert = await expert.push([expert.op('inspections', visit, trash('重复录入'))]);
      expect(byExpert.body.parked[0]?.reason).toContain('专家账号不能删除');
      // An enterprise with drafts only is anyone's to delete.
      expect(
        (await inspector.push([inspector.op('enterprises', other, trash())])).body.parked,
      ).toEqual([]);

      // A reviewer must say why; then the visit goes, and its content still cannot change.
      const noReason = await reviewer.push([reviewer.op('inspections', visit, trash())]);
      expect(noReason.body.parked[0]?.reason).toBe('删除这次检查须写明原因');
      const deleted = await reviewer.push([
        reviewer.op('inspections', visit, trash('与另一条记录重复')),
        reviewer.op('inspections', visit, { note: '顺便改一下' }),
      ]);
      expect(deleted.body.parked.map((p) => p.reason)).toEqual([
        '检查记录已确认，不能修改；如需更正，请创建修订版本',
      ]);
      const { changes } = await inspector.pullAll();
      const stored = changes.find((c) => c.rowId === visit)?.values;
      expect(stored).toMatchObject({
        status: 'finalized',
        deleted: true,
        deleteReason: '与另一条记录重复',
      });
      expect(stored).not.toHaveProperty('note');

      // Anyone may bring it back from the 回收站.
      clock.advance(1000);
      const restored = await inspector.push([
        inspector.op('inspections', visit, { deleted: false, deletedAt: null }),
      ]);
      expect(restored.body.parked).toEqual([]);
      const after = await inspector.pullAll();
      expect(after.changes.find((c) => c.rowId === visit)?.values.deleted).toBe(false);
    });

    it('parks a change to a draft visit’s or a plan’s record number once written, but lets an old row take its first', async () => {
      const d = await member('numberer');
      const ent = newId();
      const visit = newId();
      const old = newId();
      const plan = newId();
      await d.push([
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('inspections', visit, { ...inspection(ent), number: '银川-2026-0001-K7Q3' }),
        d.op('inspections', old, inspection(ent)),
        d.op('plans', plan, {
          enterpriseId: ent,
          status: '草稿',
          number: '银川-2026-0002-K7Q3',
          currentVersion: 1,
          createdAt: 1,
        }),
      ]);
      const reply = await d.push([
        d.op('inspections', visit, { number: '银川-2026-0009-K7Q3' }),
        d.op('plans', plan, { number: '银川-2026-0009-K7Q3' }),
        d.op('inspections', old, { number: '银川-2026-0003-K7Q3' }),
        d.op('inspections', visit, { number: '银川-2026-0001-K7Q3', note: '同号重写' }),
      ]);
      expect(reply.body.parked.map((p) => [p.seq, p.reason])).toEqual([
        [5, 'inspections.number 写入后不能修改'],
        [6, 'plans.number 写入后不能修改'],
      ]);
    });

    it('lets only experts and reviewers approve a plan (专家审定), publish rulesets or delete region-wide rows', async () => {
      const member1 = await member('team-member');
      const expert = await member('expert', '专家');
      const ent = newId();
      const plan = newId();
      await member1.push([
        member1.op('enterprises', ent, enterprise(YINCHUAN)),
        member1.op('plans', plan, {
          enterpriseId: ent,
          status: '草稿',
          currentVersion: 1,
          reviewedVersion: null,
          createdAt: 1,
        }),
      ]);
      const approve = {
        status: '专家审定',
        reviewedVersion: 1,
        reviewedBy: '专家甲',
        reviewedAt: 2,
        reviewOpinion: '同意按此方案实施',
      };
      const refused = await member1.push([member1.op('plans', plan, approve)]);
      expect(refused.body.parked[0]?.reason).toContain('帮扶队员账号不能审定方案');
      expect((await expert.push([expert.op('plans', plan, approve)])).body.parked).toEqual([]);
      const confirm = {
        status: '企业确认',
        confirmedVersion: 1,
        confirmedBy: '企业负责人',
        confirmedAt: 3,
        confirmMethod: '电话确认',
      };
      expect((await member1.push([member1.op('plans', plan, confirm)])).body.parked).toEqual([]);
      const published = await member1.push([
        member1.op('rulesets', 'a'.repeat(64), {
          rulesetId: 'cement',
          edition: '2026',
          json: '{}',
          importedAt: 1,
        }),
      ]);
      expect(published.body.parked[0]?.reason).toContain('不能向全区发布分级指标体系');
      const [pinned, pin] = pinnedRuleset();
      const removal = await member1.push([
        member1.op('pinned_rulesets', pinned, pin),
        member1.op('pinned_rulesets', pinned, { deleted: true }),
      ]);
      expect(removal.body.parked.map((p) => p.reason)).toEqual([
        '帮扶队员账号不能删除全区共用的记录（pinned_rulesets）；需要自治区复审或管理员账号',
      ]);
    });

    it('parks an unknown table, a bad row id, a wrong field type, a bookkeeping field and a clock far ahead', async () => {
      const d = await member('careless');
      const ops = [
        d.op('future_table', newId(), { x: 1 }),
        d.op('enterprises', '../../etc/passwd', enterprise(YINCHUAN)),
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), createdAt: 'yesterday' }),
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), fieldClocks: '{}' }),
        d.op('enterprises', newId(), enterprise(YINCHUAN), clock.now() + 10 * 60_000),
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), name: 'nul\u0000char' }),
        d.op('enterprises', newId(), enterprise('9999')),
      ];
      const reply = await d.push(ops);
      expect(reply.status).toBe(200);
      expect(reply.body.accepted).toEqual([]);
      const reasons = reply.body.parked.map((p) => p.reason);
      expect(reasons[0]).toContain('服务器不认识表“future_table”');
      expect(reasons[1]).toContain('记录编号');
      expect(reasons[2]).toBe('enterprises.createdAt 应为整数');
      expect(reasons[3]).toContain('fieldClocks');
      expect(reasons[4]).toContain('时钟比服务器快');
      expect(reasons[5]).toContain('U+0000');
      expect(reasons[6]).toContain('地级市代码');
      const codes = (await store.db.select().from(parkedOps)).map((p) => p.code).sort();
      expect(codes).toEqual([
        'clock',
        'invalid',
        'invalid',
        'invalid',
        'invalid',
        'invalid',
        'unknown_table',
      ]);
      expect(await rowCount()).toBe(0);
    });

    it('refuses an oversized or malformed body with nothing changed', async () => {
      const d = await member('bulky');
      const big = d.op('enterprises', newId(), {
        ...enterprise(YINCHUAN),
        remark: 'x'.repeat(300 * 1024),
      });
      const oversized = await d.push([big]);
      expect(oversized.status).toBe(413);
      expect(oversized.body).toMatchObject({ code: 'too_large' });
      const broken = await d.request(
        'POST',
        '/sync/push',
        '{"deviceId": "' + d.deviceId + '", "ops": [',
      );
      expect(broken.status).toBe(400);
      expect(broken.body).toMatchObject({
        code: 'invalid_input',
        message: '请求内容不是有效的 JSON',
      });
      const notOps = await d.request('POST', '/sync/push', {
        deviceId: d.deviceId,
        ops: 'all of them',
      });
      expect(notOps.status).toBe(400);
      const noSeq = await d.push([{ table: 'enterprises' }]);
      expect(noSeq.status).toBe(400);
      const unordered = [
        d.op('enterprises', newId(), enterprise(YINCHUAN)),
        d.op('enterprises', newId(), enterprise(YINCHUAN)),
      ].reverse();
      expect((await d.push(unordered)).status).toBe(400);
      expect(await rowCount()).toBe(0);
      expect(await lastSeqOf(d)).toBe(0);
      expect(await store.db.select().from(parkedOps)).toEqual([]);
    });
  });

  describe('scope', () => {
    it('never sends a 银川市 user the enterprises of 石嘴山市, and parks their ops touching them', async () => {
      const admin = await member('admin', '管理员', 'region');
      const yc = await member('yinchuan-member', '帮扶队员', YINCHUAN);
      const own = newId();
      const foreign = newId();
      const foreignVisit = newId();
      const [ruleset, pin] = pinnedRuleset();
      await admin.push([
        admin.op('enterprises', own, enterprise(YINCHUAN, '银川企业')),
        admin.op('enterprises', foreign, enterprise(SHIZUISHAN, '石嘴山企业')),
        admin.op('enterprise_processes', newId(), process_(foreign)),
        admin.op('inspections', foreignVisit, inspection(foreign)),
        admin.op('pinned_rulesets', ruleset, pin),
      ]);
      const seen = await yc.pullAll();
      expect(seen.changes.map((c) => c.table).sort()).toEqual(['enterprises', 'pinned_rulesets']);
      expect(seen.changes.find((c) => c.table === 'enterprises')?.rowId).toBe(own);
      expect(JSON.stringify(seen.changes)).not.toContain('石嘴山企业');
      const everything = await admin.pullAll();
      expect(everything.changes).toHaveLength(5);

      const ops = [
        yc.op('enterprises', foreign, { contactPhone: '改' }),
        yc.op('enterprises', newId(), enterprise(SHIZUISHAN, '新石嘴山企业')),
        yc.op('enterprise_processes', newId(), process_(foreign)),
        yc.op('inspection_answers', newId(), {
          inspectionId: foreignVisit,
          inspectionProcessId: newId(),
          indicatorId: 'x',
          createdAt: 1,
        }),
        yc.op('enterprises', own, { cityCode: SHIZUISHAN }),
        yc.op('enterprises', own, { contactPhone: '0951' }),
      ];
      const reply = await yc.push(ops);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(reply.body.parked[0]?.reason).toBe('无权修改石嘴山市的数据（账号范围：银川市）');
      expect(reply.body.accepted).toEqual([(ops[5] as SyncOp).opId]);
      const parked = await store.db.select().from(parkedOps);
      expect(parked.every((p) => p.code === 'forbidden')).toBe(true);
      const after = await admin.pullAll();
      expect(JSON.stringify(after.changes)).not.toContain('新石嘴山企业');
    });

    it('moves everything under an enterprise along when a region user moves it to another city', async () => {
      const admin = await member('mover', '管理员', 'region');
      const szs = await member('szs-member', '帮扶队员', SHIZUISHAN);
      const ent = newId();
      const visit = newId();
      await admin.push([
        admin.op('enterprises', ent, enterprise(YINCHUAN)),
        admin.op('inspections', visit, inspection(ent)),
        admin.op('inspection_members', newId(), {
          inspectionId: visit,
          name: '甲',
          role: '执法',
          createdAt: 1,
        }),
      ]);
      const before = await szs.pullAll();
      expect(before.changes).toHaveLength(0);
      await admin.push([admin.op('enterprises', ent, { cityCode: SHIZUISHAN })]);
      const after = await szs.pullAll(before.cursor);
      expect(after.changes.map((c) => c.table).sort()).toEqual([
        'enterprises',
        'inspection_members',
        'inspections',
      ]);
    });

    it('tells the old city’s devices which enterprises left it, and no one else', async () => {
      const admin = await member('mover2', '管理员', 'region');
      const yc = await member('yc-member2', '帮扶队员', YINCHUAN);
      const szs = await member('szs-member2', '帮扶队员', SHIZUISHAN);
      const ent = newId();
      const stays = newId();
      await admin.push([
        admin.op('enterprises', ent, enterprise(YINCHUAN)),
        admin.op('enterprises', stays, enterprise(YINCHUAN, '留下的企业')),
      ]);
      const ycBefore = await yc.pullAll();
      const szsBefore = await szs.pullAll();
      const adminBefore = await admin.pullAll();
      // Moved away and back within one push: nobody left anything.
      await admin.push([
        admin.op('enterprises', stays, { cityCode: SHIZUISHAN }),
        admin.op('enterprises', stays, { cityCode: YINCHUAN }),
      ]);
      await admin.push([admin.op('enterprises', ent, { cityCode: SHIZUISHAN })]);
      const ycAfter = await yc.pullAll(ycBefore.cursor);
      expect(ycAfter.leftScope).toEqual([ent]);
      expect(ycAfter.changes.map((c) => c.rowId)).toEqual([stays]);
      expect((await yc.pullAll(ycAfter.cursor)).leftScope).toEqual([]);
      expect((await szs.pullAll(szsBefore.cursor)).leftScope).toEqual([]);
      expect((await admin.pullAll(adminBefore.cursor)).leftScope).toEqual([]);
      const rowsOfStays = await store.db.select().from(rows).where(eq(rows.rowId, stays));
      expect(rowsOfStays[0]?.cityCode).toBe(YINCHUAN);
    });

    it('parks an op whose parent is not in the store, and one that moves a row to another parent', async () => {
      const d = await member('orphan');
      const ent = newId();
      const proc = newId();
      const reply = await d.push([
        d.op('enterprise_processes', newId(), process_(newId())),
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('enterprise_processes', proc, process_(ent)),
        d.op('enterprises', newId(), enterprise(YINCHUAN)),
      ]);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1]);
      expect(reply.body.parked[0]?.reason).toContain('上级记录');
      const other = (await d.pullAll()).changes.filter(
        (c) => c.table === 'enterprises' && c.rowId !== ent,
      )[0];
      const moved = await d.push([
        d.op('enterprise_processes', proc, { enterpriseId: other?.rowId }),
      ]);
      expect(moved.body.parked[0]?.reason).toBe('记录不能改挂到其他上级记录');
    });
  });

  describe('pulling', () => {
    it('pages through every change with the cursor, and says when nothing is new', async () => {
      const d = await member('pager');
      const ops = Array.from({ length: 25 }, (_, i) =>
        d.op('enterprises', newId(), enterprise(YINCHUAN, `企业${i}`)),
      );
      await d.push(ops);
      const fresh = d;
      const first = await fresh.pull(null, 10);
      expect(first.body.changes).toHaveLength(10);
      expect(first.body.more).toBe(true);
      const second = await fresh.pull(first.body.cursor, 10);
      const third = await fresh.pull(second.body.cursor, 10);
      expect(third.body.changes).toHaveLength(5);
      expect(third.body.more).toBe(false);
      const names = [...first.body.changes, ...second.body.changes, ...third.body.changes].map(
        (c) => c.values.name,
      );
      expect(names).toEqual(ops.map((o) => o.values.name));
      const idle = await fresh.pull(third.body.cursor, 10);
      expect(idle.body).toEqual({
        changes: [],
        conflicts: [],
        leftScope: [],
        cursor: third.body.cursor,
        more: false,
      });
      // An edit brings its row back once, as the whole row.
      await d.push([d.op('enterprises', (ops[3] as SyncOp).rowId, { remark: '改' })]);
      const edited = await fresh.pull(third.body.cursor, 10);
      expect(edited.body.changes).toHaveLength(1);
      expect(edited.body.changes[0]?.values).toMatchObject({
        name: '企业3',
        remark: '改',
        cityCode: YINCHUAN,
      });
      expect((await fresh.pull('not-a-cursor')).status).toBe(400);
    });

    it('gives a row written under one stamp as {"*": stamp} to a device that reads it, and field by field otherwise', async () => {
      const d = await member('compact');
      const once = newId();
      const edited = newId();
      const first = d.op('enterprises', once, enterprise(YINCHUAN, '甲公司'));
      await d.push([
        first,
        d.op('enterprises', edited, enterprise(YINCHUAN, '乙公司')),
        d.op('enterprises', edited, { address: '兴庆区' }),
      ]);
      const ask = async (features?: string) =>
        (
          await d.request<PullResponse>(
            'POST',
            '/sync/pull',
            { deviceId: d.deviceId, cursor: null },
            features === undefined ? {} : { [FEATURES_HEADER]: features },
          )
        ).body.changes;
      const compact = await ask('some-future-thing, compact-clocks');
      expect(compact.find((c) => c.rowId === once)?.clocks).toEqual({ '*': first.hlc });
      const mixed = compact.find((c) => c.rowId === edited)!;
      expect(Object.keys(mixed.clocks).sort()).toEqual(Object.keys(mixed.values).sort());
      // A device that does not say it reads them gets every field's clock.
      const plain = await ask();
      const full = plain.find((c) => c.rowId === once)!;
      expect(Object.keys(full.clocks).sort()).toEqual(Object.keys(full.values).sort());
      expect(new Set(Object.values(full.clocks))).toEqual(new Set([first.hlc]));
      expect(plain.find((c) => c.rowId === edited)).toEqual(mixed);
      // Read the device's way (own clock, else "*" when it is the only one), both forms agree.
      const clockOf = (c: PullResponse['changes'][number], f: string) =>
        c.clocks[f] ?? (Object.keys(c.clocks).join() === '*' ? c.clocks['*'] : undefined);
      for (const p of plain) {
        const q = compact.find((c) => c.rowId === p.rowId)!;
        for (const f of Object.keys(p.values)) expect(clockOf(q, f)).toBe(p.clocks[f]);
      }
    });

    it('sends a large page gzipped to a device that accepts gzip, and as it is to one that does not', async () => {
      const d = await member('zipper');
      await d.push(
        Array.from({ length: 60 }, (_, i) =>
          d.op('enterprises', newId(), enterprise(YINCHUAN, `宁夏瑞泰水泥有限公司${i}`)),
        ),
      );
      const body = JSON.stringify({ deviceId: d.deviceId, cursor: null, limit: 100 });
      const ask = (acceptEncoding: string) =>
        fetcher('/sync/pull', {
          method: 'POST',
          headers: {
            ...protocolHeaders(),
            authorization: `Bearer ${d.token}`,
            'content-type': 'application/json',
            'accept-encoding': acceptEncoding,
          },
          body,
        });
      const zipped = await ask('br, gzip, deflate');
      expect(zipped.headers.get('content-encoding')).toBe('gzip');
      const packed = Buffer.from(await zipped.arrayBuffer());
      const plain = await ask('identity');
      expect(plain.headers.get('content-encoding')).toBeNull();
      const text = await plain.text();
      expect(zlib.gunzipSync(packed).toString('utf8')).toBe(text);
      expect(packed.byteLength).toBeLessThan(Buffer.byteLength(text) / 3);
      expect((JSON.parse(text) as { changes: unknown[] }).changes).toHaveLength(60);
      expect((await ask('gzip;q=0, *')).headers.get('content-encoding')).toBeNull();
    });
  });

  describe('snapshots', () => {
    /** The app with snapshots on (any scope with a row gets one), and a way to ask for one. */
    function withSnapshots() {
      const dir = tempDir('uplift-server-snapshots-');
      const snapshots = createSnapshots(store.db, {
        dir,
        minRows: 1,
        now: clock.now,
        logError: (m) => logged.push(m),
      });
      const app = createSyncApp(store, {
        now: clock.now,
        logError: (m) => logged.push(m),
        snapshots,
      });
      const ask = (d: Device, body: unknown, token = d.token) =>
        app.request('/sync/snapshot', {
          method: 'POST',
          headers: {
            ...protocolHeaders(),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            'content-type': 'application/json',
          },
          body: JSON.stringify(body),
        });
      return { snapshots, ask, dir };
    }

    it('gives a city’s device a database of its city’s rows only, with its hash and cursor, and notes nothing as seen until its pages do', async () => {
      const region = await member('chen', '管理员', 'region');
      const pushed = await region.push([
        region.op('enterprises', newId(), enterprise(YINCHUAN, '银川兴庆化工有限公司')),
        region.op('enterprises', newId(), enterprise(SHIZUISHAN, '石嘴山市惠农区兰炭厂')),
      ]);
      expect(pushed.status).toBe(200);
      const y = await member('li');
      const { snapshots, ask, dir } = withSnapshots();
      const built = await snapshots.build(YINCHUAN);
      expect(built).toMatchObject({ scope: YINCHUAN, rows: 1 });
      const res = await ask(y, { deviceId: y.deviceId, schema: schemaOfMigrations() });
      expect(res.status).toBe(200);
      const packed = Buffer.from(await res.arrayBuffer());
      expect(crypto.createHash('sha256').update(packed).digest('hex')).toBe(
        res.headers.get(SNAPSHOT_SHA256_HEADER),
      );
      expect(res.headers.get(SNAPSHOT_ROWS_HEADER)).toBe('1');
      const cursor = res.headers.get(SNAPSHOT_CURSOR_HEADER);
      const file = path.join(dir, 'received.db');
      fs.writeFileSync(file, zlib.gunzipSync(packed));
      const db = new Database(file, { readonly: true });
      expect(db.prepare('SELECT name, city_code FROM enterprises').all()).toEqual([
        { name: '银川兴庆化工有限公司', city_code: YINCHUAN },
      ]);
      db.close();
      // A device may still refuse it: what it has seen moves with the pages after it.
      const [seen] = await store.db.select().from(devices).where(eq(devices.deviceId, y.deviceId));
      expect(Number(seen?.seenSeq ?? 0)).toBe(0);
      expect((await y.pull(cursor)).status).toBe(200);
      const [after] = await store.db.select().from(devices).where(eq(devices.deviceId, y.deviceId));
      expect(String(after?.seenSeq)).toBe(cursor);
      await snapshots.close();
    });

    it('refuses no token, another device’s id and a malformed request, and answers 204 to another schema', async () => {
      const region = await member('chen', '管理员', 'region');
      await region.push([region.op('enterprises', newId(), enterprise(YINCHUAN))]);
      const y = await member('li');
      const { snapshots, ask } = withSnapshots();
      await snapshots.build(YINCHUAN);
      const schema = schemaOfMigrations();
      expect((await ask(y, { deviceId: y.deviceId, schema }, '')).status).toBe(401);
      expect((await ask(y, { deviceId: newId(), schema })).status).toBe(403);
      expect((await ask(y, { deviceId: y.deviceId, schema: '../../etc' })).status).toBe(400);
      expect((await ask(y, { deviceId: y.deviceId })).status).toBe(400);
      expect((await ask(y, { deviceId: y.deviceId, schema: '1' })).status).toBe(204);
      const [seen] = await store.db.select().from(devices).where(eq(devices.deviceId, y.deviceId));
      expect(Number(seen?.seenSeq ?? 0)).toBe(0);
      await snapshots.close();
    });

    it('serves the snapshot a previous process built, from its folder, unless the file was damaged since', async () => {
      const region = await member('chen', '管理员', 'region');
      await region.push([region.op('enterprises', newId(), enterprise(YINCHUAN))]);
      const first = withSnapshots();
      const built = await first.snapshots.build('region');
      await first.snapshots.close();
      const again = createSnapshots(store.db, { dir: first.dir, minRows: 1, now: clock.now });
      const user = { scope: 'region', deviceId: region.deviceId } as AuthUser;
      expect(await again.offer(user, schemaOfMigrations())).toEqual(built);
      expect(await again.offer(user, '1')).toBeNull();
      await again.close();
      // Damaged on disk since: a new process drops it rather than send it.
      const file = built?.file as string;
      const bytes = fs.readFileSync(file);
      bytes[100] = (bytes[100] ?? 0) ^ 0xff;
      fs.writeFileSync(file, bytes);
      const third = createSnapshots(store.db, { dir: first.dir, minRows: 1, now: clock.now });
      expect(await third.offer(user, schemaOfMigrations())).toBeNull();
      expect(fs.existsSync(file)).toBe(false);
      await third.close();
    });

    it('never serves the snapshot of a store that was emptied since, nor a city’s made before an enterprise left the city', async () => {
      const region = await member('chen', '管理员', 'region');
      const movedId = newId();
      await region.push([
        region.op('enterprises', movedId, enterprise(YINCHUAN, '银川兴庆化工有限公司')),
        region.op('enterprises', newId(), enterprise(YINCHUAN, '银川贺兰建材有限公司')),
      ]);
      const y = await member('li');
      const { snapshots, ask } = withSnapshots();
      expect(await snapshots.build(YINCHUAN)).not.toBeNull();
      const schema = schemaOfMigrations();
      expect((await ask(y, { deviceId: y.deviceId, schema })).status).toBe(200);
      // The enterprise moves to 石嘴山市: the city's snapshot still holds it.
      await region.push([region.op('enterprises', movedId, { cityCode: SHIZUISHAN })]);
      expect((await ask(y, { deviceId: y.deviceId, schema })).status).toBe(204);
      await snapshots.idle();
      const rebuilt = await ask(y, { deviceId: y.deviceId, schema });
      expect(rebuilt.status).toBe(200);
      expect(rebuilt.headers.get(SNAPSHOT_ROWS_HEADER)).toBe('1');
      // The store emptied (restored, replaced): the old file names another store.
      await emptyStore(store.db);
      const again = await member('li2');
      expect((await ask(again, { deviceId: again.deviceId, schema })).status).toBe(204);
      await snapshots.close();
    });

    it('answers 204 to a scope too small for one, and builds none', async () => {
      const y = await member('li');
      const { snapshots, ask, dir } = withSnapshots();
      const res = await ask(y, { deviceId: y.deviceId, schema: schemaOfMigrations() });
      expect(res.status).toBe(204);
      await snapshots.idle();
      expect(fs.readdirSync(dir)).toEqual([]);
      await snapshots.close();
    });
  });

  describe('attachments', () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await startServer({
        port: 0,
        host: '127.0.0.1',
        store,
        config: { now: clock.now, logError: (m) => logged.push(m) },
      });
      fetcher = (path, init) => fetch(`${server.url}${path}`, init);
      return () => server.close();
    });

    /** Sends a chunk's headers and only part of its body, then breaks the connection. */
    function brokenUpload(d: Device, sha: string, offset: number, size: number, chunk: Uint8Array) {
      return new Promise<void>((resolve) => {
        const req = http.request(
          `${server.url}/sync/attachments/${sha}?offset=${offset}&size=${size}`,
          {
            method: 'PUT',
            headers: {
              ...protocolHeaders(),
              authorization: `Bearer ${d.token}`,
              'content-type': 'application/octet-stream',
              'content-length': String(chunk.length),
            },
          },
        );
        req.on('error', () => resolve());
        req.on('close', () => resolve());
        req.write(chunk.subarray(0, chunk.length / 2), () => setTimeout(() => req.destroy(), 50));
      });
    }

    /** A visit in `city` using the file as evidence, pushed as the app pushes before uploading. */
    async function useFile(d: Device, city: string, file: Uint8Array): Promise<string> {
      const sha = sha256(file);
      const ent = newId();
      const visit = newId();
      const reply = await d.push([
        d.op('enterprises', ent, enterprise(city)),
        d.op('inspections', visit, inspection(ent)),
        d.op('attachments', sha, { size: file.length, mimeType: 'image/jpeg', createdAt: 1 }),
        d.op('attachment_uses', newId(), {
          attachmentId: sha,
          inspectionId: visit,
          fileName: 'photo.jpg',
          createdAt: 1,
        }),
      ]);
      expect(reply.body.parked).toEqual([]);
      return sha;
    }

    it('lists missing files and resumes a chunked upload after a broken connection', async () => {
      const d = await member('photographer');
      const file = new Uint8Array(2 * CHUNK_BYTES_MAX + 12345).map((_, i) => (i * 7) % 251);
      const sha = await useFile(d, YINCHUAN, file);
      const other = sha256(new Uint8Array([1, 2, 3]));
      expect((await d.missing([sha, other])).body.missing).toEqual([
        { sha256: sha, received: 0 },
        { sha256: other, received: 0 },
      ]);
      const first = await d.upload(sha, 0, file.length, file.subarray(0, CHUNK_BYTES_MAX));
      expect(first.body).toEqual({ sha256: sha, received: CHUNK_BYTES_MAX, complete: false });

      await brokenUpload(
        d,
        sha,
        CHUNK_BYTES_MAX,
        file.length,
        file.subarray(CHUNK_BYTES_MAX, 2 * CHUNK_BYTES_MAX),
      );
      const asked = await d.missing([sha]);
      expect(asked.body.missing).toEqual([{ sha256: sha, received: CHUNK_BYTES_MAX }]);

      const wrong = await d.upload(sha, 0, file.length, file.subarray(0, 10));
      expect(wrong.status).toBe(409);
      expect(wrong.body).toMatchObject({ code: 'conflict', received: CHUNK_BYTES_MAX });

      let offset = asked.body.missing[0]?.received ?? 0;
      while (offset < file.length) {
        const end = Math.min(offset + CHUNK_BYTES_MAX, file.length);
        const reply = await d.upload(sha, offset, file.length, file.subarray(offset, end));
        expect(reply.status).toBe(200);
        offset = reply.body.received;
      }
      expect((await d.missing([sha])).body.missing).toEqual([]);
      const again = await d.upload(sha, 0, file.length, file.subarray(0, 10));
      expect(again.body).toMatchObject({ complete: true, received: file.length });
      const download = await d.request<Uint8Array>('GET', `/sync/attachments/${sha}`);
      expect(download.status).toBe(200);
      expect(sha256(download.body)).toBe(sha);
      expect((await d.upload(sha, 0, 10, new Uint8Array(CHUNK_BYTES_MAX + 1))).status).toBe(413);
    });

    it('discards an upload whose bytes do not match its hash', async () => {
      const d = await member('forger');
      const claimed = await useFile(d, YINCHUAN, new TextEncoder().encode('the real photo'));
      const reply = await d.upload(claimed, 0, 14, new TextEncoder().encode('a forged photo'));
      expect(reply.status).toBe(422);
      expect(reply.body.message).toContain('文件内容与 SHA-256 摘要不符，已丢弃');
      expect((await d.missing([claimed])).body.missing).toEqual([{ sha256: claimed, received: 0 }]);
      expect((await d.request('GET', `/sync/attachments/${claimed}`)).status).toBe(404);
    });

    it('refuses path-like and malformed file names', async () => {
      const d = await member('prober');
      for (const name of [
        '..%2F..%2Fetc%2Fpasswd',
        '..',
        'A'.repeat(64),
        'abc',
        `${'a'.repeat(64)}.jpg`,
      ]) {
        const put = await d.upload(name, 0, 1, new Uint8Array([1]));
        expect([400, 404]).toContain(put.status);
        const get = await d.request('GET', `/sync/attachments/${name}`);
        expect([400, 404]).toContain(get.status);
      }
      expect((await d.missing(['../../etc/passwd'])).status).toBe(400);
      const offsetless = await d.request(
        'PUT',
        `/sync/attachments/${'c'.repeat(64)}`,
        new Uint8Array([1]),
      );
      expect(offsetless.status).toBe(400);
    });

    it('lets a city user download only files used by rows of its city', async () => {
      const admin = await member('archivist', '管理员', 'region');
      const yc = await member('yc-viewer', '帮扶队员', YINCHUAN);
      const szs = await member('szs-viewer', '帮扶队员', SHIZUISHAN);
      const photo = new TextEncoder().encode('photo of a kiln');
      const sha = await useFile(admin, YINCHUAN, photo);
      expect((await admin.upload(sha, 0, photo.length, photo)).body.complete).toBe(true);
      expect((await yc.request('GET', `/sync/attachments/${sha}`)).status).toBe(200);
      const refused = await szs.request('GET', `/sync/attachments/${sha}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'forbidden' });
    });

    it('gives another city’s account neither an upload nor a download of a file it saw in a pulled row', async () => {
      const yc = await member('yc-photographer', '帮扶队员', YINCHUAN);
      const szs = await member('szs-snoop', '帮扶队员', SHIZUISHAN);
      const photo = new Uint8Array(5000).map((_, i) => (i * 13) % 256);
      photo[0] = 0xff; // a JPEG's first byte: anyone can guess it
      const sha = await useFile(yc, YINCHUAN, photo);
      // The file's region-wide row reaches every city, hash and all.
      const seen = (await szs.pullAll()).changes.map((c) => c.rowId);
      expect(seen).toContain(sha);

      // Pre-claiming it with the first byte is refused, and leaves nothing behind.
      const claim = await szs.upload(sha, 0, photo.length, photo.subarray(0, 1));
      expect(claim.status).toBe(403);
      expect(claim.body).toMatchObject({ code: 'forbidden' });
      expect(claim.body.message).toContain('无权上传这个文件');
      const asked = await yc.missing([sha]);
      expect(asked.body.missing).toEqual([{ sha256: sha, received: 0 }]);

      // The owner's device uploads from where the store says, as the app does.
      let offset = asked.body.missing[0]?.received ?? 0;
      while (offset < photo.length) {
        const reply = await yc.upload(sha, offset, photo.length, photo.subarray(offset));
        expect(reply.status).toBe(200);
        offset = reply.body.received;
      }
      const download = await szs.request('GET', `/sync/attachments/${sha}`);
      expect(download.status).toBe(403);
      expect(download.body).toMatchObject({ code: 'forbidden' });
      expect((await yc.request('GET', `/sync/attachments/${sha}`)).status).toBe(200);
    });

    it('keeps an upload in progress its sender’s: no other account can reset, extend or finish it', async () => {
      const first = await member('yc-first', '帮扶队员', YINCHUAN);
      const second = await member('yc-second', '帮扶队员', YINCHUAN);
      const szs = await member('szs-vandal', '帮扶队员', SHIZUISHAN);
      const file = new Uint8Array(CHUNK_BYTES_MAX + 777).map((_, i) => (i * 31) % 253);
      const sha = await useFile(first, YINCHUAN, file);
      const head = file.subarray(0, CHUNK_BYTES_MAX);
      expect((await first.upload(sha, 0, file.length, head)).body.received).toBe(CHUNK_BYTES_MAX);

      // Another city's account may not touch it at all.
      expect((await szs.upload(sha, 0, 10, new Uint8Array(10))).status).toBe(403);
      // An account of the same city starting over with another size, or writing garbage where
      // the first left off, writes only its own upload.
      expect((await second.upload(sha, 0, 20, new Uint8Array(10))).status).toBe(200);
      expect((await second.missing([sha])).body.missing).toEqual([{ sha256: sha, received: 10 }]);
      const garbage = await second.upload(sha, CHUNK_BYTES_MAX, file.length, new Uint8Array(777));
      expect(garbage.status).toBe(409);
      expect(garbage.body).toMatchObject({ received: 0 });

      expect((await first.missing([sha])).body.missing).toEqual([
        { sha256: sha, received: CHUNK_BYTES_MAX },
      ]);
      const tail = await first.upload(
        sha,
        CHUNK_BYTES_MAX,
        file.length,
        file.subarray(CHUNK_BYTES_MAX),
      );
      expect(tail.status).toBe(200);
      expect(tail.body).toMatchObject({ received: file.length, complete: true });
      // The file is whole. The other account has not shown it holds the bytes, so its own upload
      // stays open; it reads the file through the first account's use, and is then a holder.
      expect((await second.missing([sha])).body.missing).toEqual([{ sha256: sha, received: 10 }]);
      const download = await second.request<Uint8Array>('GET', `/sync/attachments/${sha}`);
      expect(sha256(download.body)).toBe(sha);
      expect((await second.missing([sha])).body.missing).toEqual([]);
      const leftovers = await query<{ n: string }>(
        store.db,
        sql`SELECT count(*) AS n FROM attachment_upload_chunks`,
      );
      expect(Number(leftovers[0]?.n)).toBe(0);
    });
  });

  describe('versions', () => {
    it('answers an old protocol or an old app with 426 and a Chinese message', async () => {
      const d = await member('old-timer');
      const oldProtocol = await d.request(
        'POST',
        '/sync/pull',
        { deviceId: d.deviceId, cursor: null },
        { 'x-uplift-protocol': '0' },
      );
      expect(oldProtocol.status).toBe(426);
      expect(oldProtocol.body).toMatchObject({ code: 'upgrade_required' });
      expect((oldProtocol.body as { message: string }).message).toContain('请升级 Uplift');
      const newer = await d.request('POST', '/sync/login', {}, { 'x-uplift-protocol': '2' });
      expect((newer.body as { message: string }).message).toContain('升级中心服务器');
      const oldApp = await d.request(
        'POST',
        '/sync/pull',
        { deviceId: d.deviceId, cursor: null },
        { 'x-uplift-app-version': '0.0.9' },
      );
      expect(oldApp.status).toBe(426);
      expect(oldApp.body).toMatchObject({
        code: 'upgrade_required',
        minAppVersion: '0.1.0',
        message: '应用版本 0.0.9 过旧，中心服务器要求 0.1.0 或更高版本；请升级 Uplift 后再同步',
      });
      const none = await fetcher('/sync/login', { method: 'POST', body: '{}' });
      expect(none.status).toBe(426);
    });

    it('answers health without any header', async () => {
      const res = await fetcher('/sync/health', { method: 'GET' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        ok: true,
        protocolVersion: 1,
        database: store.kind,
      });
      expect(logged).toEqual([]);
    });
  });

  describe('a hostile insider', () => {
    it('parks a pinned ruleset whose content is not what its SHA-256 id names', async () => {
      const d = await member('pinner');
      const content = canonicalJson({ id: 'cement', edition: '2020', indicators: [] });
      const real = d.op('pinned_rulesets', sha256(Buffer.from(content)), {
        rulesetId: 'cement',
        edition: '2020',
        json: content,
        createdAt: 1,
      });
      const forgedContent = canonicalJson({ id: 'cement', edition: '2020', indicators: [1] });
      const forged = d.op('pinned_rulesets', sha256(Buffer.from(content)).replace(/^./, 'f'), {
        rulesetId: 'cement',
        edition: '2020',
        json: forgedContent,
        createdAt: 1,
      });
      const renamed = d.op('pinned_rulesets', sha256(Buffer.from(forgedContent)), {
        rulesetId: 'coking',
        edition: '2020',
        json: forgedContent,
        createdAt: 1,
      });
      const reply = await d.push([real, forged, renamed]);
      expect(reply.body.accepted).toEqual([real.opId]);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([2, 3]);
      expect(reply.body.parked[0]?.reason).toContain('与其编号（SHA-256 摘要）不符');
      expect(reply.body.parked[1]?.reason).toContain('版本与其内容不符');
      const { changes } = await (await member('reader')).pullAll();
      expect(changes.filter((c) => c.table === 'pinned_rulesets')).toHaveLength(1);
    });

    it('parks an op whose text is not well-formed, and the device goes on syncing', async () => {
      const d = await member('surrogate');
      const ent = newId();
      const bad = [
        d.op('enterprises', newId(), enterprise(YINCHUAN, '坏\uD800名字')),
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), ['x\u0000']: 1 }),
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), contactName: 'a\u0007b' }),
      ];
      const good = d.op('enterprises', ent, enterprise(YINCHUAN, '好公司'));
      const reply = await d.push([...bad, good]);
      expect(reply.status).toBe(200);
      expect(reply.body.accepted).toEqual([good.opId]);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1, 2, 3]);
      expect(reply.body.parked[0]?.reason).toContain('字段 name 的内容不是有效文字');
      expect(reply.body.parked[0]?.reason).not.toContain('坏');
      expect(reply.body.parked[2]?.reason).toContain('U+0007');
      // The refused ops are kept, readable, beside their reasons.
      const kept = await store.db.select().from(parkedOps);
      expect(kept).toHaveLength(3);
      // Sent again, and after them more ops: never a 500.
      expect((await d.push([...bad, good])).status).toBe(200);
      const later = d.op('enterprises', ent, { address: '兴庆区' });
      expect((await d.push([later])).body.accepted).toEqual([later.opId]);
    });

    it('parks an op past the size caps before it can hold the push lock', async () => {
      const d = await member('bulky');
      const huge = d.op('enterprises', newId(), {
        ...enterprise(YINCHUAN),
        futureField: 'x'.repeat(200 * 1024),
      });
      const many = d.op('enterprises', newId(), {
        ...enterprise(YINCHUAN),
        ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i])),
      });
      let deep: unknown = 1;
      for (let i = 0; i < 100; i++) deep = [deep];
      const nested = d.op('enterprises', newId(), { ...enterprise(YINCHUAN), deep });
      const known = d.op('enterprises', newId(), {
        ...enterprise(YINCHUAN),
        futureNote: '新版本字段',
      });
      const reply = await d.push([huge, many, nested, known]);
      expect(reply.status).toBe(200);
      expect(reply.body.accepted).toEqual([known.opId]);
      expect(reply.body.parked.map((p) => p.reason)).toEqual([
        expect.stringContaining('服务器不认识的字段'),
        expect.stringContaining('40 个服务器不认识的字段'),
        expect.stringContaining('嵌套层级过深'),
      ]);
    });

    it('parks evidence added to a finalized visit through one of its answers', async () => {
      const d = await member('evidence');
      const ent = newId();
      const visit = newId();
      const answer = newId();
      await d.push([
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('inspections', visit, inspection(ent)),
        d.op('inspection_answers', answer, {
          inspectionId: visit,
          inspectionProcessId: newId(),
          indicatorId: 'equipment.level',
          fact: '"A"',
          createdAt: 1,
        }),
        d.op('inspections', visit, { status: 'finalized', finalizedAt: 2 }),
      ]);
      const use = d.op('attachment_uses', newId(), {
        attachmentId: 'a'.repeat(64),
        answerId: answer,
        fileName: '补拍.jpg',
        createdAt: 3,
      });
      const reply = await d.push([use]);
      expect(reply.body.accepted).toEqual([]);
      expect(reply.body.parked[0]?.reason).toBe(
        '检查记录已确认，不能修改；如需更正，请创建修订版本',
      );
    });
    it('parks a 专家审定 without an 审定意见 and a 企业确认 that does not say how, in Chinese', async () => {
      const expert = await member('expert-opinion', '专家');
      const ent = newId();
      const plan = newId();
      await expert.push([
        expert.op('enterprises', ent, enterprise(YINCHUAN)),
        expert.op('plans', plan, {
          enterpriseId: ent,
          status: '草稿',
          currentVersion: 1,
          createdAt: 1,
        }),
      ]);
      const approve = {
        status: '专家审定',
        reviewedVersion: 1,
        reviewedBy: '专家甲',
        reviewedAt: 2,
      };
      const bare = await expert.push([
        expert.op('plans', plan, { ...approve, reviewOpinion: ' ' }),
      ]);
      expect(bare.body.parked[0]?.reason).toBe('专家审定须填写审定意见');
      const opined = { ...approve, reviewOpinion: '同意按此方案实施' };
      expect((await expert.push([expert.op('plans', plan, opined)])).body.parked).toEqual([]);
      const confirm = {
        status: '企业确认',
        confirmedVersion: 1,
        confirmedBy: '李总',
        confirmedAt: 3,
      };
      const how = await expert.push([
        expert.op('plans', plan, { ...confirm, confirmMethod: '口头' }),
      ]);
      expect(how.body.parked[0]?.reason).toBe(
        '企业确认须写明确认人和确认方式（现场签字、电话确认或书面回执）',
      );
    });

    it('parks a correction without its reason, a withdrawal undone, and a signature on an answer', async () => {
      const d = await member('traces');
      const ent = newId();
      const visit = newId();
      const violation = newId();
      await d.push([
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('inspections', visit, inspection(ent)),
        d.op('violations', violation, {
          enterpriseId: ent,
          date: '2026-03-01',
          kind: '超标排放',
          createdAt: 1,
        }),
      ]);
      const correction = await d.push([
        d.op('inspections', newId(), { ...inspection(ent), revisionOf: visit }),
      ]);
      expect(correction.body.parked[0]?.reason).toBe('更正须写明更正原因');
      const withdrawn = { withdrawnAt: 5, withdrawnBy: '王海军', withdrawReason: '误录' };
      expect((await d.push([d.op('violations', violation, withdrawn)])).body.parked).toEqual([]);
      const undone = await d.push([d.op('violations', violation, { withdrawnAt: null })]);
      expect(undone.body.parked[0]?.reason).toBe('违法记录已撤销，撤销人、时间和原因不能再改');
      const answer = newId();
      await d.push([
        d.op('inspection_answers', answer, {
          inspectionId: visit,
          inspectionProcessId: newId(),
          indicatorId: 'equipment.level',
          fact: '"A"',
          createdAt: 1,
        }),
      ]);
      const onAnswer = await d.push([
        d.op('attachment_uses', newId(), {
          attachmentId: 'b'.repeat(64),
          answerId: answer,
          fileName: '签名.png',
          signerName: '张伟',
          signerRole: '执法',
          createdAt: 3,
        }),
      ]);
      expect(onAnswer.body.parked[0]?.reason).toBe('签名须签在一次检查或一份方案的某一版上');
    });

    it('refuses a login that names another account’s device, so it cannot fill that device’s sequence', async () => {
      const victim = await member('victim');
      await makeUser(store.db, 'mallory', '帮扶队员', SHIZUISHAN);
      // The device id is public: it names the clock of every row the victim wrote.
      const impostor = new Device(fetcher, clock, victim.deviceId);
      const guessed = await impostor.login('mallory');
      expect(guessed.status).toBe(403);
      expect((guessed.body as unknown as { message: string }).message).toContain('另一台设备');
      impostor.secret = undefined; // as an older app would log in
      const bare = await impostor.login('mallory');
      expect(bare.status).toBe(403);
      expect((bare.body as unknown as { message: string }).message).toContain('另一个账号');
      // The victim's device is untouched: still theirs, and its ops are applied.
      const owner = await query<{ id: string }>(
        store.db,
        sql`SELECT id FROM users WHERE username = 'victim'`,
      );
      const [row] = await store.db
        .select()
        .from(devices)
        .where(eq(devices.deviceId, victim.deviceId));
      expect(row?.userId).toBe(owner[0]?.id);
      const op = victim.op('enterprises', newId(), enterprise(YINCHUAN, '受害企业'));
      expect((await victim.push([op])).body.accepted).toEqual([op.opId]);
    });

    it('never acknowledges an op re-sent under a seq that names another op', async () => {
      const d = await member('resend');
      const first = d.op('enterprises', newId(), enterprise(YINCHUAN, '原来的企业'));
      expect((await d.push([first])).body.accepted).toEqual([first.opId]);
      // Another op under the same seq (an old backup of the device, or someone filling its
      // sequence): not "accepted with no effect", so the device keeps it.
      const other = { ...d.op('enterprises', newId(), enterprise(YINCHUAN, '另一家')), seq: 1 };
      const reply = await d.push([other]);
      expect(reply.status).toBe(200);
      expect(reply.body.accepted).toEqual([]);
      expect(reply.body.parked.map((p) => [p.opId, p.seq])).toEqual([[other.opId, 1]]);
      expect(reply.body.parked[0]?.reason).toContain('另一条修改');
      // The op the store did receive is still acknowledged when re-sent.
      expect((await d.push([first])).body.accepted).toEqual([first.opId]);
      expect(await rowCount()).toBe(1);
    });

    it('lets the same device log in with another account, and ends the earlier account’s tokens', async () => {
      const laptop = await member('first-user');
      const firstToken = laptop.token;
      await makeUser(store.db, 'second-user', '帮扶队员', YINCHUAN);
      expect((await laptop.login('second-user')).status).toBe(200);
      const [row] = await store.db
        .select()
        .from(devices)
        .where(eq(devices.deviceId, laptop.deviceId));
      const second = await query<{ id: string }>(
        store.db,
        sql`SELECT id FROM users WHERE username = 'second-user'`,
      );
      expect(row?.userId).toBe(second[0]?.id);
      const stale = new Device(fetcher, clock, laptop.deviceId);
      stale.token = firstToken;
      expect((await stale.pull(null)).status).toBe(401);
    });

    it('refuses a login that names a known device with another secret, even for its own account', async () => {
      const d = await member('copied');
      const copy = new Device(fetcher, clock, d.deviceId);
      const reply = await copy.login('copied');
      expect(reply.status).toBe(403);
      expect((reply.body as unknown as { message: string }).message).toContain(
        '数据文件夹可能被复制',
      );
    });

    it('lets an older app without a secret log in to its own device, which its next secret then claims', async () => {
      await makeUser(store.db, 'legacy', '帮扶队员', YINCHUAN);
      const d = device();
      const secret = d.secret;
      d.secret = undefined;
      expect((await d.login('legacy')).status).toBe(200);
      expect((await d.login('legacy')).status).toBe(200);
      d.secret = secret;
      expect((await d.login('legacy')).status).toBe(200);
      const [row] = await store.db.select().from(devices).where(eq(devices.deviceId, d.deviceId));
      expect(row?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('review of #14: what still gets through', () => {
    it('lets only the device itself claim an id the store met through a bundle naming its secret', async () => {
      const office = await member('relay-office');
      // A laptop that never synced itself: its ops reach the store on a USB bundle, so its id is
      // in the clocks every account pulls before the laptop ever logs in.
      const laptop = device();
      const op = laptop.op('enterprises', newId(), enterprise(YINCHUAN, '转交的企业'));
      const relayed = await office.request<{ accepted: string[] }>('POST', '/sync/relay', {
        deviceId: laptop.deviceId,
        ops: [op],
        deviceSecretHash: sha256(new TextEncoder().encode(laptop.secret)),
      });
      expect(relayed.body.accepted).toEqual([op.opId]);

      // Another account of the same city, with a secret of its own or none (an older app): refused.
      await makeUser(store.db, 'colleague', '帮扶队员', YINCHUAN);
      const impostor = new Device(fetcher, clock, laptop.deviceId);
      expect((await impostor.login('colleague')).status).toBe(403);
      impostor.secret = undefined;
      expect((await impostor.login('colleague')).status).toBe(403);
      // Not even the relaying account from another device.
      expect((await impostor.login('relay-office')).status).toBe(403);
      // A bundle of another computer under that id (a copied folder) is not relayed either.
      const copy = await office.request('POST', '/sync/relay', {
        deviceId: laptop.deviceId,
        ops: [laptop.op('enterprises', newId(), enterprise(YINCHUAN, '复制的'))],
        deviceSecretHash: 'ab'.repeat(32),
      });
      expect(copy.status).toBe(403);
      // The laptop's own first login, with its own secret, claims it.
      await makeUser(store.db, 'laptop-owner', '帮扶队员', YINCHUAN);
      expect((await laptop.login('laptop-owner')).status).toBe(200);
    });

    it('lets only an account of the relaying scope claim an id an older bundle brought', async () => {
      const office = await member('old-relay-office');
      const laptop = device();
      const op = laptop.op('enterprises', newId(), enterprise(YINCHUAN, '旧同步包的企业'));
      const relayed = await office.request<{ accepted: string[] }>('POST', '/sync/relay', {
        deviceId: laptop.deviceId,
        ops: [op],
      });
      expect(relayed.body.accepted).toEqual([op.opId]);
      await makeUser(store.db, 'claimer', '帮扶队员', SHIZUISHAN);
      const impostor = new Device(fetcher, clock, laptop.deviceId);
      const refused = await impostor.login('claimer');
      expect(refused.status).toBe(403);
      expect((refused.body as unknown as { message: string }).message).toContain('另一个地区');
      await makeUser(store.db, 'old-laptop-owner', '帮扶队员', YINCHUAN);
      expect((await laptop.login('old-laptop-owner')).status).toBe(200);
    });

    it('gives another city’s account no download of a file through a use of its own naming the hash', async () => {
      const yc = await member('yc-owner', '帮扶队员', YINCHUAN);
      const szs = await member('szs-thief', '帮扶队员', SHIZUISHAN);
      const photo = new Uint8Array(3000).map((_, i) => (i * 17) % 256);
      const sha = sha256(photo);
      const own = newId();
      const ownVisit = newId();
      const used = await yc.push([
        yc.op('enterprises', own, enterprise(YINCHUAN)),
        yc.op('inspections', ownVisit, inspection(own)),
        yc.op('attachments', sha, { size: photo.length, mimeType: 'image/jpeg', createdAt: 1 }),
        yc.op('attachment_uses', newId(), {
          attachmentId: sha,
          inspectionId: ownVisit,
          fileName: 'kiln.jpg',
          createdAt: 1,
        }),
      ]);
      expect(used.body.parked).toEqual([]);
      expect((await yc.upload(sha, 0, photo.length, photo)).body.complete).toBe(true);
      // The hash is in the region-wide attachments row every city pulls.
      expect((await szs.pullAll()).changes.map((c) => c.rowId)).toContain(sha);
      // A visit of the thief's own city that "uses" it, then the file.
      const ent = newId();
      const visit = newId();
      const reply = await szs.push([
        szs.op('enterprises', ent, enterprise(SHIZUISHAN)),
        szs.op('inspections', visit, inspection(ent)),
        szs.op('attachment_uses', newId(), {
          attachmentId: sha,
          inspectionId: visit,
          fileName: 'x.jpg',
          createdAt: 1,
        }),
      ]);
      expect(reply.status).toBe(200);
      // "Not yet", as for a file no one uploaded: the answer does not even say the store holds it.
      const download = await szs.request('GET', `/sync/attachments/${sha}`);
      expect(download.status).toBe(404);
      expect(download.body).toMatchObject({ code: 'not_found' });
    });

    it('lets a use grant downloads only once its writer has shown it holds the bytes', async () => {
      const yc = await member('yc-camera', '帮扶队员', YINCHUAN);
      const szs = await member('szs-team', '帮扶队员', SHIZUISHAN);
      const szsColleague = await member('szs-colleague', '帮扶队员', SHIZUISHAN);
      const scan = new Uint8Array(2500).map((_, i) => (i * 13) % 256);
      const sha = sha256(scan);
      async function visitUsing(d: Device, city: string): Promise<void> {
        const ent = newId();
        const visit = newId();
        const reply = await d.push([
          d.op('enterprises', ent, enterprise(city)),
          d.op('inspections', visit, inspection(ent)),
          d.op('attachments', sha, { size: scan.length, mimeType: 'image/jpeg', createdAt: 1 }),
          d.op('attachment_uses', newId(), {
            attachmentId: sha,
            inspectionId: visit,
            fileName: 'scan.jpg',
            createdAt: 1,
          }),
        ]);
        expect(reply.body.parked).toEqual([]);
      }
      await visitUsing(yc, YINCHUAN);
      expect((await yc.upload(sha, 0, scan.length, scan)).body.complete).toBe(true);
      // The same scan, attached in 石嘴山市 too: stored already, but not yet shown to be held there.
      await visitUsing(szs, SHIZUISHAN);
      await szsColleague.pullAll();
      expect((await szsColleague.request('GET', `/sync/attachments/${sha}`)).status).toBe(404);
      expect((await szs.missing([sha])).body.missing).toEqual([{ sha256: sha, received: 0 }]);
      // Garbage under its name shows nothing and grants nothing.
      expect((await szs.upload(sha, 0, scan.length, new Uint8Array(scan.length))).status).toBe(422);
      expect((await szsColleague.request('GET', `/sync/attachments/${sha}`)).status).toBe(404);
      // The real bytes do: the colleague now reads the file through the team's use.
      expect((await szs.upload(sha, 0, scan.length, scan)).body.complete).toBe(true);
      expect((await szs.missing([sha])).body.missing).toEqual([]);
      const download = await szsColleague.request<Uint8Array>('GET', `/sync/attachments/${sha}`);
      expect(download.status).toBe(200);
      expect(sha256(download.body)).toBe(sha);
    });

    it('parks an op whose opId, an unknown key or a too-long field name holds NUL, never a 500', async () => {
      const d = await member('nul-opid');
      const base = d.op('enterprises', newId(), enterprise(YINCHUAN));
      const reply = await d.push([
        { ...base, opId: 'not-a-uuid\u0000' },
        { ...d.op('enterprises', newId(), enterprise(YINCHUAN)), ['extra\u0000']: 1 },
        d.op('enterprises', newId(), { ...enterprise(YINCHUAN), ['\u0000'.repeat(65)]: 1 }),
      ]);
      expect(reply.status).toBe(200);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1, 2, 3]);
      expect(logged).toEqual([]);
    });

    it('parks an op nested thousands of levels deep rather than failing the push', async () => {
      const d = await member('very-deep');
      const deep = `${'['.repeat(6000)}1${']'.repeat(6000)}`;
      const op = d.op('enterprises', newId(), enterprise(YINCHUAN));
      const body = JSON.stringify({ deviceId: d.deviceId, ops: [op] }).replace(
        '"deleted":false',
        `"deleted":false,"deep":${deep}`,
      );
      const reply = await d.request<{ parked: { seq: number; reason: string }[] }>(
        'POST',
        '/sync/push',
        body,
      );
      expect(reply.status).toBe(200);
      expect(reply.body.parked.map((p) => p.seq)).toEqual([1]);
      expect(logged).toEqual([]);
    });

    it('answers a relay for a device id holding NUL with 400, not 500', async () => {
      const office = await member('nul-relay');
      const reply = await office.request('POST', '/sync/relay', {
        deviceId: 'dev\u0000ice',
        ops: [],
      });
      expect(reply.status).toBe(400);
      expect(logged).toEqual([]);
    });

    it('parks ill-formed text hidden in the JSON a text field holds, as every device sets it aside', async () => {
      const d = await member('hidden-text');
      const ent = newId();
      const visit = newId();
      const parents = [
        d.op('enterprises', ent, enterprise(YINCHUAN)),
        d.op('inspections', visit, inspection(ent)),
      ];
      const answer = d.op('inspection_answers', newId(), {
        inspectionId: visit,
        inspectionProcessId: newId(),
        indicatorId: 'equipment.level',
        fact: '"A\\u0000\\ud800"',
        createdAt: 1,
      });
      const reply = await d.push([...parents, answer]);
      expect(reply.status).toBe(200);
      expect(reply.body.parked.map((p) => p.opId)).toEqual([answer.opId]);
    });

    it('parks a line break in a one-line field such as an enterprise’s name', async () => {
      const d = await member('two-lines');
      const op = d.op('enterprises', newId(), enterprise(YINCHUAN, '正常企业\r\n伪造的第二行'));
      const reply = await d.push([op]);
      expect(reply.body.parked.map((p) => p.opId)).toEqual([op.opId]);
    });
  });
}
