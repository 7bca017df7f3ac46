import { spawn } from 'node:child_process';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { closeDatabase, openDatabase } from '../../../../db/client';
import { listOutbox } from '../../../../db/repositories/device';
import { closeAppContext, openAppContext } from '../../../../electron/services/context';
import { FIXTURE_RESOURCES, tempDir } from '../../../helpers/context';
import { createSite, startSiteInspection } from '../../../helpers/inspections';

const CHILD = path.join('test', 'electron', 'services', 'inspections', 'crash-child.ts');

interface Round {
  /** The saves the child acknowledged (printed after their commit). */
  acked: number[];
  startMs: number;
  runMs: number;
}

/**
 * Runs the child until it has acknowledged `killAfter` saves, then SIGKILLs it: no exit
 * handlers, no checkpoint, whatever transaction it was in the middle of.
 */
function runAndKill(args: string[], killAfter: number): Promise<Round> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let ready = 0;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = performance.now();
        else acked.push(Number(line));
      }
      if (!killed && acked.length >= killAfter) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended on its own (${code}): ${stderr}`));
        return;
      }
      resolve({ acked, startMs: ready - t0, runMs: performance.now() - ready });
    });
  });
}

describe('a crash while autosaving', () => {
  it('loses no acknowledged save and leaves an intact database, kill after kill', async () => {
    const dir = tempDir('uplift-crash-');
    const file = path.join(dir, 'uplift.db');
    const ctx = openAppContext({
      dataDir: dir,
      databaseFile: file,
      mode: 'cli',
      resourcesDir: FIXTURE_RESOURCES,
    });
    const site = createSite(ctx);
    const visit = startSiteInspection(ctx, site);
    closeAppContext(ctx);

    const timings: string[] = [];
    let next = 1;
    const everAcked: number[] = [];
    for (const killAfter of [150, 237, 311]) {
      const round = await runAndKill(
        [file, visit.inspection.id, site.cementId, String(next)],
        killAfter,
      );
      everAcked.push(...round.acked);
      expect(round.acked.length).toBeGreaterThanOrEqual(killAfter);

      const db = openDatabase(file);
      expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.sqlite.pragma('foreign_key_check')).toEqual([]);
      const saved = new Set(
        listOutbox(db, 0, 1_000_000)
          .filter((op) => op.table === 'inspection_answers')
          .map((op) => op.values.note)
          .filter((note): note is string => typeof note === 'string' && note.startsWith('save '))
          .map((note) => Number(note.slice(5))),
      );
      // Every acknowledged save is there, as its op…
      for (const n of everAcked) expect(saved.has(n)).toBe(true);
      // …and at most the one save after the last acknowledged one, committed unannounced.
      const last = Math.max(...round.acked);
      const newest = Math.max(...saved);
      expect([last, last + 1]).toContain(newest);
      // The answer rows hold the newest saves of their indicators.
      const notes = db.sqlite
        .prepare('SELECT note, fact FROM inspection_answers WHERE inspection_id = ? ORDER BY note')
        .all(visit.inspection.id) as { note: string; fact: string }[];
      expect(notes.map((r) => Number(r.note.slice(5))).sort((a, b) => a - b)).toEqual([
        newest - 1,
        newest,
      ]);
      for (const r of notes) {
        const n = Number(r.note.slice(5));
        // crash-child.ts saves n (NOx) on even saves, n / 1000 (a share in %) on odd ones.
        expect(Number(r.fact)).toBe(n % 2 === 0 ? n : n / 1000);
      }
      closeDatabase(db);

      timings.push(
        `start ${round.startMs.toFixed(0)} ms, ${round.acked.length} saves in ${round.runMs.toFixed(0)} ms ` +
          `(${((round.acked.length / round.runMs) * 1000).toFixed(0)}/s), killed`,
      );
      next = newest + 1;
    }
    console.log(`[crash test] ${timings.join('; ')}`);
  }, 60_000);
});
