import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  formatRulesetExcelProblems,
  generatedIndicatorId,
  generatedRulesetId,
  rulesetFromWorkbook,
  rulesetTemplate,
  rulesetToWorkbook,
  type RulesetExcelProblem,
  type RulesetExcelResult,
} from '../../../electron/services/ruleset-excel';
import {
  ALERT_LEVELS,
  INDICATOR_KINDS,
  type AlertLevel,
  type Indicator,
  type Requirement,
  type Ruleset,
} from '../../../shared/grading/types';
import { validateRuleset } from '../../../shared/grading/validate';

/** The contract's cement sample (ruleset-format.md). Columns: H A级要求, J B级要求, L C级要求, N D级要求. */
const CEMENT: Ruleset = {
  id: 'cement-clinker',
  industry: '水泥',
  branch: '水泥熟料',
  edition: '2020',
  source: '重污染天气重点行业应急减排措施制定技术指南（2020年修订版） 水泥',
  status: 'draft',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'C', rank: 4 },
    { grade: 'D', rank: 5 },
  ],
  indicators: [
    {
      id: 'emission.kiln-tail.nox',
      dimension: '排放限值',
      title: '窑尾氮氧化物排放浓度',
      kind: 'max',
      unit: 'mg/m³',
      note: '基准含氧量 10%，小时均值',
      require: { A: 50, B: 100 },
    },
    {
      id: 'transport.clean-road-share',
      dimension: '运输方式',
      title: '物料公路运输使用国五及以上或新能源车辆比例',
      kind: 'min',
      unit: '%',
      require: { A: 100, B: 80, C: 50 },
    },
    {
      id: 'equipment.level',
      dimension: '装备水平',
      title: '生产工艺装备',
      kind: 'level',
      text: { A: '…A级要求原文…', B: '…B级要求原文…' },
      require: { A: 'A', B: 'B' },
    },
    {
      id: 'monitoring.cems',
      dimension: '监测监控水平',
      title: '主要排放口安装 CEMS 并联网',
      kind: 'bool',
      require: { A: true, B: true },
    },
    {
      id: 'treatment.denitration',
      dimension: '污染治理技术',
      title: '脱硝工艺',
      kind: 'oneOf',
      options: ['SCR', 'SNCR+SCR', 'SNCR', '低氮燃烧', '无'],
      require: { A: ['SCR', 'SNCR+SCR'], B: ['SCR', 'SNCR+SCR', 'SNCR'] },
    },
  ],
  measures: { B: { yellow: '…', orange: '…', red: '…' } },
};

