import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type {
  AnswerSaveInput,
  InspectionDetail,
  InspectionGrading,
} from '../../shared/domain/inspection';
import { AppError } from '../../shared/api/errors';
import type { FactValue } from '../../shared/grading/types';
import { setTransport } from '../../renderer/src/api';
import {
  answerKey,
  resetVisitStore,
  TYPING_PAUSE_MS,
  useVisitStore,
} from '../../renderer/src/stores/visit';

import { fakeTransport } from './fake-transport';

const VISIT = '00000000-0000-4000-8000-000000000001';
const PROCESS = '00000000-0000-4000-8000-000000000002';

function grading(grade: string): InspectionGrading {
  return {
    asOf: '2026-11-20',
    grade,
    lockedUntil: null,
    unverified: true,
    answered: 0,
    open: 0,
    frozen: false,
    laterViolation: null,
    processes: [],
  };
}

function visit(): InspectionDetail {
  return {
    inspection: {
      id: VISIT,
      enterpriseId: '00000000-0000-4000-8000-000000000003',
      date: '2026-11-20',
      type: '核查',
      status: 'draft',
      number: '银川-2026-0012-K7Q3',
      note: null,
      revisionOf: null,
      correctionReason: null,
      finalizedAt: null,
      createdAt: 0,
      updatedAt: '',
    },
    enterpriseName: '宁夏测试水泥有限公司',
    members: [{ id: 'm1', name: '马建国', role: '执法', confirmedAt: 1 }],
    processes: [],
    answers: [],
    evidence: [],
    signatures: [],
    grading: grading('C'),
    lastAnswer: null,
    history: [],
    revisedBy: null,
  };
}

/** A server whose saves finish only when the test says, in any order. */
function slowServer() {
  const pending: { input: AnswerSaveInput; finish: () => void; fail: (m: string) => void }[] = [];
  const fake = fakeTransport({
    'inspection.get': () => visit(),
    'inspection.saveAnswer': (input) =>
      new Promise((resolve, reject) => {
        const fact = (input.fact ?? null) as FactValue | null;
        pending.push({
          input,
          finish: () =>
            resolve({
              answer: {
                id: 'a1',
                processId: input.processId,
                indicatorId: input.indicatorId,
                fact,
                note: input.note ?? null,
                problems: [],
                readings: [],
                updatedAt: 'x',
              },
              changed: true,
              grading: grading(typeof fact === 'number' && fact >= 80 ? 'B' : 'C'),
            }),
          fail: (message) => reject(new AppError('invalid_input', message)),
        });
      }),
  });
  return { fake, pending };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('the visit autosave', () => {
  beforeEach(() => resetVisitStore());
  afterEach(() => {
    vi.useRealTimers();
    setTransport(null);
  });

  it('waits for a pause in typing and sends only the last value', async () => {
    vi.useFakeTimers();
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    const { change } = useVisitStore.getState();
    change({ processId: PROCESS, indicatorId: 'share', fact: 6 }, true);
    change({ processId: PROCESS, indicatorId: 'share', fact: 64 }, true);
    expect(pending).toHaveLength(0);
    expect(useVisitStore.getState().save.kind).toBe('saving');
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS);
    expect(pending.map((p) => p.input.fact)).toEqual([64]);
  });

  it('shows the value at once and the grade once the save returns', async () => {
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    useVisitStore.getState().change({ processId: PROCESS, indicatorId: 'share', fact: 85 });
    expect(useVisitStore.getState().detail!.answers[0]!.fact).toBe(85);
    expect(useVisitStore.getState().detail!.grading.grade).toBe('C');
    await settle();
    pending[0]!.finish();
    await settle();
    const state = useVisitStore.getState();
    expect(state.detail!.grading.grade).toBe('B');
    expect(state.save.kind).toBe('saved');
    // A change withdraws the confirmations, as the server does.
    expect(state.detail!.members[0]!.confirmedAt).toBeNull();
  });

  it('sends saves of one answer one after the other, so an older value never lands last', async () => {
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    const { change } = useVisitStore.getState();
    change({ processId: PROCESS, indicatorId: 'share', fact: 50 });
    change({ processId: PROCESS, indicatorId: 'share', fact: 90 });
    await settle();
    expect(pending).toHaveLength(1);
    pending[0]!.finish();
    await settle();
    expect(pending.map((p) => p.input.fact)).toEqual([50, 90]);
    pending[1]!.finish();
    await settle();
    expect(useVisitStore.getState().detail!.answers[0]!.fact).toBe(90);
    expect(useVisitStore.getState().detail!.grading.grade).toBe('B');
  });

  it('keeps the grade of the newest save when an older save of another answer returns later', async () => {
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    const { change } = useVisitStore.getState();
    change({ processId: PROCESS, indicatorId: 'first', fact: 10 });
    change({ processId: PROCESS, indicatorId: 'second', fact: 95 });
    await settle();
    pending[1]!.finish();
    await settle();
    pending[0]!.finish();
    await settle();
    expect(useVisitStore.getState().detail!.grading.grade).toBe('B');
  });

  it('shows a refused save under its answer and keeps the value to correct', async () => {
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    useVisitStore.getState().change({ processId: PROCESS, indicatorId: 'share', fact: -1 });
    await settle();
    pending[0]!.fail('指标“清洁运输比例”应不小于0');
    await settle();
    const state = useVisitStore.getState();
    expect(state.answerErrors[answerKey(PROCESS, 'share')]).toBe('指标“清洁运输比例”应不小于0');
    expect(state.save).toEqual({ kind: 'failed', message: '指标“清洁运输比例”应不小于0' });
    expect(state.detail!.answers[0]!.fact).toBe(-1);
  });

  it('sends a value still being typed when the window hides (flush)', async () => {
    vi.useFakeTimers();
    const { fake, pending } = slowServer();
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    useVisitStore.getState().change({ processId: PROCESS, indicatorId: 'note', note: '窑' }, true);
    const flushed = useVisitStore.getState().flush();
    await settle();
    expect(pending.map((p) => p.input.note)).toEqual(['窑']);
    pending[0]!.finish();
    await flushed;
    expect(useVisitStore.getState().save.kind).toBe('saved');
  });
});
