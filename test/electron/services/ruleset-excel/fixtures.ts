/**
 * What the ruleset Excel tests share: the contract's cement sample and a rich ruleset using every
 * kind, and helpers to load, edit and save a workbook and to read an import's result.
 */
import ExcelJS from 'exceljs';
import { expect } from 'vitest';
import {
  type RulesetExcelProblem,
  type RulesetExcelResult,
  formatRulesetExcelProblems,
  rulesetFromWorkbook,
  rulesetToWorkbook,
} from '../../../../electron/services/ruleset-excel';
import type { Indicator, Ruleset } from '../../../../shared/grading/types';
import { cement } from '../../../fixtures/rulesets';

/**
 * The contract's cement sample (test/fixtures/rulesets.ts) worded as ruleset-format.md words it:
 * the document's source, titles, note and requirement text, which the Excel round trip carries.
 * Columns: H A级要求, J B级要求, L C级要求, N D级要求.
 */
export const CEMENT: Ruleset = {
  ...cement(),
  source: '重污染天气重点行业应急减排措施制定技术指南（2020年修订版） 水泥',
  indicators: cement().indicators.map((i): Indicator => {
    switch (i.id) {
      case 'emission.kiln-tail.nox':
        return { ...i, note: '基准含氧量 10%，小时均值' };
      case 'transport.clean-road-share':
        return { ...i, title: '物料公路运输使用国五及以上或新能源车辆比例' };
      case 'monitoring.cems':
        return { ...i, title: '主要排放口安装 CEMS 并联网' };
      case 'equipment.level':
        return i.kind === 'level' ? { ...i, text: { A: '…A级要求原文…', B: '…B级要求原文…' } } : i;
      default:
        return i;
    }
  }),
  measures: { B: { yellow: '…', orange: '…', red: '…' } },
};

/** Every kind, wording, measures, a B- grade with rank 3, no branch. */
export const RICH: Ruleset = {
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

export async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

export async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

/** Exports `r`, lets `change` edit the workbook as an expert would, and imports the result. */
export async function importEdited(
  r: Ruleset,
  change: (wb: ExcelJS.Workbook) => void,
): Promise<RulesetExcelResult> {
  const wb = await load(await rulesetToWorkbook(r));
  change(wb);
  return rulesetFromWorkbook(await save(wb));
}

export function problemsOf(result: RulesetExcelResult): RulesetExcelProblem[] {
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty('ruleset');
  return result.ok ? [] : result.problems;
}

export function rulesetOf(result: RulesetExcelResult): Ruleset {
  if (!result.ok) throw new Error(formatRulesetExcelProblems(result.problems));
  return result.ruleset;
}

/** A cell's value or note as a string; anything else is a test failure. */
export function str(v: unknown): string {
  if (typeof v !== 'string') throw new Error(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}

export function headers(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.getRow(1).eachCell((c) => out.push(str(c.value)));
  return out;
}
