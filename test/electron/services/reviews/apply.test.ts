import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { getInspectionDetail, startInspection } from '../../../../electron/services/inspections';
import { draftPlanFor } from '../../../../electron/services/plans/draft';
import { createViolation, withdrawViolation } from '../../../../electron/services/violations';
import { InspectionStartSchema, ViolationDraftSchema } from '../../../../shared/domain/inspection';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';

import { apply, decide, finalizedVisit, logIn, resubmit } from './setup';

describe('申报 (review.apply)', () => {
  let ctx: AppContext;
  let site: Site;
  let visitId: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    visitId = finalizedVisit(ctx, site);
  });
  afterEach(() => closeAppContext(ctx));

  it.each([
    ['A', 'region', '待初审'],
    ['B', 'region', '待初审'],
    ['B-', 'region', '待初审'],
    ['引领性', 'region', '待初审'],
    ['C', 'city', '待评定'],
    ['D', 'city', '待评定'],
    ['非引领性', 'city', '待评定'],
  ])('an application for %s takes the %s route and waits at %s', (grade, route, status) => {
    const app = apply(ctx, site, { targetGrade: grade, inspectionIds: [visitId] });
    expect(app.route).toBe(route);
    expect(app.status).toBe(status);
    expect(app.round).toBe(1);
  });

  it('records the application and its round-1 提交 together, with the account that made it', () => {
    logIn(ctx, '帮扶队员', '6401', 'zhangwei');
    const app = apply(ctx, site, { inspectionIds: [visitId], reason: '整改完成，申请B级' });
    expect(app.enterpriseName).toBe('宁夏瑞泰水泥有限公司');
    expect(app.industries).toBe('水泥、铁合金');
    expect(app.applicantAccount).toBe('审核员（zhangwei）');
    expect(app.steps).toEqual([
      expect.objectContaining({
        round: 1,
        step: '提交',
        decision: '提交',
        decidedBy: '张伟',
        account: '审核员（zhangwei）',
        role: '帮扶队员',
        parked: null,
      }),
    ]);
    const ops = ctx.db.sqlite
      .prepare(
        `SELECT table_name FROM outbox WHERE table_name IN ('grade_applications', 'review_steps')`,
      )
      .all();
    expect(ops).toHaveLength(2);
  });

  it('takes the grade the latest listed visit found as its basis unless one is given', () => {
    const later = finalizedVisit(ctx, site, '2026-08-01');
    const app = apply(ctx, site, { inspectionIds: [visitId, later] });
    expect(app.basisGrade).toBe('B');
    expect(app.materials.visits.map((v) => v.date)).toEqual(['2026-06-01', '2026-08-01']);
    expect(app.materials.visits[0]).toMatchObject({ type: '帮扶指导', grade: 'B', photos: 0 });
    expect(app.materials.visits[0]?.number).toMatch(/\S/);
    const judged = apply(ctx, site, {
      processId: site.cementId,
      inspectionIds: [visitId],
      basisGrade: 'A',
      basisNote: '专家判定',
    });
    expect(judged.basisGrade).toBe('A');
    expect(judged.industries).toBe('水泥');
  });

  it('shows its materials side by side: each visit with its gaps, the plan with its measures', () => {
    // NOx 120 misses B: the plan drafts measures towards the line's target B.
    const below = finalizedVisit(ctx, site, '2026-05-01', 120);
    const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId, inspectionId: below });
    const forA = apply(ctx, site, {
      targetGrade: 'A',
      inspectionIds: [below],
      planId: plan.plan.id,
    });
    const visit = getInspectionDetail(ctx, below);
    const gapsToA = visit.grading.processes.reduce((n, p) => n + (p.gaps.A ?? []).length, 0);
    expect(gapsToA).toBeGreaterThan(0);
    expect(forA.materials.visits).toEqual([
      {
        id: below,
        number: visit.inspection.number,
        date: '2026-05-01',
        type: '帮扶指导',
        grade: visit.grading.grade,
        gaps: gapsToA,
        photos: 0,
      },
    ]);
    expect(plan.content.measures.length).toBeGreaterThan(0);
    expect(forA.materials.plan).toEqual({
      id: plan.plan.id,
      number: plan.plan.number,
      status: plan.plan.status,
      measures: plan.content.measures.length,
    });
    expect(forA.official).toEqual({ grade: null, since: null, cause: null });
  });

  it('refuses an application for a grade without a finalized visit', () => {
    expect(thrown(() => apply(ctx, site)).message).toBe('申报须附至少一次已定稿的核查记录');
    const draft = startInspection(
      ctx,
      InspectionStartSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2026-07-01',
        type: '帮扶指导',
        members: [{ name: '张伟', role: '执法' }],
        processIds: [site.cementId],
      }),
    );
    expect(thrown(() => apply(ctx, site, { inspectionIds: [draft.inspection.id] })).message).toBe(
      '2026-07-01 的检查记录尚未定稿，不能作为申报依据；请定稿后再申报',
    );
    expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM grade_applications').get()).toEqual({
      n: 0,
    });
  });

  it('refuses visits, plans and processes of another enterprise', () => {
    const other = createSite(ctx, '宁夏另一家水泥有限公司');
    const theirs = finalizedVisit(ctx, other);
    expect(thrown(() => apply(ctx, site, { inspectionIds: [theirs] })).message).toBe(
      '关联的检查记录不存在，或不是这家企业的',
    );
    expect(
      thrown(() => apply(ctx, site, { inspectionIds: [visitId], processId: other.cementId }))
        .message,
    ).toBe('所选工序不存在，或不是这家企业的');
  });

  it('refuses while a violation locks the enterprise, naming the day the lock ends', () => {
    const v = createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2026-03-01',
        kind: '超标排放',
      }),
    );
    const error = thrown(() => apply(ctx, site, { inspectionIds: [visitId] }));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      '该企业有违法违规记录（2026-03-01 超标排放），2027-03-01 前不能申报',
    );
    withdrawViolation(ctx, { id: v.id, by: '李静', reason: '监测数据有误' });
    expect(apply(ctx, site, { inspectionIds: [visitId] }).status).toBe('待初审');
  });

  it('refuses a second application of the same kind while the first is under review', () => {
    apply(ctx, site, { targetGrade: 'A', inspectionIds: [visitId] });
    expect(thrown(() => apply(ctx, site, { inspectionIds: [visitId] })).message).toBe(
      '该企业已有一份在审的申报（申报A级，待初审）',
    );
    // Another process, or 保障类, is another application.
    apply(ctx, site, { processId: site.cementId, inspectionIds: [visitId] });
    apply(ctx, site, { kind: '保障类', reason: '城市供热保障企业' });
  });

  it('allows a new application once the last one was decided', () => {
    logIn(ctx, '市级审核', '6401');
    const first = apply(ctx, site, { targetGrade: 'C', inspectionIds: [visitId] });
    decide(ctx, first.id, '市级评定', '不予通过');
    expect(apply(ctx, site, { targetGrade: 'C', inspectionIds: [visitId] }).status).toBe('待评定');
  });

  it('is reachable through the API, whose schema refuses a grade application without a grade', async () => {
    const refused = await dispatch(ctx, 'review.apply', {
      enterpriseId: site.enterpriseId,
      kind: '等级',
      applicant: '张伟',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const made = await dispatch(ctx, 'review.apply', {
      enterpriseId: site.enterpriseId,
      kind: '等级',
      targetGrade: 'B',
      inspectionIds: [visitId],
      applicant: '张伟',
    });
    expect(made).toMatchObject({ ok: true, value: { status: '待初审' } });
  });
});

