import { and, asc, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';

import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { perConnection, perConnectionByIds } from '../prepared';
import {
  enterpriseProcesses,
  enterprises,
  inspectionAnswers as answers,
  inspectionMembers as members,
  inspectionProcesses,
  inspections,
  pinnedRulesets,
} from '../schema';

/**
 * Site visits and what belongs to them: members, visited processes (with their pinned
 * rulesets) and answers. Writes take the ChangeSet of the caller's writeChanges transaction.
 * The reads of one visit (autosave, opening it) are prepared once per connection (db/prepared).
 */

export interface InspectionRow {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  date: string;
  type: string;
  status: string;
  note: string | null;
  revisionOf: string | null;
  /** Null on visits made before record numbers (electron/services/record-numbers.ts). */
  number: string | null;
  finalizedAt: number | null;
  /** JSON of the grades finalization stored (FrozenGrading); null for a draft. */
  frozenGrading: string | null;
  /** Why this correction was made (on a visit with revisionOf); null otherwise. */
  correctionReason: string | null;
  createdAt: number;
  updatedAt: string;
}

export interface InspectionValues {
  enterpriseId: string;
  date: string;
  type: string;
  status: 'draft' | 'finalized';
  note: string | null;
  revisionOf: string | null;
  /** Written once, when the visit is made (electron/services/record-numbers.ts). */
  number?: string;
  finalizedAt?: number | null;
  frozenGrading?: string | null;
  correctionReason?: string | null;
}

const inspectionColumns = {
  id: inspections.id,
  enterpriseId: inspections.enterpriseId,
  enterpriseName: enterprises.name,
  date: inspections.date,
  type: inspections.type,
  status: inspections.status,
  note: inspections.note,
  revisionOf: inspections.revisionOf,
  number: inspections.number,
  finalizedAt: inspections.finalizedAt,
  frozenGrading: inspections.frozenGrading,
  correctionReason: inspections.correctionReason,
  createdAt: inspections.createdAt,
  updatedAt: inspections.updatedAt,
};

export function insertInspection(
  changes: ChangeSet,
  id: string,
  values: InspectionValues & { number: string },
  createdAt: number,
): void {
  changes.insert('inspections', id, { ...values, createdAt });
}

/** Writes the fields that differ; returns their names. */
export function updateInspection(
  changes: ChangeSet,
  id: string,
  values: Partial<InspectionValues>,
): string[] {
  return changes.update('inspections', id, values);
}

const inspectionById = perConnection((db) =>
  db.orm
    .select(inspectionColumns)
    .from(inspections)
    .innerJoin(enterprises, eq(enterprises.id, inspections.enterpriseId))
    .where(and(eq(inspections.id, sql.placeholder('id')), eq(inspections.deleted, false)))
    .prepare(),
);

export function getInspection(db: Db, id: string): InspectionRow | undefined {
  return inspectionById(db).get({ id });
}

/** Live visits of live enterprises, newest first (by date, then by when they were started). */
export function listInspections(
  db: Db,
  filter: { enterpriseId?: string; status?: string },
): InspectionRow[] {
  const where: SQL[] = [eq(inspections.deleted, false), eq(enterprises.deleted, false)];
  if (filter.enterpriseId) where.push(eq(inspections.enterpriseId, filter.enterpriseId));
  if (filter.status) where.push(eq(inspections.status, filter.status));
  return db.orm
    .select(inspectionColumns)
    .from(inspections)
    .innerJoin(enterprises, eq(enterprises.id, inspections.enterpriseId))
    .where(and(...where))
    .orderBy(desc(inspections.date), desc(inspections.createdAt), desc(inspections.id))
    .all();
}

/**
 * Of these enterprises, each one's latest finalized visit that no finalized revision corrects
 * (by date, then by when it was started): where the registry reads its current grade.
 */
export function listLatestFinalized(db: Db, enterpriseIds: readonly string[]): InspectionRow[] {
  if (enterpriseIds.length === 0) return [];
  const corrected = sql`EXISTS (SELECT 1 FROM inspections r WHERE r.revision_of = ${inspections.id}
    AND r.deleted = 0 AND r.status = 'finalized')`;
  const rows = db.orm
    .select(inspectionColumns)
    .from(inspections)
    .innerJoin(enterprises, eq(enterprises.id, inspections.enterpriseId))
    .where(
      and(
        inArray(inspections.enterpriseId, [...enterpriseIds]),
        eq(inspections.deleted, false),
        eq(inspections.status, 'finalized'),
        sql`NOT ${corrected}`,
      ),
    )
    .orderBy(desc(inspections.date), desc(inspections.createdAt), desc(inspections.id))
    .all();
  const latest = new Map<string, InspectionRow>();
  for (const r of rows) if (!latest.has(r.enterpriseId)) latest.set(r.enterpriseId, r);
  return [...latest.values()];
}

const revisionsOf = perConnection((db) =>
  db.orm
    .select(inspectionColumns)
    .from(inspections)
    .innerJoin(enterprises, eq(enterprises.id, inspections.enterpriseId))
    .where(and(eq(inspections.revisionOf, sql.placeholder('id')), eq(inspections.deleted, false)))
    .orderBy(asc(inspections.createdAt), asc(inspections.id))
    .prepare(),
);

/** The live visits that name `id` as the one they correct. */
export function listRevisionsOf(db: Db, id: string): InspectionRow[] {
  return revisionsOf(db).all({ id });
}

// ─── Members ────────────────────────────────────────────────────────────────────────────────

export interface MemberRow {
  id: string;
  inspectionId: string;
  name: string;
  role: string;
  confirmedAt: number | null;
  createdAt: number;
}

const memberColumns = {
  id: members.id,
  inspectionId: members.inspectionId,
  name: members.name,
  role: members.role,
  confirmedAt: members.confirmedAt,
  createdAt: members.createdAt,
};

export function insertMember(
  changes: ChangeSet,
  id: string,
  values: { inspectionId: string; name: string; role: string; confirmedAt?: number | null },
  createdAt: number,
): void {
  changes.insert('inspection_members', id, { ...values, createdAt });
}

export function updateMember(
  changes: ChangeSet,
  id: string,
  values: { name?: string; role?: string; confirmedAt?: number | null },
): string[] {
  return changes.update('inspection_members', id, values);
}

export function deleteMember(changes: ChangeSet, id: string): boolean {
  return changes.markDeleted('inspection_members', id);
}

/** The live members of visits, in the order they were added. */
export const listMembers: (db: Db, inspectionIds: readonly string[]) => MemberRow[] =
  perConnectionByIds(
    (db, ofInspections) =>
      db.orm
        .select(memberColumns)
        .from(members)
        .where(and(ofInspections, eq(members.deleted, false)))
        .orderBy(asc(members.createdAt), asc(members.id)),
    members.inspectionId,
  );

// ─── Visited processes and their pinned rulesets ───────────────────────────────────────────

export interface InspectionProcessRow {
  id: string;
  inspectionId: string;
  processId: string;
  rulesetId: string;
  rulesetEdition: string;
  rulesetHash: string;
  deleted: boolean;
  createdAt: number;
  /** Of the enterprise_processes row (read even if it was deleted since). */
  name: string | null;
  industryCode: string;
  branch: string;
  targetGrade: string | null;
}

const visitedColumns = {
  id: inspectionProcesses.id,
  inspectionId: inspectionProcesses.inspectionId,
  processId: inspectionProcesses.processId,
  rulesetId: inspectionProcesses.rulesetId,
  rulesetEdition: inspectionProcesses.rulesetEdition,
  rulesetHash: inspectionProcesses.rulesetHash,
  deleted: inspectionProcesses.deleted,
  createdAt: inspectionProcesses.createdAt,
  name: enterpriseProcesses.name,
  industryCode: enterpriseProcesses.industryCode,
  branch: enterpriseProcesses.branch,
  targetGrade: enterpriseProcesses.targetGrade,
};

export function insertInspectionProcess(
  changes: ChangeSet,
  id: string,
  values: {
    inspectionId: string;
    processId: string;
    rulesetId: string;
    rulesetEdition: string;
    rulesetHash: string;
  },
  createdAt: number,
): void {
  changes.insert('inspection_processes', id, { ...values, createdAt });
}

export function setInspectionProcessDeleted(
  changes: ChangeSet,
  id: string,
  deleted: boolean,
): void {
  changes.update('inspection_processes', id, { deleted });
}

function selectInspectionProcesses(db: Db, ofInspections: SQL, withRemoved: boolean) {
  return db.orm
    .select(visitedColumns)
    .from(inspectionProcesses)
    .innerJoin(enterpriseProcesses, eq(enterpriseProcesses.id, inspectionProcesses.processId))
    .where(withRemoved ? ofInspections : and(ofInspections, eq(inspectionProcesses.deleted, false)))
    .orderBy(asc(inspectionProcesses.createdAt), asc(inspectionProcesses.id));
}

const liveProcessesOfOne = perConnection((db) =>
  selectInspectionProcesses(
    db,
    eq(inspectionProcesses.inspectionId, sql.placeholder('id')),
    false,
  ).prepare(),
);

const allProcessesOfOne = perConnection((db) =>
  selectInspectionProcesses(
    db,
    eq(inspectionProcesses.inspectionId, sql.placeholder('id')),
    true,
  ).prepare(),
);

/** The processes of visits (live ones only unless `withRemoved`), in the order they were added. */
export function listInspectionProcesses(
  db: Db,
  inspectionIds: readonly string[],
  withRemoved = false,
): InspectionProcessRow[] {
  if (inspectionIds.length === 0) return [];
  if (inspectionIds.length === 1) {
    const of = withRemoved ? allProcessesOfOne : liveProcessesOfOne;
    return of(db).all({ id: inspectionIds[0] });
  }
  return selectInspectionProcesses(
    db,
    inArray(inspectionProcesses.inspectionId, [...inspectionIds]),
    withRemoved,
  ).all();
}

export interface PinnedRulesetRow {
  id: string;
  rulesetId: string;
  edition: string;
  json: string;
}

const pinnedById = perConnection((db) =>
  db.orm
    .select({
      id: pinnedRulesets.id,
      rulesetId: pinnedRulesets.rulesetId,
      edition: pinnedRulesets.edition,
      json: pinnedRulesets.json,
    })
    .from(pinnedRulesets)
    .where(eq(pinnedRulesets.id, sql.placeholder('hash')))
    .prepare(),
);

export function getPinnedRuleset(db: Db, hash: string): PinnedRulesetRow | undefined {
  return pinnedById(db).get({ hash });
}

export function insertPinnedRuleset(
  changes: ChangeSet,
  hash: string,
  values: { rulesetId: string; edition: string; json: string },
  createdAt: number,
): void {
  changes.insert('pinned_rulesets', hash, { ...values, createdAt });
}

// ─── Answers ────────────────────────────────────────────────────────────────────────────────

export interface AnswerRow {
  id: string;
  inspectionId: string;
  inspectionProcessId: string;
  indicatorId: string;
  /** JSON of the fact; null while unanswered. */
  fact: string | null;
  note: string | null;
  /** JSON string[] of 存在问题; null when none. */
  problems: string | null;
  /** JSON Reading[]; null when none. */
  readings: string | null;
  createdAt: number;
  updatedAt: string;
}

const answerColumns = {
  id: answers.id,
  inspectionId: answers.inspectionId,
  inspectionProcessId: answers.inspectionProcessId,
  indicatorId: answers.indicatorId,
  fact: answers.fact,
  note: answers.note,
  problems: answers.problems,
  readings: answers.readings,
  createdAt: answers.createdAt,
  updatedAt: answers.updatedAt,
};

const answerByIndicator = perConnection((db) =>
  db.orm
    .select(answerColumns)
    .from(answers)
    .where(
      and(
        eq(answers.inspectionProcessId, sql.placeholder('inspectionProcessId')),
        eq(answers.indicatorId, sql.placeholder('indicatorId')),
      ),
    )
    .prepare(),
);

export function findAnswer(
  db: Db,
  inspectionProcessId: string,
  indicatorId: string,
): AnswerRow | undefined {
  return answerByIndicator(db).get({ inspectionProcessId, indicatorId });
}

const answerById = perConnection((db) =>
  db.orm
    .select(answerColumns)
    .from(answers)
    .where(eq(answers.id, sql.placeholder('id')))
    .prepare(),
);

export function getAnswer(db: Db, id: string): AnswerRow | undefined {
  return answerById(db).get({ id });
}

export function insertAnswer(
  changes: ChangeSet,
  id: string,
  values: {
    inspectionId: string;
    inspectionProcessId: string;
    indicatorId: string;
    fact: string | null;
    note: string | null;
    /** JSON string[], or null when none. */
    problems: string | null;
    /** JSON Reading[], or null when none. */
    readings: string | null;
  },
  createdAt: number,
): void {
  changes.insert('inspection_answers', id, { ...values, createdAt });
}

/** Writes the fields that differ (fact, problems and readings as JSON); returns their names. */
export function updateAnswer(
  changes: ChangeSet,
  id: string,
  values: {
    fact?: string | null;
    note?: string | null;
    problems?: string | null;
    readings?: string | null;
  },
): string[] {
  return changes.update('inspection_answers', id, values);
}

/** The answers of visits, in the order they were first saved. */
export const listAnswers: (db: Db, inspectionIds: readonly string[]) => AnswerRow[] =
  perConnectionByIds(
    (db, ofInspections) =>
      db.orm
        .select(answerColumns)
        .from(answers)
        .where(and(ofInspections, eq(answers.deleted, false)))
        .orderBy(asc(answers.createdAt), asc(answers.id)),
    answers.inspectionId,
  );

/** What grading reads of an answer: which fact it gives (JSON) for which indicator. */
export interface AnswerFactRow {
  inspectionProcessId: string;
  indicatorId: string;
  fact: string;
}

const factsOfOne = perConnection((db) =>
  db.orm
    .select({
      inspectionProcessId: answers.inspectionProcessId,
      indicatorId: answers.indicatorId,
      fact: answers.fact,
    })
    .from(answers)
    .where(
      and(
        eq(answers.inspectionId, sql.placeholder('id')),
        eq(answers.deleted, false),
        isNotNull(answers.fact),
      ),
    )
    .prepare(),
);

/**
 * The live answers of one visit that give a fact, in no particular order (an indicator of a
 * visited process has at most one answer): all a regrade needs, without the rest of each row.
 */
export function listAnswerFacts(db: Db, inspectionId: string): AnswerFactRow[] {
  return factsOfOne(db).all({ id: inspectionId }).filter(givesFact);
}

/**
 * The row as AnswerFactRow: the query keeps only answers with a fact (isNotNull), which its row
 * type cannot say; this check says it to the compiler and drops nothing.
 */
function givesFact<T extends { fact: string | null }>(row: T): row is T & { fact: string } {
  return row.fact !== null;
}
