/**
 * 专家审定 and 企业确认 of a plan's current version (electron/services/plans/status.ts), which
 * fills the 附件2 columns.
 */

import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../../../db/repositories/device';
import { exportAnnex2 } from '../../../../electron/services/annex2';
import type { AppContext } from '../../../../electron/services/context';
import {
  draftPlanFor,
  listPlans,
  savePlan,
  setPlanStatus,
} from '../../../../electron/services/plans';
import { getProcess } from '../../../../electron/services/processes';
import type { PlanDetail } from '../../../../shared/plan';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';
import { editOf, finalizedInspection } from '../../../helpers/plan';

describe('plan services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('approval and confirmation', () => {
    let plan: PlanDetail;
    beforeEach(() => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 });
      plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    });

    it('records who approved (专家审定) and who confirmed (企业确认) the current version, and when', () => {
      const reviewed = setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 1,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      expect(reviewed.plan.status).toBe('专家审定');
      expect(reviewed.plan.reviewed).toEqual({
        version: 1,
        by: '李静',
        at: expect.any(Number) as number,
        opinion: '同意按此方案实施',
        account: null,
        signature: null,
      });
      const confirmed = setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 1,
        status: '企业确认',
        by: '马玉梅',
        method: '电话确认',
      });
      expect(confirmed.plan.status).toBe('企业确认');
      expect(confirmed.plan.confirmed).toMatchObject({ version: 1, by: '马玉梅' });
      expect(listPlans(ctx, { status: '企业确认' }).map((p) => p.id)).toEqual([plan.plan.id]);
    });

    it('refuses 企业确认 before 专家审定, and either for a version that is not current', () => {
      const early = thrown(() =>
        setPlanStatus(ctx, {
          id: plan.plan.id,
          version: 1,
          status: '企业确认',
          by: '马玉梅',
          method: '电话确认',
        }),
      );
      expect(early.code).toBe('conflict');
      expect(early.message).toBe('方案第 1 版尚未经专家审定，企业不能确认；请先由专家审定');

      const edit = editOf(plan);
      edit.measures[0]!.responsible = '王建国';
      savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      const stale = thrown(() =>
        setPlanStatus(ctx, {
          id: plan.plan.id,
          version: 1,
          status: '专家审定',
          by: '李静',
          opinion: '同意按此方案实施',
        }),
      );
      expect(stale.code).toBe('conflict');
      expect(stale.message).toContain('只能审定方案的当前版本（第 2 版）');
    });

    it('puts an approved plan back to 草稿 on a new version or when reopened, keeping the approval’s stamp', () => {
      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 1,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      const edit = editOf(plan);
      edit.notes = '企业提出分两期实施';
      const v2 = savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      expect(v2.plan.status).toBe('草稿');
      expect(v2.plan.reviewed).toMatchObject({ version: 1, by: '李静' });
      // 企业确认 needs the new version approved first.
      expect(
        thrown(() =>
          setPlanStatus(ctx, {
            id: plan.plan.id,
            version: 2,
            status: '企业确认',
            by: '马玉梅',
            method: '电话确认',
          }),
        ).code,
      ).toBe('conflict');

      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 2,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 2,
        status: '企业确认',
        by: '马玉梅',
        method: '电话确认',
      });
      expect(
        thrown(() =>
          setPlanStatus(ctx, {
            id: plan.plan.id,
            version: 2,
            status: '专家审定',
            by: '李静',
            opinion: '同意按此方案实施',
          }),
        ).message,
      ).toContain('已由企业确认');
      const reopened = setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 2,
        status: '草稿',
        by: '李静',
      });
      expect(reopened.plan.status).toBe('草稿');
      expect(reopened.plan.confirmed).toMatchObject({ version: 2, by: '马玉梅' });
    });

    it('fills the process’s 附件2 columns on 企业确认, and the exported list shows them', async () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 }, '2025-07-01');
      const fresh = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const edit = editOf(fresh);
      edit.measures[0]!.deadline = '2025-10-31';
      edit.measures[1]!.deadline = '2026-03-31';
      const v = savePlan(ctx, {
        id: fresh.plan.id,
        baseVersion: fresh.plan.currentVersion,
        content: edit,
      });
      const changes: string[][] = [];
      const off = ctx.events.subscribe((event, payload) => {
        if (event === 'data.changed') changes.push((payload as { tables: string[] }).tables);
      });
      setPlanStatus(ctx, {
        id: v.plan.id,
        version: v.version,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      setPlanStatus(ctx, {
        id: v.plan.id,
        version: v.version,
        status: '企业确认',
        by: '马玉梅',
        method: '电话确认',
      });
      off();
      expect(changes).toEqual([['plans'], ['plans', 'enterprise_processes']]);

      const cement = getProcess(ctx, site.cementId);
      expect(cement).toMatchObject({
        differentiators:
          '1.窑尾氮氧化物排放浓度：≤ 100 mg/m³\n2.物料公路运输使用国五及以上或新能源车辆比例：≥ 80%',
        problems:
          '1.窑尾氮氧化物排放浓度：120 mg/m³\n2.物料公路运输使用国五及以上或新能源车辆比例：60%',
        improvements: '1.窑尾烟气脱硝改造为 SCR 工艺\n2.提高国五及以上或新能源车辆运输比例',
        dueDate: '2026-03-31',
      });
      // The manganese process had no measures: its columns stay as they were.
      expect(getProcess(ctx, site.manganeseId)).toMatchObject({
        differentiators: null,
        improvements: null,
        dueDate: null,
      });

      const exported = await exportAnnex2(ctx, {});
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exported.data as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      let row: ExcelJS.Row | undefined;
      ws.eachRow((r) => {
        if (r.getCell(6).value === '水泥熟料') row = r;
      });
      expect(row).toBeDefined();
      expect(row!.getCell(4).value).toBe('宁夏瑞泰水泥有限公司');
      expect(row!.getCell(9).value).toBe(cement.differentiators);
      expect(row!.getCell(10).value).toBe(cement.problems);
      expect(row!.getCell(11).value).toBe(cement.improvements);
      expect(row!.getCell(12).value).toBe('2026年3月31日');
    });

    it('records the plan’s writes and the process columns as ops in the outbox', () => {
      const from = listOutbox(ctx.db).at(-1)?.seq ?? 0;
      const edit = editOf(plan);
      edit.measures[0]!.deadline = '2025-10-31';
      savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 2,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 2,
        status: '企业确认',
        by: '马玉梅',
        method: '电话确认',
      });
      const ops = listOutbox(ctx.db, from);
      expect(ops.map((o) => o.table)).toEqual([
        'plan_versions',
        'plans',
        'plans',
        'plans',
        'enterprise_processes',
      ]);
      expect(ops[0]!.values).toMatchObject({ planId: plan.plan.id, version: 2 });
      expect(JSON.parse(ops[0]!.values.content as string)).toMatchObject({
        measures: [{ deadline: '2025-10-31' }, {}],
      });
      expect(ops[1]!.values).toEqual({ currentVersion: 2 });
      expect(ops[3]!.values).toMatchObject({ status: '企业确认', confirmedBy: '马玉梅' });
      expect(ops[4]!.values).toMatchObject({ dueDate: '2025-10-31' });
    });
  });
});
