import type { Db } from '../client';

/**
 * The SQL of record numbers (electron/services/record-numbers.ts has the scheme): which numbers
 * a device already gave, and which visits or plans carry a number. Deleted rows count too, so a
 * number is never given twice.
 */

/** Every number of a visit or plan matching a LIKE pattern (deleted rows included). */
export function recordNumbersLike(db: Db, pattern: string): string[] {
  return db.sqlite
    .prepare<[string, string], { number: string }>(
      `SELECT number FROM inspections WHERE number LIKE ?
       UNION ALL SELECT number FROM plans WHERE number LIKE ?`,
    )
    .all(pattern, pattern)
    .map((r) => r.number);
}

/** A visit's or plan's enterprise is live too: under one in the 回收站 nothing is found. */
const UNDER_LIVE =
  ' AND EXISTS (SELECT 1 FROM enterprises e WHERE e.id = enterprise_id AND e.deleted = 0)';

/** The live visits carrying this number (more than one only if the scheme was ever defeated). */
export function inspectionIdsByNumber(db: Db, number: string): string[] {
  return db.sqlite
    .prepare<[string], { id: string }>(
      `SELECT id FROM inspections WHERE number = ? AND deleted = 0${UNDER_LIVE} ORDER BY created_at, id`,
    )
    .all(number)
    .map((r) => r.id);
}

/** The live plans carrying this number. */
export function planIdsByNumber(db: Db, number: string): string[] {
  return db.sqlite
    .prepare<[string], { id: string }>(
      `SELECT id FROM plans WHERE number = ? AND deleted = 0${UNDER_LIVE} ORDER BY created_at, id`,
    )
    .all(number)
    .map((r) => r.id);
}

/** Live visits made before numbers existed, of one year (their number is derived from the id). */
export function unnumberedInspections(db: Db, year: string): { id: string }[] {
  return db.sqlite
    .prepare<[string], { id: string }>(
      `SELECT id FROM inspections WHERE number IS NULL AND deleted = 0${UNDER_LIVE} AND substr(date, 1, 4) = ?`,
    )
    .all(year);
}

/** Live plans made before numbers existed (their number is derived from the id). */
export function unnumberedPlans(db: Db): { id: string; createdAt: number }[] {
  return db.sqlite
    .prepare<[], { id: string; createdAt: number }>(
      `SELECT id, created_at AS createdAt FROM plans WHERE number IS NULL AND deleted = 0${UNDER_LIVE}`,
    )
    .all();
}