/** Every kind, wording, measures, a B- grade with rank 3, no branch. */
const RICH: Ruleset = {
  id: 'coking.top-charging',
  industry: '焦化',
  edition: '2020',
  source: '重污染天气重点行业应急减排措施制定技术指南（2020年修订版） 焦化',
  summary: '运输监管尚未录入，请对照正式指南另行核查。',
  sourceNote: '“运输监管”一项原文缺页，未转录',
  status: 'verified',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'B-', rank: 3 },
    { grade: 'C', rank: 4 },
    { grade: 'D', rank: 5 },
  ],
  indicators: [
    {
      id: 'emission.coke-oven.so2',
      dimension: '排放限值',
      title: '焦炉烟囱二氧化硫排放浓度',
      kind: 'max',
      unit: 'mg/m³',
      hint: '填写焦炉烟囱二氧化硫的小时均值。',
      note: '小时均值',
      text: {
        A: 'SO2 不高于 30 mg/m³',
        'B-': '第一行\n第二行：不高于 50',
        D: '兜底等级也可有原文',
      },
      require: { A: 30, B: 35.5, 'B-': 50, C: 0 },
    },
    {
      id: 'transport.clean-share',
      dimension: '运输方式',
      title: '清洁运输比例',
      kind: 'min',
      unit: '%',
      require: { A: 80, B: 60, 'B-': 1e-3 },
    },
    {
      id: 'monitoring.cems',
      dimension: '监测监控水平',
      title: '安装 CEMS',
      kind: 'bool',
      require: { A: true, B: true, 'B-': false },
    },
    {
      id: 'treatment.dust',
      dimension: '污染治理技术',
      title: '除尘工艺',
      kind: 'oneOf',
      options: ['覆膜滤料袋式除尘', '电袋复合除尘、湿电', '其他'],
      note: '“电袋复合除尘、湿电”是一项',
      require: {
        A: ['覆膜滤料袋式除尘'],
        B: ['电袋复合除尘、湿电'],
        'B-': ['覆膜滤料袋式除尘', '电袋复合除尘、湿电'],
      },
    },
    {
      id: 'treatment.desulfurization',
      dimension: '污染治理技术',
      title: '脱硫工艺',
      kind: 'oneOf',
      options: ['湿法', '干法', 'SDS'],
      require: { A: ['湿法', '干法'], C: ['SDS'] },
    },
    {
      id: 'equipment.level',
      dimension: '装备水平',
      title: '炭化室高度',
      kind: 'level',
      text: { A: '炭化室高度 6 米及以上', B: '4.3 米及以上', 'B-': '4.3 米以下' },
      require: { A: 'A', B: 'B', 'B-': 'B-', C: 'C' },
    },
    {
      id: 'management.ledger-2024',
      dimension: '台账管理',
      title: '环境管理台账',
      kind: 'bool',
      require: {},
    },
  ],
  measures: {
    A: { yellow: '自主减排' },
    'B-': { yellow: '限产 10%', orange: '限产 20%', red: '限产 30%\n焦炉保温' },
    C: { orange: '限产 30%', red: '停产' },
  },
};

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Exports `r`, lets `change` edit the workbook as an expert would, and imports the result. */
async function importEdited(
  r: Ruleset,
  change: (wb: ExcelJS.Workbook) => void,
): Promise<RulesetExcelResult> {
  const wb = await load(await rulesetToWorkbook(r));
  change(wb);
  return rulesetFromWorkbook(await save(wb));
}

function problemsOf(result: RulesetExcelResult): RulesetExcelProblem[] {
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty('ruleset');
  return result.ok ? [] : result.problems;
}

function rulesetOf(result: RulesetExcelResult): Ruleset {
  if (!result.ok) throw new Error(formatRulesetExcelProblems(result.problems));
  return result.ruleset;
}

/** A cell's value or note as a string; anything else is a test failure. */
function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function headers(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.getRow(1).eachCell((c) => out.push(str(c.value)));
  return out;
}

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

describe('a round trip through Excel', () => {
  it('gives back a rich ruleset deep-equal: all kinds, wording, measures, a B- grade, no branch', async () => {
    expect(validateRuleset(RICH).ok).toBe(true);
    const back = rulesetOf(await rulesetFromWorkbook(await rulesetToWorkbook(RICH)));
    expect(back).toStrictEqual(RICH);
  });

  it('gives back the contract’s cement sample deep-equal', async () => {
    const back = rulesetOf(await rulesetFromWorkbook(await rulesetToWorkbook(CEMENT)));
    expect(back).toStrictEqual(CEMENT);
  });

  it('keeps absent optional fields absent rather than empty', async () => {
    const bare: Ruleset = {
      id: 'lime',
      industry: '石灰',
      edition: '宁夏 2024',
      source: '宁夏指南',
      status: 'draft',
      grades: [
        { grade: '引领性', rank: 1 },
        { grade: '非引领性', rank: 4 },
      ],
      indicators: [
        {
          id: 'a',
          dimension: '装备水平',
          title: '窑型',
          kind: 'level',
          require: { 引领性: '引领性' },
        },
      ],
    };
    const back = rulesetOf(await rulesetFromWorkbook(await rulesetToWorkbook(bare)));
    expect(back).toStrictEqual(bare);
    expect(Object.keys(back)).not.toContain('measures');
    expect(Object.keys(back.indicators[0]!)).toEqual([
      'id',
      'dimension',
      'title',
      'kind',
      'require',
    ]);
  });

  it('accepts an ArrayBuffer as well as a Buffer', async () => {
    const buf = await rulesetToWorkbook(CEMENT);
    const ab = new ArrayBuffer(buf.byteLength);
    new Uint8Array(ab).set(buf);
    expect(rulesetOf(await rulesetFromWorkbook(ab))).toStrictEqual(CEMENT);
  });
});

