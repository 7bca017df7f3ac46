/**
 * Site visits (issue #5): the autosave of one answer with its live regrade, and opening a large
 * visit, each against a raw SQLite baseline measured in the same run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';

import { dispatch } from '../electron/api';
import { closeAppContext, openAppContext, type AppContext } from '../electron/services/context';
import { demoPhoto } from '../electron/services/demo';
import { createEnterprise } from '../electron/services/enterprises';
import {
  addEvidence,
  getInspectionDetail,
  gradingOf,
  saveAnswer,
  startInspection,
} from '../electron/services/inspections';
import { createProcess } from '../electron/services/processes';
import { importRuleset } from '../electron/services/rulesets';
import { findIndustry } from '../shared/domain/catalog';
import { EnterpriseDraftSchema } from '../shared/domain/enterprise';
import {
  AnswerSaveSchema,
  InspectionStartSchema,
  type AnswerSave,
  type InspectionDetail,
} from '../shared/domain/inspection';
import { ProcessDraftSchema } from '../shared/domain/process';
import {
  DIMENSIONS,
  validateRuleset,
  type FactValue,
  type Indicator,
  type IndicatorKind,
  type Requirement,
  type Ruleset,
} from '../shared/grading';
import { newId } from '../shared/ids';

const SAVES = Number(process.env.BENCH_SAVES ?? 500);
const OPEN_RUNS = Number(process.env.BENCH_OPEN_RUNS ?? 25);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const INDICATORS = 60;
const PROCESSES = 5;
const PHOTOS = 50;

/** Industries whose first branch has no fixed grade scheme, so an A/B/C/D ruleset fits them. */
const INDUSTRIES = [
  { code: 'coking', branch: '常规机焦炉' },
  { code: 'lime-kiln', branch: '石灰窑' },
  { code: 'glass', branch: '玻璃' },
  { code: 'ceramics', branch: '陶瓷' },
  { code: 'carbon', branch: '炭素' },
] as const;

const GRADES = ['A', 'B', 'C', 'D'] as const;
/** The five kinds in turn: 12 indicators of each in a ruleset of 60. */
const KINDS: readonly IndicatorKind[] = ['level', 'bool', 'oneOf', 'max', 'min'];
const OPTIONS = ['SCR', 'SNCR+SCR', 'SNCR', '低氮燃烧', '无'];

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-visit-'));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const ms = (v: number, digits = 3) => `${v.toFixed(digits).padStart(9)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(1).padStart(7)} ×`;

// ─── Synthetic rulesets ─────────────────────────────────────────────────────────────────────

/**
 * A valid ruleset of `count` indicators for one catalogue industry: level, bool, oneOf, max and
 * min in turn, over every dimension, with requirements for A, B and C (D is the floor); every
 * seventh indicator demands something of A only.
 */
export function syntheticRuleset(id: string, industry: string, count = INDICATORS): Ruleset {
  const indicators: Indicator[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length] as IndicatorKind;
    const onlyA = i % 7 === 6;
    const require = (
      a: Requirement,
      b: Requirement,
      c: Requirement,
    ): Record<string, Requirement> => (onlyA ? { A: a } : { A: a, B: b, C: c });
    const base = {
      id: `bench.${kind}.${String(i + 1).padStart(2, '0')}`,
      dimension: DIMENSIONS[i % DIMENSIONS.length] as string,
      title: `合成指标 ${i + 1}（${kind}）`,
      kind,
    };
    switch (kind) {
      case 'level':
        indicators.push({
          ...base,
          text: { A: 'A 级要求原文', B: 'B 级要求原文', C: 'C 级要求原文' },
          require: require('A', 'B', 'C'),
        });
        break;
      case 'bool':
        indicators.push({ ...base, require: require(true, true, false) });
        break;
      case 'oneOf':
        indicators.push({
          ...base,
          options: OPTIONS,
          require: require(['SCR', 'SNCR+SCR'], ['SCR', 'SNCR+SCR', 'SNCR'], OPTIONS.slice(0, 4)),
        });
        break;
      case 'max':
        indicators.push({
          ...base,
          unit: 'mg/m³',
          note: '小时均值',
          require: require(10, 30, 60),
        });
        break;
      case 'min':
        indicators.push({ ...base, unit: '%', require: require(100, 80, 50) });
        break;
    }
  }
  const raw: Ruleset = {
    id,
    industry,
    edition: '2026',
    source: '合成指标体系（仅用于性能测试）',
    status: 'draft',
    grades: [
      { grade: 'A', rank: 1 },
      { grade: 'B', rank: 2 },
      { grade: 'C', rank: 4 },
      { grade: 'D', rank: 5 },
    ],
    indicators,
  };
  const checked = validateRuleset(raw);
  if (!checked.ok) {
    throw new Error(`synthetic ruleset ${id} is invalid: ${JSON.stringify(checked.issues)}`);
  }
  return checked.value;
}

