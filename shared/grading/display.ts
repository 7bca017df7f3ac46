import { gradeText } from './text';

/**
 * How a grade reads on every screen and in every PDF: the one rule the visit page, the visit
 * list, the registry and the printed records share.
 * - nothing answered yet: 未评定 (the engine would name the floor grade, which the site has not
 *   been judged to deserve);
 * - some indicators still open: 暂评 B级（尚有 3 项未填） — the grade the answers so far reach,
 *   said to be provisional; on a finalized record, 暂评 B级（定稿时尚有 3 项未填）;
 * - a complete checklist, or a grade a violation decided (the floor whatever the answers): B级;
 * - a grade that could not be worked out (no pinned ruleset on this device): 无法评定.
 */

export interface GradeDisplayInput {
  /** The grade the engine gave; null when it could not grade. */
  grade: string | null;
  /** Indicators answered (a fact or 不适用). */
  answered: number;
  /** Indicators still unanswered. */
  open: number;
  /** The grade was frozen when the record was finalized. */
  frozen?: boolean;
  /** A violation put the grade at the floor: it no longer depends on the answers. */
  byViolation?: boolean;
}

export type GradeDisplay =
  | { kind: 'ungraded'; grade: null; text: string }
  | { kind: 'ungradable'; grade: null; text: string }
  | { kind: 'provisional'; grade: string; open: number; text: string; label: string }
  | { kind: 'final'; grade: string; text: string };

export const UNGRADED_TEXT = '未评定';
export const UNGRADABLE_TEXT = '无法评定';

export function gradeDisplay(input: GradeDisplayInput): GradeDisplay {
  const { grade, answered, open } = input;
  if (grade === null) {
    return answered === 0 && open > 0
      ? { kind: 'ungraded', grade: null, text: UNGRADED_TEXT }
      : { kind: 'ungradable', grade: null, text: UNGRADABLE_TEXT };
  }
  if (input.byViolation) return { kind: 'final', grade, text: gradeText(grade) };
  if (answered === 0) return { kind: 'ungraded', grade: null, text: UNGRADED_TEXT };
  if (open > 0) {
    const label = `暂评 ${gradeText(grade)}`;
    const rest = input.frozen ? `定稿时尚有 ${open} 项未填` : `尚有 ${open} 项未填`;
    return { kind: 'provisional', grade, open, label, text: `${label}（${rest}）` };
  }
  return { kind: 'final', grade, text: gradeText(grade) };
}

/** A visited process's grade as the rule reads it (a violation shows as factsGrade being set). */
export function processGradeDisplay(
  p: { grade: string | null; factsGrade: string | null; answered: number; indicators: number },
  frozen = false,
): GradeDisplay {
  return gradeDisplay({
    grade: p.grade,
    answered: p.answered,
    open: Math.max(0, p.indicators - p.answered),
    frozen,
    byViolation: p.factsGrade !== null,
  });
}

/** A visit's (the enterprise's) grade: answered and open summed over its processes. */
export function visitGradeDisplay(g: {
  grade: string | null;
  lockedUntil: string | null;
  frozen: boolean;
  answered: number;
  open: number;
}): GradeDisplay {
  return gradeDisplay({
    grade: g.grade,
    answered: g.answered,
    open: g.open,
    frozen: g.frozen,
    byViolation: g.lockedUntil !== null,
  });
}
