/**
 * Workbook → ruleset with mistakes (read.ts, read-sheets.ts): every problem reported at its sheet,
 * row and column, in the template's words, and nothing imported.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  formatRulesetExcelProblems,
  rulesetFromWorkbook,
} from '../../../../electron/services/ruleset-excel';
import { CEMENT, importEdited, problemsOf, sheet } from './fixtures';

describe('importing a workbook with mistakes', () => {
  /** One cell of 「指标」 changed: the one problem is at that cell and says each of `says`. */
  it.each<[string, string, ExcelJS.CellValue, string[]]>([
    ['a word where a number belongs', 'K2', '很低', ['「B级要求」应填数字', '很低']],
    ['a bool requirement that is neither 是 nor 否', 'I5', '需要', ['应填“是”或“否”']],
    [
      'an unknown kind, and nothing more about that row,',
      'D3',
      '百分比',
      ['未知的指标类型“百分比”'],
    ],
    [
      'a requirement in the floor grade’s column',
      'O2',
      300,
      ['D 是最低（兜底）等级，此列必须留空'],
    ],
    [
      'a grade column whose grade is not in the scheme',
      'M1',
      'E级要求',
      ['等级 E 不在「指标体系」的等级表中'],
    ],
    ['an unrecognised column header', 'Q1', '备注', ['无法识别的列标题「备注」']],
    [
      'a duplicate 指标编号, naming the first row,',
      'A4',
      'transport.clean-road-share',
      ['重复', '第 3 行'],
    ],
    [
      'an option not listed (the validator’s path mapped back to the cell)',
      'K6',
      'SCR、湿法',
      ['“湿法” 不在「可选项」中'],
    ],
    ['a level requirement naming no grade of the scheme', 'I4', '优秀', ['应为本指标体系的等级']],
    ['content in a column without a header', 'T3', '多余', []],
  ])('reports %s at 「指标」%s', async (_what, cell, value, says) => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell(cell).value = value;
      }),
    );
    const [, column, row] = /^([A-Z]+)(\d+)$/.exec(cell) ?? [];
    expect(problems).toMatchObject([{ sheet: '指标', row: Number(row), column }]);
    for (const text of says) expect(problems[0]?.message).toContain(text);
  });
  it('reports a missing 指标名称 and an invalid 编号 and 状态 in 指标体系', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('C3').value = null;
        sheet(wb, '指标体系').getCell('B2').value = 'Cement Clinker';
        sheet(wb, '指标体系').getCell('B8').value = 'done';
      }),
    );
    expect(problems.map((p) => [p.sheet, p.row, p.column])).toEqual([
      ['指标', 3, 'C'],
      ['指标体系', 2, 'B'],
      ['指标体系', 8, 'B'],
    ]);
    expect(problems[0]?.message).toContain('「指标名称」缺少此项');
    expect(problems[2]?.message).toBe('「状态」应为 草稿 或 已核实，实为 “done”');
  });

  it('names the kinds in the template’s words when one is unknown', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('D3').value = '百分比';
      }),
    );
    expect(problems[0]?.message).toContain('上限、下限、是否、选项、等级');
    expect(problems[0]?.message).not.toMatch(/max|oneOf/);
  });

  it('reports a rank that is not a number, and grades out of order', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标体系').getCell('B13').value = '第二';
        sheet(wb, '指标体系').getCell('B15').value = 3;
      }),
    );
    expect(problems.map((p) => [p.sheet, p.row, p.column])).toEqual([
      ['指标体系', 13, 'B'],
      ['指标体系', 15, 'B'],
    ]);
    expect(problems[0]?.message).toContain('「排序」应填数字');
    expect(problems[1]?.message).toContain('rank 逐个增大');
  });

  it('reports measures for a grade the scheme does not have', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '应急减排措施').getRow(6).values = ['E', '停产'];
      }),
    );
    expect(problems).toMatchObject([{ sheet: '应急减排措施', row: 6 }]);
    expect(problems[0]?.message).toContain('本指标体系没有等级 “E”');
  });

  it('reports every problem at once', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        const ws = sheet(wb, '指标');
        ws.getCell('I2').value = 'fifty';
        ws.getCell('D3').value = 'between';
        ws.getCell('O5').value = '是';
        ws.getCell('A6').value = 'emission.kiln-tail.nox';
        sheet(wb, '指标体系').getCell('B3').value = null;
      }),
    );
    expect(problems.map((p) => [p.sheet, p.row, p.column])).toEqual([
      ['指标', 2, 'I'],
      ['指标', 3, 'D'],
      ['指标', 5, 'O'],
      ['指标', 6, 'A'],
      ['指标体系', 3, 'B'],
    ]);
  });

  it('reports a missing 指标 sheet', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        wb.removeWorksheet(sheet(wb, '指标').id);
      }),
    );
    expect(problems).toEqual([
      { sheet: '指标', row: null, column: null, message: '缺少工作表「指标」' },
    ]);
  });

  it('reports a missing 指标体系 sheet and still checks the indicators', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        wb.removeWorksheet(sheet(wb, '指标体系').id);
        sheet(wb, '指标').getCell('I3').value = '全部';
      }),
    );
    expect(problems).toEqual([
      {
        sheet: '指标',
        row: 3,
        column: 'I',
        message: expect.stringContaining('应填数字') as unknown,
      },
      { sheet: '指标体系', row: null, column: null, message: '缺少工作表「指标体系」' },
    ]);
  });

  it('reports a missing required column header', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('D1').value = null;
      }),
    );
    expect(problems).toEqual([{ sheet: '指标', row: 1, column: null, message: '缺少列「类型」' }]);
  });

  it('reports a missing grade table in 指标体系', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标体系').getCell('A11').value = '级别';
      }),
    );
    expect(problems[0]).toMatchObject({ sheet: '指标体系', row: null, column: null });
    expect(problems[0]?.message).toMatch(/^缺少等级表/);
    expect(problems[1]).toMatchObject({ sheet: '指标体系', row: 11, column: 'A' });
    expect(problems[1]?.message).toContain('无法识别的项目“级别”');
    expect(problems.every((p) => p.sheet === '指标体系')).toBe(true);
  });

  it('refuses a file that is not an Excel workbook with one clear problem', async () => {
    for (const bytes of [Buffer.from('id,industry\ncement,水泥\n'), Buffer.alloc(0)]) {
      expect(await rulesetFromWorkbook(bytes)).toEqual({
        ok: false,
        problems: [{ sheet: '', row: null, column: null, message: '文件不是有效的 Excel 工作簿' }],
      });
    }
  });

  it('formats problems one per line with their place', () => {
    expect(
      formatRulesetExcelProblems([
        { sheet: '指标', row: 2, column: 'J', message: '「B级要求」应填数字' },
        { sheet: '指标', row: null, column: null, message: '缺少工作表「指标」' },
        { sheet: '', row: null, column: null, message: '文件不是有效的 Excel 工作簿' },
      ]),
    ).toBe(
      '「指标」第 2 行 J 列：「B级要求」应填数字\n「指标」：缺少工作表「指标」\n文件不是有效的 Excel 工作簿',
    );
  });
});
