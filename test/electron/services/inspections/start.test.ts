/**
 * Starting an inspection (electron/services/inspections/start.ts) and the rulesets it pins for
 * each visited process (pins.ts).
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AppContext,
  closeAppContext,
  openAppContext,
} from '../../../../electron/services/context';
import { getInspectionDetail } from '../../../../electron/services/inspections';
import { createProcess } from '../../../../electron/services/processes';
import { canonicalJson, importRuleset } from '../../../../electron/services/rulesets';
import { pinnedRulesetProblem } from '../../../../shared/canonical-json';
import { ProcessDraftSchema } from '../../../../shared/domain/process';
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

  describe('starting a visit', () => {
    it('starts a draft with its date, type, team and processes, each pinned to its ruleset', () => {
      const visit = startSiteInspection(ctx, site, {
        processIds: [site.cementId, site.manganeseId],
      });
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

    it('visits a process that has no ruleset with the 通用帮扶检查表 (see inspections/general.test.ts)', () => {
      const bare = createProcess(
        ctx,
        ProcessDraftSchema.parse({
          enterpriseId: site.enterpriseId,
          industryCode: 'cement',
          branch: '粉磨站',
          name: '2#粉磨站',
        }),
      );
      const visit = startSiteInspection(ctx, site, { processIds: [site.cementId, bare.id] });
      expect(visit.processes.map((p) => [p.label, p.ruleset.id, p.ruleset.general])).toEqual([
        ['1#熟料线', 'cement-clinker', false],
        ['2#粉磨站', 'general-a-b-c-d', true],
      ]);
    });

    it('refuses a process of another enterprise', () => {
      const other = createSite(ctx, '宁夏另一家水泥有限公司');
      const err = thrown(() => startSiteInspection(ctx, site, { processIds: [other.cementId] }));
      expect(err.message).toContain('该企业没有编号为');
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
      const old = startSiteInspection(ctx, site);
      answer(ctx, old.inspection.id, site.cementId, NOX, { fact: 90 });
      answer(ctx, old.inspection.id, site.cementId, TRUCKS, { fact: 85 });
      expect(getInspectionDetail(ctx, old.inspection.id).grading.processes[0]!.grade).toBe('B');

      const { entry } = importRuleset(ctx, corrected());
      expect(entry.hash).not.toBe(old.processes[0]!.ruleset.hash);

      const after = getInspectionDetail(ctx, old.inspection.id);
      expect(after.processes[0]!.ruleset.hash).toBe(old.processes[0]!.ruleset.hash);
      expect(after.grading.processes[0]).toMatchObject({ grade: 'B', unverified: true });

      // A visit started now pins the corrected edition, where 90 misses B's new limit of 80.
      const fresh = startSiteInspection(ctx, site);
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
      const visit = startSiteInspection(ctx, site, {
        processIds: [site.cementId, site.manganeseId],
      });
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
      const e = thrown(() => startSiteInspection(ctx, site));
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
      const visit = startSiteInspection(app, s);
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
});
