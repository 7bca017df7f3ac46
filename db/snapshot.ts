import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';

import Database from 'better-sqlite3';

import { isHlc } from '../shared/sync/hlc';

import { observeClock, type Device } from './changes';
import {
  appliedMigration,
  closeDatabase,
  defaultMigrationsFolder,
  lastMigration,
  MIGRATIONS_TABLE,
  openDatabase,
  registerFunctions,
  type Db,
} from './client';
import { prepare } from './prepared';
import { resumeSearchIndex, searchIndexPaused } from './repositories/enterprises';
import { readSyncSettings } from './repositories/sync';
import { applyPullPage, type PullPage } from './sync-apply';
import { syncedTables, tableInfo, type SyncedTableName } from './synced-tables';

/**
 * Snapshots: a new device's first sync adopts a database the central store prepared, instead of
 * applying 100+ pull pages row by row (a first pull of 50,000 enterprises spent most of its time
 * inserting rows and building the search index, which no faster transfer can remove).
 *
 * The store builds one per scope with THIS module and the device's own migrations and apply code
 * (buildSnapshot): the file is exactly what a device holds after pulling every page, search index
 * included. A device adopts it only while it holds nothing that could be lost — no row of a synced
 * table, no op in its outbox, no cursor — and only a file of its own schema version, checked
 * table by table, trigger by trigger. Adopting keeps the device's own tables (its id, token,
 * settings, clock), then copies the whole file over the live database with SQLite's backup in one
 * write transaction: a crash leaves the empty database as it was, never half of both. After it,
 * pages after the snapshot's cursor bring what changed since it was built.
 */

/** Tables of the device itself: adopting keeps the device's rows of these, never the file's. */
export const DEVICE_TABLES = [
  'sync_state',
  'outbox',
  'sync_conflicts',
  'sync_parked',
  'sync_files',
  'sync_bundle_ops',
  'sync_removing',
  'sync_scope_exits',
  'sync_relay',
] as const;

/**
 * Tables the snapshot brings besides the synced ones: values applying set aside, and the search
 * index's bookkeeping (both indexes' own tables come with the file, built).
 */
const PULLED_STATE = ['sync_deferred', 'search_paused', 'search_pending'] as const;

/** The search indexes: virtual tables whose shadow tables (`<name>_data` …) come with them. */
const SEARCH_INDEXES = ['enterprises_fts', 'enterprises_chars'] as const;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Refusals of a snapshot: nothing was changed, and the device pulls page by page instead. */
export class SnapshotRefused extends Error {
  override name = 'SnapshotRefused';
}

/** The schema version a migrations folder brings a database to, as the protocol sends it. */
export function schemaOfMigrations(folder = defaultMigrationsFolder()): string {
  return String(lastMigration(folder));
}

/** The schema version of an open database, as the protocol sends it. */
export function schemaOf(sqlite: Database.Database): string {
  return String(appliedMigration(sqlite));
}

/** Where a table's rows come from when a snapshot is adopted. */
export function tableOrigin(name: string): 'device' | 'snapshot' | null {
  if ((DEVICE_TABLES as readonly string[]).includes(name)) return 'device';
  if (name === MIGRATIONS_TABLE || name.startsWith('sqlite_')) return 'snapshot';
  if ((PULLED_STATE as readonly string[]).includes(name)) return 'snapshot';
  if (sqlNames().includes(name)) return 'snapshot';
  if (SEARCH_INDEXES.some((f) => name === f || name.startsWith(`${f}_`))) return 'snapshot';
  return null;
}

let sqlNamesCache: string[] | null = null;
function sqlNames(): string[] {
  sqlNamesCache ??= (Object.keys(syncedTables) as SyncedTableName[]).map(
    (t) => tableInfo(t).sqlName,
  );
  return sqlNamesCache;
}

/**
 * Whether this device may adopt a snapshot: it has never pulled, its outbox is empty, and no
 * synced table (nor the values set aside from them) holds a row. Anything else pulls page by
 * page, so nothing of the device's own is ever replaced.
 */
export function isFreshDevice(db: Db): boolean {
  return whyNotFresh(db.sqlite, 'main', readSyncSettings(db).cursor) === null;
}

