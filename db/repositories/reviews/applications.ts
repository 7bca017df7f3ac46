import { and, asc, eq, inArray, sql } from 'drizzle-orm';

import type { ChangeSet } from '../../changes';
import type { Db } from '../../client';
import { perConnection, prepare } from '../../prepared';
import { enterpriseProcesses, enterprises, gradeApplications } from '../../schema';
import {
  APPLICATION_STATUSES,
  REVIEW_STEPS,
  type ApplicationStatus,
  type ReviewStep,
} from '../../../shared/domain/review';
import { num, numOrNull, oneOf, rowsOf, text, textOrNull, type SqlRow } from '../sync/rows';

/**
 * Applications (申报) and their review steps (migration 0019). A step is written once and never
 * changed; the application's status is a fold over its steps (shared/domain/review.ts
 * applicationState), which the review queue derives in SQL from each application's last counted
 * step so that it opens fast however many applications there are.
 *
 * A step whose op the central store parked (two reviewers decided the same step, or a step out of
 * order) does not count: it stays on this device with the store's reason, shown beside the others.
 */

export interface ApplicationValues {
  enterpriseId: string;
  processId: string | null;
  kind: string;
  targetGrade: string | null;
  route: string;
  basisGrade: string | null;
  basisNote: string | null;
  /** JSON array of visit ids. */
  inspectionIds: string;
  planId: string | null;
  reason: string | null;
  applicant: string;
  applicantAccount: string | null;
}

export interface ApplicationRow extends ApplicationValues {
  id: string;
  enterpriseName: string;
  cityCode: string;
  createdAt: number;
}

export function insertApplication(
  changes: ChangeSet,
  id: string,
  values: ApplicationValues,
  createdAt: number,
): void {
  changes.insert('grade_applications', id, { ...values, createdAt });
}

/** Writes the materials that differ (a resubmission); returns their names. */
export function updateApplication(
  changes: ChangeSet,
  id: string,
  values: Partial<
    Pick<ApplicationValues, 'inspectionIds' | 'planId' | 'basisGrade' | 'basisNote' | 'reason'>
  >,
): string[] {
  return changes.update('grade_applications', id, values);
}

const applicationColumns = {
  id: gradeApplications.id,
  enterpriseId: gradeApplications.enterpriseId,
  enterpriseName: enterprises.name,
  cityCode: enterprises.cityCode,
  processId: gradeApplications.processId,
  kind: gradeApplications.kind,
  targetGrade: gradeApplications.targetGrade,
  route: gradeApplications.route,
  basisGrade: gradeApplications.basisGrade,
  basisNote: gradeApplications.basisNote,
  inspectionIds: gradeApplications.inspectionIds,
  planId: gradeApplications.planId,
  reason: gradeApplications.reason,
  applicant: gradeApplications.applicant,
  applicantAccount: gradeApplications.applicantAccount,
  createdAt: gradeApplications.createdAt,
};

const byId = perConnection((db) =>
  db.orm
    .select(applicationColumns)
    .from(gradeApplications)
    .innerJoin(enterprises, eq(enterprises.id, gradeApplications.enterpriseId))
    .where(
      and(
        eq(gradeApplications.id, sql.placeholder('id')),
        eq(gradeApplications.deleted, false),
        eq(enterprises.deleted, false),
      ),
    )
    .prepare(),
);

/** A live application of a live enterprise. */
export function getApplication(db: Db, id: string): ApplicationRow | undefined {
  return byId(db).get({ id });
}

const ofEnterprise = perConnection((db) =>
  db.orm
    .select(applicationColumns)
    .from(gradeApplications)
    .innerJoin(enterprises, eq(enterprises.id, gradeApplications.enterpriseId))
    .where(
      and(
        eq(gradeApplications.enterpriseId, sql.placeholder('enterpriseId')),
        eq(gradeApplications.deleted, false),
      ),
    )
    .orderBy(asc(gradeApplications.createdAt), asc(gradeApplications.id))
    .prepare(),
);

