import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import { listEnterprises } from '../../../../electron/services/enterprises';
import { gradeHistory } from '../../../../electron/services/grades';
import { createViolation, withdrawViolation } from '../../../../electron/services/violations';
import { EnterpriseQuerySchema } from '../../../../shared/domain/enterprise';
import { ViolationDraftSchema } from '../../../../shared/domain/inspection';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { createSite, type Site } from '../../../helpers/inspections';

import { approve, logIn } from './support';

describe('a violation and the official grade', () => {
  let ctx: AppContext;
  let site: Site;

  const violate = (date = '2026-11-02') =>
    createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date,
        kind: '超标排放',
        note: '颗粒物小时均值超标',
      }),
    );

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('puts the enterprise and each graded process at the floor from the violation’s date', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    approve(ctx, site.enterpriseId, 'B', '2026-03-01', site.cementId);
    approve(ctx, site.enterpriseId, '引领性', '2026-03-01', site.manganeseId);
    logIn(ctx, '帮扶队员', '6401');

    const v = violate();

    const history = gradeHistory(ctx, site.enterpriseId);
    expect(history.official).toEqual({ grade: 'D', since: '2026-11-02', cause: '违法违规' });
    expect(history.processes.map((p) => [p.processId, p.official.grade])).toEqual([
      [site.cementId, 'D'],
      [site.manganeseId, '非引领性'],
    ]);
    const floors = history.events.filter((e) => e.cause === '违法违规');
    expect(floors).toHaveLength(3);
    for (const e of floors) {
      expect(e).toMatchObject({
        violationId: v.id,
        change: '降级',
        effectiveDate: '2026-11-02',
        reason: '2026-11-02超标排放：颗粒物小时均值超标',
        decidedBy: '王芳（wangfang）',
      });
    }
  });

  it('writes the floor for an enterprise without an official grade, decided by 本机 when not logged in', () => {
    violate();
    const [event] = gradeHistory(ctx, site.enterpriseId).events;
    expect(event).toMatchObject({
      grade: 'D',
      previousGrade: null,
      change: '认定',
      decidedBy: '本机',
    });
  });

  it('puts the floor in place of a grade decided after a violation recorded late', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-09-01');
    violate('2026-08-15');
    expect(gradeHistory(ctx, site.enterpriseId).official).toEqual({
      grade: 'D',
      since: '2026-09-01',
      cause: '违法违规',
    });
  });

  it('restores each grade the violation lowered when it is withdrawn', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    approve(ctx, site.enterpriseId, '引领性', '2026-03-01', site.manganeseId);
    const v = violate();

    withdrawViolation(ctx, { id: v.id, by: '李科长', reason: '监测数据有误' });

    const history = gradeHistory(ctx, site.enterpriseId);
    expect(history.official).toMatchObject({ grade: 'A', cause: '违法记录撤销' });
    expect(history.processes.map((p) => p.official.grade)).toEqual(['引领性']);
    // Newest first: the process's restore was written after the enterprise's.
    expect(history.events.filter((e) => e.cause === '违法记录撤销')).toEqual([
      expect.objectContaining({ grade: '引领性', previousGrade: '非引领性', change: '升级' }),
      expect.objectContaining({
        grade: 'A',
        previousGrade: 'D',
        change: '升级',
        decidedBy: '李科长',
      }),
    ]);
  });

  it('keeps the floor while another violation is in force, and restores the grade before both', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    const first = violate('2026-05-01');
    const second = violate('2026-06-01');

    withdrawViolation(ctx, { id: first.id, by: '李科长', reason: '监测数据有误' });
    expect(gradeHistory(ctx, site.enterpriseId).official).toMatchObject({
      grade: 'D',
      cause: '违法违规',
    });

    withdrawViolation(ctx, { id: second.id, by: '李科长', reason: '复核后认定不属实' });
    expect(gradeHistory(ctx, site.enterpriseId).official).toMatchObject({
      grade: 'A',
      cause: '违法记录撤销',
    });
  });

  it('leaves a grade decided after the violation in place when the violation is withdrawn', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    const v = violate('2026-05-01');
    approve(ctx, site.enterpriseId, 'C', '2026-06-01');

    withdrawViolation(ctx, { id: v.id, by: '李科长', reason: '监测数据有误' });

    expect(gradeHistory(ctx, site.enterpriseId).official).toMatchObject({
      grade: 'C',
      cause: '审核通过',
    });
  });

  it('shows the official grade and 保障类 in the registry beside the team’s finding', () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    ctx.db.sqlite
      .prepare('UPDATE enterprises SET guarantee = 1, guarantee_since = ? WHERE id = ?')
      .run('2026-04-01', site.enterpriseId);
    const other = createSite(ctx, '宁夏青山建材有限公司');

    const page = listEnterprises(ctx, EnterpriseQuerySchema.parse({}));

    const row = (id: string) => page.items.find((e) => e.id === id);
    expect(row(site.enterpriseId)).toMatchObject({
      official: { grade: 'B', since: '2026-03-01', cause: '审核通过' },
      guarantee: true,
    });
    expect(row(other.enterpriseId)).toMatchObject({
      official: { grade: null, since: null, cause: null },
      guarantee: false,
    });
  });
});
