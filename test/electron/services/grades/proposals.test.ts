import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../../electron/services/context';
import { gradeHistory, listProposals } from '../../../../electron/services/grades';
import { closeAppContext, createTestContext } from '../../../helpers/context';
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

describe('降级 proposals from later 复核 visits', () => {
  let ctx: AppContext;
  let site: Site;

  /** A finalized visit whose facts reach B (NOx 90, clean trucks 85). */
  function visitFindingB(date: string, finalize = true, of: Site = site): string {
    const visit = startSiteInspection(ctx, of, { date, type: '复核' });
    answer(ctx, visit.inspection.id, of.cementId, NOX, { fact: 90 });
    answer(ctx, visit.inspection.id, of.cementId, TRUCKS, { fact: 85 });
    if (finalize) confirmAndFinalize(ctx, visit.inspection.id);
    return visit.inspection.id;
  }

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('proposes a 降级 when the latest finalized visit after the official grade finds a worse grade', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    visitFindingB('2026-05-01');
    const latest = visitFindingB('2026-10-01');
    visitFindingB('2026-11-01', false);

    expect(listProposals(ctx, '6401')).toEqual([
      expect.objectContaining({
        enterpriseId: site.enterpriseId,
        enterpriseName: '宁夏瑞泰水泥有限公司',
        processId: null,
        official: 'A',
        found: 'B',
        inspectionId: latest,
        inspectionDate: '2026-10-01',
      }),
    ]);
    expect(gradeHistory(ctx, site.enterpriseId).proposals.map((p) => p.inspectionId)).toEqual([
      latest,
    ]);
    expect(listProposals(ctx, '6402')).toEqual([]);
  });

  it('proposes nothing for visits before the grade’s date, at the same grade, or once confirmed', () => {
    visitFindingB('2026-02-01');
    approve(ctx, site.enterpriseId, 'A', '2026-03-01');
    expect(listProposals(ctx, null)).toEqual([]);

    const other = createSite(ctx, '宁夏青山建材有限公司');
    approve(ctx, other.enterpriseId, 'B', '2026-03-01');
    visitFindingB('2026-06-01', true, other);
    expect(listProposals(ctx, null)).toEqual([]);

    const found = visitFindingB('2026-06-01');
    expect(listProposals(ctx, null).map((p) => p.inspectionId)).toEqual([found]);
    logIn(ctx, '市级审核', '6401');
    change(ctx, {
      enterpriseId: site.enterpriseId,
      grade: 'B',
      inspectionId: found,
      effectiveDate: '2026-06-10',
    });
    expect(listProposals(ctx, null)).toEqual([]);
  });

  it('proposes a 降级 for a process whose own official grade its latest visit no longer meets', () => {
    approve(ctx, site.enterpriseId, 'A', '2026-03-01', site.cementId);
    approve(ctx, site.enterpriseId, '引领性', '2026-03-01', site.manganeseId);
    const found = visitFindingB('2026-06-01');

    expect(listProposals(ctx, '6401')).toEqual([
      expect.objectContaining({
        processId: site.cementId,
        official: 'A',
        found: 'B',
        inspectionId: found,
      }),
    ]);
  });
});
