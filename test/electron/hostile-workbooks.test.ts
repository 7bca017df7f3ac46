import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runUplift } from '../helpers/cli';
import { startHost, type RunningHost } from '../../electron/host/server';
import type { ImportPreview } from '../../shared/api/contract';
import type { ApiErrorShape } from '../../shared/api/errors';
import {
  farCellWorkbook,
  manyRowsWorkbook,
  mergedRangeWorkbook,
  zipBombWorkbook,
} from '../fixtures/hostile-workbooks';
import { closeAppContext, createTestContext, tempDir } from '../helpers/context';

/**
 * Hostile workbooks through the real transports: the browser-mode host's HTTP API and the command
 * line. Each is refused at once with the cap it passes, and the process goes on answering. The
 * files are made here, never committed. Before the workbook guard, each of them ran the process out
 * of heap or took a minute and gigabytes.
 */

/** Generous for a loaded machine; measured: 0.1–0.5 s each. */
const AT_ONCE_MS = 3000;

interface Hostile {
  what: string;
  data: () => Buffer;
  /** The refusal of the 附件2 import. */
  annex2: string;
  /** The refusal of the ruleset import. */
  ruleset: string;
}

const HOSTILE: Hostile[] = [
  {
    what: 'a 2 KB list merging A2:XFD1000',
    data: () => mergedRangeWorkbook(),
    annex2:
      '工作表“附件2”的合并单元格区域 A2:XFD1000 过大（超出 10 万行、200 列的上限），已拒绝读取',
    ruleset:
      '工作表“附件2”的合并单元格区域 A2:XFD1000 过大（超出 1 万行、100 列的上限），已拒绝读取',
  },
  {
    what: 'a zip bomb of 4 MB declaring its 3.75 GB',
    data: () => zipBombWorkbook('honest'),
    annex2: '文件解压后超过 100 MB 上限，已拒绝读取',
    ruleset: '文件解压后超过 50 MB 上限，已拒绝读取',
  },
  {
    what: 'a zip bomb of 4 MB declaring 1 KB',
    data: () => zipBombWorkbook('lie'),
    annex2: '文件解压后超过 100 MB 上限，已拒绝读取',
    ruleset: '文件解压后超过 50 MB 上限，已拒绝读取',
  },
  {
    what: 'a single cell at row 1,048,576',
    data: () => farCellWorkbook(),
    annex2: '工作表“附件2”用到第 1,048,576 行，超过 10 万行的上限，已拒绝读取',
    ruleset: '工作表“附件2”用到第 1,048,576 行，超过 1 万行的上限，已拒绝读取',
  },
  {
    what: 'a list of 1,000,000 rows',
    data: () => manyRowsWorkbook(),
    annex2: '工作表“附件2”用到第 100,001 行，超过 10 万行的上限，已拒绝读取',
    // About 45 MB of XML: past the ruleset's 50 MB of parts before any row is counted.
    ruleset: '文件解压后超过 50 MB 上限，已拒绝读取',
  },
];

const files = new Map<string, Buffer>();
const dir = tempDir('uplift-hostile-');

beforeAll(() => {
  for (const h of HOSTILE) files.set(h.what, h.data());
});

function fileOf(h: Hostile): Buffer {
  return files.get(h.what) as Buffer;
}

describe('hostile workbooks through the browser-mode host', () => {
  const ctx = createTestContext();
  let host: RunningHost;

  beforeAll(async () => {
    const renderer = tempDir('uplift-renderer-');
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Uplift</title>');
    host = await startHost({ ctx, port: 0, rendererDir: renderer, token: 'hostile-token' });
  });
  afterAll(async () => {
    await host.close();
    closeAppContext(ctx);
  });

  async function post(method: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const res = await fetch(`${host.url}api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer hostile-token' },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  }

  it.each(HOSTILE)(
    'refuses $what in the import preview at once, naming the cap, and keeps answering',
    async (h) => {
      const started = performance.now();
      const res = await post('registry.importPreview', {
        fileName: 'hostile.xlsx',
        dataBase64: fileOf(h).toString('base64'),
      });
      const took = performance.now() - started;
      expect(res.status).toBe(200);
      const preview = (res.json as { value: ImportPreview }).value;
      expect(preview.problems.map((p) => p.message)).toEqual([h.annex2]);
      expect(preview.rows).toBe(0);
      expect(took).toBeLessThan(AT_ONCE_MS);
      expect((await post('app.info', {})).status).toBe(200);
    },
  );

  it.each(HOSTILE)('refuses $what as a ruleset at once, naming the cap', async (h) => {
    const started = performance.now();
    const res = await post('ruleset.import', {
      fileName: 'hostile.xlsx',
      dataBase64: fileOf(h).toString('base64'),
    });
    const took = performance.now() - started;
    expect(res.status).toBe(400);
    const error = (res.json as { error: ApiErrorShape }).error;
    expect(error.issues?.map((i) => i.message)).toEqual([h.ruleset]);
    expect(took).toBeLessThan(AT_ONCE_MS);
    expect((await post('app.info', {})).status).toBe(200);
  });

  it('refuses a hostile list in the import itself and writes nothing', async () => {
    const res = await post('registry.importApply', {
      fileName: 'hostile.xlsx',
      dataBase64: mergedRangeWorkbook().toString('base64'),
    });
    expect(res.status).toBe(400);
    const error = (res.json as { error: ApiErrorShape }).error;
    expect(error.issues?.map((i) => i.message)).toEqual([HOSTILE[0]?.annex2]);
    const list = await post('enterprise.list', {});
    expect(list.json).toMatchObject({ ok: true, value: { total: 0 } });
  });
});

describe('hostile workbooks through the command line', () => {
  const run = runUplift;

  it.each(HOSTILE)(
    'refuses $what in uplift import and uplift ruleset import, with exit status 2',
    async (h) => {
      const file = path.join(dir, 'hostile.xlsx');
      fs.writeFileSync(file, fileOf(h));
      const data = tempDir();
      const started = performance.now();
      const listed = await run(['--data-dir', data, 'import', file, '--dry-run']);
      expect(performance.now() - started).toBeLessThan(AT_ONCE_MS);
      expect(listed.code).toBe(2);
      expect(listed.err).toContain(h.annex2);

      const out = path.join(dir, 'ruleset.json');
      const ruleset = await run(['ruleset', 'import', file, '--out', out]);
      expect(ruleset.code).toBe(2);
      expect(ruleset.err).toContain(h.ruleset);
      expect(fs.existsSync(out)).toBe(false);
    },
  );

  it('refuses a file past the size cap before reading it', async () => {
    const file = path.join(dir, 'huge.xlsx');
    // Sparse: 21 MB on paper, nothing on disk.
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 21 * 1024 * 1024);
    const listed = await run(['--data-dir', tempDir(), 'import', file]);
    expect(listed.code).toBe(2);
    expect(listed.err).toContain(`${file}: 文件有 21 MB，超过 20 MB 的上限，已拒绝读取`);
    const ruleset = await run(['ruleset', 'import', file, '--out', path.join(dir, 'r.json')]);
    expect(ruleset.code).toBe(2);
    expect(ruleset.err).toContain(`${file}: 文件有 21 MB，超过 10 MB 的上限，已拒绝读取`);
  });
});
