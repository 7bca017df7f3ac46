/**
 * Saving a plan's edits as versions (electron/services/plans/save.ts).
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingOpCount } from '../../../../db/repositories/device';
import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { draftPlanFor, getPlan, savePlan } from '../../../../electron/services/plans';
import type { PlanDetail, PlanEditInput } from '../../../../shared/plan';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';
import { editOf, finalizedInspection, planRowCount } from '../../../helpers/plan';

describe('plan services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('saving edits', () => {
    let plan: PlanDetail;
    beforeEach(() => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 });
      plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    });

    it('saves each edit as a new version and keeps every earlier version readable', () => {
      const edit = editOf(plan);
      edit.measures[0]!.responsible = '王建国';
      const v2 = savePlan(ctx, {
        id: plan.plan.id,
        baseVersion: 1,
        content: edit,
        comment: '填写责任人',
      });
      expect(v2.plan.currentVersion).toBe(2);
      expect(v2.content.measures[0]!.responsible).toBe('王建国');
      expect(v2.versions.map((v) => [v.version, v.comment])).toEqual([
        [1, expect.stringContaining('起草')],
        [2, '填写责任人'],
      ]);
      const old = getPlan(ctx, { id: plan.plan.id, version: 1 });
      expect(old?.version).toBe(1);
      expect(old?.content.measures[0]!.responsible).toBe('');
      expect(thrown(() => getPlan(ctx, { id: plan.plan.id, version: 9 })).message).toContain(
        '方案没有第 9 版',
      );
    });

    it('refuses a save based on a version that is no longer current, and writes nothing', () => {
      const mine = editOf(plan);
      mine.measures[0]!.responsible = '王建国';
      const theirs = editOf(plan);
      theirs.measures[0]!.responsible = '马志刚';
      savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: mine });
      const ops = pendingOpCount(ctx.db);
      const error = thrown(() =>
        savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: theirs }),
      );
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(
        '方案已有更新的版本（当前为第 2 版），您的修改基于第 1 版，未保存',
      );
      expect(pendingOpCount(ctx.db)).toBe(ops);
      expect(getPlan(ctx, { id: plan.plan.id })?.content.measures[0]!.responsible).toBe('王建国');
    });

    it('writes nothing when the content saved is the current one', () => {
      const ops = pendingOpCount(ctx.db);
      const same = savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: editOf(plan) });
      expect(same.plan.currentVersion).toBe(1);
      expect(pendingOpCount(ctx.db)).toBe(ops);
    });

    const hostile: [string, (edit: PlanEditInput) => unknown, string][] = [
      [
        'a deadline that is no day',
        (e) => (e.measures[0]!.deadline = '2025-02-30'),
        '整改措施第 1 条：完成期限应为日期 YYYY-MM-DD，例如 2025-09-30',
      ],
      [
        'a negative investment',
        (e) => (e.measures[0]!.investment = -5),
        '整改措施第 1 条：预计投资（万元）不能小于0万元',
      ],
      [
        'an unknown field in a measure',
        (e) => Object.assign(e.measures[0]!, { colour: 'red' }),
        '整改措施第 1 条：整改措施中有未知字段：colour',
      ],
      [
        'an unknown field in the plan',
        (e) => Object.assign(e, { approvedBy: '自己' }),
        '方案中有未知字段：approvedBy',
      ],
      [
        'two measures with one id',
        (e) => e.measures.push({ ...e.measures[0]! }),
        `措施编号 ${'gap:'}`,
      ],
      [
        'a measure of a process the enterprise does not have',
        (e) => (e.measures[0]!.processId = '01900000-0000-7000-8000-00000000ffff'),
        '整改措施第 1 条：工序编号 01900000-0000-7000-8000-00000000ffff 不是该企业的行业或工序',
      ],
      [
        'another enterprise’s id',
        (e) => (e.enterpriseId = '01900000-0000-7000-8000-00000000eeee'),
        '方案内容中的企业编号 01900000-0000-7000-8000-00000000eeee 与方案所属企业不符',
      ],
      [
        'another visit’s id',
        (e) => (e.inspectionId = '01900000-0000-7000-8000-00000000dddd'),
        '与方案所依据的检查记录不符',
      ],
    ];

    for (const [what, spoil, message] of hostile) {
      it(`refuses ${what} with a Chinese message naming the field, and changes nothing`, async () => {
        const edit = editOf(plan);
        spoil(edit);
        const ops = pendingOpCount(ctx.db);
        const versions = planRowCount(ctx);
        const error = thrown(() =>
          savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit }),
        );
        expect(error.code).toBe('invalid_input');
        expect(error.message).toContain(message);
        // The API refuses it the same way, before or in the service.
        const viaApi = await dispatch(ctx, 'plan.save', {
          id: plan.plan.id,
          baseVersion: 1,
          content: edit,
        });
        expect(viaApi).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        expect(pendingOpCount(ctx.db)).toBe(ops);
        expect(planRowCount(ctx)).toBe(versions);
        expect(getPlan(ctx, { id: plan.plan.id })?.plan.currentVersion).toBe(1);
      });
    }

    it('estimates the environmental-tax reduction from the limits and readings saved with the plan', () => {
      const edit = editOf(plan);
      edit.taxLimits = [
        {
          outletId: 'DA001',
          pollutant: '氮氧化物',
          limit: 400,
          unit: 'mg/m³',
          standard: 'GB 4915-2013',
        },
      ];
      edit.taxReadings = [
        { outletId: 'DA001', pollutant: '氮氧化物', value: 180 },
        { outletId: 'DA001', pollutant: '氮氧化物', value: 190 },
      ];
      const saved = savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      expect(saved.tax.lines).toHaveLength(1);
      expect(saved.tax.lines[0]).toMatchObject({ mean: 185, tier: '50%' });
    });
  });
});
