import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import { gradeHistory } from '../../../../electron/services/grades';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  confirmAndFinalize,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../../helpers/inspections';

import { approve, change, logIn } from './support';

describe('grade history and grade changes', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('lists the official grade, the graded processes with their industry and every change newest first', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    approve(ctx, site.enterpriseId, 'A', '2026-09-01');
    approve(ctx, site.enterpriseId, 'B', '2026-06-01', site.cementId);

    const history = gradeHistory(ctx, site.enterpriseId);

    expect(history.official).toEqual({ grade: 'A', since: '2026-09-01', cause: '审核通过' });
    expect(history.processes).toHaveLength(1);
    expect(history.processes[0]).toMatchObject({
      processId: site.cementId,
      official: { grade: 'B', since: '2026-06-01', cause: '审核通过' },
    });
    expect(history.processes[0]?.industry).toContain('水泥熟料');
    expect(history.guarantee).toBeNull();
    expect(history.events.map((e) => [e.effectiveDate, e.grade, e.change])).toEqual([
      ['2026-09-01', 'A', '升级'],
      ['2026-06-01', 'B', '认定'],
      ['2026-03-01', 'B', '认定'],
    ]);
  });

  it('refuses any change when the device has not logged in, naming the account needed', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    const e = thrown(() => change(ctx, { enterpriseId: site.enterpriseId, grade: 'C' }));
    expect(e.code).toBe('unauthorized');
    expect(e.message).toBe('复核降级须由市级审核或自治区复审账号登录后办理；本机尚未登录');
    expect(gradeHistory(ctx, site.enterpriseId).events).toHaveLength(1);
  });

  it('lets the city confirm a 降级 to a worse grade, with the finalized visit it rests on', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    const visit = startSiteInspection(ctx, site, { date: '2026-11-20' });
    answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: 90 });
    answer(ctx, visit.inspection.id, site.cementId, TRUCKS, { fact: 85 });
    confirmAndFinalize(ctx, visit.inspection.id);
    logIn(ctx, '市级审核', '6401');

    const event = change(ctx, {
      enterpriseId: site.enterpriseId,
      grade: 'B',
      inspectionId: visit.inspection.id,
      documentNo: '银环函〔2026〕8号',
    });

    expect(event).toMatchObject({
      grade: 'B',
      previousGrade: 'A',
      change: '降级',
      cause: '复核降级',
      inspectionId: visit.inspection.id,
      documentNo: '银环函〔2026〕8号',
      decidedBy: '王芳',
      account: '王芳（wangfang）',
    });
    expect(gradeHistory(ctx, site.enterpriseId).official.grade).toBe('B');
  });

  it('refuses a 降级 that is not worse than the grade now, and a city account of another city', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    const same = thrown(() => change(ctx, { enterpriseId: site.enterpriseId, grade: 'A' }));
    expect(same.message).toBe('降级后的等级须低于现在的认定等级B；所选的是A');

    logIn(ctx, '市级审核', '6402');
    const other = thrown(() => change(ctx, { enterpriseId: site.enterpriseId, grade: 'C' }));
    expect(other.code).toBe('forbidden');
    expect(other.message).toContain('不在本账号所辖的市');

    logIn(ctx, '专家', '6401');
    const expert = thrown(() => change(ctx, { enterpriseId: site.enterpriseId, grade: 'C' }));
    expect(expert.message).toBe('复核降级须由市级审核或自治区复审账号办理；当前账号是专家');
    expect(gradeHistory(ctx, site.enterpriseId).events).toHaveLength(1);
  });

  it('refuses a change dated before the grade it changes, which would not take its place', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    const e = thrown(() =>
      change(ctx, { enterpriseId: site.enterpriseId, grade: 'C', effectiveDate: '2026-02-28' }),
    );
    expect(e.message).toBe('生效日期不能早于现在认定等级的日期（2026-03-01）');
    expect(gradeHistory(ctx, site.enterpriseId).official.grade).toBe('B');
  });

  it('refuses a 降级 resting on a visit that is not finalized', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    const draft = startSiteInspection(ctx, site, { date: '2026-11-20' });
    logIn(ctx, '自治区复审', 'region');
    const e = thrown(() =>
      change(ctx, {
        enterpriseId: site.enterpriseId,
        grade: 'B',
        inspectionId: draft.inspection.id,
      }),
    );
    expect(e.message).toBe('依据的核查记录须是这家企业已定稿的检查记录');
  });

  it('records A+ for an A-level enterprise only, and only by the region', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    expect(
      thrown(() => change(ctx, { enterpriseId: site.enterpriseId, cause: 'A+认定' })).message,
    ).toBe('A+认定须由自治区复审账号办理；当前账号是市级审核');

    logIn(ctx, '自治区复审', 'region');
    expect(
      thrown(() => change(ctx, { enterpriseId: site.enterpriseId, cause: 'A+认定' })).message,
    ).toBe('只有认定等级为A级的企业才能认定为A+；该企业认定等级为B');

    approve(ctx, site.enterpriseId, 'A', '2026-06-01');
    const event = change(ctx, {
      enterpriseId: site.enterpriseId,
      cause: 'A+认定',
      reason: '生态环境部遴选',
    });
    expect(event).toMatchObject({
      grade: 'A+',
      previousGrade: 'A',
      change: '升级',
      cause: 'A+认定',
    });
  });

  it('revokes an official grade, and refuses to revoke what is not there', () => {
    logIn(ctx, '市级审核', '6401');
    expect(
      thrown(() => change(ctx, { enterpriseId: site.enterpriseId, cause: '撤销等级' })).message,
    ).toBe('宁夏瑞泰水泥有限公司没有可撤销的认定等级');

    approve(ctx, site.enterpriseId, 'C', '2026-03-01');
    const event = change(ctx, {
      enterpriseId: site.enterpriseId,
      cause: '撤销等级',
      reason: '企业关停',
    });
    expect(event).toMatchObject({ grade: null, previousGrade: 'C', change: '撤销' });
    expect(gradeHistory(ctx, site.enterpriseId).official).toMatchObject({
      grade: null,
      cause: '撤销等级',
    });
  });
});
