import { z } from 'zod';

import { DIMENSIONS, type GradeDef, type Indicator, type Ruleset } from './types';

/**
 * The 通用帮扶检查表 (general assistance checklist): how a process is visited while its industry
 * has no ruleset yet. It is written in the ruleset format, so a visit pins it, answers it, autosaves,
 * grades and drafts a plan from it exactly as from a ruleset:
 * - one `level` indicator per dimension of the guideline (DIMENSIONS), whose fact is the level the
 *   team judges that dimension reaches (专家判定); its `hint` (说明) holds what to look at (the
 *   prompts; content pinned before hints existed holds them in `note`, see `indicatorHint`);
 * - the process's grade is then the worst judged dimension, the engine's short-board rule;
 * - the grades are the industry branch's scheme (A/B/C/D where not sourced).
 * `kind: 'general'` on the pinned content tells every screen and document to label its grades as
 * 专家判定, never as computed from indicators. The prompts are data (resources/general/checklist.json),
 * which experts edit as they edit the measure library; a visit keeps the prompts it was pinned with.
 */

export const GENERAL_CHECKLIST_NAME = '通用帮扶检查表';
/** How a grade judged with the general checklist is labelled: 专家判定 B级. */
export const JUDGED_LABEL = '专家判定';

/** The grades of a scheme where no source names one (the 2026 guidance: A/B/C/D in principle). */
export const DEFAULT_GENERAL_SCHEME = ['A', 'B', 'C', 'D'] as const;

const SUGGESTED_RANKS: Readonly<Record<string, number>> = {
  'A+': 0,
  A: 1,
  引领性: 1,
  B: 2,
  'B-': 3,
  C: 4,
  非引领性: 4,
  D: 5,
};

const GRADE_SLUGS: Readonly<Record<string, string>> = {
  'A+': 'aplus',
  'B-': 'bminus',
  引领性: 'leading',
  非引领性: 'not-leading',
};

const ItemSchema = z
  .object({
    dimension: z.string().trim().min(1, '维度不能为空'),
    /** The indicator id's last part (`general.<key>`): lower-case letters, digits, . _ -. */
    key: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, '编号只能由小写字母、数字和 _ - 组成'),
    /** What to look at in this dimension, as the team reads it on site. */
    prompt: z.string().trim().min(1, '要看什么不能为空').max(4000),
  })
  .strict();

export const GeneralChecklistDataSchema = z
  .object({
    edition: z.string().trim().min(1),
    source: z.string().trim().min(1),
    note: z.string().optional(),
    /** What each grade means in general terms, shown beside the team's judgement. */
    levels: z.record(z.string(), z.string().trim().min(1)),
    dimensions: z.array(ItemSchema).min(1, '至少需要一个维度'),
  })
  .strict()
  .superRefine((data, ctx) => {
    const keys = new Set<string>();
    data.dimensions.forEach((d, i) => {
      if (keys.has(d.key))
        ctx.addIssue({ code: 'custom', path: ['dimensions', i, 'key'], message: '编号重复' });
      keys.add(d.key);
      if (!(DIMENSIONS as readonly string[]).includes(d.dimension))
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions', i, 'dimension'],
          message: `维度应为${DIMENSIONS.join('、')}之一`,
        });
    });
  });

export type GeneralChecklistData = z.output<typeof GeneralChecklistDataSchema>;

/** Whether pinned content is the 通用帮扶检查表 rather than an industry's ruleset. */
export function isGeneralChecklist(ruleset: Pick<Ruleset, 'kind'> | null | undefined): boolean {
  return ruleset?.kind === 'general';
}

function gradeDefs(scheme: readonly string[]): GradeDef[] {
  const suggested = scheme.map((g) => SUGGESTED_RANKS[g]);
  const increasing = suggested.every(
    (r, i) => r !== undefined && (i === 0 || r > (suggested[i - 1] as number)),
  );
  return scheme.map((grade, i) => ({
    grade,
    rank: increasing ? (suggested[i] as number) : i + 1,
  }));
}

/** The checklist's id for a scheme: `general-a-b-c-d`, `general-leading-not-leading`… */
export function generalChecklistId(scheme: readonly string[]): string {
  const slug = scheme.map((g, i) => GRADE_SLUGS[g] ?? (/^[A-Za-z]+$/.test(g) ? g : `g${i + 1}`));
  return `general-${slug.join('-').toLowerCase()}`;
}

/**
 * The 通用帮扶检查表 for a grade scheme (best first): one `level` indicator per dimension, each
 * requiring, at every grade but the floor, that the dimension is judged at that grade or better.
 */
export function buildGeneralChecklist(
  data: GeneralChecklistData,
  scheme: readonly string[] = DEFAULT_GENERAL_SCHEME,
): Ruleset {
  const grades = gradeDefs(scheme.length >= 2 ? scheme : DEFAULT_GENERAL_SCHEME);
  const above = grades.slice(0, -1).map((g) => g.grade);
  const text: Record<string, string> = {};
  for (const g of grades) {
    const level = data.levels[g.grade];
    if (level) text[g.grade] = level;
  }
  const indicators: Indicator[] = data.dimensions.map((d) => ({
    id: `general.${d.key}`,
    dimension: d.dimension,
    title: d.dimension,
    kind: 'level',
    hint: d.prompt,
    ...(Object.keys(text).length > 0 ? { text } : {}),
    require: Object.fromEntries(above.map((g) => [g, g])),
  }));
  return {
    id: generalChecklistId(grades.map((g) => g.grade)),
    kind: 'general',
    industry: GENERAL_CHECKLIST_NAME,
    edition: data.edition,
    source: data.source,
    status: 'verified',
    grades,
    indicators,
  };
}
