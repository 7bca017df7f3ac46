import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import {
  addEvidence,
  reviseInspection,
  saveMember,
} from '../../../../electron/services/inspections';
import { exportVisitPdf, visitPdfFileName } from '../../../../electron/services/pdf/visit-record';
import { createViolation } from '../../../../electron/services/violations';
import { MemberSaveSchema, ViolationDraftSchema } from '../../../../shared/domain/inspection';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrownAsync } from '../../../helpers/errors';
import { answer, CEMS, createSite, NOX, startSiteInspection } from '../../../helpers/inspections';
import {
  keepArtifacts,
  pdfFonts,
  pdfPageCount,
  pdfText,
  printedVisit,
  squeeze,
  type PrintedVisit,
} from '../../../helpers/pdf';

describe('exportVisitPdf()', () => {
  let ctx: AppContext;
  let visit: PrintedVisit;

  beforeEach(() => {
    ctx = createTestContext();
    visit = printedVisit(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('prints a finalized visit: who, when, each process with its answers, gaps and photos', async () => {
    const started = performance.now();
    const pdf = await exportVisitPdf(ctx, visit.detail.inspection.id);
    const ms = performance.now() - started;
    keepArtifacts(pdf.bytes, 'visit-record');
    console.log(`visit record: ${pdf.pages} pages, ${pdf.bytes.length} bytes, ${ms.toFixed(0)} ms`);

    expect(pdf.fileName).toBe('现场帮扶记录-宁夏瑞泰水泥有限公司-20250601.pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.pages).toBe(pdfPageCount(pdf.bytes));
    const text = squeeze(pdfText(pdf.bytes));
    for (const heading of [
      '现场帮扶记录',
      '一、基本情况',
      '二、各工序检查情况',
      '（一）1#熟料线',
      '1.指标检查结果',
      '2.与目标等级（B级）的差距',
      '3.现场照片',
      '三、现场照片',
      '四、确认与签字',
    ]) {
      expect(text, heading).toContain(heading);
    }
    // Who, when, what.
    for (const s of [
      '宁夏瑞泰水泥有限公司',
      '2025年6月1日',
      '帮扶指导',
      '张伟（执法）、李静（专家）',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain('企业环保负责人王强陪同检查。');
    // Grades, with the draft ruleset's mark; the verified one without.
    expect(text).toContain('C级（指标待核实）');
    expect(text).toContain('非引领性');
    expect(text).not.toContain('非引领性（指标待核实）');
    // Answers in words with units, readings and notes.
    expect(text).toContain('窑尾氮氧化物排放浓度');
    expect(text).toContain('42、57mg/m³');
    expect(text).toContain('共2个读数，最高57mg/m³');
    expect(text).toContain('窑尾CEMS小时均值，基准含氧量10%');
    expect(text).toContain('70%');
    expect(text).toContain('在线监测尚未与生态环境部门联网');
    // Gaps to target.
    expect(text).toContain('要求（B级）');
    expect(text).toContain('≥80%');
    expect(text).toContain('2.与目标等级（引领性）的差距');
    expect(text).toContain('未达到');
    // Photos with their captions; the PDF scan as a caption line.
    expect(text).toContain('窑尾CEMS屏幕.png');
    expect(text).toContain('拍摄于2025-06-0110:40');
    expect(text).toContain('指标：窑尾氮氧化物排放浓度');
    expect(text).toContain('厂区全景.jpg');
    expect(text).toContain('［未显示缩略图］监测报告.pdf');
    // Confirmations and signature lines.
    expect(text).toMatch(/张伟执法已于\d{4}-\d\d-\d\d\d\d:\d\d确认/);
    expect(text).toContain('经检查组全体成员确认定稿');
    expect(text.match(/签字：/g)).toHaveLength(3);
    expect(text).toContain('企业代表');

    // Every page, read alone (pdftotext -f N -l N), names its record in the footer: a loose
    // printed page is matched to its visit by the number.
    const number = visit.detail.inspection.number;
    expect(number).toMatch(/^银川-2025-\d{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(pdf.pages).toBeGreaterThan(1);
    for (let page = 1; page <= pdf.pages; page++) {
      const onPage = squeeze(pdfText(pdf.bytes, page));
      expect(onPage, `page ${page}`).toContain('指标待核实');
      expect(onPage).toContain(`第${page}页/共${pdf.pages}页`);
      expect(onPage.split(`记录编号${number}`).length - 1, `page ${page}`).toBe(
        // Page 1 also has it under the title (记录编号：…), written with a colon.
        1,
      );
      expect(onPage).toContain('现场帮扶记录');
    }
    expect(pdfFonts(pdf.bytes).every((l) => /NotoSansHans/.test(l))).toBe(true);
    expect(pdf.bytes.length).toBeLessThan(400_000);
  });

  it('gives the same bytes each time for the same record', async () => {
    const a = await exportVisitPdf(ctx, visit.detail.inspection.id);
    const b = await exportVisitPdf(ctx, visit.detail.inspection.id);
    expect(a.bytes.equals(b.bytes)).toBe(true);
  });

  it('marks a draft as such and leaves 指标待核实 off when every ruleset is verified', async () => {
    const site = createSite(ctx, '宁夏某某电解锰有限公司');
    const id = startSiteInspection(ctx, site, { processIds: [site.manganeseId] }).inspection.id;
    answer(ctx, id, site.manganeseId, CEMS, { fact: true });
    const pdf = await exportVisitPdf(ctx, id);
    keepArtifacts(pdf.bytes, 'visit-record-draft');
    expect(pdf.fileName).toBe('现场帮扶记录-宁夏某某电解锰有限公司-20250601-草稿.pdf');
    const text = squeeze(pdfText(pdf.bytes));
    expect(text).not.toContain('指标待核实');
    expect(text).toContain('草稿（未定稿）');
    expect(text).toContain('已达到目标等级引领性，无差距。');
    expect(text).toContain('尚未确认');
    expect(text).toContain('本记录为草稿，尚未经检查组全体成员确认定稿');
  });

  it('prints a photo that is not on this device as a caption line', async () => {
    const site = createSite(ctx, '宁夏某某建材有限公司');
    const id = startSiteInspection(ctx, site).inspection.id;
    const use = addEvidence(ctx, {
      inspectionId: id,
      processId: site.cementId,
      indicatorId: NOX,
      fileName: '未同步.jpg',
      data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    });
    const { attachmentPath } = await import('../../../../electron/services/attachments');
    const fs = await import('node:fs');
    fs.rmSync(attachmentPath(ctx.dataDir, use.sha256));
    const pdf = await exportVisitPdf(ctx, id);
    expect(squeeze(pdfText(pdf.bytes))).toContain('［未显示缩略图］未同步.jpg');
    expect(squeeze(pdfText(pdf.bytes))).toContain('文件不在本机，尚未同步');
  });

  it('keeps a long team and many answers readable over several pages', async () => {
    const site = createSite(ctx, '宁夏某某水泥集团股份有限公司第二分公司（熟料生产基地）');
    const id = startSiteInspection(ctx, site, { processIds: [site.cementId, site.manganeseId] })
      .inspection.id;
    for (let i = 0; i < 12; i++) {
      saveMember(
        ctx,
        MemberSaveSchema.parse({ inspectionId: id, name: `成员${i + 1}`, role: '监测' }),
      );
    }
    answer(ctx, id, site.cementId, NOX, {
      fact: Array.from({ length: 24 }, (_, i) => 40 + i),
      note: '各排口小时均值。'.repeat(60),
    });
    const pdf = await exportVisitPdf(ctx, id);
    keepArtifacts(pdf.bytes, 'visit-record-long');
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    const text = squeeze(pdfText(pdf.bytes));
    expect(text.match(/各排口小时均值。/g)).toHaveLength(60);
    expect(text).toContain('共24个读数，最高63mg/m³');
    for (let page = 1; page <= pdf.pages; page++) {
      expect(squeeze(pdfText(pdf.bytes, page))).toContain('指标待核实');
    }
  });

  it('names a correction both ways, and prints a violation lock and the grade the facts support', async () => {
    createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: visit.site.enterpriseId,
        date: '2025-03-10',
        kind: '超标排放',
      }),
    );
    const original = visit.detail.inspection;
    const revision = reviseInspection(ctx, original.id, '现场复核发现记录有误').inspection;
    const old = squeeze(pdfText((await exportVisitPdf(ctx, original.id)).bytes));
    expect(old).toContain(`记录编号：${original.number}`);
    expect(old).toContain(
      `本记录已被2025年6月1日的修订版本（编号${revision.number}，尚未定稿）更正`,
    );
    const fresh = squeeze(pdfText((await exportVisitPdf(ctx, revision.id)).bytes));
    expect(fresh).toContain(`本记录是2025年6月1日检查记录（编号${original.number}）的修订版本。`);
    expect(fresh).toContain('有违法记录，2026年3月10日前不得申请绩效评级');
    expect(fresh).toContain('D级（指标待核实）');
    expect(fresh).toContain('因违法记录按最低等级评定；仅按指标事实可达C级');
  });

  it('prints a finalized visit with the grade it was finalized with, after a violation is recorded', async () => {
    const id = visit.detail.inspection.id;
    const before = await exportVisitPdf(ctx, id);
    createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: visit.site.enterpriseId,
        date: '2025-03-10',
        kind: '超标排放',
      }),
    );
    const after = await exportVisitPdf(ctx, id);
    keepArtifacts(after.bytes, 'visit-record-frozen');
    expect(after.bytes.equals(before.bytes)).toBe(true);
    const text = squeeze(pdfText(after.bytes));
    expect(text).toContain('C级（指标待核实）');
    expect(text).not.toContain('D级');
    expect(text).not.toContain('有违法记录');
  });

  it('prints a draft’s grade as provisional while indicators are open, 未评定 before any answer', async () => {
    const site = createSite(ctx, '宁夏某某水泥有限公司');
    const id = startSiteInspection(ctx, site, { processIds: [site.cementId, site.manganeseId] })
      .inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    const pdf = await exportVisitPdf(ctx, id);
    keepArtifacts(pdf.bytes, 'visit-record-provisional');
    const text = squeeze(pdfText(pdf.bytes));
    // The wrapped cell reads 暂评D级（尚有2项未填）（指标待核实）.
    expect(text).toContain('综合核查等级暂评D级（尚有2项未填）');
    expect(text).toContain('核查等级暂评D级（尚有1项未填）');
    expect(text).toContain('核查等级未评定');
    expect(text).not.toContain('非引领性');
  });

  it('refuses an unknown visit with not_found', async () => {
    const e = await thrownAsync(() => exportVisitPdf(ctx, '01900000-0000-7000-8000-999999999999'));
    expect(e.code).toBe('not_found');
    expect(e.message).toContain('检查记录不存在或已删除');
    expect(visitPdfFileName(visit.detail)).toMatch(/\.pdf$/);
  });
});
