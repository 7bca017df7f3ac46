/**
 * Import, reading the file (import-read.ts): merged cells, files that are no 附件2 list, a header
 * that lacks a column, and cancelling during the check.
 */
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingOpCount } from '../../../../db/repositories/device';
import { importAnnex2, previewAnnex2Import } from '../../../../electron/services/annex2';
import { loadAnnex2Workbook } from '../../../../electron/services/annex2/workbook';
import type { AppContext } from '../../../../electron/services/context';
import { CODES } from '../../../fixtures/annex2/make-fixtures';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { HEADERS, edited, fixture, rejection, snapshot } from './helpers';

describe('附件2 import: reading the file', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext({ resources: 'shipped' });
  });
  afterEach(() => closeAppContext(ctx));

  it('reads 序号, 地级市, 县（市、区） and 企业名称 merged down an enterprise’s rows as repeated values', async () => {
    const merged = await importAnnex2(ctx, fixture('good.xlsx'));
    const other = createTestContext({ resources: 'shipped' });
    try {
      expect(await importAnnex2(other, fixture('good-unmerged.xlsx'))).toEqual(merged);
      expect(snapshot(other)).toEqual(snapshot(ctx));
    } finally {
      closeAppContext(other);
    }

    const loaded = await loadAnnex2Workbook(fixture('good.xlsx'));
    if (!loaded || 'refused' in loaded) throw new Error('good.xlsx did not load');
    const ws = loaded.workbook.worksheets[0]!;
    // The merge list was taken aside (exceljs's own merging is quadratic) and resolved by cell().
    expect(ws.hasMerges).toBe(false);
    expect(loaded.cell(ws, 6, 4).value).toBe('宁夏瑞泰水泥有限公司');
    expect(loaded.cell(ws, 6, 14).value).toBe(CODES.cement);
    expect(loaded.cell(ws, 3, 5).value).toBe(null);
  });

  it('reads a 地级市 merged down a whole city or across 县（市、区）, and skips rows that only share merged cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.addRow(['重点行业绩效分级“提级扩面”企业清单']);
    ws.addRow(HEADERS);
    ws.addRow([1, '吴忠市', '利通区', '宁夏利通水泥有限公司', '水泥', '粉磨站', 'C', 'B']);
    ws.addRow([2, null, '青铜峡市', '宁夏青铜峡石灰有限公司', '石灰窑', '石灰窑', 'D', 'C']);
    ws.addRow([3, null, '青铜峡市', '宁夏青铜峡电石有限公司', '电石', '电石', 'C', 'B']);
    ws.addRow([4]); // a numbered template row left empty, inside the city's merge
    ws.addRow([5, '宁东基地', null, '宁夏宁东煤化工有限公司', '煤化工/现代煤化工']);
    ws.mergeCells('B3:B6');
    ws.mergeCells('C4:C5');
    ws.mergeCells('B7:C7'); // 宁东基地 across 地级市 and 县（市、区）
    const preview = await previewAnnex2Import(ctx, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(preview).toMatchObject({
      rows: 4,
      enterprisesAdded: 4,
      processesAdded: 4,
      problems: [],
    });
  });

  it.each([
    ['not a workbook', 'not-a-workbook.xlsx', '文件不是有效的 Excel 工作簿'],
    ['an empty workbook', 'empty.xlsx', '文件是空的'],
    ['a workbook without the list’s header', 'no-header.xlsx', '找不到表头'],
  ])('refuses a file that is %s, saying so', async (_what, file, says) => {
    const preview = await previewAnnex2Import(ctx, fixture(file));
    expect(preview.problems).toEqual([
      { row: null, column: null, value: null, message: expect.stringContaining(says) as string },
    ]);
    const e = await rejection(importAnnex2(ctx, fixture(file)));
    expect(e.message).toContain(says);
    expect(e.message).toContain('未导入任何内容');
    expect(pendingOpCount(ctx.db)).toBe(0);
  });

  it('refuses a header that lacks a column the list needs', async () => {
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('F4').value = '说明';
    });
    expect((await previewAnnex2Import(ctx, file)).problems).toEqual([
      {
        row: 4,
        column: '重点行业分支',
        value: null,
        message: '缺少列「重点行业分支」（第 4 行是表头）',
      },
    ]);
  });

  it('stops before writing anything when cancelled during the check', async () => {
    const seen: string[] = [];
    const off = ctx.events.subscribe((event, payload) => {
      if (event !== 'task.progress') return;
      const p = payload as { phase: string; done: number; total: number };
      seen.push(p.phase);
      if (p.phase === '校验' && p.done === p.total) ctx.tasks.cancel('import-1');
    });
    const e = await rejection(
      ctx.tasks.run(ctx, 'import-1', (task) => importAnnex2(ctx, fixture('good.xlsx'), task)),
    );
    off();
    expect(e.code).toBe('cancelled');
    expect(seen).toContain('读取');
    expect(seen).not.toContain('写入');
    expect(pendingOpCount(ctx.db)).toBe(0);
    expect(snapshot(ctx)).toEqual([]);
  });
});
