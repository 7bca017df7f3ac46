import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { routeFor, type ApplicationKind } from '../../shared/domain/review';
import type { SyncChange } from '../../shared/sync/protocol';
import { parkedOps } from '../../server/db/schema';
import type { Store } from '../../server/db/store';
import { createSyncApp } from '../../server/http/app';

import {
  Device,
  emptyStore,
  enterprise,
  makeUser,
  newId,
  openTestStore,
  T0,
  TestClock,
  type Backend,
  type Fetcher,
} from './helpers';

const YINCHUAN = '6401';
const SHIZUISHAN = '6402';

/** Rows of the review workflow as a device writes them (shared/domain/review.ts). */
export function applicationRow(
  enterpriseId: string,
  targetGrade: string | null = 'B',
  kind: ApplicationKind = '等级',
): Record<string, unknown> {
  return {
    enterpriseId,
    processId: null,
    kind,
    targetGrade,
    route: routeFor(kind, targetGrade),
    inspectionIds: '[]',
    reason: kind === '保障类' ? '民生保障' : null,
    applicant: '张三',
    createdAt: T0,
    deleted: false,
  };
}

export function stepRow(
  applicationId: string,
  round: number,
  step: string,
  decision: string,
  decidedBy = '审核人',
): Record<string, unknown> {
  return {
    applicationId,
    round,
    step,
    decision,
    opinion: decision === '提交' ? null : '材料齐全',
    requestVisit: false,
    decidedBy,
    decidedAt: T0 + round,
    deleted: false,
  };
}

export function gradeEventRow(
  enterpriseId: string,
  cause: string,
  grade: string | null,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    enterpriseId,
    processId: null,
    grade,
    previousGrade: null,
    change: '认定',
    cause,
    effectiveDate: '2026-12-01',
    decidedBy: '王五',
    createdAt: T0,
    deleted: false,
    ...more,
  };
}

function publicationRow(scope: string, edition: number, publishedBy: string) {
  return {
    scope,
    edition,
    title: '环保绩效等级公示',
    publishedAt: T0,
    publishedBy,
    content: '[]',
    rowCount: 0,
    deleted: false,
  };
}

/**
 * The review workflow as the central store enforces it (server/sync/push/check-review.ts),
 * whatever a device sends. Run on PGlite (pglite.test.ts) and PostgreSQL (postgres.test.ts).
 */
