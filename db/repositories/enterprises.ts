import { and, count, eq, isNull, ne, type SQL } from 'drizzle-orm';

import type {
  Enterprise,
  EnterpriseDraft,
  EnterprisePage,
  EnterpriseQuery,
} from '../../shared/domain/enterprise';
import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { prepare } from '../prepared';
import { enterprises } from '../schema';

const columns = {
  id: enterprises.id,
  name: enterprises.name,
  creditCode: enterprises.creditCode,
  cityCode: enterprises.cityCode,
  countyCode: enterprises.countyCode,
  address: enterprises.address,
  contactPerson: enterprises.contactPerson,
  contactPhone: enterprises.contactPhone,
  createdAt: enterprises.createdAt,
  updatedAt: enterprises.updatedAt,
};

const live = eq(enterprises.deleted, false);

/**
 * Bulk loading (a pull): until resumeSearchIndex, enterprises inserted are not indexed for search
 * one by one (FTS5 writes a segment per statement) but noted in search_pending, by the triggers of
 * migration 0009. The pause is a row in the database, so it lasts across the pages' transactions.
 */
export function pauseSearchIndex(db: Db): void {
  prepare(db.sqlite, 'INSERT OR IGNORE INTO search_paused (id) VALUES (1)').run();
}

/** Indexes every enterprise noted while paused, in two statements, and ends the pause. */
export function resumeSearchIndex(db: Db): void {
  db.sqlite
    .transaction(() => {
      indexPending(db);
      prepare(db.sqlite, 'DELETE FROM search_paused').run();
    })
    .immediate();
}

/**
 * Indexes the enterprises noted so far and keeps the pause: a pull does it while it waits for
 * its next page, so less is left for the end.
 */
export function catchUpSearchIndex(db: Db): void {
  db.sqlite.transaction(() => indexPending(db)).immediate();
}

function indexPending(db: Db): void {
  if (prepare(db.sqlite, 'SELECT 1 FROM search_pending LIMIT 1').get() === undefined) return;
  // search_pending drives the join (ORDER BY its rowid): ordering by the enterprise's made
  // SQLite walk every enterprise.
  const pending = `FROM search_pending AS p CROSS JOIN enterprises AS e ON e.rowid = p.rowid
    WHERE e.deleted = 0 ORDER BY p.rowid`;
  prepare(
    db.sqlite,
    `INSERT INTO enterprises_fts (rowid, name, credit_code, address)
     SELECT e.rowid, e.name, e.credit_code, e.address ${pending}`,
  ).run();
  prepare(
    db.sqlite,
    `INSERT INTO enterprises_chars (rowid, name, credit_code, address)
     SELECT e.rowid, uplift_spaced(e.name), uplift_spaced(e.credit_code), uplift_spaced(e.address) ${pending}`,
  ).run();
  prepare(db.sqlite, 'DELETE FROM search_pending').run();
}

/** A pull was interrupted (a crash, a lost connection) while the index was paused. */
export function searchIndexPaused(db: Db): boolean {
  return prepare(db.sqlite, 'SELECT 1 FROM search_paused').get() !== undefined;
}

/** Escapes LIKE's wildcards so a search for "50%" finds "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function insertEnterprise(
  changes: ChangeSet,
  id: string,
  draft: EnterpriseDraft,
  createdAt: number,
): void {
  changes.insert('enterprises', id, { ...draft, createdAt });
}

/** Writes the fields that differ; returns their names. */
export function updateEnterprise(changes: ChangeSet, id: string, draft: EnterpriseDraft): string[] {
  return changes.update('enterprises', id, draft);
}

export function getEnterprise(db: Db, id: string): Enterprise | undefined {
  return db.orm
    .select(columns)
    .from(enterprises)
    .where(and(live, eq(enterprises.id, id)))
    .get();
}

/** The first enterprise meeting all these conditions, other than `exceptId`. */
function firstEnterpriseWhere(
  db: Db,
  conditions: SQL[],
  exceptId: string | undefined,
): Enterprise | undefined {
  if (exceptId) conditions.push(ne(enterprises.id, exceptId));
  return db.orm
    .select(columns)
    .from(enterprises)
    .where(and(...conditions))
    .get();
}

/** The live enterprise holding this credit code, other than `exceptId`. */
export function findEnterpriseByCreditCode(
  db: Db,
  creditCode: string,
  exceptId?: string,
): Enterprise | undefined {
  return firstEnterpriseWhere(db, [live, eq(enterprises.creditCode, creditCode)], exceptId);
}

export function countEnterprises(db: Db): number {
  return db.orm.select({ n: count() }).from(enterprises).where(live).get()?.n ?? 0;
}

/** `like` forces a LIKE scan for text: the baseline the search benchmark compares against. */
export type TextMatch = 'auto' | 'like';

/**
 * Which full-text index answers a search text. Three or more characters: the trigram index
 * (any substring). One or two: the single-character index, as a phrase of adjacent characters.
 * Anything else (a lone punctuation mark) falls back to LIKE.
 */
function textIndex(
  text: string,
): { table: 'enterprises_fts' | 'enterprises_chars'; match: string } | null {
  const chars = [...text];
  const phrase = (s: string) => `"${s.replace(/"/g, '""')}"`;
  if (chars.length >= 3) return { table: 'enterprises_fts', match: phrase(text) };
  if (chars.every((c) => /[\p{L}\p{N}]/u.test(c))) {
    return { table: 'enterprises_chars', match: phrase(chars.join(' ')) };
  }
  return null;
}

