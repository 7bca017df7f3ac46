import type { ChangeSet } from '../../changes';
import type { Db } from '../../client';
import { prepare } from '../../prepared';

/**
 * 信息公开 (migration 0019): the official grades a results list would publish now, and the
 * published editions (publications), each frozen when written and never changed.
 */

/** One official grade now, as the results list reads it (industry codes, region codes). */
export interface PublishableGrade {
  enterpriseId: string;
  name: string;
  creditCode: string | null;
  cityCode: string;
  countyCode: string | null;
  /** The process the grade is for; null for the enterprise as a whole. */
  processId: string | null;
  /**
   * For a process's grade, its industry; for the enterprise's, its live processes' industries in
   * the order they were added, joined by commas (codes, possibly repeated).
   */
  industryCodes: string | null;
  grade: string;
  gradeDate: string;
}

/**
 * The latest grade event of every (enterprise, process) of live enterprises (and live processes),
 * by effective date, then when it was recorded; revoked grades (null) are left out. One statement
 * over the whole scope: a window over grade_events (read through its enterprise index), then one
 * lookup of the enterprise's industries for each enterprise-level grade.
 */
function publishableSql(byCity: boolean): string {
  return `
    WITH ranked AS (
      SELECT g.enterprise_id, g.process_id, g.grade, g.effective_date,
             ROW_NUMBER() OVER (
               PARTITION BY g.enterprise_id, g.process_id
               ORDER BY g.effective_date DESC, g.created_at DESC, g.id DESC
             ) AS rn
      FROM grade_events g
      JOIN enterprises e ON e.id = g.enterprise_id AND e.deleted = 0
      WHERE g.deleted = 0${byCity ? ' AND e.city_code = ?' : ''}
    )
    SELECT e.id AS enterpriseId, e.name AS name, e.credit_code AS creditCode,
           e.city_code AS cityCode, e.county_code AS countyCode,
           r.process_id AS processId, r.grade AS grade, r.effective_date AS gradeDate,
           CASE WHEN r.process_id IS NULL THEN (
             SELECT group_concat(industry_code, ',') FROM (
               SELECT q.industry_code FROM enterprise_processes q
               WHERE q.enterprise_id = e.id AND q.deleted = 0
               ORDER BY q.created_at, q.id
             )
           ) ELSE p.industry_code END AS industryCodes
    FROM ranked r
    JOIN enterprises e ON e.id = r.enterprise_id
    LEFT JOIN enterprise_processes p ON p.id = r.process_id
    WHERE r.rn = 1 AND r.grade IS NOT NULL
      AND (r.process_id IS NULL OR (p.id IS NOT NULL AND p.deleted = 0))
    ORDER BY e.city_code, e.county_code IS NULL, e.county_code, e.name, e.id,
             r.process_id IS NOT NULL, p.created_at, r.process_id`;
}

/** Every official grade now in a city (its code), or in the whole region (null). */
export function listPublishableGrades(db: Db, cityCode: string | null): PublishableGrade[] {
  if (cityCode === null) {
    return prepare(db.sqlite, publishableSql(false)).all() as PublishableGrade[];
  }
  return prepare(db.sqlite, publishableSql(true)).all(cityCode) as PublishableGrade[];
}

export interface PublicationValues {
  scope: string;
  edition: number;
  title: string;
  publishedAt: number;
  publishedBy: string;
  account: string | null;
  /** JSON of the rows, frozen. */
  content: string;
  rowCount: number;
}

export function insertPublication(changes: ChangeSet, id: string, values: PublicationValues): void {
  changes.insert('publications', id, { ...values });
}

export interface PublicationRecord {
  id: string;
  scope: string;
  edition: number;
  title: string;
  publishedAt: number;
  publishedBy: string;
  account: string | null;
  rowCount: number;
}

const SUMMARY_COLUMNS = `id, scope, edition, title, published_at AS publishedAt,
  published_by AS publishedBy, account, row_count AS rowCount`;

/** Published editions, newest first (by publication time across scopes, by edition within one). */
export function listPublicationRecords(db: Db, scope: string | null): PublicationRecord[] {
  if (scope === null) {
    return prepare(
      db.sqlite,
      `SELECT ${SUMMARY_COLUMNS} FROM publications WHERE deleted = 0
       ORDER BY published_at DESC, scope, edition DESC, id`,
    ).all() as PublicationRecord[];
  }
  return prepare(
    db.sqlite,
    `SELECT ${SUMMARY_COLUMNS} FROM publications WHERE deleted = 0 AND scope = ?
     ORDER BY edition DESC, published_at DESC, id`,
  ).all(scope) as PublicationRecord[];
}

export type PublicationWithContent = PublicationRecord & { content: string };

export function getPublicationRecord(db: Db, id: string): PublicationWithContent | undefined {
  return prepare(
    db.sqlite,
    `SELECT ${SUMMARY_COLUMNS}, content FROM publications WHERE id = ? AND deleted = 0`,
  ).get(id) as PublicationWithContent | undefined;
}

/**
 * The scope's edition `edition`, or its latest when `edition` is null. Two devices offline may
 * both publish the same number; the one published first counts.
 */
export function findEdition(
  db: Db,
  scope: string,
  edition: number | null,
): PublicationWithContent | undefined {
  if (edition === null) {
    return prepare(
      db.sqlite,
      `SELECT ${SUMMARY_COLUMNS}, content FROM publications WHERE deleted = 0 AND scope = ?
       ORDER BY edition DESC, published_at, id LIMIT 1`,
    ).get(scope) as PublicationWithContent | undefined;
  }
  return prepare(
    db.sqlite,
    `SELECT ${SUMMARY_COLUMNS}, content FROM publications
     WHERE deleted = 0 AND scope = ? AND edition = ?
     ORDER BY published_at, id LIMIT 1`,
  ).get(scope, edition) as PublicationWithContent | undefined;
}
