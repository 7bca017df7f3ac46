import { describe, expect, it } from 'vitest';

import {
  activeViolationDate,
  addYears,
  gradeEnterprise,
  gradeRuleset,
  MissingIndicatorsError,
  type Ruleset,
} from '../../../shared/grading';

import { A_FACTS, cement, leading } from '../../fixtures/rulesets';

const lookup =
  (...rulesets: Ruleset[]) =>
  (id: string) =>
    rulesets.find((r) => r.id === id);

describe('gradeRuleset()', () => {
  it('gives the best grade when every requirement of its column is met', () => {
    expect(gradeRuleset(cement(), A_FACTS)).toEqual({
      ruleset: 'cement-clinker',
      grade: 'A',
      gaps: {},
    });
  });

  it('lists the unmet requirement with required and actual values (短板原则)', () => {
    const r = gradeRuleset(cement(), { ...A_FACTS, 'emission.kiln-tail.nox': [42, 57] });
    expect(r.grade).toBe('B');
    expect(r.gaps).toEqual({
      A: [{ indicator: 'emission.kiln-tail.nox', status: 'unmet', required: 50, actual: [42, 57] }],
    });
  });

  it('treats an absent fact as unknown, never as met', () => {
    const facts: Record<string, unknown> = { ...A_FACTS };
    delete facts['monitoring.cems'];
    const r = gradeRuleset(cement(), facts as typeof A_FACTS);
    expect(r.grade).toBe('C');
    expect(r.gaps.A).toEqual([{ indicator: 'monitoring.cems', status: 'unknown', required: true }]);
    expect(r.gaps.B).toEqual([{ indicator: 'monitoring.cems', status: 'unknown', required: true }]);
  });

  it('falls to the floor with no facts at all, and lists every gap', () => {
    const r = gradeRuleset(cement(), {});
    expect(r.grade).toBe('D');
    expect(Object.keys(r.gaps)).toEqual(['A', 'B', 'C']);
    expect(r.gaps.C).toEqual([
      { indicator: 'transport.clean-road-share', status: 'unknown', required: 50 },
    ]);
  });

  it('meets every requirement with n/a', () => {
    const facts = Object.fromEntries(Object.keys(A_FACTS).map((k) => [k, 'n/a']));
    expect(gradeRuleset(cement(), facts).grade).toBe('A');
  });

  it('includes the limit itself for max and min (inclusive)', () => {
    expect(gradeRuleset(cement(), { ...A_FACTS, 'emission.kiln-tail.nox': 50 }).grade).toBe('A');
    expect(gradeRuleset(cement(), { ...A_FACTS, 'emission.kiln-tail.nox': 50.01 }).grade).toBe('B');
    expect(gradeRuleset(cement(), { ...A_FACTS, 'transport.clean-road-share': 80 }).grade).toBe(
      'B',
    );
    expect(
      gradeRuleset(cement(), { ...A_FACTS, 'transport.clean-road-share': 79.9 }).gaps.B?.[0],
    ).toMatchObject({
      indicator: 'transport.clean-road-share',
      status: 'unmet',
    });
  });

  it('requires every reading of an array to meet the limit', () => {
    expect(
      gradeRuleset(cement(), { ...A_FACTS, 'emission.kiln-tail.nox': [10, 20, 49.9] }).grade,
    ).toBe('A');
    expect(gradeRuleset(cement(), { ...A_FACTS, 'emission.kiln-tail.nox': [10, 120] }).grade).toBe(
      'C',
    );
  });

  it('judges level facts by rank', () => {
    expect(gradeRuleset(cement(), { ...A_FACTS, 'equipment.level': 'B' }).grade).toBe('B');
    expect(gradeRuleset(cement(), { ...A_FACTS, 'equipment.level': 'C' }).gaps.B?.[0]).toEqual({
      indicator: 'equipment.level',
      status: 'unmet',
      required: 'B',
      actual: 'C',
    });
  });

  it('judges oneOf facts by the grade’s list', () => {
    expect(gradeRuleset(cement(), { ...A_FACTS, 'treatment.denitration': 'SNCR' }).grade).toBe('B');
    expect(gradeRuleset(cement(), { ...A_FACTS, 'treatment.denitration': '低氮燃烧' }).grade).toBe(
      'C',
    );
  });

  it('demands nothing of bool false requirements, and true only where required', () => {
    const r = cement();
    r.indicators[3]!.require = { A: true, B: false };
    expect(gradeRuleset(r, { ...A_FACTS, 'monitoring.cems': false }).grade).toBe('B');
  });

  it('checks each column on its own, not cumulatively', () => {
    const r = cement();
    // C asks for something A and B do not: meeting A's column still gives A.
    r.indicators.push({
      id: 'c-only',
      dimension: '环境管理水平',
      title: 'C列独有',
      kind: 'bool',
      require: { C: true },
    });
    expect(gradeRuleset(r, A_FACTS).grade).toBe('A');
  });

  it('refuses a ruleset with no indicators instead of handing out its best grade', () => {
    expect(() => gradeRuleset({ ...cement(), indicators: [] }, {})).toThrow(MissingIndicatorsError);
    expect(() => gradeRuleset({ ...cement(), indicators: [] }, {})).toThrow(/缺少分级指标/);
  });

  it('works with a 引领性/非引领性 scheme', () => {
    expect(gradeRuleset(leading(), { cems: true }).grade).toBe('引领性');
    expect(gradeRuleset(leading(), { cems: false }).grade).toBe('非引领性');
  });
});