const SELECT_COLUMNS = `e.id, e.name, e.credit_code AS creditCode, e.city_code AS cityCode,
  e.county_code AS countyCode, e.address, e.contact_person AS contactPerson,
  e.contact_phone AS contactPhone, e.created_at AS createdAt, e.updated_at AS updatedAt`;
const ORDER = 'ORDER BY e.city_code, e.county_code, e.name, e.id';
const LIKE_TEXT = `(e.name LIKE ? ESCAPE '\\' OR e.credit_code LIKE ? ESCAPE '\\' OR e.address LIKE ? ESCAPE '\\')`;
/**
 * A text search counts its matches up to this many. Beyond it the total is reported as capped
 * (the screen asks the person to narrow the search) and the matches come in the order the index
 * holds them (the order enterprises were filed), so a page costs the same however many match.
 */
export const SEARCH_COUNT_CAP = 1000;

/** The non-text filters as SQL on `e` (enterprises), with their parameters. */
function filterSql(query: Omit<EnterpriseQuery, 'offset' | 'limit' | 'text'>): {
  sql: string[];
  params: unknown[];
} {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.cityCode) {
    where.push('e.city_code = ?');
    params.push(query.cityCode);
  }
  if (query.countyCode) {
    where.push('e.county_code = ?');
    params.push(query.countyCode);
  }
  if (query.industryCode || query.currentGrade || query.targetGrade) {
    const sub = ['p.enterprise_id = e.id', 'p.deleted = 0'];
    for (const [column, value] of [
      ['industry_code', query.industryCode],
      ['current_grade', query.currentGrade],
      ['target_grade', query.targetGrade],
    ] as const) {
      if (value) {
        sub.push(`p.${column} = ?`);
        params.push(value);
      }
    }
    where.push(`EXISTS (SELECT 1 FROM enterprise_processes p WHERE ${sub.join(' AND ')})`);
  }
  return { sql: where, params };
}

/**
 * One page of the registry, filtered and ordered by city, county and name.
 *
 * Text goes through the full-text indexes (which hold live rows only). A text with at most
 * SEARCH_COUNT_CAP matches is answered from its matches, sorted, with its exact total; a broader
 * one reports the total as capped and pages in the index's order.
 */
export function listEnterprises(
  db: Db,
  query: EnterpriseQuery,
  textMatch: TextMatch = 'auto',
): Omit<EnterprisePage, 'items'> & { items: Enterprise[] } {
  const filters = filterSql(query);
  const text = query.text?.trim() ?? '';
  // SQLite reads a LIKE pattern and an FTS5 query only up to a NUL: "\0" alone would match every
  // enterprise and "水泥\0有限" break the query. No stored name, code or address holds one
  // (shared/text.ts), so a search for one matches nothing.
  if (text.includes('\u0000')) return { total: 0, items: [] };
  const index = text && textMatch === 'auto' ? textIndex(text) : null;
  const page = [query.limit, query.offset];
  const all = <T>(sqlText: string, params: unknown[]) =>
    db.sqlite.prepare(sqlText).all(...params) as T[];
  const one = (sqlText: string, params: unknown[]) =>
    (db.sqlite.prepare(sqlText).get(...params) as { n: number }).n;

  if (!index) {
    const where = ['e.deleted = 0', ...filters.sql];
    const params = [...filters.params];
    if (text) {
      const p = likePattern(text);
      where.push(LIKE_TEXT);
      params.push(p, p, p);
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    return {
      total: one(`SELECT count(*) AS n FROM enterprises e ${clause}`, params),
      items: all<Enterprise>(
        `SELECT ${SELECT_COLUMNS} FROM enterprises e ${clause} ${ORDER} LIMIT ? OFFSET ?`,
        [...params, ...page],
      ),
    };
  }

  const { table, match } = index;
  const others = filters.sql.map((c) => ` AND ${c}`).join('');
  const joined = `FROM ${table} f JOIN enterprises e ON e.rowid = f.rowid WHERE f.${table} MATCH ? AND e.deleted = 0${others}`;
  const joinedParams = [match, ...filters.params];
  const counted =
    filters.sql.length === 0
      ? one(`SELECT count(*) AS n FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`, [
          match,
          SEARCH_COUNT_CAP + 1,
        ])
      : one(`SELECT count(*) AS n FROM (SELECT 1 ${joined} LIMIT ?)`, [
          ...joinedParams,
          SEARCH_COUNT_CAP + 1,
        ]);
  if (counted <= SEARCH_COUNT_CAP) {
    return {
      total: counted,
      items: all<Enterprise>(`SELECT ${SELECT_COLUMNS} ${joined} ${ORDER} LIMIT ? OFFSET ?`, [
        ...joinedParams,
        ...page,
      ]),
    };
  }
  // Too many to sort at typing speed: take them in the index's own (creation) order instead.
  return {
    total: SEARCH_COUNT_CAP,
    totalCapped: true,
    items: all<Enterprise>(`SELECT ${SELECT_COLUMNS} ${joined} ORDER BY f.rowid LIMIT ? OFFSET ?`, [
      ...joinedParams,
      ...page,
    ]),
  };
}

/** The live enterprise of this name in this city and county, other than `exceptId`. */
export function findEnterpriseByNameInCounty(
  db: Db,
  name: string,
  cityCode: string,
  countyCode: string | null,
  exceptId?: string,
): Enterprise | undefined {
  const conditions = [
    live,
    eq(enterprises.name, name),
    eq(enterprises.cityCode, cityCode),
    countyCode === null ? isNull(enterprises.countyCode) : eq(enterprises.countyCode, countyCode),
  ];
  return firstEnterpriseWhere(db, conditions, exceptId);
}
