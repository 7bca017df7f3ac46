import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { getInspectionDetail, listInspections } from '../../../../electron/services/inspections';
import {
  createViolation,
  listViolations,
  withdrawViolation,
} from '../../../../electron/services/violations';
import { ViolationDraftSchema, type ViolationDraft } from '../../../../shared/domain/inspection';
import { localDate } from '../../../../shared/local-time';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  CEMS,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../../helpers/inspections';

describe('violations', () => {
  let ctx: AppContext;
  let site: Site;
  const violation = (over: Partial<ViolationDraft> = {}) =>
    createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2025-03-10',
        kind: '超标排放',
        note: '在线监测小时均值超标',
        ...over,
      }),
    );
  const lock = (asOf: string) =>
    listViolations(ctx, { enterpriseId: site.enterpriseId, asOf }).lockedUntil;

  /** A visit whose facts alone reach B (cement) and 引领性 (manganese). */
  function goodVisit(date: string): string {
    const visit = startSiteInspection(ctx, site, {
      date,
      processIds: [site.cementId, site.manganeseId],
    });
    const id = visit.inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
    answer(ctx, id, site.manganeseId, CEMS, { fact: true });
    return id;
  }

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('put every process at its floor grade and lock the enterprise for a year', () => {
    const id = goodVisit('2025-06-01');
    expect(getInspectionDetail(ctx, id).grading).toMatchObject({ grade: 'B', lockedUntil: null });

    const found = violation();
    expect(found).toMatchObject({ date: '2025-03-10', kind: '超标排放', evidence: [] });
    const grading = getInspectionDetail(ctx, id).grading;
    expect(grading.grade).toBe('D');
    expect(grading.lockedUntil).toBe('2026-03-10');
    expect(grading.processes.map((p) => [p.grade, p.factsGrade, p.reachesTarget])).toEqual([
      ['D', 'B', false],
      ['非引领性', '引领性', false],
    ]);
    expect(listInspections(ctx, { enterpriseId: site.enterpriseId })[0]).toMatchObject({
      grade: 'D',
      lockedUntil: '2026-03-10',
    });
  });

  it('lift the lock and the floor when a violation recorded in error is withdrawn, keeping it listed with who, when and why', () => {
    const id = goodVisit('2025-06-01');
    const found = violation();
    expect(getInspectionDetail(ctx, id).grading.grade).toBe('D');
    withdrawViolation(ctx, { id: found.id, by: '王海军', reason: '误录：该企业当日停产检修' });
    expect(getInspectionDetail(ctx, id).grading).toMatchObject({ grade: 'B', lockedUntil: null });
    expect(lock('2025-06-01')).toBeNull();
    const listed = listViolations(ctx, { enterpriseId: site.enterpriseId, asOf: '2025-06-01' });
    expect(listed.violations.map((v) => v.id)).toEqual([found.id]);
    expect(listed.violations[0]?.note).toBe('在线监测小时均值超标');
    expect(listed.violations[0]?.withdrawal).toEqual({
      at: expect.any(Number) as number,
      by: '王海军',
      account: null,
      reason: '误录：该企业当日停产检修',
    });
    const row = ctx.db.sqlite
      .prepare('SELECT deleted FROM violations WHERE id = ?')
      .get(found.id) as { deleted: number };
    expect(row.deleted).toBe(0);
    expect(
      thrown(() => withdrawViolation(ctx, { id: found.id, by: '王海军', reason: '再撤一次' })),
    ).toMatchObject({ code: 'conflict' });
  });

  it('refuse a withdrawal without a reason through the API, changing nothing', async () => {
    const found = violation();
    const result = await dispatch(ctx, 'violation.withdraw', {
      id: found.id,
      by: '王海军',
      reason: ' ',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(lock('2025-03-10')).toBe('2026-03-10');
  });

  it('expose the lock for the enterprise’s page, inclusive of both ends of the year', () => {
    violation();
    expect(lock('2025-03-09')).toBeNull();
    expect(lock('2025-03-10')).toBe('2026-03-10');
    expect(lock('2026-03-10')).toBe('2026-03-10');
    expect(lock('2026-03-11')).toBeNull();
    const list = listViolations(ctx, { enterpriseId: site.enterpriseId, asOf: '2025-12-31' });
    expect(list).toMatchObject({ asOf: '2025-12-31', lockedUntil: '2026-03-10' });
    expect(list.violations.map((v) => [v.date, v.kind, v.note])).toEqual([
      ['2025-03-10', '超标排放', '在线监测小时均值超标'],
    ]);
  });

  it('grade a visit as of its own date: one after the year is over is graded on its facts', () => {
    violation();
    expect(getInspectionDetail(ctx, goodVisit('2026-03-10')).grading.grade).toBe('D');
    expect(getInspectionDetail(ctx, goodVisit('2026-03-11')).grading).toMatchObject({
      grade: 'B',
      lockedUntil: null,
    });
    // A visit before the violation is not touched by it.
    expect(getInspectionDetail(ctx, goodVisit('2025-03-09')).grading.grade).toBe('B');
  });

  it('lock until the latest violation’s anniversary, 28 February after a 29 February', () => {
    violation({ date: '2024-02-29', kind: '弄虚作假' });
    expect(lock('2024-12-01')).toBe('2025-02-28');
    violation({ date: '2024-11-05', kind: '治理设施不正常运行' });
    expect(lock('2024-12-01')).toBe('2025-11-05');
    expect(lock('2025-03-01')).toBe('2025-11-05');
  });

  it('judge the lock as of today by default', () => {
    violation({ date: localDate(ctx.device.now()) });
    expect(listViolations(ctx, { enterpriseId: site.enterpriseId }).lockedUntil).not.toBeNull();
  });

  it('refuse an unknown kind, and a visit of another enterprise', async () => {
    const result = await dispatch(ctx, 'violation.create', {
      enterpriseId: site.enterpriseId,
      date: '2025-03-10',
      kind: '噪声扰民',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: '违法情形应为超标排放、偷排偷放、治理设施不正常运行、弄虚作假之一',
      },
    });
    const other = createSite(ctx, '宁夏另一家水泥有限公司');
    const visit = startSiteInspection(ctx, other);
    expect(thrown(() => violation({ inspectionId: visit.inspection.id })).message).toBe(
      '关联的检查记录不存在，或不是这家企业的',
    );
  });
});
