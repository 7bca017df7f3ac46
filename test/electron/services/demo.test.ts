import { describe, expect, it } from 'vitest';

import { sniffMimeType } from '../../../electron/services/attachments';
import {
  demoEnterprises,
  demoProcesses,
  fillDemo,
  seededRandom,
} from '../../../electron/services/demo';
import {
  getInspectionDetail,
  listInspections,
  readEvidence,
} from '../../../electron/services/inspections';
import { getPlan, listPlans } from '../../../electron/services/plans';
import { listPublications } from '../../../electron/services/publications';
import { listApplications } from '../../../electron/services/reviews';
import { officialGradeOf } from '../../../db/repositories/reviews/grade-events';
import { readSyncSettings } from '../../../db/repositories/sync';
import { ApplicationListSchema } from '../../../shared/api/contract';
import { getProcess } from '../../../electron/services/processes';
import { readCatalog, shippedRulesets } from '../../../electron/services/rulesets';
import { checkCreditCode } from '../../../shared/domain/credit-code';
import { checkProcessAgainstCatalog } from '../../../shared/domain/process';
import { CITIES } from '../../../shared/domain/regions';
import { closeAppContext, createTestContext } from '../../helpers/context';

describe('demoEnterprises()', () => {
  it('is the same for the same seed', () => {
    expect(demoEnterprises(50, 7)).toEqual(demoEnterprises(50, 7));
  });

  it('gives every county at least one enterprise', () => {
    const drafts = demoEnterprises(40);
    for (const city of CITIES) {
      for (const county of city.counties) {
        expect(drafts.some((d) => d.countyCode === county.code)).toBe(true);
      }
    }
    expect(drafts.some((d) => d.cityCode === 'NINGDONG')).toBe(true);
  });

  it('makes unique names and valid, unique credit codes', () => {
    const drafts = demoEnterprises(2000);
    expect(new Set(drafts.map((d) => d.name)).size).toBe(2000);
    const codes = drafts.flatMap((d) => (d.creditCode ? [d.creditCode] : []));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => checkCreditCode(c).ok)).toBe(true);
  });
});

describe('demoProcesses()', () => {
  it('gives every demo enterprise processes the catalogue accepts, with a target better than now', () => {
    const catalog = readCatalog();
    const library = new Map(shippedRulesets().map((e) => [e.ruleset.id, e.ruleset]));
    const brief = (id: string) => {
      const r = library.get(id);
      return (
        r && {
          industry: r.industry,
          ...(r.branch ? { branch: r.branch } : {}),
          grades: r.grades.map((g) => g.grade),
        }
      );
    };
    const rand = seededRandom(1);
    const id = '01900000-0000-7000-8000-000000000001';
    let crossIndustry = 0;
    for (const d of demoEnterprises(300)) {
      const processes = demoProcesses(rand, id, d.name, catalog, (x) => brief(x)?.grades);
      expect(processes.length).toBeGreaterThan(0);
      if (processes.length > 1) crossIndustry++;
      for (const p of processes) {
        expect(checkProcessAgainstCatalog(p, catalog, brief)).toEqual([]);
        expect(p.currentGrade).not.toBe(p.targetGrade);
      }
    }
    expect(crossIndustry).toBeGreaterThan(20);
  });
});

