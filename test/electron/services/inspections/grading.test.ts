/**
 * Live grading of a draft inspection (electron/services/inspections/grading.ts).
 */

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppContext, closeAppContext } from '../../../../electron/services/context';
import { getInspectionDetail } from '../../../../electron/services/inspections';
import { updateProcess } from '../../../../electron/services/processes';
import { ProcessDraftSchema } from '../../../../shared/domain/process';
import { createTestContext } from '../../../helpers/context';
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

  describe('live grading', () => {
    it('moves the grade and the gaps to the target as a reading crosses a limit', () => {
      const visit = startSiteInspection(ctx, site);
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
      const visit = startSiteInspection(ctx, site, {
        processIds: [site.cementId, site.manganeseId],
      });
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
      const visit = startSiteInspection(ctx, site, {
        processIds: [site.cementId, site.manganeseId],
      });
      expect(visit.grading.processes.map((p) => p.unverified)).toEqual([true, false]);
      expect(visit.grading.unverified).toBe(true);
      const verifiedOnly = startSiteInspection(ctx, site, { processIds: [site.manganeseId] });
      expect(verifiedOnly.grading.unverified).toBe(false);
    });

    it('says so when the target grade is not one of the pinned ruleset’s grades', () => {
      const visit = startSiteInspection(ctx, site, { processIds: [site.manganeseId] });
      ctx.db.sqlite
        .prepare(`UPDATE enterprise_processes SET target_grade = 'A' WHERE id = ?`)
        .run(site.manganeseId);
      const p = getInspectionDetail(ctx, visit.inspection.id).grading.processes[0]!;
      expect(p.gapsToTarget).toBeNull();
      expect(p.problem).toBe('目标等级“A”不是电解锰分级指标（2020 版）的等级（引领性、非引领性）');
    });

    it('takes the target from the process, so a new target shows its gaps at once', () => {
      const visit = startSiteInspection(ctx, site);
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
});
