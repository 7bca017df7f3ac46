/**
 * The N-1 → N upgrade with data: a database built by each of the last few releases' migrations
 * (every device migration but the last one, two, three) is filled with a realistic registry
 * (the demo's enterprises, processes, finalized and draft visits with answers and photos, plans,
 * a violation, the outbox, sync settings), then opened by the current code through the app's own
 * open path, which backs it up and migrates it. Every row must survive with every value it had,
 * and the whole must read back through the services.
 */
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  closeDatabase,
  defaultMigrationsFolder,
  lastMigration,
  MIGRATIONS_TABLE,
  openDatabase,
  registerFunctions,
} from '../../db/client';
import { openAppContext, type AppContext } from '../../electron/services/context';
import { fillDemo } from '../../electron/services/demo';
import { listEnterprises } from '../../electron/services/enterprises';
import {
  getInspectionDetail,
  listInspections,
  readEvidence,
} from '../../electron/services/inspections';
import { getPlan, listPlans } from '../../electron/services/plans';
import { configureServer } from '../../electron/services/sync';
import { EnterpriseQuerySchema, type EnterprisePage } from '../../shared/domain/enterprise';
import { closeAppContext, sequentialIds, steppingClock, tempDir } from '../helpers/context';

type Row = Record<string, unknown>;

/** How many releases back the upgrade is tried from: N-1, N-2, … */
const RELEASES_BACK = 3;

const journalOf = (folder: string) =>
  JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };

