/**
 * `npm run bench`: speed of the write path and the first screen, as ratios against raw baselines
 * measured in the same run (never as timed assertions in tests).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeDatabase, openDatabase } from '../db/client';
import { writeChanges } from '../db/changes';
import { insertEnterprise } from '../db/repositories/enterprises';
import { dispatch } from '../electron/api';
import { closeAppContext, openAppContext } from '../electron/services/context';
import { demoEnterprises } from '../electron/services/demo';
import type { EnterpriseDraft } from '../shared/domain/enterprise';
import { newId } from '../shared/ids';

const N = Number(process.env.BENCH_ENTERPRISES ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-')), 'uplift.db');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Raw baseline: one prepared INSERT per row, all rows in one transaction, no outbox. */
function rawInsert(drafts: EnterpriseDraft[]): number {
  const db = openDatabase(tempFile());
  const stmt = db.sqlite.prepare(
    `INSERT INTO enterprises (id, name, credit_code, city_code, county_code, address, contact_person, contact_phone, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ms = time(() =>
    db.sqlite.transaction(() => {
      const now = Date.now();
      for (const d of drafts) {
        stmt.run(
          newId(),
          d.name,
          d.creditCode,
          d.cityCode,
          d.countyCode,
          d.address,
          d.contactPerson,
          d.contactPhone,
          now,
          'h',
          'd',
        );
      }
    })(),
  );
  closeDatabase(db);
  return ms;
}

/** The app's path: the repository through the outbox chokepoint (op + clock per row). */
function repositoryInsert(drafts: EnterpriseDraft[], file = tempFile()): number {
  const ctx = openAppContext({ dataDir: path.dirname(file), databaseFile: file, mode: 'cli' });
  const ms = time(() =>
    writeChanges(ctx.db, ctx.device, (changes) => {
      for (const d of drafts) insertEnterprise(changes, ctx.device.newId(), d, ctx.device.now());
    }),
  );
  closeAppContext(ctx);
  return ms;
}

async function firstScreen(
  file: string,
): Promise<{ openMs: number; pageMs: number; total: number }> {
  const t0 = performance.now();
  const ctx = openAppContext({ dataDir: path.dirname(file), databaseFile: file, mode: 'browser' });
  const openMs = performance.now() - t0;
  const t1 = performance.now();
  const page = await dispatch(ctx, 'enterprise.list', { limit: 50, offset: 0 });
  const pageMs = performance.now() - t1;
  closeAppContext(ctx);
  if (!page.ok) throw new Error(page.error.message);
  return { openMs, pageMs, total: (page.value as { total: number }).total };
}

async function main(): Promise<void> {
  console.log(
    `Uplift benchmarks — ${N} enterprises, median of ${RUNS} runs, Node ${process.version}, ${os.cpus().length} cores\n`,
  );
  const drafts = demoEnterprises(N, 42);

  const raw: number[] = [];
  const repo: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    raw.push(rawInsert(drafts));
    repo.push(repositoryInsert(drafts));
  }
  const rawMs = median(raw);
  const repoMs = median(repo);
  console.log('Write path (one transaction)');
  console.log(`  raw prepared INSERT           ${rawMs.toFixed(0).padStart(7)} ms`);
  console.log(`  repository + outbox capture   ${repoMs.toFixed(0).padStart(7)} ms`);
  console.log(
    `  ratio                         ${(repoMs / rawMs).toFixed(2).padStart(7)} ×   (target ≤ 3×)\n`,
  );

  const file = tempFile();
  repositoryInsert(drafts, file);
  const screens: { openMs: number; pageMs: number; total: number }[] = [];
  for (let i = 0; i < RUNS; i++) screens.push(await firstScreen(file));
  const openMs = median(screens.map((s) => s.openMs));
  const pageMs = median(screens.map((s) => s.pageMs));
  console.log(`First screen (data folder with ${screens[0]?.total ?? 0} enterprises)`);
  console.log(`  open + migration check        ${openMs.toFixed(1).padStart(7)} ms`);
  console.log(`  first page of the list (50)   ${pageMs.toFixed(1).padStart(7)} ms`);
  console.log(
    `  total                         ${(openMs + pageMs).toFixed(1).padStart(7)} ms   (target < 1000 ms)`,
  );
}

await main();
