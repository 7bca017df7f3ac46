import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import { eq, sql } from 'drizzle-orm';

import { buildSnapshot, schemaOfMigrations, type PullPage } from '../../db/store-shared';
import { PULL_PAGE_MAX, REGION_SCOPE } from '../../shared/sync/protocol';
import type { AuthUser } from '../auth/tokens';
import { rows, scopeExits, storeInfo } from '../db/schema';
import { query, type ServerDb } from '../db/store';
import { logSafeError } from '../errors';

import { pullPageJson } from './pull';
import type { BuilderReply, BuilderRequest } from './snapshot-builder';

/**
 * Snapshots for new devices (see db/snapshot.ts): per scope (the region, or one city), a device
 * database holding every row the scope sees, built here with the device's own code and kept as a
 * gzipped file in the server's data folder. It is only a cache of what pages would bring:
 *
 * - none is ready for a scope until one is asked for there and the scope holds at least
 *   `minRows` rows (smaller first pulls are quick page by page); that device pulls page by page,
 *   and the next one gets the file;
 * - one served is refreshed in the background once more than a tenth of its rows (at least
 *   1,000) changed after it; the device pulls those changes as pages after the file;
 * - each process keeps its own (several processes on one PostgreSQL each build theirs), a file
 *   lost or damaged only sends devices back to pages, and nothing depends on it being there.
 */

export interface SnapshotOptions {
  /** Where the files go (the server's data folder's `snapshots`). */
  dir: string;
  /** A scope with fewer rows gets none. */
  minRows: number;
  /**
   * false: builds run on the calling thread (tests that build hundreds of tiny snapshots; a
   * worker thread costs about half a second to start).
   */
  thread?: boolean;
  /** Written to when a build fails (the devices then pull page by page). */
  logError?: (message: string) => void;
  now?: () => number;
}

export interface ReadySnapshot {
  /** The store it was made from (store_info): another store's is never served. */
  storeId: string;
  scope: string;
  schema: string;
  cursor: string;
  rows: number;
  /** Bytes of the gzipped file and of the database in it. */
  bytes: number;
  size: number;
  sha256: string;
  file: string;
  builtAt: number;
}

