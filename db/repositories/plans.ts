import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';

import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { enterprises, plans, planVersions } from '../schema';

/**
 * Improvement plans (一企一策) and their versions. Writes take the ChangeSet of the caller's
 * writeChanges transaction; a version is only ever inserted (migration 0005 refuses any change).
 */

export interface PlanRow {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  status: string;
  /** Null on plans made before record numbers (electron/services/record-numbers.ts). */
  number: string | null;
  currentVersion: number;
  reviewedVersion: number | null;
  reviewedBy: string | null;
  reviewedAt: number | null;
  reviewOpinion: string | null;
  reviewedAccount: string | null;
  confirmedVersion: number | null;
  confirmedBy: string | null;
  confirmedAt: number | null;
  confirmMethod: string | null;
  confirmedAccount: string | null;
  createdAt: number;
  updatedAt: string;
}

export interface PlanValues {
  enterpriseId: string;
  status: string;
  /** Written once, when the plan is made (electron/services/record-numbers.ts). */
  number?: string;
  currentVersion: number;
  reviewedVersion?: number | null;
  reviewedBy?: string | null;
  reviewedAt?: number | null;
  reviewOpinion?: string | null;
  reviewedAccount?: string | null;
  confirmedVersion?: number | null;
  confirmedBy?: string | null;
  confirmedAt?: number | null;
  confirmMethod?: string | null;
  confirmedAccount?: string | null;
}

const planColumns = {
  id: plans.id,
  enterpriseId: plans.enterpriseId,
  enterpriseName: enterprises.name,
  status: plans.status,
  number: plans.number,
  currentVersion: plans.currentVersion,
  reviewedVersion: plans.reviewedVersion,
  reviewedBy: plans.reviewedBy,
  reviewedAt: plans.reviewedAt,
  reviewOpinion: plans.reviewOpinion,
  reviewedAccount: plans.reviewedAccount,
  confirmedVersion: plans.confirmedVersion,
  confirmedBy: plans.confirmedBy,
  confirmedAt: plans.confirmedAt,
  confirmMethod: plans.confirmMethod,
  confirmedAccount: plans.confirmedAccount,
  createdAt: plans.createdAt,
  updatedAt: plans.updatedAt,
};

export function insertPlan(
  changes: ChangeSet,
  id: string,
  values: PlanValues & { number: string },
  createdAt: number,
): void {
  changes.insert('plans', id, { ...values, createdAt });
}

/** Writes the fields that differ; returns their names. */
export function updatePlan(
  changes: ChangeSet,
  id: string,
  values: Partial<Omit<PlanValues, 'enterpriseId'>>,
): string[] {
  return changes.update('plans', id, values);
}

function selectPlans(db: Db, where: SQL | undefined) {
  return db.orm
    .select(planColumns)
    .from(plans)
    .innerJoin(enterprises, eq(enterprises.id, plans.enterpriseId))
    .where(where);
}

/** A live plan by id. */
export function getPlan(db: Db, id: string): PlanRow | undefined {
  return selectPlans(db, and(eq(plans.id, id), eq(plans.deleted, false))).get();
}

/** The enterprise's live plan: the earliest, should two devices have drafted one each. */
export function findPlanOfEnterprise(db: Db, enterpriseId: string): PlanRow | undefined {
  return selectPlans(db, and(eq(plans.enterpriseId, enterpriseId), eq(plans.deleted, false)))
    .orderBy(asc(plans.createdAt), asc(plans.id))
    .limit(1)
    .get();
}

export interface PlanListRow extends PlanRow {
  /** JSON of the current version's content; null if that version is not on this device. */
  content: string | null;
}

/**
 * Live plans of live enterprises, the most recently changed first, each with its current
 * version's content (the latest row of that version).
 */
export function listPlans(
  db: Db,
  filter: { status?: string | undefined; enterpriseId?: string | undefined },
): PlanListRow[] {
  const where: SQL[] = [eq(plans.deleted, false), eq(enterprises.deleted, false)];
  if (filter.status) where.push(eq(plans.status, filter.status));
  if (filter.enterpriseId) where.push(eq(plans.enterpriseId, filter.enterpriseId));
  const content = sql<string | null>`(
    SELECT ${planVersions.content} FROM ${planVersions}
    WHERE ${planVersions.planId} = ${plans.id} AND ${planVersions.version} = ${plans.currentVersion}
      AND ${planVersions.deleted} = 0
    ORDER BY ${planVersions.createdAt} DESC, ${planVersions.id} DESC LIMIT 1)`;
  return db.orm
    .select({ ...planColumns, content })
    .from(plans)
    .innerJoin(enterprises, eq(enterprises.id, plans.enterpriseId))
    .where(and(...where))
    .orderBy(desc(plans.updatedAt), asc(plans.id))
    .all();
}

// ─── Versions ───────────────────────────────────────────────────────────────────────────────

export interface PlanVersionRow {
  id: string;
  planId: string;
  version: number;
  /** JSON of the PlanEdit. */
  content: string;
  comment: string | null;
  createdAt: number;
}

const versionColumns = {
  id: planVersions.id,
  planId: planVersions.planId,
  version: planVersions.version,
  content: planVersions.content,
  comment: planVersions.comment,
  createdAt: planVersions.createdAt,
};

export function insertPlanVersion(
  changes: ChangeSet,
  id: string,
  values: { planId: string; version: number; content: string; comment: string | null },
  createdAt: number,
): void {
  changes.insert('plan_versions', id, { ...values, createdAt });
}

/** One version of a plan (the latest row of it, should two devices have written one each). */
export function getPlanVersion(
  db: Db,
  planId: string,
  version: number,
): PlanVersionRow | undefined {
  return db.orm
    .select(versionColumns)
    .from(planVersions)
    .where(
      and(
        eq(planVersions.planId, planId),
        eq(planVersions.version, version),
        eq(planVersions.deleted, false),
      ),
    )
    .orderBy(desc(planVersions.createdAt), desc(planVersions.id))
    .limit(1)
    .get();
}

/** Every live version row of a plan, oldest first. */
export function listPlanVersions(db: Db, planId: string): PlanVersionRow[] {
  return db.orm
    .select(versionColumns)
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.deleted, false)))
    .orderBy(asc(planVersions.version), asc(planVersions.createdAt), asc(planVersions.id))
    .all();
}
