/**
 * The life of an inspection record (electron/services/inspections/record.ts): drafts change,
 * finalizing, a finalized record never changes, and corrections by revision.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChanges } from '../../../../db/changes';
import { pendingOpCount } from '../../../../db/repositories/device';
import {
  type AppContext,
  closeAppContext,
  openAppContext,
} from '../../../../electron/services/context';
import {
  confirmInspection,
  deleteInspection,
  finalizeInspection,
  getInspectionDetail,
  listInspections,
  removeMember,
  reviseInspection,
  saveMember,
  updateInspection,
} from '../../../../electron/services/inspections';
import { InspectionUpdateSchema } from '../../../../shared/domain/inspection';
import {
  createTestContext,
  FIXTURE_RESOURCES,
  sequentialIds,
  steppingClock,
  tempDir,
} from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  CEMS,
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

  describe('drafts', () => {
    it('reopens a draft where it was left, after the app is closed and opened again', () => {
      const dir = tempDir();
      const file = path.join(dir, 'uplift.db');
      const open = () =>
        openAppContext({
          dataDir: dir,
          databaseFile: file,
          mode: 'cli',
          now: steppingClock(),
          newId: sequentialIds('01900000-0000-7000-9000-'),
          resourcesDir: FIXTURE_RESOURCES,
        });
      let app = open();
      const s = createSite(app);
      const visit = startSiteInspection(app, s, { processIds: [s.cementId, s.manganeseId] });
      answer(app, visit.inspection.id, s.cementId, NOX, { fact: [42, 47], note: '两个排口' });
      answer(app, visit.inspection.id, s.manganeseId, CEMS, { fact: true });
      answer(app, visit.inspection.id, s.cementId, TRUCKS, { fact: 85 });
      const before = getInspectionDetail(app, visit.inspection.id);
      closeAppContext(app);

      app = open();
      const reopened = getInspectionDetail(app, visit.inspection.id);
      expect(reopened).toEqual(before);
      expect(reopened.inspection.status).toBe('draft');
      expect(reopened.answers.map((a) => [a.indicatorId, a.fact, a.note])).toEqual([
        [NOX, [42, 47], '两个排口'],
        [CEMS, true, null],
        [TRUCKS, 85, null],
      ]);
      expect(reopened.lastAnswer).toEqual({ processId: s.cementId, indicatorId: TRUCKS });
      expect(listInspections(app, { status: 'draft' }).map((v) => v.id)).toEqual([
        visit.inspection.id,
      ]);
      closeAppContext(app);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('changes a draft’s date, type and processes; a process added later is pinned then', () => {
      const visit = startSiteInspection(ctx, site);
      const updated = updateInspection(
        ctx,
        InspectionUpdateSchema.parse({
          id: visit.inspection.id,
          date: '2025-06-02',
          type: '核查',
          processIds: [site.manganeseId],
        }),
      );
      expect(updated.inspection).toMatchObject({ date: '2025-06-02', type: '核查' });
      expect(updated.processes.map((p) => p.processId)).toEqual([site.manganeseId]);
      // Adding the cement line back brings back its answers and its pin.
      answer(ctx, visit.inspection.id, site.manganeseId, CEMS, { fact: false });
      const back = updateInspection(
        ctx,
        InspectionUpdateSchema.parse({
          id: visit.inspection.id,
          processIds: [site.cementId, site.manganeseId],
        }),
      );
      expect(back.processes.map((p) => p.processId)).toEqual([site.cementId, site.manganeseId]);
      expect(back.processes[0]!.ruleset.hash).toBe(visit.processes[0]!.ruleset.hash);
    });

    it('adds, renames and removes team members of a draft', () => {
      const visit = startSiteInspection(ctx, site, { members: [] });
      const id = visit.inspection.id;
      let detail = saveMember(ctx, { inspectionId: id, name: '王强', role: '监测' });
      const memberId = detail.members[0]!.id;
      detail = saveMember(ctx, { inspectionId: id, memberId, name: '王强', role: '专家' });
      expect(detail.members).toMatchObject([{ name: '王强', role: '专家' }]);
      detail = removeMember(ctx, { inspectionId: id, memberId });
      expect(detail.members).toEqual([]);
    });

    it('discards a draft as a tombstone', () => {
      const visit = startSiteInspection(ctx, site);
      deleteInspection(ctx, visit.inspection.id);
      expect(thrown(() => getInspectionDetail(ctx, visit.inspection.id)).code).toBe('not_found');
      const row = ctx.db.sqlite
        .prepare('SELECT deleted FROM inspections WHERE id = ?')
        .get(visit.inspection.id);
      expect(row).toEqual({ deleted: 1 });
    });
  });

  describe('finalizing', () => {
    it('requires every member’s confirmation, recording who confirmed and when', () => {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      const [zhang, li] = visit.members;
      const err = thrown(() => finalizeInspection(ctx, id));
      expect(err.code).toBe('conflict');
      expect(err.message).toBe(
        '还有成员未确认：张伟（执法）、李静（专家）；每位成员确认后才能定稿',
      );

      const once = confirmInspection(ctx, { inspectionId: id, memberId: zhang!.id });
      expect(once.members[0]!.confirmedAt).toEqual(expect.any(Number));
      expect(thrown(() => finalizeInspection(ctx, id)).message).toContain(
        '还有成员未确认：李静（专家）',
      );

      confirmInspection(ctx, { inspectionId: id, memberId: li!.id });
      const done = finalizeInspection(ctx, id);
      expect(done.inspection.status).toBe('finalized');
      expect(done.inspection.finalizedAt).toEqual(expect.any(Number));
      expect(done.members.every((m) => m.confirmedAt !== null)).toBe(true);
      expect(done.members[0]!.confirmedAt).toBe(once.members[0]!.confirmedAt);
    });

    it('asks everyone to confirm again after a change made since they confirmed', () => {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      answer(ctx, id, site.cementId, NOX, { fact: 60 });
      const detail = getInspectionDetail(ctx, id);
      expect(detail.members.map((m) => m.confirmedAt)).toEqual([null, null]);
      expect(thrown(() => finalizeInspection(ctx, id)).code).toBe('conflict');
    });

    it('refuses to finalize a visit with no team', () => {
      const visit = startSiteInspection(ctx, site, { members: [] });
      expect(thrown(() => finalizeInspection(ctx, visit.inspection.id)).message).toBe(
        '检查组还没有成员，不能确认；请先添加成员',
      );
    });
  });

  describe('a finalized visit', () => {
    function finalized() {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      answer(ctx, id, site.cementId, NOX, { fact: 90, note: '现场读数' });
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      return finalizeInspection(ctx, id);
    }

    it('refuses every edit in the service', () => {
      const visit = finalized();
      const id = visit.inspection.id;
      const memberId = visit.members[0]!.id;
      const before = pendingOpCount(ctx.db);
      const attempts: (() => unknown)[] = [
        () => answer(ctx, id, site.cementId, NOX, { fact: 50 }),
        () => answer(ctx, id, site.cementId, TRUCKS, { note: '补充' }),
        () => saveMember(ctx, { inspectionId: id, name: '王强', role: '监测' }),
        () => saveMember(ctx, { inspectionId: id, memberId, name: '改名', role: '执法' }),
        () => removeMember(ctx, { inspectionId: id, memberId }),
        () => confirmInspection(ctx, { inspectionId: id, memberId }),
        () => updateInspection(ctx, InspectionUpdateSchema.parse({ id, note: '改' })),
        () => finalizeInspection(ctx, id),
      ];
      for (const attempt of attempts) {
        const err = thrown(attempt);
        expect(err.code).toBe('conflict');
        expect(err.message).toBe('检查记录已确认，不能修改；如需更正，请创建修订版本');
      }
      expect(pendingOpCount(ctx.db)).toBe(before);
      expect(getInspectionDetail(ctx, id)).toEqual(visit);
    });

    it('refuses an edit that bypasses the service, by trigger, and rolls its op back too', () => {
      const visit = finalized();
      const before = pendingOpCount(ctx.db);
      const answerId = visit.answers[0]!.id;
      expect(() =>
        writeChanges(ctx.db, ctx.device, (c) =>
          c.update('inspection_answers', answerId, { fact: '50' }),
        ),
      ).toThrow('检查记录已确认，不能修改；如需更正，请创建修订版本');
      expect(() =>
        ctx.db.sqlite
          .prepare(`UPDATE inspections SET note = '事后改动' WHERE id = ?`)
          .run(visit.inspection.id),
      ).toThrow('检查记录已确认');
      expect(pendingOpCount(ctx.db)).toBe(before);
      expect(getInspectionDetail(ctx, visit.inspection.id)).toEqual(visit);
    });
  });

  describe('revisions', () => {
    it('correct a finalized visit with a draft copy naming it; history lists both', () => {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      answer(ctx, id, site.cementId, NOX, { fact: 90, note: '现场读数' });
      answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      const original = finalizeInspection(ctx, id);

      const revision = reviseInspection(ctx, id, '现场复核发现记录有误');
      expect(revision.inspection).toMatchObject({
        status: 'draft',
        revisionOf: id,
        correctionReason: '现场复核发现记录有误',
        date: '2025-06-01',
        type: '帮扶指导',
      });
      expect(revision.inspection.id).not.toBe(id);
      expect(revision.answers.map((a) => [a.indicatorId, a.fact, a.note])).toEqual([
        [NOX, 90, '现场读数'],
        [TRUCKS, 85, null],
      ]);
      expect(revision.members.map((m) => [m.name, m.role, m.confirmedAt])).toEqual([
        ['张伟', '执法', null],
        ['李静', '专家', null],
      ]);
      expect(revision.processes[0]!.ruleset.hash).toBe(original.processes[0]!.ruleset.hash);
      expect(revision.grading.grade).toBe('B');

      // The correction changes the copy, never the original.
      answer(ctx, revision.inspection.id, site.cementId, NOX, { fact: 120 });
      expect(getInspectionDetail(ctx, id).answers[0]!.fact).toBe(90);
      // Asking again continues the correction in progress.
      expect(reviseInspection(ctx, id, '现场复核发现记录有误').inspection.id).toBe(
        revision.inspection.id,
      );

      const history = getInspectionDetail(ctx, revision.inspection.id).history;
      const number = getInspectionDetail(ctx, id).inspection.number;
      expect(history).toEqual([
        { id, number, status: 'finalized', date: '2025-06-01', revisionOf: null },
        {
          id: revision.inspection.id,
          number: revision.inspection.number,
          status: 'draft',
          date: '2025-06-01',
          revisionOf: id,
        },
      ]);
      expect(getInspectionDetail(ctx, id).history).toEqual(history);
      expect(getInspectionDetail(ctx, id).revisedBy).toEqual({
        id: revision.inspection.id,
        number: revision.inspection.number,
        status: 'draft',
        reason: '现场复核发现记录有误',
      });

      const list = listInspections(ctx, { enterpriseId: site.enterpriseId });
      expect(list.map((v) => [v.id, v.status, v.revisionOf, v.grade])).toEqual([
        [revision.inspection.id, 'draft', id, 'C'],
        [id, 'finalized', null, 'B'],
      ]);
    });

    it('are only for finalized visits, and a corrected visit is corrected at its latest revision', () => {
      const visit = startSiteInspection(ctx, site);
      const id = visit.inspection.id;
      expect(thrown(() => reviseInspection(ctx, id, '现场复核发现记录有误')).message).toBe(
        '只有已确认的检查记录需要更正；草稿可以直接修改',
      );
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      finalizeInspection(ctx, id);
      const revision = reviseInspection(ctx, id, '现场复核发现记录有误');
      for (const m of revision.members) {
        confirmInspection(ctx, { inspectionId: revision.inspection.id, memberId: m.id });
      }
      finalizeInspection(ctx, revision.inspection.id);
      expect(thrown(() => reviseInspection(ctx, id, '现场复核发现记录有误')).message).toContain(
        '请在最新的版本上更正',
      );
      const second = reviseInspection(ctx, revision.inspection.id, '现场复核发现记录有误');
      expect(second.history.map((h) => h.id)).toEqual([
        id,
        revision.inspection.id,
        second.inspection.id,
      ]);
    });
  });
});
