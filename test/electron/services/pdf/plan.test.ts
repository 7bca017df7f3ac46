import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import {
  exportPlanPdf,
  planPdfFileName,
  renderPlanPdf,
  versionLine,
} from '../../../../electron/services/pdf/plan';
import {
  draftPlanFor,
  getPlan,
  savePlan,
  setPlanStatus,
} from '../../../../electron/services/plans';
import { TAX_TIER_LABELS, type PlanDetail } from '../../../../shared/plan';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrownAsync } from '../../../helpers/errors';
import { createSite } from '../../../helpers/inspections';
import { keepArtifacts, pdfPageCount, pdfText, printedVisit, squeeze } from '../../../helpers/pdf';
import { planDetailFixture } from '../../../helpers/plan';
import { approve } from '../grades/support';

/** Each page's text, squeezed (a wrapped cell reads as one string). */
function pages(bytes: Buffer): string[] {
  return Array.from({ length: pdfPageCount(bytes) }, (_, i) => squeeze(pdfText(bytes, i + 1)));
}

describe('renderPlanPdf()', () => {
  it('prints the plan: cover, status, gaps, measures by direction, timeline, benefits, tax, signatures', async () => {
    const detail = planDetailFixture();
    const started = performance.now();
    const pdf = await renderPlanPdf(detail);
    const ms = performance.now() - started;
    keepArtifacts(pdf.bytes, 'plan');
    console.log(`plan: ${pdf.pages} pages, ${pdf.bytes.length} bytes, ${ms.toFixed(0)} ms`);

    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.pages).toBe(pdfPageCount(pdf.bytes));
    const text = squeeze(pdfText(pdf.bytes));
    for (const heading of [
      '一企一策提升方案',
      '方案概要',
      '一、企业现状',
      '各维度差距',
      '二、差异化指标（与目标等级的差距）',
      '三、整改措施',
      '（一）治理设施建设与升级（6项）',
      '四、实施进度安排',
      '五、提级后的政策红利',
      '1.重污染天气应急减排措施',
      '2.可享受的激励政策',
      '六、环境保护税减征估算',
      '七、备注',
      '八、版本记录',
      '九、确认与签字',
    ]) {
      expect(text, heading).toContain(heading);
    }
    // The cover: enterprise, processes, grades, date, team, version and status.
    for (const s of [
      '第3版·专家审定·企业确认版本：第2版',
      '宁夏瑞泰水泥有限公司',
      '1#熟料线：按水泥熟料分级指标（2020版，草稿）',
      'C级（指标待核实）',
      '编制日期2025年7月1日',
      '周志刚（执法）、刘晓燕（监测）、陈立新（专家）',
      '第3版，陈立新，2025-07-0210:30',
      '第2版，王强，2025-06-2014:00',
    ]) {
      expect(text, s).toContain(s);
    }
    // 现状 by process: grade and answers.
    expect(text).toContain('已作答34项，共46项');
    // Gaps in the one wording: 现状 against 目标要求.
    for (const s of ['64%', '≥80%', '88、112.5、96mg/m³（最高112.5mg/m³）', '≤100mg/m³']) {
      expect(text, s).toContain(s);
    }
    expect(text).toContain('SCR、SNCR+SCR（其一）');
    expect(text).toContain('主要排放口安装CEMS并与生态环境部门联网未填写是未填写');
    // Measures with who, by when, how much; subtotals and the total.
    expect(text).toContain('（二）清洁运输（4项）');
    expect(text).toContain('2026年3月30日');
    const total = detail.content.measures.reduce((s, m) => s + (m.investment ?? 0), 0);
    const missing = detail.content.measures.filter((m) => m.investment === null).length;
    expect(text).toContain(
      `合计（${detail.content.measures.length}项措施，${missing}项投资待定）${total}`,
    );
    expect(text).toContain('小计');
    // The timeline, month by month.
    expect(text).toMatch(/2026年3月（\d+项，预计投资[\d.]+万元/);
    expect(text).toContain('完成期限待定');
    // Benefits: emergency measures before and after, incentives gained.
    expect(text).toContain('现状（C级）');
    expect(text).toContain('提级后（B级）');
    expect(text).toContain('黄色预警');
    expect(text).toContain('新增');
    // Tax: every tier's label, lines without an estimate, the rule.
    for (const label of Object.values(TAX_TIER_LABELS)) expect(text, label).toContain(label);
    expect(text).toContain('不作估算');
    expect(text).toContain('《水泥工业大气污染物排放标准》GB4915-2013');
    expect(text).toContain('估算规则：依《环境保护税法》第十三条');
    expect(text).toContain('3个读数的平均值41.33mg/m³');
    // Signatures of the team, the expert and the enterprise.
    expect(text).toContain('帮扶组·执法周志刚');
    expect(text).toContain('审定专家陈立新');
    expect(text).toContain('已于2025-07-0210:30在系统中审定第3版');
    expect(text).toContain('企业代表王强');
  });

  it('puts the running header, 指标待核实 and 第 N 页 / 共 M 页 on every page', async () => {
    const pdf = await renderPlanPdf(planDetailFixture());
    const all = pages(pdf.bytes);
    expect(all.length).toBeGreaterThan(3);
    all.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain('一企一策提升方案');
      expect(page, `page ${i + 1}`).toContain('指标待核实');
      expect(page, `page ${i + 1}`).toContain('宁夏瑞泰水泥有限公司');
      // The footer names the plan and its version, so a loose page is matched to it.
      expect(page, `page ${i + 1}`).toContain('方案编号银川-2026-0013-K7Q3（第3版）');
      expect(page, `page ${i + 1}`).toContain(`第${i + 1}页/共${all.length}页`);
    });
  });

  it('leaves 指标待核实 off when every ruleset is verified', async () => {
    const pdf = await renderPlanPdf(planDetailFixture({ unverified: false }));
    expect(pdfText(pdf.bytes)).not.toContain('指标待核实');
  });

  it('repeats a table’s header row on every page it continues to', async () => {
    const pdf = await renderPlanPdf(planDetailFixture({ processes: 3, gapsPerProcess: 16 }));
    // Without the running header, which pdftotext may read in among the header cells.
    const all = pages(pdf.bytes).map((p) =>
      p.replace(/一企一策提升方案|指标待核实|宁夏瑞泰水泥有限公司/g, ''),
    );
    const within = (from: string, to: string) => {
      const first = all.findIndex((p) => p.includes(from));
      const last = all.findIndex((p) => p.includes(to));
      expect(last).toBeGreaterThan(first + 1);
      // The pages the table continues to (the last one, unless the next section starts it).
      return all.slice(first + 1, last + 1).filter((p) => !p.startsWith(to));
    };
    // The header's cells start the page (pdftotext reads a two-line cell after the others).
    const startsWithHeader = (page: string, cells: string[]) => {
      expect(page.slice(0, 80)).toMatch(new RegExp(`^${cells[0] ?? ''}`));
      for (const cell of cells) expect(page).toContain(cell);
    };
    for (const page of within('三、整改措施', '四、实施进度安排')) {
      startsWithHeader(page, [
        '序号',
        '指标或问题',
        '整改措施',
        '责任人',
        '完成期限',
        '预计投资（万元）',
      ]);
    }
    for (const page of within('四、实施进度安排', '五、提级后的政策红利')) {
      startsWithHeader(page, ['完成期限', '措施序号', '指标或问题', '帮扶方向', '责任人']);
    }
  });

  it('reports its progress and gives the same bytes for the same version', async () => {
    const detail = planDetailFixture({ processes: 1 });
    const progress: [number, number][] = [];
    const a = await renderPlanPdf(detail, (done, total) => progress.push([done, total]));
    const b = await renderPlanPdf(detail);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    const total = progress[0]?.[1] ?? 0;
    expect(total).toBeGreaterThan(2);
    expect(progress).toEqual(Array.from({ length: total }, (_, i) => [i + 1, total]));
  });

  it('says which version it is, and that a later one exists', async () => {
    const detail: PlanDetail = { ...planDetailFixture({ processes: 1 }), version: 2 };
    expect(versionLine(detail)).toBe('第 2 版 · 企业确认 · 当前为第 3 版 · 企业确认版本：第 2 版');
    expect(planPdfFileName(detail)).toBe('一企一策提升方案-宁夏瑞泰水泥有限公司-第2版.pdf');
    const text = squeeze(pdfText((await renderPlanPdf(detail)).bytes));
    expect(text).toContain('本文件为方案第2版（历史版本），方案当前为第3版。');
  });

  it('prints a plan with nothing filled in yet', async () => {
    const full = planDetailFixture({ processes: 1, notes: null });
    const detail: PlanDetail = {
      ...full,
      plan: { ...full.plan, status: '草稿', currentVersion: 1, reviewed: null, confirmed: null },
      version: 1,
      versions: full.versions.slice(0, 1),
      content: { ...full.content, measures: [], taxLimits: [], taxReadings: [] },
      tax: { lines: [], exceeded: false, problems: [], rule: full.tax.rule },
      benefits: [],
    };
    const pdf = await renderPlanPdf(detail);
    const text = squeeze(pdfText(pdf.bytes));
    expect(text).toContain('第1版·草稿·企业尚未确认任何版本');
    expect(text).toContain('尚无整改措施');
    expect(text).toContain('尚未录入排放限值与监测读数，未作估算。');
    expect(text).toContain('尚未审定');
    expect(text).not.toContain('七、备注');
    expect(text).toContain('七、版本记录');
  });
});

