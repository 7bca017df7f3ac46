/**
 * Grading an inspection: live against its pinned rulesets, answers and the enterprise's violations
 * as of its date, or, once finalized, the grades it stored (frozen); and each enterprise's current
 * grade from its latest finalized inspection.
 */

import {
  type AnswerRow,
  getInspection,
  type InspectionRow,
  listAnswerFacts,
  listLatestFinalized,
  listInspectionProcesses,
  type InspectionProcessRow,
} from '../../../db/repositories/inspections';
import { listViolations, type ViolationRow } from '../../../db/repositories/violations';
import { localDate } from '../../../shared/local-time';
import type { CurrentGrade } from '../../../shared/domain/enterprise';
import {
  type FrozenGrading,
  FrozenGradingSchema,
  type GapView,
  type InspectionGrading,
  type ProcessGrading,
} from '../../../shared/domain/inspection';
import {
  activeViolationDate,
  addYears,
  type Facts,
  type FactValue,
  floorGrade,
  type Gap,
  gradeEnterprise,
  type Indicator,
  isGeneralChecklist,
  type ProcessInput,
  type Ruleset,
  rulesetLabel,
  rulesetName,
  rulesetSummary,
} from '../../../shared/grading';
import type { AppContext } from '../context';
import { parseFact } from './answer-values';
import { notFound } from './guards';
import { pinnedRuleset, processLabel } from './pins';

function gapView(byId: ReadonlyMap<string, Indicator>, gap: Gap): GapView {
  const ind = byId.get(gap.indicator);
  return {
    indicatorId: gap.indicator,
    title: ind?.title ?? gap.indicator,
    dimension: ind?.dimension ?? '',
    kind: ind?.kind ?? '',
    unit: ind?.unit ?? null,
    status: gap.status,
    required: gap.required,
    actual: gap.actual ?? null,
  };
}

/** Indicators by id, per ruleset object: pinned rulesets are cached and never change. */
const indicatorIndex = new WeakMap<Ruleset, Map<string, Indicator>>();

function indicatorsById(ruleset: Ruleset): Map<string, Indicator> {
  let byId = indicatorIndex.get(ruleset);
  if (!byId) {
    byId = new Map();
    // The first indicator of an id wins, as a search from the start would find it.
    for (const i of ruleset.indicators) if (!byId.has(i.id)) byId.set(i.id, i);
    indicatorIndex.set(ruleset, byId);
  }
  return byId;
}

/** What grading needs of an answer (an AnswerFactRow); a null fact is no answer yet. */
type GradedAnswer = Pick<AnswerRow, 'inspectionProcessId' | 'indicatorId' | 'fact'>;

/**
 * The grades a finalized visit stored, or null: a draft, a visit finalized before they were
 * stored, or one a newer app stored in a form this one cannot read (each is graded live).
 */