export interface Snapshots {
  /** The snapshot to send a fresh device of this user, or null (it pulls page by page). */
  offer(user: AuthUser, schema: string): Promise<ReadySnapshot | null>;
  /** Builds (or rebuilds) the snapshot of a scope now; resolves when it is ready. */
  build(scope: string): Promise<ReadySnapshot | null>;
  /** Resolves when no build runs (tests, closing). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A scope as a file name: `region`, or the city's code (digits) — anything else is hashed. */
function scopeKey(scope: string): string {
  return /^[a-z0-9]{1,40}$/i.test(scope)
    ? scope
    : crypto.createHash('sha256').update(scope).digest('hex').slice(0, 32);
}

function visible(scope: string) {
  return scope === REGION_SCOPE
    ? sql`true`
    : sql`(${rows.cityCode} = ${scope} OR ${rows.cityCode} IS NULL)`;
}

export function createSnapshots(db: ServerDb, options: SnapshotOptions): Snapshots {
  const schema = schemaOfMigrations();
  const now = options.now ?? (() => Date.now());
  const log = options.logError ?? ((m: string) => console.error(m));
  const building = new Map<string, Promise<ReadySnapshot | null>>();
  let closed = false;
  // A scope's rows, so for the store's owner only (as its database is, server/db/store.ts).
  fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  if ((fs.statSync(options.dir).mode & 0o077) !== 0) fs.chmodSync(options.dir, 0o700);
  // Builds a crash left behind.
  for (const name of fs.readdirSync(options.dir)) {
    if (name.startsWith('.build-')) fs.rmSync(path.join(options.dir, name), { force: true });
  }

  const metaFile = (scope: string) => path.join(options.dir, `${scopeKey(scope)}.json`);

  // Files whose bytes this process has hashed once: a file damaged on disk is dropped (and
  // rebuilt), never sent again and again to fail every device's check.
  const verified = new Set<string>();
  const ready = (scope: string, store: string): ReadySnapshot | null => {
    try {
      const meta = JSON.parse(fs.readFileSync(metaFile(scope), 'utf8')) as ReadySnapshot;
      if (meta.scope !== scope || meta.schema !== schema || meta.storeId !== store) return null;
      if (fs.statSync(meta.file).size !== meta.bytes) return null;
      if (!verified.has(meta.file)) {
        const sha = crypto.createHash('sha256').update(fs.readFileSync(meta.file)).digest('hex');
        if (sha !== meta.sha256) {
          fs.rmSync(meta.file, { force: true });
          return null;
        }
        verified.add(meta.file);
      }
      return meta;
    } catch {
      return null;
    }
  };

  const count = async (scope: string, after: number): Promise<number> => {
    const [row] = await query<{ n: number | string }>(
      db,
      sql`SELECT count(*) AS n FROM ${rows} WHERE ${rows.serverSeq} > ${after} AND ${visible(scope)}`,
    );
    return Number(row?.n ?? 0);
  };

  const exitsAfter = async (scope: string, after: number): Promise<boolean> => {
    const rowsAfter = await query<{ one: number }>(
      db,
      sql`SELECT 1 AS one FROM ${scopeExits} WHERE ${scopeExits.cityCode} = ${scope}
        AND ${scopeExits.serverSeq} > ${after} LIMIT 1`,
    );
    return rowsAfter.length > 0;
  };

  /** Snapshot files no scope's metadata names (replaced, or of an older schema or store). */
  const removeUnlisted = () => {
    const listed = new Set<string>();
    for (const name of fs.readdirSync(options.dir)) {
      if (!name.endsWith('.json') || name.startsWith('.build-')) continue;
      try {
        const meta = JSON.parse(
          fs.readFileSync(path.join(options.dir, name), 'utf8'),
        ) as ReadySnapshot;
        if (meta.schema === schema) listed.add(path.basename(meta.file));
        else fs.rmSync(path.join(options.dir, name), { force: true });
      } catch {
        fs.rmSync(path.join(options.dir, name), { force: true });
      }
    }
    for (const name of fs.readdirSync(options.dir)) {
      if (name.endsWith('.snapshot.gz') && !listed.has(name)) {
        fs.rmSync(path.join(options.dir, name), { force: true });
      }
    }
  };
  removeUnlisted();

  const run = async (scope: string): Promise<ReadySnapshot | null> => {
    const key = scopeKey(scope);
    const store = await storeId(db);
    const work = path.join(options.dir, `.build-${key}-${crypto.randomUUID()}`);
    const dbFile = `${work}.db`;
    const builder = options.thread === false ? inlineBuilder(dbFile) : startBuilder(dbFile);
    try {
      // The store reads as a region-wide or city account of this scope would, noting nothing,
      // as a device id no login can have (they are 1–100 characters): no device's conflicts.
      const reader = { scope, deviceId: '' } as AuthUser;
      const read = (cursor: string | null) => {
        const page = pullPageJson(
          db,
          reader,
          { deviceId: '', cursor, limit: PULL_PAGE_MAX },
          now(),
          { compactClocks: true, record: false },
        );
        // A page read ahead of a failed build must not fail unheard.
        page.catch(() => undefined);
        return page;
      };
      // The next page is read while the builder applies this one.
      let next = read(null);
      let cursor: string | null = null;
      for (;;) {
        if (closed) return null;
        const json = await next;
        const tail = pageTail(json);
        if (tail.more) next = read(tail.cursor);
        await builder.send({ page: json });
        cursor = tail.cursor;
        if (!tail.more) break;
      }
      const built = await builder.send({ finish: true });
      const size = fs.statSync(dbFile).size;
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      const packed = `${work}.gz`;
      await pipeline(
        fs.createReadStream(dbFile),
        zlib.createGzip({ level: 6, chunkSize: 1 << 20 }),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            bytes += chunk.byteLength;
            done(null, chunk);
          },
        }),
        fs.createWriteStream(packed),
      );
      const file = path.join(options.dir, `${key}-${cursor ?? '0'}-${Date.now()}.snapshot.gz`);
      fs.renameSync(packed, file);
      const meta: ReadySnapshot = {
        storeId: store,
        scope,
        schema,
        cursor: cursor ?? '0',
        rows: built.rows ?? 0,
        bytes,
        size,
        sha256: hash.digest('hex'),
        file,
        builtAt: now(),
      };
      verified.add(file);
      fs.writeFileSync(`${work}.json`, JSON.stringify(meta));
      fs.renameSync(`${work}.json`, metaFile(scope));
      // The files it replaces: a download of one under way keeps reading its open handle.
      removeUnlisted();
      return meta;
    } finally {
      await builder.stop();
      for (const suffix of ['.db', '.db-wal', '.db-shm', '.gz', '.json']) {
        fs.rmSync(`${work}${suffix}`, { force: true });
      }
    }
  };

  // One build at a time: each holds a worker thread and a database file of its own.
  let queue: Promise<unknown> = Promise.resolve();
  const build = (scope: string): Promise<ReadySnapshot | null> => {
    const current = building.get(scope);
    if (current) return current;
    const promise = queue
      .then(() => run(scope))
      .catch((e: unknown) => {
        log(`snapshot of ${scope}: ${logSafeError(e)}`);
        return null;
      })
      .finally(() => building.delete(scope));
    queue = promise;
    building.set(scope, promise);
    return promise;
  };

  return {
    async offer(user, wanted) {
      if (closed || wanted !== schema) return null;
      const snapshot = ready(user.scope, await storeId(db));
      if (snapshot) {
        const after = Number(snapshot.cursor);
        // An enterprise that left the city after the snapshot was made: it is not sent to the
        // city's devices again, even to be removed by the pages after it.
        if (user.scope !== REGION_SCOPE && (await exitsAfter(user.scope, after))) {
          void build(user.scope);
          return null;
        }
        const since = await count(user.scope, after);
        if (since > Math.max(1000, snapshot.rows / 10)) void build(user.scope);
        return snapshot;
      }
      if (!building.has(user.scope) && (await count(user.scope, 0)) >= options.minRows) {
        void build(user.scope);
      }
      return null;
    },
    build,
    async idle() {
      while (building.size > 0) await Promise.all([...building.values()]);
    },
    async close() {
      closed = true;
      await Promise.all([...building.values()]);
    },
  };
}

