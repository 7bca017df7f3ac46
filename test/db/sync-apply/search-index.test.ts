/**
 * Tests of db/sync-apply: the registry search while pages are applied: paused for a pull, caught
 * up between pages and at its end.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { catchUpSearchIndex, searchIndexPaused } from '../../../db/repositories/enterprises';
import { applyPullPage } from '../../../db/sync-apply';
import { listEnterprises } from '../../../electron/services/enterprises';
import { createSite } from '../../helpers/inspections';
import { closeAppContext, createDevice, SharedClock, stamp } from '../../helpers/sync';
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
  const { device, opened } = deviceOpener();

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
});