/** An enterprise's live applications, oldest first. */
export function listApplicationsOfEnterprise(db: Db, enterpriseId: string): ApplicationRow[] {
  return ofEnterprise(db).all({ enterpriseId });
}

export interface StepValues {
  applicationId: string;
  round: number;
  step: ReviewStep;
  decision: string;
  opinion: string | null;
  requestVisit: boolean;
  decidedBy: string;
  account: string | null;
  role: string | null;
  decidedAt: number;
}

export function insertStep(changes: ChangeSet, id: string, values: StepValues): void {
  changes.insert('review_steps', id, { ...values });
}

export interface StepRow extends StepValues {
  id: string;
  /** Why the central store refused this record; null when it counts. */
  parked: string | null;
}

/**
 * The review steps the store parked and that no retry got accepted: `row_id`s of review_steps.
 * sync_parked is small (ops a person has to look at), so this is read whole.
 */
const PARKED_STEP_IDS = `SELECT row_id FROM sync_parked WHERE table_name = 'review_steps'
  GROUP BY row_id HAVING SUM(status = 'accepted') = 0`;

const STEPS_OF = `SELECT s.id, s.application_id, s.round, s.step, s.decision, s.opinion, s.request_visit,
    s.decided_by, s.account, s.role, s.decided_at,
    (SELECT p.reason FROM sync_parked p WHERE p.table_name = 'review_steps' AND p.row_id = s.id
      ORDER BY p.parked_at DESC, p.seq DESC LIMIT 1) AS parked_reason,
    s.id IN (${PARKED_STEP_IDS}) AS parked
  FROM review_steps s
  WHERE s.application_id = ? AND s.deleted = 0
  ORDER BY s.round, s.decided_at, s.id`;

function stepRow(r: SqlRow): StepRow {
  return {
    id: text(r, 'id'),
    applicationId: text(r, 'application_id'),
    round: num(r, 'round'),
    step: oneOf(r, 'step', REVIEW_STEPS),
    decision: text(r, 'decision'),
    opinion: textOrNull(r, 'opinion'),
    requestVisit: num(r, 'request_visit') === 1,
    decidedBy: text(r, 'decided_by'),
    account: textOrNull(r, 'account'),
    role: textOrNull(r, 'role'),
    decidedAt: num(r, 'decided_at'),
    parked: num(r, 'parked') === 1 ? (textOrNull(r, 'parked_reason') ?? '') : null,
  };
}

/** Every live step of an application, parked ones marked, in the order they were recorded. */
export function listSteps(db: Db, applicationId: string): StepRow[] {
  return rowsOf(prepare(db.sqlite, STEPS_OF).all(applicationId), stepRow);
}

/** Order of a step within a round, as shared/domain/review.ts STEP_ORDER has it. */
const STEP_ORDER_SQL = `CASE s.step WHEN '提交' THEN 0 WHEN '自治区复审' THEN 2 ELSE 1 END`;

/**
 * Each listed application with its last counted step: of its live, unparked steps that fit its
 * route, the latest round's latest step, and of several records of that step the first recorded
 * (the store keeps the first). For a sequence the store accepts this is where
 * applicationState's fold ends; test/electron/services/reviews/list.test.ts holds the two equal.
 */
const LAST_STEP = `(SELECT s.id FROM review_steps s
    WHERE s.application_id = a.id AND s.deleted = 0
      AND s.id NOT IN (${PARKED_STEP_IDS})
      AND (s.step = '提交') = (s.decision = '提交')
      AND (s.step = '提交' OR (a.route = 'region' AND s.step IN ('市级初审', '自治区复审'))
        OR (a.route = 'city' AND s.step = '市级评定'))
    ORDER BY s.round DESC, ${STEP_ORDER_SQL} DESC, s.decided_at, s.id LIMIT 1)`;

const STATUS_SQL = `CASE
    WHEN l.id IS NULL OR l.decision = '退回补充' THEN '退回补充'
    WHEN l.step = '提交' THEN CASE a.route WHEN 'region' THEN '待初审' ELSE '待评定' END
    WHEN l.decision = '通过' THEN CASE l.step WHEN '市级初审' THEN '待复审' ELSE '已通过' END
    ELSE '不予通过' END`;

