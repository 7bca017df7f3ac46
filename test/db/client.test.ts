import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import {
  closeDatabase,
  DatabaseOpenError,
  defaultMigrationsFolder,
  openDatabase,
} from '../../db/client';
import { tempDir } from '../helpers/context';

function copyMigrations(): string {
  const dir = path.join(tempDir('uplift-migrations-'), 'migrations');
  fs.cpSync(defaultMigrationsFolder(), dir, { recursive: true });
  return dir;
}

/** Appends a migration to a copied folder, as drizzle-kit would write it. */
function addMigration(dir: string, tag: string, sql: string, when: number): void {
  const journalFile = path.join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  journal.entries.push({ idx: journal.entries.length, version: '6', when, tag, breakpoints: true });
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  fs.writeFileSync(path.join(dir, `${tag}.sql`), sql);
}

function seed(file: string): void {
  const db = openDatabase(file);
  db.sqlite
    .prepare(
      `INSERT INTO enterprises (id, name, city_code, created_at, updated_at, updated_by) VALUES ('e1', '宁夏瑞泰水泥有限公司', '6401', 1, 'h', 'd')`,
    )
    .run();
  closeDatabase(db);
}

describe('openDatabase()', () => {
  it('opens in WAL mode with foreign keys and a busy timeout', () => {
    const db = openDatabase(path.join(tempDir(), 'uplift.db'));
    expect(db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    closeDatabase(db);
  });

  it('applies the committed migrations to a new file', () => {
    const db = openDatabase(path.join(tempDir(), 'uplift.db'));
    const tables = db.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(expect.arrayContaining(['enterprises', 'outbox', 'sync_state']));
    closeDatabase(db);
  });

  it('rolls back a failing migration whole and leaves the data as it was', () => {
    const file = path.join(tempDir(), 'uplift.db');
    seed(file);
    const migrations = copyMigrations();
    addMigration(
      migrations,
      '0099_broken',
      'ALTER TABLE enterprises ADD COLUMN grade text;--> statement-breakpoint\nTHIS IS NOT SQL;',
      Date.now() + 1000,
    );
    expect(() => openDatabase(file, { migrationsFolder: migrations })).toThrow(DatabaseOpenError);
    expect(() => openDatabase(file, { migrationsFolder: migrations })).toThrow(/已全部回滚/);
    const raw = new Database(file, { readonly: true });
    const columns = raw.prepare('PRAGMA table_info(enterprises)').all() as { name: string }[];
    expect(columns.map((c) => c.name)).not.toContain('grade');
    expect(raw.prepare('SELECT name FROM enterprises').pluck().all()).toEqual([
      '宁夏瑞泰水泥有限公司',
    ]);
    raw.close();
  });

  it('keeps a backup of the file before an upgrade', () => {
    const file = path.join(tempDir(), 'uplift.db');
    seed(file);
    const migrations = copyMigrations();
    const when = Date.now() + 1000;
    addMigration(migrations, '0001_grade', 'ALTER TABLE enterprises ADD COLUMN grade text;', when);
    closeDatabase(openDatabase(file, { migrationsFolder: migrations }));
    if (process.platform !== 'win32') {
      // A copy of everything, the login token included: its owner's only, as the file is.
      expect(fs.statSync(`${file}.before-${when}.bak`).mode & 0o777).toBe(0o600);
    }
    const backup = new Database(`${file}.before-${when}.bak`, { readonly: true });
    expect(backup.prepare('SELECT name FROM enterprises').pluck().all()).toEqual([
      '宁夏瑞泰水泥有限公司',
    ]);
    backup.close();
  });

  it('refuses a file written by a newer version and does not touch it', () => {
    const file = path.join(tempDir(), 'uplift.db');
    const migrations = copyMigrations();
    addMigration(migrations, '0001_future', 'CREATE TABLE future (id text);', Date.now() + 1000);
    closeDatabase(openDatabase(file, { migrationsFolder: migrations }));
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/更新版本/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('says clearly when the file cannot be opened at all', () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'uplift.db'),
      'this is not a database, just some text'.repeat(100),
    );
    expect(() => openDatabase(path.join(dir, 'uplift.db'))).toThrow(DatabaseOpenError);
  });
});

describe('committed migrations', () => {
  it('agree with the schema: generating again yields nothing new', () => {
    const out = copyMigrations();
    const before = fs.readdirSync(out).sort();
    execFileSync(
      process.execPath,
      [
        path.resolve('node_modules/drizzle-kit/bin.cjs'),
        'generate',
        '--config',
        'db/drizzle.config.ts',
      ],
      { env: { ...process.env, UPLIFT_MIGRATIONS_OUT: out }, stdio: 'pipe' },
    );
    expect(fs.readdirSync(out).sort()).toEqual(before);
  });
});