/**
 * A fact for an indicator in round `round`: always different from the previous round's (with the
 * same salt), so every autosave of the same indicator really changes its row.
 */
function factFor(indicator: Indicator, round: number, salt = 0): FactValue {
  switch (indicator.kind) {
    case 'level':
      return GRADES[(round + salt) % GRADES.length] as string;
    case 'bool':
      return (round + salt) % 2 === 0;
    case 'oneOf':
      return OPTIONS[(round + salt) % OPTIONS.length] as string;
    case 'max':
      // Several outlets on every third round.
      return round % 3 === 2 ? [8 + round, 25 + salt] : 5 + ((round * 7 + salt) % 70);
    case 'min':
      return 40 + ((round * 11 + salt) % 61);
  }
}

// ─── A site set up through the services ─────────────────────────────────────────────────────

interface Visit {
  ctx: AppContext;
  file: string;
  inspectionId: string;
  enterpriseId: string;
  processes: { processId: string; ruleset: Ruleset }[];
}

/**
 * A fresh data folder with `processCount` processes of one enterprise, each graded by its own
 * synthetic ruleset (imported into the library, as an expert would), and a draft visit of them
 * all, started through the services as the API does.
 */
function setUpVisit(processCount: number): Visit {
  const dir = tempDir();
  const file = path.join(dir, 'uplift.db');
  const ctx = openAppContext({ dataDir: dir, databaseFile: file, mode: 'cli' });
  const enterpriseId = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({
      name: '宁夏基准测试化工有限公司',
      cityCode: '6401',
      countyCode: '640104',
    }),
  ).id;
  const processes = INDUSTRIES.slice(0, processCount).map(({ code, branch }) => {
    const industry = findIndustry(ctx.catalog, code);
    if (!industry) throw new Error(`the catalogue has no industry ${code}`);
    const { entry } = importRuleset(ctx, syntheticRuleset(`bench-${code}`, industry.name));
    const processId = createProcess(
      ctx,
      ProcessDraftSchema.parse({
        enterpriseId,
        industryCode: code,
        branch,
        name: `${industry.name}生产线`,
        rulesetId: entry.ruleset.id,
        currentGrade: 'C',
        targetGrade: 'A',
      }),
    ).id;
    return { processId, ruleset: entry.ruleset };
  });
  const visit = startInspection(
    ctx,
    InspectionStartSchema.parse({
      enterpriseId,
      date: '2026-06-01',
      type: '帮扶指导',
      members: [
        { name: '张伟', role: '执法' },
        { name: '李静', role: '监测' },
        { name: '王强', role: '专家' },
      ],
      processIds: processes.map((p) => p.processId),
    }),
  );
  if (visit.processes.some((p) => p.ruleset.ruleset?.indicators.length !== INDICATORS)) {
    throw new Error('a visited process is not pinned to its 60-indicator ruleset');
  }
  return { ctx, file, inspectionId: visit.inspection.id, enterpriseId, processes };
}

function closeVisit(visit: Visit): void {
  closeAppContext(visit.ctx);
  fs.rmSync(path.dirname(visit.file), { recursive: true, force: true });
}

/**
 * What the API hands saveAnswer: the input after AnswerSaveSchema (parsed outside the timing).
 * Saves cycle the indicators of one process, from round `firstRound` on; each round's facts
 * differ from the previous round's, so every save changes its answer.
 */
function saveInputs(visit: Visit, count: number, processIndex = 0, firstRound = 0): AnswerSave[] {
  const p = visit.processes[processIndex];
  if (!p) throw new Error(`no process ${processIndex}`);
  const inputs: AnswerSave[] = [];
  for (let i = 0; i < count; i++) {
    const indicator = p.ruleset.indicators[i % p.ruleset.indicators.length] as Indicator;
    inputs.push(
      AnswerSaveSchema.parse({
        inspectionId: visit.inspectionId,
        processId: p.processId,
        indicatorId: indicator.id,
        fact: factFor(
          indicator,
          firstRound + Math.floor(i / p.ruleset.indicators.length),
          processIndex,
        ),
      }),
    );
  }
  return inputs;
}

