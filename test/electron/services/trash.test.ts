import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../db/repositories/device';
import { readSyncSettings, writeSyncSettings } from '../../../db/repositories/sync';
import {
  closeAppContext,
  openAppContext,
  type AppContext,
} from '../../../electron/services/context';
import { listEnterprises } from '../../../electron/services/enterprises';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  listInspections,
} from '../../../electron/services/inspections';
import { draftPlanFor, listPlans } from '../../../electron/services/plans';
import { listProcesses } from '../../../electron/services/processes';
import {
  findInspectionsByNumber,
  findPlansByNumber,
} from '../../../electron/services/record-numbers';
import { listAnnex2Rows } from '../../../db/repositories/annex2';
import { encodePng } from '../../../electron/services/png';
import {
  enterpriseDeletionSummary,
  listTrash,
  purgeExpiredTrash,
  restoreFromTrash,
  trashEnterprise,
  trashPlan,
  trashInspection,
} from '../../../electron/services/trash';
import { createViolation, listViolations } from '../../../electron/services/violations';
import { EnterpriseQuerySchema } from '../../../shared/domain/enterprise';
import { ViolationDraftSchema } from '../../../shared/domain/inspection';
import { FIXTURE_RESOURCES, sequentialIds, tempDir } from '../../helpers/context';
import { thrown } from '../../helpers/errors';
import { answer, createSite, NOX, startSiteInspection, type Site } from '../../helpers/inspections';

const PHOTO = encodePng(32, 24, (x, y) => [x * 8, y * 10, 90]);
const DAY = 24 * 60 * 60 * 1000;
const NAME = '宁夏瑞泰水泥有限公司';

