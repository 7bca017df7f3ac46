import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import type { AppContext } from '../../electron/services/context';
import { confirmInspection, finalizeInspection } from '../../electron/services/inspections';
import { deletePlan, draftPlanFor } from '../../electron/services/plans';
import { closeAppContext, createTestContext } from '../helpers/context';
import { answer, createSite, NOX, startSiteInspection } from '../helpers/inspections';

const REFUSED = '方案已保存的版本不能修改；修改请保存为新版本';

/**
 * The triggers of migration 0005, met with raw SQL: whoever writes, SQLite refuses to change a
 * saved plan version or to remove one of a live plan.
 */
describe('plan version immutability triggers', () => {
  let ctx: AppContext;
  let planId: string;
  let versionId: string;
  const run =
    (sql: string, ...params: unknown[]) =>
    () =>
      ctx.db.sqlite.prepare(sql).run(...params);

  beforeEach(() => {
    ctx = createTestContext();
    const site = createSite(ctx);
    const visit = startSiteInspection(ctx, site);
    answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: 120 });
    for (const m of visit.members) {
      confirmInspection(ctx, { inspectionId: visit.inspection.id, memberId: m.id });
    }
    finalizeInspection(ctx, visit.inspection.id);
    planId = draftPlanFor(ctx, { enterpriseId: site.enterpriseId }).plan.id;
    versionId = (
      ctx.db.sqlite.prepare('SELECT id FROM plan_versions WHERE plan_id = ?').get(planId) as {
        id: string;
      }
    ).id;
  });
  afterEach(() => closeAppContext(ctx));

  it('refuses a raw UPDATE of a version’s content, number, plan or comment', () => {
    expect(run(`UPDATE plan_versions SET content = '{}' WHERE id = ?`, versionId)).toThrow(REFUSED);
    expect(run(`UPDATE plan_versions SET version = 7 WHERE id = ?`, versionId)).toThrow(REFUSED);
    expect(run(`UPDATE plan_versions SET comment = '改过' WHERE id = ?`, versionId)).toThrow(
      REFUSED,
    );
    expect(run(`UPDATE plan_versions SET plan_id = 'x' WHERE id = ?`, versionId)).toThrow(REFUSED);
  });

  it('refuses the same change through the outbox chokepoint, writing no op', () => {
    expect(() =>
      writeChanges(ctx.db, ctx.device, (c) =>
        c.update('plan_versions', versionId, { content: '{}' }),
      ),
    ).toThrow(REFUSED);
    const ops = ctx.db.sqlite
      .prepare(`SELECT count(*) AS n FROM outbox WHERE table_name = 'plan_versions'`)
      .get() as { n: number };
    expect(ops.n).toBe(1);
  });

  it('lets a version be tombstoned, and removed only once its plan is deleted', () => {
    expect(run(`DELETE FROM plan_versions WHERE id = ?`, versionId)).toThrow(
      '方案已保存的版本不能删除',
    );
    writeChanges(ctx.db, ctx.device, (c) => c.markDeleted('plan_versions', versionId));
    deletePlan(ctx, planId);
    expect(run(`DELETE FROM plan_versions WHERE id = ?`, versionId)).not.toThrow();
  });
});
