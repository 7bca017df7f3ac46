import type { Db } from './client';

/**
 * Prepared queries, built once per open database.
 *
 * drizzle's query builder renders its SQL and has SQLite prepare it again on every call, which
 * costs far more than running the query (≈ 0.3 ms against ≈ 0.01 ms). A hot read is therefore
 * declared once as a prepared query (`.prepare()`, its arguments as `sql.placeholder`) and kept
 * per connection, like the statements of db/changes.ts: keyed by the Db, so a closed database's
 * statements go with it and a database opened again gets its own.
 *
 *     const byId = perConnection((db) =>
 *       db.orm.select(cols).from(t).where(eq(t.id, sql.placeholder('id'))).prepare(),
 *     );
 *     byId(db).get({ id });
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
