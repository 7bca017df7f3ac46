/**
 * The visit store's pure helpers: a pending save (Waiting) and the draft key and visit it carries,
 * merging a changed answer into the visit's answers, a draft's value as text, and this device's
 * id.
 */

import { answerDraftKey, answerKey, NOTE_KEY, type AnswerChange } from './visit-data';
import type { AnswerSaveInput, InspectionAnswer } from '../../../shared/domain/inspection';
import { api } from '../api';

import { useAppInfo } from './app-info';

export type Waiting = (
  { kind: 'answer'; input: AnswerSaveInput } | { kind: 'note'; inspectionId: string; note: string }
) & {
  timer: ReturnType<typeof setTimeout> | null;
  /** When the draft this save carries was typed (what it clears once it lands). */
  writtenAt: number;
};

export function mergeAnswer(
  answers: readonly InspectionAnswer[],
  change: AnswerChange,
): InspectionAnswer[] {
  const index = answers.findIndex(
    (a) => a.processId === change.processId && a.indicatorId === change.indicatorId,
  );
  const current: InspectionAnswer =
    index >= 0
      ? answers[index]!
      : {
          id: `local:${answerKey(change.processId, change.indicatorId)}`,
          processId: change.processId,
          indicatorId: change.indicatorId,
          fact: null,
          note: null,
          problems: [],
          readings: [],
          updatedAt: '',
        };
  const next: InspectionAnswer = {
    ...current,
    ...(change.fact !== undefined ? { fact: change.fact } : {}),
    ...(change.note !== undefined ? { note: change.note } : {}),
    ...(change.problems !== undefined ? { problems: change.problems } : {}),
    ...(change.readings !== undefined ? { readings: change.readings } : {}),
  };
  return upsertAnswer(answers, next);
}

export function upsertAnswer(
  answers: readonly InspectionAnswer[],
  answer: InspectionAnswer,
): InspectionAnswer[] {
  const index = answers.findIndex(
    (a) => a.processId === answer.processId && a.indicatorId === answer.indicatorId,
  );
  return index >= 0 ? answers.map((a, i) => (i === index ? answer : a)) : [...answers, answer];
}

export function unconfirmedKey(inspectionId: string, key: string): string {
  return `${inspectionId}\u0000${key}`;
}

export function draftKeyOf(entry: Waiting): string {
  return entry.kind === 'note'
    ? NOTE_KEY
    : answerDraftKey(entry.input.processId, entry.input.indicatorId);
}

export function inspectionOf(entry: Waiting): string {
  return entry.kind === 'note' ? entry.inspectionId : entry.input.inspectionId;
}

/** The device's id (the node of the stamps its own saves carry), or null if it cannot be read. */
export async function ownDeviceId(): Promise<string | null> {
  const known = useAppInfo.getState().info?.deviceId;
  if (known) return known;
  try {
    return (await api.call('app.info', {})).deviceId;
  } catch {
    return null;
  }
}

export const ANSWER_FIELDS = ['fact', 'note', 'problems', 'readings'] as const;
export type AnswerField = (typeof ANSWER_FIELDS)[number];

export function emptyOf(field: AnswerField): unknown {
  return field === 'problems' || field === 'readings' ? [] : null;
}

/** A draft's value as a person reads it, to show what was not restored. */
export function draftText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(draftText).join('、');
  if (value && typeof value === 'object') {
    return Object.values(value as Record<string, unknown>)
      .map(draftText)
      .filter((t) => t !== '')
      .join('；');
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return '';
}
