import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { createProcess } from '../../electron/services/processes';
import { login, syncNow } from '../../electron/services/sync';
import { ProcessDraftSchema } from '../../shared/domain/process';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { answer, createSite, startVisit } from '../helpers/inspections';
import { closeAppContext, createDevice, NO_WAIT, replicaState, SharedClock } from '../helpers/sync';

let central: Central;
let clock: SharedClock;
const opened: AppContext[] = [];

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

const sync = (ctx: AppContext) => syncNow(ctx, { fetch: central.fetch, ...NO_WAIT });

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
    const visit = startVisit(a, site, { processIds: [smelterId] });
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
