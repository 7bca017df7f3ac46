import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../../../db/changes';
import { insertApplication, insertStep } from '../../../../db/repositories/reviews/applications';
import type { AppContext } from '../../../../electron/services/context';
import { createEnterprise } from '../../../../electron/services/enterprises';
import { listApplications } from '../../../../electron/services/reviews';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import {
  ApplicationListSchema,
  type ApplicationPage,
} from '../../../../shared/api/methods/reviews';
import {
  applicationState,
  type Decision,
  type ReviewRoute,
  type ReviewStep,
} from '../../../../shared/domain/review';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { createSite, type Site } from '../../../helpers/inspections';

import { apply, decide, finalizedVisit, logIn, logOut, park } from './setup';

/** round, step, decision, decidedAt (minutes), parked */
type Rec = [number, ReviewStep, Decision | '提交', number, boolean?];

const SEQUENCES: [string, ReviewRoute, Rec[]][] = [
  ['no step at all', 'region', []],
  ['submitted', 'region', [[1, '提交', '提交', 1]]],
  [
    'passed 初审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2],
    ],
  ],
  [
    'passed 复审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2],
      [1, '自治区复审', '通过', 3],
    ],
  ],
  [
    'returned at 初审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '退回补充', 2],
    ],
  ],
  [
    'resubmitted',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '退回补充', 2],
      [2, '提交', '提交', 3],
    ],
  ],
  [
    'returned at 复审, resubmitted and passed 初审 again',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2],
      [1, '自治区复审', '退回补充', 3],
      [2, '提交', '提交', 4],
      [2, '市级初审', '通过', 5],
    ],
  ],
  [
    'refused at 初审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '不予通过', 2],
    ],
  ],
  [
    'refused at 复审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2],
      [1, '自治区复审', '不予通过', 3],
    ],
  ],
  [
    'two 初审 records, the first passing',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2],
      [1, '市级初审', '退回补充', 3],
    ],
  ],
  [
    'two 初审 records, the first returning',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '退回补充', 2],
      [1, '市级初审', '通过', 3],
    ],
  ],
  [
    'a step recorded before the 提交 it follows',
    'region',
    [
      [1, '市级初审', '通过', 1],
      [1, '提交', '提交', 2],
    ],
  ],
  [
    'a step not on its route',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级评定', '通过', 2],
    ],
  ],
  [
    'a parked 初审',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2, true],
    ],
  ],
  [
    'a parked 初审 and the one the store kept',
    'region',
    [
      [1, '提交', '提交', 1],
      [1, '市级初审', '通过', 2, true],
      [1, '市级初审', '退回补充', 3],
    ],
  ],
  ['submitted to the city', 'city', [[1, '提交', '提交', 1]]],
  [
    'passed 评定',
    'city',
    [
      [1, '提交', '提交', 1],
      [1, '市级评定', '通过', 2],
    ],
  ],
  [
    'returned at 评定',
    'city',
    [
      [1, '提交', '提交', 1],
      [1, '市级评定', '退回补充', 2],
    ],
  ],
  [
    'refused at 评定 in round 2',
    'city',
    [
      [1, '提交', '提交', 1],
      [1, '市级评定', '退回补充', 2],
      [2, '提交', '提交', 3],
      [2, '市级评定', '不予通过', 4],
    ],
  ],
];

const T0 = Date.UTC(2026, 5, 1);

