import { describe, expect, it } from 'vitest';

import { listEnterprises } from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { createViolation } from '../../electron/services/violations';
import { ViolationDraftSchema } from '../../shared/domain/inspection';
import { answer, CEMS, createSite, NOX, startSiteInspection, TRUCKS } from '../helpers/inspections';
import { useStoreWithDevices } from '../helpers/store-devices';
import { replicaState } from '../helpers/sync';

const { device, sync } = useStoreWithDevices();

describe('a finalized visit’s grade across devices', () => {
  it('travels with the finalization, and a violation another device records later changes only the enterprise’s current grade', async () => {
    const laptop = await device(1);
    const office = await device(2);
    const site = createSite(laptop);
    const id = startSiteInspection(laptop, site, {
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