/** Free text as experts write it: Chinese, list separators, XML specials, inner spaces and breaks. */
const freeText = fc
  .string({
    unit: fc.constantFrom(
      'a',
      'Z',
      '0',
      ' ',
      '中',
      '文',
      '、',
      '，',
      ';',
      '\n',
      '（',
      '%',
      '³',
      '"',
      '<',
      '&',
      '=',
      "'",
    ),
    minLength: 1,
    maxLength: 10,
  })
  .filter((t) => t.trim() !== '');
/** A list item: trimmed, one line, possibly holding a list separator. */
const item = fc
  .string({
    unit: fc.constantFrom('a', 'B', '中', '、', ',', ';', '+', ' ', '-'),
    minLength: 1,
    maxLength: 6,
  })
  .filter((t) => t.trim() === t);
const idArb = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/);
const numberArb = fc
  .oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e9, max: 1e9, noNaN: true }))
  .map((x) => (Object.is(x, -0) ? 0 : x));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function perGrade<T>(grades: string[], value: fc.Arbitrary<T>, minLength = 0) {
  return fc
    .subarray(grades, { minLength })
    .chain((gs) =>
      fc
        .tuple(...gs.map(() => value))
        .map((vs) => Object.fromEntries(gs.map((g, i) => [g, vs[i] as T]))),
    );
}

function indicatorArb(grades: string[]): fc.Arbitrary<Indicator> {
  const upper = grades.slice(0, -1);
  return fc
    .record({
      id: idArb,
      dimension: freeText,
      title: freeText,
      kind: fc.constantFrom(...INDICATOR_KINDS),
      unit: maybe(freeText),
      hint: maybe(freeText),
      note: maybe(freeText),
      options: fc.uniqueArray(item, { minLength: 1, maxLength: 4 }),
      optionsOnOtherKind: fc.boolean(),
      text: maybe(perGrade(grades, freeText, 1)),
    })
    .chain(({ kind, options, optionsOnOtherKind, unit, hint, note, text, ...rest }) => {
      const value: fc.Arbitrary<Requirement> =
        kind === 'max' || kind === 'min'
          ? numberArb
          : kind === 'bool'
            ? fc.boolean()
            : kind === 'oneOf'
              ? fc.array(fc.constantFrom(...options), { minLength: 1, maxLength: 3 })
              : fc.constantFrom(...grades);
      return perGrade(upper, value).map((require) => {
        const ind: Indicator = { ...rest, kind, require };
        if (unit !== undefined) ind.unit = unit;
        if (hint !== undefined) ind.hint = hint;
        if (note !== undefined) ind.note = note;
        if (kind === 'oneOf' || optionsOnOtherKind) ind.options = options;
        if (text !== undefined) ind.text = text;
        return ind;
      });
    });
}