// ─── 1. Autosave of one answer ──────────────────────────────────────────────────────────────

export interface SaveResult {
  saves: number;
  /** Per save: saveAnswer (write through writeChanges + regrade of the visit). */
  service: number[];
  /** Per save: the same input through dispatch('inspection.saveAnswer'), zod included. */
  dispatched: number[];
  /** Per call: gradingOf alone, the regrade part of a save. */
  regrade: number[];
  /** Per save: one prepared INSERT of an equivalent row into a plain table, autocommit. */
  raw: number[];
  /** Autosave in the 5 × 60 visit of part 2 (300 answers regraded on every save). */
  bigVisit?: number[];
}

/** Raw baseline: a plain table with the answer's columns, no index but its key, no outbox. */
function rawInserts(inputs: readonly AnswerSave[]): number[] {
  const dir = tempDir();
  const sqlite = new Database(path.join(dir, 'raw.db'));
  // The app's pragmas (db/client.ts).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec(`CREATE TABLE answers (
    id TEXT PRIMARY KEY NOT NULL, inspection_id TEXT NOT NULL, inspection_process_id TEXT NOT NULL,
    indicator_id TEXT NOT NULL, fact TEXT, note TEXT, created_at INTEGER NOT NULL,
    updated_at TEXT NOT NULL, updated_by TEXT NOT NULL)`);
  const stmt = sqlite.prepare(
    `INSERT INTO answers (id, inspection_id, inspection_process_id, indicator_id, fact, note, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const times = inputs.map((input) =>
    time(() =>
      stmt.run(
        newId(),
        input.inspectionId,
        input.processId,
        input.indicatorId,
        JSON.stringify(input.fact ?? null),
        null,
        Date.now(),
        'h',
        'd',
      ),
    ),
  );
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return times;
}

export async function saveBench(): Promise<SaveResult> {
  // The service: one visit of one 60-indicator process, N autosaves cycling its indicators
  // (the first 60 insert an answer, the rest change one).
  const visit = setUpVisit(1);
  const inputs = saveInputs(visit, SAVES);
  const service = inputs.map((input) =>
    time(() => {
      const saved = saveAnswer(visit.ctx, input);
      if (!saved.changed) throw new Error(`autosave of ${input.indicatorId} changed nothing`);
    }),
  );
  const regrade = inputs.map(() => time(() => gradingOf(visit.ctx, visit.inspectionId)));
  closeVisit(visit);

  // The same saves as the transports make them, in a fresh visit.
  const viaApi = setUpVisit(1);
  const apiInputs = saveInputs(viaApi, SAVES);
  const dispatched: number[] = [];
  for (const input of apiInputs) {
    const t = await timeAsync(async () => {
      const r = await dispatch(viaApi.ctx, 'inspection.saveAnswer', input);
      if (!r.ok) throw new Error(r.error.message);
    });
    dispatched.push(t);
  }
  closeVisit(viaApi);

  return { saves: SAVES, service, dispatched, regrade, raw: rawInserts(inputs) };
}

// ─── 2. Opening a visit of 300 answers and 50 photos ────────────────────────────────────────

export interface OpenResult {
  answers: number;
  evidence: number;
  indicators: number;
  /** getInspectionDetail in a context that has opened the visit before (warm caches). */
  service: number[];
  /** dispatch('inspection.get'), what the window asks for. */
  dispatched: number[];
  /** The first open after the data folder is opened (pinned rulesets parsed again). */
  cold: number[];
  /** Raw SELECTs of the rows the detail is built from. */
  raw: number[];
  /** JSON of the detail as browser mode sends it. */
  jsonBytes: number;
  jsonMs: number[];
  /** saveAnswer in this visit: every save regrades all 5 processes. */
  bigVisitSaves: number[];
}

