import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../../db/changes';
import { listOutbox, pendingOpCount } from '../../../db/repositories/device';
import {
  closeAppContext,
  openAppContext,
  type AppContext,
} from '../../../electron/services/context';
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
} from '../../../electron/services/inspections';
import { createProcess, updateProcess } from '../../../electron/services/processes';
import { canonicalJson, importRuleset } from '../../../electron/services/rulesets';
import { pinnedRulesetProblem } from '../../../shared/canonical-json';
import { InspectionUpdateSchema } from '../../../shared/domain/inspection';
import { ProcessDraftSchema } from '../../../shared/domain/process';
import {
  createTestContext,
  FIXTURE_RESOURCES,
  sequentialIds,
  steppingClock,
  tempDir,
} from '../../helpers/context';
import { thrown } from '../../helpers/errors';
import {
  answer,
  CEMS,
  createSite,
  NOX,
  startVisit,
  TRUCKS,
  type Site,
} from '../../helpers/inspections';

describe('inspection services', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  describe('starting a visit', () => {
    it('starts a draft with its date, type, team and processes, each pinned to its ruleset', () => {
      const visit = startVisit(ctx, site, { processIds: [site.cementId, site.manganeseId] });
      expect(visit.inspection).toMatchObject({
        enterpriseId: site.enterpriseId,
        date: '2025-06-01',
        type: '帮扶指导',
        status: 'draft',
        revisionOf: null,
        finalizedAt: null,
      });
      expect(visit.enterpriseName).toBe('宁夏瑞泰水泥有限公司');
      expect(visit.members.map((m) => [m.name, m.role, m.confirmedAt])).toEqual([
        ['张伟', '执法', null],
        ['李静', '专家', null],
      ]);
      expect(visit.processes.map((p) => [p.label, p.ruleset.id, p.ruleset.edition])).toEqual([
        ['1#熟料线', 'cement-clinker', '2020'],
        ['铁合金（电解锰）', 'manganese-leading', '2020'],
      ]);
      expect(visit.processes[0]!.ruleset.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(visit.processes[0]!.ruleset.ruleset?.indicators.map((i) => i.id)).toEqual([
        NOX,
        TRUCKS,
      ]);
    });

    it('visits a process that has no ruleset with the 通用帮扶检查表 (see inspections-general.test.ts)', () => {
      const bare = createProcess(
        ctx,
        ProcessDraftSchema.parse({
          enterpriseId: site.enterpriseId,
          industryCode: 'cement',
          branch: '粉磨站',
          name: '2#粉磨站',
        }),
      );
      const visit = startVisit(ctx, site, { processIds: [site.cementId, bare.id] });
      expect(visit.processes.map((p) => [p.label, p.ruleset.id, p.ruleset.general])).toEqual([
        ['1#熟料线', 'cement-clinker', false],
        ['2#粉磨站', 'general-a-b-c-d', true],
      ]);
    });

    it('refuses a process of another enterprise', () => {
      const other = createSite(ctx, '宁夏另一家水泥有限公司');
      const err = thrown(() => startVisit(ctx, site, { processIds: [other.cementId] }));
      expect(err.message).toContain('该企业没有编号为');
    });
  });

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
      const visit = startVisit(app, s, { processIds: [s.cementId, s.manganeseId] });
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
      const visit = startVisit(ctx, site);
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
      const visit = startVisit(ctx, site, { members: [] });
      const id = visit.inspection.id;
      let detail = saveMember(ctx, { inspectionId: id, name: '王强', role: '监测' });
      const memberId = detail.members[0]!.id;
      detail = saveMember(ctx, { inspectionId: id, memberId, name: '王强', role: '专家' });
      expect(detail.members).toMatchObject([{ name: '王强', role: '专家' }]);
      detail = removeMember(ctx, { inspectionId: id, memberId });
      expect(detail.members).toEqual([]);
    });

    it('discards a draft as a tombstone', () => {
      const visit = startVisit(ctx, site);
      deleteInspection(ctx, visit.inspection.id);
      expect(thrown(() => getInspectionDetail(ctx, visit.inspection.id)).code).toBe('not_found');
      const row = ctx.db.sqlite
        .prepare('SELECT deleted FROM inspections WHERE id = ?')
        .get(visit.inspection.id);
      expect(row).toEqual({ deleted: 1 });
    });
  });

  describe('autosave', () => {
    it('saves one answer in one transaction that records only what changed', () => {
      const visit = startVisit(ctx, site);
      const id = visit.inspection.id;
      const ops = () => listOutbox(ctx.db, 0, 10_000);
      const start = ops().length;

      const first = answer(ctx, id, site.cementId, NOX, { fact: 85 });
      expect(first.changed).toBe(true);
      expect(ops().slice(start)).toHaveLength(1);
      expect(ops().at(-1)).toMatchObject({
        table: 'inspection_answers',
        rowId: first.answer!.id,
        values: {
          inspectionId: id,
          indicatorId: NOX,
          fact: '85',
          note: null,
        },
      });

      // The same value again: nothing written, no op.
      const same = answer(ctx, id, site.cementId, NOX, { fact: 85 });
      expect(same.changed).toBe(false);
      expect(ops().slice(start)).toHaveLength(1);

      // Only the note: the op carries only the note.
      answer(ctx, id, site.cementId, NOX, { note: '窑尾 CEMS 小时均值' });
      expect(ops().at(-1)).toMatchObject({
        rowId: first.answer!.id,
        values: { note: '窑尾 CEMS 小时均值' },
      });
      expect(Object.keys(ops().at(-1)!.values)).toEqual(['note']);

      // Several readings replace the one; then clearing the fact makes it unknown again.
      answer(ctx, id, site.cementId, NOX, { fact: [85, 92] });
      expect(ops().at(-1)!.values).toEqual({ fact: '[85,92]' });
      const cleared = answer(ctx, id, site.cementId, NOX, { fact: null });
      expect(ops().at(-1)!.values).toEqual({ fact: null });
      expect(cleared.answer).toMatchObject({ fact: null, note: '窑尾 CEMS 小时均值' });
      expect(ops().slice(start)).toHaveLength(4);
    });

    it('accepts "n/a" for an indicator that does not apply to the site', () => {
      const visit = startVisit(ctx, site);
      const saved = answer(ctx, visit.inspection.id, site.cementId, TRUCKS, { fact: 'n/a' });
      expect(saved.answer?.fact).toBe('n/a');
      // n/a meets every requirement: B now lacks only the NOx reading.
      expect(saved.grading.processes[0]!.gapsToTarget?.map((g) => g.indicatorId)).toEqual([NOX]);
    });
  });

  describe('answers are checked against the pinned ruleset', () => {
    it('refuses a word where a reading belongs, naming the indicator, and writes nothing', () => {
      const visit = startVisit(ctx, site);
      const before = pendingOpCount(ctx.db);
      const err = thrown(() =>
        answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: '很低' }),
      );
      expect(err.code).toBe('invalid_input');
      expect(err.message).toBe(
        '指标“窑尾氮氧化物排放浓度”（emission.kiln-tail.nox）读数：“很低”不是数值，请填写数字（如 42.5），未保存，原有的值保留不变',
      );
      expect(err.issues).toEqual([{ path: 'fact', message: err.message }]);
      const among = thrown(() =>
        answer(ctx, visit.inspection.id, site.cementId, NOX, { fact: [42, '偏高'] }),
      );
      expect(among.message).toBe(
        '指标“窑尾氮氧化物排放浓度”（emission.kiln-tail.nox）第 2 个读数：“偏高”不是数值，请填写数字（如 42.5），未保存，原有的值保留不变',
      );
      expect(pendingOpCount(ctx.db)).toBe(before);
    });

    it('refuses yes/no answers that are not yes or no, and indicators the ruleset lacks', () => {
      const visit = startVisit(ctx, site, { processIds: [site.manganeseId] });
      const id = visit.inspection.id;
      expect(thrown(() => answer(ctx, id, site.manganeseId, CEMS, { fact: 1 })).message).toContain(
        '指标“CEMS 联网”（monitoring.cems）应为 true、false 或 "n/a"',
      );
      expect(thrown(() => answer(ctx, id, site.manganeseId, NOX, { fact: 1 })).message).toBe(
        `指标体系 manganese-leading（2020 版）中没有指标 ${NOX}`,
      );
      expect(thrown(() => answer(ctx, id, site.cementId, NOX, { fact: 1 })).code).toBe('not_found');
    });
  });

  describe('live grading', () => {
    it('moves the grade and the gaps to the target as a reading crosses a limit', () => {
      const visit = startVisit(ctx, site);
      const id = visit.inspection.id;
      const cement = () => getInspectionDetail(ctx, id).grading.processes[0]!;

      expect(cement()).toMatchObject({ grade: 'D', targetGrade: 'B', reachesTarget: false });
      expect(cement().gapsToTarget).toEqual([
        {
          indicatorId: NOX,
          title: '窑尾氮氧化物排放浓度',
          dimension: '排放限值',
          kind: 'max',
          unit: 'mg/m³',
          status: 'unknown',
          required: 100,
          actual: null,
        },
        expect.objectContaining({ indicatorId: TRUCKS, status: 'unknown', required: 80 }),
      ]);

      answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
      expect(cement().grade).toBe('C');
      expect(cement().gapsToTarget?.map((g) => g.indicatorId)).toEqual([NOX]);

      const reached = answer(ctx, id, site.cementId, NOX, { fact: [90, 100] });
      expect(reached.grading.processes[0]).toMatchObject({
        grade: 'B',
        reachesTarget: true,
        gapsToTarget: [],
        answered: 2,
        indicators: 2,
      });
      expect(reached.grading.grade).toBe('B');
      // The next grade still shows its gaps: NOx over 50 and trucks under 100.
      expect(reached.grading.processes[0]!.gaps.A?.map((g) => [g.indicatorId, g.status])).toEqual([
        [NOX, 'unmet'],
        [TRUCKS, 'unmet'],
      ]);

      const crossed = answer(ctx, id, site.cementId, NOX, { fact: [90, 100.5] });
      expect(crossed.grading.processes[0]).toMatchObject({ grade: 'C', reachesTarget: false });
      expect(crossed.grading.processes[0]!.gapsToTarget).toEqual([
        expect.objectContaining({
          indicatorId: NOX,
          title: '窑尾氮氧化物排放浓度',
          dimension: '排放限值',
          status: 'unmet',
          required: 100,
          actual: [90, 100.5],
        }),
      ]);
    });

    it('grades the enterprise as the worst of its visited processes (短板原则)', () => {
      const visit = startVisit(ctx, site, { processIds: [site.cementId, site.manganeseId] });
      const id = visit.inspection.id;
      answer(ctx, id, site.cementId, NOX, { fact: 40 });
      answer(ctx, id, site.cementId, TRUCKS, { fact: 100 });
      let grading = answer(ctx, id, site.manganeseId, CEMS, { fact: false }).grading;
      expect(grading.processes.map((p) => p.grade)).toEqual(['A', '非引领性']);
      expect(grading.grade).toBe('非引领性');
      grading = answer(ctx, id, site.manganeseId, CEMS, { fact: true }).grading;
      expect(grading.grade).toBe('A');
    });

    it('marks grades from a draft ruleset as 指标待核实, and not those from a verified one', () => {
      const visit = startVisit(ctx, site, { processIds: [site.cementId, site.manganeseId] });
      expect(visit.grading.processes.map((p) => p.unverified)).toEqual([true, false]);
      expect(visit.grading.unverified).toBe(true);
      const verifiedOnly = startVisit(ctx, site, { processIds: [site.manganeseId] });
      expect(verifiedOnly.grading.unverified).toBe(false);
    });

    it('says so when the target grade is not one of the pinned ruleset’s grades', () => {
      const visit = startVisit(ctx, site, { processIds: [site.manganeseId] });
      ctx.db.sqlite
        .prepare(`UPDATE enterprise_processes SET target_grade = 'A' WHERE id = ?`)
        .run(site.manganeseId);
      const p = getInspectionDetail(ctx, visit.inspection.id).grading.processes[0]!;
      expect(p.gapsToTarget).toBeNull();
      expect(p.problem).toBe('目标等级“A”不是电解锰分级指标（2020 版）的等级（引领性、非引领性）');
    });

    it('takes the target from the process, so a new target shows its gaps at once', () => {
      const visit = startVisit(ctx, site);
      answer(ctx, visit.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      updateProcess(
        ctx,
        site.cementId,
        ProcessDraftSchema.parse({
          enterpriseId: site.enterpriseId,
          industryCode: 'cement',
          branch: '水泥熟料',
          name: '1#熟料线',
          rulesetId: 'cement-clinker',
          currentGrade: 'C',
          targetGrade: 'A',
        }),
      );
      const p = getInspectionDetail(ctx, visit.inspection.id).grading.processes[0]!;
      expect(p.targetGrade).toBe('A');
      expect(p.gapsToTarget?.map((g) => [g.indicatorId, g.status, g.required])).toEqual([
        [NOX, 'unknown', 50],
        [TRUCKS, 'unmet', 100],
      ]);
    });
  });

  describe('pinned rulesets', () => {
    const corrected = () => {
      const raw = JSON.parse(
        fs.readFileSync(path.join(FIXTURE_RESOURCES, 'rulesets', 'cement-clinker.json'), 'utf8'),
      ) as { status: string; indicators: { require: Record<string, number> }[] };
      raw.status = 'verified';
      raw.indicators[0]!.require.B = 80;
      return raw;
    };

    it('keep grading an old visit with its pinned content after a corrected edition is imported', () => {
      const old = startVisit(ctx, site);
      answer(ctx, old.inspection.id, site.cementId, NOX, { fact: 90 });
      answer(ctx, old.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      expect(getInspectionDetail(ctx, old.inspection.id).grading.processes[0]!.grade).toBe('B');

      const { entry } = importRuleset(ctx, corrected());
      expect(entry.hash).not.toBe(old.processes[0]!.ruleset.hash);

      const after = getInspectionDetail(ctx, old.inspection.id);
      expect(after.processes[0]!.ruleset.hash).toBe(old.processes[0]!.ruleset.hash);
      expect(after.grading.processes[0]).toMatchObject({ grade: 'B', unverified: true });

      // A visit started now pins the corrected edition, where 90 misses B's new limit of 80.
      const fresh = startVisit(ctx, site);
      expect(fresh.processes[0]!.ruleset.hash).toBe(entry.hash);
      answer(ctx, fresh.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      const graded = answer(ctx, fresh.inspection.id, site.cementId, NOX, { fact: 90 }).grading;
      expect(graded.processes[0]).toMatchObject({ grade: 'C', unverified: false });
      expect(graded.processes[0]!.gapsToTarget).toEqual([
        expect.objectContaining({ indicatorId: NOX, required: 80, actual: 90 }),
      ]);
    });

    it('pin content that passes the check every device and the store make: id = SHA-256 of it', () => {
      const { entry } = importRuleset(ctx, corrected());
      const visit = startVisit(ctx, site, { processIds: [site.cementId, site.manganeseId] });
      const pins = ctx.db.sqlite.prepare('SELECT id, json FROM pinned_rulesets').all() as {
        id: string;
        json: string;
      }[];
      expect(pins.map((p) => p.id).sort()).toEqual(
        visit.processes.map((p) => p.ruleset.hash).sort(),
      );
      expect(pins.map((p) => p.id)).toContain(entry.hash);
      const sha256 = (t: string) => crypto.createHash('sha256').update(t).digest('hex');
      for (const p of pins) expect(pinnedRulesetProblem(p.id, p.json, sha256)).toBeNull();
    });

    it('refuse to pin a library ruleset whose content is not what its id names', () => {
      const { entry } = importRuleset(ctx, corrected());
      // A row as a device pulled it before devices checked: its content changed under its id.
      const forged = corrected();
      forged.indicators[0]!.require.B = 1000;
      ctx.db.sqlite
        .prepare('UPDATE rulesets SET json = ? WHERE id = ?')
        .run(canonicalJson(forged), entry.hash);
      const e = thrown(() => startVisit(ctx, site));
      expect(e).toMatchObject({ code: 'invalid_input' });
      expect(e.message).toContain('水泥熟料分级指标内容与其编号不符，可能被篡改');
      expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM pinned_rulesets').get()).toEqual({
        n: 0,
      });
    });

    it('keep grading an old visit after the app ships a changed ruleset under the same edition', () => {
      const dir = tempDir();
      const file = path.join(dir, 'uplift.db');
      const resources = path.join(dir, 'resources');
      fs.cpSync(FIXTURE_RESOURCES, resources, { recursive: true });
      const open = () =>
        openAppContext({
          dataDir: dir,
          databaseFile: file,
          mode: 'cli',
          now: steppingClock(),
          newId: sequentialIds('01900000-0000-7000-a000-'),
          resourcesDir: resources,
        });
      let app = open();
      const s = createSite(app);
      const visit = startVisit(app, s);
      answer(app, visit.inspection.id, s.cementId, NOX, { fact: 90 });
      answer(app, visit.inspection.id, s.cementId, TRUCKS, { fact: 85 });
      closeAppContext(app);

      // The next version of the app ships a corrected table with the same id and edition.
      fs.writeFileSync(
        path.join(resources, 'rulesets', 'cement-clinker.json'),
        JSON.stringify(corrected()),
      );
      app = open();
      const detail = getInspectionDetail(app, visit.inspection.id);
      expect(detail.grading.processes[0]).toMatchObject({ grade: 'B', unverified: true });
      expect(detail.processes[0]!.ruleset.ruleset?.indicators[0]!.require.B).toBe(100);
      closeAppContext(app);
    });
  });

  describe('finalizing', () => {
    it('requires every member’s confirmation, recording who confirmed and when', () => {
      const visit = startVisit(ctx, site);
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
      const visit = startVisit(ctx, site);
      const id = visit.inspection.id;
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      answer(ctx, id, site.cementId, NOX, { fact: 60 });
      const detail = getInspectionDetail(ctx, id);
      expect(detail.members.map((m) => m.confirmedAt)).toEqual([null, null]);
      expect(thrown(() => finalizeInspection(ctx, id)).code).toBe('conflict');
    });

    it('refuses to finalize a visit with no team', () => {
      const visit = startVisit(ctx, site, { members: [] });
      expect(thrown(() => finalizeInspection(ctx, visit.inspection.id)).message).toBe(
        '检查组还没有成员，不能确认；请先添加成员',
      );
    });
  });

  describe('a finalized visit', () => {
    function finalized() {
      const visit = startVisit(ctx, site);
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
      const visit = startVisit(ctx, site);
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
      const visit = startVisit(ctx, site);
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

  describe('an enterprise’s visits over time', () => {
    it('lists each visit with its date, type, status and computed grade, newest first', () => {
      const first = startVisit(ctx, site, { date: '2025-03-01', type: '核查' });
      answer(ctx, first.inspection.id, site.cementId, TRUCKS, { fact: 60 });
      const second = startVisit(ctx, site, { date: '2025-09-01', type: '复核' });
      answer(ctx, second.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      answer(ctx, second.inspection.id, site.cementId, NOX, { fact: 80 });
      for (const m of second.members) {
        confirmInspection(ctx, { inspectionId: second.inspection.id, memberId: m.id });
      }
      finalizeInspection(ctx, second.inspection.id);
      const other = createSite(ctx, '宁夏另一家水泥有限公司');
      startVisit(ctx, other);

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
