/**
 * Device sync (issue #6), against the central store listening on loopback (PGlite in a temp
 * folder, in its own process as in production: bench/central.ts), through the app's own sync run
 * (syncNow over real HTTP):
 *
 * - a sync with nothing to do, at 1,000 and at BENCH_SYNC_N (default 50,000) enterprises with
 *   their processes: the two medians should be the same (ratio ≈ 1×);
 * - a fresh device's first full sync (a pull of everything) against a plain node:http server
 *   handing out the same number of bytes in the same number of pages (target ≤ 2×): the pages'
 *   plain JSON, though the store sends them gzipped (their gzipped size is shown too);
 * - and, to show the floor under that target, the same transfer plus storing the rows the pull
 *   stored, with prepared INSERTs into the same tables (their indexes and triggers, the search
 *   index built once at the end), one transaction per page — what no sync design can skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { closeDatabase, openDatabase } from '../db/client';
import { writeChanges } from '../db/changes';
import {
  insertEnterprise,
  pauseSearchIndex,
  resumeSearchIndex,
} from '../db/repositories/enterprises';
import { insertProcess } from '../db/repositories/processes';
import { bulkCheckpoints, readSyncSettings } from '../db/repositories/sync';
import { closeAppContext, openAppContext, type AppContext } from '../electron/services/context';
import { demoEnterprises, demoProcesses, seededRandom } from '../electron/services/demo';
import { rulesetBrief } from '../electron/services/processes';
import { login, syncNow } from '../electron/services/sync';
import type { FetchLike } from '../electron/services/sync-http';
import {
  APP_VERSION_HEADER,
  COMPACT_CLOCKS,
  FEATURES_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PULL_PAGE_MAX,
} from '../shared/sync/protocol';

const SMALL_N = 1_000;
const BIG_N = Number(process.env.BENCH_SYNC_N ?? 50_000);
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 10);
const PULLS = Number(process.env.BENCH_SYNC_PULLS ?? 3);
const PASSWORD = 'bench-password-1';

/** The run of median time. */
function middle(runs: FirstPull[]): FirstPull {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as FirstPull;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;

/** Every folder made here, removed at the end (the 50,000 run leaves about 1 GB). */
const made: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function device(): AppContext {
  const dir = tempDir('uplift-bench-sync-device-');
  return openAppContext({ dataDir: dir, databaseFile: path.join(dir, 'uplift.db'), mode: 'cli' });
}

/** N enterprises and their processes, in one writeChanges (so every row is in the outbox). */
function fill(ctx: AppContext, n: number): number {
  const drafts = demoEnterprises(n, 42);
  const rand = seededRandom(43);
  const grades = (id: string) => rulesetBrief(ctx, id)?.grades;
  let processes = 0;
  writeChanges(ctx.db, ctx.device, (changes) => {
    for (const draft of drafts) {
      const id = ctx.device.newId();
      insertEnterprise(changes, id, draft, ctx.device.now());
      for (const p of demoProcesses(rand, id, draft.name, ctx.catalog, grades)) {
        insertProcess(changes, ctx.device.newId(), p, ctx.device.now());
        processes++;
      }
    }
  });
  return processes;
}

interface Central {
  url: string;
  /** Builds the region's snapshot in the store's process; its time and sizes. */
  buildSnapshot(): Promise<{ built: number; bytes: number; size: number }>;
  close(): Promise<void>;
}

/** The central store in a child process (bench/central.ts), with one region administrator. */
async function startCentral(): Promise<Central> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'central.ts'),
      tempDir('uplift-bench-sync-server-'),
      PASSWORD,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  // Its answers, one JSON line each, to whoever waits next.
  const waiting: ((line: string) => void)[] = [];
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    while (out.includes('\n')) {
      const line = out.slice(0, out.indexOf('\n'));
      out = out.slice(out.indexOf('\n') + 1);
      waiting.shift()?.(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`the central store exited (${code})`)));
    });
  const url = (JSON.parse(await nextLine()) as { url: string }).url;
  return {
    url,
    buildSnapshot: async () => {
      const answer = nextLine();
      child.stdin?.write('build\n');
      return JSON.parse(await answer) as { built: number; bytes: number; size: number };
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function signIn(ctx: AppContext, server: Central): Promise<void> {
  await login(ctx, { username: 'admin', password: PASSWORD }, { server: server.url });
}

interface Loaded {
  server: Central;
  enterprises: number;
  processes: number;
  pushMs: number;
  noopMs: number[];
}

/** A store holding n enterprises pushed from one device, and that device's no-op syncs. */
async function loaded(n: number): Promise<Loaded> {
  const server = await startCentral();
  const ctx = device();
  try {
    const processes = fill(ctx, n);
    await signIn(ctx, server);
    const t0 = performance.now();
    const first = await syncNow(ctx);
    const pushMs = performance.now() - t0;
    if (first.pushed !== n + processes) {
      throw new Error(`pushed ${first.pushed} ops, expected ${n + processes}`);
    }
    await syncNow(ctx); // settles the cursor past the device's own changes
    // Warm-up: the store's process and this one compile their hot paths on the first runs.
    for (let i = 0; i < 3; i++) await syncNow(ctx);
    const noopMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const s = await syncNow(ctx);
      noopMs.push(performance.now() - t);
      if (s.pushed !== 0 || s.pulled !== 0) {
        throw new Error(`a sync with nothing to do pushed ${s.pushed} and pulled ${s.pulled}`);
      }
    }
    return { server, enterprises: n, processes, pushMs, noopMs };
  } catch (e) {
    await server.close();
    throw e;
  } finally {
    closeAppContext(ctx);
  }
}

interface FirstPull {
  ms: number;
  pulled: number;
  /** Bytes on the wire (gzipped pages), and the same pages as plain JSON. */
  wireBytes: number;
  bytes: number;
  pages: number;
  file: string;
}

/**
 * A fresh device's first sync; the bytes and the count of the pull responses (and of the
 * snapshot, when `snapshot`), and its file.
 */
async function firstPull(server: Central, snapshot = false): Promise<FirstPull> {
  const ctx = device();
  try {
    await signIn(ctx, server);
    let wireBytes = 0;
    let pages = 0;
    const counting: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (url.endsWith('/sync/pull') || url.endsWith('/sync/snapshot')) {
        pages++;
        wireBytes += Number(res.headers.get('content-length'));
      }
      return res;
    };
    const t0 = performance.now();
    const s = await syncNow(ctx, { fetch: counting, snapshot });
    const elapsed = performance.now() - t0;
    const token = readSyncSettings(ctx.db).token ?? '';
    const bytes = snapshot ? 0 : await plainBytes(server.url, token, ctx.device.deviceId);
    return { ms: elapsed, pulled: s.pulled, wireBytes, bytes, pages, file: ctx.db.file };
  } finally {
    closeAppContext(ctx);
  }
}

