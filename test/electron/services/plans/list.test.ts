/**
 * Listing and deleting plans (electron/services/plans/list.ts, save.ts).
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox } from '../../../../db/repositories/device';
import type { AppContext } from '../../../../electron/services/context';
import {
  deletePlan,
  draftPlanFor,
  getPlan,
  listPlans,
  savePlan,
} from '../../../../electron/services/plans';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';
import { editOf, finalizedInspection } from '../../../helpers/plan';

describe('plan services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('listing and deleting', () => {
    it('lists plans with their target, measures and total investment', () => {
      finalizedInspection(ctx, site, { nox: 120, trucks: 60 });
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      const edit = editOf(plan);
      edit.measures[0]!.investment = 380;
      edit.measures[1]!.investment = 12.5;
      savePlan(ctx, { id: plan.plan.id, baseVersion: 1, content: edit });
      expect(listPlans(ctx, {})).toEqual([
        expect.objectContaining({
          id: plan.plan.id,
          enterpriseName: '宁夏瑞泰水泥有限公司',
          status: '草稿',
          currentVersion: 2,
          targetGrade: 'B',
          measures: 2,
          investment: 392.5,
        }),
      ]);
      expect(listPlans(ctx, { status: '专家审定' })).toEqual([]);
    });

    it('deletes a plan as a tombstone; drafting again starts a new plan', () => {
      finalizedInspection(ctx, site, { nox: 120 });
      const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      deletePlan(ctx, plan.plan.id);
      expect(getPlan(ctx, { id: plan.plan.id })).toBeNull();
      expect(getPlan(ctx, { enterpriseId: site.enterpriseId })).toBeNull();
      expect(listPlans(ctx)).toEqual([]);
      expect(
        ctx.db.sqlite.prepare('SELECT deleted FROM plans WHERE id = ?').get(plan.plan.id),
      ).toEqual({ deleted: 1 });
      expect(listOutbox(ctx.db).at(-1)).toMatchObject({
        table: 'plans',
        rowId: plan.plan.id,
        values: { deleted: true },
      });
      const again = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      expect(again.plan.id).not.toBe(plan.plan.id);
      expect(again.plan.currentVersion).toBe(1);
      expect(thrown(() => deletePlan(ctx, plan.plan.id)).code).toBe('not_found');
    });
  });
});
