import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../db/repositories/device';
import { closeAppContext, type AppContext } from '../../../electron/services/context';
import {
  confirmInspection,
  deleteInspection,
  finalizeInspection,
  getInspectionDetail,
  listInspections,
  reviseInspection,
} from '../../../electron/services/inspections';
import { draftPlanFor } from '../../../electron/services/plans';
import {
  cityShortName,
  deviceTag,
  findInspectionsByNumber,
  findPlansByNumber,
  legacyRecordNumber,
} from '../../../electron/services/record-numbers';
import { createTestContext } from '../../helpers/context';
import { answer, createSite, NOX, startSiteInspection, type Site } from '../../helpers/inspections';

function finalize(ctx: AppContext, id: string): void {
  for (const m of getInspectionDetail(ctx, id).members) {
    confirmInspection(ctx, { inspectionId: id, memberId: m.id });
  }
  finalizeInspection(ctx, id);
}

describe('record numbers', () => {
  let ctx: AppContext;
  let site: Site;
  let tag: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    tag = deviceTag(ctx.device.deviceId);
  });
  afterEach(() => closeAppContext(ctx));

  it('names the city without 市, and 宁东 for the base', () => {
    expect(cityShortName('6401')).toBe('银川');
    expect(cityShortName('6402')).toBe('石嘴山');
    expect(cityShortName('NINGDONG')).toBe('宁东');
  });

  it('tags a device with four characters that stay the same and avoid I, L, O and U', () => {
    expect(deviceTag(ctx.device.deviceId)).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(deviceTag(ctx.device.deviceId)).toBe(tag);
    expect(deviceTag('0190a2b4-0000-7000-8000-000000000002')).not.toBe(tag);
  });

  it('numbers visits in the city and year of the visit, counting up on this device', () => {
    const first = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    const second = startSiteInspection(ctx, site, { date: '2026-03-02' }).inspection;
    const lastYear = startSiteInspection(ctx, site, { date: '2025-12-30' }).inspection;
    expect(first.number).toBe(`银川-2026-0001-${tag}`);
    expect(second.number).toBe(`银川-2026-0002-${tag}`);
    expect(lastYear.number).toBe(`银川-2025-0001-${tag}`);
  });

  it('counts visits and plans of one city apart from another city', () => {
    const other = createSite(ctx, '宁夏某某水泥有限公司');
    ctx.db.sqlite
      .prepare("UPDATE enterprises SET city_code = '6402' WHERE id = ?")
      .run(other.enterpriseId);
    startSiteInspection(ctx, site, { date: '2026-03-01' });
    const there = startSiteInspection(ctx, other, { date: '2026-03-01' });
    expect(there.inspection.number).toBe(`石嘴山-2026-0001-${tag}`);
  });

  it('never gives a deleted visit’s number again', () => {
    const first = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    deleteInspection(ctx, first.id);
    expect(startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection.number).toBe(
      `银川-2026-0002-${tag}`,
    );
  });

  it('writes the number in the op that makes the visit, so it travels with it', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    const made = listOutbox(ctx.db).find(
      (op) => op.table === 'inspections' && op.rowId === visit.id,
    );
    expect(made?.values.number).toBe(visit.number);
  });

  it('gives a correction a number of its own and keeps the finalized one’s', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    answer(ctx, visit.id, site.cementId, NOX, { fact: 40 });
    finalize(ctx, visit.id);
    const correction = reviseInspection(ctx, visit.id, '现场复核发现记录有误').inspection;
    expect(correction.number).toBe(`银川-2026-0002-${tag}`);
    expect(getInspectionDetail(ctx, visit.id).inspection.number).toBe(visit.number);
  });

  it('refuses to change a number once written, in the database itself', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    expect(() =>
      ctx.db.sqlite.prepare("UPDATE inspections SET number = 'x' WHERE id = ?").run(visit.id),
    ).toThrow('记录编号写入后不能修改');
  });

  it('numbers a plan in the same sequence as the visits, so a number names one record', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    answer(ctx, visit.id, site.cementId, NOX, { fact: 40 });
    finalize(ctx, visit.id);
    const plan = draftPlanFor(ctx, { enterpriseId: site.enterpriseId }).plan;
    // The test clock stands in late November 2026.
    expect(plan.number).toBe(`银川-2026-0002-${tag}`);
    expect(findPlansByNumber(ctx.db, plan.number)).toEqual([plan.id]);
  });

  it('finds a visit by its number, in any letter case', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    expect(findInspectionsByNumber(ctx.db, visit.number.toLowerCase())).toEqual([visit.id]);
    expect(findInspectionsByNumber(ctx.db, `银川-2026-0099-${tag}`)).toEqual([]);
  });

  it('shows a visit made before numbers a number derived from its id, and finds it by that', () => {
    const visit = startSiteInspection(ctx, site, { date: '2026-03-01' }).inspection;
    // A row as an older app wrote it: no number (the trigger allows clearing none but NULL → NULL).
    ctx.db.sqlite.exec('DROP TRIGGER inspections_number_immutable');
    ctx.db.sqlite.prepare('UPDATE inspections SET number = NULL WHERE id = ?').run(visit.id);
    const legacy = legacyRecordNumber(visit.id, '2026');
    expect(legacy).toMatch(/^宁夏-2026-[0-9A-Z]{6}$/);
    expect(getInspectionDetail(ctx, visit.id).inspection.number).toBe(legacy);
    expect(listInspections(ctx, { enterpriseId: site.enterpriseId })[0]?.number).toBe(legacy);
    expect(findInspectionsByNumber(ctx.db, legacy)).toEqual([visit.id]);
  });
});
