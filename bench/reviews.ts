/**
 * 审核评定 (issue #18): the review queue and an enterprise's grade history at 50,000 enterprises,
 * each against a raw SQLite baseline measured in the same run. Target: each opens in ≤ 50 ms.
 *
 * The registry holds BENCH_ENTERPRISES enterprises (50,000); BENCH_APPLICATIONS of them (50,000:
 * every one, the worst case) have an application, spread over every step of both routes. The
 * queue is measured cold (the first open after a change of the database, as after a sync or an
 * edit) and warm (opened again, paged, another tab), as a 市级审核 account of 银川市 sees it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { writeChanges } from '../db/changes';
import { insertEnterprise } from '../db/repositories/enterprises';
import { insertGradeEvent } from '../db/repositories/reviews/grade-events';
import { writeSyncSettings } from '../db/repositories/sync';
import { dispatch } from '../electron/api';
import { closeAppContext, openAppContext, type AppContext } from '../electron/services/context';
import { demoEnterprises } from '../electron/services/demo';
import { gradeChange, routeFor, type ReviewStep } from '../shared/domain/review';

const N = Number(process.env.BENCH_ENTERPRISES ?? 50_000);
const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? N);
const RUNS = Number(process.env.BENCH_REVIEW_RUNS ?? 7);
const HISTORY = 24;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const TARGETS = ['A', 'B', 'B-', 'C', 'D', '引领性'] as const;

/** The steps an application has taken, by its index: every status of both routes. */
function stepsFor(i: number, route: 'region' | 'city'): [number, ReviewStep, string][] {
  const first: [number, ReviewStep, string] = [1, '提交', '提交'];
  if (route === 'city') {
    return [
      [first],
      [first, [1, '市级评定', '通过']],
      [first, [1, '市级评定', '退回补充']],
      [first, [1, '市级评定', '不予通过']],
    ][i % 4] as [number, ReviewStep, string][];
  }
  return [
    [first],
    [first, [1, '市级初审', '通过']],
    [first, [1, '市级初审', '通过'], [1, '自治区复审', '通过']],
    [first, [1, '市级初审', '退回补充'], [2, '提交', '提交']],
    [first, [1, '市级初审', '通过'], [1, '自治区复审', '不予通过']],
  ][i % 5] as [number, ReviewStep, string][];
}

function fill(ctx: AppContext): { historyOf: string } {
  const drafts = demoEnterprises(N, 11);
  const ids: string[] = [];
  writeChanges(ctx.db, ctx.device, (changes) => {
    for (const d of drafts) {
      const id = ctx.device.newId();
      ids.push(id);
      insertEnterprise(changes, id, d, ctx.device.now());
    }
  });
  const now = Date.now();
  for (let start = 0; start < APPLICATIONS; start += 5000) {
    writeChanges(ctx.db, ctx.device, (changes) => {
      for (let i = start; i < Math.min(APPLICATIONS, start + 5000); i++) {
        const enterpriseId = ids[i % ids.length] as string;
        const targetGrade = TARGETS[i % TARGETS.length] as string;
        const route = routeFor('等级', targetGrade);
        const id = ctx.device.newId();
        changes.insert('grade_applications', id, {
          enterpriseId,
          processId: null,
          kind: '等级',
          targetGrade,
          route,
          inspectionIds: '[]',
          applicant: '张伟',
          createdAt: now - i * 1000,
        });
        stepsFor(i, route).forEach(([round, step, decision], k) => {
          changes.insert('review_steps', ctx.device.newId(), {
            applicationId: id,
            round,
            step,
            decision,
            opinion: decision === '提交' ? null : '材料齐全，同意',
            decidedBy: '李静',
            role: decision === '提交' ? '帮扶队员' : '市级审核',
            decidedAt: now - i * 1000 + (k + 1) * 60_000,
          });
        });
      }
    });
  }
  // One enterprise with a long history: its own grade and two processes' changes over the years.
  const historyOf = ids[0] as string;
  writeChanges(ctx.db, ctx.device, (changes) => {
    let previous: string | null = null;
    for (let k = 0; k < HISTORY; k++) {
      const grade = (['C', 'B', 'B-', 'A', 'D', 'B'] as const)[k % 6] ?? 'B';
      insertGradeEvent(
        changes,
        ctx.device.newId(),
        {
          enterpriseId: historyOf,
          processId: null,
          grade,
          previousGrade: previous,
          change: gradeChange(previous, grade),
          cause: '审核通过',
          reason: '复审通过',
          documentNo: `宁环函〔2026〕${k + 1}号`,
          effectiveDate: `20${10 + k}-06-01`,
          applicationId: null,
          violationId: null,
          inspectionId: null,
          decidedBy: '赵敏',
          account: null,
          role: '自治区复审',
        },
        now + k,
      );
      previous = grade;
    }
  });
  return { historyOf };
}