/** The size of the same pull as plain JSON (asked again without gzip, not timed). */
async function plainBytes(url: string, token: string, deviceId: string): Promise<number> {
  let cursor: string | null = null;
  let bytes = 0;
  for (;;) {
    const res = await fetch(`${url}/sync/pull`, {
      method: 'POST',
      headers: {
        [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
        [APP_VERSION_HEADER]: '0.1.0',
        [FEATURES_HEADER]: COMPACT_CLOCKS, // as the app asks
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'accept-encoding': 'identity',
      },
      body: JSON.stringify({ deviceId, cursor, limit: PULL_PAGE_MAX }),
    });
    const text = await res.text();
    bytes += Buffer.byteLength(text);
    const page = JSON.parse(text) as { cursor: string; more: boolean };
    if (!page.more) return bytes;
    cursor = page.cursor;
  }
}

/**
 * Raw store: the enterprises and processes a pull stored (read back from its file), inserted
 * as they are into a new database of the same schema, `pages` transactions, search index paused
 * and built at the end and the WAL checkpointed every 64 MB, as the pull does.
 */
function rawStore(pulledFile: string, pages: number): number {
  const source = openDatabase(pulledFile);
  const rows: { table: string; values: unknown[]; columns: string[] }[] = [];
  for (const table of ['enterprises', 'enterprise_processes']) {
    for (const r of source.sqlite.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<
      string,
      unknown
    >[]) {
      rows.push({ table, columns: Object.keys(r), values: Object.values(r) });
    }
  }
  closeDatabase(source);
  const dir = tempDir('uplift-bench-sync-raw-');
  const db = openDatabase(path.join(dir, 'uplift.db'));
  try {
    const statements = new Map(
      rows
        .slice(0, 1)
        .concat(rows.slice(-1))
        .map((r) => [
          r.table,
          db.sqlite.prepare(
            `INSERT INTO ${r.table} (${r.columns.join(', ')}) VALUES (${r.columns.map(() => '?').join(', ')})`,
          ),
        ]),
    );
    const per = Math.ceil(rows.length / pages);
    bulkCheckpoints(db, true); // as a pull does
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += per) {
      db.sqlite.transaction(() => {
        pauseSearchIndex(db);
        for (const r of rows.slice(i, i + per)) statements.get(r.table)?.run(...r.values);
      })();
    }
    resumeSearchIndex(db);
    return performance.now() - t0;
  } finally {
    closeDatabase(db);
  }
}

