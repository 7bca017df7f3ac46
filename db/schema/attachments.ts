import { index, integer, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

import { syncColumns } from './columns';
import { inspectionAnswers, inspectionMembers, inspections, violations } from './inspections';
import { plans } from './plans';
import { gradeApplications } from './reviews';

/**
 * Stored files (photos, scans, signatures) by content, and each use of one as evidence of a
 * visit, an answer, a violation or a plan.
 */

/**
 * A stored file (photo or scan), by content: the id is its SHA-256 and the bytes live at
 * dataDir/attachments/<first 2 hex>/<sha256>. Stored once however often it is used.
 */
export const attachments = sqliteTable('attachments', {
  id: text('id').primaryKey(),
  size: integer('size').notNull(),
  mimeType: text('mime_type').notNull(),
  createdAt: integer('created_at').notNull(),
  ...syncColumns(),
});

/**
 * One use of a stored file as evidence: of a visit (and optionally one of its answers) or of a
 * violation, with the file's original name and time.
 */
export const attachmentUses = sqliteTable(
  'attachment_uses',
  {
    id: text('id').primaryKey(),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    inspectionId: text('inspection_id').references(() => inspections.id),
    answerId: text('answer_id').references(() => inspectionAnswers.id),
    violationId: text('violation_id').references(() => violations.id),
    /** Evidence filed with an application (申报材料). */
    applicationId: text('application_id').references((): AnySQLiteColumn => gradeApplications.id),
    fileName: text('file_name').notNull(),
    /** Epoch ms the caller gave as the file's own time (a photo's lastModified); null if unknown. */
    takenAt: integer('taken_at'),
    /**
     * A signature (签名, a PNG drawn on screen) instead of a photo: the signer's name and part
     * (a team member's role, 企业陪同人员, 审定专家 or 企业确认人). Null on photos and scans.
     * A team member's signature names the member; a plan's names the plan and its version.
     */
    signerName: text('signer_name'),
    signerRole: text('signer_role'),
    memberId: text('member_id').references(() => inspectionMembers.id),
    planId: text('plan_id').references((): AnySQLiteColumn => plans.id),
    planVersion: integer('plan_version'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [
    index('attachment_uses_plan').on(t.planId, t.deleted),
    index('attachment_uses_inspection').on(t.inspectionId, t.deleted),
    index('attachment_uses_violation').on(t.violationId, t.deleted),
    index('attachment_uses_attachment').on(t.attachmentId),
    index('attachment_uses_application').on(t.applicationId, t.deleted),
  ],
);
