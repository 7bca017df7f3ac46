/**
 * Tests of db/sync-apply: values set aside: unknown fields and tables (replayed after an upgrade),
 * ill-formed text, forged rulesets.
 */

import crypto from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { countDeferred } from '../../../db/repositories/sync';
import { applyPullPage, replayDeferred } from '../../../db/sync-apply';
import type { SyncChange } from '../../../shared/sync/protocol';
import { stamp } from '../../helpers/sync';
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
});