const rulesetArb: fc.Arbitrary<Ruleset> = fc
  .uniqueArray(
    fc.constantFrom('A', 'B', 'B-', 'C', 'D', '引领性', '非引领性', 'A+', '1', 'B 1', 'E级'),
    {
      minLength: 2,
      maxLength: 5,
    },
  )
  .chain((grades) =>
    fc.record({
      id: idArb,
      industry: freeText,
      branch: maybe(freeText),
      edition: freeText,
      source: freeText,
      summary: maybe(freeText),
      sourceNote: maybe(freeText),
      status: fc.constantFrom('draft' as const, 'verified' as const),
      grades: fc
        .uniqueArray(fc.integer({ min: 0, max: 99 }), {
          minLength: grades.length,
          maxLength: grades.length,
        })
        .map((ranks) =>
          ranks.sort((a, b) => a - b).map((rank, i) => ({ grade: grades[i]!, rank })),
        ),
      indicators: fc.uniqueArray(indicatorArb(grades), { maxLength: 5, selector: (i) => i.id }),
      measures: maybe(
        perGrade(
          grades,
          perGrade<string>([...ALERT_LEVELS], freeText, 1) as fc.Arbitrary<
            Partial<Record<AlertLevel, string>>
          >,
          1,
        ),
      ),
    }),
  )
  .map((r) => {
    const out: Ruleset = { ...r };
    for (const k of ['branch', 'summary', 'sourceNote', 'measures'] as const)
      if (out[k] === undefined) delete out[k];
    return out;
  });

describe('a round trip of any valid ruleset', () => {
  it('gives back a deep-equal ruleset (property test)', async () => {
    await fc.assert(
      fc.asyncProperty(rulesetArb, async (r) => {
        expect(validateRuleset(r).ok).toBe(true);
        const back = rulesetOf(await rulesetFromWorkbook(await rulesetToWorkbook(r)));
        expect(back).toStrictEqual(r);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});

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

describe('importing a workbook with mistakes', () => {
  it('reports a word where a number belongs, at its sheet, row and column', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('K2').value = '很低';
      }),
    );
    expect(problems).toEqual([
      {
        sheet: '指标',
        row: 2,
        column: 'K',
        message: expect.stringContaining('「B级要求」应填数字') as unknown,
      },
    ]);
    expect(problems[0]?.message).toContain('很低');
  });

  it('reports a bool requirement that is neither 是 nor 否', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('I5').value = '需要';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 5, column: 'I' }]);
    expect(problems[0]?.message).toContain('应填“是”或“否”');
  });

  it('reports an unknown kind, and nothing more about that row', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('D3').value = '百分比';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 3, column: 'D' }]);
    expect(problems[0]?.message).toContain('未知的指标类型“百分比”');
  });

  it('reports a requirement in the floor grade’s column', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('O2').value = 300;
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 2, column: 'O' }]);
    expect(problems[0]?.message).toContain('D 是最低（兜底）等级，此列必须留空');
  });

  it('reports a grade column whose grade is not in the scheme', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('M1').value = 'E级要求';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 1, column: 'M' }]);
    expect(problems[0]?.message).toContain('等级 E 不在「指标体系」的等级表中');
  });

  it('reports an unrecognised column header', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('Q1').value = '备注';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 1, column: 'Q' }]);
    expect(problems[0]?.message).toContain('无法识别的列标题「备注」');
  });

  it('reports a duplicate 指标编号 at the second row, naming the first', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('A4').value = 'transport.clean-road-share';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 4, column: 'A' }]);
    expect(problems[0]?.message).toContain('重复');
    expect(problems[0]?.message).toContain('第 3 行');
  });

  it('maps the validator’s path back to the cell: an option not listed', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('K6').value = 'SCR、湿法';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 6, column: 'K' }]);
    expect(problems[0]?.message).toContain('“湿法” 不在「可选项」中');
  });

  it('reports a level requirement naming no grade of the scheme', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('I4').value = '优秀';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 4, column: 'I' }]);
    expect(problems[0]?.message).toContain('应为本指标体系的等级');
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

  it('reports content in a column without a header', async () => {
    const problems = problemsOf(
      await importEdited(CEMENT, (wb) => {
        sheet(wb, '指标').getCell('T3').value = '多余';
      }),
    );
    expect(problems).toMatchObject([{ sheet: '指标', row: 3, column: 'T' }]);
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
