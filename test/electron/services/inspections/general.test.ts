import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../../db/repositories/device';
import { exportAnnex2 } from '../../../../electron/services/annex2';
import type { AppContext } from '../../../../electron/services/context';
import { getInspectionDetail } from '../../../../electron/services/inspections';
import { exportVisitPdf } from '../../../../electron/services/pdf/visit-record';
import { draftPlanFor, setPlanStatus } from '../../../../electron/services/plans';
import { createEnterprise } from '../../../../electron/services/enterprises';
import { createProcess, getProcess, updateProcess } from '../../../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { ProcessDraftSchema, type ProcessDraftInput } from '../../../../shared/domain/process';
import { DIMENSIONS, validateRuleset } from '../../../../shared/grading';
import { problemMeasureId } from '../../../../shared/plan';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { keepArtifacts, pdfText, squeeze } from '../../../helpers/pdf';
import {
  answer,
  confirmAndFinalize,
  createSite,
  startSiteInspection,
  type Site,
} from '../../../helpers/inspections';

/** The 通用帮扶检查表's indicator ids, in the guideline's order of dimensions. */
const EQUIPMENT = 'general.equipment';
const TREATMENT = 'general.treatment';
const EMISSION = 'general.emission';
const FUGITIVE = 'general.fugitive';
const TRANSPORT = 'general.transport';

function addProcess(ctx: AppContext, site: Site, over: Partial<ProcessDraftInput>): string {
  return createProcess(ctx, ProcessDraftSchema.parse({ enterpriseId: site.enterpriseId, ...over }))
    .id;
}

/** An enterprise with no process yet. */
function bareSite(ctx: AppContext): Site {
  const enterpriseId = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({
      name: '宁夏某某新材料有限公司',
      cityCode: '6402',
      countyCode: '640202',
    }),
  ).id;
  return { enterpriseId, cementId: '', manganeseId: '' };
}

/** Judges every dimension of a general-checklist process at `level`, except those given. */
function judgeAll(
  ctx: AppContext,
  inspectionId: string,
  processId: string,
  level: string,
  except: Record<string, string> = {},
): void {
  const detail = getInspectionDetail(ctx, inspectionId);
  const process = detail.processes.find((p) => p.processId === processId)!;
  for (const indicator of process.ruleset.ruleset!.indicators) {
    answer(ctx, inspectionId, processId, indicator.id, {
      fact: except[indicator.id] ?? level,
    });
  }
}

