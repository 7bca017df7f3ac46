import type { GapView, ProcessGrading } from '../domain/inspection';
import { NOT_APPLICABLE, type FactValue, type Requirement } from '../grading/types';
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
 * each with the indicator it answers, the site's value and the required one in Chinese, and the
 * library's suggested measure. The expert then fills in who, by when and how much.
 */

/** A drafted measure's id: the same process and indicator give the same id on every re-draft. */
export function measureId(processId: string, indicatorId: string): string {
  return `gap:${processId}:${indicatorId}`;
}

/** Numbers as people write them: no float noise (0.1 + 0.2 shows as 0.3). */
export function formatNumber(n: number): string {
  return String(Number.parseFloat(n.toPrecision(12)));
}

function withUnit(n: number, unit: string | null): string {
  if (!unit) return formatNumber(n);
  return /^[%‰℃°]/.test(unit) ? `${formatNumber(n)}${unit}` : `${formatNumber(n)} ${unit}`;
}

const GRADE_TEXT = (g: string) => `达到${g}级要求`;

/** The requirement of a gap as a reader wants it: "≥ 80%", "≤ 50 mg/m³", "是", "SCR 或 SNCR+SCR"… */
export function formatRequired(gap: Pick<GapView, 'kind' | 'unit' | 'required'>): string {
  const r: Requirement = gap.required;
  switch (gap.kind) {
    case 'max':
      return typeof r === 'number' ? `≤ ${withUnit(r, gap.unit)}` : String(r);
    case 'min':
      return typeof r === 'number' ? `≥ ${withUnit(r, gap.unit)}` : String(r);
    case 'bool':
      return r === true ? '是' : r === false ? '不要求' : String(r);
    case 'oneOf':
      return Array.isArray(r) ? (r.length === 1 ? r[0]! : `${r.join('、')}（其一）`) : String(r);
    case 'level':
      return typeof r === 'string' ? GRADE_TEXT(r) : String(r);
    default:
      return Array.isArray(r)
        ? r.join('、')
        : typeof r === 'number'
          ? withUnit(r, gap.unit)
          : String(r);
  }
}

function scalar(v: number | string | boolean, gap: Pick<GapView, 'kind' | 'unit'>): string {
  if (typeof v === 'number') return withUnit(v, gap.unit);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v === NOT_APPLICABLE) return '不适用';
  return gap.kind === 'level' ? GRADE_TEXT(v) : v;
}

/**
 * What the site shows: the value with its unit; several readings listed with the one that
 * decides (the highest against a maximum, the lowest against a minimum); 是/否; a grade column's
 * wording as "达到B级要求"; and 未核实 where nothing was recorded (an unknown fact is never met).
 */
export function formatCurrent(gap: Pick<GapView, 'kind' | 'unit' | 'status' | 'actual'>): string {
  const a: FactValue | null = gap.actual;
  if (gap.status === 'unknown' || a === null) return '未核实';
  if (!Array.isArray(a)) return scalar(a, gap);
  if (a.length === 1) return scalar(a[0]!, gap);
  const nums = a.filter((x): x is number => typeof x === 'number');
  const listed = a.map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))).join('、');
  const unit = gap.unit ? (/^[%‰℃°]/.test(gap.unit) ? gap.unit : ` ${gap.unit}`) : '';
  if (nums.length > 0 && gap.kind === 'max')
    return `${listed}${unit}（最高 ${withUnit(Math.max(...nums), gap.unit)}）`;
  if (nums.length > 0 && gap.kind === 'min')
    return `${listed}${unit}（最低 ${withUnit(Math.min(...nums), gap.unit)}）`;
  return `${listed}${unit}`;
}

export interface DraftInput {
  /** The finalized visit's processes, as InspectionGrading.processes. */
  processes: readonly ProcessGrading[];
  library: MeasureLibrary;
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
    if (p.gapsToTarget === null) {
      problems.push(
        p.problem
          ? `${p.label}：${p.problem}，未列入整改措施`
          : `${p.label}：未设定绩效提升目标，未列入整改措施`,
      );
      continue;
    }
    for (const gap of p.gapsToTarget) {
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
          current: formatCurrent(gap),
          required: formatRequired(gap),
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
