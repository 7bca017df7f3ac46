import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

import { syncColumns, trashColumns } from './columns';
import { enterprises } from './enterprises';

/** Improvement plans (一企一策提升方案) and their saved versions. */

/**
 * An enterprise's improvement plan (一企一策提升方案): one live plan per enterprise (not UNIQUE:
 * two offline devices may each draft one; the service reads the earliest). Its content lives in
 * plan_versions; the status names the version it applies to: `reviewedVersion` is the one an
 * expert approved (专家审定), `confirmedVersion` the one the enterprise confirmed (企业确认).
 */
export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** 草稿, 专家审定 or 企业确认. */
    status: text('status').notNull(),
    /** The record number (as inspections.number): written once, never changed. */
    number: text('number'),
    currentVersion: integer('current_version').notNull(),
    reviewedVersion: integer('reviewed_version'),
    reviewedBy: text('reviewed_by'),
    /** Epoch ms. */
    reviewedAt: integer('reviewed_at'),
    /** 审定意见: required with every 专家审定 (migration 0018's triggers, the store). */
    reviewOpinion: text('review_opinion'),
    /** The device's sync account (姓名（账号）) when it was logged in at 专家审定; else null. */
    reviewedAccount: text('reviewed_account'),
    confirmedVersion: integer('confirmed_version'),
    confirmedBy: text('confirmed_by'),
    /** Epoch ms. */
    confirmedAt: integer('confirmed_at'),
    /** How the enterprise confirmed: 现场签字, 电话确认 or 书面回执 (required with 企业确认). */
    confirmMethod: text('confirm_method'),
    /** The device's sync account (姓名（账号）) when it was logged in at 企业确认; else null. */
    confirmedAccount: text('confirmed_account'),
    createdAt: integer('created_at').notNull(),
    ...trashColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('plans_enterprise').on(t.enterpriseId, t.deleted),
    index('plans_status').on(t.status),
    index('plans_number').on(t.number),
  ],
);

/**
 * One saved version of a plan: the whole content (JSON of a PlanEdit) and the expert's comment.
 * Written once and never changed (the triggers of migration 0005 refuse it). Not UNIQUE on
 * (planId, version), for the same reason as plans: sync must be able to apply what two devices
 * wrote offline; the service reads the latest row of a version.
 */
export const planVersions = sqliteTable(
  'plan_versions',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    comment: text('comment'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('plan_versions_plan_version').on(t.planId, t.version)],
);
