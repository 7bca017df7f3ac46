import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { fieldClock, writeChanges } from '../../db/changes';
import { listOutbox } from '../../db/repositories/device';
import { catchUpSearchIndex, searchIndexPaused } from '../../db/repositories/enterprises';
import {
  countDeferred,
  listOpenConflicts,
  readSyncSettings,
  recordPushOutcome,
} from '../../db/repositories/sync';
import { applyPullPage, replayDeferred, type PullPage } from '../../db/sync-apply';
import type { AppContext } from '../../electron/services/context';
import { listEnterprises } from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { parseHlc } from '../../shared/sync/hlc';
import type { SyncChange } from '../../shared/sync/protocol';
import { createSite, startVisit } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  outboxCount,
  replicaState,
  SharedClock,
  snapshotChanges,
  stamp,
} from '../helpers/sync';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const REMOTE = '0190ffff-0000-7000-8000-000000000001';
const E1 = '0190ffff-0000-7000-8000-0000000000e1';
const E2 = '0190ffff-0000-7000-8000-0000000000e2';

function enterprise(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '宁夏瑞泰水泥有限公司',
    cityCode: '6401',
    countyCode: '640104',
    createdAt: T,
    ...over,
  };
}

/** A change with every field under one clock. */
function change(
  table: string,
  rowId: string,
  values: Record<string, unknown>,
  clock: string,
): SyncChange {
  return {
    table,
    rowId,
    values,
    clocks: Object.fromEntries(Object.keys(values).map((k) => [k, clock])),
  };
}

function page(changes: SyncChange[], cursor = '1', more = false): PullPage {
  return { changes, cursor, more };
}

function row(ctx: AppContext, table: string, id: string): Record<string, unknown> | undefined {
  return ctx.db.sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as
    Record<string, unknown> | undefined;
}

/** The server acknowledged every op so far. */
function acknowledgeAll(ctx: AppContext): void {
  const sent = listOutbox(ctx.db, 0, 1_000_000);
  recordPushOutcome(
    ctx.db,
    { sent, accepted: sent.map((o) => o.opId), parked: [], lastSeq: sent.at(-1)?.seq ?? 0 },
    T,
  );
}

