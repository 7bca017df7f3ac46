import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { closeDatabase, openDatabase } from '../../db/client';
import { writeSyncSettings } from '../../db/repositories/sync';
import {
  adoptSnapshot,
  buildSnapshot,
  isFreshDevice,
  schemaOf,
  schemaOfMigrations,
  SnapshotRefused,
  tableOrigin,
} from '../../db/snapshot';
import type { AppContext } from '../../electron/services/context';
import { createEnterprise, listEnterprises } from '../../electron/services/enterprises';
import { EnterpriseDraftSchema, EnterpriseQuerySchema } from '../../shared/domain/enterprise';
import { tempDir } from '../helpers/context';
import { createSite } from '../helpers/inspections';
import { closeAppContext, createDevice, replicaState, snapshotChanges } from '../helpers/sync';

const opened: AppContext[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

function fileDevice(n: number): AppContext {
  const ctx = createDevice(n, undefined, path.join(tempDir(`uplift-snapdb-${n}-`), 'uplift.db'));
  opened.push(ctx);
  return ctx;
}

/** A snapshot file of a source device's rows, built as the central store builds one. */
function snapshotOf(source: AppContext): string {
  const file = path.join(tempDir('uplift-snapfile-'), 'snapshot.db');
  const builder = buildSnapshot(file);
  builder.apply({ changes: snapshotChanges(source), cursor: '42', more: false });
  expect(builder.finish()).toMatchObject({ cursor: '42' });
  return file;
}

function sourceDevice(): AppContext {
  const source = fileDevice(1);
  createSite(source, '宁夏瑞泰水泥有限公司');
  createEnterprise(
    source,
    EnterpriseDraftSchema.parse({
      name: '银川兴庆化工有限公司',
      cityCode: '6401',
      countyCode: '640104',
    }),
  );
  return source;
}

/** The raw bytes of every table of a database, to show a refusal changed nothing. */
function dump(ctx: AppContext): unknown {
  const tables = ctx.db.sqlite
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map((t) => [t.name, ctx.db.sqlite.prepare(`SELECT * FROM "${t.name}"`).all()]),
  );
}