const NEXT_SQL = `CASE
    WHEN l.id IS NULL OR l.decision = '退回补充' THEN '提交'
    WHEN l.step = '提交' THEN CASE a.route WHEN 'region' THEN '市级初审' ELSE '市级评定' END
    WHEN l.decision = '通过' AND l.step = '市级初审' THEN '自治区复审'
    ELSE NULL END`;

export interface ApplicationListFilter {
  enterpriseId?: string | undefined;
  cityCode?: string | undefined;
  status?: ApplicationStatus | undefined;
  /** Only those whose next step is one of these, in this city (or any city when null). */
  mine?: { steps: readonly ReviewStep[]; cityCode: string | null } | undefined;
  offset: number;
  limit: number;
}

export interface ApplicationListRow {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  cityCode: string;
  processId: string | null;
  kind: string;
  targetGrade: string | null;
  route: string;
  applicant: string;
  createdAt: number;
  status: ApplicationStatus;
  next: ReviewStep | null;
  round: number;
  updatedAt: number;
}

function listRow(r: SqlRow): ApplicationListRow {
  const next = textOrNull(r, 'next');
  return {
    id: text(r, 'id'),
    enterpriseId: text(r, 'enterprise_id'),
    enterpriseName: text(r, 'enterprise_name'),
    cityCode: text(r, 'city_code'),
    processId: textOrNull(r, 'process_id'),
    kind: text(r, 'kind'),
    targetGrade: textOrNull(r, 'target_grade'),
    route: text(r, 'route'),
    applicant: text(r, 'applicant'),
    createdAt: num(r, 'created_at'),
    status: oneOf(r, 'status', APPLICATION_STATUSES),
    next: next === null ? null : oneOf(r, 'next', REVIEW_STEPS),
    round: numOrNull(r, 'round') ?? 1,
    updatedAt: num(r, 'updated_at'),
  };
}

/** The live applications of live enterprises with their state (these columns of it). */
function statesSql(columns: string, where: readonly string[]): string {
  // Applications drive the join (CROSS JOIN keeps them outer): a registry has far more
  // enterprises than applications.
  return `SELECT ${columns} FROM (SELECT a.id, a.enterprise_id, e.name AS enterprise_name, e.city_code,
      a.process_id, a.kind, a.target_grade, a.route, a.applicant, a.created_at,
      ${STATUS_SQL} AS status, ${NEXT_SQL} AS next, l.round AS round,
      COALESCE(l.decided_at, a.created_at) AS updated_at
    FROM grade_applications a
    CROSS JOIN enterprises e ON e.id = a.enterprise_id
    LEFT JOIN review_steps l ON l.id = ${LAST_STEP}
    WHERE ${['a.deleted = 0', 'e.deleted = 0', ...where].join(' AND ')})
    ORDER BY updated_at DESC, id DESC`;
}

const ALL_COLUMNS = '*';

/** What the queue filters, counts and orders by, of one application. */
interface QueueState {
  id: string;
  cityCode: string;
  status: ApplicationStatus;
  next: ReviewStep | null;
}

const STATUS_WORDS = new Map<unknown, ApplicationStatus>(APPLICATION_STATUSES.map((w) => [w, w]));
const STEP_WORDS = new Map<unknown, ReviewStep>(REVIEW_STEPS.map((w) => [w, w]));

function queueState(r: unknown[]): QueueState {
  const [id, cityCode, status, next] = r;
  const word = STATUS_WORDS.get(status);
  if (typeof id !== 'string' || typeof cityCode !== 'string' || word === undefined) {
    throw new TypeError(`unexpected review queue row ${JSON.stringify(r)}`);
  }
  return { id, cityCode, status: word, next: STEP_WORDS.get(next) ?? null };
}