/** This store's id (store_info), made on first use. */
export async function storeId(db: ServerDb): Promise<string> {
  await db
    .insert(storeInfo)
    .values({ key: 'id', value: crypto.randomUUID() })
    .onConflictDoNothing();
  const [row] = await db.select().from(storeInfo).where(eq(storeInfo.key, 'id'));
  if (!row) throw new Error('store_info has no id');
  return row.value;
}

/** The cursor and `more` of a page as pullPageJson writes them (its last characters). */
export function pageTail(json: string): { cursor: string; more: boolean } {
  const m = /"cursor":"(\d+)","more":(true|false)\}$/.exec(json.slice(-80));
  if (!m) throw new Error('a pull page without its cursor');
  return { cursor: m[1] as string, more: m[2] === 'true' };
}

interface Builder {
  send(request: BuilderRequest): Promise<Extract<BuilderReply, { ok: true }>>;
  /** Ends the thread (after a finish, or to abandon the build). */
  stop(): Promise<void>;
}

/** The same builder on this thread. */
function inlineBuilder(file: string): Builder {
  const builder = buildSnapshot(file);
  let open = true;
  return {
    send(request) {
      return Promise.resolve().then(() => {
        if (!open) throw new Error('the builder is closed');
        if ('page' in request) {
          builder.apply(JSON.parse(request.page) as PullPage);
          return { ok: true as const };
        }
        open = false;
        return { ok: true as const, ...builder.finish() };
      });
    },
    stop() {
      if (open) builder.abandon();
      open = false;
      return Promise.resolve();
    },
  };
}

/** A builder thread (snapshot-builder.ts), one request at a time. */
function startBuilder(file: string): Builder {
  const worker = new Worker(new URL('./snapshot-worker.mjs', import.meta.url), {
    workerData: { file },
  });
  let failed: Error | null = null;
  const waiting: { resolve(r: BuilderReply): void; reject(e: Error): void }[] = [];
  const fail = (e: Error) => {
    failed ??= e;
    for (const w of waiting.splice(0)) w.reject(e);
  };
  worker.on('message', (reply: BuilderReply) => waiting.shift()?.resolve(reply));
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the snapshot builder stopped (${code})`)));
  return {
    async send(request) {
      if (failed) throw failed;
      const reply = await new Promise<BuilderReply>((resolve, reject) => {
        waiting.push({ resolve, reject });
        worker.postMessage(request);
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply;
    },
    async stop() {
      await worker.terminate();
    },
  };
}

/**
 * The file as a web stream for the response body, opened now: a rebuild that replaces it later
 * does not cut the download short. Null when it is gone already.
 */
export function snapshotStream(snapshot: ReadySnapshot): ReadableStream<Uint8Array> | null {
  let fd: number;
  try {
    fd = fs.openSync(snapshot.file, 'r');
  } catch {
    return null;
  }
  return Readable.toWeb(fs.createReadStream('', { fd })) as ReadableStream<Uint8Array>;
}
