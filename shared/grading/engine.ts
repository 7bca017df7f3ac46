import { addYears } from './dates';
import {
  NOT_APPLICABLE,
  type EnterpriseInput,
  type EnterpriseResult,
  type FactValue,
  type Facts,
  type Gap,
  type Indicator,
  type ProcessResult,
  type Requirement,
  type Ruleset,
  type RulesetResult,
} from './types';

/**
 * The grading engine: pure, synchronous, and the only place grades are decided.
 * - A grade is reached when every requirement of its column is met by a known fact (短板原则);
 *   columns are checked each on its own, not cumulatively. The floor needs nothing.
 * - An absent fact is unknown and meets nothing; "n/a" meets everything.
 * - An enterprise takes the worst of its processes by rank; a violation within a year puts
 *   every process at its floor and locks the enterprise until a year after the violation.
 */

export class GradingError extends Error {
  override name = 'GradingError';
}

/** Thrown for a ruleset that has no indicators: it cannot grade (缺少分级指标). */
export class MissingIndicatorsError extends GradingError {
  constructor(readonly rulesetId: string) {
    super(`缺少分级指标：指标体系 ${rulesetId} 没有任何指标，不能评级`);
  }
}

function meets(
  ind: Indicator,
  required: Requirement,
  fact: FactValue,
  rank: (g: string) => number,
): boolean {
  if (fact === NOT_APPLICABLE) return true;
  switch (ind.kind) {
    case 'max': {
      const xs = Array.isArray(fact) ? fact : [fact];
      return xs.length > 0 && xs.every((x) => typeof x === 'number' && x <= (required as number));
    }
    case 'min': {
      const xs = Array.isArray(fact) ? fact : [fact];
      return xs.length > 0 && xs.every((x) => typeof x === 'number' && x >= (required as number));
    }
    case 'bool':
      return required !== true || fact === true;
    case 'oneOf':
      return typeof fact === 'string' && (required as string[]).includes(fact);
    case 'level':
      return typeof fact === 'string' && rank(fact) <= rank(required as string);
  }
}

/** The requirements of one grade's column that the facts do not meet. */
function gapsFor(
  ruleset: Ruleset,
  grade: string,
  facts: Facts,
  rank: (g: string) => number,
): Gap[] {
  const gaps: Gap[] = [];
  for (const ind of ruleset.indicators) {
    const required = ind.require[grade];
    if (required === undefined) continue;
    const fact = facts[ind.id];
    if (fact === undefined) gaps.push({ indicator: ind.id, status: 'unknown', required });
    else if (!meets(ind, required, fact, rank))
      gaps.push({ indicator: ind.id, status: 'unmet', required, actual: fact });
  }
  return gaps;
}

function rankOf(ruleset: Ruleset): (g: string) => number {
  const ranks = new Map(ruleset.grades.map((g) => [g.grade, g.rank]));
  return (g) => ranks.get(g) ?? Number.POSITIVE_INFINITY;
}

export function floorGrade(ruleset: Ruleset): string {
  const last = ruleset.grades.at(-1);
  if (!last) throw new GradingError(`指标体系 ${ruleset.id} 没有等级`);
  return last.grade;
}

/** Grades one process against one (validated) ruleset. */
export function gradeRuleset(ruleset: Ruleset, facts: Facts): RulesetResult {
  if (ruleset.indicators.length === 0) throw new MissingIndicatorsError(ruleset.id);
  const rank = rankOf(ruleset);
  const floor = floorGrade(ruleset);
  const gaps: Record<string, Gap[]> = {};
  for (const { grade } of ruleset.grades) {
    if (grade === floor) return { ruleset: ruleset.id, grade, gaps };
    const missing = gapsFor(ruleset, grade, facts, rank);
    if (missing.length === 0) return { ruleset: ruleset.id, grade, gaps };
    gaps[grade] = missing;
  }
  return { ruleset: ruleset.id, grade: floor, gaps };
}

/** The latest violation within one year before `asOf` (both days included), if any. */
export function activeViolationDate(
  asOf: string,
  violations: EnterpriseInput['violations'],
): string | null {
  const from = addYears(asOf, -1);
  let latest: string | null = null;
  for (const v of violations ?? []) {
    if (v.date >= from && v.date <= asOf && (latest === null || v.date > latest)) latest = v.date;
  }
  return latest;
}

/** Grades an enterprise: each process on its own, the enterprise as the worst of them. */
export function gradeEnterprise(
  input: EnterpriseInput,
  lookup: (id: string) => Ruleset | undefined,
): EnterpriseResult {
  if (input.processes.length === 0) throw new GradingError('企业没有任何行业或工序，不能评级');
  const violationDate = activeViolationDate(input.asOf, input.violations);
  let worst: { rank: number; grade: string } | null = null;
  const processes: ProcessResult[] = input.processes.map((p) => {
    const ruleset = lookup(p.ruleset);
    if (!ruleset) throw new GradingError(`找不到指标体系 ${p.ruleset}`);
    const result = gradeRuleset(ruleset, p.facts);
    let out: ProcessResult = { name: p.name, ...result };
    if (violationDate !== null) {
      const floor = floorGrade(ruleset);
      const gaps: Record<string, Gap[]> = {};
      for (const { grade } of ruleset.grades)
        if (grade !== floor) gaps[grade] = result.gaps[grade] ?? [];
      out = { name: p.name, ruleset: ruleset.id, grade: floor, gaps, factsGrade: result.grade };
    }
    const rank = rankOf(ruleset)(out.grade);
    if (worst === null || rank > worst.rank) worst = { rank, grade: out.grade };
    return out;
  });
  return {
    grade: (worst as { rank: number; grade: string } | null)?.grade ?? '',
    processes,
    lockedUntil: violationDate === null ? null : addYears(violationDate, 1),
  };
}
