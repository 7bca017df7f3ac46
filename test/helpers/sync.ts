import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import { fieldClock, fromSql } from '../../db/changes';
import type { Db } from '../../db/client';
import { syncedTables, tableInfo, type SyncedTableName } from '../../db/synced-tables';
import { openAppContext, type AppContext } from '../../electron/services/context';
import type { SyncOptions } from '../../electron/services/sync';
import type { SecretBox } from '../../electron/services/secrets';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import { formatHlc } from '../../shared/sync/hlc';
import type { SyncChange } from '../../shared/sync/protocol';

import { closeAppContext, FIXTURE_RESOURCES, tempDir } from './context';

/** Sequential UUIDv7-shaped ids with a prefix of their own, so devices never share an id. */
export function idsFor(device: number): () => string {
  let n = 0;
  const prefix = `0190${String(device).padStart(4, '0')}-0000-7000-8000-`;
  return () => `${prefix}${String(++n).padStart(12, '0')}`;
}

/** A clock shared by several devices in a test: every read moves it 1 ms on. */
export class SharedClock {
  constructor(public t = Date.UTC(2026, 10, 28, 3, 0, 0)) {}
  now = (): number => this.t++;
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * A device: its own data folder and database, ids that never collide with another device's.
 * `secrets` seals its sync token (plain text by default, as the CLI keeps it).
 */
export function createDevice(
  n: number,
  clock: { now: () => number } = new SharedClock(),
  file?: string,
  options: { secrets?: SecretBox } = {},
): AppContext {
  return openAppContext({
    dataDir: tempDir(`uplift-device${n}-`),
    mode: 'cli',
    databaseFile: file ?? ':memory:',
    now: clock.now,
    newId: idsFor(n),
    resourcesDir: FIXTURE_RESOURCES,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
}

export { closeAppContext };

/** Retries without waiting: tests fail fast and never sleep. */
export const NO_WAIT: Pick<SyncOptions, 'sleep' | 'retry'> = {
  sleep: () => Promise.resolve(),
  retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 1 },
};

/** An enterprise of 银川市 (兴庆区) or, for another city, 石嘴山市's 大武口区. */
export function enterpriseDraft(
  name: string,
  cityCode = '6401',
  over: Record<string, unknown> = {},
) {
  return EnterpriseDraftSchema.parse({
    name,
    cityCode,
    countyCode: cityCode === '6401' ? '640104' : '640202',
    ...over,
  });
}

/** A stamp of a remote device at this wall time. */
export function stamp(wallMs: number, node: string, counter = 0): string {
  return formatHlc({ wallMs, counter, node });
}

type Row = Record<string, unknown>;

function rowsOf(db: Db, table: SyncedTableName): Row[] {
  const info = tableInfo(table);
  return db.sqlite.prepare(`SELECT * FROM "${info.sqlName}" ORDER BY id`).all() as Row[];
}

/** Every row of a device as the changes a pull would bring (all fields, each with its clock). */
export function snapshotChanges(ctx: AppContext): SyncChange[] {
  const out: SyncChange[] = [];
  for (const table of Object.keys(syncedTables) as SyncedTableName[]) {
    const info = tableInfo(table);
    for (const row of rowsOf(ctx.db, table)) {
      const values: Record<string, unknown> = {};
      const clocks: Record<string, string> = {};
      for (const field of info.syncedFields) {
        const column = info.columns.get(field) as SQLiteColumn;
        const clock = fieldClock(row.field_clocks as string, field);
        if (clock === null) continue;
        values[field] = fromSql(column, row[column.name]);
        clocks[field] = clock;
      }
      out.push({ table, rowId: row.id as string, values, clocks });
    }
  }
  return out;
}

/** A device's data: every synced row's synced fields (not its bookkeeping), by table and id. */
export function replicaState(db: Db): Record<string, Record<string, Row>> {
  const out: Record<string, Record<string, Row>> = {};
  for (const table of Object.keys(syncedTables) as SyncedTableName[]) {
    const info = tableInfo(table);
    const rows: Record<string, Row> = {};
    for (const row of rowsOf(db, table)) {
      const values: Row = {};
      for (const field of info.syncedFields) {
        const column = info.columns.get(field) as SQLiteColumn;
        values[field] = fromSql(column, row[column.name]);
      }
      rows[row.id as string] = values;
    }
    out[table] = rows;
  }
  return out;
}

export function outboxCount(db: Db): number {
  return (db.sqlite.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
}
