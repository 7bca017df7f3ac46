/**
 * `npm run bench`: speed of the write path and the first screen, as ratios against raw baselines
 * measured in the same run (never as timed assertions in tests).
 *
 * `npm run bench -- registry`, `npm run bench -- inspections`, `npm run bench -- plan` or
 * `npm run bench -- sync`, `npm run bench -- photos` or `npm run bench -- reviews` runs only that
 * part.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import ExcelJS from 'exceljs';

import { closeDatabase, openDatabase } from '../db/client';
import { listAnnex2Rows } from '../db/repositories/annex2';
import { writeChanges } from '../db/changes';
import { insertEnterprise, listEnterprises, type TextMatch } from '../db/repositories/enterprises';
import { dispatch } from '../electron/api';
import { closeAppContext, openAppContext } from '../electron/services/context';
import { annex2Lines, exportAnnex2, importAnnex2 } from '../electron/services/annex2';
import { demoEnterprises, fillDemo, seededRandom } from '../electron/services/demo';
import { shippedRulesets } from '../electron/services/rulesets';
import type { EnterpriseDraft } from '../shared/domain/enterprise';
import {
  gradeEnterprise,
  type EnterpriseInput,
  type FactValue,
  type Indicator,
  type Ruleset,
} from '../shared/grading';
import { newId } from '../shared/ids';

import { inspectionBenches } from './inspections';
import { photoBenches } from './photos';
import { planBenches } from './plan';
import { reviewBenches } from './reviews';
import { syncBenches } from './sync';

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

/**
 * Grading: N enterprises of two processes each (cement clinker + casting, the shipped rulesets),
 * through the engine, against a baseline loop that does only the comparisons inline.
 */
function gradingBench(): { engineMs: number; baselineMs: number } {
  const library = new Map(shippedRulesets().map((e) => [e.ruleset.id, e.ruleset]));
  const rulesets = [...library.values()];
  const rand = seededRandom(7);
  const factFor = (ind: Indicator): FactValue | undefined => {
    if (rand() < 0.1) return undefined;
    switch (ind.kind) {
      case 'max':
      case 'min':
        return [rand() * 120, rand() * 120];
      case 'bool':
        return rand() < 0.7;
      case 'level':
        return pickGrade(rand, ind);
      case 'oneOf':
        return ind.options?.[Math.floor(rand() * (ind.options.length || 1))] ?? 'n/a';
    }
  };
  const inputs: EnterpriseInput[] = [];
  for (let i = 0; i < N; i++) {
    inputs.push({
      asOf: '2026-11-28',
      processes: rulesets.slice(0, 2).map((r, k) => ({
        name: `工序${k + 1}`,
        ruleset: r.id,
        facts: Object.fromEntries(
          r.indicators.flatMap((ind): [string, FactValue][] => {
            const f = factFor(ind);
            return f === undefined ? [] : [[ind.id, f]];
          }),
        ),
      })),
      violations: rand() < 0.02 ? [{ date: '2026-05-01', kind: '超标排放' }] : [],
    });
  }
  const lookup = (id: string) => library.get(id);
  let sink = 0;
  const engineMs = time(() => {
    for (const input of inputs) sink += gradeEnterprise(input, lookup).grade.length;
  });
  // Baseline: the same comparisons, no gaps, no result objects.
  const baselineMs = time(() => {
    for (const input of inputs) {
      for (const p of input.processes) {
        const r = library.get(p.ruleset) as Ruleset;
        for (const g of r.grades) {
          let ok = true;
          for (const ind of r.indicators) {
            const req = ind.require[g.grade];
            if (req === undefined) continue;
            const f = p.facts[ind.id];
            if (f === undefined) ok = false;
            else if (typeof req === 'number')
              ok &&= (Array.isArray(f) ? f : [f]).every((x) =>
                ind.kind === 'max' ? (x as number) <= req : (x as number) >= req,
              );
            else if (typeof req === 'boolean') ok &&= !req || f === true;
            else ok &&= f === req || f === 'A';
          }
          if (ok) break;
        }
      }
    }
  });
  if (sink < 0) console.log(sink);
  return { engineMs, baselineMs };
}