function whyNotFresh(sqlite: Database.Database, schema: string, cursor: string | null) {
  if (cursor !== null) return '这台设备已经同步过';
  if (sqlite.prepare(`SELECT 1 FROM ${schema}.outbox LIMIT 1`).get()) {
    return '这台设备有尚未同步的修改';
  }
  for (const table of [...sqlNames(), 'sync_deferred']) {
    if (sqlite.prepare(`SELECT 1 FROM ${schema}."${table}" LIMIT 1`).get()) {
      return `这台设备已有数据（${table}）`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Building (on the central store)
// ---------------------------------------------------------------------------------------------

/** Writes a snapshot file: the pull's pages applied in order, as a device would apply them. */
export interface SnapshotBuilder {
  apply(page: PullPage): void;
  /** Ends the file (search index built, compacted, checked); returns its rows and cursor. */
  finish(): { rows: number; cursor: string | null };
  /** Closes without finishing (the caller removes the file). */
  abandon(): void;
}

/** The builder, as the device applying pages (its id only names the clock it leaves). */
const BUILDER: Device = {
  deviceId: 'snapshot',
  now: () => Date.now(),
  newId: () => crypto.randomUUID(),
};

export function buildSnapshot(file: string, migrationsFolder?: string): SnapshotBuilder {
  const db = openDatabase(file, migrationsFolder ? { migrationsFolder } : {});
  let cursor: string | null = null;
  return {
    apply(page) {
      applyPullPage(db, BUILDER, page);
      cursor = page.cursor;
    },
    finish() {
      try {
        if (searchIndexPaused(db)) resumeSearchIndex(db);
        // The builder's own device facts are no device's business: only its clock stays (the
        // newest stamp the snapshot holds, which an adopting device moves its clock past).
        for (const table of DEVICE_TABLES) {
          db.sqlite.exec(
            table === 'sync_state'
              ? `DELETE FROM sync_state WHERE key <> 'lastHlc'`
              : `DELETE FROM "${table}"`,
          );
        }
        const rows = sqlNames().reduce(
          (n, t) =>
            n + (db.sqlite.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
          0,
        );
        db.sqlite.exec('VACUUM');
        // Everything a device will not check again: index contents, both search indexes.
        const check = db.sqlite.pragma('integrity_check', { simple: true });
        if (check !== 'ok') throw new Error(`snapshot ${file} failed its check: ${String(check)}`);
        for (const index of SEARCH_INDEXES) {
          db.sqlite.exec(`INSERT INTO ${index} (${index}) VALUES ('integrity-check')`);
        }
        return { rows, cursor };
      } finally {
        closeDatabase(db);
      }
    },
    abandon() {
      closeDatabase(db);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Adopting (on the device)
// ---------------------------------------------------------------------------------------------

interface SchemaEntry {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

function schemaEntries(sqlite: Database.Database, schema: string): Map<string, SchemaEntry> {
  const rows = sqlite
    .prepare(`SELECT type, name, tbl_name, sql FROM ${schema}.sqlite_schema ORDER BY name`)
    .all() as SchemaEntry[];
  return new Map(rows.map((r) => [`${r.type}:${r.name}`, r]));
}

/** Copies the live database's device tables into the snapshot (the snapshot's own go). */
function keepDeviceTables(snap: Database.Database, tables: readonly string[]): void {
  for (const table of tables) {
    snap.exec(
      `DELETE FROM main."${table}"; INSERT INTO main."${table}" SELECT * FROM live."${table}"`,
    );
  }
}

const require = createRequire(import.meta.url);

interface NativeBackup {
  transfer(pages: number): { totalPages: number; remainingPages: number };
  close(): void;
}

interface NativeDb {
  backup(db: Database.Database, attached: string, file: string, unlink: boolean): NativeBackup;
}

/**
 * A copy of `source` over the database file `destination`, through SQLite's backup, driven
 * step by step: better-sqlite3's backup() steps on later turns of the event loop, when the app
 * could write in between. Its native backup object (the one backup() drives) lets `lock()` take
 * the destination's write lock first — other connections may still read, none may write — and
 * `copy()` then copy every page and commit, all without yielding.
 */
function backupOver(source: Database.Database, destination: string) {
  const { cppdb } = require('better-sqlite3/lib/util.js') as { cppdb: symbol };
  const native = (source as unknown as Record<symbol, NativeDb | undefined>)[cppdb];
  if (!native || typeof native.backup !== 'function') {
    throw new SnapshotRefused('这一版本的 better-sqlite3 不支持整库复制');
  }
  const backup = native.backup(source, 'main', destination, false);
  let closed = false;
  const close = () => {
    if (!closed) backup.close();
    closed = true;
  };
  return {
    /** Takes the write lock: no other connection writes until copy() or close(). */
    lock(): void {
      // A busy destination is not an error here: the step reports no pages at all.
      if (backup.transfer(0).totalPages === 0) {
        close();
        throw new SnapshotRefused('本机数据库正被其他程序写入，稍后再同步');
      }
    },
    copy(): void {
      const progress = backup.transfer(-1);
      close();
      if (progress.totalPages === 0 || progress.remainingPages !== 0) {
        throw new SnapshotRefused('快照未能完整写入本机数据库');
      }
    },
    close,
  };
}

export interface Adopted {
  /** Rows of synced tables the device holds now. */
  rows: number;
  tables: SyncedTableName[];
}

/**
 * Makes the snapshot (the database file's bytes) the device's database: checks that it is a
 * sound database of this very schema, takes the live database's write lock, checks the device is
 * still fresh, copies the device's own tables into the snapshot, then copies it over the live
 * database in one transaction. `cursor` is the store's position the snapshot was built at.
 * Throws SnapshotRefused, with the device's database untouched, when anything fails before the
 * copy commits.
 */
export function adoptSnapshot(db: Db, image: Buffer, cursor: string, device: Device): Adopted {
  if (db.file === ':memory:') throw new SnapshotRefused('内存数据库不能采用快照');
  if (image.byteLength < 512 || !image.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new SnapshotRefused('快照不是 SQLite 数据库');
  }
  // Opened in memory: a file in WAL mode (bytes 18–19 = 2) cannot be, so it is marked as a
  // plain one; the copy marks the device's file as its journal mode requires.
  if (image[18] === 2 && image[19] === 2) image.fill(1, 18, 20);
  let snap: Database.Database;
  try {
    snap = new Database(image);
  } catch (e) {
    throw new SnapshotRefused(`快照无法打开：${(e as Error).message}`);
  }
  try {
    return adoptOpen(db, snap, cursor, device);
  } catch (e) {
    if (e instanceof SnapshotRefused) throw e;
    // A damaged page, a clock that is not one, a full disk: the device's database is as it was.
    throw new SnapshotRefused(`快照不能采用：${(e as Error).message}`);
  } finally {
    snap.close();
  }
}

function adoptOpen(db: Db, snap: Database.Database, cursor: string, device: Device): Adopted {
  registerFunctions(snap);
  // A damaged page is an error, never a crash (https://sqlite.org/security.html).
  snap.pragma('cell_size_check = ON');
  snap.pragma('foreign_keys = OFF');
  const mine = schemaOf(db.sqlite);
  let theirs: string;
  try {
    theirs = schemaOf(snap);
  } catch (e) {
    throw new SnapshotRefused(`快照不是 Uplift 数据库：${(e as Error).message}`);
  }
  if (theirs !== mine) {
    throw new SnapshotRefused(`快照的数据库版本（${theirs}）与本机（${mine}）不同`);
  }
  for (const pragma of ['page_size', 'encoding'] as const) {
    const a: unknown = db.sqlite.pragma(pragma, { simple: true });
    const b: unknown = snap.pragma(pragma, { simple: true });
    if (a !== b) throw new SnapshotRefused(`快照的 ${pragma}（${String(b)}）与本机不同`);
  }
  // The same tables, indexes, triggers and views, to the letter: a file that differs in any of
  // them (a trigger of its own, say) is refused.
  const expected = schemaEntries(db.sqlite, 'main');
  const found = schemaEntries(snap, 'main');
  for (const key of new Set([...expected.keys(), ...found.keys()])) {
    const a = expected.get(key);
    const b = found.get(key);
    if (!a || !b || a.sql !== b.sql || a.tbl_name !== b.tbl_name) {
      throw new SnapshotRefused(`快照的数据库结构与本机不同（${key}）`);
    }
    if (a.type === 'table' && tableOrigin(a.name) === null) {
      throw new SnapshotRefused(`本机的数据表 ${a.name} 未说明快照如何处理`);
    }
  }
  // What is not checked here, and why: the store ran integrity_check and both search indexes'
  // checks on the file before hashing it, and the device checked that hash over the bytes it
  // received, so damage on the store's disk or on the way is caught. A full check here (half a
  // second for 50,000 enterprises, a second with the index contents) would only add a defence
  // against a store that crafts a file to harm its devices — which, like one that sends false
  // rows, is a matter for HTTPS and the store's administrator. cell_size_check above keeps a
  // crafted page from being more than an error; counting the rows below walks every table.
  const builtClock = (
    snap.prepare(`SELECT value FROM sync_state WHERE key = 'lastHlc'`).get() as
      { value: string } | undefined
  )?.value;
  if (builtClock !== undefined && !isHlc(builtClock)) {
    throw new SnapshotRefused('快照中的时钟格式不正确');
  }
  const rows = sqlNames().reduce(
    (n, t) => n + (snap.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
    0,
  );
  const deviceTables = DEVICE_TABLES.filter((t) => expected.has(`table:${t}`));

  // Out of WAL for the copy when no other process has the file open: the pages then go
  // straight into the file, under a rollback journal of the few pages the fresh database had,
  // instead of into the WAL and again into the file (half the writing). Either way the copy is
  // one transaction.
  let mode = 'wal';
  try {
    mode = String(db.sqlite.pragma('journal_mode = DELETE', { simple: true }));
  } catch {
    // Busy: the copy goes through the WAL.
  }
  try {
    // What the copy replaces is what is checked and kept here: the device is still fresh, and
    // its own tables go into the snapshot with the snapshot's cursor and clock.
    let counter = -1;
    const keepDevice = () => {
      snap.prepare('ATTACH DATABASE ? AS live').run(db.file);
      try {
        snap.transaction(() => {
          const cursorNow = (
            snap.prepare(`SELECT value FROM live.sync_state WHERE key = 'sync.cursor'`).get() as
              { value: string } | undefined
          )?.value;
          const why = whyNotFresh(snap, 'live', cursorNow || null);
          if (why) throw new SnapshotRefused(`${why}，不能采用快照`);
          keepDeviceTables(snap, deviceTables);
          prepare(
            snap,
            `INSERT INTO sync_state (key, value) VALUES ('sync.cursor', ?)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          ).run(cursor);
          // The next local edit is stamped after every value the snapshot holds.
          if (builtClock) observeClock(snap, device.deviceId, builtClock);
          counter = changeCounter(db.file);
        })();
      } finally {
        snap.exec('DETACH DATABASE live');
      }
    };
    const backup = backupOver(snap, db.file);
    try {
      if (mode === 'wal') {
        // The write lock first (WAL readers are not blocked by it), then the check: nothing
        // else can write in between.
        backup.lock();
        keepDevice();
      } else {
        // Without WAL the lock blocks reading too: check first, then make sure no commit came
        // between (every commit moves the file's change counter).
        keepDevice();
        backup.lock();
        if (changeCounter(db.file) !== counter) {
          throw new SnapshotRefused('本机数据库刚被其他程序修改，不能采用快照');
        }
      }
      backup.copy();
    } finally {
      backup.close();
    }
  } finally {
    if (mode !== 'wal') restoreWal(db);
  }
  return { rows, tables: Object.keys(syncedTables) as SyncedTableName[] };
}

/** The change counter in a database file's header (bytes 24–27), moved by every commit. */
function changeCounter(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(4);
    fs.readSync(fd, header, 0, 4, 24);
    return header.readUInt32BE(0);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Back to WAL after the copy. Should another process hold the file just then, the database
 * stays in rollback mode, made durable commit by commit, until it is next opened (openDatabase
 * turns WAL on): the adoption itself stands.
 */
function restoreWal(db: Db): void {
  try {
    db.sqlite.pragma('journal_mode = WAL');
  } catch {
    db.sqlite.pragma('synchronous = FULL');
  }
}
