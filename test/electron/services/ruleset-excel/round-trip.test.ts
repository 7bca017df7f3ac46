/**
 * Ruleset → workbook → ruleset (write.ts and read.ts together): the samples and, as a property test,
 * any valid ruleset come back deep-equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  rulesetFromWorkbook,
  rulesetToWorkbook,
} from '../../../../electron/services/ruleset-excel';
import {
  ALERT_LEVELS,
  type AlertLevel,
  INDICATOR_KINDS,
  type Indicator,
  type Requirement,
  type Ruleset,
} from '../../../../shared/grading/types';
import { validateRuleset } from '../../../../shared/grading/validate';
import { CEMENT, RICH, rulesetOf } from './fixtures';

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
