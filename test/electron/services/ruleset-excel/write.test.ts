/**
 * Ruleset → workbook (write.ts): the blank template's sheets, headers, notes, drop-downs, example
 * rows and grade scheme.
 */
import { describe, expect, it } from 'vitest';
import { rulesetFromWorkbook, rulesetTemplate } from '../../../../electron/services/ruleset-excel';
import { headers, load, problemsOf, sheet, str } from './fixtures';

describe('the ruleset template', () => {
  it('opens with exceljs and has the sheets 指标, 指标体系, 应急减排措施 and 填写说明', async () => {
    const wb = await load(await rulesetTemplate());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '指标',
      '指标体系',
      '应急减排措施',
      '填写说明',
    ]);
  });

  it('has the indicator headers and one 要求 and one 原文 column for every default grade', async () => {
    const ws = sheet(await load(await rulesetTemplate()), '指标');
    expect(headers(ws)).toEqual([
      '指标编号',
      '维度',
      '指标名称',
      '类型',
      '单位',
      '可选项',
      '现场说明',
      '来源与缺项',
      'A级要求',
      'A级原文',
      'B级要求',
      'B级原文',
      'C级要求',
      'C级原文',
      'D级要求',
      'D级原文',
    ]);
  });

  it('freezes a bold, filled header row with set column widths', async () => {
    const ws = sheet(await load(await rulesetTemplate()), '指标');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const a1 = ws.getCell('A1');
    expect(a1.font?.bold).toBe(true);
    expect(a1.fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(ws.getColumn(3).width).toBeGreaterThan(20);
  });

  it('lists the dimensions without refusing others, and the kinds and statuses as lists', async () => {
    const wb = await load(await rulesetTemplate());
    const ws = sheet(wb, '指标');
    const dimension = ws.getCell('B2').dataValidation;
    expect(dimension.type).toBe('list');
    expect(String(dimension.formulae[0])).toContain('排放限值');
    expect(dimension.showErrorMessage).not.toBe(true);
    const kind = ws.getCell('D500').dataValidation;
    expect(kind.type).toBe('list');
    expect(kind.formulae[0]).toBe('"上限,下限,是否,选项,等级"');
    expect(kind.error).toBe('类型应为 上限、下限、是否、选项、等级 之一');
    expect(sheet(wb, '指标体系').getCell('B8').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"草稿,已核实"'],
      error: '状态应为 草稿（未核对）或 已核实（已核对）',
    });
  });

  it('explains in the header notes how each kind’s requirement is written', async () => {
    const ws = sheet(await load(await rulesetTemplate()), '指标');
    const note = str(ws.getCell('I1').note);
    for (const s of [
      '上限、下限填数字',
      '是否填 是 或 否',
      '选项填允许的可选项',
      '、',
      '等级填一个等级',
    ]) {
      expect(note).toContain(s);
    }
    expect(str(ws.getCell('O1').note)).toContain('必须留空');
  });

  it('ships one example row per kind, its 指标编号 starting with 示例', async () => {
    const ws = sheet(await load(await rulesetTemplate()), '指标');
    const rows = [2, 3, 4, 5, 6].map((r) => ws.getRow(r));
    expect(rows.map((r) => r.getCell(1).value)).toEqual([
      '示例-emission.kiln-tail.nox',
      '示例-transport.clean-road-share',
      '示例-equipment.level',
      '示例-monitoring.cems',
      '示例-treatment.denitration',
    ]);
    expect(rows.map((r) => r.getCell(4).value)).toEqual(['上限', '下限', '等级', '是否', '选项']);
    expect(ws.getCell('I2').value).toBe(50);
    expect(ws.getCell('K5').value).toBe('是');
    expect(ws.getCell('I6').value).toBe('SCR、SNCR+SCR');
    expect(ws.getCell('F6').value).toBe('SCR、SNCR+SCR、SNCR、低氮燃烧、无');
    expect(ws.getRow(7).getCell(1).value).toBeNull();
  });

  it('holds the grade scheme best first with the floor last, and a row per grade for measures', async () => {
    const wb = await load(await rulesetTemplate());
    const meta = sheet(wb, '指标体系');
    expect(meta.getCell('A11').value).toBe('等级');
    expect(
      [12, 13, 14, 15].map((r) => [meta.getCell(`A${r}`).value, meta.getCell(`B${r}`).value]),
    ).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 4],
      ['D', 5],
    ]);
    expect(str(meta.getCell('C15').value)).toContain('兜底');
    expect(meta.getCell('B8').value).toBe('草稿');
    const measures = sheet(wb, '应急减排措施');
    expect(headers(measures)).toEqual(['等级', '黄色预警', '橙色预警', '红色预警']);
    expect([2, 3, 4, 5].map((r) => measures.getCell(`A${r}`).value)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('follows a given grade scheme, examples included', async () => {
    const wb = await load(
      await rulesetTemplate([
        { grade: '引领性', rank: 1 },
        { grade: '非引领性', rank: 4 },
      ]),
    );
    const ws = sheet(wb, '指标');
    expect(headers(ws).slice(8)).toEqual([
      '引领性级要求',
      '引领性级原文',
      '非引领性级要求',
      '非引领性级原文',
    ]);
    expect(ws.getCell('I2').value).toBe(50);
    expect(ws.getCell('K2').value).toBeNull();
    expect(ws.getCell('I4').value).toBe('引领性');
  });

  it('refuses a grade scheme of fewer than two grades', async () => {
    await expect(rulesetTemplate([{ grade: 'A', rank: 1 }])).rejects.toThrow('至少需要两个等级');
  });

  it('is refused untouched, for the empty 指标体系 only: its example rows are skipped', async () => {
    const problems = problemsOf(await rulesetFromWorkbook(await rulesetTemplate()));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.sheet === '指标体系' && p.column === 'B')).toBe(true);
    expect(problems.map((p) => p.row)).toEqual([2, 3, 5, 6]);
    expect(problems[0]?.message).toContain('编号');
  });
});
