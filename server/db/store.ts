import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

import * as schema from './schema';

/**
 * Opening the central store: PostgreSQL through drizzle, either a real server (DATABASE_URL, a
 * pool shared by this process's requests; other processes may share the database) or PGlite
 * embedded in `<dataDir>/pg`. The same schema and migrations serve both; they are applied on open.
 */

export type ServerDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Store {
  readonly db: ServerDb;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data is, for messages: the PGlite folder or the database URL without password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** A PostgreSQL connection string; wins over dataDir. */
  databaseUrl?: string;
  /** The server's data folder: PGlite lives in `<dataDir>/pg`. Omitted: PGlite in memory. */
  dataDir?: string;
}

export class StoreOpenError extends Error {}

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Serializes migrations of several processes starting on one PostgreSQL at once. */
const MIGRATION_LOCK = 7_041_900_001;

/** The rows of a raw query, from either driver (both answer `{ rows }`). */
export async function query<T>(db: ServerDb, statement: SQL): Promise<T[]> {
  const result: unknown = await db.execute(statement);
  return (result as { rows: T[] }).rows;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's network error must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = drizzleNodePg({ client: pool, schema });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (e) {
    await pool.end();
    throw new StoreOpenError(`无法连接数据库 ${redact(url)}：${(e as Error).message}`);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrateNodePg(db, { migrationsFolder: MIGRATIONS });
  } catch (e) {
    client.release();
    await pool.end();
    throw new StoreOpenError(`数据库升级失败：${(e as Error).message}`);
  }
  await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  client.release();
  return {
    db: db as unknown as ServerDb,
    kind: 'postgres',
    location: redact(url),
    close: () => pool.end(),
  };
}

/**
 * The store's files for their owner only: folders 0700, files 0600. PGlite unpacks its initial
 * database with world-writable files (0666) whatever the umask; PostgreSQL itself creates 0600
 * files after that. Run over the folder on every open, so a store an older Uplift made is
 * tightened too. Windows has no such modes (chmod there changes nothing that matters).
 */
export function keepTreePrivate(dir: string): void {
  const walk = (at: string) => {
    const stat = fs.lstatSync(at);
    if (stat.isSymbolicLink()) return;
    const wanted = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== wanted && (stat.mode & 0o077) !== 0) {
      try {
        fs.chmodSync(at, wanted);
      } catch {
        // Not ours to change (another owner): the store still works; nothing to do here.
      }
    }
    if (stat.isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name));
  };
  walk(dir);
}

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * A lock file with the owner's pid refuses that (a stale one, of a dead process, is taken over).
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'pg.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => fs.rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      let alive = false;
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive) {
        throw new StoreOpenError(
          `数据目录 ${dir} 正被另一个进程（pid ${pid}，例如正在运行的中心服务器）使用；请先停止它，或改用 DATABASE_URL 连接 PostgreSQL`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StoreOpenError(`无法锁定数据目录 ${dir}`);
}

async function openPglite(dataDir: string | undefined): Promise<Store> {
  let unlock = () => undefined as void;
  let client: PGlite;
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    unlock = lockDataDir(dataDir);
    const pgDir = path.join(dataDir, 'pg');
    try {
      // Private before PGlite writes a byte into it; its files are tightened once it is ready.
      fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
      fs.chmodSync(pgDir, 0o700);
      client = new PGlite(pgDir);
      await client.waitReady;
      keepTreePrivate(pgDir);
    } catch (e) {
      unlock();
      throw new StoreOpenError(`无法打开数据目录 ${dataDir}：${(e as Error).message}`);
    }
  } else {
    client = new PGlite();
    await client.waitReady;
  }
  const db = drizzlePglite({ client, schema });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS });
  } catch (e) {
    await client.close();
    unlock();
    throw new StoreOpenError(`数据库升级失败：${(e as Error).message}`);
  }
  return {
    db: db as unknown as ServerDb,
    kind: 'pglite',
    location: dataDir ? path.join(dataDir, 'pg') : '（内存）',
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/** Opens (and migrates) the store: PostgreSQL when a URL is given, else PGlite. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const url = options.databaseUrl?.trim();
  return url ? openPostgres(url) : openPglite(options.dataDir);
}