describe('the review queue (review.list)', () => {
  let ctx: AppContext;

  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  const list = (query: Record<string, unknown> = {}): ApplicationPage =>
    listApplications(ctx, ApplicationListSchema.parse(query));

  it.each(SEQUENCES)('derives in SQL the status the fold gives: %s', (_name, route, records) => {
    const enterpriseId = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({ name: '宁夏测试企业', cityCode: '6401', countyCode: '640104' }),
    ).id;
    const applicationId = 'application-1';
    const ids = records.map((_, i) => `step-${i + 1}`);
    writeChanges(ctx.db, ctx.device, (changes) => {
      insertApplication(
        changes,
        applicationId,
        {
          enterpriseId,
          processId: null,
          kind: '等级',
          targetGrade: route === 'region' ? 'B' : 'C',
          route,
          basisGrade: null,
          basisNote: null,
          inspectionIds: '[]',
          planId: null,
          reason: null,
          applicant: '张伟',
          applicantAccount: null,
        },
        T0,
      );
      records.forEach(([round, step, decision, minute], i) =>
        insertStep(changes, ids[i] ?? '', {
          applicationId,
          round,
          step,
          decision,
          opinion: null,
          requestVisit: false,
          decidedBy: '王审核',
          account: null,
          role: null,
          decidedAt: T0 + minute * 60_000,
        }),
      );
    });
    records.forEach(([, , , , parked], i) => {
      if (parked === true) park(ctx, ids[i] ?? '', '另一位审核人已先作出决定');
    });
    const counted = records.flatMap(([round, step, decision, minute, parked], i) =>
      parked === true
        ? []
        : [
            {
              id: ids[i] ?? '',
              round,
              step,
              decision,
              decidedBy: '王审核',
              decidedAt: T0 + minute * 60_000,
            },
          ],
    );
    const expected = applicationState(route, counted);
    const page = list();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      status: expected.status,
      next: expected.next,
      round: expected.round,
      updatedAt: expected.steps.at(-1)?.decidedAt ?? T0,
    });
    expect(page.counts).toEqual({ [expected.status]: 1 });
  });

  describe('filters, counts and order', () => {
    let yinchuan: Site;
    let yinchuan2: Site;
    let shizuishan: Site;
    const ids = { waiting: '', city: '', second: '', guarantee: '' };

    beforeEach(() => {
      yinchuan = createSite(ctx, '宁夏瑞泰水泥有限公司');
      yinchuan2 = createSite(ctx, '银川第二水泥有限公司');
      shizuishan = createSite(ctx, '石嘴山水泥有限公司');
      ctx.db.sqlite
        .prepare(`UPDATE enterprises SET city_code = '6402', county_code = NULL WHERE id = ?`)
        .run(shizuishan.enterpriseId);
      const v1 = finalizedVisit(ctx, yinchuan);
      const v2 = finalizedVisit(ctx, yinchuan2);
      const v3 = finalizedVisit(ctx, shizuishan);
      ids.waiting = apply(ctx, yinchuan, { inspectionIds: [v1] }).id;
      ids.city = apply(ctx, yinchuan2, { targetGrade: 'C', inspectionIds: [v2] }).id;
      ids.second = apply(ctx, shizuishan, { inspectionIds: [v3] }).id;
      logIn(ctx, '市级审核', '6402');
      decide(ctx, ids.second, '市级初审', '通过');
      ids.guarantee = apply(ctx, yinchuan, { kind: '保障类', reason: '城市集中供热' }).id;
      logIn(ctx, '市级审核', '6401');
      decide(ctx, ids.guarantee, '市级评定', '通过');
      logOut(ctx);
    });

    it('lists every application, the most recently active first, with counts per status', () => {
      const page = list();
      expect(page.total).toBe(4);
      expect(page.items.map((i) => i.id)).toEqual([
        ids.guarantee,
        ids.second,
        ids.city,
        ids.waiting,
      ]);
      expect(page.counts).toEqual({ 待初审: 1, 待评定: 1, 待复审: 1, 已通过: 1 });
      expect(page.items[1]).toMatchObject({
        enterpriseName: '石嘴山水泥有限公司',
        cityCode: '6402',
        industries: '水泥、铁合金',
        kind: '等级',
        targetGrade: 'B',
        route: 'region',
        status: '待复审',
        next: '自治区复审',
        applicant: '张伟',
      });
    });

    it('filters by enterprise, city and status, counting within the same filter', () => {
      expect(list({ enterpriseId: yinchuan.enterpriseId }).items.map((i) => i.id)).toEqual([
        ids.guarantee,
        ids.waiting,
      ]);
      const city = list({ cityCode: '6401' });
      expect(city.total).toBe(3);
      expect(city.counts).toEqual({ 待初审: 1, 待评定: 1, 已通过: 1 });
      const waiting = list({ cityCode: '6401', status: '待初审' });
      expect(waiting.total).toBe(1);
      expect(waiting.items.map((i) => i.id)).toEqual([ids.waiting]);
      expect(waiting.counts).toEqual(city.counts);
    });

    it('pages, keeping the total and the counts', () => {
      const first = list({ limit: 2 });
      const second = list({ limit: 2, offset: 2 });
      expect(first.total).toBe(4);
      expect(second.total).toBe(4);
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual(
        list().items.map((i) => i.id),
      );
    });

    it('shows a city reviewer (mine) the steps it may take in its own city only', () => {
      logIn(ctx, '市级审核', '6401');
      expect(list({ mine: true }).items.map((i) => i.id)).toEqual([ids.city, ids.waiting]);
      logIn(ctx, '市级审核', '6402');
      expect(list({ mine: true }).total).toBe(0);
    });

    it('shows the region reviewer (mine) what waits for 复审 in every city', () => {
      logIn(ctx, '自治区复审', 'region');
      const page = list({ mine: true });
      expect(page.items.map((i) => i.id)).toEqual([ids.second]);
      expect(page.counts).toEqual({ 待复审: 1 });
    });

    it('shows nothing as mine to an account that may not review, or none', () => {
      expect(list({ mine: true })).toEqual({ total: 0, items: [], counts: {} });
      logIn(ctx, '帮扶队员', '6401');
      expect(list({ mine: true }).total).toBe(0);
    });

    it('leaves out applications of an enterprise moved to the 回收站', () => {
      expect(list().items.map((i) => i.id)).toContain(ids.city);
      ctx.db.sqlite
        .prepare('UPDATE enterprises SET deleted = 1 WHERE id = ?')
        .run(yinchuan2.enterpriseId);
      expect(list().items.map((i) => i.id)).not.toContain(ids.city);
    });

    it('shows a decision made since the queue was last read', () => {
      expect(list({ status: '待初审' }).total).toBe(1);
      logIn(ctx, '市级审核', '6401');
      decide(ctx, ids.waiting, '市级初审', '通过');
      expect(list({ status: '待初审' }).total).toBe(0);
      expect(list().items[0]).toMatchObject({ id: ids.waiting, status: '待复审' });
    });

    it("lists one enterprise's applications the same way", () => {
      const page = list({ enterpriseId: yinchuan.enterpriseId, status: '已通过' });
      expect(page.items.map((i) => i.id)).toEqual([ids.guarantee]);
      expect(page.counts).toEqual({ 待初审: 1, 已通过: 1 });
    });
  });
});