describe('gradeEnterprise()', () => {
  const both = lookup(cement(), leading());

  it('takes the worst process by rank (短板原则 across industries)', () => {
    const r = gradeEnterprise(
      {
        asOf: '2025-06-01',
        processes: [
          {
            name: '1#熟料线',
            ruleset: 'cement-clinker',
            facts: { ...A_FACTS, 'equipment.level': 'B' },
          },
          { name: '电解锰', ruleset: 'manganese-leading', facts: { cems: true } },
        ],
      },
      both,
    );
    expect(r.processes.map((p) => p.grade)).toEqual(['B', '引领性']);
    expect(r.grade).toBe('B');
    expect(r.lockedUntil).toBeNull();
  });

  it('takes the first process on equal ranks across rulesets', () => {
    // C (rank 4) and 非引领性 (rank 4) tie: the first process's grade is the enterprise's.
    const r = gradeEnterprise(
      {
        asOf: '2025-06-01',
        processes: [
          { name: '熟料', ruleset: 'cement-clinker', facts: { 'transport.clean-road-share': 60 } },
          { name: '锰', ruleset: 'manganese-leading', facts: {} },
        ],
      },
      both,
    );
    expect(r.processes.map((p) => p.grade)).toEqual(['C', '非引领性']);
    expect(r.grade).toBe('C');
    const swapped = gradeEnterprise(
      {
        asOf: '2025-06-01',
        processes: [
          { name: '锰', ruleset: 'manganese-leading', facts: {} },
          { name: '熟料', ruleset: 'cement-clinker', facts: { 'transport.clean-road-share': 60 } },
        ],
      },
      both,
    );
    expect(swapped.grade).toBe('非引领性');
  });

  it('puts every process at its floor after a violation and locks for a year', () => {
    const r = gradeEnterprise(
      {
        asOf: '2025-06-01',
        processes: [{ name: '熟料', ruleset: 'cement-clinker', facts: A_FACTS }],
        violations: [{ date: '2025-03-10', kind: '超标排放' }],
      },
      both,
    );
    expect(r.grade).toBe('D');
    expect(r.lockedUntil).toBe('2026-03-10');
    expect(r.processes[0]).toMatchObject({
      grade: 'D',
      factsGrade: 'A',
      gaps: { A: [], B: [], C: [] },
    });
  });

  it('counts a violation exactly one year before asOf, and not a day earlier', () => {
    const input = (date: string) => ({
      asOf: '2025-06-01',
      processes: [{ name: '熟料', ruleset: 'cement-clinker', facts: A_FACTS }],
      violations: [{ date, kind: '偷排偷放' }],
    });
    expect(gradeEnterprise(input('2024-06-01'), both)).toMatchObject({
      grade: 'D',
      lockedUntil: '2025-06-01',
    });
    expect(gradeEnterprise(input('2024-05-31'), both)).toMatchObject({
      grade: 'A',
      lockedUntil: null,
    });
    // On asOf itself it counts; after asOf it has not happened yet.
    expect(gradeEnterprise(input('2025-06-01'), both).lockedUntil).toBe('2026-06-01');
    expect(gradeEnterprise(input('2025-06-02'), both).lockedUntil).toBeNull();
  });

  it('locks until a year after the latest of several violations', () => {
    expect(
      activeViolationDate('2025-06-01', [
        { date: '2024-12-01', kind: '超标排放' },
        { date: '2025-02-01', kind: '弄虚作假' },
        { date: '2023-01-01', kind: '超标排放' },
      ]),
    ).toBe('2025-02-01');
  });
});

describe('addYears()', () => {
  it('moves 29 February to 28 February in a common year', () => {
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2025-03-10', -1)).toBe('2024-03-10');
    expect(addYears('2028-02-29', -4)).toBe('2024-02-29');
  });
});