/** Answers every indicator of every process and attaches the photos, through the services. */
function fillVisit(visit: Visit): void {
  for (const [k, p] of visit.processes.entries()) {
    for (const indicator of p.ruleset.indicators) {
      saveAnswer(
        visit.ctx,
        AnswerSaveSchema.parse({
          inspectionId: visit.inspectionId,
          processId: p.processId,
          indicatorId: indicator.id,
          fact: factFor(indicator, 0, k),
          note: indicator.kind === 'max' ? '在线监测小时均值' : undefined,
        }),
      );
    }
  }
  const takenAt = Date.UTC(2026, 5, 1, 2, 0, 0);
  for (let i = 0; i < PHOTOS; i++) {
    // Four of five photos document an answer; the rest the visit as a whole.
    const p = visit.processes[i % visit.processes.length];
    const indicator = p?.ruleset.indicators[(i * 7) % INDICATORS];
    addEvidence(visit.ctx, {
      inspectionId: visit.inspectionId,
      ...(i % 5 !== 4 && p && indicator
        ? { processId: p.processId, indicatorId: indicator.id }
        : {}),
      fileName: `现场照片_${i + 1}.png`,
      data: demoPhoto(1000 + i),
      takenAt: takenAt + i * 60_000,
    });
  }
}

/** Every row the detail is built from, read with prepared statements and nothing else. */
function rawOpen(sqlite: Database.Database, inspectionId: string, enterpriseId: string) {
  const statements = [
    sqlite.prepare(
      `SELECT i.*, e.name AS enterprise_name FROM inspections i JOIN enterprises e ON e.id = i.enterprise_id
       WHERE i.id = ? AND i.deleted = 0`,
    ),
    sqlite.prepare(
      'SELECT * FROM inspection_members WHERE inspection_id = ? AND deleted = 0 ORDER BY created_at, id',
    ),
    sqlite.prepare(
      `SELECT ip.*, p.name, p.industry_code, p.branch, p.target_grade FROM inspection_processes ip
       JOIN enterprise_processes p ON p.id = ip.process_id
       WHERE ip.inspection_id = ? AND ip.deleted = 0 ORDER BY ip.created_at, ip.id`,
    ),
    sqlite.prepare(
      `SELECT id, json FROM pinned_rulesets WHERE id IN
       (SELECT ruleset_hash FROM inspection_processes WHERE inspection_id = ? AND deleted = 0)`,
    ),
    sqlite.prepare(
      'SELECT * FROM inspection_answers WHERE inspection_id = ? AND deleted = 0 ORDER BY created_at, id',
    ),
    sqlite.prepare(
      `SELECT u.*, a.mime_type, a.size, ip.process_id, ans.indicator_id FROM attachment_uses u
       JOIN attachments a ON a.id = u.attachment_id
       LEFT JOIN inspection_answers ans ON ans.id = u.answer_id
       LEFT JOIN inspection_processes ip ON ip.id = ans.inspection_process_id
       WHERE u.inspection_id = ? AND u.deleted = 0 ORDER BY u.created_at, u.id`,
    ),
    sqlite.prepare('SELECT * FROM inspections WHERE revision_of = ? AND deleted = 0'),
  ];
  const violations = sqlite.prepare(
    'SELECT * FROM violations WHERE enterprise_id = ? AND deleted = 0 ORDER BY date, created_at, id',
  );
  return (): number => {
    let rows = 0;
    for (const s of statements) rows += s.all(inspectionId).length;
    return rows + violations.all(enterpriseId).length;
  };
}

export async function openBench(): Promise<OpenResult> {
  const visit = setUpVisit(PROCESSES);
  fillVisit(visit);
  const { ctx, inspectionId } = visit;

  const check = getInspectionDetail(ctx, inspectionId);
  const answers = check.answers.length;
  const evidence = check.evidence.length;
  const indicators = check.grading.processes.reduce((n, p) => n + p.indicators, 0);
  if (answers < PROCESSES * INDICATORS || evidence !== PHOTOS) {
    throw new Error(`the visit has ${answers} answers and ${evidence} photos`);
  }

  const service: number[] = [];
  const dispatched: number[] = [];
  const raw: number[] = [];
  const jsonMs: number[] = [];
  const readRaw = rawOpen(ctx.db.sqlite, inspectionId, visit.enterpriseId);
  let detail: InspectionDetail = check;
  let rows = 0;
  for (let i = 0; i < OPEN_RUNS; i++) {
    // Interleaved, so both see the same page cache and the same machine noise.
    raw.push(time(() => (rows = readRaw())));
    service.push(time(() => (detail = getInspectionDetail(ctx, inspectionId))));
    dispatched.push(
      await timeAsync(async () => {
        const r = await dispatch(ctx, 'inspection.get', { id: inspectionId });
        if (!r.ok) throw new Error(r.error.message);
      }),
    );
  }
  if (rows < answers + evidence) throw new Error(`the raw read found only ${rows} rows`);
  let json = '';
  for (let i = 0; i < OPEN_RUNS; i++) jsonMs.push(time(() => (json = JSON.stringify(detail))));

  // Autosave in this visit (after the timing of the open, so the open sees the same data).
  const bigVisitSaves = saveInputs(visit, 120, 2, 1).map((input) =>
    time(() => {
      if (!saveAnswer(ctx, input).changed) throw new Error('an autosave changed nothing');
    }),
  );
  closeAppContext(ctx);

  // The first open after the app opens its data folder: no parsed pinned ruleset yet.
  const cold: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const again = openAppContext({
      dataDir: path.dirname(visit.file),
      databaseFile: visit.file,
      mode: 'cli',
    });
    cold.push(time(() => getInspectionDetail(again, inspectionId)));
    closeAppContext(again);
  }
  fs.rmSync(path.dirname(visit.file), { recursive: true, force: true });

  return {
    answers,
    evidence,
    indicators,
    service,
    dispatched,
    cold,
    raw,
    jsonBytes: Buffer.byteLength(json),
    jsonMs,
    bigVisitSaves,
  };
}

