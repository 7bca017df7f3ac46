import path from 'node:path';

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import { closeAppContext, openAppContext } from '../../electron/services/context';
import { publishPublication } from '../../electron/services/publications';
import { runUplift } from '../helpers/cli';
import { tempDir } from '../helpers/context';

import { enterprise, grade, logIn } from './services/publications/helpers';

/** A data folder where 银川市 published two editions and the region one. */
function publishedData(): string {
  const dir = tempDir();
  const ctx = openAppContext({ dataDir: dir, mode: 'cli' });
  try {
    const a = enterprise(ctx, '宁夏甲建材有限公司', '6401', '640104');
    const b = enterprise(ctx, '宁夏乙铁合金有限公司', '6402', '640202');
    grade(ctx, a.id, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    publishPublication(ctx, { scope: '6401', title: null, publishedBy: '李审' });
    grade(ctx, a.id, 'A', '2026-05-01');
    publishPublication(ctx, { scope: '6401', title: null, publishedBy: '李审' });
    grade(ctx, b.id, 'C', '2026-05-02');
    logIn(ctx, '自治区复审', 'region');
    publishPublication(ctx, { scope: 'region', title: null, publishedBy: '王复审' });
  } finally {
    closeAppContext(ctx);
  }
  return dir;
}

async function cells(file: string): Promise<{ title: unknown; rows: unknown[][] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  if (!ws) throw new Error('no worksheet');
  const rows: unknown[][] = [];
  for (let r = 4; r <= ws.rowCount; r++) {
    rows.push([2, 4, 7].map((c) => ws.getRow(r).getCell(c).value));
  }
  return { title: ws.getCell('A1').value, rows };
}

describe('uplift export public', () => {
  it('exports the region’s latest edition without --city, and a city’s with --city', async () => {
    const dir = publishedData();
    const out = path.join(tempDir(), '全区.xlsx');
    const region = await runUplift(['--data-dir', dir, 'export', 'public', '--out', out]);
    expect(region).toMatchObject({ code: 0, err: '' });
    expect(region.out).toContain('已导出宁夏回族自治区第1期认定结果公示名单（2 条）');
    expect(await cells(out)).toEqual({
      title: '宁夏回族自治区重污染天气重点行业绩效分级结果公示（第1期）',
      rows: [
        ['宁夏甲建材有限公司', '银川市', 'A'],
        ['宁夏乙铁合金有限公司', '石嘴山市', 'C'],
      ],
    });

    const city = path.join(tempDir(), '银川.xlsx');
    const latest = await runUplift([
      '--data-dir',
      dir,
      '--json',
      'export',
      'public',
      '--out',
      city,
      '--city',
      '银川市',
    ]);
    expect(JSON.parse(latest.out)).toMatchObject({ scope: '6401', edition: 2, rows: 1 });
    expect((await cells(city)).rows).toEqual([['宁夏甲建材有限公司', '银川市', 'A']]);

    const first = await runUplift([
      '--data-dir',
      dir,
      'export',
      'public',
      '--out',
      city,
      '--city',
      '6401',
      '--edition',
      '1',
    ]);
    expect(first.code).toBe(0);
    expect((await cells(city)).rows).toEqual([['宁夏甲建材有限公司', '银川市', 'B']]);
  });

  it('says in Chinese what is missing: an unpublished city, an edition, an unknown city', async () => {
    const dir = publishedData();
    const out = path.join(tempDir(), 'x.xlsx');
    const none = await runUplift([
      '--data-dir',
      dir,
      'export',
      'public',
      '--out',
      out,
      '--city',
      '吴忠市',
    ]);
    expect(none).toMatchObject({
      code: 2,
      err: '错误：吴忠市尚未发布认定结果公示名单（须先在“信息公开”中发布一期）\n',
    });
    const edition = await runUplift([
      '--data-dir',
      dir,
      'export',
      'public',
      '--out',
      out,
      '--edition',
      '5',
    ]);
    expect(edition.err).toBe('错误：宁夏回族自治区没有第5期认定结果公示名单\n');
    const unknown = await runUplift([
      '--data-dir',
      dir,
      'export',
      'public',
      '--out',
      out,
      '--city',
      '兰州市',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未知的地级市“兰州市”');
    const bad = await runUplift([
      '--data-dir',
      dir,
      'export',
      'public',
      '--out',
      out,
      '--edition',
      '0',
    ]);
    expect(bad.err).toContain('期号应为正整数');
  });
});
