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
