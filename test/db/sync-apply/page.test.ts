/**
 * Tests of db/sync-apply: applying a pull page: remote rows with their clocks, the cursor, the
 * same change again, the device clock, parents on later pages, a page whose transaction dies.
 */

import { describe, expect, it } from 'vitest';

import { fieldClock, writeChanges } from '../../../db/changes';
import { listOutbox } from '../../../db/repositories/device';
import { countDeferred, readSyncSettings } from '../../../db/repositories/sync';
import { applyPullPage, replayDeferred } from '../../../db/sync-apply';
import { parseHlc } from '../../../shared/sync/hlc';
import type { SyncChange } from '../../../shared/sync/protocol';
import { outboxCount, stamp } from '../../helpers/sync';
import {
  change,
  deviceOpener,
  E1,
  E2,
  enterprise,
  page,
  REMOTE,
  row,
  T,
} from '../../helpers/sync-apply';

describe('applyPullPage()', () => {
  const { device } = deviceOpener();

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
});
