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
  answerDraftKey,
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
    // Waiting for the pause: not saved yet, and the indicator says so.
    expect(useVisitStore.getState().save.kind).toBe('unsaved');
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

describe('typing kept as drafts on the device', () => {
  beforeEach(() => {
    resetVisitStore();
    localStorage.clear();
  });
  afterEach(() => setTransport(null));

  const OWN = 'd2f1c0de-0000-4000-8000-000000000001';
  const OTHER_DEVICE = 'd2f1c0de-0000-4000-8000-000000000009';
  const stamp = (ms: number, node: string) => `${String(ms).padStart(15, '0')}-000000-${node}`;

  function server(saved: { note: string | null; updatedAt: string } | null, drafts: unknown[]) {
    const writes: { put: { key: string; value: unknown }[]; clear: { key: string }[] }[] = [];
    const fake = fakeTransport({
      'app.info': () => ({ deviceId: OWN }) as never,
      'inspection.get': () => {
        const v = visit();
        v.processes = [{ id: 'ip', processId: PROCESS, label: '熟料' } as never];
        if (saved) {
          v.answers = [
            {
              id: 'a1',
              processId: PROCESS,
              indicatorId: 'share',
              fact: null,
              note: saved.note,
              problems: [],
              readings: [],
              updatedAt: saved.updatedAt,
            },
          ];
        }
        return v;
      },
      'draft.list': () => drafts as never,
      'draft.write': (input) => {
        writes.push(input);
        return { kept: input.put.length, cleared: input.clear.length };
      },
      'inspection.saveAnswer': (input) => ({
        answer: {
          id: 'a1',
          processId: input.processId,
          indicatorId: input.indicatorId,
          fact: null,
          note: input.note ?? null,
          problems: [],
          readings: [],
          updatedAt: stamp(Date.now(), OWN),
        },
        changed: true,
        grading: grading('C'),
      }),
    });
    return { fake, writes };
  }

  it('writes a typed note to the device at once and clears it once its save lands', async () => {
    vi.useFakeTimers();
    const { fake, writes } = server(null, []);
    setTransport(fake.transport);
    await useVisitStore.getState().open(VISIT);
    useVisitStore
      .getState()
      .change({ processId: PROCESS, indicatorId: 'share', note: '窑头收尘器' }, true);
    await vi.advanceTimersByTimeAsync(0);

    expect(writes.flatMap((w) => w.put.map((p) => p.value))).toEqual([{ note: '窑头收尘器' }]);
    expect(localStorage.getItem(`uplift.drafts.inspection.${VISIT}`)).toContain('窑头收尘器');
    expect(fake.callsOf('inspection.saveAnswer')).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS + 200);

    expect(fake.callsOf('inspection.saveAnswer')).toHaveLength(1);
    expect(writes.flatMap((w) => w.clear.map((c) => c.key))).toEqual([
      answerDraftKey(PROCESS, 'share'),
    ]);
    expect(localStorage.getItem(`uplift.drafts.inspection.${VISIT}`)).toBeNull();
    expect(useVisitStore.getState().save.kind).toBe('saved');
    vi.useRealTimers();
  });

  it('applies a draft newer than what is saved when the visit opens, saves it and says so', async () => {
    const base = stamp(1_000, OWN);
    const { fake } = server({ note: '窑头', updatedAt: base }, [
      {
        scope: 'inspection',
        recordId: VISIT,
        key: answerDraftKey(PROCESS, 'share'),
        value: { note: '窑头收尘器破损' },
        base,
        writtenAt: Date.now(),
      },
    ]);
    setTransport(fake.transport);

    await useVisitStore.getState().open(VISIT);
    await settle();

    expect(useVisitStore.getState().restore).toEqual({ restored: 1, skipped: [] });
    expect(useVisitStore.getState().detail!.answers[0]!.note).toBe('窑头收尘器破损');
    expect(fake.callsOf('inspection.saveAnswer')).toMatchObject([{ note: '窑头收尘器破损' }]);
  });

  it('does not apply a draft over a value another device saved since, but shows its text', async () => {
    const { fake } = server({ note: '同步来的新内容', updatedAt: stamp(5_000, OTHER_DEVICE) }, [
      {
        scope: 'inspection',
        recordId: VISIT,
        key: answerDraftKey(PROCESS, 'share'),
        value: { note: '本机旧的输入' },
        base: stamp(1_000, OWN),
        writtenAt: Date.now(),
      },
    ]);
    setTransport(fake.transport);

    await useVisitStore.getState().open(VISIT);
    await settle();

    expect(useVisitStore.getState().restore).toEqual({ restored: 0, skipped: ['本机旧的输入'] });
    expect(useVisitStore.getState().detail!.answers[0]!.note).toBe('同步来的新内容');
    expect(fake.callsOf('inspection.saveAnswer')).toHaveLength(0);
  });
});
