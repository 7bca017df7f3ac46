/**
 * Typed rows for the sync repositories: better-sqlite3 answers `unknown`, and these read it
 * column by column (text, a number, either or null, one of some words) into the row types the
 * repositories declare, instead of asserting the shape with a cast. A column that does not hold
 * what the schema says is a broken database, and throws.
 */

/** A row as better-sqlite3 returns it: column name → value. */
export type SqlRow = Readonly<Record<string, unknown>>;

function isRow(value: unknown): value is SqlRow {
  return typeof value === 'object' && value !== null;
}

function wrong(column: string, what: string): Error {
  return new Error(`sync_* row: column ${column} is not ${what}`);
}

/** Every row of an `.all()`, each through `map`. */
export function rowsOf<T>(rows: readonly unknown[], map: (row: SqlRow) => T): T[] {
  return rows.map((row) => {
    if (!isRow(row)) throw new Error('sync_* row: not a row');
    return map(row);
  });
}

/** The row of a `.get()` through `map`, or undefined when there is none. */
export function rowOf<T>(row: unknown, map: (row: SqlRow) => T): T | undefined {
  if (row === undefined) return undefined;
  if (!isRow(row)) throw new Error('sync_* row: not a row');
  return map(row);
}

/** The row of a `.get()` that always answers one (an aggregate), through `map`. */
export function oneRow<T>(row: unknown, map: (row: SqlRow) => T): T {
  const mapped = rowOf(row, map);
  if (mapped === undefined) throw new Error('sync_* row: the query answered no row');
  return mapped;
}

export function text(row: SqlRow, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw wrong(column, 'text');
  return v;
}

export function textOrNull(row: SqlRow, column: string): string | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw wrong(column, 'text');
  return v;
}

export function num(row: SqlRow, column: string): number {
  const v = row[column];
  if (typeof v !== 'number') throw wrong(column, 'a number');
  return v;
}

export function numOrNull(row: SqlRow, column: string): number | null {
  const v = row[column];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number') throw wrong(column, 'a number');
  return v;
}

/** A text column that holds one of `words`. */
export function oneOf<W extends string>(row: SqlRow, column: string, words: readonly W[]): W {
  const v = text(row, column);
  const word = words.find((w) => w === v);
  if (word === undefined) throw wrong(column, words.join(' or '));
  return word;
}
