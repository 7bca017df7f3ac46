import type Database from 'better-sqlite3';
import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import type { Db } from './client';

/**
 * THE prepared-statement cache: statements and prepared queries built once per open database.
 *
 * drizzle's query builder renders its SQL and has SQLite prepare it again on every call, which
 * costs far more than running the query (≈ 0.3 ms against ≈ 0.01 ms). A hot read is therefore
 * declared once as a prepared query (`.prepare()`, its arguments as `sql.placeholder`) and kept
 * per connection, like the raw statements of `prepare` below: keyed by the connection, so a
 * closed database's statements go with it and a database opened again gets its own.
 *
 *     const byId = perConnection((db) =>
 *       db.orm.select(cols).from(t).where(eq(t.id, sql.placeholder('id'))).prepare(),
 *     );
 *     byId(db).get({ id });
 *
 * Raw SQL (db/ modules that write synced tables, the registry's reads) goes through `prepare`,
 * keyed by its text, or `prepareAs`, keyed by a short name when the text is costly to build.
 */
export function perConnection<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = build(db);
      cache.set(db, value);
    }
    return value;
  };
}

/** A read narrowed by a condition on a column: run as built, or prepared. */
interface NarrowedRead<Row> {
  all(): Row[];
  prepare(): { all(values: { id: string | undefined }): Row[] };
}

/**
 * A list read by the ids held in `column` (e.g. the rows of some visits): one id's (autosave,
 * opening a visit) through a query prepared once per connection, several ids' built for them.
 */
export function perConnectionByIds<Row>(
  select: (db: Db, condition: SQL) => NarrowedRead<Row>,
  column: SQLiteColumn,
): (db: Db, ids: readonly string[]) => Row[] {
  const ofOne = perConnection((db) => select(db, eq(column, sql.placeholder('id'))).prepare());
  return (db, ids) => {
    if (ids.length === 0) return [];
    if (ids.length === 1) return ofOne(db).all({ id: ids[0] });
    return select(db, inArray(column, [...ids])).all();
  };
}

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function statementsOf(sqlite: Database.Database): Map<string, Database.Statement> {
  let cache = statementCache.get(sqlite);
  if (!cache) {
    cache = new Map();
    statementCache.set(sqlite, cache);
  }
  return cache;
}

/** A statement prepared once per connection, keyed by its SQL. */
export function prepare(sqlite: Database.Database, sql: string): Database.Statement {
  const cache = statementsOf(sqlite);
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = sqlite.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/**
 * A statement prepared once per connection under a short key, its SQL built only then. The key
 * must name one SQL text for good (e.g. the table and the columns it writes); keys live apart
 * from the SQL texts `prepare` keys by (they start with a NUL, which no SQL text does).
 */
export function prepareAs(
  sqlite: Database.Database,
  key: string,
  sql: () => string,
): Database.Statement {
  const cache = statementsOf(sqlite);
  const slot = `\u0000${key}`;
  let stmt = cache.get(slot);
  if (!stmt) {
    stmt = sqlite.prepare(sql());
    cache.set(slot, stmt);
  }
  return stmt;
}