describe('visits with the 通用帮扶检查表', () => {
  let ctx: AppContext;
  let site: Site;
  let smelterId: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    // 电炉法铁合金 has no ruleset: most of Ningxia's list is like it.
    smelterId = addProcess(ctx, site, {
      industryCode: 'ferroalloy',
      branch: '电炉法铁合金',
      name: '1#矿热炉',
      currentGrade: 'C',
      targetGrade: 'B',
    });
  });
  afterEach(() => closeAppContext(ctx));

  it('starts a visit of a process without a ruleset with the checklist of its grade scheme', () => {
    const visit = startSiteInspection(ctx, site, { processIds: [site.cementId, smelterId] });
    const [cement, smelter] = visit.processes;
    expect(cement!.ruleset.general).toBe(false);
    expect(smelter!.ruleset).toMatchObject({ id: 'general-a-b-c-d', general: true });
    const checklist = smelter!.ruleset.ruleset!;
    expect(checklist.kind).toBe('general');
    expect(checklist.industry).toBe('通用帮扶检查表');
    expect(checklist.grades.map((g) => g.grade)).toEqual(['A', 'B', 'C', 'D']);
    expect(checklist.indicators.map((i) => i.dimension)).toEqual([...DIMENSIONS]);
    // Every dimension says what to look at, and is the team's judged level.
    for (const indicator of checklist.indicators) {
      expect(indicator.kind).toBe('level');
      expect(indicator.hint?.length).toBeGreaterThan(10);
      expect(indicator.require).toEqual({ A: 'A', B: 'B', C: 'C' });
    }
    expect(validateRuleset(checklist).ok).toBe(true);
  });

  it('uses the branch’s own scheme, such as 引领性/非引领性 for 电解锰', () => {
    const other = bareSite(ctx);
    const leadingId = addProcess(ctx, other, {
      industryCode: 'ferroalloy',
      branch: '电解锰',
      name: '电解车间',
    });
    const visit = startSiteInspection(ctx, other, { processIds: [leadingId] });
    const checklist = visit.processes[0]!.ruleset.ruleset!;
    expect(visit.processes[0]!.ruleset.id).toBe('general-leading-not-leading');
    expect(checklist.grades).toEqual([
      { grade: '引领性', rank: 1 },
      { grade: '非引领性', rank: 4 },
    ]);
  });

  it('records findings, readings, judgements and problems, and reads them back', () => {
    const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
    const id = visit.inspection.id;
    const from = listOutbox(ctx.db).at(-1)?.seq ?? 0;
    answer(ctx, id, smelterId, EMISSION, {
      fact: 'C',
      note: '矿热炉烟气经布袋除尘后排放，在线监测已联网',
      readings: [
        {
          outlet: '1#矿热炉排放口',
          pollutant: '颗粒物',
          value: 12.5,
          unit: 'mg/m³',
          oxygenRef: null,
          limit: 30,
        },
        { outlet: '1#矿热炉排放口', pollutant: '二氧化硫', value: 80, unit: 'mg/m³' },
      ],
      problems: ['颗粒物排放浓度高于 B 级要求的 10 mg/m³'],
    });

    const detail = getInspectionDetail(ctx, id);
    expect(detail.answers).toEqual([
      expect.objectContaining({
        processId: smelterId,
        indicatorId: EMISSION,
        fact: 'C',
        note: '矿热炉烟气经布袋除尘后排放，在线监测已联网',
        problems: ['颗粒物排放浓度高于 B 级要求的 10 mg/m³'],
        readings: [
          {
            outlet: '1#矿热炉排放口',
            pollutant: '颗粒物',
            value: 12.5,
            unit: 'mg/m³',
            oxygenRef: null,
            limit: 30,
          },
          {
            outlet: '1#矿热炉排放口',
            pollutant: '二氧化硫',
            value: 80,
            unit: 'mg/m³',
            oxygenRef: null,
            limit: null,
          },
        ],
      }),
    ]);
    // The answer is one synced row, its problems and readings fields among its ops.
    const ops = listOutbox(ctx.db, from).filter((o) => o.table === 'inspection_answers');
    expect(ops).toHaveLength(1);
    expect(Object.keys(ops[0]!.values as object)).toEqual(
      expect.arrayContaining(['fact', 'note', 'problems', 'readings']),
    );

    // Problems alone start an answer; an emptied list is cleared.
    answer(ctx, id, smelterId, FUGITIVE, { problems: ['原料露天堆放，未建封闭料棚'] });
    answer(ctx, id, smelterId, EMISSION, { problems: [] });
    const again = getInspectionDetail(ctx, id).answers;
    expect(again.find((a) => a.indicatorId === FUGITIVE)).toMatchObject({
      fact: null,
      problems: ['原料露天堆放，未建封闭料棚'],
    });
    expect(again.find((a) => a.indicatorId === EMISSION)?.problems).toEqual([]);
  });

  it('grades the process at its worst judged dimension, labelled as judged', () => {
    const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
    const id = visit.inspection.id;
    answer(ctx, id, smelterId, EQUIPMENT, { fact: 'A' });
    // Not every dimension judged yet: the floor, never a guess.
    expect(getInspectionDetail(ctx, id).grading.processes[0]!.grade).toBe('D');

    judgeAll(ctx, id, smelterId, 'B', { [EQUIPMENT]: 'A', [TRANSPORT]: 'C' });
    const grading = getInspectionDetail(ctx, id).grading;
    expect(grading.processes[0]).toMatchObject({
      judged: true,
      unverified: false,
      grade: 'C',
      targetGrade: 'B',
      reachesTarget: false,
      gapsToTarget: [
        expect.objectContaining({
          indicatorId: TRANSPORT,
          title: '运输方式',
          status: 'unmet',
          actual: 'C',
        }),
      ],
    });
    expect(grading.grade).toBe('C');
    expect(grading.unverified).toBe(false);
  });

  it('refuses a judgement that is not a grade of the scheme', () => {
    const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
    const err = thrown(() =>
      answer(ctx, visit.inspection.id, smelterId, EQUIPMENT, { fact: '引领性' }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('装备水平');
  });

  it('keeps the checklist in an old visit once the process gets a ruleset, and uses the ruleset in new visits', () => {
    const other = bareSite(ctx);
    const clinkerId = addProcess(ctx, other, {
      industryCode: 'cement',
      branch: '水泥熟料',
      name: '2#熟料线',
      targetGrade: 'B',
    });
    const before = startSiteInspection(ctx, other, { processIds: [clinkerId] });
    judgeAll(ctx, before.inspection.id, clinkerId, 'B');
    confirmAndFinalize(ctx, before.inspection.id);

    const process = getProcess(ctx, clinkerId);
    updateProcess(
      ctx,
      clinkerId,
      ProcessDraftSchema.parse({
        enterpriseId: other.enterpriseId,
        industryCode: 'cement',
        branch: '水泥熟料',
        name: process.name,
        targetGrade: 'B',
        rulesetId: 'cement-clinker',
      }),
    );
    const after = startSiteInspection(ctx, other, { processIds: [clinkerId], date: '2025-07-01' });
    expect(after.processes[0]!.ruleset).toMatchObject({ id: 'cement-clinker', general: false });

    const old = getInspectionDetail(ctx, before.inspection.id);
    expect(old.processes[0]!.ruleset).toMatchObject({ id: 'general-a-b-c-d', general: true });
    expect(old.grading.processes[0]).toMatchObject({ judged: true, grade: 'B' });
  });

  it('freezes the problems and readings of a finalized visit', () => {
    const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
    const id = visit.inspection.id;
    judgeAll(ctx, id, smelterId, 'B');
    confirmAndFinalize(ctx, id);
    const err = thrown(() => answer(ctx, id, smelterId, EQUIPMENT, { problems: ['新问题'] }));
    expect(err.code).toBe('conflict');
    expect(() =>
      ctx.db.sqlite
        .prepare(`UPDATE inspection_answers SET problems = '["改"]' WHERE inspection_id = ?`)
        .run(id),
    ).toThrow('检查记录已确认');
  });

  describe('the plan drafted from it', () => {
    it('drafts a measure per problem and per dimension below target, and 附件2 carries them', async () => {
      const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
      const id = visit.inspection.id;
      judgeAll(ctx, id, smelterId, 'B', { [TREATMENT]: 'C', [TRANSPORT]: 'C' });
      answer(ctx, id, smelterId, TREATMENT, {
        note: '矿热炉配套布袋除尘，未设脱硫设施',
        problems: ['矿热炉烟气未配套脱硫设施', '除尘器运行台账不完整'],
      });
      answer(ctx, id, smelterId, FUGITIVE, { problems: ['原料露天堆放，未建封闭料棚'] });
      confirmAndFinalize(ctx, id);

      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const byId = new Map(plan.content.measures.map((m) => [m.id, m]));
      // 污染治理技术 is below target and has problems: one measure per problem, none for the gap.
      expect(
        byId.get(problemMeasureId(smelterId, TREATMENT, '矿热炉烟气未配套脱硫设施')),
      ).toMatchObject({
        indicatorId: TREATMENT,
        processLabel: '1#矿热炉',
        title: '污染治理技术',
        current: '矿热炉烟气未配套脱硫设施',
        required: '达到B级要求',
        gapStatus: 'unmet',
      });
      expect(byId.has(problemMeasureId(smelterId, TREATMENT, '除尘器运行台账不完整'))).toBe(true);
      expect(byId.has(`gap:${smelterId}:${TREATMENT}`)).toBe(false);
      // 无组织排放 meets the target but a problem was found there: it is worked on too.
      expect(
        byId.get(problemMeasureId(smelterId, FUGITIVE, '原料露天堆放，未建封闭料棚')),
      ).toMatchObject({ title: '无组织排放', current: '原料露天堆放，未建封闭料棚', required: '' });
      // 运输方式 is below target with no problem written: the gap itself is the measure.
      expect(byId.get(`gap:${smelterId}:${TRANSPORT}`)).toMatchObject({
        title: '运输方式',
        current: '专家判定 C级',
        required: '达到B级要求',
      });
      expect(plan.content.measures).toHaveLength(4);

      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 1,
        status: '专家审定',
        by: '李静',
        opinion: '同意按此方案实施',
      });
      setPlanStatus(ctx, {
        id: plan.plan.id,
        version: 1,
        status: '企业确认',
        by: '马玉梅',
        method: '电话确认',
      });
      const columns = getProcess(ctx, smelterId);
      expect(columns.problems).toContain('污染治理技术：矿热炉烟气未配套脱硫设施');
      expect(columns.problems).toContain('无组织排放：原料露天堆放，未建封闭料棚');

      const exported = await exportAnnex2(ctx, {});
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exported.data as unknown as ArrayBuffer);
      let row: ExcelJS.Row | undefined;
      wb.worksheets[0]!.eachRow((r) => {
        if (r.getCell(6).value === '电炉法铁合金') row = r;
      });
      expect(row).toBeDefined();
      expect(row!.getCell(9).value).toBe(columns.differentiators);
      expect(row!.getCell(10).value).toBe(columns.problems);
      expect(row!.getCell(10).value as string).toContain('矿热炉烟气未配套脱硫设施');
    });
  });
});