describe('adoptSnapshot()', () => {
  it('says for every table of the device database whether adopting keeps the device’s rows or takes the file’s', () => {
    const ctx = fileDevice(2);
    const tables = ctx.db.sqlite
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`)
      .all() as { name: string }[];
    expect(tables.filter((t) => tableOrigin(t.name) === null)).toEqual([]);
  });

  it('gives a fresh device the file’s rows under its own id and cursor, and the database opens again intact', () => {
    const source = sourceDevice();
    const file = snapshotOf(source);
    const fresh = fileDevice(2);
    expect(isFreshDevice(fresh.db)).toBe(true);
    const adopted = adoptSnapshot(fresh.db, fs.readFileSync(file), '42', fresh.device);
    expect(adopted.rows).toBeGreaterThan(3);
    expect(replicaState(fresh.db)).toEqual(replicaState(source.db));
    expect(
      fresh.db.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'sync.cursor'`).get(),
    ).toEqual({ value: '42' });
    expect(
      listEnterprises(fresh, EnterpriseQuerySchema.parse({ text: '兴庆' })).items.map(
        (e) => e.name,
      ),
    ).toEqual(['银川兴庆化工有限公司']);
    const dbFile = fresh.db.file;
    closeAppContext(fresh);
    opened.splice(opened.indexOf(fresh), 1);
    const again = openDatabase(dbFile);
    try {
      expect(again.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(again.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        again.sqlite.prepare(`SELECT value FROM sync_state WHERE key = 'deviceId'`).get(),
      ).toEqual({ value: expect.stringMatching(/^0190/) as unknown });
    } finally {
      closeDatabase(again);
    }
  });

  it('refuses, changing nothing, a device with a row of its own (and its op) or a cursor', () => {
    const file = snapshotOf(sourceDevice());
    const withRow = fileDevice(2);
    createEnterprise(
      withRow,
      EnterpriseDraftSchema.parse({
        name: '贺兰县建材有限公司',
        cityCode: '6401',
        countyCode: '640122',
      }),
    );
    const withCursor = fileDevice(3);
    writeSyncSettings(withCursor.db, { cursor: '7' });
    for (const ctx of [withRow, withCursor]) {
      expect(isFreshDevice(ctx.db)).toBe(false);
      const before = dump(ctx);
      expect(() => adoptSnapshot(ctx.db, fs.readFileSync(file), '42', ctx.device)).toThrow(
        SnapshotRefused,
      );
      expect(dump(ctx)).toEqual(before);
    }
  });

  it('refuses a file with a trigger of its own, one of another schema version, and one that is no database', () => {
    const source = sourceDevice();
    const fresh = fileDevice(2);
    const before = dump(fresh);
    const tampered = snapshotOf(source);
    const t = new Database(tampered);
    t.exec(`CREATE TRIGGER spy AFTER INSERT ON enterprises BEGIN DELETE FROM outbox; END`);
    t.close();
    expect(() => adoptSnapshot(fresh.db, fs.readFileSync(tampered), '42', fresh.device)).toThrow(
      /结构与本机不同（trigger:spy）/,
    );
    const older = snapshotOf(source);
    const o = new Database(older);
    o.exec(
      `DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)`,
    );
    o.close();
    expect(() => adoptSnapshot(fresh.db, fs.readFileSync(older), '42', fresh.device)).toThrow(
      /数据库版本/,
    );
    const junk = path.join(tempDir('uplift-snapjunk-'), 'junk.db');
    fs.writeFileSync(junk, 'not a database at all, just text');
    expect(() => adoptSnapshot(fresh.db, fs.readFileSync(junk), '42', fresh.device)).toThrow(
      SnapshotRefused,
    );
    expect(dump(fresh)).toEqual(before);
    expect(schemaOf(fresh.db.sqlite)).toBe(schemaOfMigrations());
  });

  it('refuses, keeping the other process’s edit, a snapshot met by an edit another process commits as adoption begins', () => {
    const image = fs.readFileSync(snapshotOf(sourceDevice()));
    const fresh = fileDevice(2);
    const cli = createDevice(3, undefined, fresh.db.file);
    opened.push(cli);
    const pragma = fresh.db.sqlite.pragma.bind(fresh.db.sqlite);
    fresh.db.sqlite.pragma = (source: string, options?: { simple?: boolean }) => {
      if (source === 'journal_mode = DELETE') {
        createEnterprise(
          cli,
          EnterpriseDraftSchema.parse({
            name: '命令行刚录入的企业',
            cityCode: '6401',
            countyCode: '640104',
          }),
        );
      }
      return pragma(source, options);
    };
    expect(() => adoptSnapshot(fresh.db, image, '42', fresh.device)).toThrow(/不能采用快照/);
    expect(
      listEnterprises(fresh, EnterpriseQuerySchema.parse({})).items.map((e) => e.name),
    ).toEqual(['命令行刚录入的企业']);
    expect(fresh.db.sqlite.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
  });

  it('refuses a snapshot while another connection is writing to the device’s database, and copies nothing', () => {
    const image = fs.readFileSync(snapshotOf(sourceDevice()));
    const fresh = fileDevice(2);
    const before = dump(fresh);
    const other = new Database(fresh.db.file);
    other.exec(`BEGIN IMMEDIATE; INSERT INTO sync_state (key, value) VALUES ('x.other', '1')`);
    try {
      expect(() => adoptSnapshot(fresh.db, image, '42', fresh.device)).toThrow(SnapshotRefused);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(dump(fresh)).toEqual(before);
    expect(fresh.db.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('refuses a snapshot whose clock is not a clock, and one whose pages are of another size', () => {
    const source = sourceDevice();
    const fresh = fileDevice(2);
    const before = dump(fresh);
    const badClock = snapshotOf(source);
    const c = new Database(badClock);
    c.prepare(`UPDATE sync_state SET value = 'not-a-clock' WHERE key = 'lastHlc'`).run();
    c.close();
    expect(() => adoptSnapshot(fresh.db, fs.readFileSync(badClock), '42', fresh.device)).toThrow(
      /时钟格式不正确/,
    );
    // Pages of another size (the copy would have to change the device's file format).
    const resized = snapshotOf(source);
    const r = new Database(resized);
    r.pragma('journal_mode = DELETE');
    r.pragma('page_size = 8192');
    r.exec('VACUUM');
    r.close();
    expect(() => adoptSnapshot(fresh.db, fs.readFileSync(resized), '42', fresh.device)).toThrow(
      /page_size/,
    );
    expect(dump(fresh)).toEqual(before);
    expect(fresh.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
