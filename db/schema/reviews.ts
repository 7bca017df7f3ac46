import { index, integer, sqliteTable, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

import { syncColumns } from './columns';
import { enterpriseProcesses, enterprises } from './enterprises';
import { inspections, violations } from './inspections';
import { plans } from './plans';

/**
 * 审核评定 and 信息公开 (migration 0019; the rules in shared/domain/review.ts): applications for a
 * grade (申报) and their review steps, the official grade's history, and the published results
 * lists. Steps, grade events and publications are records of a moment: written once, never changed
 * (the migration's triggers and the central store both refuse it).
 */

export const gradeApplications = sqliteTable(
  'grade_applications',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The process (industry line) applied for; null for the enterprise as a whole. */
    processId: text('process_id').references(() => enterpriseProcesses.id),
    /** 等级 or 保障类. */
    kind: text('kind').notNull(),
    /** The grade applied for (null for 保障类). */
    targetGrade: text('target_grade'),
    /** region (市级初审 → 自治区复审) or city (市级评定), fixed when the application is made. */
    route: text('route').notNull(),
    /** The grade the team found, computed from the checklist or judged, and how. */
    basisGrade: text('basis_grade'),
    basisNote: text('basis_note'),
    /** JSON array of the finalized visits it rests on. */
    inspectionIds: text('inspection_ids').notNull().default('[]'),
    planId: text('plan_id').references((): AnySQLiteColumn => plans.id),
    /** 申报说明; for 保障类 the reason it is one. */
    reason: text('reason'),
    applicant: text('applicant').notNull(),
    applicantAccount: text('applicant_account'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('grade_applications_enterprise').on(t.enterpriseId, t.deleted)],
);

export const reviewSteps = sqliteTable(
  'review_steps',
  {
    id: text('id').primaryKey(),
    applicationId: text('application_id')
      .notNull()
      .references(() => gradeApplications.id),
    /** 1 for the first submission; each resubmission after 退回补充 starts the next. */
    round: integer('round').notNull(),
    /** 提交, 市级初审, 自治区复审 or 市级评定. */
    step: text('step').notNull(),
    /** 提交 for a submission; 通过, 退回补充 or 不予通过 for a reviewer's step. */
    decision: text('decision').notNull(),
    opinion: text('opinion'),
    requestVisit: integer('request_visit', { mode: 'boolean' }).notNull().default(false),
    decidedBy: text('decided_by').notNull(),
    /** The sync account that recorded it, and its role, when the device was logged in. */
    account: text('account'),
    role: text('role'),
    decidedAt: integer('decided_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('review_steps_application').on(t.applicationId, t.round)],
);

export const gradeEvents = sqliteTable(
  'grade_events',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** The process the grade is for; null for the enterprise as a whole. */
    processId: text('process_id').references(() => enterpriseProcesses.id),
    /** The official grade from effectiveDate on; null once revoked. */
    grade: text('grade'),
    previousGrade: text('previous_grade'),
    /** 认定, 升级, 降级 or 撤销. */
    change: text('change').notNull(),
    /** shared/domain/review.ts GRADE_CAUSES. */
    cause: text('cause').notNull(),
    reason: text('reason'),
    documentNo: text('document_no'),
    /** YYYY-MM-DD. */
    effectiveDate: text('effective_date').notNull(),
    applicationId: text('application_id').references(() => gradeApplications.id),
    violationId: text('violation_id').references(() => violations.id),
    inspectionId: text('inspection_id').references(() => inspections.id),
    decidedBy: text('decided_by').notNull(),
    account: text('account'),
    role: text('role'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [
    index('grade_events_enterprise').on(t.enterpriseId, t.processId, t.effectiveDate, t.createdAt),
  ],
);

export const publications = sqliteTable(
  'publications',
  {
    id: text('id').primaryKey(),
    /** A city code, or 'region'. */
    scope: text('scope').notNull(),
    /** 第 N 期 within the scope. */
    edition: integer('edition').notNull(),
    title: text('title').notNull(),
    publishedAt: integer('published_at').notNull(),
    publishedBy: text('published_by').notNull(),
    account: text('account'),
    /** JSON array of PublicationRow, frozen when published. */
    content: text('content').notNull(),
    rowCount: integer('row_count').notNull(),
    ...syncColumns(),
  },
  (t) => [index('publications_scope').on(t.scope, t.edition)],
);
