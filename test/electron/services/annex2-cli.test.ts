import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import { dispatch } from '../../../electron/api';
import { runUplift } from '../../helpers/cli';
import type { ImportPreview } from '../../../shared/api/contract';
import { closeAppContext, createTestContext, tempDir } from '../../helpers/context';

const FIXTURES = path.resolve('test', 'fixtures', 'annex2');

const run = runUplift;

async function column(file: string, col: string): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0]!;
  const out: unknown[] = [];
  for (let r = 5; r <= ws.rowCount; r++) {
    const v = ws.getCell(`${col}${r}`).value;
    if (typeof v === 'string' && v.startsWith('注')) break;
    if (typeof v === 'string' && /^\d\./.test(v)) break;
    out.push(v);
  }
  return out;
}

describe('uplift import and uplift export list', () => {
  it('previews an import with --dry-run and writes nothing', async () => {
    const dir = tempDir();
    const r = await run([
      '--data-dir',
      dir,
      'import',
      path.join(FIXTURES, 'good.xlsx'),
      '--dry-run',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('试运行，未写入');
    expect(r.out).toContain('新增企业 5 家、行业或工序 5 个');
    const info = await run(['--data-dir', dir, '--json', 'info']);
    expect(JSON.parse(info.out)).toMatchObject({ enterpriseCount: 0, pendingOps: 0 });
  });

  it('imports a list, and a second import of it changes nothing', async () => {
    const dir = tempDir();
    const file = path.join(FIXTURES, 'good.xlsx');
    const first = await run(['--data-dir', dir, 'import', file]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('已导入：新增企业 5 家、行业或工序 5 个');
    const second = await run(['--data-dir', dir, '--json', 'import', file]);
    expect(JSON.parse(second.out)).toMatchObject({
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
      unchanged: 6,
    });
    const info = await run(['--data-dir', dir, '--json', 'info']);
    expect(JSON.parse(info.out)).toMatchObject({ enterpriseCount: 5, pendingOps: 10 });
  });

  it('exits 2 listing every problem of a bad file on stderr, importing nothing', async () => {
    const dir = tempDir();
    const file = path.join(FIXTURES, 'county-outside-city.xlsx');
    for (const args of [['--dry-run'], []]) {
      const r = await run(['--data-dir', dir, 'import', file, ...args]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain('有 1 处问题，未导入任何内容');
      expect(r.err).toContain('第 9 行「县（市、区）」“利通县”：县（市、区）“利通县”不属于吴忠市');
    }
    const notAWorkbook = await run([
      '--data-dir',
      dir,
      'import',
      path.join(FIXTURES, 'not-a-workbook.xlsx'),
    ]);
    expect(notAWorkbook.code).toBe(2);
    expect(notAWorkbook.err).toContain('文件不是有效的 Excel 工作簿');
    const info = await run(['--data-dir', dir, '--json', 'info']);
    expect(JSON.parse(info.out)).toMatchObject({ enterpriseCount: 0, pendingOps: 0 });
  });

  it('exports only the enterprises of the city asked for', async () => {
    const dir = tempDir();
    expect((await run(['--data-dir', dir, 'demo', '--enterprises', '80'])).code).toBe(0);
    const out = path.join(tempDir(), 'yinchuan.xlsx');
    const r = await run(['--data-dir', dir, 'export', 'list', '--city', '银川市', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^已导出 \d+ 家企业（\d+ 行）/);
    const cities = await column(out, 'B');
    expect(cities.length).toBeGreaterThan(5);
    expect(new Set(cities)).toEqual(new Set(['银川市']));
    expect(fs.readdirSync(path.dirname(out))).toEqual(['yinchuan.xlsx']);
  });

  it('exports one industry, named or by its code, and refuses an unknown one', async () => {
    const dir = tempDir();
    await run(['--data-dir', dir, 'import', path.join(FIXTURES, 'good.xlsx')]);
    const out = path.join(tempDir(), 'lime.xlsx');
    for (const industry of ['石灰窑', 'lime-kiln']) {
      const r = await run([
        '--data-dir',
        dir,
        '--json',
        'export',
        'list',
        '--industry',
        industry,
        '--out',
        out,
      ]);
      expect(JSON.parse(r.out)).toEqual({ file: out, rows: 1, enterprises: 1 });
      expect(await column(out, 'E')).toEqual(['石灰窑']);
    }
    const bad = await run([
      '--data-dir',
      dir,
      'export',
      'list',
      '--industry',
      '造纸',
      '--out',
      out,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('未知的重点行业类型“造纸”');
    const badCounty = await run([
      '--data-dir',
      dir,
      'export',
      'list',
      '--city',
      '银川市',
      '--county',
      '惠农区',
      '--out',
      out,
    ]);
    expect(badCounty.code).toBe(2);
  });
});

describe('registry API', () => {
  it('exports, previews and applies through dispatch, and refuses to apply a file with problems', async () => {
    const ctx = createTestContext({ resources: 'shipped' });
    try {
      const good = fs.readFileSync(path.join(FIXTURES, 'good.xlsx')).toString('base64');
      const preview = await dispatch(ctx, 'registry.importPreview', {
        fileName: 'good.xlsx',
        dataBase64: good,
      });
      expect(preview).toMatchObject({ ok: true, value: { enterprisesAdded: 5 } });
      const applied = await dispatch(ctx, 'registry.importApply', {
        fileName: 'good.xlsx',
        dataBase64: good,
        taskId: 'apply-1',
      });
      expect(applied.ok && (applied.value as ImportPreview).processesAdded).toBe(5);

      const bad = fs.readFileSync(path.join(FIXTURES, 'bad-date.xlsx')).toString('base64');
      const refused = await dispatch(ctx, 'registry.importApply', {
        fileName: 'bad-date.xlsx',
        dataBase64: bad,
      });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', issues: [{ path: '第 9 行「拟完成时间」' }] },
      });

      const exported = await dispatch(ctx, 'registry.export', { filter: { cityCode: '6402' } });
      expect(exported).toMatchObject({ ok: true, value: { rows: 1 } });
      expect(await dispatch(ctx, 'task.cancel', { taskId: 'nothing-running' })).toEqual({
        ok: true,
        value: { cancelled: false },
      });
    } finally {
      closeAppContext(ctx);
    }
  });
});
