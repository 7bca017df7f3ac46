import type { ProcessGrading } from '../domain/inspection';
import { JUDGED_LABEL } from '../grading/general';
import { gapFactText, gradeText, requirementText } from '../grading/text';
import {
  ASSISTANCE_DIRECTIONS,
  DEFAULT_DIRECTION,
  directionForDimension,
  type AssistanceDirection,
} from './directions';
import { matchEntry, type MeasureLibrary } from './library';
import type { PlanMeasure } from './schema';

/**
 * Drafting a plan from a finalized visit's grading: one measure per gap to the target grade,
 * each with the indicator it answers, the site's value and the required one in Chinese (worded
 * by shared/grading/text.ts, as the screens and PDFs word them), and the library's suggested
 * measure. The expert then fills in who, by when and how much.
 */

/** A drafted measure's id: the same process and indicator give the same id on every re-draft. */
export function measureId(processId: string, indicatorId: string): string {
  return `gap:${processId}:${indicatorId}`;
}

/** The problems (存在问题) the team recorded at one indicator (a dimension of the 通用帮扶检查表). */
export interface RecordedProblems {
  processId: string;
  indicatorId: string;
  /** The indicator's title (for the checklist, the dimension). */
  title: string;
  dimension: string;
  problems: readonly string[];
}

/** A problem's measure id: stable across re-drafts while the problem's wording stays. */
export function problemMeasureId(processId: string, indicatorId: string, problem: string): string {
  // FNV-1a over the UTF-16 units: a short, stable name for the wording (no crypto in shared/).
  let h = 0x811c9dc5;
  for (let i = 0; i < problem.length; i++) {
    h ^= problem.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${measureId(processId, indicatorId)}:${h.toString(16).padStart(8, '0')}`;
}

export interface DraftInput {
  /** The finalized visit's processes, as InspectionGrading.processes. */
  processes: readonly ProcessGrading[];
  library: MeasureLibrary;
  /** The problems recorded in the visit; each becomes a measure of its own. */
  problems?: readonly RecordedProblems[];
}

export interface DraftResult {
  /** One per gap to each process's target, grouped by direction (the order of ASSISTANCE_DIRECTIONS). */
  measures: PlanMeasure[];
  /** What the draft could not do, in Chinese (a process with no target, a dimension with no direction…). */
  problems: string[];
  /** Some process was graded against a draft ruleset: show 指标待核实 with the plan. */
  unverified: boolean;
}

/**
 * Drafts the measures of a plan from the gaps to target of a visit's processes.
 * - Each process's own gaps to its own target (`gapsToTarget`, as the visit computed them) give
 *   one measure each; a process without a target or that cannot be graded gives a problem instead.
 * - Direction and suggested measure come from the best library entry (`matchEntry`); without
 *   one, the direction falls back by dimension and the measure is left for the expert (empty).
 * - Responsible person, deadline and investment are left empty for the expert.
 */
export function draftPlan(input: DraftInput): DraftResult {
  const problems: string[] = [];
  const drafted: { measure: PlanMeasure; order: number }[] = [];
  let unverified = false;
  let order = 0;
  const seen = new Set<string>();
  for (const p of input.processes) {
    if (p.unverified) unverified = true;
    // Each problem recorded is a measure (with or without a target); an indicator with problems
    // is worked on through them, so its gap gives no measure of its own.
    const withProblems = new Set<string>();
    for (const recorded of input.problems ?? []) {
      if (recorded.processId !== p.processId) continue;
      const gap = p.gapsToTarget?.find((g) => g.indicatorId === recorded.indicatorId);
      for (const text of recorded.problems) {
        const id = problemMeasureId(p.processId, recorded.indicatorId, text);
        if (seen.has(id)) continue;
        seen.add(id);
        withProblems.add(recorded.indicatorId);
        // Matched by the indicator and its dimension, never by words of the problem: a keyword
        // of another industry's entry (VOCs…) would suggest a measure that does not fit.
        const match = matchEntry(input.library, {
          indicatorId: recorded.indicatorId,
          title: recorded.title,
          dimension: recorded.dimension,
        });
        drafted.push({
          order: order++,
          measure: {
            id,
            direction:
              match?.direction ?? directionForDimension(recorded.dimension) ?? DEFAULT_DIRECTION,
            indicatorId: recorded.indicatorId,
            processId: p.processId,
            processLabel: p.label,
            title: recorded.title,
            current: text,
            required: gap ? requirementText(gap, gap.required) : '',
            measure: match?.entry.measure ?? '',
            responsible: '',
            deadline: null,
            investment: null,
            gapStatus: 'unmet',
            libraryId: match?.entry.id ?? null,
          },
        });
      }
    }
    if (p.gapsToTarget === null) {
      problems.push(
        p.problem
          ? `${p.label}：${p.problem}，未列入整改措施`
          : `${p.label}：未设定绩效提升目标，未列入整改措施`,
      );
      continue;
    }
    for (const gap of p.gapsToTarget) {
      if (withProblems.has(gap.indicatorId)) continue;
      const id = measureId(p.processId, gap.indicatorId);
      if (seen.has(id)) continue;
      seen.add(id);
      const match = matchEntry(input.library, gap);
      let direction: AssistanceDirection;
      if (match) direction = match.direction;
      else {
        const byDimension = directionForDimension(gap.dimension);
        direction = byDimension ?? DEFAULT_DIRECTION;
        if (byDimension === null)
          problems.push(
            `${p.label}：指标“${gap.title}”的维度“${gap.dimension || '（无）'}”没有对应的帮扶方向，暂归入${DEFAULT_DIRECTION}，请专家调整`,
          );
      }
      drafted.push({
        order: order++,
        measure: {
          id,
          direction,
          indicatorId: gap.indicatorId,
          processId: p.processId,
          processLabel: p.label,
          title: gap.title,
          // A dimension of the 通用帮扶检查表 reads as the team judged it, not as a computed fact.
          current:
            p.judged && gap.status === 'unmet' && typeof gap.actual === 'string'
              ? `${JUDGED_LABEL} ${gradeText(gap.actual)}`
              : gapFactText(gap),
          required: requirementText(gap, gap.required),
          measure: match?.entry.measure ?? '',
          responsible: '',
          deadline: null,
          investment: null,
          gapStatus: gap.status,
          libraryId: match?.entry.id ?? null,
        },
      });
    }
  }
  const rank = (d: AssistanceDirection) => ASSISTANCE_DIRECTIONS.indexOf(d);
  drafted.sort(
    (a, b) => rank(a.measure.direction) - rank(b.measure.direction) || a.order - b.order,
  );
  return { measures: drafted.map((d) => d.measure), problems, unverified };
}

export interface DirectionGroup {
  direction: AssistanceDirection;
  measures: PlanMeasure[];
}

/** Measures grouped by direction, in the directions' order; directions without measures are left out. */
export function groupByDirection(measures: readonly PlanMeasure[]): DirectionGroup[] {
  return ASSISTANCE_DIRECTIONS.map((direction) => ({
    direction,
    measures: measures.filter((m) => m.direction === direction),
  })).filter((g) => g.measures.length > 0);
}
