import { describe, expect, it } from 'vitest';

import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { createProcess } from '../../electron/services/processes';
import { ProcessDraftSchema } from '../../shared/domain/process';
import { answer, createSite, startSiteInspection } from '../helpers/inspections';
import { useStoreWithDevices } from '../helpers/store-devices';
import { replicaState } from '../helpers/sync';

const { device, sync } = useStoreWithDevices();

describe('a 通用帮扶检查表 visit between devices', () => {
  it('brings the checklist, judgements, findings, problems and readings to the other device, frozen once finalized', async () => {
    const a = await device(1);
    const b = await device(2);
    const site = createSite(a);
    const smelterId = createProcess(
      a,
      ProcessDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        industryCode: 'ferroalloy',
        branch: '电炉法铁合金',
        name: '1#矿热炉',
        targetGrade: 'B',
      }),
    ).id;
    const visit = startSiteInspection(a, site, { processIds: [smelterId] });
    const id = visit.inspection.id;
    answer(a, id, smelterId, 'general.emission', {
      fact: 'C',
      note: '布袋除尘后排放',
      problems: ['颗粒物排放浓度高于 B 级要求'],
      readings: [{ outlet: 'DA001', pollutant: '颗粒物', value: 18, unit: 'mg/m³', limit: 30 }],
    });
    for (const m of visit.members) confirmInspection(a, { inspectionId: id, memberId: m.id });
    finalizeInspection(a, id);
    expect((await sync(a)).parked).toBe(0);
    await sync(b);

    const there = getInspectionDetail(b, id);
    expect(there.inspection.status).toBe('finalized');
    expect(there.processes[0]!.ruleset).toMatchObject({ id: 'general-a-b-c-d', general: true });
    expect(there.answers[0]).toMatchObject({
      fact: 'C',
      note: '布袋除尘后排放',
      problems: ['颗粒物排放浓度高于 B 级要求'],
      readings: [
        {
          outlet: 'DA001',
          pollutant: '颗粒物',
          value: 18,
          unit: 'mg/m³',
          oxygenRef: null,
          limit: 30,
        },
      ],
    });
    // The other nine dimensions are not judged: the floor, on both devices alike.
    expect(there.grading.processes[0]).toMatchObject({ judged: true, grade: 'D' });
    expect(replicaState(b.db)).toEqual(replicaState(a.db));
  });
});