// ─── 3. A visit with the 通用帮扶检查表 ─────────────────────────────────────────────────────

export interface GeneralResult {
  answers: number;
  /** getInspectionDetail of the filled visit (warm). */
  open: number[];
  /** Raw SELECTs of the same rows. */
  raw: number[];
  /** Per save: saveAnswer changing a dimension's findings, problems and judged level. */
  saves: number[];
  /** Per save: a raw INSERT of an equivalent row. */
  rawSaves: number[];
}

/**
 * A visit of five processes without rulesets (each pinned to the 通用帮扶检查表): every dimension
 * judged with findings, two problems and, at 排放限值, three readings; 20 photos. Then opening it,
 * and autosaves that rewrite a dimension's findings, problems and level.
 */
export function generalBench(saveCount = SAVES): GeneralResult {
  const dir = tempDir();
  const file = path.join(dir, 'uplift.db');
  const ctx = openAppContext({ dataDir: dir, databaseFile: file, mode: 'cli' });
  const enterpriseId = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({
      name: '宁夏基准测试制药有限公司',
      cityCode: '6401',
      countyCode: '640104',
    }),
  ).id;
  const processIds = INDUSTRIES.map(
    ({ code, branch }) =>
      createProcess(
        ctx,
        ProcessDraftSchema.parse({ enterpriseId, industryCode: code, branch, targetGrade: 'B' }),
      ).id,
  );
  const visit = startInspection(
    ctx,
    InspectionStartSchema.parse({
      enterpriseId,
      date: '2026-06-01',
      type: '帮扶指导',
      members: [{ name: '张伟', role: '专家' }],
      processIds,
    }),
  );
  const inspectionId = visit.inspection.id;
  if (!visit.processes.every((p) => p.ruleset.general)) {
    throw new Error('a process was not pinned to the 通用帮扶检查表');
  }
  const input = (processId: string, indicator: Indicator, round: number): AnswerSave =>
    AnswerSaveSchema.parse({
      inspectionId,
      processId,
      indicatorId: indicator.id,
      fact: GRADES[(round + indicator.id.length) % 3],
      note: `第 ${round + 1} 次记录：${indicator.dimension}现场情况`,
      problems: [
        `${indicator.dimension}问题一（${round}）`,
        `${indicator.dimension}问题二（${round}）`,
      ],
      ...(indicator.dimension === '排放限值'
        ? {
            readings: [1, 2, 3].map((k) => ({
              outlet: `DA00${k}`,
              pollutant: '颗粒物',
              value: 5 + k + round,
              unit: 'mg/m³',
              oxygenRef: null,
              limit: 30,
            })),
          }
        : {}),
    });
  for (const p of visit.processes) {
    for (const indicator of p.ruleset.ruleset!.indicators)
      saveAnswer(ctx, input(p.processId, indicator, 0));
  }
  for (let i = 0; i < 20; i++) {
    const p = visit.processes[i % visit.processes.length]!;
    addEvidence(ctx, {
      inspectionId,
      processId: p.processId,
      indicatorId: p.ruleset.ruleset!.indicators[i % 10]!.id,
      fileName: `现场照片_${i + 1}.png`,
      data: demoPhoto(2000 + i),
      takenAt: Date.UTC(2026, 5, 1, 2, i),
    });
  }
  const answers = getInspectionDetail(ctx, inspectionId).answers.length;
  const readRaw = rawOpen(ctx.db.sqlite, inspectionId, enterpriseId);
  const open: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < OPEN_RUNS; i++) {
    raw.push(time(() => readRaw()));
    open.push(time(() => getInspectionDetail(ctx, inspectionId)));
  }
  const first = visit.processes[0]!;
  const indicators = first.ruleset.ruleset!.indicators;
  const inputs = Array.from({ length: saveCount }, (_, i) =>
    input(
      first.processId,
      indicators[i % indicators.length]!,
      1 + Math.floor(i / indicators.length),
    ),
  );
  const saves = inputs.map((x) =>
    time(() => {
      if (!saveAnswer(ctx, x).changed) throw new Error('an autosave changed nothing');
    }),
  );
  closeAppContext(ctx);
  fs.rmSync(dir, { recursive: true, force: true });
  return { answers, open, raw, saves, rawSaves: rawInserts(inputs) };
}