function pickGrade(rand: () => number, ind: Indicator): string {
  const grades = Object.keys(ind.require);
  return grades[Math.floor(rand() * grades.length)] ?? 'n/a';
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Registry search as a person types it: the first page and the total, FTS against LIKE. */
function searchBench(file: string): { fts: number[]; like: number[]; queries: number } {
  const ctx = openAppContext({ dataDir: path.dirname(file), databaseFile: file, mode: 'cli' });
  const sample = listEnterprises(ctx.db, { limit: 200, offset: 5000 }).items;
  const rand = seededRandom(11);
  const queries: string[] = [];
  for (const e of sample) {
    const source = [e.name, e.address ?? e.name, e.creditCode ?? e.name][
      Math.floor(rand() * 3)
    ] as string;
    const len = 2 + Math.floor(rand() * 5);
    const start = Math.floor(rand() * Math.max(1, source.length - len));
    queries.push(source.slice(start, start + len));
  }
  const run = (mode: TextMatch) =>
    queries.map((text) =>
      time(() => listEnterprises(ctx.db, { text, limit: 50, offset: 0 }, mode)),
    );
  run('auto'); // warm the page cache the same way for both
  const fts = run('auto');
  const like = run('like');
  closeAppContext(ctx);
  return { fts, like, queries: queries.length };
}

/**
 * 附件2 in Excel: a registry of about 10,000 list lines exported, imported into an empty data
 * folder, and imported again (nothing changes), each against what exceljs alone takes.
 */
async function excelBench(): Promise<Record<string, number>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-xlsx-'));
  const source = openAppContext({
    dataDir: dir,
    databaseFile: path.join(dir, 'a.db'),
    mode: 'cli',
  });
  fillDemo(source, { enterprises: Number(process.env.BENCH_LIST_ENTERPRISES ?? 8300), seed: 5 });
  const t0 = performance.now();
  const exported = await exportAnnex2(source, {});
  const exportMs = performance.now() - t0;
  // Baseline: exceljs writing the same cells, one row per line, no styles, merges or print setup.
  const { lines } = annex2Lines(listAnnex2Rows(source.db, {}), source.catalog);
  const t1 = performance.now();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('清单');
  for (const line of lines) ws.addRow([...line.cells]);
  await wb.xlsx.writeBuffer();
  const writeMs = performance.now() - t1;

  const t2 = performance.now();
  await new ExcelJS.Workbook().xlsx.load(exported.data as unknown as ArrayBuffer);
  const readMs = performance.now() - t2;
  const plain = Buffer.from(await wb.xlsx.writeBuffer());
  const t3 = performance.now();
  await new ExcelJS.Workbook().xlsx.load(plain as unknown as ArrayBuffer);
  const readPlainMs = performance.now() - t3;

  const target = openAppContext({
    dataDir: dir,
    databaseFile: path.join(dir, 'b.db'),
    mode: 'cli',
  });
  const t4 = performance.now();
  await importAnnex2(target, exported.data);
  const importMs = performance.now() - t4;
  const t5 = performance.now();
  await importAnnex2(target, exported.data);
  const reimportMs = performance.now() - t5;
  closeAppContext(source);
  closeAppContext(target);
  return { rows: exported.rows, exportMs, writeMs, readMs, readPlainMs, importMs, reimportMs };
}

async function registryBenches(): Promise<void> {
  console.log(`Registry — ${N} enterprises, median of ${RUNS} runs\n`);
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
  console.log('');

  const search = searchBench(file);
  console.log(`Registry search, ${search.queries} queries of 2–6 characters (first page + total)`);
  console.log(
    `  LIKE scan   p50 ${percentile(search.like, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(search.like, 95).toFixed(1).padStart(6)} ms`,
  );
  console.log(
    `  FTS5 trigram p50 ${percentile(search.fts, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(search.fts, 95).toFixed(1).padStart(6)} ms   (target p95 ≤ 20 ms)`,
  );
  console.log(
    `  ratio (p95)                   ${(percentile(search.fts, 95) / percentile(search.like, 95)).toFixed(2).padStart(7)} ×\n`,
  );

  const x = await excelBench();
  const ms = (v: number | undefined) => `${(v ?? NaN).toFixed(0).padStart(7)} ms`;
  const ratio = (a: number | undefined, b: number | undefined) =>
    `${((a ?? NaN) / (b ?? NaN)).toFixed(2).padStart(7)} ×`;
  console.log(`附件2 list in Excel, ${x.rows} lines`);
  console.log(`  exceljs writes the same cells ${ms(x.writeMs)}`);
  console.log(
    `  export (styled, merged, A4)   ${ms(x.exportMs)}   ratio ${ratio(x.exportMs, x.writeMs)}   (target ≤ 1.5×)`,
  );
  console.log(
    `  exceljs reads the file        ${ms(x.readMs)}   (the same cells unmerged: ${ms(x.readPlainMs).trim()})`,
  );
  console.log(
    `  import into an empty registry ${ms(x.importMs)}   ratio ${ratio(x.importMs, x.readMs)}   (target ≤ 1.5×; vs unmerged read ${ratio(x.importMs, x.readPlainMs).trim()})`,
  );
  console.log(
    `  import again, nothing changes ${ms(x.reimportMs)}   ratio ${ratio(x.reimportMs, x.readMs)}\n`,
  );

  const grading: { engineMs: number; baselineMs: number }[] = [];
  for (let i = 0; i < RUNS; i++) grading.push(gradingBench());
  const engineMs = median(grading.map((g) => g.engineMs));
  const baselineMs = median(grading.map((g) => g.baselineMs));
  console.log(`Grading ${N} enterprises × 2 processes (shipped rulesets)`);
  console.log(`  baseline comparisons only     ${baselineMs.toFixed(0).padStart(7)} ms`);
  console.log(
    `  engine (grades, gaps, locks)  ${engineMs.toFixed(0).padStart(7)} ms   (${((engineMs * 1000) / N).toFixed(1)} µs per enterprise)`,
  );
  console.log(
    `  ratio                         ${(engineMs / baselineMs).toFixed(2).padStart(7)} ×\n`,
  );
}

const PARTS: Record<string, () => Promise<void>> = {
  registry: registryBenches,
  inspections: inspectionBenches,
  plan: planBenches,
  photos: photoBenches,
  sync: syncBenches,
  reviews: reviewBenches,
};

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !(a in PARTS));
  if (unknown.length > 0) {
    console.error(`unknown part ${unknown.join(', ')}; parts: ${Object.keys(PARTS).join(', ')}`);
    process.exit(2);
  }
  console.log(`Uplift benchmarks — Node ${process.version}, ${os.cpus().length} cores\n`);
  for (const [name, run] of Object.entries(PARTS)) {
    if (asked.length === 0 || asked.includes(name)) await run();
  }
}

await main();