describe('exportPlanPdf()', () => {
  let ctx: AppContext;

  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  it('prints the plan drafted from a finalized visit, as plans.ts reads it', async () => {
    const { site } = printedVisit(ctx);
    const drafted = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    const content = structuredClone(drafted.content);
    content.measures = content.measures.map((m, i) => ({
      ...m,
      responsible: '王强',
      deadline: `2026-0${i + 3}-30`,
      investment: 10 * (i + 1),
    }));
    content.taxLimits = [
      {
        outletId: 'DA001',
        outletName: '窑尾排放口',
        pollutant: '氮氧化物',
        limit: 320,
        unit: 'mg/m³',
        standard: '《水泥工业大气污染物排放标准》GB 4915-2013',
      },
    ];
    content.taxReadings = [{ outletId: 'DA001', pollutant: '氮氧化物', value: 150, unit: null }];
    const saved = savePlan(ctx, {
      id: drafted.plan.id,
      baseVersion: drafted.version,
      content,
      comment: '补充责任人与完成期限',
    });
    setPlanStatus(ctx, {
      id: saved.plan.id,
      version: saved.version,
      status: '专家审定',
      by: '陈立新',
      opinion: '同意按此方案实施',
    });

    const pdf = await exportPlanPdf(ctx, { enterpriseId: site.enterpriseId });
    keepArtifacts(pdf.bytes, 'plan-from-visit');
    expect(pdf.fileName).toBe('一企一策提升方案-宁夏瑞泰水泥有限公司-第2版.pdf');
    const text = squeeze(pdfText(pdf.bytes));
    expect(text).toContain('第2版·专家审定·企业尚未确认任何版本');
    expect(text).toContain('1#熟料线');
    const detail = getPlan(ctx, { enterpriseId: site.enterpriseId });
    for (const m of detail?.content.measures ?? []) {
      expect(text, m.title).toContain(squeeze(m.title));
      if (m.required) expect(text, m.required).toContain(squeeze(m.required));
    }
    expect(text).toContain(TAX_TIER_LABELS['50%']);
    const total = content.measures.reduce((s, m) => s + (m.investment ?? 0), 0);
    expect(text).toContain(`合计（${content.measures.length}项措施）${total}`);
    for (let i = 1; i <= pdf.pages; i++) {
      const onPage = squeeze(pdfText(pdf.bytes, i));
      expect(onPage).toContain(`第${i}页/共${pdf.pages}页`);
      expect(onPage).toContain(`方案编号${saved.plan.number}（第2版）`);
      expect(pdfText(pdf.bytes, i)).toContain('指标待核实');
    }

    const first = await exportPlanPdf(ctx, { id: saved.plan.id, version: 1 });
    expect(first.fileName).toBe('一企一策提升方案-宁夏瑞泰水泥有限公司-第1版.pdf');
    expect(squeeze(pdfText(first.bytes))).toContain('本文件为方案第1版（历史版本）');
  });

  it('prints the team’s 核查等级 and the official 认定等级 apart on the cover', async () => {
    const { site } = printedVisit(ctx);
    draftPlanFor(ctx, { enterpriseId: site.enterpriseId });

    const ungraded = squeeze(
      pdfText((await exportPlanPdf(ctx, { enterpriseId: site.enterpriseId })).bytes, 1),
    );
    expect(ungraded).toContain('核查等级');
    expect(ungraded).toContain('认定等级未认定');

    approve(ctx, site.enterpriseId, 'C', '2026-03-01');
    const graded = squeeze(
      pdfText((await exportPlanPdf(ctx, { enterpriseId: site.enterpriseId })).bytes, 1),
    );
    expect(graded).toContain('认定等级C级（2026年3月1日起，审核通过）');
  });

  it('is not_found, in Chinese, for an enterprise without a plan', async () => {
    const site = createSite(ctx);
    const e = await thrownAsync(() => exportPlanPdf(ctx, { enterpriseId: site.enterpriseId }));
    expect(e).toMatchObject({
      code: 'not_found',
      message: '该企业还没有一企一策提升方案，请先据定稿的现场检查记录起草方案',
    });
  });
});
