import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';

import type { ChangeSet } from '../../changes';
import type { Db } from '../../client';
import { perConnection } from '../../prepared';
import { gradeEvents } from '../../schema';
import type {
  GradeCause,
  GradeChange,
  GradeEvent,
  OfficialGradeNow,
} from '../../../shared/domain/review';

/**
 * The official grade's history (认定等级, migration 0019): one row per change, never edited. The
 * grade now of an enterprise (processId null) or of one of its processes is its latest row by
 * effective date, then by when it was recorded.
 */

export interface GradeEventValues {
  enterpriseId: string;
  processId: string | null;
  grade: string | null;
  previousGrade: string | null;
  change: GradeChange;
  cause: GradeCause;
  reason: string | null;
  documentNo: string | null;
  effectiveDate: string;
  applicationId: string | null;
  violationId: string | null;
  inspectionId: string | null;
  decidedBy: string;
  account: string | null;
  role: string | null;
}

const columns = {
  id: gradeEvents.id,
  enterpriseId: gradeEvents.enterpriseId,
  processId: gradeEvents.processId,
  grade: gradeEvents.grade,
  previousGrade: gradeEvents.previousGrade,
  change: gradeEvents.change,
  cause: gradeEvents.cause,
  reason: gradeEvents.reason,
  documentNo: gradeEvents.documentNo,
  effectiveDate: gradeEvents.effectiveDate,
  applicationId: gradeEvents.applicationId,
  violationId: gradeEvents.violationId,
  inspectionId: gradeEvents.inspectionId,
  decidedBy: gradeEvents.decidedBy,
  account: gradeEvents.account,
  createdAt: gradeEvents.createdAt,
};

export function insertGradeEvent(
  changes: ChangeSet,
  id: string,
  values: GradeEventValues,
  createdAt: number,
): void {
  changes.insert('grade_events', id, { ...values, createdAt });
}

const history = perConnection((db) =>
  db.orm
    .select(columns)
    .from(gradeEvents)
    .where(
      and(
        eq(gradeEvents.enterpriseId, sql.placeholder('enterpriseId')),
        eq(gradeEvents.deleted, false),
      ),
    )
    .orderBy(desc(gradeEvents.effectiveDate), desc(gradeEvents.createdAt), asc(gradeEvents.id))
    .prepare(),
);

/** Every change of an enterprise's official grades (its own and its processes'), newest first. */
export function listGradeEvents(db: Db, enterpriseId: string): GradeEvent[] {
  return history(db)
    .all({ enterpriseId })
    .map((r) => ({
      ...r,
      change: r.change as GradeChange,
      cause: r.cause as GradeCause,
    }));
}

const latestOfEnterprise = perConnection((db) =>
  db.orm
    .select({
      grade: gradeEvents.grade,
      since: gradeEvents.effectiveDate,
      cause: gradeEvents.cause,
    })
    .from(gradeEvents)
    .where(
      and(
        eq(gradeEvents.enterpriseId, sql.placeholder('enterpriseId')),
        isNull(gradeEvents.processId),
        eq(gradeEvents.deleted, false),
      ),
    )
    .orderBy(desc(gradeEvents.effectiveDate), desc(gradeEvents.createdAt), desc(gradeEvents.id))
    .limit(1)
    .prepare(),
);

const latestOfProcess = perConnection((db) =>
  db.orm
    .select({
      grade: gradeEvents.grade,
      since: gradeEvents.effectiveDate,
      cause: gradeEvents.cause,
    })
    .from(gradeEvents)
    .where(
      and(
        eq(gradeEvents.enterpriseId, sql.placeholder('enterpriseId')),
        eq(gradeEvents.processId, sql.placeholder('processId')),
        eq(gradeEvents.deleted, false),
      ),
    )
    .orderBy(desc(gradeEvents.effectiveDate), desc(gradeEvents.createdAt), desc(gradeEvents.id))
    .limit(1)
    .prepare(),
);

export const NO_OFFICIAL_GRADE: OfficialGradeNow = { grade: null, since: null, cause: null };

/** The official grade now of an enterprise as a whole (processId null) or of one process. */
export function officialGradeOf(
  db: Db,
  enterpriseId: string,
  processId: string | null,
): OfficialGradeNow {
  const row =
    processId === null
      ? latestOfEnterprise(db).get({ enterpriseId })
      : latestOfProcess(db).get({ enterpriseId, processId });
  if (!row) return NO_OFFICIAL_GRADE;
  return { grade: row.grade, since: row.since, cause: row.cause as GradeCause };
}

/** The events a violation wrote (its floor), oldest first: what withdrawing it restores. */
export function listGradeEventsOfViolation(db: Db, violationId: string): GradeEvent[] {
  return db.orm
    .select(columns)
    .from(gradeEvents)
    .where(and(eq(gradeEvents.violationId, violationId), eq(gradeEvents.deleted, false)))
    .orderBy(asc(gradeEvents.createdAt), asc(gradeEvents.id))
    .all()
    .map((r) => ({ ...r, change: r.change as GradeChange, cause: r.cause as GradeCause }));
}

