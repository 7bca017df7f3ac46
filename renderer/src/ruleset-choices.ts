/**
 * Choosing a ruleset for a process: the latest edition of each ruleset id, the rulesets a
 * process of an industry and branch may use, and their briefs for checkProcessAgainstCatalog.
 * Pure functions of the ruleset list (useRulesets reads it).
 */
import type { RulesetSummary } from '../../shared/api/contract';
import type { RulesetBrief } from '../../shared/domain/process';

/** The latest edition of each ruleset id (the one a process's rulesetId names). */
export function latestEditions(rulesets: readonly RulesetSummary[]): RulesetSummary[] {
  const byId = new Map<string, RulesetSummary>();
  for (const r of rulesets) {
    const seen = byId.get(r.id);
    if (!seen || seen.edition < r.edition) byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Describes a ruleset id for checkProcessAgainstCatalog. */
export function rulesetBriefs(
  rulesets: readonly RulesetSummary[],
): (id: string) => RulesetBrief | undefined {
  const latest = new Map(latestEditions(rulesets).map((r) => [r.id, r]));
  return (id) => {
    const r = latest.get(id);
    if (!r) return undefined;
    return { industry: r.industry, ...(r.branch ? { branch: r.branch } : {}), grades: r.grades };
  };
}

/** Rulesets usable for a process of this industry (by name) and branch. */
export function rulesetsFor(
  rulesets: readonly RulesetSummary[],
  industryName: string | undefined,
  branch: string | undefined,
): RulesetSummary[] {
  if (!industryName) return [];
  return latestEditions(rulesets).filter(
    (r) => r.industry === industryName && (r.branch === null || r.branch === branch),
  );
}