/**
 * Every application's state, most recently active first, kept per connection until the database
 * changes: the review queue is opened, paged and filtered again and again, and working out
 * 50,000 states takes far longer than the 50 ms it may. Any change made on this connection
 * (total_changes) or committed by another (data_version) makes a new key; nothing is kept from
 * inside a transaction, which may still roll back.
 */
const stateCache = new WeakMap<Db, { key: string; states: QueueState[] }>();

function databaseVersion(db: Db): string {
  const changes = num(prepare(db.sqlite, 'SELECT total_changes() AS n').get() as SqlRow, 'n');
  const version = num(prepare(db.sqlite, 'PRAGMA data_version').get() as SqlRow, 'data_version');
  return `${changes}:${version}`;
}

function allStates(db: Db): QueueState[] {
  const cacheable = !db.sqlite.inTransaction;
  const key = databaseVersion(db);
  const cached = stateCache.get(db);
  if (cacheable && cached?.key === key) return cached.states;
  const stmt = prepare(db.sqlite, statesSql('id, city_code, status, next', []));
  const states = (stmt.raw(true).all() as unknown[][]).map(queueState);
  stmt.raw(false);
  if (cacheable) stateCache.set(db, { key, states });
  return states;
}

/**
 * A page of applications (live ones, of live enterprises) with their status, the most recently
 * active first, how many match, and how many wait at each status under the same filter but the
 * status. One enterprise's are read as they are; the whole queue from every application's state,
 * worked out in SQL once per change of the database (allStates).
 */
export function listApplicationPage(
  db: Db,
  filter: ApplicationListFilter,
): { total: number; rows: ApplicationListRow[]; counts: Map<ApplicationStatus, number> } {
  const mine = filter.mine;
  if (mine !== undefined && mine.steps.length === 0) {
    return { total: 0, rows: [], counts: new Map() };
  }
  const ofOne =
    filter.enterpriseId === undefined
      ? null
      : rowsOf(
          prepare(db.sqlite, statesSql(ALL_COLUMNS, ['a.enterprise_id = ?'])).all(
            filter.enterpriseId,
          ),
          listRow,
        );
  const candidates: readonly QueueState[] = ofOne ?? allStates(db);
  const counts = new Map<ApplicationStatus, number>();
  const chosen: string[] = [];
  let total = 0;
  for (const r of candidates) {
    if (filter.cityCode !== undefined && r.cityCode !== filter.cityCode) continue;
    if (mine !== undefined) {
      if (r.next === null || !mine.steps.includes(r.next)) continue;
      if (mine.cityCode !== null && r.cityCode !== mine.cityCode) continue;
    }
    counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    if (filter.status !== undefined && r.status !== filter.status) continue;
    if (total >= filter.offset && chosen.length < filter.limit) chosen.push(r.id);
    total++;
  }
  let rows: ApplicationListRow[];
  if (ofOne !== null) {
    const wanted = new Set(chosen);
    rows = ofOne.filter((r) => wanted.has(r.id));
  } else if (chosen.length === 0) {
    rows = [];
  } else {
    rows = rowsOf(
      prepare(
        db.sqlite,
        statesSql(ALL_COLUMNS, [`a.id IN (${chosen.map(() => '?').join(', ')})`]),
      ).all(...chosen),
      listRow,
    );
  }
  return { total, rows, counts };
}

/** The industry codes of these enterprises' live processes, by process id, in the order added. */
export function listProcessIndustries(
  db: Db,
  enterpriseIds: readonly string[],
): { enterpriseId: string; processId: string; industryCode: string }[] {
  if (enterpriseIds.length === 0) return [];
  return db.orm
    .select({
      enterpriseId: enterpriseProcesses.enterpriseId,
      processId: enterpriseProcesses.id,
      industryCode: enterpriseProcesses.industryCode,
    })
    .from(enterpriseProcesses)
    .where(
      and(
        inArray(enterpriseProcesses.enterpriseId, [...enterpriseIds]),
        eq(enterpriseProcesses.deleted, false),
      ),
    )
    .orderBy(asc(enterpriseProcesses.createdAt), asc(enterpriseProcesses.id))
    .all();
}
