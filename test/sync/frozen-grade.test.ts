import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import { listEnterprises } from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { login, syncNow } from '../../electron/services/sync';
import { createViolation } from '../../electron/services/violations';
import { ViolationDraftSchema } from '../../shared/domain/inspection';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { answer, CEMS, createSite, NOX, startVisit, TRUCKS } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  NO_WAIT as quick,
  replicaState,
  SharedClock,
} from '../helpers/sync';

let central: Central;
const opened: AppContext[] = [];
let clock: SharedClock;

beforeAll(async () => {
  central = await startCentral();
});
afterAll(async () => {
  await central?.close();
});
beforeEach(async () => {
  await central.reset();
  await central.addUser('admin', '管理员', 'region');
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

async function device(n: number): Promise<AppContext> {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  await login(
    ctx,
    { username: 'admin', password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

const sync = (ctx: AppContext) => syncNow(ctx, { fetch: central.fetch, ...quick });

describe('a finalized visit’s grade across devices', () => {
  it('travels with the finalization, and a violation another device records later changes only the enterprise’s current grade', async () => {
    const laptop = await device(1);
    const office = await device(2);
    const site = createSite(laptop);
    const id = startVisit(laptop, site, {
      date: '2026-11-20',
      processIds: [site.cementId, site.manganeseId],
    }).inspection.id;
    answer(laptop, id, site.cementId, NOX, { fact: 90 });
    answer(laptop, id, site.cementId, TRUCKS, { fact: 85 });
    answer(laptop, id, site.manganeseId, CEMS, { fact: true });
    for (const m of getInspectionDetail(laptop, id).members) {
      confirmInspection(laptop, { inspectionId: id, memberId: m.id });
    }
    finalizeInspection(laptop, id);
    await sync(laptop);
    await sync(office);
    expect(getInspectionDetail(office, id).grading).toMatchObject({ grade: 'B', frozen: true });

    createViolation(
      office,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2026-11-02',
        kind: '偷排偷放',
      }),
    );
    await sync(office);
    await sync(laptop);

    for (const ctx of [laptop, office]) {
      expect(getInspectionDetail(ctx, id).grading).toMatchObject({
        grade: 'B',
        frozen: true,
        lockedUntil: null,
        laterViolation: { date: '2026-11-02', kind: '偷排偷放', lockedUntil: '2027-11-02' },
      });
      expect(listEnterprises(ctx, { offset: 0, limit: 10 }).items[0]?.currentGrade).toMatchObject({
        grade: 'D',
        violation: { date: '2026-11-02', lockedUntil: '2027-11-02' },
        visit: { grade: 'B', frozen: true },
      });
    }
    expect(replicaState(office.db)).toEqual(replicaState(laptop.db));
  });
});
