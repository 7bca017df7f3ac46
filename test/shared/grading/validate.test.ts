import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  formatIssues,
  gradeRuleset,
  validateEnterpriseInput,
  validateFacts,
  validateRuleset,
  type Ruleset,
} from '../../../shared/grading';

import { A_FACTS, cement } from '../../fixtures/rulesets';

function issuesOf(r: unknown) {
  const result = validateRuleset(r);
  return result.ok ? [] : result.issues;
}

function mutate(fn: (r: Record<string, unknown> & Ruleset) => void): unknown {
  const r = structuredClone(cement()) as Record<string, unknown> & Ruleset;
  fn(r);
  return r;
}

describe('validateRuleset()', () => {
  it('accepts the contract’s sample ruleset', () => {
    expect(validateRuleset(cement())).toMatchObject({ ok: true, warnings: [] });
  });

  it('refuses requirements in the floor grade', () => {
    const issues = issuesOf(mutate((r) => (r.indicators[1]!.require.D = 10)));
    expect(issues).toEqual([
      { path: 'indicators[1].require.D', message: '最低等级 D 是兜底等级，不能有要求' },
    ]);
  });

  it('refuses a requirement for a grade the ruleset does not have', () => {
    expect(issuesOf(mutate((r) => (r.indicators[0]!.require.E = 10)))).toEqual([
      { path: 'indicators[0].require.E', message: '本指标体系没有等级 “E”' },
    ]);
  });

  it('refuses a kind it does not know', () => {
    const issues = issuesOf(mutate((r) => ((r.indicators[0] as { kind: string }).kind = 'range')));
    expect(issues[0]).toMatchObject({ path: 'indicators[0].kind' });
    expect(issues[0]?.message).toContain('未知的指标类型 “range”');
  });

  it('refuses a word where a number belongs', () => {
    expect(issuesOf(mutate((r) => (r.indicators[0]!.require.B = '一百')))).toEqual([
      { path: 'indicators[0].require.B', message: '应为数字，实为 “一百”' },
    ]);
  });

  it('refuses a level requirement that is not one of its grades', () => {
    expect(issuesOf(mutate((r) => (r.indicators[2]!.require.A = 'A+')))[0]?.path).toBe(
      'indicators[2].require.A',
    );
  });

  it('refuses a oneOf requirement outside its options, and a oneOf without options', () => {
    expect(issuesOf(mutate((r) => (r.indicators[4]!.require.A = ['SCR', '湿法'])))).toEqual([
      { path: 'indicators[4].require.A[1]', message: '“湿法” 不在 options 中' },
    ]);
    expect(issuesOf(mutate((r) => delete r.indicators[4]!.options))[0]?.message).toContain(
      '必须列出 options',
    );
  });

  it('refuses a bool requirement that is not true or false', () => {
    expect(issuesOf(mutate((r) => (r.indicators[3]!.require.A = '是')))[0]?.path).toBe(
      'indicators[3].require.A',
    );
  });

  it('refuses grades that are not best first, duplicated, or fewer than two', () => {
    expect(issuesOf(mutate((r) => (r.grades[1]!.rank = 1)))[0]?.path).toBe('grades[1].rank');
    expect(issuesOf(mutate((r) => (r.grades[1]!.grade = 'A'))).map((i) => i.path)).toContain(
      'grades[1].grade',
    );
    expect(issuesOf(mutate((r) => (r.grades = [{ grade: 'A', rank: 1 }])))[0]?.path).toBe('grades');
  });

  it('refuses duplicate indicator ids and missing fields, reporting every problem at once', () => {
    const issues = issuesOf(
      mutate((r) => {
        r.indicators[1]!.id = r.indicators[0]!.id;
        delete (r as Partial<Ruleset>).source;
        r.status = 'final' as never;
      }),
    );
    expect(issues.map((i) => i.path).sort()).toEqual(['indicators[1].id', 'source', 'status']);
  });

  it('refuses wording for an unknown grade and measures for an unknown alert level', () => {
    const issues = issuesOf(
      mutate((r) => {
        r.indicators[2]!.text = { X: '…' };
        r.measures = { B: { purple: '…' } as never };
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['indicators[2].text.X', 'measures.B.purple']);
  });

  it('refuses what is not an object at all', () => {
    expect(issuesOf('cement')).toEqual([{ path: '', message: '指标体系应为 JSON 对象' }]);
  });

  it('warns, but accepts, a ruleset with no indicators', () => {
    expect(validateRuleset({ ...cement(), indicators: [] })).toMatchObject({
      ok: true,
      warnings: [{ path: 'indicators', message: '缺少分级指标：此指标体系不能用于评级' }],
    });
  });

  it('accepts a 说明 for the team on the ruleset and its indicators, and a ruleset without any', () => {
    const withHints = mutate((r) => {
      r.summary = '草稿：只录入了两项指标，算出的等级不能代替正式评级。';
      r.indicators[0]!.hint = '填写窑尾排放口氮氧化物的小时均值。';
    });
    expect(validateRuleset(withHints)).toMatchObject({ ok: true, warnings: [] });
    expect(validateRuleset(cement())).toMatchObject({ ok: true, warnings: [] });
  });

  it('warns, but accepts, a 说明 holding ids or English a team would not read as its own', () => {
    const result = validateRuleset(
      mutate((r) => {
        r.summary = '见 sourceNote';
        r.indicators[1]!.hint = '另列为 transport.other，满足的填 true';
      }),
    );
    expect(result.ok && result.warnings.map((w) => [w.path, w.message])).toEqual([
      ['summary', expect.stringContaining('sourceNote')],
      ['indicators[1].hint', expect.stringContaining('transport.other、true')],
    ]);
  });

  it('refuses a 说明 that is not text', () => {
    expect(issuesOf(mutate((r) => ((r as Record<string, unknown>).summary = 3)))).toEqual([
      { path: 'summary', message: '应为非空文本，实为 3' },
    ]);
  });

  it('names the file, path and reason in one line each', () => {
    expect(
      formatIssues('cement.json', [{ path: 'indicators[3].require.B', message: '应为数字' }]),
    ).toBe('cement.json: indicators[3].require.B: 应为数字');
  });
});

describe('validateFacts()', () => {
  const facts = (f: unknown) => validateFacts(cement(), f);

  it('accepts good facts, n/a, arrays of readings, and null as unknown', () => {
    const r = facts({ ...A_FACTS, 'monitoring.cems': 'n/a', 'transport.clean-road-share': null });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).not.toHaveProperty('transport.clean-road-share');
  });

  it('refuses a level fact that is not one of its grades', () => {
    const r = facts({ 'equipment.level': 'A+' });
    expect(r.ok ? [] : r.issues[0]?.path).toBe('equipment.level');
  });

  it('refuses a word where a reading belongs, naming the reading', () => {
    const r = facts({ 'emission.kiln-tail.nox': [42, '四十七'] });
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'emission.kiln-tail.nox[1]', message: '应为数字，实为 “四十七”' },
    ]);
  });

  it('refuses an empty list of readings, an unknown option, and an unknown indicator', () => {
    const r = facts({ 'emission.kiln-tail.nox': [], 'treatment.denitration': '湿法', typo: 1 });
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual([
      'emission.kiln-tail.nox',
      'treatment.denitration',
      'typo',
    ]);
  });
});