/** A copy of the committed migrations without the last `back`: what an older release shipped. */
function olderMigrations(back: number): string {
  const dir = path.join(tempDir('uplift-older-migrations-'), 'migrations');
  fs.cpSync(defaultMigrationsFolder(), dir, { recursive: true });
  const journal = journalOf(dir);
  for (const e of journal.entries.slice(-back)) fs.rmSync(path.join(dir, `${e.tag}.sql`));
  journal.entries = journal.entries.slice(0, -back);
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

/** The tables that hold data, in creation order (full-text indexes are rebuilt by triggers). */
function dataTables(sqlite: Database.Database): string[] {
  const all = sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid`,
    )
    .all() as { name: string; sql: string }[];
  const virtual = all.filter((t) => /^CREATE VIRTUAL/i.test(t.sql)).map((t) => t.name);
  return all
    .map((t) => t.name)
    .filter(
      (name) =>
        name !== MIGRATIONS_TABLE && !virtual.some((v) => name === v || name.startsWith(`${v}_`)),
    );
}

function columnsOf(sqlite: Database.Database, table: string): string[] {
  return (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map(
    (c) => c.name,
  );
}

function rowsOf(sqlite: Database.Database, table: string, columns: string[]): string[] {
  const list = columns.map((c) => `"${c}"`).join(', ');
  return (sqlite.prepare(`SELECT ${list} FROM "${table}"`).all() as Row[])
    .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
    .sort();
}

/**
 * Writes the rows into an older schema, leaving out the columns it does not have yet. A
 * finalized visit refuses new answers, so visits go in as drafts and are finalized last, as the
 * app itself does.
 */
function fillOlder(file: string, source: Database.Database): Map<string, string[]> {
  const older = new Database(file);
  registerFunctions(older);
  older.pragma('foreign_keys = OFF');
  const written = new Map<string, string[]>();
  older.transaction(() => {
    const tables = dataTables(older);
    for (const table of tables) {
      const have = new Set(columnsOf(older, table));
      const columns = columnsOf(source, table).filter((c) => have.has(c));
      if (columns.length === 0) continue;
      written.set(table, columns);
      const insert = older.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      for (const row of source.prepare(`SELECT * FROM "${table}"`).all() as Row[]) {
        const values = columns.map((c) =>
          table === 'inspections' && c === 'status' && row[c] === 'finalized' ? 'draft' : row[c],
        );
        insert.run(values);
      }
    }
    const finalize = older.prepare(`UPDATE inspections SET status = 'finalized' WHERE id = ?`);
    for (const { id } of source
      .prepare(`SELECT id FROM inspections WHERE status = 'finalized'`)
      .all() as { id: string }[])
      finalize.run(id);
  })();
  older.close();
  return written;
}

const options = (dataDir: string, databaseFile: string) => ({
  dataDir,
  databaseFile,
  mode: 'cli' as const,
  now: steppingClock(Date.UTC(2026, 10, 29)),
  newId: sequentialIds('01900000-0000-7000-9000-'),
});

const everyone = EnterpriseQuerySchema.parse({});

describe('upgrading a database the previous releases wrote', () => {
  let sourceDir: string;
  let sourceFile: string;

  beforeAll(() => {
    sourceDir = tempDir('uplift-upgrade-source-');
    sourceFile = path.join(sourceDir, 'uplift.db');
    const ctx = openAppContext({ ...options(sourceDir, sourceFile), now: steppingClock() });
    fillDemo(ctx, { enterprises: 24, seed: 7 });
    configureServer(ctx, 'https://store.example.cn');
    closeAppContext(ctx);
  });

  afterAll(() => fs.rmSync(sourceDir, { recursive: true, force: true }));

  it('has data in every table that matters', () => {
    const source = new Database(sourceFile, { readonly: true });
    for (const table of [
      'enterprises',
      'enterprise_processes',
      'inspections',
      'inspection_answers',
      'attachments',
      'attachment_uses',
      'plans',
      'outbox',
      'sync_state',
    ])
      expect(
        source.prepare(`SELECT count(*) FROM "${table}"`).pluck().get(),
        table,
      ).toBeGreaterThan(0);
    expect(
      source.prepare(`SELECT count(*) FROM inspections WHERE status = 'finalized'`).pluck().get(),
    ).toBeGreaterThan(0);
    source.close();
  });

  for (let back = 1; back <= RELEASES_BACK; back++) {
    it(`keeps every row of a database from ${back} migration(s) ago and reads it back`, () => {
      const older = olderMigrations(back);
      const dataDir = tempDir('uplift-upgrade-');
      const file = path.join(dataDir, 'uplift.db');
      closeDatabase(openDatabase(file, { migrationsFolder: older }));
      const source = new Database(sourceFile, { readonly: true });
      const written = fillOlder(file, source);
      const before = new Database(file, { readonly: true });
      const rows = new Map([...written].map(([t, cols]) => [t, rowsOf(before, t, cols)]));
      before.close();
      expect(written.size).toBeGreaterThan(10);
      for (const table of ['inspections', 'inspection_answers', 'plans', 'attachment_uses'])
        expect(rows.get(table)?.length, table).toBeGreaterThan(0);
      fs.cpSync(path.join(sourceDir, 'attachments'), path.join(dataDir, 'attachments'), {
        recursive: true,
      });

      const ctx: AppContext = openAppContext(options(dataDir, file));
      try {
        expect(fs.existsSync(`${file}.before-${lastMigration()}.bak`)).toBe(true);
        for (const [table, columns] of written)
          expect(rowsOf(ctx.db.sqlite, table, columns), table).toEqual(rows.get(table));

        // And through the services, as the app reads them.
        const sourceCtx = openAppContext(options(sourceDir, sourceFile));
        try {
          // A release before 0019 kept no official grades: they start empty (未认定), and
          // everything else reads back as written.
          const withoutOfficial = (page: EnterprisePage) =>
            page.items.map(({ official: _o, guarantee: _g, ...rest }) => rest);
          const upgraded = listEnterprises(ctx, everyone);
          if (written.has('grade_events')) {
            expect(upgraded).toEqual(listEnterprises(sourceCtx, everyone));
          } else {
            expect(withoutOfficial(upgraded)).toEqual(
              withoutOfficial(listEnterprises(sourceCtx, everyone)),
            );
            expect(new Set(upgraded.items.map((e) => e.official.grade))).toEqual(new Set([null]));
          }
          const visits = listInspections(ctx, {});
          expect(visits.map((v) => [v.id, v.status])).toEqual(
            listInspections(sourceCtx, {}).map((v) => [v.id, v.status]),
          );
          for (const v of visits) {
            const detail = getInspectionDetail(ctx, v.id);
            const was = getInspectionDetail(sourceCtx, v.id);
            expect(detail.answers.map((a) => [a.id, a.fact])).toEqual(
              was.answers.map((a) => [a.id, a.fact]),
            );
            expect(detail.evidence.map((e) => e.id)).toEqual(was.evidence.map((e) => e.id));
            for (const e of detail.evidence)
              expect(readEvidence(ctx, e.id).data).toEqual(readEvidence(sourceCtx, e.id).data);
          }
          const plans = listPlans(ctx, {});
          expect(plans.map((p) => [p.id, p.status])).toEqual(
            listPlans(sourceCtx, {}).map((p) => [p.id, p.status]),
          );
          for (const p of plans)
            expect(getPlan(ctx, { id: p.id })?.content).toEqual(
              getPlan(sourceCtx, { id: p.id })?.content,
            );
        } finally {
          closeAppContext(sourceCtx);
        }
      } finally {
        closeAppContext(ctx);
        source.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
