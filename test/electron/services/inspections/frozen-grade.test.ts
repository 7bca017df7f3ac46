import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import { listEnterprises } from '../../../../electron/services/enterprises';
import { getInspectionDetail, listInspections } from '../../../../electron/services/inspections';
import { createViolation } from '../../../../electron/services/violations';
import { FrozenGradingSchema, ViolationDraftSchema } from '../../../../shared/domain/inspection';
import { visitGradeDisplay } from '../../../../shared/grading';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import {
  answer,
  CEMS,
  confirmAndFinalize,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../../helpers/inspections';

/** The test clock's today is 2026-11-28: a violation of 2026-11-02 locks the enterprise now. */
const VISIT_DAY = '2026-11-20';

describe('a finalized visit’s grade', () => {
  let ctx: AppContext;
  let site: Site;

  const violation = (date: string) =>
    createViolation(
      ctx,
      ViolationDraftSchema.parse({ enterpriseId: site.enterpriseId, date, kind: '超标排放' }),
    );

  /** A visit whose facts alone reach B (cement) and 引领性 (manganese). */
  function goodVisit(date = VISIT_DAY): string {
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

  it('stays what it was finalized with after a violation dated before the visit is recorded', () => {
    const id = goodVisit();
    const done = confirmAndFinalize(ctx, id);
    expect(done.grading).toMatchObject({ grade: 'B', frozen: true, lockedUntil: null });

    violation('2026-11-02');

    const detail = getInspectionDetail(ctx, id);
    expect(detail.grading).toMatchObject({
      grade: 'B',
      frozen: true,
      lockedUntil: null,
      laterViolation: { date: '2026-11-02', kind: '超标排放', lockedUntil: '2027-11-02' },
    });
    expect(detail.grading.processes.map((p) => [p.grade, p.factsGrade])).toEqual([
      ['B', null],
      ['引领性', null],
    ]);
    expect(visitGradeDisplay(detail.grading).text).toBe('B级');
    expect(listInspections(ctx, { enterpriseId: site.enterpriseId })[0]).toMatchObject({
      grade: 'B',
      frozen: true,
      lockedUntil: null,
      open: 0,
    });
  });

  it('lets the later violation change the enterprise’s current lock and a draft’s live grade', () => {
    confirmAndFinalize(ctx, goodVisit());
    violation('2026-11-02');
    const registry = listEnterprises(ctx, { offset: 0, limit: 50 }).items.find(
      (e) => e.id === site.enterpriseId,
    );
    expect(registry?.lockedUntil).toBe('2027-11-02');
    expect(registry?.currentGrade).toMatchObject({
      grade: 'D',
      violation: { date: '2026-11-02', kind: '超标排放', lockedUntil: '2027-11-02' },
      visit: { date: VISIT_DAY, grade: 'B', frozen: true, open: 0 },
    });
    const draft = getInspectionDetail(ctx, goodVisit());
    expect(draft.grading).toMatchObject({
      grade: 'D',
      frozen: false,
      lockedUntil: '2027-11-02',
      laterViolation: null,
    });
  });

  it('gives the registry the latest finalized visit’s grade as the current one, 暂评 while open', () => {
    const current = () =>
      listEnterprises(ctx, { offset: 0, limit: 50 }).items.find((e) => e.id === site.enterpriseId)
        ?.currentGrade;
    expect(current()).toEqual({ grade: null, visit: null, violation: null });
    confirmAndFinalize(ctx, goodVisit('2026-10-01'));
    const partial = startSiteInspection(ctx, site, { date: VISIT_DAY });
    answer(ctx, partial.inspection.id, site.cementId, TRUCKS, { fact: 85 });
    expect(current()?.visit).toMatchObject({ date: '2026-10-01', grade: 'B' });
    confirmAndFinalize(ctx, partial.inspection.id);
    expect(current()).toMatchObject({
      grade: 'C',
      violation: null,
      visit: { date: VISIT_DAY, grade: 'C', answered: 1, open: 1, frozen: true },
    });
    expect(visitGradeDisplay(current()!.visit!).text).toBe('暂评 C级（定稿时尚有 1 项未填）');
  });

  it('keeps the floor of a visit finalized after a violation, not naming that one as later', () => {
    violation('2026-11-02');
    const done = confirmAndFinalize(ctx, goodVisit());
    expect(done.grading).toMatchObject({
      grade: 'D',
      lockedUntil: '2027-11-02',
      frozen: true,
      laterViolation: null,
    });
    expect(done.grading.processes.map((p) => [p.grade, p.factsGrade])).toEqual([
      ['D', 'B'],
      ['非引领性', '引领性'],
    ]);
  });

  it('is stored in the same op that finalizes the visit', () => {
    const id = goodVisit();
    confirmAndFinalize(ctx, id);
    const ops = ctx.db.sqlite
      .prepare(
        'SELECT "values" FROM outbox WHERE table_name = \'inspections\' AND row_id = ? ORDER BY seq',
      )
      .all(id) as { values: string }[];
    const last = JSON.parse(ops.at(-1)!.values) as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(['finalizedAt', 'frozenGrading', 'status']);
    expect(last.status).toBe('finalized');
    const frozen = FrozenGradingSchema.parse(JSON.parse(last.frozenGrading as string));
    expect(frozen).toMatchObject({ v: 1, asOf: VISIT_DAY, grade: 'B', violationDate: null });
    expect(frozen.processes.map((p) => [p.grade, p.answered, p.indicators])).toEqual([
      ['B', 2, 2],
      ['引领性', 1, 1],
    ]);
  });

  it('cannot be rewritten afterwards, even by a raw UPDATE', () => {
    const id = goodVisit();
    confirmAndFinalize(ctx, id);
    expect(() =>
      ctx.db.sqlite.prepare("UPDATE inspections SET frozen_grading = '{}' WHERE id = ?").run(id),
    ).toThrow('检查记录已确认，不能修改');
  });

  it('keeps a provisional grade with the count open when it was finalized', () => {
    const visit = startSiteInspection(ctx, site, { date: VISIT_DAY });
    const id = visit.inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    const done = confirmAndFinalize(ctx, id);
    expect(done.grading).toMatchObject({ grade: 'D', answered: 1, open: 1, frozen: true });
    expect(visitGradeDisplay(done.grading).text).toBe('暂评 D级（定稿时尚有 1 项未填）');
  });

  it('is graded live for a visit finalized before grades were stored', () => {
    const id = goodVisit();
    // Finalized by an older app: status set, no stored grades.
    ctx.db.sqlite.prepare("UPDATE inspections SET status = 'finalized' WHERE id = ?").run(id);
    violation('2026-11-02');
    expect(getInspectionDetail(ctx, id).grading).toMatchObject({
      grade: 'D',
      frozen: false,
      lockedUntil: '2027-11-02',
    });
  });
});
