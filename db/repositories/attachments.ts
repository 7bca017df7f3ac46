import { and, asc, eq, sql, type SQL } from 'drizzle-orm';

import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { perConnection, perConnectionByIds } from '../prepared';
import {
  attachmentUses as uses,
  attachments,
  inspectionAnswers,
  inspectionProcesses,
} from '../schema';

/** Stored files by content hash, and their uses as evidence. */

export interface AttachmentRow {
  id: string;
  size: number;
  mimeType: string;
}

const attachmentById = perConnection((db) =>
  db.orm
    .select({ id: attachments.id, size: attachments.size, mimeType: attachments.mimeType })
    .from(attachments)
    .where(eq(attachments.id, sql.placeholder('sha256')))
    .prepare(),
);

export function getAttachment(db: Db, sha256: string): AttachmentRow | undefined {
  return attachmentById(db).get({ sha256 });
}

export function insertAttachment(
  changes: ChangeSet,
  sha256: string,
  values: { size: number; mimeType: string },
  createdAt: number,
): void {
  changes.insert('attachments', sha256, { ...values, createdAt });
}

export interface UseValues {
  attachmentId: string;
  inspectionId: string | null;
  answerId: string | null;
  violationId: string | null;
  /** An application (申报) it is material of. */
  applicationId?: string | null;
  fileName: string;
  takenAt: number | null;
  /** A signature's signer (name and part); absent on photos and scans. */
  signerName?: string | null;
  signerRole?: string | null;
  memberId?: string | null;
  planId?: string | null;
  planVersion?: number | null;
}

export function insertUse(
  changes: ChangeSet,
  id: string,
  values: UseValues,
  createdAt: number,
): void {
  changes.insert('attachment_uses', id, { ...values, createdAt });
}

export function deleteUse(changes: ChangeSet, id: string): boolean {
  return changes.markDeleted('attachment_uses', id);
}

export interface UseRow extends UseValues {
  id: string;
  applicationId: string | null;
  signerName: string | null;
  signerRole: string | null;
  memberId: string | null;
  planId: string | null;
  planVersion: number | null;
  mimeType: string;
  size: number;
  createdAt: number;
  /** Of the answer it documents: the enterprise process and the indicator. */
  processId: string | null;
  indicatorId: string | null;
}

const useColumns = {
  id: uses.id,
  attachmentId: uses.attachmentId,
  inspectionId: uses.inspectionId,
  answerId: uses.answerId,
  violationId: uses.violationId,
  applicationId: uses.applicationId,
  fileName: uses.fileName,
  takenAt: uses.takenAt,
  signerName: uses.signerName,
  signerRole: uses.signerRole,
  memberId: uses.memberId,
  planId: uses.planId,
  planVersion: uses.planVersion,
  createdAt: uses.createdAt,
  mimeType: attachments.mimeType,
  size: attachments.size,
  processId: inspectionProcesses.processId,
  indicatorId: inspectionAnswers.indicatorId,
};

function selectUses(db: Db, where: SQL) {
  return db.orm
    .select(useColumns)
    .from(uses)
    .innerJoin(attachments, eq(attachments.id, uses.attachmentId))
    .leftJoin(inspectionAnswers, eq(inspectionAnswers.id, uses.answerId))
    .leftJoin(
      inspectionProcesses,
      eq(inspectionProcesses.id, inspectionAnswers.inspectionProcessId),
    )
    .where(and(eq(uses.deleted, false), where))
    .orderBy(asc(uses.createdAt), asc(uses.id));
}

const useById = perConnection((db) => selectUses(db, eq(uses.id, sql.placeholder('id'))).prepare());

export function getUse(db: Db, id: string): UseRow | undefined {
  return useById(db).all({ id })[0];
}

/** The live uses attached to these visits, in the order they were added. */
export const listUsesOfInspections: (db: Db, inspectionIds: readonly string[]) => UseRow[] =
  perConnectionByIds(selectUses, uses.inspectionId);

const usesOfPlan = perConnection((db) =>
  selectUses(db, eq(uses.planId, sql.placeholder('id'))).prepare(),
);

/** The live signatures on a plan's versions, in the order they were signed. */
export function listUsesOfPlan(db: Db, planId: string): UseRow[] {
  return usesOfPlan(db).all({ id: planId });
}

/** The live uses attached to these violations. */
export const listUsesOfViolations: (db: Db, violationIds: readonly string[]) => UseRow[] =
  perConnectionByIds(selectUses, uses.violationId);

/** The live uses attached to these applications (申报材料). */
export const listUsesOfApplications: (db: Db, applicationIds: readonly string[]) => UseRow[] =
  perConnectionByIds(selectUses, uses.applicationId);
