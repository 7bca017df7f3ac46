import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  estimateTaxRelief,
  TAX_PAY_RATES,
  TAX_TIER_LABELS,
  type TaxLimit,
  type TaxReading,
  type TaxTier,
} from '../../../shared/plan';

const limit = (over: Partial<TaxLimit> = {}): TaxLimit => ({
  outletId: 'DA001',
  outletName: '窑尾',
  pollutant: '氮氧化物',
  limit: 100,
  unit: 'mg/m³',
  standard: 'GB 4915-2013',
  ...over,
});
const reading = (value: number, over: Partial<TaxReading> = {}): TaxReading => ({
  outletId: 'DA001',
  pollutant: '氮氧化物',
  value,
  unit: null,
  ...over,
});
const tierOf = (limits: TaxLimit[], readings: TaxReading[]) =>
  estimateTaxRelief(limits, readings).lines.map((l) => l.tier);

describe('estimateTaxRelief()', () => {
  it('taxes at 75% a concentration exactly 30% below the limit', () => {
    const [line] = estimateTaxRelief([limit()], [reading(70)]).lines;
    expect(line).toMatchObject({ tier: '75%', percentBelow: 30, mean: 70, max: 70 });
    expect(line?.reason).toBe(
      '读数 70 mg/m³，低于限值 100 mg/m³ 的 30%，达到30%、不足50%：减按75%征收（减征25%）',
    );
  });

  it('taxes at 50% a concentration exactly 50% below the limit', () => {
    expect(estimateTaxRelief([limit()], [reading(50)]).lines[0]).toMatchObject({
      tier: '50%',
      percentBelow: 50,
    });
  });

  it('holds at the edges for limits that are not round (18 mg/m³: 12.6 and 9)', () => {
    expect(tierOf([limit({ limit: 18 })], [reading(12.6)])).toEqual(['75%']);
    expect(tierOf([limit({ limit: 18 })], [reading(12.61)])).toEqual(['none']);
    expect(tierOf([limit({ limit: 18 })], [reading(9)])).toEqual(['50%']);
    expect(tierOf([limit({ limit: 18 })], [reading(9.01)])).toEqual(['75%']);
    expect(tierOf([limit({ limit: 30 })], [reading(21)])).toEqual(['75%']);
  });

  it('gives no reduction just short of 30% below, or at the limit itself', () => {
    expect(tierOf([limit()], [reading(70.01)])).toEqual(['none']);
    const [atLimit] = estimateTaxRelief([limit()], [reading(100)]).lines;
    expect(atLimit).toMatchObject({ tier: 'none', percentBelow: 0 });
    expect(atLimit?.reason).toContain('未低于限值');
  });

  it('judges the mean of several readings, as the monthly mean of hourly values', () => {
    const [line] = estimateTaxRelief([limit()], [reading(30), reading(50), reading(70)]).lines;
    expect(line).toMatchObject({ tier: '50%', mean: 50, max: 70, readings: [30, 50, 70] });
    expect(line?.reason).toContain('3个读数的平均值 50 mg/m³');
  });

  it('gives no reduction where any reading is over the limit, even if the mean is far below', () => {
    const [line] = estimateTaxRelief([limit()], [reading(10), reading(10), reading(101)]).lines;
    expect(line?.tier).toBe('none');
    expect(line?.reason).toContain('最高读数 101 mg/m³ 超过限值 100 mg/m³');
  });

  it('works out each outlet and each pollutant separately', () => {
    const est = estimateTaxRelief(
      [
        limit(),
        limit({ pollutant: '颗粒物', limit: 30 }),
        limit({ outletId: 'DA002', outletName: '窑头', pollutant: '颗粒物', limit: 30 }),
      ],
      [
        reading(45),
        reading(25, { pollutant: '颗粒物' }),
        reading(10, { outletId: 'DA002', pollutant: '颗粒物' }),
      ],
    );
    expect(est.exceeded).toBe(false);
    expect(est.lines.map((l) => [l.outletId, l.pollutant, l.tier])).toEqual([
      ['DA001', '氮氧化物', '50%'],
      ['DA001', '颗粒物', 'none'],
      ['DA002', '颗粒物', '50%'],
    ]);
  });

  it('withholds every reduction when any outlet is over its limit', () => {
    const est = estimateTaxRelief(
      [limit(), limit({ outletId: 'DA002', pollutant: '颗粒物', limit: 30 })],
      [reading(20), reading(31, { outletId: 'DA002', pollutant: '颗粒物' })],
    );
    expect(est.exceeded).toBe(true);
    expect(est.lines.map((l) => l.tier)).toEqual(['none', 'none']);
    expect(est.lines[0]?.reason).toBe(
      '不减征：排放口 DA002 颗粒物有读数超过排放标准，纳税人任何一个排放口超标的，不予减征（实施条例第十条）；超标消除后，本项可减按50%征收（减征50%）',
    );
  });

  it('makes no estimate for a pollutant whose limit was not entered, and says why', () => {
    const est = estimateTaxRelief([limit()], [reading(20), reading(5, { pollutant: '二氧化硫' })]);
    expect(est.lines[1]).toMatchObject({
      pollutant: '二氧化硫',
      limit: null,
      tier: null,
      readings: [5],
    });
    expect(est.problems).toEqual([
      '排放口 DA001 二氧化硫：未录入执行标准限值，不作估算（限值须由专家按执行的排放标准录入）',
    ]);
    expect(est.lines[0]?.tier).toBe('50%');
  });

  it('makes no estimate for a limit with no readings, or readings in another unit', () => {
    expect(estimateTaxRelief([limit()], []).lines[0]).toMatchObject({
      tier: null,
      reason: '没有监测读数，不作估算',
    });
    expect(estimateTaxRelief([limit()], [reading(0.02, { unit: 'g/m³' })]).lines[0]?.reason).toBe(
      '读数单位 g/m³ 与限值单位 mg/m³ 不一致，不作估算，请换算后录入',
    );
    expect(tierOf([limit()], [reading(20, { unit: 'mg/m3' })])).toEqual(['50%']);
    // A reading in another unit is never taken for an exceedance either.
    const mixed = estimateTaxRelief(
      [limit(), limit({ pollutant: '颗粒物', limit: 30 })],
      [reading(20), reading(500, { pollutant: '颗粒物', unit: 'μg/m³' })],
    );
    expect([mixed.exceeded, mixed.lines.map((l) => l.tier)]).toEqual([false, ['50%', null]]);
  });

  it('names the tiers by what is paid, unambiguously', () => {
    expect(TAX_TIER_LABELS['75%']).toBe('减按75%征收（减征25%）');
    expect(TAX_PAY_RATES).toEqual({ '75%': 0.75, '50%': 0.5, none: 1 });
  });

  it('never improves the tier when a reading rises (property)', () => {
    const better: Record<TaxTier, number> = { '50%': 2, '75%': 1, none: 0 };
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 7 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (lim, values, at, rise) => {
          const i = at % values.length;
          const raised = values.map((v, j) => (j === i ? v + rise : v));
          const before = tierOf(
            [limit({ limit: lim })],
            values.map((v) => reading(v)),
          )[0]!;
          const after = tierOf(
            [limit({ limit: lim })],
            raised.map((v) => reading(v)),
          )[0]!;
          expect(better[after]).toBeLessThanOrEqual(better[before]);
        },
      ),
    );
  });

  it('matches the thresholds for a single reading (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (lim, value) => {
          // Whole numbers: exact arithmetic, so the thresholds are checked without tolerance.
          const expected =
            value > lim
              ? 'none'
              : value * 2 <= lim
                ? '50%'
                : value * 10 <= lim * 7
                  ? '75%'
                  : 'none';
          expect(tierOf([limit({ limit: lim })], [reading(value)])).toEqual([expected]);
        },
      ),
    );
  });
});