/** The latest event of the enterprise as a whole, by the index (enterprise, process, date, time). */
const LATEST_OF_ENTERPRISE = `(SELECT g2.id FROM grade_events g2
  WHERE g2.enterprise_id = e.id AND g2.process_id IS NULL AND g2.deleted = 0
  ORDER BY g2.effective_date DESC, g2.created_at DESC, g2.id DESC LIMIT 1)`;

interface OfficialRow {
  enterpriseId: string;
  guarantee: number;
  grade: string | null;
  since: string | null;
  cause: string | null;
}

/**
 * The official grade now and the 保障类 mark of each of these enterprises (a registry page): one
 * correlated lookup per enterprise on grade_events' index, so a page costs the same at any size.
 */
export function officialGradesOf(
  db: Db,
  enterpriseIds: readonly string[],
): Map<string, { official: OfficialGradeNow; guarantee: boolean }> {
  const out = new Map<string, { official: OfficialGradeNow; guarantee: boolean }>();
  if (enterpriseIds.length === 0) return out;
  const rows = db.sqlite
    .prepare(
      `SELECT e.id AS enterpriseId, e.guarantee AS guarantee, g.grade AS grade,
         g.effective_date AS since, g.cause AS cause
       FROM enterprises e LEFT JOIN grade_events g ON g.id = ${LATEST_OF_ENTERPRISE}
       WHERE e.id IN (${enterpriseIds.map(() => '?').join(', ')})`,
    )
    .all(...enterpriseIds) as OfficialRow[];
  for (const r of rows) {
    out.set(r.enterpriseId, {
      guarantee: r.guarantee === 1,
      official:
        r.since === null
          ? NO_OFFICIAL_GRADE
          : { grade: r.grade, since: r.since, cause: r.cause as GradeCause },
    });
  }
  return out;
}

/** An enterprise with an official grade history, for the 降级 proposals. */
export interface GradedEnterprise {
  enterpriseId: string;
  enterpriseName: string;
  cityCode: string;
}

/**
 * The live enterprises (of a city, when given) that may have a 降级 to propose: an official grade
 * event and a finalized visit dated after the date of at least one of their grades now (the
 * latest event of the enterprise as a whole or of a process). The others need no closer look,
 * so the proposals cost what the candidates cost, not what the registry holds.
 */
export function listGradedEnterprises(db: Db, cityCode: string | null): GradedEnterprise[] {
  return db.sqlite
    .prepare(
      `WITH subject AS (
         SELECT enterprise_id, MAX(effective_date) AS since FROM grade_events
         WHERE deleted = 0 GROUP BY enterprise_id, process_id
       ), earliest AS (
         SELECT enterprise_id, MIN(since) AS since FROM subject GROUP BY enterprise_id
       )
       SELECT e.id AS enterpriseId, e.name AS enterpriseName, e.city_code AS cityCode
       FROM earliest s JOIN enterprises e ON e.id = s.enterprise_id
       WHERE e.deleted = 0 ${cityCode === null ? '' : 'AND e.city_code = ?'}
         AND EXISTS (SELECT 1 FROM inspections i WHERE i.enterprise_id = e.id AND i.deleted = 0
           AND i.status = 'finalized' AND i.date > s.since)
       ORDER BY e.city_code, e.name, e.id`,
    )
    .all(...(cityCode === null ? [] : [cityCode])) as GradedEnterprise[];
}

/** A finalized visit after an official grade's date, with the grading it froze. */
export interface LaterVisit {
  id: string;
  enterpriseId: string;
  number: string | null;
  date: string;
  status: string;
  frozenGrading: string | null;
}

/**
 * The live finalized visits of this enterprise dated after `after` that no finalized revision
 * corrects, newest first.
 */
export function listFinalizedVisitsAfter(
  db: Db,
  enterpriseId: string,
  after: string,
): LaterVisit[] {
  return db.sqlite
    .prepare(
      `SELECT i.id, i.enterprise_id AS enterpriseId, i.number, i.date, i.status,
         i.frozen_grading AS frozenGrading
       FROM inspections i
       WHERE i.enterprise_id = ? AND i.deleted = 0 AND i.status = 'finalized' AND i.date > ?
         AND NOT EXISTS (SELECT 1 FROM inspections r WHERE r.revision_of = i.id
           AND r.deleted = 0 AND r.status = 'finalized')
       ORDER BY i.date DESC, i.created_at DESC, i.id DESC`,
    )
    .all(enterpriseId, after) as LaterVisit[];
}

/** The 保障类 mark of an enterprise (since when, on which application); null when not marked. */
export function guaranteeOf(
  db: Db,
  enterpriseId: string,
): { since: string | null; applicationId: string | null } | null {
  const row = db.sqlite
    .prepare(
      `SELECT guarantee, guarantee_since AS since, guarantee_application_id AS applicationId
       FROM enterprises WHERE id = ? AND deleted = 0`,
    )
    .get(enterpriseId) as
    { guarantee: number; since: string | null; applicationId: string | null } | undefined;
  return row && row.guarantee === 1 ? { since: row.since, applicationId: row.applicationId } : null;
}
