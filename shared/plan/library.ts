import { z } from 'zod';

import type { Checked } from '../grading';
import { ASSISTANCE_DIRECTIONS, type AssistanceDirection } from './directions';
import { number, optionalText, strictObject, text, textList } from './fields';
import { check } from './issues';

/**
 * The measure library (resources/plan/measures.json): suggested measures that experts keep as data,
 * like the rulesets. A plan's draft takes each gap's direction and suggested measure from the entry
 * that matches it best (see `matchEntry`).
 */

const ID = /^[a-z0-9][a-z0-9._-]*$/;

export const InvestmentRangeSchema = strictObject('投资区间', {
  /** 万元. */
  min: number('投资下限', 0, '万元'),
  max: number('投资上限', 0, '万元'),
  /** Where the range comes from; a range with no source does not belong here. */
  source: text('投资区间来源', 500, 1),
}).refine((r) => r.min <= r.max, { message: '投资下限不能大于上限', path: ['max'] });

export const MatchRulesSchema = strictObject('匹配规则', {
  /** The indicator id starts with one of these (`transport.` or a whole id). */
  indicatorPrefixes: textList('指标编号前缀', 50).default([]),
  /** The indicator's dimension contains one of these. */
  dimensions: textList('维度', 20).default([]),
  /** The indicator's title contains one of these. */
  keywords: textList('关键词', 50).default([]),
}).refine((m) => m.indicatorPrefixes.length + m.dimensions.length + m.keywords.length > 0, {
  message: '匹配规则至少要有一项指标编号前缀、维度或关键词',
});

export const MeasureEntrySchema = strictObject('措施条目', {
  id: text('条目编号', 100, 1).regex(ID, '条目编号只能由小写字母、数字和 . _ - 组成'),
  direction: z.enum(ASSISTANCE_DIRECTIONS, {
    error: `帮扶方向应为${ASSISTANCE_DIRECTIONS.join('、')}之一`,
  }),
  match: MatchRulesSchema,
  /** The suggested measure, in the plan's words. */
  measure: text('建议措施', 2000, 1),
  /** A typical investment, only where a source gives one; null otherwise. */
  investment: InvestmentRangeSchema.nullable(),
  /** Where the measure's wording comes from. */
  source: text('来源', 1000, 1),
  note: optionalText('说明', 2000),
});

export const MeasureLibrarySchema = strictObject('措施库', {
  edition: text('版本', 100, 1),
  status: z.enum(['draft', 'verified'], { error: '状态应为 "draft" 或 "verified"' }),
  source: text('来源', 2000, 1),
  note: optionalText('说明', 5000),
  entries: z.array(MeasureEntrySchema, { error: '措施条目应为列表' }),
}).superRefine((lib, ctx) => {
  const seen = new Set<string>();
  lib.entries.forEach((e, i) => {
    if (seen.has(e.id))
      ctx.addIssue({
        code: 'custom',
        path: ['entries', i, 'id'],
        message: `条目编号 ${e.id} 重复`,
      });
    seen.add(e.id);
  });
});

export type MeasureEntry = z.output<typeof MeasureEntrySchema>;
export type MeasureLibrary = z.output<typeof MeasureLibrarySchema>;

/** Checks a parsed measures.json: every problem with its JSON path and a Chinese reason. */
export function validateMeasureLibrary(raw: unknown): Checked<MeasureLibrary> {
  return check(MeasureLibrarySchema, raw);
}

/** What a library entry is matched against: the gap's indicator. */
export interface MatchTarget {
  indicatorId: string;
  dimension: string;
  title: string;
}

export interface LibraryMatch {
  entry: MeasureEntry;
  direction: AssistanceDirection;
  /** How it matched, strongest first: indicator id prefix, keyword in the title, dimension. */
  by: 'indicator' | 'keyword' | 'dimension';
}

/**
 * The entry that fits a gap best:
 * 1. an entry with an indicator-id prefix the id starts with (the longest prefix wins);
 * 2. else an entry with a keyword the title contains, and whose dimensions (if it lists any)
 *    include the gap's (the longest keyword wins);
 * 3. else an entry with no keywords whose dimensions include the gap's (a dimension's generic
 *    measure).
 * Ties go to the entry that comes first in the file. null when nothing matches.
 */
export function matchEntry(library: MeasureLibrary, target: MatchTarget): LibraryMatch | null {
  const dimensionHit = (e: MeasureEntry) =>
    e.match.dimensions.some((d) => target.dimension.includes(d));
  let best: { entry: MeasureEntry; tier: number; strength: number } | null = null;
  for (const entry of library.entries) {
    let tier = 0;
    let strength = 0;
    const prefix = longest(
      entry.match.indicatorPrefixes.filter((p) => target.indicatorId.startsWith(p)),
    );
    if (prefix > 0) {
      tier = 3;
      strength = prefix;
    } else {
      const keyword = longest(entry.match.keywords.filter((k) => target.title.includes(k)));
      if (keyword > 0 && (entry.match.dimensions.length === 0 || dimensionHit(entry))) {
        tier = 2;
        strength = keyword;
      } else if (entry.match.keywords.length === 0 && dimensionHit(entry)) {
        tier = 1;
      }
    }
    if (tier === 0) continue;
    if (best === null || tier > best.tier || (tier === best.tier && strength > best.strength))
      best = { entry, tier, strength };
  }
  if (best === null) return null;
  const by = best.tier === 3 ? 'indicator' : best.tier === 2 ? 'keyword' : 'dimension';
  return { entry: best.entry, direction: best.entry.direction, by };
}

function longest(xs: readonly string[]): number {
  return xs.reduce((n, x) => Math.max(n, x.length), 0);
}