describe('fillDemo()', () => {
  it('adds a few site visits with answers, generated photos and one violation', () => {
    const ctx = createTestContext({ resources: 'shipped' });
    try {
      const result = fillDemo(ctx, { enterprises: 120, seed: 11 });
      expect(result.inspections).toBeGreaterThan(2);
      const visits = listInspections(ctx, {});
      expect(visits).toHaveLength(result.inspections);
      expect(visits.some((v) => v.status === 'finalized')).toBe(true);
      expect(visits.some((v) => v.status === 'draft')).toBe(true);
      for (const v of visits) {
        const detail = getInspectionDetail(ctx, v.id);
        expect(detail.answers.length).toBeGreaterThan(0);
        expect(detail.grading.grade).not.toBeNull();
        expect(detail.evidence).toHaveLength(2);
        for (const e of detail.evidence) {
          const { data } = readEvidence(ctx, e.id);
          expect(sniffMimeType(data)).toBe('image/png');
        }
      }
      // The panorama is the same file on every visit: stored once.
      const panoramas = new Set(
        visits.map((v) => getInspectionDetail(ctx, v.id).evidence[0]!.sha256),
      );
      expect(panoramas.size).toBe(1);
      expect(visits.filter((v) => v.lockedUntil !== null)).toHaveLength(1);
    } finally {
      closeAppContext(ctx);
    }
  });

  it('includes visits with the 通用帮扶检查表 in several industries, judged, with problems drafted into plans', () => {
    const ctx = createTestContext({ resources: 'shipped' });
    try {
      fillDemo(ctx, { enterprises: 120, seed: 11 });
      const general = listInspections(ctx, {})
        .map((v) => getInspectionDetail(ctx, v.id))
        .filter((d) => d.processes.every((p) => p.ruleset.general));
      expect(general).toHaveLength(4);
      expect(new Set(general.map((d) => d.processes[0]!.industryCode)).size).toBe(4);
      for (const d of general) {
        expect(d.grading.processes.every((p) => p.judged && p.grade !== null)).toBe(true);
        expect(d.answers.every((a) => a.note !== null)).toBe(true);
        expect(d.answers.some((a) => a.readings.length > 0)).toBe(true);
      }
      const finalized = general.filter((d) => d.inspection.status === 'finalized');
      expect(finalized).toHaveLength(3);
      const problems = finalized.flatMap((d) => d.answers.flatMap((a) => a.problems));
      expect(problems.length).toBeGreaterThan(0);
      const measures = listPlans(ctx, {})
        .filter((p) => finalized.some((d) => d.inspection.enterpriseId === p.enterpriseId))
        .flatMap((p) => getPlan(ctx, { id: p.id })!.content.measures.map((m) => m.current));
      expect(measures).toEqual(expect.arrayContaining([problems[0]]));
    } finally {
      closeAppContext(ctx);
    }
  });

  it('drafts a plan for every enterprise with a finalized visit, some in each of 草稿, 专家审定 and 企业确认', () => {
    const ctx = createTestContext({ resources: 'shipped' });
    try {
      const result = fillDemo(ctx, { enterprises: 120, seed: 11 });
      const finalized = new Set(
        listInspections(ctx, { status: 'finalized' }).map((v) => v.enterpriseId),
      );
      const plans = listPlans(ctx, {});
      expect(result.plans).toBe(finalized.size);
      expect(new Set(plans.map((p) => p.enterpriseId))).toEqual(finalized);
      expect(new Set(plans.map((p) => p.status))).toEqual(
        new Set(['草稿', '专家审定', '企业确认']),
      );
      const confirmed = plans.filter((p) => p.status === '企业确认');
      expect(confirmed.some((p) => p.measures > 0)).toBe(true);
      for (const summary of confirmed) {
        const plan = getPlan(ctx, { id: summary.id })!;
        expect(plan.plan.confirmed?.version).toBe(plan.plan.currentVersion);
        const withMeasures = new Set(plan.content.measures.map((m) => m.processId));
        for (const processId of withMeasures) {
          const process = getProcess(ctx, processId!);
          expect(process.improvements).not.toBeNull();
          expect(process.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }
    } finally {
      closeAppContext(ctx);
    }
  });

  it('puts applications at every step of review, lists a 保障类 enterprise, publishes the region’s list and leaves the device logged out', () => {
    const ctx = createTestContext({ resources: 'shipped' });
    try {
      const result = fillDemo(ctx, { enterprises: 120, seed: 11 });
      const page = listApplications(ctx, ApplicationListSchema.parse({ limit: 50 }));
      expect(result.applications).toBe(page.total);
      expect(new Set(page.items.map((a) => a.status))).toEqual(
        new Set(['待初审', '待复审', '待评定', '退回补充', '已通过', '不予通过']),
      );
      expect(page.items.some((a) => a.kind === '保障类' && a.status === '已通过')).toBe(true);
      const approved = page.items.find((a) => a.kind === '等级' && a.status === '已通过')!;
      expect(officialGradeOf(ctx.db, approved.enterpriseId, null).grade).toBe(approved.targetGrade);
      expect(result.publications).toBe(1);
      const [edition] = listPublications(ctx, { scope: 'region' });
      expect(edition?.edition).toBe(1);
      expect(edition?.rowCount).toBeGreaterThan(0);
      const settings = readSyncSettings(ctx.db);
      expect(settings.token).toBeNull();
      expect(settings.user).toBeNull();
    } finally {
      closeAppContext(ctx);
    }
  });
});
