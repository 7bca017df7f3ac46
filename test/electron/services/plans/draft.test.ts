/**
 * Drafting a plan from a finalized inspection (electron/services/plans/draft.ts), and the ops the
 * first draft writes.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox, pendingOpCount } from '../../../../db/repositories/device';
import type { AppContext } from '../../../../electron/services/context';
import { createEnterprise } from '../../../../electron/services/enterprises';
import { reviseInspection } from '../../../../electron/services/inspections';
import { draftPlanFor, getPlan, savePlan } from '../../../../electron/services/plans';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { measureId } from '../../../../shared/plan';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  CEMS,
  confirmAndFinalize,
  createSite,
  NOX,
  type Site,
  startSiteInspection,
  TRUCKS,
} from '../../../helpers/inspections';
import { editOf, finalizedInspection } from '../../../helpers/plan';

describe('plan services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('drafting a plan', () => {
    it('drafts one measure per gap to target from the latest finalized visit, with the library’s suggestion', () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 }, '2025-05-01');
      const latest = finalizedInspection(ctx, site, { nox: 120, trucks: 90 }, '2025-06-01');
      // A later draft is not finalized: it is not drafted from.
      startSiteInspection(ctx, site, { date: '2025-07-01' });

      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });

      expect(plan.plan).toMatchObject({
        enterpriseId: site.enterpriseId,
        status: '草稿',
        currentVersion: 1,
        reviewed: null,
        confirmed: null,
      });
      expect(plan.version).toBe(1);
      expect(plan.enterpriseName).toBe('宁夏瑞泰水泥有限公司');
      expect(plan.content).toMatchObject({
        enterpriseId: site.enterpriseId,
        inspectionId: latest.inspection.id,
        targetGrade: 'B',
        taxLimits: [],
        taxReadings: [],
        notes: null,
      });
      expect(plan.content.measures).toEqual([
        {
          id: measureId(site.cementId, NOX),
          direction: '治理设施建设与升级',
          indicatorId: NOX,
          processId: site.cementId,
          processLabel: '1#熟料线',
          title: '窑尾氮氧化物排放浓度',
          current: '120 mg/m³',
          required: '≤ 100 mg/m³',
          measure: '窑尾烟气脱硝改造为 SCR 工艺',
          responsible: '',
          deadline: null,
          investment: null,
          gapStatus: 'unmet',
          libraryId: 'emission.nox',
        },
      ]);
      expect(plan.source).toMatchObject({
        inspectionId: latest.inspection.id,
        date: '2025-06-01',
        type: '帮扶指导',
        grade: 'C',
      });
      expect(plan.source.members.map((m) => m.name)).toEqual(['张伟', '李静']);
      expect(plan.unverified).toBe(true);
      expect(plan.versions).toEqual([
        {
          version: 1,
          savedAt: expect.any(Number) as number,
          comment: expect.stringContaining('起草') as string,
          measures: 1,
        },
      ]);
    });

    it('takes the worst target of the visited processes as the plan’s, and lists what each target brings', () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 90, cems: false });
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(plan.content.targetGrade).toBe('B');
      expect(plan.content.measures.map((m) => [m.direction, m.indicatorId])).toEqual([
        ['治理设施建设与升级', NOX],
        ['自动监测监控能力', CEMS],
      ]);
      expect(plan.benefits.map((b) => [b.label, b.benefits.fromGrade, b.benefits.toGrade])).toEqual(
        [
          ['1#熟料线', 'C', 'B'],
          ['铁合金（电解锰）', '非引领性', '引领性'],
        ],
      );
      const yellow = plan.benefits[0]!.benefits.alerts.find((a) => a.level === 'yellow');
      expect(yellow?.after.map((m) => m.text)).toContain('停止使用国四及以下重型载货车辆');
    });

    it('skips a visit corrected by a finalized revision, and refuses to draft from it when asked', () => {
      const original = finalizedInspection(ctx, site, { nox: 120, trucks: 60 });
      const revision = reviseInspection(ctx, original.inspection.id, '现场复核发现记录有误');
      answer(ctx, revision.inspection.id, site.cementId, TRUCKS, { fact: 95 });
      confirmAndFinalize(ctx, revision.inspection.id);

      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(plan.content.inspectionId).toBe(revision.inspection.id);
      expect(plan.content.measures.map((m) => m.indicatorId)).toEqual([NOX]);

      const error = thrown(() =>
        draftPlanFor(ctx, {
          enterpriseId: site.enterpriseId,
          inspectionId: original.inspection.id,
        }),
      );
      expect(error.code).toBe('conflict');
      expect(error.message).toContain('已由 2025-06-01 的修订版本更正');
    });

    it('refuses, in Chinese, an enterprise without a finalized visit, and writes nothing', () => {
      startSiteInspection(ctx, site);
      const before = pendingOpCount(ctx.db);
      const error = thrown(() => draftPlanFor(ctx, { enterpriseId: site.enterpriseId }));
      expect(error.code).toBe('conflict');
      expect(error.message).toBe(
        '该企业还没有签字确认（定稿）的现场检查记录，不能起草一企一策方案；请先完成现场检查并定稿',
      );
      expect(pendingOpCount(ctx.db)).toBe(before);
      expect(getPlan(ctx, { enterpriseId: site.enterpriseId })).toBeNull();
    });

    it('refuses a draft visit named explicitly, and a visit of another enterprise', () => {
      const draft = startSiteInspection(ctx, site);
      expect(
        thrown(() =>
          draftPlanFor(ctx, { enterpriseId: site.enterpriseId, inspectionId: draft.inspection.id }),
        ).message,
      ).toContain('尚未签字确认');
      const other = createEnterprise(
        ctx,
        EnterpriseDraftSchema.parse({
          name: '宁夏另一家公司',
          cityCode: '6401',
          countyCode: '640104',
        }),
      );
      const visit = finalizedInspection(ctx, site, { nox: 120 });
      const error = thrown(() =>
        draftPlanFor(ctx, { enterpriseId: other.id, inspectionId: visit.inspection.id }),
      );
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('不是该企业的');
    });

    it('re-drafts from a newer visit as a new version that keeps the expert’s edits and hand-added measures', () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 }, '2025-05-01');
      const v1 = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const edit = editOf(v1);
      const nox = edit.measures.find((m) => m.indicatorId === NOX)!;
      Object.assign(nox, {
        measure: '窑尾 SNCR 改 SCR，增设在线监测',
        responsible: '王建国',
        deadline: '2025-12-31',
        investment: 380,
      });
      edit.measures.push({
        id: 'manual-ledger',
        direction: '环境管理',
        title: '环保台账不完整',
        current: '缺少治理设施运行记录',
        required: '台账完整',
        measure: '建立治理设施运行台账',
        responsible: '李静',
        deadline: '2025-09-30',
        investment: 2,
      });
      savePlan(ctx, { id: v1.plan.id, baseVersion: 1, content: edit, comment: '专家修改' });

      // The next visit: trucks now meet B, NOx is better but still over.
      const next = finalizedInspection(ctx, site, { nox: 110, trucks: 85 }, '2025-08-01');
      const v3 = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });

      expect(v3.plan.currentVersion).toBe(3);
      expect(v3.plan.status).toBe('草稿');
      expect(v3.content.inspectionId).toBe(next.inspection.id);
      expect(v3.content.measures.map((m) => m.id)).toEqual([
        measureId(site.cementId, NOX),
        'manual-ledger',
      ]);
      expect(v3.content.measures[0]).toMatchObject({
        current: '110 mg/m³',
        measure: '窑尾 SNCR 改 SCR，增设在线监测',
        responsible: '王建国',
        deadline: '2025-12-31',
        investment: 380,
      });
      expect(v3.content.measures[1]).toMatchObject({ title: '环保台账不完整', investment: 2 });
      expect(v3.versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(v3.versions[2]!.comment).toContain('重新起草');
    });

    it('writes no new version when re-drafting from the same visit changes nothing', () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 });
      const first = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const ops = pendingOpCount(ctx.db);
      const again = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(again.plan.id).toBe(first.plan.id);
      expect(again.plan.currentVersion).toBe(1);
      expect(pendingOpCount(ctx.db)).toBe(ops);
    });
  });

  describe('the first draft’s ops', () => {
    it('inserts the plan and its first version through the outbox', () => {
      finalizedInspection(ctx, site, { nox: 120 });
      const from = listOutbox(ctx.db).at(-1)?.seq ?? 0;
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const ops = listOutbox(ctx.db, from);
      expect(ops.map((o) => [o.table, o.rowId === plan.plan.id])).toEqual([
        ['plans', true],
        ['plan_versions', false],
      ]);
      expect(ops[0]!.values).toMatchObject({
        enterpriseId: site.enterpriseId,
        status: '草稿',
        currentVersion: 1,
      });
    });
  });
});
