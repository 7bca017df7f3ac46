/**
 * Answers, indicator by indicator (autosave): each fact checked against the pinned ruleset, typed
 * readings read as numbers and range-checked, measured readings (实测读数) and problems checked;
 * only changed fields are written, and the live grading is returned.
 */

import { writeChanges } from '../../../db/changes';
import {
  findAnswer,
  getAnswer,
  listAnswerFacts,
  listInspectionProcesses,
  updateAnswer,
} from '../../../db/repositories/inspections';
import { listViolations } from '../../../db/repositories/violations';
import { AppError } from '../../../shared/api/errors';
import type {
  AnswerSave,
  AnswerSaved,
  Reading,
  ReadingSave,
} from '../../../shared/domain/inspection';
import {
  checkMeasuredNumbers,
  type FactValue,
  type Indicator,
  NOT_APPLICABLE,
  parseReading,
  readingRangeProblem,
  type Ruleset,
  validateFacts,
} from '../../../shared/grading';
import type { AppContext } from '../context';
import { insertNewAnswer, storedList, toAnswer } from './answer-values';
import { gradeInspection } from './grading';
import {
  clearConfirmations,
  indicatorOf,
  liveInspectionProcess,
  pinnedOrFail,
  requireDraft,
} from './guards';

/**
 * The readings of a max/min fact: text typed for a reading (full-width digits, the IME's 。…) is
 * read as its number (shared/grading/readings.ts), and every reading must lie in its unit's range
 * (a % within 0–100, a concentration ≥ 0…). Anything else is refused, naming the reading and why:
 * the stored answer stays as it was.
 */
function checkReadings(indicator: Indicator, fact: unknown): unknown {
  if ((indicator.kind !== 'max' && indicator.kind !== 'min') || fact === NOT_APPLICABLE) {
    return fact;
  }
  const several = Array.isArray(fact) && fact.length > 1;
  const problems: string[] = [];
  const read = (v: unknown, i: number): unknown => {
    const which = several ? `第 ${i + 1} 个读数` : '读数';
    let value = v;
    if (typeof v === 'string') {
      const parsed = parseReading(v, indicator.unit);
      if (parsed.kind === 'number') value = parsed.value;
      else {
        problems.push(`${which}${parsed.kind === 'empty' ? '为空' : `：${parsed.message}`}`);
        return v;
      }
    }
    if (typeof value === 'number') {
      const problem = readingRangeProblem(value, indicator.unit);
      if (problem !== null) problems.push(`${which} ${problem}`);
    }
    return value;
  };
  const out = Array.isArray(fact) ? fact.map(read) : read(fact, 0);
  if (problems.length > 0) {
    const message = `指标“${indicator.title}”（${indicator.id}）${problems.join('；')}，未保存，原有的值保留不变`;
    throw new AppError('invalid_input', message, [{ path: 'fact', message }]);
  }
  return out;
}

/**
 * The measured readings (实测读数) of an answer, checked by the rule of the input under each
 * (shared/grading/readings.ts): text typed for a number is read as one, 实测值 and 限值 lie within
 * the unit's range (a % within 0–100, a concentration ≥ 0; a 限值 ≥ 0), 基准氧含量 within 0–21 %.
 * Anything else is refused, naming the indicator, the reading and the field: nothing is saved.
 */
function checkAnswerReadings(
  indicator: Indicator,
  readings: readonly ReadingSave[] | undefined,
): Reading[] | undefined {
  if (readings === undefined) return undefined;
  const problems: string[] = [];
  const issues: { path: string; message: string }[] = [];
  const out = readings.map((r, i): Reading => {
    const checked = checkMeasuredNumbers(r);
    if (!checked.ok) {
      const which = `第 ${i + 1} 条实测读数（${r.outlet} ${r.pollutant}）`;
      for (const p of checked.problems) {
        problems.push(`${which}${p.message}`);
        issues.push({ path: `readings.${i}.${p.field}`, message: `${which}${p.message}` });
      }
      return { ...r, value: 0, oxygenRef: null, limit: null };
    }
    const { value, oxygenRef, limit } = checked;
    return { outlet: r.outlet, pollutant: r.pollutant, value, unit: r.unit, oxygenRef, limit };
  });
  if (problems.length > 0) {
    const message = `指标“${indicator.title}”（${indicator.id}）${problems.join('；')}，未保存，原有的读数保留不变`;
    throw new AppError('invalid_input', message, issues);
  }
  return out;
}

/** Checks one fact against its indicator in the pinned ruleset; the message names the indicator. */
function checkFact(ruleset: Ruleset, indicator: Indicator, raw: unknown): FactValue {
  const fact = checkReadings(indicator, raw);
  const checked = validateFacts(ruleset, { [indicator.id]: fact });
  if (checked.ok) return checked.value[indicator.id] as FactValue;
  const reasons = checked.issues.map((i) => {
    const suffix = i.path.slice(indicator.id.length);
    return suffix ? `第 ${Number(suffix.replace(/\D/g, '')) + 1} 个读数${i.message}` : i.message;
  });
  const message = `指标“${indicator.title}”（${indicator.id}）${reasons.join('；')}`;
  throw new AppError('invalid_input', message, [{ path: 'fact', message }]);
}

/**
 * Autosave of one answer: one small transaction, an upsert that writes (and records as an op)
 * only the fields whose value changes. `fact: null` clears the fact; an absent field stays.
 */
export function saveAnswer(ctx: AppContext, input: AnswerSave): AnswerSaved {
  const saved = writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, input.inspectionId);
    const processes = listInspectionProcesses(ctx.db, [input.inspectionId]);
    const vp = liveInspectionProcess(ctx, input.inspectionId, input.processId, processes);
    const ruleset = pinnedOrFail(ctx, vp);
    const indicator = indicatorOf(ruleset, input.indicatorId);
    const fact =
      input.fact === undefined
        ? undefined
        : input.fact === null
          ? null
          : JSON.stringify(checkFact(ruleset, indicator, input.fact));
    const problems = storedList(input.problems);
    const readings = storedList(checkAnswerReadings(indicator, input.readings));
    const existing = findAnswer(ctx.db, vp.id, indicator.id);
    let answerId: string | null = existing?.id ?? null;
    let changed = false;
    if (existing) {
      changed =
        updateAnswer(changes, existing.id, { fact, note: input.note, problems, readings }).length >
        0;
    } else if (
      (fact ?? null) !== null ||
      (input.note ?? null) !== null ||
      (problems ?? null) !== null ||
      (readings ?? null) !== null
    ) {
      answerId = insertNewAnswer(
        ctx,
        changes,
        { inspectionId: input.inspectionId, inspectionProcessId: vp.id, indicatorId: indicator.id },
        { fact, note: input.note, problems, readings },
      );
      changed = true;
    }
    if (changed) clearConfirmations(changes, ctx, input.inspectionId);
    return { answerId, changed, processId: vp.processId, row, processes };
  });
  const answer = saved.answerId ? getAnswer(ctx.db, saved.answerId) : undefined;
  return {
    answer: answer ? toAnswer(answer, saved.processId) : null,
    changed: saved.changed,
    // The visit and its processes as read in the save, which changes neither; the answers anew.
    grading: gradeInspection(
      ctx,
      saved.row.date,
      saved.processes,
      listAnswerFacts(ctx.db, input.inspectionId),
      listViolations(ctx.db, saved.row.enterpriseId),
    ),
  };
}
