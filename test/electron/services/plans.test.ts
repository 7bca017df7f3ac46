import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox, pendingOpCount } from '../../../db/repositories/device';
import { dispatch } from '../../../electron/api';
import { exportAnnex2 } from '../../../electron/services/annex2';
import type { AppContext } from '../../../electron/services/context';
import { createEnterprise } from '../../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  reviseInspection,
} from '../../../electron/services/inspections';
import {
  deletePlan,
  draftPlanFor,
  fitLines,
  getPlan,
  listPlans,
  savePlan,
  setPlanStatus,
} from '../../../electron/services/plans';
import { getProcess } from '../../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../../shared/domain/enterprise';
import type { InspectionDetail } from '../../../shared/domain/inspection';
import { measureId, type PlanDetail, type PlanEditInput } from '../../../shared/plan';
import { closeAppContext, createTestContext } from '../../helpers/context';
import { thrown } from '../../helpers/errors';
import {
  answer,
  CEMS,
  createSite,
  NOX,
  startVisit,
  TRUCKS,
  type Site,
} from '../../helpers/inspections';

/** Answers a visit of the cement line (and optionally the manganese one), confirms and finalizes it. */
function finalizedVisit(
  ctx: AppContext,
  site: Site,
  facts: { nox?: number; trucks?: number; cems?: boolean },
  date = '2025-06-01',
): InspectionDetail {
  const withManganese = facts.cems !== undefined;
  const visit = startVisit(ctx, site, {
    date,
    processIds: withManganese ? [site.cementId, site.manganeseId] : [site.cementId],
  });
  const id = visit.inspection.id;
  if (facts.nox !== undefined) answer(ctx, id, site.cementId, NOX, { fact: facts.nox });
  if (facts.trucks !== undefined) answer(ctx, id, site.cementId, TRUCKS, { fact: facts.trucks });
  if (facts.cems !== undefined) answer(ctx, id, site.manganeseId, CEMS, { fact: facts.cems });
  return finalize(ctx, id);
}

function finalize(ctx: AppContext, id: string): InspectionDetail {
  const members = startedMembers(ctx, id);
  for (const memberId of members) confirmInspection(ctx, { inspectionId: id, memberId });
  return finalizeInspection(ctx, id);
}

function startedMembers(ctx: AppContext, id: string): string[] {
  return (
    ctx.db.sqlite
      .prepare('SELECT id FROM inspection_members WHERE inspection_id = ? AND deleted = 0')
      .all(id) as { id: string }[]
  ).map((r) => r.id);
}

/** The content of a plan as an edit, to change and save. */
function editOf(plan: PlanDetail): PlanEditInput {
  return structuredClone(plan.content);
}

function planRowCount(ctx: AppContext): number {
  return (ctx.db.sqlite.prepare('SELECT count(*) AS n FROM plan_versions').get() as { n: number })
    .n;
}

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
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 }, '2025-05-01');
      const latest = finalizedVisit(ctx, site, { nox: 120, trucks: 90 }, '2025-06-01');
      // A later draft is not finalized: it is not drafted from.
      startVisit(ctx, site, { date: '2025-07-01' });

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
      finalizedVisit(ctx, site, { nox: 120, trucks: 90, cems: false });
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
      const original = finalizedVisit(ctx, site, { nox: 120, trucks: 60 });
      const revision = reviseInspection(ctx, original.inspection.id, '现场复核发现记录有误');
      answer(ctx, revision.inspection.id, site.cementId, TRUCKS, { fact: 95 });
      finalize(ctx, revision.inspection.id);

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
      startVisit(ctx, site);
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
      const draft = startVisit(ctx, site);
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
      const visit = finalizedVisit(ctx, site, { nox: 120 });
      const error = thrown(() =>
        draftPlanFor(ctx, { enterpriseId: other.id, inspectionId: visit.inspection.id }),
      );
      expect(error.code).toBe('invalid_input');
      expect(error.message).toContain('不是该企业的');
    });

    it('re-drafts from a newer visit as a new version that keeps the expert’s edits and hand-added measures', () => {
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 }, '2025-05-01');
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
      const next = finalizedVisit(ctx, site, { nox: 110, trucks: 85 }, '2025-08-01');
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
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 });
      const first = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const ops = pendingOpCount(ctx.db);
      const again = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(again.plan.id).toBe(first.plan.id);
      expect(again.plan.currentVersion).toBe(1);
      expect(pendingOpCount(ctx.db)).toBe(ops);
    });
  });

  describe('saving edits', () => {
    let plan: PlanDetail;
    beforeEach(() => {
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 });
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

  describe('approval and confirmation', () => {
    let plan: PlanDetail;
    beforeEach(() => {
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 });
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
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 }, '2025-07-01');
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

  describe('the first draft’s ops', () => {
    it('inserts the plan and its first version through the outbox', () => {
      finalizedVisit(ctx, site, { nox: 120 });
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

  describe('listing and deleting', () => {
    it('lists plans with their target, measures and total investment', () => {
      finalizedVisit(ctx, site, { nox: 120, trucks: 60 });
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const edit = editOf(plan);
      edit.measures[0]!.investment = 380;
      edit.measures[1]!.investment = 12.5;
      savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      expect(listPlans(ctx, {})).toEqual([
        expect.objectContaining({
          id: plan.plan.id,
          enterpriseName: '宁夏瑞泰水泥有限公司',
          status: '草稿',
          currentVersion: 2,
          targetGrade: 'B',
          measures: 2,
          investment: 392.5,
        }),
      ]);
      expect(listPlans(ctx, { status: '专家审定' })).toEqual([]);
    });

    it('deletes a plan as a tombstone; drafting again starts a new plan', () => {
      finalizedVisit(ctx, site, { nox: 120 });
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      deletePlan(ctx, plan.plan.id);
      expect(getPlan(ctx, { id: plan.plan.id })).toBeNull();
      expect(getPlan(ctx, { enterpriseId: site.enterpriseId })).toBeNull();
      expect(listPlans(ctx)).toEqual([]);
      expect(
        ctx.db.sqlite.prepare('SELECT deleted FROM plans WHERE id = ?').get(plan.plan.id),
      ).toEqual({ deleted: 1 });
      expect(listOutbox(ctx.db).at(-1)).toMatchObject({
        table: 'plans',
        rowId: plan.plan.id,
        values: { deleted: true },
      });
      const again = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(again.plan.id).not.toBe(plan.plan.id);
      expect(again.plan.currentVersion).toBe(1);
      expect(thrown(() => deletePlan(ctx, plan.plan.id)).code).toBe('not_found');
    });
  });
});

describe('fitLines()', () => {
  it('numbers several lines and writes one line as it is', () => {
    expect(fitLines(['甲'])).toBe('甲');
    expect(fitLines(['甲', '', '乙'])).toBe('1.甲\n2.乙');
    expect(fitLines([])).toBeNull();
  });

  it('keeps whole lines within the limit and says how many were left out', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `第${i + 1}项措施：${'改'.repeat(60)}`);
    const text = fitLines(lines, 2000)!;
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.startsWith('1.第1项措施')).toBe(true);
    expect(text).toMatch(/\n…（另有 \d+ 项，详见一企一策方案）$/);
    const kept = text.split('\n').filter((l) => /^\d+\./.test(l)).length;
    const left = Number(/另有 (\d+) 项/.exec(text)![1]);
    expect(kept + left).toBe(50);
  });

  it('cuts a line too long for the cell with an ellipsis', () => {
    const text = fitLines(['很'.repeat(3000)], 2000)!;
    expect(text).toHaveLength(2000);
    expect(text.endsWith('很…')).toBe(true);
  });
});
