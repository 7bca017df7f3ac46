import crypto from 'node:crypto';
import fs from 'node:fs';

import { sql } from 'drizzle-orm';

import { addUser } from '../../server/auth/users';
import type { ServerConfig } from '../../server/config';
import { conflicts, parkedOps, rows } from '../../server/db/schema';
import { openStore, query, type Store } from '../../server/db/store';
import { createSyncApp } from '../../server/http/app';
import { createSnapshots, type Snapshots } from '../../server/sync/snapshot';
import type { FetchLike } from '../../electron/services/sync-http';
import { tempDir } from './context';

/**
 * The central store (server/) in process, on PGlite in memory, for the device's sync tests: one
 * store per test file (it takes seconds to open), emptied between tests. Requests go straight to
 * the Hono app — no sockets — through `fetch`, which tests may wrap to inject faults. `restart()`
 * builds a new app over the same database, as a restarted server process would be.
 */
export interface Central {
  readonly store: Store;
  /** The address devices are configured with. */
  readonly url: string;
  /** Every device's fetch: routes to the app running now. */
  readonly fetch: FetchLike;
  restart(): void;
  /** The store's snapshots, when started with snapshotMinRows (a new folder after each reset). */
  readonly snapshots: Snapshots | null;
  addUser(username: string, role: string, scope: string, password?: string): Promise<void>;
  /** Empties the store; `keepAccounts` keeps users and their tokens (logins are slow: scrypt). */
  reset(options?: { keepAccounts?: boolean }): Promise<void>;
  close(): Promise<void>;
  rows(): Promise<CentralRow[]>;
  conflicts(): Promise<CentralConflict[]>;
  parked(): Promise<{ deviceId: string; seq: number; opId: string; reason: string }[]>;
}

export interface CentralRow {
  table: string;
  rowId: string;
  values: Record<string, unknown>;
  clocks: Record<string, string>;
}

export interface CentralConflict {
  table: string;
  rowId: string;
  field: string;
  losingValue: unknown;
  losingClock: string;
  winningClock: string;
  deviceId: string;
}

export const PASSWORD = 'correct-horse-1';
const URL_BASE = 'http://central.test';

export async function startCentral(
  config: Partial<ServerConfig> = {},
  options: { snapshotMinRows?: number } = {},
): Promise<Central> {
  const store = await openStore();
  let snapshotDir: string | null = null;
  const makeSnapshots = () =>
    options.snapshotMinRows === undefined
      ? null
      : createSnapshots(store.db, {
          dir: (snapshotDir = tempDir('uplift-central-snapshots-')),
          minRows: options.snapshotMinRows,
          // On this thread: a worker costs half a second per build (the server suite covers it).
          thread: false,
          logError: (m) => {
            throw new Error(`central store error: ${m}`);
          },
        });
  let snapshots = makeSnapshots();
  const dropSnapshots = async () => {
    await snapshots?.close();
    if (snapshotDir) fs.rmSync(snapshotDir, { recursive: true, force: true });
  };
  const makeApp = () =>
    createSyncApp(store, {
      snapshots,
      logError: (m) => {
        throw new Error(`central store error: ${m}`);
      },
      // Tests log in often from one address: no throttling, and no log of failed logins.
      throttle: {
        freeFailures: 1000,
        baseDelayMs: 1,
        maxFailures: 100_000,
        windowMs: 1000,
        addressFactor: 1,
      },
      logEvent: () => undefined,
      ...config,
    });
  let app = makeApp();
  return {
    store,
    get snapshots() {
      return snapshots;
    },
    url: URL_BASE,
    fetch: async (url, init) => app.fetch(new Request(url, init)),
    restart: () => {
      app = makeApp();
    },
    addUser: async (username, role, scope, password = PASSWORD) => {
      await addUser(
        store.db,
        { username, role, scope, password, displayName: username },
        { now: () => Date.now(), newId: () => crypto.randomUUID() },
      );
    },
    reset: async (options = {}) => {
      const keep = options.keepAccounts
        ? new Set(['users', 'tokens', 'login_throttle'])
        : new Set();
      const tables = (
        await query<{ tablename: string }>(
          store.db,
          sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`,
        )
      ).filter((t) => !keep.has(t.tablename));
      if (tables.length > 0) {
        await store.db.execute(
          sql.raw(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} CASCADE`),
        );
      }
      const sequences = await query<{ sequence_name: string }>(
        store.db,
        sql`SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'`,
      );
      for (const s of sequences) {
        await store.db.execute(sql.raw(`ALTER SEQUENCE "${s.sequence_name}" RESTART`));
      }
      await dropSnapshots();
      snapshots = makeSnapshots();
      app = makeApp();
    },
    close: async () => {
      await dropSnapshots();
      await store.close();
    },
    rows: async () =>
      (await store.db.select().from(rows)).map((r) => ({
        table: r.tableName,
        rowId: r.rowId,
        values: r.values,
        clocks: r.clocks,
      })),
    conflicts: async () =>
      (await store.db.select().from(conflicts)).map((c) => ({
        table: c.tableName,
        rowId: c.rowId,
        field: c.field,
        losingValue: c.losingValue,
        losingClock: c.losingClock,
        winningClock: c.winningClock,
        deviceId: c.deviceId,
      })),
    parked: async () =>
      (await store.db.select().from(parkedOps)).map((p) => ({
        deviceId: p.deviceId,
        seq: p.seq,
        opId: p.opId,
        reason: p.reason,
      })),
  };
}