export function defineReviewSuite(backend: Backend): void {
  let store: Store;
  let clock: TestClock;
  let fetcher: Fetcher;
  const logged: string[] = [];

  beforeAll(async () => {
    store = await openTestStore(backend);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await emptyStore(store.db);
    clock = new TestClock();
    logged.length = 0;
    const app = createSyncApp(store, {
      now: clock.now,
      maxJsonBytes: 256 * 1024,
      minAppVersion: '0.1.0',
      logError: (m) => logged.push(m),
      logEvent: () => undefined,
    });
    fetcher = (path, init) => app.request(path, init);
  });
  afterEach(() => {
    expect(logged).toEqual([]);
  });

  async function member(username: string, role: string, scope = YINCHUAN) {
    await makeUser(store.db, username, role, scope);
    const d = new Device(fetcher, clock);
    expect((await d.login(username)).status).toBe(200);
    return d;
  }

  /** The reasons of the ops a push parked (in seq order), or [] when all were accepted. */
  async function parkedReasons(d: Device, ops: ReturnType<Device['op']>[]) {
    const reply = await d.push(ops);
    expect(reply.status).toBe(200);
    return reply.body.parked.map((p) => p.reason);
  }

  /** An enterprise of Yinchuan with a B application submitted by a team member. */
  async function submitted(targetGrade: string | null = 'B', kind: ApplicationKind = '等级') {
    const team = await member(`team-${newId().slice(0, 8)}`, '帮扶队员');
    const ent = newId();
    const app = newId();
    expect(
      await parkedReasons(team, [
        team.op('enterprises', ent, enterprise(YINCHUAN)),
        team.op('grade_applications', app, applicationRow(ent, targetGrade, kind)),
        team.op('review_steps', newId(), stepRow(app, 1, '提交', '提交', '张三')),
      ]),
    ).toEqual([]);
    return { team, ent, app };
  }

  describe('applications (申报)', () => {
    it('accepts an application whose route follows its target grade, and parks a wrong route or grade', async () => {
      const team = await member('applicant', '帮扶队员');
      const ent = newId();
      const wrongRoute = { ...applicationRow(ent, 'B'), route: 'city' };
      const reasons = await parkedReasons(team, [
        team.op('enterprises', ent, enterprise(YINCHUAN)),
        team.op('grade_applications', newId(), applicationRow(ent, 'B')),
        team.op('grade_applications', newId(), applicationRow(ent, 'C')),
        team.op('grade_applications', newId(), applicationRow(ent, null, '保障类')),
        team.op('grade_applications', newId(), wrongRoute),
        team.op('grade_applications', newId(), { ...applicationRow(ent, 'Z'), route: 'city' }),
        team.op('grade_applications', newId(), { ...applicationRow(ent, 'B'), kind: '其他' }),
      ]);
      expect(reasons).toEqual([
        '申报B的审核流程应为市级初审 → 自治区复审，记录写的不对',
        '申报等级“Z”无效，应为A、B、B-、C、D、引领性、非引领性之一',
        '申报类型“其他”无效，应为等级或保障类',
      ]);
    });
  });

  describe('review steps', () => {
    it('lets only the city reviewer 初审 and only the region reviewer 复审', async () => {
      const { app } = await submitted();
      const team = await member('team-b', '帮扶队员');
      const city = await member('city', '市级审核');
      const region = await member('region', '自治区复审', 'region');
      expect(
        await parkedReasons(team, [
          team.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过')),
        ]),
      ).toEqual(['市级初审须由市级审核账号作出；当前账号是帮扶队员']);
      expect(
        await parkedReasons(region, [
          region.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过')),
        ]),
      ).toEqual(['市级初审须由市级审核账号作出；当前账号是自治区复审']);
      expect(
        await parkedReasons(city, [
          city.op('review_steps', newId(), stepRow(app, 1, '自治区复审', '通过')),
          city.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过', '李市')),
        ]),
      ).toEqual(['自治区复审须由自治区复审账号作出；当前账号是市级审核']);
      expect(
        await parkedReasons(region, [
          region.op('review_steps', newId(), stepRow(app, 1, '自治区复审', '通过', '王区')),
        ]),
      ).toEqual([]);
    });

    it('parks a 复审 before the 初审, and a step the route does not have', async () => {
      const { app } = await submitted();
      const region = await member('region-early', '自治区复审', 'region');
      const city = await member('city-early', '市级审核');
      expect(
        await parkedReasons(region, [
          region.op('review_steps', newId(), stepRow(app, 1, '自治区复审', '通过')),
        ]),
      ).toEqual(['该申报当前待初审，不能进行自治区复审']);
      expect(
        await parkedReasons(city, [
          city.op('review_steps', newId(), stepRow(app, 1, '市级评定', '通过')),
        ]),
      ).toEqual(['该申报的审核流程是市级初审 → 自治区复审，没有“市级评定”这一步']);
    });

    it('judges a step against the steps earlier in the same push', async () => {
      const { app } = await submitted();
      const city = await member('city-batch', '市级审核');
      expect(
        await parkedReasons(city, [
          city.op('review_steps', newId(), stepRow(app, 1, '市级初审', '退回补充', '李市')),
          city.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过', '李市')),
          city.op('review_steps', newId(), stepRow(app, 2, '提交', '提交', '李市')),
          city.op('review_steps', newId(), stepRow(app, 2, '市级初审', '通过', '李市')),
        ]),
      ).toEqual(['该申报第 1 轮的市级初审已由李市作出决定（退回补充），不能重复决定']);
    });

    it('refuses a city reviewer of another city, whatever the step', async () => {
      const { app } = await submitted();
      const other = await member('city-other', '市级审核', SHIZUISHAN);
      const reply = await other.push([
        other.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过')),
      ]);
      expect(reply.body.parked[0]?.reason).toBe('无权修改银川市的数据（账号范围：石嘴山市）');
    });

    it('keeps the first of two offline decisions of one step and parks the second with who decided first; both devices then hold the same steps', async () => {
      const { app } = await submitted('C');
      await makeUser(store.db, 'city-one', '市级审核', YINCHUAN);
      await makeUser(store.db, 'city-two', '市级审核', YINCHUAN);
      const one = new Device(fetcher, clock);
      const two = new Device(fetcher, clock);
      await one.login('city-one');
      await two.login('city-two');
      const first = newId();
      const second = newId();
      const a = one.op('review_steps', first, stepRow(app, 1, '市级评定', '通过', '张三'));
      clock.advance(1000);
      const b = two.op('review_steps', second, stepRow(app, 1, '市级评定', '不予通过', '李四'));
      expect((await one.push([a])).body.parked).toEqual([]);
      const reply = await two.push([b]);
      expect(reply.body.parked.map((p) => p.reason)).toEqual([
        '该申报第 1 轮的市级评定已由张三作出决定（通过），不能重复决定',
      ]);
      const [row] = await store.db.select().from(parkedOps);
      expect(row?.code).toBe('duplicate');
      const stepsOf = (changes: SyncChange[]) =>
        changes
          .filter((c) => c.table === 'review_steps')
          .map((c) => c.rowId)
          .sort();
      const held = stepsOf((await one.pullAll()).changes);
      expect(held).toContain(first);
      expect(held).not.toContain(second);
      expect(stepsOf((await two.pullAll()).changes)).toEqual(held);
    });

    it('keeps steps immutable and undeletable once stored', async () => {
      const { app } = await submitted('C');
      const city = await member('city-immutable', '市级审核');
      const id = newId();
      await city.push([city.op('review_steps', id, stepRow(app, 1, '市级评定', '通过', '张三'))]);
      expect(
        await parkedReasons(city, [
          city.op('review_steps', id, { decision: '不予通过' }),
          city.op('review_steps', id, { opinion: '改写意见' }),
          city.op('review_steps', id, { deleted: true }),
        ]),
      ).toEqual([
        'review_steps.decision 写入后不能修改',
        'review_steps.opinion 写入后不能修改',
        '审核记录是正式记录，不能删除',
      ]);
    });
  });

  describe('grade events (认定等级)', () => {
    async function approvedB() {
      const { ent, app } = await submitted('B');
      const city = await member(`city-${newId().slice(0, 6)}`, '市级审核');
      const region = await member(`region-${newId().slice(0, 6)}`, '自治区复审', 'region');
      await city.push([city.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过'))]);
      return { ent, app, city, region };
    }

    it('records an approval only once the application is 已通过, of its target grade, by the last step’s role', async () => {
      const { ent, app, city, region } = await approvedB();
      const approval = () => gradeEventRow(ent, '审核通过', 'B', { applicationId: app });
      expect(await parkedReasons(region, [region.op('grade_events', newId(), approval())])).toEqual(
        ['该申报尚未审核通过（当前：待复审），不能据此认定等级'],
      );
      expect(
        await parkedReasons(region, [
          region.op('review_steps', newId(), stepRow(app, 1, '自治区复审', '通过')),
          region.op('grade_events', newId(), { ...approval(), grade: 'A' }),
          region.op('grade_events', newId(), approval()),
        ]),
      ).toEqual(['认定等级（A）与申报等级（B）不一致']);
      expect(await parkedReasons(city, [city.op('grade_events', newId(), approval())])).toEqual([
        '按自治区复审结果认定等级须由自治区复审账号作出；当前账号是市级审核',
      ]);
    });

    it('lets any role record a violation’s floor, naming a violation of the same enterprise', async () => {
      const team = await member('team-violation', '帮扶队员');
      const ent = newId();
      const other = newId();
      const violation = newId();
      const reasons = await parkedReasons(team, [
        team.op('enterprises', ent, enterprise(YINCHUAN)),
        team.op('enterprises', other, enterprise(YINCHUAN, '另一家企业')),
        team.op('violations', violation, {
          enterpriseId: other,
          date: '2026-11-30',
          kind: '超标排放',
          createdAt: T0,
        }),
        team.op(
          'grade_events',
          newId(),
          gradeEventRow(other, '违法违规', 'D', { violationId: violation }),
        ),
        team.op(
          'grade_events',
          newId(),
          gradeEventRow(ent, '违法违规', 'D', { violationId: violation }),
        ),
        team.op('grade_events', newId(), gradeEventRow(ent, '违法违规', 'D')),
      ]);
      expect(reasons).toEqual([
        '违法违规的等级变更须对应该企业的一条违法记录',
        '违法违规的等级变更须对应该企业的一条违法记录',
      ]);
      expect(
        await parkedReasons(team, [
          team.op(
            'grade_events',
            newId(),
            gradeEventRow(other, '违法记录撤销', null, { violationId: violation }),
          ),
        ]),
      ).toEqual([]);
    });

    it('lets only 市级审核 or 自治区复审 confirm a 降级 or revoke a grade', async () => {
      const team = await member('team-downgrade', '帮扶队员');
      const city = await member('city-downgrade', '市级审核');
      const ent = newId();
      await team.push([team.op('enterprises', ent, enterprise(YINCHUAN))]);
      expect(
        await parkedReasons(team, [
          team.op('grade_events', newId(), gradeEventRow(ent, '复核降级', 'C')),
          team.op('grade_events', newId(), gradeEventRow(ent, '撤销等级', null)),
        ]),
      ).toEqual([
        '帮扶队员账号不能确认降级；需要市级审核或自治区复审账号',
        '帮扶队员账号不能撤销等级；需要市级审核或自治区复审账号',
      ]);
      expect(
        await parkedReasons(city, [
          city.op('grade_events', newId(), gradeEventRow(ent, '复核降级', 'C')),
        ]),
      ).toEqual([]);
    });

    it('records A+ only by the region reviewer and only for an enterprise whose official grade is A', async () => {
      const city = await member('city-aplus', '市级审核');
      const region = await member('region-aplus', '自治区复审', 'region');
      const ent = newId();
      await city.push([
        city.op('enterprises', ent, enterprise(YINCHUAN)),
        city.op('grade_events', newId(), gradeEventRow(ent, '复核降级', 'B')),
      ]);
      const aPlus = () => gradeEventRow(ent, 'A+认定', 'A+', { effectiveDate: '2026-12-05' });
      expect(await parkedReasons(city, [city.op('grade_events', newId(), aPlus())])).toEqual([
        'A+认定须由自治区复审账号作出；当前账号是市级审核',
      ]);
      expect(await parkedReasons(region, [region.op('grade_events', newId(), aPlus())])).toEqual([
        '只有认定等级为A的企业可以认定A+（当前认定等级：B）',
      ]);
      // An approval of A (the latest event by date) makes it eligible.
      const app = newId();
      expect(
        await parkedReasons(region, [
          region.op('grade_applications', app, applicationRow(ent, 'A')),
          region.op('review_steps', newId(), stepRow(app, 1, '提交', '提交')),
        ]),
      ).toEqual([]);
      await city.push([city.op('review_steps', newId(), stepRow(app, 1, '市级初审', '通过'))]);
      expect(
        await parkedReasons(region, [
          region.op('review_steps', newId(), stepRow(app, 1, '自治区复审', '通过')),
          region.op(
            'grade_events',
            newId(),
            gradeEventRow(ent, '审核通过', 'A', {
              applicationId: app,
              effectiveDate: '2026-12-03',
            }),
          ),
          region.op('grade_events', newId(), aPlus()),
        ]),
      ).toEqual([]);
    });

    it('keeps grade events immutable and undeletable once stored', async () => {
      const city = await member('city-event', '市级审核');
      const ent = newId();
      const id = newId();
      await city.push([
        city.op('enterprises', ent, enterprise(YINCHUAN)),
        city.op('grade_events', id, gradeEventRow(ent, '复核降级', 'C')),
      ]);
      expect(
        await parkedReasons(city, [
          city.op('grade_events', id, { grade: 'B' }),
          city.op('grade_events', id, { deleted: true }),
        ]),
      ).toEqual(['grade_events.grade 写入后不能修改', '等级变更记录是正式记录，不能删除']);
    });
  });

  describe('保障类 enterprises', () => {
    it('lets only a reviewer set 保障类, and only on an approved 保障类 application of the enterprise', async () => {
      const { team, ent, app } = await submitted(null, '保障类');
      const city = await member('city-guarantee', '市级审核');
      const setting = {
        guarantee: true,
        guaranteeSince: '2026-12-01',
        guaranteeApplicationId: app,
      };
      expect(await parkedReasons(team, [team.op('enterprises', ent, setting)])).toEqual([
        '帮扶队员账号不能设定保障类企业；需要市级审核或自治区复审账号',
      ]);
      expect(await parkedReasons(city, [city.op('enterprises', ent, setting)])).toEqual([
        '设为保障类企业须依据该企业一份已审核通过的保障类申报',
      ]);
      expect(
        await parkedReasons(city, [
          city.op('review_steps', newId(), stepRow(app, 1, '市级评定', '通过')),
          city.op('enterprises', ent, setting),
        ]),
      ).toEqual([]);
      // Other edits of the enterprise, carrying the unchanged flags, stay open to the team.
      expect(
        await parkedReasons(team, [team.op('enterprises', ent, { ...setting, address: '新地址' })]),
      ).toEqual([]);
    });
  });

  describe('publications (信息公开)', () => {
    it('lets the region reviewer publish the region’s list and a city reviewer only their own city’s', async () => {
      const team = await member('team-publish', '帮扶队员');
      const city = await member('city-publish', '市级审核');
      const other = await member('city-publish-other', '市级审核', SHIZUISHAN);
      const region = await member('region-publish', '自治区复审', 'region');
      expect(
        await parkedReasons(city, [
          city.op('publications', newId(), publicationRow('region', 1, '李市')),
        ]),
      ).toEqual(['全区公示名单须由自治区复审账号发布；当前账号是市级审核']);
      expect(
        await parkedReasons(other, [
          other.op('publications', newId(), publicationRow(YINCHUAN, 1, '赵市')),
        ]),
      ).toEqual(['银川市的公示名单须由该市的市级审核账号发布；当前账号是市级审核（石嘴山市）']);
      expect(
        await parkedReasons(team, [
          team.op('publications', newId(), publicationRow(YINCHUAN, 1, '张三')),
        ]),
      ).toEqual(['银川市的公示名单须由该市的市级审核账号发布；当前账号是帮扶队员（银川市）']);
      expect(
        await parkedReasons(city, [
          city.op('publications', newId(), publicationRow(YINCHUAN, 1, '李市')),
        ]),
      ).toEqual([]);
      expect(
        await parkedReasons(region, [
          region.op('publications', newId(), publicationRow('region', 1, '王区')),
        ]),
      ).toEqual([]);
    });

    it('keeps the first edition of a number, parks a second one with the same number, and never changes or deletes an edition', async () => {
      const city = await member('city-edition', '市级审核');
      const id = newId();
      expect(
        await parkedReasons(city, [
          city.op('publications', id, publicationRow(YINCHUAN, 1, '李市')),
          city.op('publications', newId(), publicationRow(YINCHUAN, 1, '周市')),
          city.op('publications', newId(), publicationRow(YINCHUAN, 2, '周市')),
          city.op('publications', id, { title: '改过的标题' }),
          city.op('publications', id, { deleted: true }),
        ]),
      ).toEqual([
        '银川市公示名单第 1 期已由李市发布，不能重复发布；请发布新的一期',
        'publications.title 写入后不能修改',
        '市级审核账号不能删除全区共用的记录（publications）；需要自治区复审或管理员账号',
      ]);
      const region = await member('region-edition', '自治区复审', 'region');
      const regional = newId();
      expect(
        await parkedReasons(region, [
          region.op('publications', regional, publicationRow('region', 1, '王区')),
          region.op('publications', regional, { deleted: true }),
        ]),
      ).toEqual(['已发布的公示名单是正式记录，不能删除']);
    });
  });
}