describe('validateEnterpriseInput()', () => {
  const lookup = (id: string) => (id === 'cement-clinker' ? cement() : undefined);

  it('names the process whose ruleset is unknown or whose facts are wrong', () => {
    const r = validateEnterpriseInput(
      {
        asOf: '2025-13-01',
        processes: [
          { name: '熟料', ruleset: 'cement-clinker', facts: { 'monitoring.cems': 'yes' } },
          { name: '石灰', ruleset: 'lime-kiln', facts: {} },
        ],
        violations: [{ date: '昨天', kind: '超标排放' }],
      },
      lookup,
    );
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual([
      'asOf',
      'processes[0].facts["monitoring.cems"]',
      'processes[1].ruleset',
      'violations[0].date',
    ]);
  });
});

describe('grading properties', () => {
  const nox = fc.oneof(fc.double({ min: 0, max: 200, noNaN: true }), fc.constant('n/a' as const));
  const share = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant('n/a' as const));
  const level = fc.constantFrom('A', 'B', 'C', 'D', 'n/a');
  const factsArb = fc.record(
    {
      'emission.kiln-tail.nox': nox,
      'transport.clean-road-share': share,
      'equipment.level': level,
      'monitoring.cems': fc.boolean(),
      'treatment.denitration': fc.constantFrom('SCR', 'SNCR+SCR', 'SNCR', '低氮燃烧', '无'),
    },
    { requiredKeys: [] },
  );

  it('lists gaps for exactly the grades better than the result, each non-empty', () => {
    fc.assert(
      fc.property(factsArb, (facts) => {
        const r = gradeRuleset(cement(), facts);
        const order = cement().grades.map((g) => g.grade);
        const better = order.slice(0, order.indexOf(r.grade));
        expect(Object.keys(r.gaps)).toEqual(better);
        for (const g of better) expect(r.gaps[g]!.length).toBeGreaterThan(0);
      }),
    );
  });

  it('never gives a worse grade when a reading improves', () => {
    fc.assert(
      fc.property(factsArb, fc.double({ min: 0, max: 1, noNaN: true }), (facts, factor) => {
        const before = facts['emission.kiln-tail.nox'];
        fc.pre(typeof before === 'number');
        const rank = (g: string) => cement().grades.find((x) => x.grade === g)!.rank;
        const worse = gradeRuleset(cement(), facts).grade;
        const better = gradeRuleset(cement(), {
          ...facts,
          'emission.kiln-tail.nox': before * factor,
        }).grade;
        expect(rank(better)).toBeLessThanOrEqual(rank(worse));
      }),
    );
  });

  it('never grades better by forgetting a fact (unknown is never met)', () => {
    fc.assert(
      fc.property(factsArb, fc.constantFrom(...Object.keys(A_FACTS)), (facts, drop) => {
        const rank = (g: string) => cement().grades.find((x) => x.grade === g)!.rank;
        const known = gradeRuleset(cement(), facts).grade;
        const rest: Record<string, unknown> = { ...facts };
        delete rest[drop];
        const forgotten = gradeRuleset(cement(), rest as typeof facts).grade;
        expect(rank(forgotten)).toBeGreaterThanOrEqual(rank(known));
      }),
    );
  });
});
