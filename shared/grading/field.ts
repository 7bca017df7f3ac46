import { GENERAL_CHECKLIST_NAME, isGeneralChecklist } from './general';
import type { Indicator, Ruleset } from './types';

/**
 * What the screens and documents a team or an enterprise reads show of a ruleset (issue #15):
 * its name in words, its 说明 (`summary`) and each indicator's 说明 (`hint`). Never an id, and
 * never the experts' 来源与缺项 (`sourceNote`, an indicator's `note`), which only the library's
 * detail view shows.
 */

/** What names a ruleset: a ruleset itself, or the library's summary of one. */
export interface RulesetNaming {
  industry: string;
  branch?: string | null;
  kind?: Ruleset['kind'];
}

/**
 * 水泥熟料分级指标, as the guideline titles its tables (by branch; 石灰窑分级指标 for a ruleset of
 * the whole industry); 通用帮扶检查表 for the general checklist.
 */
export function rulesetName(ruleset: RulesetNaming): string {
  if (isGeneralChecklist(ruleset)) return GENERAL_CHECKLIST_NAME;
  return `${ruleset.branch || ruleset.industry}分级指标`;
}

/** 水泥熟料分级指标（2020 版，草稿）. */
export function rulesetLabel(ruleset: RulesetNaming & Pick<Ruleset, 'edition' | 'status'>): string {
  if (isGeneralChecklist(ruleset)) return GENERAL_CHECKLIST_NAME;
  return `${rulesetName(ruleset)}（${ruleset.edition} 版${ruleset.status === 'draft' ? '，草稿' : ''}）`;
}

/** The ruleset's 说明 for a team, or null (a ruleset written before 说明 existed has none). */
export function rulesetSummary(ruleset: Pick<Ruleset, 'summary'>): string | null {
  const text = ruleset.summary?.trim();
  return text ? text : null;
}

/**
 * An indicator's 说明 for a team, or null. The 通用帮扶检查表 pinned before hints existed kept its
 * prompts (written for the team) in `note`; an industry's ruleset never shows its `note` here.
 */
export function indicatorHint(
  ruleset: Pick<Ruleset, 'kind'>,
  indicator: Pick<Indicator, 'hint' | 'note'>,
): string | null {
  const text = (
    indicator.hint ?? (isGeneralChecklist(ruleset) ? indicator.note : undefined)
  )?.trim();
  return text ? text : null;
}
