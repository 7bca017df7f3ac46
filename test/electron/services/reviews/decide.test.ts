import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../../../db/changes';
import { insertStep } from '../../../../db/repositories/reviews/applications';
import { listGradeEvents } from '../../../../db/repositories/reviews/grade-events';
import type { AppContext } from '../../../../electron/services/context';
import { getEnterprise } from '../../../../electron/services/enterprises';
import { getApplicationDetail } from '../../../../electron/services/reviews';
import { localDate } from '../../../../shared/local-time';
import type { Role } from '../../../../shared/sync/protocol';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';

import { apply, decide, finalizedVisit, logIn, logOut, park, resubmit } from './setup';

describe('审核 (review.decide)', () => {
  let ctx: AppContext;
  let site: Site;
  let visitId: string;
  const stepCount = () =>
    ctx.db.sqlite.prepare('SELECT count(*) AS n FROM review_steps').get() as { n: number };

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    visitId = finalizedVisit(ctx, site);
  });
  afterEach(() => closeAppContext(ctx));

  it('takes a B application through 初审 and 复审 to 已通过, which sets the official grade', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6401', 'ycshenhe');
    const first = decide(ctx, app.id, '市级初审', '通过');
    expect(first.status).toBe('待复审');
    expect(first.official.grade).toBeNull();
    expect(listGradeEvents(ctx.db, site.enterpriseId)).toEqual([]);
    logIn(ctx, '自治区复审', 'region', 'qufushen');
    const done = decide(ctx, app.id, '自治区复审', '通过', {
      opinion: '同意认定为B级',
      documentNo: '宁环发〔2026〕12号',
    });
    expect(done.status).toBe('已通过');
    expect(done.next).toBeNull();
    expect(done.actions).toEqual([]);
    expect(done.official).toEqual({
      grade: 'B',
      since: localDate(Date.UTC(2026, 10, 28, 3)),
      cause: '审核通过',
    });
    expect(done.steps.map((s) => [s.step, s.decision, s.role, s.account])).toEqual([
      ['提交', '提交', null, null],
      ['市级初审', '通过', '市级审核', '审核员（ycshenhe）'],
      ['自治区复审', '通过', '自治区复审', '审核员（qufushen）'],
    ]);
    expect(listGradeEvents(ctx.db, site.enterpriseId)).toEqual([
      expect.objectContaining({
        processId: null,
        grade: 'B',
        previousGrade: null,
        change: '认定',
        cause: '审核通过',
        reason: '同意认定为B级',
        documentNo: '宁环发〔2026〕12号',
        applicationId: app.id,
        decidedBy: '王审核',
        account: '审核员（qufushen）',
      }),
    ]);
  });

  it('sets the grade of the process applied for, not the enterprise as a whole', () => {
    logIn(ctx, '市级审核', '6401');
    const app = apply(ctx, site, {
      processId: site.cementId,
      targetGrade: 'C',
      inspectionIds: [visitId],
    });
    expect(decide(ctx, app.id, '市级评定', '通过').status).toBe('已通过');
    expect(listGradeEvents(ctx.db, site.enterpriseId)).toEqual([
      expect.objectContaining({ processId: site.cementId, grade: 'C' }),
    ]);
    expect(getApplicationDetail(ctx, app.id).official.grade).toBe('C');
  });

  it('lists an approved 保障类 application as 保障类 on the enterprise, with no grade event', () => {
    logIn(ctx, '市级审核', '6401');
    const app = apply(ctx, site, { kind: '保障类', targetGrade: 'B', reason: '城市集中供热' });
    expect(app.route).toBe('city');
    expect(app.targetGrade).toBeNull();
    decide(ctx, app.id, '市级评定', '通过');
    const enterprise = ctx.db.sqlite
      .prepare(
        'SELECT guarantee, guarantee_since, guarantee_application_id FROM enterprises WHERE id = ?',
      )
      .get(site.enterpriseId);
    expect(enterprise).toEqual({
      guarantee: 1,
      guarantee_since: localDate(Date.UTC(2026, 10, 28, 3)),
      guarantee_application_id: app.id,
    });
    expect(getEnterprise(ctx, site.enterpriseId).name).toBe('宁夏瑞泰水泥有限公司');
    expect(listGradeEvents(ctx.db, site.enterpriseId)).toEqual([]);
  });

  it('returns for more material, takes the resubmission and decides the next round', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6401');
    expect(decide(ctx, app.id, '市级初审', '退回补充').status).toBe('退回补充');
    expect(thrown(() => decide(ctx, app.id, '市级初审', '通过')).message).toBe(
      '该申报第 1 轮的市级初审已由王审核作出决定（退回补充），不能重复决定',
    );
    resubmit(ctx, app.id);
    expect(decide(ctx, app.id, '市级初审', '通过').status).toBe('待复审');
    logIn(ctx, '自治区复审', 'region');
    const returned = decide(ctx, app.id, '自治区复审', '退回补充');
    expect(returned.status).toBe('退回补充');
    expect(returned.actions).toEqual([{ step: '提交', allowed: true, why: null }]);
    resubmit(ctx, app.id);
    logIn(ctx, '市级审核', '6401');
    decide(ctx, app.id, '市级初审', '通过');
    logIn(ctx, '自治区复审', 'region');
    const done = decide(ctx, app.id, '自治区复审', '通过');
    expect(done.status).toBe('已通过');
    expect(done.round).toBe(3);
    expect(done.steps).toHaveLength(8);
  });

  it('ends an application refused (不予通过) with no grade change', () => {
    logIn(ctx, '市级审核', '6401');
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    const refused = decide(ctx, app.id, '市级初审', '不予通过', { opinion: '指标未达到B级' });
    expect(refused.status).toBe('不予通过');
    expect(refused.next).toBeNull();
    logIn(ctx, '自治区复审', 'region');
    expect(thrown(() => decide(ctx, app.id, '自治区复审', '通过')).message).toBe(
      '该申报已审核完毕（不予通过），不能再自治区复审',
    );
    expect(listGradeEvents(ctx.db, site.enterpriseId)).toEqual([]);
  });

  it('refuses a device that is not logged in, changing nothing', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    const error = thrown(() => decide(ctx, app.id, '市级初审', '通过'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(
      '本机未登录中心库账号，审核须用市级审核或自治区复审账号登录（在“同步”页登录）',
    );
    logIn(ctx, '市级审核', '6401');
    logOut(ctx);
    expect(thrown(() => decide(ctx, app.id, '市级初审', '通过')).code).toBe('forbidden');
    expect(stepCount()).toEqual({ n: 1 });
  });

  const wrongRoles: [Role, string, string, string][] = [
    ['帮扶队员', '6401', '市级初审', '市级初审须由市级审核账号作出；当前账号是帮扶队员'],
    ['自治区复审', 'region', '市级初审', '市级初审须由市级审核账号作出；当前账号是自治区复审'],
    ['专家', '6401', '市级初审', '市级初审须由市级审核账号作出；当前账号是专家'],
  ];
  it.each(wrongRoles)('refuses a %s account the %s', (role, scope, step, message) => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, role, scope);
    const error = thrown(() => decide(ctx, app.id, step, '通过'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe(message);
    expect(stepCount()).toEqual({ n: 1 });
  });

  it('refuses the 复审 to a city account even once the 初审 is done', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6401');
    decide(ctx, app.id, '市级初审', '通过');
    expect(thrown(() => decide(ctx, app.id, '自治区复审', '通过')).message).toBe(
      '自治区复审须由自治区复审账号作出；当前账号是市级审核',
    );
  });

  it("refuses a city account another city's application, naming both cities", () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6402');
    const error = thrown(() => decide(ctx, app.id, '市级初审', '通过'));
    expect(error.code).toBe('forbidden');
    expect(error.message).toBe('无权审核银川市的申报（账号范围：石嘴山市）');
    expect(getApplicationDetail(ctx, app.id).actions).toEqual([
      { step: '市级初审', allowed: false, why: '无权审核银川市的申报（账号范围：石嘴山市）' },
    ]);
  });

  it('refuses a step out of order and a step not on the route', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '自治区复审', 'region');
    expect(thrown(() => decide(ctx, app.id, '自治区复审', '通过')).message).toBe(
      '该申报当前待初审，不能进行自治区复审',
    );
    logIn(ctx, '市级审核', '6401');
    expect(thrown(() => decide(ctx, app.id, '市级评定', '通过')).message).toBe(
      '该申报的审核流程是市级初审 → 自治区复审，没有“市级评定”这一步',
    );
    expect(stepCount()).toEqual({ n: 1 });
  });

  it('offers the account only the step it may take, saying why otherwise', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    expect(getApplicationDetail(ctx, app.id).actions).toEqual([
      {
        step: '市级初审',
        allowed: false,
        why: '本机未登录中心库账号，审核须用市级审核或自治区复审账号登录（在“同步”页登录）',
      },
    ]);
    logIn(ctx, '市级审核', '6401');
    expect(getApplicationDetail(ctx, app.id).actions).toEqual([
      { step: '市级初审', allowed: true, why: null },
    ]);
  });

  it('leaves out a step the store parked, shows its reason, and lets the step be taken again', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6401');
    const decided = decide(ctx, app.id, '市级初审', '通过');
    const mine = decided.steps.find((s) => s.step === '市级初审');
    if (!mine) throw new Error('no 初审 step');
    const reason = '该申报第 1 轮的市级初审已由李审核作出决定（退回补充），不能重复决定';
    park(ctx, mine.id, reason);
    // The other reviewer's step, as a pull brings it.
    writeChanges(ctx.db, ctx.device, (changes) =>
      insertStep(changes, 'step-from-another-device', {
        applicationId: app.id,
        round: 1,
        step: '市级初审',
        decision: '退回补充',
        opinion: '请补充监测报告',
        requestVisit: false,
        decidedBy: '李审核',
        account: 'lishenhe',
        role: '市级审核',
        decidedAt: mine.decidedAt + 1,
      }),
    );
    const after = getApplicationDetail(ctx, app.id);
    expect(after.status).toBe('退回补充');
    expect(after.steps.find((s) => s.id === mine.id)?.parked).toBe(reason);
    expect(after.steps.find((s) => s.id === 'step-from-another-device')?.parked).toBeNull();
  });

  it('counts a parked step again once a retry of it was accepted', () => {
    const app = apply(ctx, site, { inspectionIds: [visitId] });
    logIn(ctx, '市级审核', '6401');
    const step = decide(ctx, app.id, '市级初审', '通过').steps[1];
    if (!step) throw new Error('no 初审 step');
    park(ctx, step.id, '当时未同步');
    expect(getApplicationDetail(ctx, app.id).status).toBe('待初审');
    ctx.db.sqlite.prepare(`UPDATE sync_parked SET status = 'accepted'`).run();
    expect(getApplicationDetail(ctx, app.id).status).toBe('待复审');
  });
});
