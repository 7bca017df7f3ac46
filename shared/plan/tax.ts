import { formatNumber, withUnit } from '../grading/text';
import type { TaxLimit, TaxReading } from './schema';

/**
 * Environmental-protection-tax estimate (环境保护税减征估算) from measured concentrations and the
 * limits of the emission standard that applies, as the expert entered them.
 *
 * The rule, and where it comes from:
 * - 《中华人民共和国环境保护税法》第十三条, quoted in the seed's 附件1 item 1
 *   (seed/000_60f996f42beafc3c.txt, lines 225–235): a concentration 低于…排放标准百分之三十 is
 *   taxed at 75% (减按百分之七十五征收, i.e. reduced by a quarter); 低于…百分之五十 at 50%.
 * - 《环境保护税法实施条例》第十条、第十一条 (as quoted by the Guangdong tax bureau,
 *   http://guangdong.chinatax.gov.cn/gdsw/zqhjbhsfrd/2018-10/31/content_0fd3d90bae0e4c8c8770805cbe257235.shtml,
 *   and http://tjtax.com/dictionary/b20377.html; see shared/domain/notes.md §1.3):
 *   1. the concentration is the month's mean of the automatic monitor's hourly means, or the
 *      mean of the monitoring agency's measurements that month → here: the mean of the readings;
 *   2. for a reduction, no hourly mean and no single measurement may exceed the standard →
 *      a line with any reading over its limit gets no reduction;
 *   3. "纳税人任何一个排放口排放应税大气污染物…的浓度值…超过国家和地方规定的污染物排放标准的，
 *      依法不予减征环境保护税" → if any outlet is over its limit, no line gets a reduction. The
 *      regulation speaks of the outlet's (monthly mean) concentration; this estimate already
 *      withholds every reduction when any single reading is over its limit, because an estimate
 *      must not promise a reduction the tax office may refuse (an hourly value over the standard
 *      is itself 超标排放);
 *   4. the reduction is worked out separately for each outlet and each pollutant → one line per
 *      (outlet, pollutant), never pooled across outlets.
 * - Edges: "低于…百分之三十" is read as "at least 30% below" (concentration ≤ 70% of the limit),
 *   and likewise ≥ 50% (≤ 50% of the limit), as issue #7 decided; the statute does not say
 *   whether exactly 30% counts. A reading equal to the limit is not over it (0% below: no
 *   reduction).
 * - Limits are never guessed: a pollutant read at an outlet with no limit entered gets no
 *   estimate, and says so.
 * The estimate covers what was entered (a visit's readings, not a month's monitoring): it shows
 * whether the site is on course for a reduction, not the tax due.
 */

/** By what share the tax is levied: '75%' = 减按75%征收 (25% off); '50%' = 减按50%征收; 'none' = in full. */
export type TaxTier = '75%' | '50%' | 'none';

export const TAX_TIER_LABELS: Record<TaxTier, string> = {
  '75%': '减按75%征收（减征25%）',
  '50%': '减按50%征收（减征50%）',
  none: '不减征（全额征收）',
};

/** The share of the tax still paid. */
export const TAX_PAY_RATES: Record<TaxTier, number> = { '75%': 0.75, '50%': 0.5, none: 1 };

export const TAX_RULE_TEXT =
  '依《环境保护税法》第十三条：应税大气污染物浓度值低于排放标准30%（含）的，减按75%征收；低于50%（含）的，减按50%征收。' +
  '依《环境保护税法实施条例》第十条、第十一条：浓度值取当月小时均值的平均值或监测机构当月监测值的平均值；小时均值和每次监测值均不得超过排放标准；' +
  '任何一个排放口超标的，不予减征；按每一排放口、每种污染物分别计算。本估算以录入的读数代替当月监测数据，仅供参考。';

export interface TaxReliefLine {
  outletId: string;
  outletName: string | null;
  pollutant: string;
  /** The limit's unit (the readings' unit when there is no limit). */
  unit: string;
  limit: number | null;
  standard: string | null;
  readings: number[];
  mean: number | null;
  max: number | null;
  /** How far the mean is below the limit, in percent of the limit (negative: over it), to 0.01. */
  percentBelow: number | null;
  /** null: no estimate (no limit entered, no readings, or units that differ). */
  tier: TaxTier | null;
  /** Why, in Chinese. */
  reason: string;
}

export interface TaxReliefEstimate {
  lines: TaxReliefLine[];
  /** Some reading is over its limit: no line gets a reduction (实施条例第十条). */
  exceeded: boolean;
  /** Lines without an estimate, in Chinese, for the top of the table. */
  problems: string[];
  /** The rule applied, in Chinese, to print under the table. */
  rule: string;
}

function normUnit(u: string): string {
  return u.replace(/\s+/g, '').replace(/m3$/i, 'm³').toLowerCase();
}

/** a ≤ b, forgiving the last bits of float error (70 / 100 against 0.7). */
function atMost(a: number, b: number): boolean {
  return a <= b + Math.abs(b) * 1e-9;
}

const key = (outletId: string, pollutant: string) => JSON.stringify([outletId, pollutant]);

