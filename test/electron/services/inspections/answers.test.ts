/**
 * Answers (electron/services/inspections/answers.ts): autosave, and every answer checked against
 * the pinned ruleset.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox, pendingOpCount } from '../../../../db/repositories/device';
import { type AppContext, closeAppContext } from '../../../../electron/services/context';
import { createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  CEMS,
  createSite,
  NOX,
  type Site,
  startSiteInspection,
  TRUCKS,
} from '../../../helpers/inspections';

describe('inspection services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('autosave', () => {
    it('saves one answer in one transaction that records only what changed', () => {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      const ops = () => listOutbox(ctx.db, 0, 10_000);
      const start = ops().length;

      const first = answer(ctx, id, site.cementId, NOX, { fact: 85 });
      expect(first.changed).toBe(true);
      expect(ops().slice(start)).toHaveLength(1);
      expect(ops().at(-1)).toMatchObject({
        table: 'inspection_answers',
        rowId: first.answer!.id,
        values: {
          inspectionId: id,
          indicatorId: NOX,
          fact: '85',
          note: null,
        },
      });

      // The same value again: nothing written, no op.
      const same = answer(ctx, id, site.cementId, NOX, { fact: 85 });
      expect(same.changed).toBe(false);
      expect(ops().slice(start)).toHaveLength(1);

      // Only the note: the op carries only the note.
      answer(ctx, id, site.cementId, NOX, { note: '窑尾 CEMS 小时均值' });
      expect(ops().at(-1)).toMatchObject({
        rowId: first.answer!.id,
        values: { note: '窑尾 CEMS 小时均值' },
      });
      expect(Object.keys(ops().at(-1)!.values)).toEqual(['note']);

      // Several readings replace the one; then clearing the fact makes it unknown again.
      answer(ctx, id, site.cementId, NOX, { fact: [85, 92] });
      expect(ops().at(-1)!.values).toEqual({ fact: '[85,92]' });
      const cleared = answer(ctx, id, site.cementId, NOX, { fact: null });
      expect(ops().at(-1)!.values).toEqual({ fact: null });
      expect(cleared.answer).toMatchObject({ fact: null, note: '窑尾 CEMS 小时均值' });
      expect(ops().slice(start)).toHaveLength(4);
    });

    it('accepts "n/a" for an indicator that does not apply to the site', () => {
      const visit = startSiteInspection(ctx, site);
      const saved = answer(ctx, visit.inspection.id, site.cementId, TRUCKS, { fact: 'n/a' });
      expect(saved.answer?.fact).toBe('n/a');
      // n/a meets every requirement: B now lacks only the NOx reading.
      expect(saved.grading.processes[0]!.gapsToTarget?.map((g) => g.indicatorId)).toEqual([NOX]);
    });
  });

  describe('answers are checked against the pinned ruleset', () => {
    it('refuses a word where a reading belongs, naming the indicator, and writes nothing', () => {
      const visit = startSiteInspection(ctx, site);
      const before = pendingOpCount(ctx.db);
      const err = thrown(() =>
        answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: '很低' }),
      );
      expect(err.code).toBe('invalid_input');
      expect(err.message).toBe(
        '指标“窑尾氮氧化物排放浓度”（emission.kiln-tail.nox）读数：“很低”不是数值，请填写数字（如 42.5），未保存，原有的值保留不变',
      );
      expect(err.issues).toEqual([{ path: 'fact', message: err.message }]);
      const among = thrown(() =>
        answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: [42, '偏高'] }),
      );
      expect(among.message).toBe(
        '指标“窑尾氮氧化物排放浓度”（emission.kiln-tail.nox）第 2 个读数：“偏高”不是数值，请填写数字（如 42.5），未保存，原有的值保留不变',
      );
      expect(pendingOpCount(ctx.db)).toBe(before);
    });

    it('refuses yes/no answers that are not yes or no, and indicators the ruleset lacks', () => {
      const visit = startSiteInspection(ctx, site, { processIds: [site.manganeseId] });
      const id = visit.inspection.id;
      expect(thrown(() => answer(ctx, id, site.manganeseId, CEMS, { fact: 1 })).message).toContain(
        '指标“CEMS 联网”（monitoring.cems）应为 true、false 或 "n/a"',
      );
      expect(thrown(() => answer(ctx, id, site.manganeseId, NOX, { fact: 1 })).message).toBe(
        `指标体系 manganese-leading（2020 版）中没有指标 ${NOX}`,
      );
      expect(thrown(() => answer(ctx, id, site.cementId, NOX, { fact: 1 })).code).toBe('not_found');
    });
  });
});
