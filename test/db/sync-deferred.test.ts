import { afterEach, describe, expect, it } from 'vitest';

import { countDeferred, listDeferred } from '../../db/repositories/sync';
import { applyBundleOps, applyPullPage } from '../../db/sync-apply';
import { dispatch } from '../../electron/api';
import type { AppContext } from '../../electron/services/context';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import type { SyncChange } from '../../shared/sync/protocol';
import type { DeferredPage } from '../../shared/sync/status';
import { createSite, startSiteInspection } from '../helpers/inspections';
import { closeAppContext, createDevice, SharedClock, stamp } from '../helpers/sync';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const REMOTE = '0190ffff-0000-7000-8000-000000000001';
const E1 = '0190ffff-0000-7000-8000-0000000000e1';
const E2 = '0190ffff-0000-7000-8000-0000000000e2';
const P1 = '0190ffff-0000-7000-8000-0000000000a1';
const R1 = '0190ffff-0000-7000-8000-0000000000b1';

function enterprise(name: string): Record<string, unknown> {
  return { name, cityCode: '6401', countyCode: '640104', createdAt: T };
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

function pull(ctx: AppContext, changes: SyncChange[], more = false): void {
  applyPullPage(ctx.db, ctx.device, { changes, cursor: '1', more });
}

const ALL = { limit: 50, offset: 0 };

describe('the list of remote values set aside', () => {
  const opened: AppContext[] = [];
  const device = (n = 1, clock = new SharedClock()) => {
    const ctx = createDevice(n, clock);
    opened.push(ctx);
    return ctx;
  };
  afterEach(() => {
    for (const c of opened.splice(0)) closeAppContext(c);
  });

  it('is empty, with totals of zero, when nothing was set aside', () => {
    expect(listDeferred(device().db, ALL)).toEqual({ rows: [], total: 0, values: 0 });
  });

  it('shows a field this version does not know, under the enterprise it belongs to', () => {
    const ctx = device();
    pull(ctx, [
      change(
        'enterprises',
        E1,
        { ...enterprise('宁夏瑞泰水泥有限公司'), gradeLevel: 'A', gradeNote: { by: '专家', n: 2 } },
        stamp(T, REMOTE),
      ),
    ]);
    const page = listDeferred(ctx.db, ALL);
    expect(page).toMatchObject({ total: 1, values: 2 });
    expect(page.rows).toEqual([
      {
        table: 'enterprises',
        rowId: E1,
        label: '宁夏瑞泰水泥有限公司',
        fields: [
          {
            field: 'gradeLevel',
            value: 'A',
            clock: stamp(T, REMOTE),
            reason: 'unknown_field',
            source: 'server',
            createdAt: expect.any(Number) as number,
          },
          {
            field: 'gradeNote',
            value: { by: '专家', n: 2 },
            clock: stamp(T, REMOTE),
            reason: 'unknown_field',
            source: 'server',
            createdAt: expect.any(Number) as number,
          },
        ],
        clock: stamp(T, REMOTE),
        reasons: ['unknown_field'],
        sources: ['server'],
        createdAt: page.rows[0]?.fields[0]?.createdAt,
      },
    ]);
  });

  it('counts the same values as the status does', () => {
    const ctx = device();
    pull(ctx, [
      change('enterprises', E1, { ...enterprise('宁夏瑞泰水泥有限公司'), x: 1 }, stamp(T, REMOTE)),
      change('reviews', R1, { enterpriseId: E1, verdict: '通过' }, stamp(T, REMOTE)),
    ]);
    expect(listDeferred(ctx.db, ALL).values).toBe(countDeferred(ctx.db).total);
    expect(listDeferred(ctx.db, ALL).values).toBe(3);
  });

  it('lists the rows most recently set aside first', () => {
    const ctx = device();
    pull(ctx, [change('reviews', R1, { verdict: '通过' }, stamp(T, REMOTE))]);
    pull(ctx, [
      change('enterprises', E1, { ...enterprise('宁夏瑞泰水泥有限公司'), x: 1 }, stamp(T, REMOTE)),
    ]);
    pull(ctx, [
      change('enterprises', E2, { ...enterprise('宁夏金鼎建材有限公司'), x: 2 }, stamp(T, REMOTE)),
    ]);
    expect(listDeferred(ctx.db, ALL).rows.map((r) => r.rowId)).toEqual([E2, E1, R1]);
  });

  it('pages through the rows, and the totals stay those of the whole list', () => {
    const ctx = device();
    const ids = Array.from({ length: 5 }, (_, i) => `0190ffff-0000-7000-8000-00000000010${i}`);
    for (const id of ids) pull(ctx, [change('reviews', id, { verdict: '通过' }, stamp(T, REMOTE))]);
    const first = listDeferred(ctx.db, { limit: 2, offset: 0 });
    const second = listDeferred(ctx.db, { limit: 2, offset: 2 });
    const last = listDeferred(ctx.db, { limit: 2, offset: 4 });
    expect([first, second, last].map((p) => p.rows.length)).toEqual([2, 2, 1]);
    expect([first, second, last].every((p) => p.total === 5 && p.values === 5)).toBe(true);
    const seen = [first, second, last].flatMap((p) => p.rows.map((r) => r.rowId));
    expect(seen).toEqual([...ids].reverse());
  });

  it('groups the fields of one row, with the newest clock and each reason once', () => {
    const ctx = device();
    pull(ctx, [
      change(
        'enterprise_processes',
        P1,
        { enterpriseId: E1, industryCode: 'cement', branch: '水泥熟料', createdAt: T },
        stamp(T + 1, REMOTE),
      ),
    ]);
    pull(ctx, [change('enterprise_processes', P1, { kilnCount: 2 }, stamp(T + 9, REMOTE))]);
    const [row] = listDeferred(ctx.db, ALL).rows;
    expect(row?.fields.map((f) => [f.field, f.reason])).toEqual([
      ['branch', 'parent_missing'],
      ['createdAt', 'parent_missing'],
      ['enterpriseId', 'parent_missing'],
      ['industryCode', 'parent_missing'],
      ['kilnCount', 'unknown_field'],
    ]);
    expect(row?.clock).toBe(stamp(T + 9, REMOTE));
    expect(row?.reasons).toEqual(['unknown_field', 'parent_missing']);
    // The enterprise has not arrived: nothing names the row yet.
    expect(row?.label).toBeNull();
  });

  it('names a row under an enterprise after the enterprise, from this device or from what waits', () => {
    const ctx = device();
    const site = createSite(ctx, '宁夏青铜峡水泥股份有限公司');
    pull(ctx, [
      // A table of a newer version, under an enterprise this device has.
      change('reviews', R1, { enterpriseId: site.enterpriseId, verdict: '通过' }, stamp(T, REMOTE)),
      // A newer field of one of its processes.
      change('enterprise_processes', site.cementId, { kilnCount: 2 }, stamp(T, REMOTE)),
      // A row under a plan nobody has.
      change('plan_notes', P1, { planId: E2, text: '补充说明' }, stamp(T, REMOTE)),
    ]);
    const labels = Object.fromEntries(
      listDeferred(ctx.db, ALL).rows.map((r) => [r.table, r.label]),
    );
    expect(labels).toEqual({
      reviews: '宁夏青铜峡水泥股份有限公司',
      enterprise_processes: '宁夏青铜峡水泥股份有限公司',
      plan_notes: null,
    });
  });

  it('names an enterprise that waits by the name it arrived with', () => {
    const ctx = device();
    // A process first, then its enterprise with a value SQLite refuses (not a number).
    pull(ctx, [
      change(
        'enterprise_processes',
        P1,
        { enterpriseId: E1, industryCode: 'cement', branch: '水泥熟料', createdAt: T },
        stamp(T, REMOTE),
      ),
      change(
        'enterprises',
        E1,
        { name: '宁夏金鼎建材有限公司', cityCode: '6401' },
        stamp(T, REMOTE),
      ),
    ]);
    const page = listDeferred(ctx.db, ALL);
    expect(page.rows.map((r) => [r.table, r.label])).toEqual(
      expect.arrayContaining([
        ['enterprises', '宁夏金鼎建材有限公司'],
        ['enterprise_processes', '宁夏金鼎建材有限公司'],
      ]),
    );
    expect(page.rows.find((r) => r.table === 'enterprises')?.reasons).toEqual(['incomplete']);
  });

  it('names a finalized visit’s refused change after its enterprise', () => {
    const ctx = device();
    const site = createSite(ctx, '宁夏赛马水泥有限公司');
    const visit = startSiteInspection(ctx, site).inspection;
    for (const m of getInspectionDetail(ctx, visit.id).members) {
      confirmInspection(ctx, { inspectionId: visit.id, memberId: m.id });
    }
    finalizeInspection(ctx, visit.id);
    pull(ctx, [change('inspections', visit.id, { note: '事后补记' }, stamp(Date.now(), REMOTE))]);
    const [row] = listDeferred(ctx.db, ALL).rows;
    expect(row).toMatchObject({
      table: 'inspections',
      label: '宁夏赛马水泥有限公司',
      reasons: ['immutable'],
      fields: [{ field: 'note', value: '事后补记' }],
    });
  });

  it('says a value came from a USB bundle and which device wrote it', () => {
    const ctx = device();
    const other = '0190eeee-0000-7000-8000-000000000009';
    applyBundleOps(
      ctx.db,
      ctx.device,
      other,
      [
        {
          opId: '0190eeee-0000-7000-8000-000000000101',
          deviceId: other,
          seq: 1,
          table: 'reviews',
          rowId: R1,
          values: { verdict: '通过' },
          hlc: stamp(T, other),
        },
      ],
      T + 60_000,
    );
    expect(listDeferred(ctx.db, ALL).rows[0]?.sources).toEqual([`bundle:${other}`]);
  });

  it('is one API method, with a page of 50 by default and a bounded page size', async () => {
    const ctx = device();
    pull(ctx, [change('reviews', R1, { verdict: '通过' }, stamp(T, REMOTE))]);
    const answer = await dispatch(ctx, 'sync.listDeferred', {});
    expect(answer.ok).toBe(true);
    if (answer.ok) expect((answer.value as DeferredPage).total).toBe(1);
    expect(await dispatch(ctx, 'sync.listDeferred', { limit: 10_000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
  });
});