describe('applyPullPage()', () => {
  const opened: AppContext[] = [];
  const device = (n = 1, clock = new SharedClock()) => {
    const ctx = createDevice(n, clock);
    opened.push(ctx);
    return ctx;
  };
  afterEach(() => {
    for (const c of opened.splice(0)) closeAppContext(c);
  });

  it('inserts a remote row with its clocks, writes no op, and saves the cursor', () => {
    const ctx = device();
    const clock = stamp(T, REMOTE);
    applyPullPage(ctx.db, ctx.device, page([change('enterprises', E1, enterprise(), clock)], '17'));
    const r = row(ctx, 'enterprises', E1);
    expect(r).toMatchObject({
      name: '宁夏瑞泰水泥有限公司',
      updated_at: clock,
      updated_by: REMOTE,
    });
    expect(fieldClock(r!.field_clocks as string, 'name')).toBe(clock);
    expect(outboxCount(ctx.db)).toBe(0);
    expect(readSyncSettings(ctx.db).cursor).toBe('17');
  });

  it('keeps a row written once under one insert clock, as the device that made it does', () => {
    const ctx = device();
    const clock = stamp(T, REMOTE);
    applyPullPage(ctx.db, ctx.device, page([change('enterprises', E1, enterprise(), clock)]));
    expect(JSON.parse(row(ctx, 'enterprises', E1)!.field_clocks as string)).toEqual({
      '*': clock,
    });
  });

  it('reads {"*": stamp} as the clock of every field, and nothing else as a stand-in clock', () => {
    const ctx = device();
    const clock = stamp(T, REMOTE);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([
        {
          table: 'enterprises',
          rowId: E1,
          values: enterprise({ address: '兴庆区' }),
          clocks: { '*': clock },
        },
        // Beside clocks of its own, "*" stands in for none: a field without one is set aside.
        {
          table: 'enterprises',
          rowId: E2,
          values: enterprise({ name: '宁夏新材料有限公司', address: '金凤区' }),
          clocks: { ...change('enterprises', E2, enterprise(), clock).clocks, '*': clock },
        },
      ]),
    );
    const r = row(ctx, 'enterprises', E1)!;
    expect(r).toMatchObject({ name: '宁夏瑞泰水泥有限公司', address: '兴庆区', updated_at: clock });
    expect(fieldClock(r.field_clocks as string, 'address')).toBe(clock);
    expect(row(ctx, 'enterprises', E2)?.address).toBeNull();
    expect(countDeferred(ctx.db).byReason).toEqual({ invalid: 1 });
    ctx.db.sqlite.prepare('DELETE FROM sync_deferred').run();
    // An older value of the address loses; a newer name wins.
    applyPullPage(
      ctx.db,
      ctx.device,
      page([
        {
          table: 'enterprises',
          rowId: E1,
          values: { address: '金凤区' },
          clocks: { '*': stamp(T - 1, REMOTE) },
        },
        {
          table: 'enterprises',
          rowId: E1,
          values: { name: '宁夏瑞泰新材料有限公司' },
          clocks: { '*': stamp(T + 1, REMOTE) },
        },
      ]),
    );
    expect(row(ctx, 'enterprises', E1)).toMatchObject({
      name: '宁夏瑞泰新材料有限公司',
      address: '兴庆区',
    });
    expect(countDeferred(ctx.db).total).toBe(0);
  });

  it('keeps clocks per field when a field of the row was set aside, so it can be replayed under the same clock', () => {
    const ctx = device();
    const clock = stamp(T, REMOTE);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { ...enterprise(), gradeLevel: 'A' }, clock)]),
    );
    const clocks = JSON.parse(row(ctx, 'enterprises', E1)!.field_clocks as string) as object;
    expect(clocks).not.toHaveProperty('*');
    expect(clocks).toHaveProperty('name', clock);
    // After an upgrade, a column set aside under the insert's own clock still applies.
    ctx.db.sqlite
      .prepare(
        `INSERT INTO sync_deferred (table_name, row_id, field, value, clock, reason, source, created_at)
         VALUES ('enterprises', ?, 'contactPerson', '"马军"', ?, 'unknown_field', 'server', 0)`,
      )
      .run(E1, clock);
    replayDeferred(ctx.db, ctx.device);
    expect(row(ctx, 'enterprises', E1)?.contact_person).toBe('马军');
  });

  it('keeps clocks per field when a row arrives through replay while another of its fields still waits', () => {
    const ctx = device();
    const P1 = '0190ffff-0000-7000-8000-0000000000a1';
    const clock = stamp(T + 1, REMOTE);
    const process = { enterpriseId: E1, industryCode: 'cement', branch: '水泥熟料', createdAt: T };
    // The process comes before its enterprise, with a field of a newer version.
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [change('enterprise_processes', P1, { ...process, futureField: '备注X' }, clock)],
        '1',
        true,
      ),
    );
    expect(countDeferred(ctx.db).byReason).toEqual({ parent_missing: 4, unknown_field: 1 });
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '2'),
    );
    expect(row(ctx, 'enterprise_processes', P1)?.branch).toBe('水泥熟料');
    // After an upgrade that adds the field (here: remark), the value set aside applies.
    ctx.db.sqlite
      .prepare(`UPDATE sync_deferred SET field = 'remark' WHERE field = 'futureField'`)
      .run();
    replayDeferred(ctx.db, ctx.device);
    expect(row(ctx, 'enterprise_processes', P1)?.remark).toBe('备注X');
  });

  it('sets aside a change whose clocks are empty, even as the first of a page', () => {
    const ctx = device();
    const values = enterprise();
    const bad: SyncChange = {
      table: 'enterprises',
      rowId: E1,
      values,
      clocks: Object.fromEntries(Object.keys(values).map((k) => [k, ''])),
    };
    applyPullPage(ctx.db, ctx.device, page([bad]));
    expect(row(ctx, 'enterprises', E1)).toBeUndefined();
    expect(countDeferred(ctx.db).byReason).toEqual({ invalid: Object.keys(values).length });
  });

  it('keeps the registry search in step with remote inserts and edits', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))]),
    );
    expect(listEnterprises(ctx, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(1);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { name: '宁夏金鼎建材有限公司' }, stamp(T + 10, REMOTE))]),
    );
    expect(listEnterprises(ctx, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(0);
    expect(listEnterprises(ctx, { text: '金鼎', limit: 10, offset: 0 }).total).toBe(1);
    expect(listEnterprises(ctx, { text: '鼎', limit: 10, offset: 0 }).total).toBe(1);
  });

  it('indexes a page of remote enterprises for search together, and a local insert after it at once', () => {
    const ctx = device();
    const ids = ['e1', 'e2', 'e3'].map((k) => `0190ffff-0000-7000-8000-0000000000${k}`);
    const names = ['宁夏瑞泰水泥有限公司', '石嘴山金鼎建材有限公司', '吴忠宝丰焦化有限公司'];
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        ids.map((id, i) =>
          change('enterprises', id, enterprise({ name: names[i] }), stamp(T + i, REMOTE)),
        ),
      ),
    );
    expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM search_paused').get()).toEqual({
      n: 0,
    });
    for (const text of ['瑞泰', '金鼎建材', '焦', '宝丰焦化有限']) {
      expect(listEnterprises(ctx, { text, limit: 10, offset: 0 }).total, text).toBe(1);
    }
    const local = createSite(ctx, '中卫市天元锰业有限公司');
    expect(local).toBeTruthy();
    expect(listEnterprises(ctx, { text: '天元', limit: 10, offset: 0 }).total).toBe(1);
  });

  it('makes enterprises of a pull searchable when its last page arrives, with one created here meanwhile', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '1', true),
    );
    // Between pages the index waits; a local insert waits with it instead of being lost.
    createSite(ctx, '中卫市天元锰业有限公司');
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change(
            'enterprises',
            E2,
            enterprise({ name: '石嘴山金鼎建材有限公司' }),
            stamp(T, REMOTE),
          ),
        ],
        '2',
        false,
      ),
    );
    for (const text of ['瑞泰', '金鼎', '天元锰业']) {
      expect(listEnterprises(ctx, { text, limit: 10, offset: 0 }).total, text).toBe(1);
    }
    expect(searchIndexPaused(ctx.db)).toBe(false);
  });

  it('indexes what earlier pages brought while a pull waits, and keeps later edits of it in step', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '1', true),
    );
    const found = (text: string) => listEnterprises(ctx, { text, limit: 10, offset: 0 }).total;
    expect(found('瑞泰')).toBe(0);
    catchUpSearchIndex(ctx.db);
    // Found already; the pause goes on for the pages to come.
    expect(found('瑞泰')).toBe(1);
    expect(searchIndexPaused(ctx.db)).toBe(true);
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change('enterprises', E1, { name: '宁夏瑞丰水泥有限公司' }, stamp(T + 1, REMOTE)),
          change(
            'enterprises',
            E2,
            enterprise({ name: '石嘴山金鼎建材有限公司' }),
            stamp(T, REMOTE),
          ),
        ],
        '2',
        false,
      ),
    );
    expect([found('瑞泰'), found('瑞丰'), found('金鼎')]).toEqual([0, 1, 1]);
    expect(searchIndexPaused(ctx.db)).toBe(false);
    for (const t of ['enterprises_fts', 'enterprises_chars']) {
      ctx.db.sqlite.prepare(`INSERT INTO ${t} (${t}, rank) VALUES ('integrity-check', 1)`).run();
    }
  });

  it('indexes what a pull cut short between pages brought when the database is opened again', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-pause-')), 'uplift.db');
    const first = createDevice(1, new SharedClock(), file);
    applyPullPage(
      first.db,
      first.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '1', true),
    );
    expect(searchIndexPaused(first.db)).toBe(true);
    closeAppContext(first);
    const again = createDevice(1, new SharedClock(), file);
    opened.push(again);
    expect(searchIndexPaused(again.db)).toBe(false);
    expect(listEnterprises(again, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(1);
  });

  it('keeps search right when an enterprise that waits for the index is edited, deleted or revived', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change('enterprises', E1, enterprise(), stamp(T, REMOTE)),
          change(
            'enterprises',
            E2,
            enterprise({ name: '石嘴山金鼎建材有限公司', deleted: true }),
            stamp(T, REMOTE),
          ),
        ],
        '1',
        true,
      ),
    );
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change('enterprises', E1, { name: '吴忠宝丰焦化有限公司' }, stamp(T + 5, REMOTE)),
          change('enterprises', E2, { deleted: false }, stamp(T + 5, REMOTE)),
        ],
        '2',
        false,
      ),
    );
    expect(listEnterprises(ctx, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(0);
    expect(listEnterprises(ctx, { text: '宝丰', limit: 10, offset: 0 }).total).toBe(1);
    expect(listEnterprises(ctx, { text: '金鼎', limit: 10, offset: 0 }).total).toBe(1);
    const check = ctx.db.sqlite.prepare(
      `INSERT INTO enterprises_fts (enterprises_fts, rank) VALUES ('integrity-check', 1)`,
    );
    expect(() => check.run()).not.toThrow();
  });

  it('lets a new enterprise take the rowid of one removed while it waited for the index', () => {
    const ctx = device();
    const E3 = '0190ffff-0000-7000-8000-0000000000e3';
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '1', true),
    );
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change(
            'enterprises',
            E2,
            enterprise({ name: '石嘴山金鼎建材有限公司' }),
            stamp(T, REMOTE),
          ),
        ],
        '2',
        true,
      ),
    );
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E2, { deleted: true }, stamp(T + 5, REMOTE))], '3', true),
    );
    // The tombstoned, still pending enterprise leaves the device (it moved to another city).
    applyPullPage(ctx.db, ctx.device, { changes: [], leftScope: [E2], cursor: '4', more: true });
    expect(row(ctx, 'enterprises', E2)).toBeUndefined();
    applyPullPage(
      ctx.db,
      ctx.device,
      page(
        [
          change(
            'enterprises',
            E3,
            enterprise({ name: '吴忠宝丰焦化有限公司' }),
            stamp(T + 9, REMOTE),
          ),
        ],
        '5',
        false,
      ),
    );
    expect(row(ctx, 'enterprises', E3)).toBeDefined();
    expect(listEnterprises(ctx, { text: '宝丰', limit: 10, offset: 0 }).total).toBe(1);
    expect(listEnterprises(ctx, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(1);
    expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM search_pending').get()).toEqual({
      n: 0,
    });
  });

  it('keeps search right when a hostile page holds the same enterprise twice', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([
        change('enterprises', E1, enterprise(), stamp(T, REMOTE)),
        change('enterprises', E1, { name: '宁夏金鼎建材有限公司' }, stamp(T + 5, REMOTE)),
      ]),
    );
    expect(listEnterprises(ctx, { text: '瑞泰', limit: 10, offset: 0 }).total).toBe(0);
    expect(listEnterprises(ctx, { text: '金鼎', limit: 10, offset: 0 }).total).toBe(1);
    // FTS5 throws on an index that disagrees with its rows.
    const check = ctx.db.sqlite.prepare(
      `INSERT INTO enterprises_fts (enterprises_fts, rank) VALUES ('integrity-check', 1)`,
    );
    expect(() => check.run()).not.toThrow();
  });

  it('lets a newer remote value win over an acknowledged local one, without a conflict', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T + 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('金凤区');
    expect(listOpenConflicts(ctx.db)).toEqual([]);
  });

  it('records the local value as the loser when a newer remote value meets an unsent local edit', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', E1, { address: '兴庆区' }));
    const local = listOutbox(ctx.db).at(-1)!.hlc;
    const remote = stamp(T + 60_000, REMOTE);
    const result = applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, remote)]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('金凤区');
    expect(result.conflicts).toBe(1);
    expect(listOpenConflicts(ctx.db)).toMatchObject([
      {
        table: 'enterprises',
        rowId: E1,
        field: 'address',
        localValue: '兴庆区',
        localClock: local,
        remoteValue: '金凤区',
        remoteClock: remote,
        winner: 'remote',
        source: 'server',
      },
    ]);
  });

  it('keeps a newer unsent local value and records the older remote one as the loser', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', E1, { address: '兴庆区' }));
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('兴庆区');
    expect(listOpenConflicts(ctx.db)).toMatchObject([
      { field: 'address', localValue: '兴庆区', remoteValue: '金凤区', winner: 'local' },
    ]);
    // Seen again (the same pair of clocks), it is still one conflict.
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(listOpenConflicts(ctx.db)).toHaveLength(1);
  });

  it('ignores an older remote value of a field the local side did not change', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { name: '旧名称' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.name).toBe('宁夏瑞泰水泥有限公司');
    expect(listOpenConflicts(ctx.db)).toEqual([]);
  });

  it('breaks a tie of wall time and counter by device id, the same way on every device', () => {
    const low = '0190aaaa-0000-7000-8000-000000000001';
    const high = '0190bbbb-0000-7000-8000-000000000001';
    const base = change('enterprises', E1, enterprise(), stamp(T, low));
    const a = change('enterprises', E1, { address: '甲' }, stamp(T + 5, low));
    const b = change('enterprises', E1, { address: '乙' }, stamp(T + 5, high));
    const one = device(1);
    const two = device(2);
    applyPullPage(one.db, one.device, page([base, a]));
    applyPullPage(one.db, one.device, page([b]));
    applyPullPage(two.db, two.device, page([base, b]));
    applyPullPage(two.db, two.device, page([a]));
    expect(row(one, 'enterprises', E1)?.address).toBe('乙');
    expect(row(two, 'enterprises', E1)?.address).toBe('乙');
  });

  it('changes nothing when the same change arrives again', () => {
    const ctx = device();
    const c = change('enterprises', E1, enterprise(), stamp(T, REMOTE));
    applyPullPage(ctx.db, ctx.device, page([c]));
    const before = row(ctx, 'enterprises', E1);
    const again = applyPullPage(ctx.db, ctx.device, page([c]));
    expect(again.rows).toBe(0);
    expect(row(ctx, 'enterprises', E1)).toEqual(before);
  });

  it('moves the device clock past what it pulled, so a later local edit wins', () => {
    const ctx = device();
    const future = stamp(T + 3_600_000, REMOTE);
    applyPullPage(ctx.db, ctx.device, page([change('enterprises', E1, enterprise(), future)]));
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', E1, { address: '本机' }));
    const op = listOutbox(ctx.db).at(-1)!;
    expect(op.hlc > future).toBe(true);
    expect(parseHlc(op.hlc).node).toBe(ctx.device.deviceId);
  });

  it('keeps a field this version does not know, with the newest value, and replays it later', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { ...enterprise(), gradeLevel: 'A' }, stamp(T, REMOTE))]),
    );
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { gradeLevel: 'B' }, stamp(T + 5, REMOTE))]),
    );
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { gradeLevel: 'Z' }, stamp(T + 1, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.name).toBe('宁夏瑞泰水泥有限公司');
    const kept = ctx.db.sqlite.prepare('SELECT field, value, reason FROM sync_deferred').all();
    expect(kept).toEqual([{ field: 'gradeLevel', value: '"B"', reason: 'unknown_field' }]);
    expect(countDeferred(ctx.db).byReason).toEqual({ unknown_field: 1 });
  });

  it('applies a deferred value once the column exists (after an upgrade), and LWW still holds', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))]),
    );
    // What an older version set aside: contactPerson did not exist for it.
    const insert = ctx.db.sqlite.prepare(
      `INSERT INTO sync_deferred (table_name, row_id, field, value, clock, reason, source, created_at)
       VALUES ('enterprises', ?, ?, ?, ?, 'unknown_field', 'server', 0)`,
    );
    insert.run(E1, 'contactPerson', '"马军"', stamp(T + 10, REMOTE));
    insert.run(E1, 'name', '"旧名称"', stamp(T - 10, REMOTE));
    const result = replayDeferred(ctx.db, ctx.device);
    expect(result.replayed).toBe(2);
    expect(row(ctx, 'enterprises', E1)).toMatchObject({
      contact_person: '马军',
      name: '宁夏瑞泰水泥有限公司',
    });
    expect(countDeferred(ctx.db).total).toBe(0);
  });

  it('keeps a field named __proto__ set aside through a replay, as any unknown field', () => {
    const ctx = device();
    const hostile = JSON.parse(
      `{"table":"enterprises","rowId":"${E1}","values":{"name":"宁夏瑞泰水泥有限公司","cityCode":"6401","createdAt":${T},"__proto__":{"x":1}},"clocks":{"name":"${stamp(T, REMOTE)}","cityCode":"${stamp(T, REMOTE)}","createdAt":"${stamp(T, REMOTE)}","__proto__":"${stamp(T, REMOTE)}"}}`,
    ) as SyncChange;
    applyPullPage(ctx.db, ctx.device, page([hostile]));
    expect(countDeferred(ctx.db).byReason).toEqual({ unknown_field: 1 });
    expect(replayDeferred(ctx.db, ctx.device).replayed).toBe(0);
    expect(countDeferred(ctx.db).byReason).toEqual({ unknown_field: 1 });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps the changes of a table this version does not know', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('reviews', E1, { verdict: '通过' }, stamp(T, REMOTE))]),
    );
    expect(countDeferred(ctx.db).byReason).toEqual({ unknown_table: 1 });
  });

  it('sets aside a pulled value that is not well-formed text, with its reason, and never replays it', () => {
    const ctx = device();
    const clock = stamp(T, REMOTE);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([
        change('enterprises', E1, enterprise({ name: '宁夏\uD800水泥' }), clock),
        change('enterprises', E2, enterprise({ address: '兴庆区\u0000工业园' }), clock),
      ]),
    );
    // E1 lacks its name (the row waits, incomplete); E2 arrives without the bad address.
    expect(row(ctx, 'enterprises', E1)).toBeUndefined();
    expect(row(ctx, 'enterprises', E2)).toMatchObject({ address: null });
    const kept = ctx.db.sqlite
      .prepare(
        "SELECT row_id, field, value FROM sync_deferred WHERE reason = 'bad_text' ORDER BY row_id",
      )
      .all() as { row_id: string; field: string; value: string }[];
    expect(kept.map((k) => [k.row_id, k.field])).toEqual([
      [E1, 'name'],
      [E2, 'address'],
    ]);
    // Kept exactly as it came (JSON escapes the lone surrogate), not dropped.
    expect(JSON.parse(kept[0]!.value)).toBe('宁夏\uD800水泥');
    expect(replayDeferred(ctx.db, ctx.device).replayed).toBe(0);
    expect(countDeferred(ctx.db).byReason).toMatchObject({ bad_text: 2 });
  });

  it('sets aside a pulled answer whose JSON fact hides an ill-formed string in an escape', () => {
    const ctx = device();
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('inspection_answers', E1, { fact: '"\\ud800"' }, stamp(T, REMOTE))]),
    );
    expect(countDeferred(ctx.db).byReason).toEqual({ bad_text: 1 });
  });

  it('sets aside a pulled pinned or library ruleset whose content is not what its id names', () => {
    const ctx = device();
    const json = '{"id":"cement","indicators":[]}';
    const honest = crypto.createHash('sha256').update(json).digest('hex');
    const forged = '{"id":"cement","indicators":[{"forged":true}]}';
    const clock = stamp(T, REMOTE);
    const pin = (id: string, content: string) =>
      change(
        'pinned_rulesets',
        id,
        { rulesetId: 'cement', edition: '2020', json: content, createdAt: T },
        clock,
      );
    applyPullPage(
      ctx.db,
      ctx.device,
      page([
        pin(honest, json),
        pin('0'.repeat(64), forged),
        change(
          'rulesets',
          'a'.repeat(64),
          { rulesetId: 'cement', edition: '2020', json: forged, importedAt: T },
          clock,
        ),
      ]),
    );
    expect(row(ctx, 'pinned_rulesets', honest)).toMatchObject({ json });
    expect(row(ctx, 'pinned_rulesets', '0'.repeat(64))).toBeUndefined();
    expect(row(ctx, 'rulesets', 'a'.repeat(64))).toBeUndefined();
    expect(countDeferred(ctx.db).byReason).toEqual({ forged: 8 });

    // A later change of the honest pin's content is refused the same way: its grade holds.
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('pinned_rulesets', honest, { json: forged }, stamp(T + 1, REMOTE))]),
    );
    expect(row(ctx, 'pinned_rulesets', honest)).toMatchObject({ json });
    expect(replayDeferred(ctx.db, ctx.device).replayed).toBe(0);
    expect(countDeferred(ctx.db).byReason).toEqual({ forged: 9 });
  });

  it('waits for a parent that arrives on a later page', () => {
    const ctx = device();
    const P1 = '0190ffff-0000-7000-8000-0000000000a1';
    const proc = change(
      'enterprise_processes',
      P1,
      { enterpriseId: E1, industryCode: 'cement', branch: '水泥熟料', createdAt: T },
      stamp(T + 1, REMOTE),
    );
    applyPullPage(ctx.db, ctx.device, page([proc], '1', true));
    expect(row(ctx, 'enterprise_processes', P1)).toBeUndefined();
    expect(countDeferred(ctx.db).byReason).toEqual({ parent_missing: 4 });
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '2'),
    );
    expect(row(ctx, 'enterprise_processes', P1)).toMatchObject({ enterprise_id: E1 });
    expect(countDeferred(ctx.db).total).toBe(0);
  });

  it('applies nothing of a page, and keeps the cursor, when the transaction dies before commit', () => {
    const ctx = device();
    applyPullPage(ctx.db, ctx.device, page([], '5'));
    expect(() =>
      applyPullPage(
        ctx.db,
        ctx.device,
        page([change('enterprises', E1, enterprise(), stamp(T, REMOTE))], '9'),
        {
          beforeCommit: () => {
            throw new Error('killed');
          },
        },
      ),
    ).toThrow('killed');
    expect(row(ctx, 'enterprises', E1)).toBeUndefined();
    expect(readSyncSettings(ctx.db).cursor).toBe('5');
    // The search pause rolled back with the page: a local insert is indexed at once.
    expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM search_paused').get()).toEqual({
      n: 0,
    });
  });

  describe('finalized visits', () => {
    function finalizedVisit(ctx: AppContext) {
      const site = createSite(ctx);
      const visit = startVisit(ctx, site).inspection;
      for (const m of getInspectionDetail(ctx, visit.id).members) {
        confirmInspection(ctx, { inspectionId: visit.id, memberId: m.id });
      }
      finalizeInspection(ctx, visit.id);
      return visit;
    }

    it('records a remote change of a finalized visit instead of failing the page', () => {
      const ctx = device();
      const visit = finalizedVisit(ctx);
      const result = applyPullPage(
        ctx.db,
        ctx.device,
        page([
          change('inspections', visit.id, { note: '事后补记' }, stamp(Date.now(), REMOTE)),
          change('enterprises', E1, enterprise(), stamp(T, REMOTE)),
        ]),
      );
      expect(row(ctx, 'inspections', visit.id)?.note).toBeNull();
      expect(row(ctx, 'enterprises', E1)).toBeDefined();
      expect(result.deferred).toBe(1);
      expect(countDeferred(ctx.db).byReason).toEqual({ immutable: 1 });
    });

    it('receives a finalized visit whose rows arrive after it, on later pages', () => {
      const source = device(1);
      const visit = finalizedVisit(source);
      const changes = snapshotChanges(source);
      const target = device(2);
      // The visit first, its members and processes on the next page (as after a city move).
      const visitRows = changes.filter((c) =>
        ['enterprises', 'inspections', 'pinned_rulesets', 'enterprise_processes'].includes(c.table),
      );
      const rest = changes.filter((c) => !visitRows.includes(c));
      applyPullPage(target.db, target.device, page(visitRows, '1', true));
      expect(row(target, 'inspections', visit.id)?.status).toBe('draft');
      applyPullPage(target.db, target.device, page(rest, '2', false));
      expect(row(target, 'inspections', visit.id)?.status).toBe('finalized');
      expect(countDeferred(target.db).total).toBe(0);
      expect(replicaState(target.db)).toEqual(replicaState(source.db));
      expect(outboxCount(target.db)).toBe(0);
    });
  });
});