/** A change of the database that is not a review: what a sync or an edit does before the open. */
function touch(ctx: AppContext, id: string): void {
  writeChanges(ctx.db, ctx.device, (changes) =>
    changes.update('enterprises', id, { contactPhone: `0951-${Date.now() % 10_000_000}` }),
  );
}

async function call(ctx: AppContext, method: string, input: unknown): Promise<unknown> {
  const result = await dispatch(ctx, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

export async function reviewBenches(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-reviews-'));
  const ctx = openAppContext({
    dataDir: dir,
    databaseFile: path.join(dir, 'uplift.db'),
    mode: 'cli',
  });
  try {
    let historyOf = '';
    const built = await timed(() => {
      historyOf = fill(ctx).historyOf;
    });
    writeSyncSettings(ctx.db, {
      server: 'http://127.0.0.1:4791',
      token: 'bench',
      user: {
        id: 'u-li',
        username: 'li.jing',
        displayName: '李静',
        role: '市级审核',
        scope: '6401',
      },
    });
    const raw = ctx.db.sqlite.prepare(
      `SELECT a.*, e.name FROM grade_applications a JOIN enterprises e ON e.id = a.enterprise_id
       WHERE a.deleted = 0 ORDER BY a.created_at DESC LIMIT 20`,
    );
    const rawHistory = ctx.db.sqlite.prepare(
      'SELECT * FROM grade_events WHERE enterprise_id = ? ORDER BY effective_date DESC',
    );
    const baseline: number[] = [];
    const cold: number[] = [];
    const coldMine: number[] = [];
    const warm: number[] = [];
    const historyBase: number[] = [];
    const history: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      baseline.push(await timed(() => raw.all()));
      touch(ctx, historyOf);
      cold.push(await timed(() => call(ctx, 'review.list', { limit: 20 })));
      touch(ctx, historyOf);
      coldMine.push(await timed(() => call(ctx, 'review.list', { mine: true, limit: 20 })));
      warm.push(
        await timed(() => call(ctx, 'review.list', { status: '待复审', offset: 20, limit: 20 })),
      );
      historyBase.push(await timed(() => rawHistory.all(historyOf)));
      history.push(await timed(() => call(ctx, 'grade.history', { enterpriseId: historyOf })));
    }
    const base = median(baseline);
    const line = (label: string, v: number, b: number) =>
      console.log(
        `  ${label.padEnd(38)}${ms(v)}   (${(v / b).toFixed(1).padStart(6)} × baseline; target ≤ 50 ms${v <= 50 ? '' : ' — MISSED'})`,
      );
    console.log(
      `Review queue and grade history: ${N} enterprises, ${APPLICATIONS} applications (built in ${(built / 1000).toFixed(1)} s), median of ${RUNS}`,
    );
    console.log(`  baseline: first 20 applications, raw  ${ms(base)}`);
    line('queue, first open after a change', median(cold), base);
    line('queue 待我审核, first open after a change', median(coldMine), base);
    line('queue, another tab and page', median(warm), base);
    console.log(`  baseline: ${HISTORY} grade events, raw       ${ms(median(historyBase))}`);
    line('grade history of one enterprise', median(history), median(historyBase));
    console.log('');
  } finally {
    closeAppContext(ctx);
  }
}