describe('重新提交 (review.resubmit)', () => {
  let ctx: AppContext;
  let site: Site;
  let visitId: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    visitId = finalizedVisit(ctx, site);
    logIn(ctx, '市级审核', '6401');
  });
  afterEach(() => closeAppContext(ctx));

  it('only takes an application that was returned', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    expect(thrown(() => resubmit(ctx, app.id)).message).toBe(
      '只有退回补充的申报才能重新提交；该申报当前待初审',
    );
  });

  it('replaces the materials given and starts the next round', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    decide(ctx, app.id, '市级初审', '退回补充', { opinion: '请补充复核记录', requestVisit: true });
    const later = finalizedVisit(ctx, site, '2026-09-01');
    const again = resubmit(ctx, app.id, { inspectionIds: [visitId, later], reason: '已补充复核' });
    expect(again.status).toBe('待初审');
    expect(again.round).toBe(2);
    expect(again.inspectionIds).toEqual([visitId, later]);
    expect(again.reason).toBe('已补充复核');
    expect(again.steps.map((s) => [s.round, s.step, s.decision, s.requestVisit])).toEqual([
      [1, '提交', '提交', false],
      [1, '市级初审', '退回补充', true],
      [2, '提交', '提交', false],
    ]);
    expect(thrown(() => resubmit(ctx, app.id)).code).toBe('conflict');
  });
});
