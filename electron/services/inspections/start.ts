/**
 * Starting an inspection: a draft with its record number, its team, and each visited process
 * pinned to its current ruleset.
 */

import { writeChanges } from '../../../db/changes';
import { getEnterprise } from '../../../db/repositories/enterprises';
import { insertInspection, insertMember } from '../../../db/repositories/inspections';
import { AppError } from '../../../shared/api/errors';
import type { InspectionDetail, InspectionStart } from '../../../shared/domain/inspection';
import type { AppContext } from '../context';
import { nextRecordNumber } from '../record-numbers';
import { getInspectionDetail } from './list';
import { addInspectionProcess, resolvePins } from './pins';

/** The number a new visit takes: this device's next in the enterprise's city and the visit's year. */
export function nextInspectionNumber(ctx: AppContext, cityCode: string, date: string): string {
  return nextRecordNumber(ctx.db, ctx.device.deviceId, cityCode, date.slice(0, 4));
}

/** Starts a draft visit, pinning each visited process's current ruleset. */
export function startInspection(ctx: AppContext, input: InspectionStart): InspectionDetail {
  const enterprise = getEnterprise(ctx.db, input.enterpriseId);
  if (!enterprise) {
    throw new AppError('not_found', `企业不存在或已删除（编号 ${input.enterpriseId}）`);
  }
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    const pins = resolvePins(ctx, input.enterpriseId, input.processIds);
    insertInspection(
      changes,
      id,
      {
        enterpriseId: input.enterpriseId,
        date: input.date,
        type: input.type,
        status: 'draft',
        note: input.note,
        revisionOf: null,
        number: nextInspectionNumber(ctx, enterprise.cityCode, input.date),
      },
      ctx.device.now(),
    );
    for (const m of input.members) {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: id, name: m.name, role: m.role },
        ctx.device.now(),
      );
    }
    for (const pin of pins) addInspectionProcess(ctx, changes, id, pin);
  });
  return getInspectionDetail(ctx, id);
}