/** Raw baseline: the same bytes from a plain node:http server, in the same number of pages. */
async function rawTransfer(bytes: number, pages: number): Promise<number> {
  const size = Math.ceil(bytes / pages);
  const page = Buffer.alloc(size, 0x61);
  const last = Buffer.alloc(bytes - size * (pages - 1), 0x61);
  let served = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = ++served % pages === 0 ? last : page;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(body.byteLength),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pull`;
  try {
    const t0 = performance.now();
    let got = 0;
    for (let i = 0; i < pages; i++) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cursor: String(i) }),
      });
      got += (await res.arrayBuffer()).byteLength;
    }
    const elapsed = performance.now() - t0;
    if (got !== bytes) throw new Error(`raw transfer got ${got} bytes, expected ${bytes}`);
    return elapsed;
  } finally {
    await new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}

export async function syncBenches(): Promise<void> {
  console.log(
    `Sync — central store on loopback HTTP (PGlite, its own process), ${SMALL_N} and ${BIG_N} enterprises, no-op median of ${RUNS} runs\n`,
  );
  const small = await loaded(SMALL_N);
  await small.server.close();
  const big = await loaded(BIG_N);
  try {
    const smallMs = median(small.noopMs);
    const bigMs = median(big.noopMs);
    console.log('A sync with nothing to do');
    for (const l of [small, big]) {
      console.log(
        `  ${String(l.enterprises).padStart(6)} enterprises + ${String(l.processes).padStart(6)} processes ${ms(median(l.noopMs))}   (first push of them all ${(l.pushMs / 1000).toFixed(1)} s)`,
      );
    }
    console.log(
      `  ratio ${BIG_N} / ${SMALL_N}                 ${(bigMs / smallMs).toFixed(2).padStart(8)} ×   (target ≈ 1×)\n`,
    );

    // The median of PULLS fresh devices, and of as many raw runs: one run on 2 shared cores
    // moves by ±15%.
    const pulls: FirstPull[] = [];
    for (let i = 0; i < PULLS; i++) pulls.push(await firstPull(big.server));
    const pull = middle(pulls);
    const raws: number[] = [];
    const stores: number[] = [];
    for (let i = 0; i < PULLS; i++) {
      raws.push(await rawTransfer(pull.bytes, pull.pages));
      stores.push(rawStore(pull.file, pull.pages));
    }
    const rawMs = median(raws);
    const storeMs = median(stores);
    console.log(
      `First sync of a fresh device, median of ${PULLS} (${pull.pulled} changes, ${mb(pull.bytes)} of JSON in ${pull.pages} pages, ${mb(pull.wireBytes)} gzipped on the wire)`,
    );
    console.log(`  raw loopback transfer, same JSON and pages ${ms(rawMs)}`);
    console.log(
      `  raw loopback transfer, the gzipped bytes   ${ms(await rawTransfer(pull.wireBytes, pull.pages))}`,
    );
    console.log(`  first full sync (pull and apply)          ${ms(pull.ms)}`);
    console.log(
      `  ratio                                     ${(pull.ms / rawMs).toFixed(2).padStart(8)} ×   (target ≤ 2×)`,
    );
    console.log(
      `  floor: raw transfer + raw store of the rows ${ms(rawMs + storeMs)}   (store ${ms(storeMs)})`,
    );
    console.log(
      `  ratio to the floor                        ${(pull.ms / (rawMs + storeMs)).toFixed(2).padStart(8)} ×\n`,
    );

    // The same first sync once the store has its snapshot ready.
    const built = await big.server.buildSnapshot();
    const snaps: FirstPull[] = [];
    for (let i = 0; i < PULLS; i++) snaps.push(await firstPull(big.server, true));
    const snap = middle(snaps);
    if (snap.pulled < pull.pulled) {
      throw new Error(`the snapshot brought ${snap.pulled} rows, pages ${pull.pulled}`);
    }
    const rawFile: number[] = [];
    const rawPacked: number[] = [];
    for (let i = 0; i < PULLS; i++) {
      rawFile.push(await rawTransfer(built.size, 1));
      rawPacked.push(await rawTransfer(snap.wireBytes, snap.pages));
    }
    const rawFileMs = median(rawFile);
    console.log(
      `First sync of a fresh device from the store's snapshot, median of ${PULLS} (the database file: ${mb(built.size)}, ${mb(built.bytes)} gzipped; built on the store in ${(built.built / 1000).toFixed(1)} s, in the background)`,
    );
    console.log(`  raw loopback transfer of the database file ${ms(rawFileMs)}`);
    console.log(
      `  raw loopback transfer, the gzipped bytes   ${ms(median(rawPacked))}   (${mb(snap.wireBytes)} in ${snap.pages} responses)`,
    );
    console.log(`  first full sync (snapshot, then pages)    ${ms(snap.ms)}`);
    console.log(
      `  ratio to the database file's transfer     ${(snap.ms / rawFileMs).toFixed(2).padStart(8)} ×   (target ≤ 2×)`,
    );
    console.log(
      `  ratio to the page-by-page JSON's transfer ${(snap.ms / rawMs).toFixed(2).padStart(8)} ×`,
    );
    console.log(
      `  ratio to the first sync page by page      ${(snap.ms / pull.ms).toFixed(2).padStart(8)} ×\n`,
    );
  } finally {
    await big.server.close();
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}
