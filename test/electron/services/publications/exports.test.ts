import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import {
  exportPublicationExcel,
  exportPublicationPdf,
  getPublication,
  publishPublication,
} from '../../../../electron/services/publications';
import type { Publication } from '../../../../shared/domain/review';
import { closeAppContext, createTestContext, tempDir } from '../../../helpers/context';
import { keepArtifacts, pdfPageCount, pdfText, squeeze } from '../../../helpers/pdf';

import { CEMENT, enterprise, grade, logIn, MANGANESE } from './helpers';

async function sheetOf(data: Buffer): Promise<ExcelJS.Worksheet> {
  const file = path.join(tempDir(), 'list.xlsx');
  fs.writeFileSync(file, data);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no worksheet');
  return ws;
}

function texts(ws: ExcelJS.Worksheet, row: number): unknown[] {
  const values: unknown[] = [];
  for (let c = 1; c <= 8; c++) values.push(ws.getRow(row).getCell(c).value);
  return values;
}

describe('an edition as Excel and as a 公告 PDF', () => {
  let ctx: AppContext;
  let edition: Publication;
  beforeEach(() => {
    ctx = createTestContext();
    logIn(ctx, '市级审核', '6401');
    const a = enterprise(ctx, '宁夏甲建材有限公司', '6401', '640104', [CEMENT, MANGANESE]);
    const b = enterprise(ctx, '宁夏乙水泥有限公司', '6401', '640121', [CEMENT]);
    grade(ctx, a.id, 'A', '2026-03-15');
    grade(ctx, b.id, 'B-', '2026-04-02', b.processIds[0] ?? null);
    const published = publishPublication(ctx, { scope: '6401', title: null, publishedBy: '李审' });
    edition = getPublication(ctx, published.id);
  });
  afterEach(() => closeAppContext(ctx));

  it('writes the title, the edition line, the header and one row per grade', async () => {
    const file = await exportPublicationExcel(edition);
    expect(file.fileName).toBe('信息公开_银川市_第1期.xlsx');
    expect(file.rows).toBe(2);
    const ws = await sheetOf(file.data);
    expect(ws.getCell('A1').value).toBe('银川市重污染天气重点行业绩效分级结果公示（第1期）');
    expect(ws.getCell('A2').value).toBe('第1期\u3000发布日期：2026年11月28日');
    expect(texts(ws, 3)).toEqual([
      '序号',
      '企业名称',
      '统一社会信用代码',
      '地级市',
      '县（市、区）',
      '行业',
      '认定等级',
      '认定日期',
    ]);
    expect(texts(ws, 4)).toEqual([
      1,
      '宁夏甲建材有限公司',
      null,
      '银川市',
      '兴庆区',
      '水泥、铁合金',
      'A',
      '2026-03-15',
    ]);
    expect(texts(ws, 5)).toEqual([
      2,
      '宁夏乙水泥有限公司',
      null,
      '银川市',
      '永宁县',
      '水泥',
      'B-',
      '2026-04-02',
    ]);
    expect(ws.getCell('B4').border.left?.style).toBe('thin');
    expect(ws.getColumn(2).width).toBeGreaterThan(20);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
  });

  it('prints a 公告 PDF with the title, the lead, the table and the publisher', async () => {
    const pdf = await exportPublicationPdf(edition);
    expect(pdf.fileName).toBe('信息公开_银川市_第1期.pdf');
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pdf.pages).toBeGreaterThan(0);
    expect(pdfPageCount(pdf.bytes)).toBe(pdf.pages);
    const text = squeeze(pdfText(pdf.bytes));
    expect(text).toContain('银川市重污染天气重点行业绩效分级结果公示（第1期）');
    expect(text).toContain('共2条');
    expect(text).toContain('宁夏甲建材有限公司');
    expect(text).toContain('水泥、铁合金');
    expect(text).toContain('发布单位：银川市生态环境局');
    keepArtifacts(pdf.bytes, 'publication-short');
  });

  it('repeats the table header on every page of a long list', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({
      enterpriseName: `宁夏第${i + 1}号建材有限公司`,
      creditCode: '91640100MA76XXXX0A',
      cityName: '银川市',
      countyName: '兴庆区',
      industries: '水泥、铁合金',
      grade: i % 3 === 0 ? 'A' : 'B',
      gradeDate: '2026-03-15',
    }));
    const pdf = await exportPublicationPdf({ ...edition, rows });
    expect(pdf.pages).toBeGreaterThan(2);
    let withRows = 0;
    for (let page = 1; page <= pdf.pages; page++) {
      const text = squeeze(pdfText(pdf.bytes, page));
      if (!text.includes('建材有限公司')) continue;
      withRows += 1;
      expect(text).toContain('统一社会信用代码');
    }
    expect(withRows).toBeGreaterThan(2);
    const last = squeeze(pdfText(pdf.bytes, pdf.pages));
    expect(last).toContain('发布单位：银川市生态环境局');
    // The closing never stands alone on a page: the last row comes with it.
    expect(last).toContain('宁夏第120号建材有限公司');
    keepArtifacts(pdf.bytes, 'publication-long');
  });

  it('answers exportExcel and exportPdf through the API as files', async () => {
    const excel = await dispatch(ctx, 'publication.exportExcel', { id: edition.id });
    expect(excel).toMatchObject({
      ok: true,
      value: { fileName: '信息公开_银川市_第1期.xlsx', rows: 2 },
    });
    const pdf = await dispatch(ctx, 'publication.exportPdf', { id: edition.id });
    expect(pdf).toMatchObject({ ok: true, value: { fileName: '信息公开_银川市_第1期.pdf' } });
  });

  it('reports 生成 and 写出 while writing the Excel file, and stops when cancelled', async () => {
    const phases: string[] = [];
    const off = ctx.events.subscribe((event, payload) => {
      if (event !== 'task.progress') return;
      const phase = (payload as { phase: string }).phase;
      if (!phases.includes(phase)) phases.push(phase);
    });
    const done = await dispatch(ctx, 'publication.exportExcel', { id: edition.id, taskId: 'x-1' });
    expect(done.ok).toBe(true);
    expect(phases).toEqual(['生成', '写出']);

    const cancelOnStart = ctx.events.subscribe((event) => {
      if (event === 'task.progress') ctx.tasks.cancel('x-2');
    });
    const cancelled = await dispatch(ctx, 'publication.exportExcel', {
      id: edition.id,
      taskId: 'x-2',
    });
    cancelOnStart();
    off();
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'cancelled' } });
  });
});
