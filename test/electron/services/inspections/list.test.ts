/**
 * Listing inspections (electron/services/inspections/list.ts): an enterprise's inspections over
 * time, with their grades.
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppContext, closeAppContext } from '../../../../electron/services/context';
import {
  confirmInspection,
  finalizeInspection,
  listInspections,
} from '../../../../electron/services/inspections';
import { createTestContext } from '../../../helpers/context';
import {
  answer,
  createSite,
  NOX,
  type Site,
  startSiteInspection,
  TRUCKS,
} from '../../../helpers/inspections';

describe('inspection services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('an enterprise’s visits over time', () => {
    it('lists each visit with its date, type, status and computed grade, newest first', () => {
      const first = startSiteInspection(ctx, site, { date: '2025-03-01', type: '核查' });
      answer(ctx, first.inspection.id, site.cementId, TRUCKS, { fact: 60 });
      const second = startSiteInspection(ctx, site, { date: '2025-09-01', type: '复核' });
      answer(ctx, second.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      answer(ctx, second.inspection.id, site.cementId, NOX, { fact: 80 });
      for (const m of second.members) {
        confirmInspection(ctx, { inspectionId: second.inspection.id, memberId: m.id });
      }
      finalizeInspection(ctx, second.inspection.id);
      const other = createSite(ctx, '宁夏另一家水泥有限公司');
      startSiteInspection(ctx, other);

      const list = listInspections(ctx, { enterpriseId: site.enterpriseId });
      expect(
        list.map((v) => [v.date, v.type, v.status, v.grade, v.unverified, v.answered]),
      ).toEqual([
        ['2025-09-01', '复核', 'finalized', 'B', true, 2],
        ['2025-03-01', '核查', 'draft', 'C', true, 1],
      ]);
      expect(list[0]).toMatchObject({
        enterpriseName: '宁夏瑞泰水泥有限公司',
        members: ['张伟', '李静'],
        processCount: 1,
        lockedUntil: null,
        revisedBy: null,
      });
      expect(listInspections(ctx, {}).length).toBe(3);
      expect(listInspections(ctx, { status: 'finalized' }).map((v) => v.id)).toEqual([
        second.inspection.id,
      ]);
    });
  });
});
