import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import { listEnterprises } from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
  listInspections,
} from '../../electron/services/inspections';
import { draftPlanFor, listPlans } from '../../electron/services/plans';
import { login, syncNow, syncStatus } from '../../electron/services/sync';
import {
  listTrash,
  purgeExpiredTrash,
  restoreFromTrash,
  trashEnterprise,
  trashInspection,
} from '../../electron/services/trash';
import { EnterpriseQuerySchema } from '../../shared/domain/enterprise';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { answer, createSite, NOX, startSiteInspection, type Site } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  NO_WAIT as quick,
  replicaState,
  SharedClock,
} from '../helpers/sync';

const YINCHUAN = '6401';
const NAME = '宁夏瑞泰水泥有限公司';
const DAY = 24 * 60 * 60 * 1000;

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
  await central.addUser('member', '帮扶队员', YINCHUAN);
  await central.addUser('reviewer', '市级审核', YINCHUAN);
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

function device(n: number): AppContext {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  return ctx;
}

async function loggedIn(ctx: AppContext, user: string): Promise<AppContext> {
  await login(
    ctx,
    { username: user, password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

const sync = (ctx: AppContext) => syncNow(ctx, { fetch: central.fetch, ...quick });
const enterprises = (ctx: AppContext) =>
  listEnterprises(ctx, EnterpriseQuerySchema.parse({})).items.map((e) => e.name);

/** A finalized visit of the site and a plan drafted from it. */
function visitAndPlan(ctx: AppContext, site: Site): { visit: string; plan: string } {
  const visit = startSiteInspection(ctx, site).inspection.id;
  answer(ctx, visit, site.cementId, NOX, { fact: 90 });
  for (const m of getInspectionDetail(ctx, visit).members) {
    confirmInspection(ctx, { inspectionId: visit, memberId: m.id });
  }
  finalizeInspection(ctx, visit);
  const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId }).plan.id;
  return { visit, plan };
}

describe('the 回收站 between two devices', () => {
  it('carries a reviewer’s delete to the other device’s 回收站, and that device’s restore back with everything under it', async () => {
    const laptop = await loggedIn(device(1), 'member');
    const office = await loggedIn(device(2), 'reviewer');
    const site = createSite(laptop, NAME);
    const { visit, plan } = visitAndPlan(laptop, site);
    await sync(laptop);
    await sync(office);
    expect(enterprises(office)).toEqual([NAME]);

    trashEnterprise(office, { id: site.enterpriseId, confirmName: NAME, reason: '重复录入' });
    expect((await sync(office)).parked).toBe(0);
    await sync(laptop);
    expect(enterprises(laptop)).toEqual([]);
    expect(listInspections(laptop, {})).toEqual([]);
    expect(listPlans(laptop, {})).toEqual([]);
    expect(listTrash(laptop)).toMatchObject([
      { kind: 'enterprise', enterpriseName: NAME, deletedBy: 'reviewer', deleteReason: '重复录入' },
    ]);

    // The team member may bring it back: restoring loses nothing.
    restoreFromTrash(laptop, { kind: 'enterprise', id: site.enterpriseId });
    expect((await sync(laptop)).parked).toBe(0);
    await sync(office);
    for (const ctx of [laptop, office]) {
      expect(enterprises(ctx)).toEqual([NAME]);
      expect(listInspections(ctx, {}).map((v) => [v.id, v.status])).toEqual([[visit, 'finalized']]);
      expect(listPlans(ctx, {}).map((p) => p.id)).toEqual([plan]);
      expect(listTrash(ctx)).toEqual([]);
    }
    expect(replicaState(office.db)).toEqual(replicaState(laptop.db));
  });

  it('applies a reviewer’s delete of a finalized visit on the device that made it, reason and all, and its restore', async () => {
    const laptop = await loggedIn(device(1), 'member');
    const office = await loggedIn(device(2), 'reviewer');
    const site = createSite(laptop, NAME);
    const { visit } = visitAndPlan(laptop, site);
    await sync(laptop);
    await sync(office);

    trashInspection(office, { id: visit, reason: '与另一条记录重复' });
    await sync(office);
    await sync(laptop);
    expect(syncStatus(laptop).deferred).toEqual({});
    expect(listInspections(laptop, {})).toEqual([]);
    expect(listTrash(laptop)).toMatchObject([
      { kind: 'visit', id: visit, finalized: true, deleteReason: '与另一条记录重复' },
    ]);

    restoreFromTrash(laptop, { kind: 'visit', id: visit });
    await sync(laptop);
    await sync(office);
    expect(listInspections(office, {}).map((v) => v.id)).toEqual([visit]);
    expect(replicaState(office.db)).toEqual(replicaState(laptop.db));
  });

  it('gives a device that purged an enterprise after 30 days all of it back when another device restored it while offline', async () => {
    clock = new SharedClock(Date.now() - 40 * DAY);
    const office = await loggedIn(device(1), 'reviewer');
    const laptop = await loggedIn(device(2), 'member');
    const site = createSite(office, NAME);
    const { visit, plan } = visitAndPlan(office, site);
    trashEnterprise(office, { id: site.enterpriseId, confirmName: NAME, reason: '重复录入' });
    await sync(office);
    await sync(laptop);

    // Day 29: the laptop, out of the network, restores it. Day 31: the office purges it.
    clock.advance(29 * DAY);
    restoreFromTrash(laptop, { kind: 'enterprise', id: site.enterpriseId });
    clock.advance(2 * DAY);
    expect(purgeExpiredTrash(office)).toBe(1);
    expect(listTrash(office)).toEqual([]);

    // The laptop syncs at last; the office gets the enterprise back with its visit and plan.
    await sync(laptop);
    await sync(office);
    expect(enterprises(office)).toEqual([NAME]);
    expect(listInspections(office, {}).map((v) => [v.id, v.status])).toEqual([
      [visit, 'finalized'],
    ]);
    expect(listPlans(office, {}).map((p) => p.id)).toEqual([plan]);
    expect(syncStatus(office).deferred).toEqual({});
    expect(replicaState(office.db)).toEqual(replicaState(laptop.db));
  });

  it('parks, with its reason, a team member’s delete of an enterprise holding a finalized visit made before the device knew its account', async () => {
    const laptop = device(1);
    const site = createSite(laptop, NAME);
    visitAndPlan(laptop, site);
    // Not logged in yet: the device cannot tell its role, so the store decides.
    trashEnterprise(laptop, { id: site.enterpriseId, confirmName: NAME, reason: '不想要了' });
    await loggedIn(laptop, 'member');
    const ran = await sync(laptop);
    expect(ran.parked).toBe(1);
    expect(syncStatus(laptop).parked.map((p) => p.reason)).toEqual([
      '该企业的 1 次已定稿检查是签字确认的正式记录，帮扶队员账号不能删除；需要市级审核、自治区复审、管理员账号',
    ]);

    // Every other device still has the enterprise and its visit.
    const office = await loggedIn(device(2), 'reviewer');
    await sync(office);
    expect(enterprises(office)).toEqual([NAME]);
    expect(listInspections(office, {})).toHaveLength(1);
  });
});