describe('the visit record of a 通用帮扶检查表 visit', () => {
  it('names the checklist, prints every grade as 专家判定 and lists findings, problems and readings', async () => {
    const ctx = createTestContext();
    try {
      const site = createSite(ctx);
      const smelterId = addProcess(ctx, site, {
        industryCode: 'ferroalloy',
        branch: '电炉法铁合金',
        name: '1#矿热炉',
        targetGrade: 'B',
      });
      const visit = startSiteInspection(ctx, site, { processIds: [smelterId] });
      const id = visit.inspection.id;
      judgeAll(ctx, id, smelterId, 'B', { [FUGITIVE]: 'C' });
      answer(ctx, id, smelterId, FUGITIVE, {
        note: '原料库为半封闭料棚',
        problems: ['原料露天堆放'],
      });
      answer(ctx, id, smelterId, EMISSION, {
        readings: [{ outlet: 'DA001', pollutant: '颗粒物', value: 12, unit: 'mg/m³', limit: 30 }],
      });
      confirmAndFinalize(ctx, id);
      const pdf = await exportVisitPdf(ctx, id);
      keepArtifacts(pdf.bytes, 'visit-record-general');
      const text = squeeze(pdfText(pdf.bytes));
      for (const s of [
        '通用帮扶检查表',
        '综合核查等级C级（含专家判定）',
        '核查等级专家判定C级',
        '已判定10个维度，共10个',
        '专家判定B级',
        '现状：原料库为半封闭料棚',
        '存在问题：原料露天堆放',
        '实测：DA001颗粒物12mg/m³（限值30mg/m³）',
      ]) {
        expect(text, s).toContain(s);
      }
      expect(text).not.toContain('general-');
      expect(text).not.toContain('指标待核实');
    } finally {
      closeAppContext(ctx);
    }
  });
});

describe('validateRuleset()', () => {
  it('accepts kind "general" and refuses any other kind', () => {
    const base = {
      id: 'x',
      industry: '水泥',
      edition: '1',
      source: 's',
      status: 'draft',
      grades: [
        { grade: 'A', rank: 1 },
        { grade: 'D', rank: 5 },
      ],
      indicators: [],
    };
    expect(validateRuleset({ ...base, kind: 'general' }).ok).toBe(true);
    const bad = validateRuleset({ ...base, kind: 'special' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues[0]).toMatchObject({ path: 'kind' });
  });
});