export function frozenOf(
  row: Pick<InspectionRow, 'status' | 'frozenGrading'>,
): FrozenGrading | null {
  if (row.status !== 'finalized' || row.frozenGrading === null) return null;
  try {
    const parsed = FrozenGradingSchema.safeParse(JSON.parse(row.frozenGrading));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What finalization stores of the grading it computed. */
export function freeze(grading: InspectionGrading, violationDate: string | null): FrozenGrading {
  return {
    v: 1,
    asOf: grading.asOf,
    grade: grading.grade,
    lockedUntil: grading.lockedUntil,
    violationDate,
    processes: grading.processes.map((p) => ({
      id: p.inspectionProcessId,
      grade: p.grade,
      factsGrade: p.factsGrade,
      answered: p.answered,
      indicators: p.indicators,
    })),
  };
}

/**
 * Grades a visit: each visited process against its pinned ruleset, the enterprise as the worst
 * of them with its violations applied, all as of the visit's date; and each process's gaps to
 * its target grade. A finalized visit with stored grades (`frozen`) is graded with the violation
 * it was finalized with, not those recorded since, and reads the stored grades; a violation that
 * locks the enterprise today and is not among them is named as `laterViolation`.
 */
export function gradeInspection(
  ctx: AppContext,
  asOf: string,
  processes: readonly InspectionProcessRow[],
  answers: readonly GradedAnswer[],
  violations: readonly ViolationRow[],
  frozen: FrozenGrading | null = null,
): InspectionGrading {
  const violationInput =
    frozen === null
      ? violations.map((v) => ({ date: v.date, kind: v.kind }))
      : frozen.violationDate === null
        ? []
        : [{ date: frozen.violationDate, kind: '' }];
  // The answers of each visited process, in one pass.
  const answersOf = new Map<string, GradedAnswer[]>();
  for (const p of processes) answersOf.set(p.id, []);
  for (const a of answers) {
    if (a.fact !== null) answersOf.get(a.inspectionProcessId)?.push(a);
  }
  const inputs: ProcessInput[] = [];
  const byHash = new Map<string, Ruleset>();
  const answered = new Map<string, number>();
  for (const p of processes) {
    const ruleset = pinnedRuleset(ctx, p.rulesetHash);
    if (!ruleset) continue;
    byHash.set(p.rulesetHash, ruleset);
    const known = indicatorsById(ruleset);
    const facts: Facts = {};
    let count = 0;
    for (const a of answersOf.get(p.id) ?? []) {
      if (known.has(a.indicatorId)) {
        facts[a.indicatorId] = parseFact(a.fact) as FactValue;
        count++;
      }
    }
    answered.set(p.id, count);
    // Keyed by hash, not id: two processes may pin different editions of one ruleset.
    inputs.push({ name: p.id, ruleset: p.rulesetHash, facts });
  }
  const result =
    inputs.length > 0
      ? gradeEnterprise({ asOf, processes: inputs, violations: violationInput }, (hash) =>
          byHash.get(hash),
        )
      : null;
  const lockedDate = activeViolationDate(asOf, violationInput);
  const views: ProcessGrading[] = processes.map((p) => {
    const label = processLabel(ctx, p);
    const ruleset = byHash.get(p.rulesetHash);
    const graded = result?.processes.find((r) => r.name === p.id);
    const base = {
      inspectionProcessId: p.id,
      processId: p.processId,
      label,
      rulesetId: p.rulesetId,
      edition: p.rulesetEdition,
      rulesetName: ruleset ? rulesetName(ruleset) : '分级指标',
      summary: ruleset ? rulesetSummary(ruleset) : null,
      targetGrade: p.targetGrade,
    };
    if (!ruleset || !graded) {
      return {
        ...base,
        unverified: false,
        judged: false,
        grade: null,
        factsGrade: null,
        reachesTarget: null,
        gapsToTarget: null,
        gaps: {},
        answered: 0,
        indicators: 0,
        problem: `本机没有此次检查所用的分级指标（${p.rulesetEdition} 版），不能评级；同步后再打开`,
      };
    }
    const byId = indicatorsById(ruleset);
    const gaps: Record<string, GapView[]> = {};
    for (const [grade, list] of Object.entries(graded.gaps)) {
      gaps[grade] = list.map((g) => gapView(byId, g));
    }
    const ranks = new Map(ruleset.grades.map((g) => [g.grade, g.rank]));
    let reachesTarget: boolean | null = null;
    let gapsToTarget: GapView[] | null = null;
    let problem: string | null = null;
    if (p.targetGrade !== null) {
      const targetRank = ranks.get(p.targetGrade);
      if (targetRank === undefined) {
        problem = `目标等级“${p.targetGrade}”不是${rulesetLabel(ruleset)}的等级（${ruleset.grades.map((g) => g.grade).join('、')}）`;
      } else {
        reachesTarget = (ranks.get(graded.grade) ?? Infinity) <= targetRank;
        gapsToTarget = reachesTarget ? [] : (gaps[p.targetGrade] ?? []);
      }
    }
    return {
      ...base,
      unverified: ruleset.status === 'draft' && !isGeneralChecklist(ruleset),
      judged: isGeneralChecklist(ruleset),
      grade: graded.grade,
      factsGrade: graded.factsGrade ?? null,
      reachesTarget,
      gapsToTarget,
      gaps,
      answered: answered.get(p.id) ?? 0,
      indicators: ruleset.indicators.length,
      problem,
    };
  });
  if (frozen !== null) {
    // The stored grades are the record's; recomputing from the same pinned rulesets, answers and
    // violation gives them again, and where a later app grades otherwise, the stored ones stand.
    const stored = new Map(frozen.processes.map((p) => [p.id, p]));
    for (const view of views) {
      const p = stored.get(view.inspectionProcessId);
      if (!p) continue;
      view.grade = p.grade;
      view.factsGrade = p.factsGrade;
      view.answered = p.answered;
      view.indicators = p.indicators;
    }
  }
  const answeredTotal = views.reduce((n, v) => n + v.answered, 0);
  const indicatorTotal = views.reduce((n, v) => n + v.indicators, 0);
  return {
    asOf,
    grade:
      frozen !== null
        ? frozen.grade
        : result && inputs.length === processes.length
          ? result.grade
          : null,
    lockedUntil:
      frozen !== null ? frozen.lockedUntil : lockedDate === null ? null : addYears(lockedDate, 1),
    unverified: views.some((v) => v.unverified),
    answered: answeredTotal,
    open: Math.max(0, indicatorTotal - answeredTotal),
    frozen: frozen !== null,
    laterViolation: frozen === null ? null : laterViolation(ctx, frozen, violations),
    processes: views,
  };
}

/** The violation locking the enterprise today that a finalized visit's grades do not include. */
function laterViolation(
  ctx: AppContext,
  frozen: FrozenGrading,
  violations: readonly ViolationRow[],
): InspectionGrading['laterViolation'] {
  const today = localDate(ctx.device.now());
  const date = activeViolationDate(today, [...violations]);
  if (date === null || date === frozen.violationDate) return null;
  const kind = violations.find((v) => v.date === date)?.kind ?? '';
  return { date, kind, lockedUntil: addYears(date, 1) };
}

/** The live grading of one visit, without the rest of its detail (what autosave returns). */
export function gradingOf(ctx: AppContext, id: string): InspectionGrading {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  return gradeInspection(
    ctx,
    row.date,
    listInspectionProcesses(ctx.db, [id]),
    listAnswerFacts(ctx.db, id),
    listViolations(ctx.db, row.enterpriseId),
    frozenOf(row),
  );
}

/**
 * The current grade of each of these enterprises (the registry's): the latest finalized visit's
 * grade as it was finalized, unless a violation locks the enterprise today, which puts it at the
 * worst floor of that visit's rulesets. `violations` are the enterprises' live violations.
 */
export function currentGrades(
  ctx: AppContext,
  enterpriseIds: readonly string[],
  violations: ReadonlyMap<string, readonly ViolationRow[]>,
  today: string,
): Map<string, CurrentGrade> {
  const latest = new Map(
    listLatestFinalized(ctx.db, enterpriseIds).map((r) => [r.enterpriseId, r]),
  );
  const processes = listInspectionProcesses(
    ctx.db,
    [...latest.values()].map((r) => r.id),
  );
  const out = new Map<string, CurrentGrade>();
  for (const enterpriseId of enterpriseIds) {
    const own = violations.get(enterpriseId) ?? [];
    const date = activeViolationDate(today, [...own]);
    const violation =
      date === null
        ? null
        : {
            date,
            kind: own.find((v) => v.date === date)?.kind ?? '',
            lockedUntil: addYears(date, 1),
          };
    const row = latest.get(enterpriseId);
    let visit: CurrentGrade['visit'] = null;
    let floor: string | null = null;
    if (row) {
      const visited = processes.filter((p) => p.inspectionId === row.id);
      const frozen = frozenOf(row);
      // The stored grades need no grading; a visit finalized before they were stored is graded.
      const grading =
        frozen !== null
          ? {
              grade: frozen.grade,
              lockedUntil: frozen.lockedUntil,
              answered: frozen.processes.reduce((n, p) => n + p.answered, 0),
              open: frozen.processes.reduce(
                (n, p) => n + Math.max(0, p.indicators - p.answered),
                0,
              ),
              frozen: true,
            }
          : gradeInspection(ctx, row.date, visited, listAnswerFacts(ctx.db, row.id), own);
      visit = {
        id: row.id,
        date: row.date,
        grade: grading.grade,
        lockedUntil: grading.lockedUntil,
        answered: grading.answered,
        open: grading.open,
        frozen: grading.frozen,
      };
      let worst = -Infinity;
      for (const p of visited) {
        const ruleset = pinnedRuleset(ctx, p.rulesetHash);
        if (!ruleset) continue;
        const f = floorGrade(ruleset);
        const rank = ruleset.grades.find((g) => g.grade === f)?.rank ?? Infinity;
        if (rank > worst) {
          worst = rank;
          floor = f;
        }
      }
    }
    out.set(enterpriseId, {
      grade: violation !== null ? floor : (visit?.grade ?? null),
      visit,
      violation,
    });
  }
  return out;
}
