import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import type { AppContext } from '../../electron/services/context';
import { login, syncNow, syncStatus } from '../../electron/services/sync';
import { applicationState, routeFor, type StepRecord } from '../../shared/domain/review';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { createSite } from '../helpers/inspections';
import {
  closeAppContext,
  createDevice,
  NO_WAIT as quick,
  replicaState,
  SharedClock,
} from '../helpers/sync';

/**
 * Review decisions between devices and the central store, written through the device's changes
 * API (the review services are not needed): the store keeps the first decision of a step and
 * parks the second, the device that made it shows why, and both devices end with the same steps.
 */

const YINCHUAN = '6401';

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
  await central.addUser('city-one', '市级审核', YINCHUAN);
  await central.addUser('city-two', '市级审核', YINCHUAN);
  await central.addUser('region', '自治区复审', 'region');
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

async function loggedIn(n: number, user: string): Promise<AppContext> {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  await login(
    ctx,
    { username: user, password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

const sync = (ctx: AppContext) => syncNow(ctx, { fetch: central.fetch, ...quick });

/** An application for B with its 提交, written as the team's device would. */
function apply(ctx: AppContext, enterpriseId: string): string {
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    changes.insert('grade_applications', id, {
      enterpriseId,
      processId: null,
      kind: '等级',
      targetGrade: 'B',
      route: routeFor('等级', 'B'),
      inspectionIds: '[]',
      applicant: '张三',
      createdAt: ctx.device.now(),
    });
  });
  decide(ctx, id, 1, '提交', '提交', '张三');
  return id;
}

function decide(
  ctx: AppContext,
  applicationId: string,
  round: number,
  step: string,
  decision: string,
  decidedBy: string,
): string {
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    changes.insert('review_steps', id, {
      applicationId,
      round,
      step,
      decision,
      opinion: decision === '提交' ? null : '意见：材料齐全',
      requestVisit: false,
      decidedBy,
      decidedAt: ctx.device.now(),
    });
  });
  return id;
}

/** The steps a device holds, leaving out those the store parked on it (as the fold asks). */
function stepsOf(ctx: AppContext): StepRecord[] {
  const parked = new Set(syncStatus(ctx).parked.map((p) => p.rowId));
  return Object.entries(replicaState(ctx.db).review_steps ?? {})
    .filter(([id]) => !parked.has(id))
    .map(([id, v]) => ({
      id,
      round: Number(v.round),
      step: v.step as StepRecord['step'],
      decision: v.decision as StepRecord['decision'],
      decidedBy: String(v.decidedBy),
      decidedAt: Number(v.decidedAt),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('review decisions between devices', () => {
  it('keeps the first of two offline 初审 decisions, shows the second device why its own was parked, and leaves both with the same steps', async () => {
    const laptop = await loggedIn(1, 'member');
    const one = await loggedIn(2, 'city-one');
    const two = await loggedIn(3, 'city-two');
    const site = createSite(laptop, '宁夏瑞泰水泥有限公司');
    const application = apply(laptop, site.enterpriseId);
    expect((await sync(laptop)).parked).toBe(0);
    await sync(one);
    await sync(two);

    // Both decide offline; one reaches the store first.
    const kept = decide(one, application, 1, '市级初审', '通过', '张审核');
    const refused = decide(two, application, 1, '市级初审', '退回补充', '李审核');
    expect((await sync(one)).parked).toBe(0);
    expect((await sync(two)).parked).toBe(1);
    expect(syncStatus(two).parked).toMatchObject([
      {
        table: 'review_steps',
        rowId: refused,
        reason: '该申报第 1 轮的市级初审已由张审核作出决定（通过），不能重复决定',
      },
    ]);
    await sync(one);
    await sync(laptop);

    const held = stepsOf(one);
    expect(held.map((s) => s.id)).toContain(kept);
    expect(held.map((s) => s.id)).not.toContain(refused);
    expect(stepsOf(two)).toEqual(held);
    expect(stepsOf(laptop)).toEqual(held);
    expect(applicationState('region', held).status).toBe('待复审');
  });

  it('parks a 复审 recorded by the region before the city’s 初审, and takes it once the 初审 is there', async () => {
    const laptop = await loggedIn(1, 'member');
    const city = await loggedIn(2, 'city-one');
    const region = await loggedIn(3, 'region');
    const site = createSite(laptop, '宁夏瑞泰水泥有限公司');
    const application = apply(laptop, site.enterpriseId);
    await sync(laptop);
    await sync(region);

    const early = decide(region, application, 1, '自治区复审', '通过', '王复审');
    expect((await sync(region)).parked).toBe(1);
    expect(syncStatus(region).parked[0]).toMatchObject({
      rowId: early,
      reason: '该申报当前待初审，不能进行自治区复审',
    });

    await sync(city);
    decide(city, application, 1, '市级初审', '通过', '张审核');
    expect((await sync(city)).parked).toBe(0);
    await sync(region);
    decide(region, application, 1, '自治区复审', '通过', '王复审');
    expect((await sync(region)).parked).toBe(0);
    await sync(city);
    expect(applicationState('region', stepsOf(city)).status).toBe('已通过');
    expect(stepsOf(region)).toEqual(stepsOf(city));
  });

  it('parks a 初审 a team member’s device writes, whatever the device allows', async () => {
    const laptop = await loggedIn(1, 'member');
    const site = createSite(laptop, '宁夏瑞泰水泥有限公司');
    const application = apply(laptop, site.enterpriseId);
    decide(laptop, application, 1, '市级初审', '通过', '张三');
    expect((await sync(laptop)).parked).toBe(1);
    expect(syncStatus(laptop).parked[0]?.reason).toBe(
      '市级初审须由市级审核账号作出；当前账号是帮扶队员',
    );
  });
});
