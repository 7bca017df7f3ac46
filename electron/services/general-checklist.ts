import path from 'node:path';

import { findBranch, findIndustry } from '../../shared/domain/catalog';
import {
  buildGeneralChecklist,
  DEFAULT_GENERAL_SCHEME,
  GeneralChecklistDataSchema,
  type GeneralChecklistData,
  type Ruleset,
} from '../../shared/grading';

import type { AppContext } from './context';
import { readJsonResource, RulesetFileError } from './rulesets';

/**
 * The 通用帮扶检查表's data shipped in resources/general/checklist.json (prompts per dimension and
 * what each grade means), read and checked once when the context opens, like the measure library.
 */
export function readGeneralChecklist(dir: string): GeneralChecklistData {
  const file = path.join(dir, 'checklist.json');
  const raw = readJsonResource(file);
  const parsed = GeneralChecklistDataSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '（整体）'}：${i.message}`,
    );
    throw new RulesetFileError(`${file}: ${reasons.join('；')}`);
  }
  return parsed.data;
}

/** The grade scheme a process of this industry branch is judged in (A/B/C/D where not sourced). */
export function generalSchemeOf(
  ctx: AppContext,
  process: { industryCode: string; branch: string },
): readonly string[] {
  const industry = findIndustry(ctx.catalog, process.industryCode);
  const branch = industry ? findBranch(industry, process.branch) : undefined;
  return branch?.gradeScheme ?? DEFAULT_GENERAL_SCHEME;
}

/** The 通用帮扶检查表 a process with no ruleset is visited with. */
export function generalChecklistFor(
  ctx: AppContext,
  process: { industryCode: string; branch: string },
): Ruleset {
  return buildGeneralChecklist(ctx.generalChecklist, generalSchemeOf(ctx, process));
}