// ─── Report ─────────────────────────────────────────────────────────────────────────────────

export async function inspectionBenches(): Promise<void> {
  const s = await saveBench();
  const rawMs = median(s.raw);
  const serviceMs = median(s.service);
  console.log(
    `Autosave of one answer, ${s.saves} saves cycling a ${INDICATORS}-indicator process (level, bool, oneOf, max, min; median per save)`,
  );
  console.log(
    `  raw prepared INSERT (autocommit)        ${ms(rawMs)}   p95 ${ms(percentile(s.raw, 95))}`,
  );
  console.log(
    `  saveAnswer (outbox + regrade of visit)  ${ms(serviceMs)}   p95 ${ms(percentile(s.service, 95))}   ratio ${ratio(serviceMs, rawMs)}`,
  );
  console.log(
    `    of which the regrade (gradingOf)      ${ms(median(s.regrade))}   p95 ${ms(percentile(s.regrade, 95))}`,
  );
  console.log(
    `  dispatch('inspection.saveAnswer')       ${ms(median(s.dispatched))}   p95 ${ms(percentile(s.dispatched, 95))}   ratio ${ratio(median(s.dispatched), rawMs)}\n`,
  );

  const o = await openBench();
  const rawOpenMs = median(o.raw);
  const serviceOpenMs = median(o.service);
  console.log(
    `Opening a visit: ${PROCESSES} processes, ${o.indicators} indicators, ${o.answers} answers, ${o.evidence} photos (median of ${OPEN_RUNS} runs)`,
  );
  console.log(`  raw SELECTs of the same rows            ${ms(rawOpenMs)}`);
  console.log(
    `  getInspectionDetail (graded, warm)      ${ms(serviceOpenMs)}   ratio ${ratio(serviceOpenMs, rawOpenMs)}`,
  );
  console.log(
    `  dispatch('inspection.get')              ${ms(median(o.dispatched))}   ratio ${ratio(median(o.dispatched), rawOpenMs)}`,
  );
  console.log(
    `  first open after opening the folder     ${ms(median(o.cold))}   ratio ${ratio(median(o.cold), rawOpenMs)}   (median of ${COLD_RUNS})`,
  );
  console.log(
    `  JSON for browser mode (${(o.jsonBytes / 1024).toFixed(0)} KB)            ${ms(median(o.jsonMs))}`,
  );
  console.log(
    `  autosave in this visit (regrades all ${PROCESSES}) ${ms(median(o.bigVisitSaves))}   p95 ${ms(percentile(o.bigVisitSaves, 95))}   ratio ${ratio(median(o.bigVisitSaves), rawMs)} (vs raw INSERT)`,
  );

  const g = generalBench();
  const rawGeneral = median(g.raw);
  const rawGeneralSave = median(g.rawSaves);
  console.log(
    `\nA visit with the 通用帮扶检查表: ${PROCESSES} processes × 10 dimensions, ${g.answers} answers with findings, problems and readings, 20 photos`,
  );
  console.log(`  raw SELECTs of the same rows            ${ms(rawGeneral)}`);
  console.log(
    `  getInspectionDetail (graded, warm)      ${ms(median(g.open))}   ratio ${ratio(median(g.open), rawGeneral)}`,
  );
  console.log(`  raw prepared INSERT (autocommit)        ${ms(rawGeneralSave)}`);
  console.log(
    `  saveAnswer (level, findings, problems)  ${ms(median(g.saves))}   p95 ${ms(percentile(g.saves, 95))}   ratio ${ratio(median(g.saves), rawGeneralSave)}`,
  );
}
