import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DIMENSIONS, type Ruleset } from '../../shared/grading';
import {
  ASSISTANCE_DIRECTIONS,
  draftPlan,
  gradeBenefits,
  matchEntry,
  validateAnnex1,
  validateMeasureLibrary,
  type Annex1,
  type MeasureLibrary,
} from '../../shared/plan';

/**
 * The improvement-plan data shipped in resources/plan/: the measure library and 附件1 validate,
 * the library covers what the shipped rulesets ask, and 附件1 is the seed's text.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const PLAN_DIR = path.join(ROOT, 'resources/plan');
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;

const rawLibrary = readJson(path.join(PLAN_DIR, 'measures.json'));
const rawAnnex = readJson(path.join(PLAN_DIR, 'annex1.json'));
const rulesets = fs
  .readdirSync(path.join(ROOT, 'resources/rulesets'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => readJson(path.join(ROOT, 'resources/rulesets', f)) as Ruleset);

function valid<T>(checked: { ok: true; value: T } | { ok: false; issues: unknown[] }): T {
  expect(checked.ok ? [] : checked.issues).toEqual([]);
  return (checked as { value: T }).value;
}

describe('resources/plan/measures.json', () => {
  it('passes validateMeasureLibrary with no issues', () => {
    valid(validateMeasureLibrary(rawLibrary));
  });

  it('is a draft that guesses no investment', () => {
    const lib = valid<MeasureLibrary>(validateMeasureLibrary(rawLibrary));
    expect(lib.status).toBe('draft');
    expect(lib.entries.filter((e) => e.investment !== null)).toEqual([]);
  });

  it('has an entry in every one of the seven directions', () => {
    const lib = valid<MeasureLibrary>(validateMeasureLibrary(rawLibrary));
    expect(new Set(lib.entries.map((e) => e.direction))).toEqual(new Set(ASSISTANCE_DIRECTIONS));
  });

  it('has a suggested measure for every dimension of the ruleset contract', () => {
    const lib = valid<MeasureLibrary>(validateMeasureLibrary(rawLibrary));
    for (const dimension of DIMENSIONS)
      expect(matchEntry(lib, { indicatorId: '?', dimension, title: '' }), dimension).not.toBeNull();
  });

  it('matches every indicator of the shipped rulesets by its id', () => {
    const lib = valid<MeasureLibrary>(validateMeasureLibrary(rawLibrary));
    for (const r of rulesets)
      for (const ind of r.indicators)
        expect(
          matchEntry(lib, { indicatorId: ind.id, dimension: ind.dimension, title: ind.title })?.by,
          `${r.id} ${ind.id}`,
        ).toBe('indicator');
  });

  it('drafts a full plan for a cement clinker line with nothing answered', () => {
    const lib = valid<MeasureLibrary>(validateMeasureLibrary(rawLibrary));
    const cement = rulesets.find((r) => r.id === 'cement-clinker-2020')!;
    const gaps = cement.indicators
      .filter((i) => i.require.B !== undefined)
      .map((i) => ({
        indicatorId: i.id,
        title: i.title,
        dimension: i.dimension,
        kind: i.kind,
        unit: i.unit ?? null,
        status: 'unknown' as const,
        required: i.require.B!,
        actual: null,
      }));
    const { measures, problems } = draftPlan({
      library: lib,
      processes: [
        {
          inspectionProcessId: 'ip',
          processId: 'p',
          label: '1#熟料线',
          rulesetId: cement.id,
          edition: cement.edition,
          rulesetName: '水泥熟料分级指标',
          summary: null,
          unverified: true,
          judged: false,
          grade: 'D',
          factsGrade: null,
          targetGrade: 'B',
          reachesTarget: false,
          gapsToTarget: gaps,
          gaps: { B: gaps },
          answered: 0,
          indicators: cement.indicators.length,
          problem: null,
        },
      ],
    });
    expect(problems).toEqual([]);
    expect(measures).toHaveLength(4);
    expect(measures.every((m) => m.direction === '清洁运输' && m.measure !== '')).toBe(true);
    expect(measures[0]).toMatchObject({ current: '未填写', required: '≥ 80%' });
  });
});

describe('resources/plan/annex1.json', () => {
  it('passes validateAnnex1 with no issues', () => {
    valid(validateAnnex1(rawAnnex));
  });

  it('holds the thirteen items of 附件1 in order, and the main text’s A-grade sentence', () => {
    const annex = valid<Annex1>(validateAnnex1(rawAnnex));
    expect(annex.incentives.filter((i) => i.no !== null).map((i) => i.no)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ]);
    expect(annex.incentives.map((i) => i.title)).toContain('落实差异化管理');
    expect(annex.incentives.find((i) => i.id === 'white-list')?.text).toContain(
      '直接纳入生态环境监管白名单，重污染天气期间实施自主减排，确保企业不停产、不限产',
    );
  });

  it('tells a cement clinker line climbing to A what it gains', () => {
    const annex = valid<Annex1>(validateAnnex1(rawAnnex));
    const cement = rulesets.find((r) => r.id === 'cement-clinker-2020')!;
    const b = gradeBenefits(annex, cement, 'B', 'A');
    expect(b.alerts.find((a) => a.level === 'orange')?.before[0]?.text).toContain('限产20%');
    expect(b.alerts.find((a) => a.level === 'orange')?.after.map((m) => m.text)).toEqual([
      '鼓励结合实际，自主采取减排措施。',
      '重污染天气期间实施自主减排，确保企业不停产、不限产。',
      '可以减少或免除应急响应',
    ]);
    const gained = b.incentives.filter((i) => i.gained).map((i) => i.no);
    expect(gained).toEqual([null, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(b.incentives.map((i) => i.no)).toContain(4);
    expect(b.incentives.map((i) => i.no)).not.toContain(3);
  });

  // The seed lives beside the repository (../shared/seed), not in it: the lines 附件1 cites are
  // carried as a fixture, checked against the seed itself wherever it is checked out.
  const SEED = path.resolve(ROOT, '../shared/seed/000_60f996f42beafc3c.txt');
  const SEED_LINES = path.join(ROOT, 'test/fixtures/seed-annex1-lines.json');
  describe('against the seed', () => {
    const carried = (readJson(SEED_LINES) as { lines: Record<string, string> }).lines;
    const line = (n: number): string => {
      const text = carried[String(n)];
      if (text === undefined) throw new Error(`第 ${n} 行不在 ${SEED_LINES} 中；请从种子文件补上`);
      return text;
    };
    const strip = (s: string) => s.replace(/\s+/g, '');
    const cited = (source: string) => {
      const m = /第(\d+)–(\d+)行/.exec(source);
      expect(m, source).not.toBeNull();
      const cites: string[] = [];
      for (let n = Number(m![1]); n <= Number(m![2]); n++) cites.push(line(n));
      return strip(cites.join(''));
    };
    /** Whether c is a and b interleaved (the PDF's two columns, read into one stream). */
    const interleaves = (a: string, b: string, c: string): boolean => {
      if (a.length + b.length !== c.length) return false;
      let row = new Array<boolean>(b.length + 1).fill(false);
      for (let i = 0; i <= a.length; i++) {
        const next = new Array<boolean>(b.length + 1).fill(false);
        for (let j = 0; j <= b.length; j++) {
          if (i === 0 && j === 0) next[j] = true;
          else
            next[j] =
              (i > 0 && row[j]! && a[i - 1] === c[i + j - 1]) ||
              (j > 0 && next[j - 1]! && b[j - 1] === c[i + j - 1]);
        }
        row = next;
      }
      return row[b.length]!;
    };

    it('carries the seed’s own lines, wherever the seed is checked out beside the repository', () => {
      const numbers = Object.keys(carried).map(Number);
      expect(numbers.length).toBeGreaterThan(100);
      if (!fs.existsSync(SEED)) return;
      const seed = fs.readFileSync(SEED, 'utf8').split('\n');
      for (const n of numbers) expect(line(n), `第 ${n} 行`).toBe(seed[n - 1]);
    });

    it('is the seed’s text: each item and its 责任单位 make up exactly the lines it cites', () => {
      const annex = valid<Annex1>(validateAnnex1(rawAnnex));
      for (const inc of annex.incentives) {
        const text = strip(inc.text);
        if (inc.no === null) expect(cited(inc.source), inc.id).toContain(text);
        else
          expect(
            interleaves(`${inc.no}${text}`, strip(inc.responsible ?? ''), cited(inc.source)),
            inc.id,
          ).toBe(true);
      }
      for (const m of annex.emergencyMeasures)
        expect(cited(m.source), m.id).toContain(strip(m.text));
    });
  });
});