/** Estimates the tax reduction per outlet and pollutant (see the rule above). */
export function estimateTaxRelief(
  limits: readonly TaxLimit[],
  readings: readonly TaxReading[],
): TaxReliefEstimate {
  const byLine = new Map<string, TaxReading[]>();
  const order: { outletId: string; pollutant: string; unit: string | null }[] = [];
  for (const r of readings) {
    const k = key(r.outletId, r.pollutant);
    const list = byLine.get(k);
    if (list) list.push(r);
    else {
      byLine.set(k, [r]);
      order.push({ outletId: r.outletId, pollutant: r.pollutant, unit: r.unit });
    }
  }

  // 1. One line per entered limit, with its readings; the first limit for a pair wins.
  const lines: TaxReliefLine[] = [];
  const limited = new Set<string>();
  const duplicates: string[] = [];
  for (const l of limits) {
    const k = key(l.outletId, l.pollutant);
    if (limited.has(k)) {
      duplicates.push(`排放口 ${l.outletId} ${l.pollutant}的限值重复录入，按第一条估算`);
      continue;
    }
    limited.add(k);
    lines.push(judge(l, byLine.get(k) ?? []));
  }
  // 2. Readings with no limit: no estimate.
  for (const o of order) {
    if (limited.has(key(o.outletId, o.pollutant))) continue;
    const values = (byLine.get(key(o.outletId, o.pollutant)) ?? []).map((r) => r.value);
    lines.push({
      outletId: o.outletId,
      outletName: null,
      pollutant: o.pollutant,
      unit: o.unit ?? '',
      limit: null,
      standard: null,
      readings: values,
      mean: mean(values),
      max: Math.max(...values),
      percentBelow: null,
      tier: null,
      reason: '未录入执行标准限值，不作估算（限值须由专家按执行的排放标准录入）',
    });
  }

  // 3. Any outlet over its limit: no reduction anywhere.
  const over = lines.filter(
    (l) => l.tier !== null && l.limit !== null && l.max !== null && l.max > l.limit,
  );
  if (over.length > 0) {
    const names = over.map((l) => `排放口 ${l.outletId} ${l.pollutant}`).join('、');
    for (const line of lines) {
      if (line.tier === null || over.includes(line)) continue;
      const alone = line.tier;
      line.tier = 'none';
      line.reason =
        `不减征：${names}有读数超过排放标准，纳税人任何一个排放口超标的，不予减征（实施条例第十条）；` +
        (alone === 'none' ? '本项单独计算也不减征' : `超标消除后，本项可${TAX_TIER_LABELS[alone]}`);
    }
  }

  const problems = [
    ...duplicates,
    ...lines
      .filter((l) => l.tier === null)
      .map((l) => `排放口 ${l.outletId} ${l.pollutant}：${l.reason}`),
  ];
  return { lines, exceeded: over.length > 0, problems, rule: TAX_RULE_TEXT };
}

function mean(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function judge(l: TaxLimit, readings: readonly TaxReading[]): TaxReliefLine {
  const base = {
    outletId: l.outletId,
    outletName: l.outletName,
    pollutant: l.pollutant,
    unit: l.unit,
    limit: l.limit,
    standard: l.standard,
  };
  const values = readings.map((r) => r.value);
  const m = mean(values);
  if (m === null)
    return {
      ...base,
      readings: [],
      mean: null,
      max: null,
      percentBelow: null,
      tier: null,
      reason: '没有监测读数，不作估算',
    };
  const max = Math.max(...values);
  const other = readings.find((r) => r.unit !== null && normUnit(r.unit) !== normUnit(l.unit));
  if (other)
    return {
      ...base,
      readings: values,
      mean: m,
      max,
      percentBelow: null,
      tier: null,
      reason: `读数单位 ${other.unit ?? ''} 与限值单位 ${l.unit} 不一致，不作估算，请换算后录入`,
    };
  const percentBelow = Math.round(((l.limit - m) / l.limit) * 10000) / 100;
  const u = (n: number) => withUnit(formatNumber(n, 2), l.unit);
  const meanText = values.length > 1 ? `${values.length}个读数的平均值 ${u(m)}` : `读数 ${u(m)}`;
  const gap = `${meanText}，低于限值 ${u(l.limit)} 的 ${formatNumber(percentBelow)}%`;
  let tier: TaxTier;
  let reason: string;
  if (max > l.limit) {
    tier = 'none';
    reason = `最高读数 ${u(max)} 超过限值 ${u(l.limit)}：不减征；且纳税人任何一个排放口超标的，各排放口均不予减征（实施条例第十条）`;
  } else if (atMost(m * 2, l.limit)) {
    tier = '50%';
    reason = `${gap}，达到50%：${TAX_TIER_LABELS['50%']}`;
  } else if (atMost(m * 10, l.limit * 7)) {
    tier = '75%';
    reason = `${gap}，达到30%、不足50%：${TAX_TIER_LABELS['75%']}`;
  } else {
    tier = 'none';
    reason =
      m >= l.limit
        ? `${meanText}，未低于限值 ${u(l.limit)}：${TAX_TIER_LABELS.none}`
        : `${gap}，不足30%：${TAX_TIER_LABELS.none}`;
  }
  return { ...base, readings: values, mean: m, max, percentBelow, tier, reason };
}