/** A clock the test moves: each read steps 1 ms, `advance` jumps ahead. */
function testClock(start = Date.UTC(2026, 10, 28, 3, 0, 0)) {
  let t = start;
  return {
    now: () => t++,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('the 回收站', () => {
  let dataDir: string;
  let clock: ReturnType<typeof testClock>;
  let ctx: AppContext;
  let site: Site;
  const ids = sequentialIds();

  const open = () =>
    openAppContext({
      dataDir,
      mode: 'cli',
      databaseFile: path.join(dataDir, 'uplift.db'),
      now: clock.now,
      newId: ids,
      resourcesDir: FIXTURE_RESOURCES,
    });

  /** A finalized visit of the site, with a photo. */
  function finalizedVisit(date = '2025-06-01'): string {
    const visit = startSiteInspection(ctx, site, { date });
    const id = visit.inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    addEvidence(ctx, { inspectionId: id, fileName: '窑尾.png', data: PHOTO });
    for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
    finalizeInspection(ctx, id);
    return id;
  }

  /** The account this device syncs with (the role the service checks before the store does). */
  function loggedInAs(role: string, displayName = '李审核') {
    writeSyncSettings(ctx.db, {
      user: { id: 'u1', username: 'li', displayName, role, scope: '6401' },
    });
  }

  /** Everything written so far counts as acknowledged by the central store. */
  function acknowledged() {
    const last = listOutbox(ctx.db).at(-1)?.seq ?? 0;
    writeSyncSettings(ctx.db, { pushedSeq: last });
  }

  const enterpriseTotal = () => listEnterprises(ctx, EnterpriseQuerySchema.parse({})).total;

  beforeEach(() => {
    dataDir = tempDir('uplift-trash-');
    clock = testClock();
    ctx = open();
    site = createSite(ctx, NAME);
  });
  afterEach(() => closeAppContext(ctx));

  it('counts what deleting an enterprise takes with it', () => {
    finalizedVisit('2025-06-01');
    finalizedVisit('2025-07-01');
    startSiteInspection(ctx, site, { date: '2025-08-01' });
    draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    const violation = createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2025-05-01',
        kind: '超标排放',
      }),
    );
    addEvidence(ctx, { violationId: violation.id, fileName: '监测报告.png', data: PHOTO });
    expect(enterpriseDeletionSummary(ctx, site.enterpriseId)).toEqual({
      name: NAME,
      processes: 2,
      visits: 3,
      finalizedVisits: 2,
      plans: 1,
      photos: 3,
      violations: 1,
      reasonRequired: true,
      refusal: null,
      trashDays: 30,
    });
  });

  it('asks for the typed name, and a reason when finalized visits go too', () => {
    finalizedVisit();
    const wrongName = thrown(() =>
      trashEnterprise(ctx, { id: site.enterpriseId, confirmName: '宁夏瑞泰水泥', reason: '重复' }),
    );
    expect(wrongName.code).toBe('invalid_input');
    expect(wrongName.message).toBe('输入的企业名称与要删除的企业不一致');
    const noReason = thrown(() =>
      trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '  ' }),
    );
    expect(noReason.message).toBe('该企业有已定稿的检查记录，删除须写明原因');
    expect(enterpriseTotal()).toBe(1);
  });

  it('refuses a team member’s account the deletion of finalized visits, before the store does', () => {
    const visit = finalizedVisit();
    loggedInAs('帮扶队员', '张队员');
    const summary = enterpriseDeletionSummary(ctx, site.enterpriseId);
    expect(summary.refusal).toBe(
      '该企业的 1 次已定稿检查是签字确认的正式记录，帮扶队员账号不能删除；需要市级审核、自治区复审、管理员账号',
    );
    expect(
      thrown(() =>
        trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '重复' }),
      ).code,
    ).toBe('forbidden');
    expect(thrown(() => trashInspection(ctx, { id: visit, reason: '重复' })).code).toBe(
      'forbidden',
    );
    // A draft is theirs to delete.
    const draft = startSiteInspection(ctx, site, { date: '2025-09-01' }).inspection.id;
    expect(trashInspection(ctx, { id: draft })).toEqual({ id: draft });
  });

  it('hides a deleted enterprise and everything under it, and restores them all', () => {
    loggedInAs('市级审核');
    const visit = finalizedVisit();
    const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId }).plan.id;
    createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2025-05-01',
        kind: '超标排放',
      }),
    );
    trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '重复录入' });

    expect(enterpriseTotal()).toBe(0);
    expect(listInspections(ctx, {})).toEqual([]);
    expect(listPlans(ctx, {})).toEqual([]);
    expect(listProcesses(ctx, site.enterpriseId)).toEqual([]);
    expect(listTrash(ctx)).toMatchObject([
      {
        kind: 'enterprise',
        id: site.enterpriseId,
        enterpriseName: NAME,
        deletedBy: '李审核',
        deleteReason: '重复录入',
        daysLeft: 30,
      },
    ]);

    restoreFromTrash(ctx, { kind: 'enterprise', id: site.enterpriseId });
    expect(enterpriseTotal()).toBe(1);
    expect(listInspections(ctx, {}).map((v) => v.id)).toEqual([visit]);
    expect(listPlans(ctx, {}).map((p) => p.id)).toEqual([plan]);
    expect(listProcesses(ctx, site.enterpriseId)).toHaveLength(2);
    expect(listViolations(ctx, { enterpriseId: site.enterpriseId }).violations).toHaveLength(1);
    expect(listTrash(ctx)).toEqual([]);
  });

  it('keeps a finalized visit’s reason and lets it back, unchanged', () => {
    loggedInAs('自治区复审');
    const visit = finalizedVisit();
    expect(thrown(() => trashInspection(ctx, { id: visit })).message).toBe(
      '删除已定稿的检查记录须写明原因',
    );
    trashInspection(ctx, { id: visit, reason: '企业名称录错，已重新检查' });
    expect(listInspections(ctx, {})).toEqual([]);
    expect(listTrash(ctx)).toMatchObject([
      { kind: 'visit', finalized: true, deleteReason: '企业名称录错，已重新检查' },
    ]);
    restoreFromTrash(ctx, { kind: 'visit', id: visit });
    expect(listInspections(ctx, {})).toMatchObject([{ id: visit, status: 'finalized' }]);
  });

  it('restores a visit or plan only once its enterprise is back', () => {
    const plan = draftPlanFor(ctx, {
      enterpriseId: site.enterpriseId,
      inspectionId: finalizedVisit(),
    }).plan.id;
    trashPlan(ctx, { id: plan });
    trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '重复' });
    // Under a deleted enterprise the plan is not listed on its own.
    expect(listTrash(ctx).map((t) => t.kind)).toEqual(['enterprise']);
    expect(thrown(() => restoreFromTrash(ctx, { kind: 'plan', id: plan })).message).toBe(
      '它所属的企业也在回收站里，请先恢复企业',
    );
    restoreFromTrash(ctx, { kind: 'enterprise', id: site.enterpriseId });
    // The plan was deleted on its own before: it stays in the 回收站 until restored itself.
    expect(listTrash(ctx).map((t) => [t.kind, t.id])).toEqual([['plan', plan]]);
    restoreFromTrash(ctx, { kind: 'plan', id: plan });
    expect(listPlans(ctx, {}).map((p) => p.id)).toEqual([plan]);
  });

  it('purges what has been in the 回收站 for 30 days when the app opens, once the store has it', () => {
    const visit = finalizedVisit();
    trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '重复' });
    closeAppContext(ctx);

    clock.advance(29 * DAY);
    ctx = open();
    expect(listTrash(ctx)).toMatchObject([{ id: site.enterpriseId, daysLeft: 1 }]);
    closeAppContext(ctx);

    // Thirty days on, but the delete has not reached the central store: nothing unsent is dropped.
    clock.advance(2 * DAY);
    ctx = open();
    expect(listTrash(ctx)).toEqual([]);
    expect(
      thrown(() => restoreFromTrash(ctx, { kind: 'enterprise', id: site.enterpriseId })).code,
    ).toBe('not_found');
    const count = (table: string) =>
      (ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('enterprises')).toBe(1);

    acknowledged();
    closeAppContext(ctx);
    ctx = open();
    for (const table of [
      'enterprises',
      'enterprise_processes',
      'inspections',
      'inspection_members',
      'inspection_answers',
      'attachment_uses',
    ]) {
      expect(count(table), table).toBe(0);
    }
    expect(ctx.db.sqlite.prepare('SELECT 1 FROM inspections WHERE id = ?').get(visit)).toBe(
      undefined,
    );
    expect(readSyncSettings(ctx.db).pushedSeq).toBeGreaterThan(0);
  });

  it('purges a visit deleted on its own after 30 days and keeps the enterprise', () => {
    const draft = startSiteInspection(ctx, site).inspection.id;
    trashInspection(ctx, { id: draft });
    acknowledged();
    clock.advance(30 * DAY + 1);
    expect(purgeExpiredTrash(ctx)).toBe(1);
    expect(purgeExpiredTrash(ctx)).toBe(0);
    expect(enterpriseTotal()).toBe(1);
    expect(
      ctx.db.sqlite.prepare('SELECT count(*) AS n FROM inspections').get() as { n: number },
    ).toEqual({ n: 0 });
  });

  it('leaves a deleted enterprise out of 附件2 and its visits and plans out of a search by number', () => {
    const visit = finalizedVisit();
    const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    const visitNumber = listInspections(ctx, {}).find((v) => v.id === visit)?.number ?? '';
    expect(findInspectionsByNumber(ctx.db, visitNumber)).toEqual([visit]);
    expect(findPlansByNumber(ctx.db, plan.plan.number)).toEqual([plan.plan.id]);
    expect(listAnnex2Rows(ctx.db, {}).map((r) => r.name)).toContain(NAME);

    trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME, reason: '重复' });
    expect(findInspectionsByNumber(ctx.db, visitNumber)).toEqual([]);
    expect(findPlansByNumber(ctx.db, plan.plan.number)).toEqual([]);
    expect(listAnnex2Rows(ctx.db, {})).toEqual([]);
  });

  it('refuses to restore an enterprise whose name was filed again meanwhile', () => {
    trashEnterprise(ctx, { id: site.enterpriseId, confirmName: NAME });
    createSite(ctx, NAME);
    const err = thrown(() => restoreFromTrash(ctx, { kind: 'enterprise', id: site.enterpriseId }));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('已有同名企业');
  });
});
