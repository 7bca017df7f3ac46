/**
 * Workbook → ruleset (read.ts): a filled-in template imported, example rows skipped, the template's
 * and older words read alike, and blank ids generated.
 */
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  generatedIndicatorId,
  generatedRulesetId,
  rulesetFromWorkbook,
  rulesetTemplate,
  rulesetToWorkbook,
} from '../../../../electron/services/ruleset-excel';
import { CEMENT, load, rulesetOf, save, sheet } from './fixtures';

describe('importing a filled template', () => {
  async function filled(): Promise<ExcelJS.Workbook> {
    const wb = await load(await rulesetTemplate());
    const meta = sheet(wb, '指标体系');
    meta.getCell('B2').value = 'cement-grinding';
    meta.getCell('B3').value = '水泥';
    meta.getCell('B4').value = '粉磨站';
    meta.getCell('B5').value = 2020;
    meta.getCell('B6').value = '技术指南 水泥';
    const ws = sheet(wb, '指标');
    ws.getRow(7).values = [
      'emission.pm',
      '排放限值',
      '颗粒物',
      'max',
      'mg/m³',
      null,
      null,
      null,
      ' 10 ',
      null,
      '２０',
    ];
    ws.getRow(8).values = [
      'monitoring.video',
      '监测监控水平',
      '视频监控',
      'bool（是否）',
      null,
      null,
      null,
      null,
      '是',
      null,
      'FALSE',
    ];
    ws.getRow(9).values = [
      'treatment.dust',
      '污染治理技术',
      '除尘',
      'oneOf',
      null,
      '袋式, 电袋；电除尘',
      null,
      null,
      '袋式',
      'A 级原文',
      '袋式，电袋',
    ];
    ws.getRow(10).values = [
      'equipment.level',
      '其他维度',
      '装备',
      '等级',
      null,
      null,
      null,
      null,
      'A级',
      null,
      'B',
    ];
    return wb;
  }

  it('imports the rows below the examples, converting each cell to its kind', async () => {
    const result = await rulesetFromWorkbook(await save(await filled()));
    const r = rulesetOf(result);
    expect(r).toStrictEqual({
      id: 'cement-grinding',
      industry: '水泥',
      branch: '粉磨站',
      edition: '2020',
      source: '技术指南 水泥',
      status: 'draft',
      grades: [
        { grade: 'A', rank: 1 },
        { grade: 'B', rank: 2 },
        { grade: 'C', rank: 4 },
        { grade: 'D', rank: 5 },
      ],
      indicators: [
        {
          id: 'emission.pm',
          dimension: '排放限值',
          title: '颗粒物',
          kind: 'max',
          unit: 'mg/m³',
          require: { A: 10, B: 20 },
        },
        {
          id: 'monitoring.video',
          dimension: '监测监控水平',
          title: '视频监控',
          kind: 'bool',
          require: { A: true, B: false },
        },
        {
          id: 'treatment.dust',
          dimension: '污染治理技术',
          title: '除尘',
          kind: 'oneOf',
          options: ['袋式', '电袋', '电除尘'],
          text: { A: 'A 级原文' },
          require: { A: ['袋式'], B: ['袋式', '电袋'] },
        },
        {
          id: 'equipment.level',
          dimension: '其他维度',
          title: '装备',
          kind: 'level',
          require: { A: 'A', B: 'B' },
        },
      ],
    });
  });

  it('warns that each example row was skipped, naming the row', async () => {
    const result = await rulesetFromWorkbook(await save(await filled()));
    expect(result.ok && result.warnings.map((w) => [w.sheet, w.row, w.column])).toEqual([
      ['指标', 2, 'A'],
      ['指标', 3, 'A'],
      ['指标', 4, 'A'],
      ['指标', 5, 'A'],
      ['指标', 6, 'A'],
    ]);
    expect(result.ok && result.warnings[0]?.message).toContain('示例行');
    expect(result.ok && result.warnings[0]?.path).toBe('「指标」第 2 行 A 列');
  });

  it('imports an example row once its 指标编号 no longer starts with 示例', async () => {
    const wb = await filled();
    sheet(wb, '指标').getCell('A2').value = 'emission.kiln-tail.nox';
    const r = rulesetOf(await rulesetFromWorkbook(await save(wb)));
    expect(r.indicators[0]).toMatchObject({
      id: 'emission.kiln-tail.nox',
      kind: 'max',
      require: { A: 50, B: 100 },
    });
    expect(r.indicators).toHaveLength(5);
  });

  it('reads the template’s Chinese words and the older English ones alike', async () => {
    const wb = await filled();
    const ws = sheet(wb, '指标');
    ws.getCell('D7').value = '上限';
    ws.getCell('D8').value = 'bool';
    ws.getCell('D9').value = 'oneOf（选项）';
    sheet(wb, '指标体系').getCell('B8').value = '已核实';
    const r = rulesetOf(await rulesetFromWorkbook(await save(wb)));
    expect(r.status).toBe('verified');
    expect(r.indicators.map((i) => i.kind)).toEqual(['max', 'bool', 'oneOf', 'level']);
  });

  it('reads 现场说明 for the team and 来源与缺项 for experts, each into its own field', async () => {
    const wb = await filled();
    const ws = sheet(wb, '指标');
    ws.getCell('G7').value = '填写主排气筒颗粒物的小时均值';
    ws.getCell('H7').value = '原表第 3 行，C 列未取得';
    const meta = sheet(wb, '指标体系');
    meta.getCell('B7').value = '排放限值只录入了颗粒物';
    meta.getCell('B9').value = '草稿：只录入了颗粒物，算出的等级不能代替正式评级。';
    const r = rulesetOf(await rulesetFromWorkbook(await save(wb)));
    expect(r.summary).toBe('草稿：只录入了颗粒物，算出的等级不能代替正式评级。');
    expect(r.sourceNote).toBe('排放限值只录入了颗粒物');
    expect(r.indicators[0]).toMatchObject({
      hint: '填写主排气筒颗粒物的小时均值',
      note: '原表第 3 行，C 列未取得',
    });
  });

  it('reads an older template’s 说明 column and 来源备注 row as 来源与缺项, never as 现场说明', async () => {
    const wb = await filled();
    const ws = sheet(wb, '指标');
    ws.spliceColumns(7, 2, ['说明', null, null, null, null, null, '另列为 transport.other']);
    const meta = sheet(wb, '指标体系');
    meta.getCell('A7').value = '来源备注';
    meta.getCell('B7').value = '运输监管缺页';
    const r = rulesetOf(await rulesetFromWorkbook(await save(wb)));
    expect(r.sourceNote).toBe('运输监管缺页');
    expect(r.summary).toBeUndefined();
    expect(r.indicators[0]).toMatchObject({ note: '另列为 transport.other' });
    expect(r.indicators.some((i) => i.hint !== undefined)).toBe(false);
  });

  it('warns where a 现场说明 holds an indicator id or an English word, at its cell', async () => {
    const wb = await filled();
    sheet(wb, '指标').getCell('G8').value = '已联网的填 true，见 monitoring.cems';
    const result = await rulesetFromWorkbook(await save(wb));
    expect(result.ok && result.warnings).toContainEqual(
      expect.objectContaining({
        sheet: '指标',
        row: 8,
        column: 'G',
        message: expect.stringContaining('true、monitoring.cems') as string,
      }),
    );
  });

  it('generates a blank 指标编号 from the name, the same on every import, and says so', async () => {
    const wb = await filled();
    const ws = sheet(wb, '指标');
    ws.getCell('A7').value = null;
    ws.getCell('A8').value = null;
    ws.getCell('C8').value = '颗粒物';
    const once = await rulesetFromWorkbook(await save(wb));
    const again = await rulesetFromWorkbook(await save(wb));
    const [pm, video] = rulesetOf(once).indicators;
    expect(pm?.id).toBe(generatedIndicatorId('颗粒物', '排放限值'));
    expect(pm?.id).toMatch(/^ind-[0-9a-f]{8}$/);
    // A second indicator of the same name takes its dimension into the hash.
    expect(video?.id).toBe(generatedIndicatorId('颗粒物', '监测监控水平', new Set([pm?.id])));
    expect(video?.id).not.toBe(pm?.id);
    expect(rulesetOf(again).indicators.map((i) => i.id)).toEqual(
      rulesetOf(once).indicators.map((i) => i.id),
    );
    expect(once.ok && once.warnings.map((w) => w.message)).toContain(
      `「指标编号」为空，已按指标名称生成 ${pm?.id}`,
    );
  });

  it('generates a blank ruleset 编号 from the industry and branch', async () => {
    const wb = await filled();
    sheet(wb, '指标体系').getCell('B2').value = null;
    const result = await rulesetFromWorkbook(await save(wb));
    expect(rulesetOf(result).id).toBe(generatedRulesetId('水泥', '粉磨站'));
    expect(rulesetOf(result).id).toMatch(/^rs-[0-9a-f]{8}$/);
    expect(result.ok && result.warnings.map((w) => w.path)).toContain('「指标体系」第 2 行 B 列');
  });

  it('ignores blank rows in between and formatted but empty trailing rows', async () => {
    const wb = await load(await rulesetToWorkbook(CEMENT));
    const ws = sheet(wb, '指标');
    ws.spliceRows(4, 0, [], []);
    for (let r = 20; r < 30; r++) {
      ws.getCell(`A${r}`).value = '   ';
      ws.getCell(`B${r}`).fill = {
        type: 'pattern',
        pattern: 'solid',
        fgColor: { argb: 'FFFFFF00' },
      };
    }
    sheet(wb, '应急减排措施').getCell('A40').value = ' ';
    expect(rulesetOf(await rulesetFromWorkbook(await save(wb)))).toStrictEqual(CEMENT);
  });
});
