import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';

import * as schema from './schema';

export type Orm = BetterSQLite3Database<typeof schema>;

/** An open local database: the raw handle (for prepared statements) and the drizzle handle. */
export interface Db {
  readonly sqlite: Database.Database;
  readonly orm: Orm;
  readonly file: string;
}

/** Opening failed in a way the user must hear about; the message is Chinese and complete. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export interface OpenOptions {
  /** Folder of drizzle-kit's migrations; defaults to db/migrations beside this file. */
  migrationsFolder?: string;
}

export function defaultMigrationsFolder(): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
}

/**
 * Opens (creating if needed) the SQLite file and brings its schema up to date before anyone
 * reads it: WAL, foreign keys, a busy timeout for a second process (the CLI beside the app).
 * Before an upgrade of a file that holds data it writes a backup beside it. A migration that
 * fails is rolled back whole; a file written by a newer Uplift is refused, never downgraded.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR });
    keepPrivate(file);
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file);
  } catch (e) {
    throw new DatabaseOpenError(`无法打开数据文件 ${file}：${(e as Error).message}`);
  }
  try {
    sqlite.pragma('busy_timeout = 5000');
    if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    registerFunctions(sqlite);
    const orm = drizzle(sqlite, { schema });
    applyMigrations(sqlite, orm, file, migrationsFolder);
    return { sqlite, orm, file };
  } catch (e) {
    sqlite.close();
    if (e instanceof DatabaseOpenError) throw e;
    const reason =
      (e as { code?: string }).code === 'SQLITE_NOTADB'
        ? '它不是 SQLite 数据库，或已损坏'
        : (e as Error).message;
    throw new DatabaseOpenError(`无法打开数据文件 ${file}：${reason}。文件未作任何修改。`);
  }
}

/** A folder of ours: its owner only (Windows has no such modes; there it changes nothing). */
export const PRIVATE_DIR = 0o700;
/** A file of ours: read and written by its owner only. */
export const PRIVATE_FILE = 0o600;

/**
 * The database file (it holds the login token for the central store, in plain text outside the
 * desktop app) readable by its owner only: created so when new, and tightened when an older
 * Uplift left it readable by others. SQLite gives its -wal and -shm files the database file's mode.
 */
function keepPrivate(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
  } catch {
    return; // Opening will say what is wrong.
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o077) !== 0) fs.chmodSync(f, PRIVATE_FILE);
    } catch {
      // Absent, or not ours to change: nothing to tighten.
    }
  }
  // The folders around it, as an older Uplift may have left them: closing the data folder and
  // its attachments folder closes every photo under them without walking thousands of files.
  const dir = path.dirname(file);
  for (const d of [dir, path.join(dir, 'attachments')]) {
    try {
      if ((fs.statSync(d).mode & 0o077) !== 0) fs.chmodSync(d, PRIVATE_DIR);
    } catch {
      // Absent, or not ours to change.
    }
  }
}

/**
 * SQL functions our triggers call; registered on every connection before anything is written.
 * uplift_spaced('瑞泰') = '瑞 泰': one token per character for the single-character search index.
 */
export function registerFunctions(sqlite: Database.Database): void {
  sqlite.function('uplift_spaced', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? [...value].join(' ') : null,
  );
}

/** drizzle's record of the migrations applied to a database. */
export const MIGRATIONS_TABLE = '__drizzle_migrations';

/** The stamp of the last migration in a folder: the schema version it brings a database to. */
export function lastMigration(folder: string = defaultMigrationsFolder()): number {
  return readMigrationFiles({ migrationsFolder: folder }).at(-1)?.folderMillis ?? 0;
}

/** The stamp of the last migration applied to an open database (0: none). */
export function appliedMigration(sqlite: Database.Database): number {
  const hasTable = sqlite
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(MIGRATIONS_TABLE);
  if (!hasTable) return 0;
  const row = sqlite.prepare(`SELECT max(created_at) AS last FROM ${MIGRATIONS_TABLE}`).get() as {
    last: number | string | null;
  };
  return Number(row.last ?? 0);
}

function applyMigrations(sqlite: Database.Database, orm: Orm, file: string, folder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const latestKnown = migrations.at(-1)?.folderMillis ?? 0;
  const applied = appliedMigration(sqlite);
  if (applied > latestKnown) {
    throw new DatabaseOpenError(
      `数据文件 ${file} 由更新版本的 Uplift 写入，本版本无法安全打开。请升级 Uplift 后再打开；文件未作任何修改。`,
    );
  }
  const pending = migrations.filter((m) => m.folderMillis > applied);
  if (pending.length === 0) return;
  if (applied > 0 && file !== ':memory:') {
    const backup = `${file}.before-${latestKnown}.bak`;
    if (!fs.existsSync(backup)) {
      // Created empty and private first: VACUUM INTO fills an empty file, keeping its mode.
      fs.closeSync(fs.openSync(backup, 'wx', PRIVATE_FILE));
      try {
        sqlite.prepare('VACUUM INTO ?').run(backup);
      } catch (e) {
        fs.rmSync(backup, { force: true });
        throw e;
      }
    }
  }
  try {
    migrate(orm, { migrationsFolder: folder });
  } catch (e) {
    throw new DatabaseOpenError(
      `数据库升级失败，已全部回滚，数据文件保持原样（${file}）。原因：${(e as Error).message}`,
    );
  }
}

/** Closes the database, folding the WAL back into the main file. */
export function closeDatabase(db: Db): void {
  if (db.sqlite.open) {
    if (db.file !== ':memory:') db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    db.sqlite.close();
  }
}
