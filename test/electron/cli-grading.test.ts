import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import { runUplift } from '../helpers/cli';
import { FIXTURE_RESOURCES, tempDir } from '../helpers/context';

const RULESETS = path.join(FIXTURE_RESOURCES, 'rulesets');
const CEMENT = path.join(RULESETS, 'cement-clinker.json');

const run = runUplift;

function writeJson(value: unknown): string {
  const file = path.join(tempDir(), 'input.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('uplift grade', () => {
  it('prints the one-ruleset result as JSON, marked 指标待核实 for a draft', async () => {
    const facts = writeJson({
      'emission.kiln-tail.nox': [42, 57],
      'transport.clean-road-share': 85,
    });
    const r = await run(['grade', '--ruleset', CEMENT, '--facts', facts]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      ruleset: 'cement-clinker',
      grade: 'B',
      gaps: {
        A: [
          { indicator: 'emission.kiln-tail.nox', status: 'unmet', required: 50, actual: [42, 57] },
          { indicator: 'transport.clean-road-share', status: 'unmet', required: 100, actual: 85 },
        ],
      },
      mark: '指标待核实',
    });
    expect(r.err).toContain('指标待核实');
  });

  it('grades an enterprise with rulesets from a folder', async () => {
    const input = writeJson({
      asOf: '2025-06-01',
      processes: [
        {
          name: '1#熟料线',
          ruleset: 'cement-clinker',
          facts: { 'emission.kiln-tail.nox': 40, 'transport.clean-road-share': 100 },
        },
        { name: '电解锰', ruleset: 'manganese-leading', facts: {} },
      ],
      violations: [],
    });
    const r = await run(['grade', '--enterprise', input, '--rulesets', RULESETS]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as {
      grade: string;
      lockedUntil: null;
      processes: { grade: string }[];
    };
    expect(result.grade).toBe('非引领性');
    expect(result.processes.map((p) => p.grade)).toEqual(['A', '非引领性']);
    expect(result.lockedUntil).toBeNull();
  });

  it('exits 2 naming the file and path of a wrong fact', async () => {
    const facts = writeJson({ 'emission.kiln-tail.nox': '很低' });
    const r = await run(['grade', '--ruleset', CEMENT, '--facts', facts]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${facts}: emission.kiln-tail.nox: 应为数字、数字列表或 "n/a"，实为 “很低”`,
    );
    expect(r.out).toBe('');
  });

  it('exits 2 for a ruleset with no indicators: 缺少分级指标', async () => {
    const empty = writeJson({ ...JSON.parse(fs.readFileSync(CEMENT, 'utf8')), indicators: [] });
    const r = await run(['grade', '--ruleset', empty, '--facts', writeJson({})]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('缺少分级指标');
  });

  it('exits 2 for an unknown ruleset id in an enterprise input', async () => {
    const input = writeJson({
      asOf: '2025-06-01',
      processes: [{ name: 'x', ruleset: 'nope', facts: {} }],
    });
    const r = await run(['grade', '--enterprise', input, '--rulesets', RULESETS]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('processes[0].ruleset: 找不到指标体系 “nope”');
  });

  it('exits 2 when the input is not JSON, or the options do not fit', async () => {
    expect(
      (await run(['grade', '--ruleset', CEMENT, '--facts', writeJson('{oops')])).err,
    ).toContain('不是有效的 JSON');
    expect((await run(['grade', '--ruleset', CEMENT])).code).toBe(2);
  });
});

describe('uplift ruleset', () => {
  it('validates a good file with exit 0', async () => {
    const r = await run(['ruleset', 'validate', CEMENT]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('有效：cement-clinker');
  });

  it('refuses a ruleset whose floor grade has requirements, with exit 2 and the path', async () => {
    const bad = JSON.parse(fs.readFileSync(CEMENT, 'utf8')) as {
      indicators: { require: Record<string, number> }[];
    };
    bad.indicators[1]!.require.D = 10;
    const file = writeJson(bad);
    const r = await run(['ruleset', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${file}: indicators[1].require.D: 最低等级 D 是兜底等级，不能有要求`);
  });

  it('goes JSON → Excel → JSON and gives the same ruleset', async () => {
    const dir = tempDir();
    const xlsx = path.join(dir, 'cement.xlsx');
    const back = path.join(dir, 'cement.json');
    expect((await run(['ruleset', 'export', CEMENT, '--out', xlsx])).code).toBe(0);
    expect((await run(['ruleset', 'import', xlsx, '--out', back])).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(back, 'utf8'))).toEqual(
      JSON.parse(fs.readFileSync(CEMENT, 'utf8')),
    );
  });

  it('writes a template that Excel can open', async () => {
    const out = path.join(tempDir(), 'template.xlsx');
    expect((await run(['ruleset', 'template', '--out', out])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(2);
  });

  it('lists every problem of a bad workbook and writes nothing', async () => {
    const dir = tempDir();
    const xlsx = path.join(dir, 'bad.xlsx');
    fs.writeFileSync(xlsx, 'not a workbook');
    const out = path.join(dir, 'out.json');
    const r = await run(['ruleset', 'import', xlsx, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('文件不是有效的 Excel 工作簿');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('installs a ruleset into the data folder’s library once', async () => {
    const dataDir = tempDir();
    const custom = writeJson({
      ...JSON.parse(fs.readFileSync(CEMENT, 'utf8')),
      id: 'cement-clinker-custom',
      edition: '2026',
    });
    expect((await run(['--data-dir', dataDir, 'ruleset', 'install', custom])).out).toContain(
      '已加入：cement-clinker-custom',
    );
    expect((await run(['--data-dir', dataDir, 'ruleset', 'install', custom])).out).toContain(
      '未改动',
    );
    const list = await run(['--data-dir', dataDir, '--json', 'ruleset', 'list']);
    expect(
      (JSON.parse(list.out) as { id: string; origin: string }[]).find(
        (r) => r.id === 'cement-clinker-custom',
      )?.origin,
    ).toBe('imported');
  });
});
