/**
 * How an answer is stored and read back: the fact as JSON, problems and readings as JSON lists
 * (null when empty), the row as the API's InspectionAnswer, and a new answer's first write.
 */

import type { ChangeSet } from '../../../db/changes';
import { type AnswerRow, insertAnswer } from '../../../db/repositories/inspections';
import type { InspectionAnswer, Reading } from '../../../shared/domain/inspection';
import type { FactValue } from '../../../shared/grading';
import type { AppContext } from '../context';

export function parseFact(json: string | null): FactValue | null {
  return json === null ? null : (JSON.parse(json) as FactValue);
}

function parseList<T>(json: string | null): T[] {
  if (json === null) return [];
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? (value as T[]) : [];
}

/** A list as stored: JSON, or null when empty (so an emptied list reads as never written). */
export function storedList(list: readonly unknown[] | undefined): string | null | undefined {
  if (list === undefined) return undefined;
  return list.length === 0 ? null : JSON.stringify(list);
}

export function toAnswer(a: AnswerRow, processId: string): InspectionAnswer {
  return {
    id: a.id,
    processId,
    indicatorId: a.indicatorId,
    fact: parseFact(a.fact),
    note: a.note,
    problems: parseList<string>(a.problems),
    readings: parseList<Reading>(a.readings),
    updatedAt: a.updatedAt,
  };
}

/**
 * Writes a new answer of an indicator on a visited process, its fields as stored (an absent one
 * null); returns its id.
 */
export function insertNewAnswer(
  ctx: AppContext,
  changes: ChangeSet,
  at: { inspectionId: string; inspectionProcessId: string; indicatorId: string },
  values: {
    fact?: string | null;
    note?: string | null;
    problems?: string | null;
    readings?: string | null;
  } = {},
): string {
  const id = ctx.device.newId();
  insertAnswer(
    changes,
    id,
    {
      ...at,
      fact: values.fact ?? null,
      note: values.note ?? null,
      problems: values.problems ?? null,
      readings: values.readings ?? null,
    },
    ctx.device.now(),
  );
  return id;
}
