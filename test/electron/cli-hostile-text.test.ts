import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import { runUplift } from '../helpers/cli';
import { closeAppContext, openAppContext } from '../../electron/services/context';
import { canonicalJson } from '../../shared/canonical-json';
import { tempDir } from '../helpers/context';

/**
 * Text and content that no device writes, arriving through the CLI: a USB bundle made by hand,
 * an Excel list or ruleset whose cells hold a lone surrogate or NUL (xlsx can: `_xD800_`), a
 * ruleset file. Each is refused whole, naming where the problem is, and changes nothing.
 */

const run = runUplift;

async function info(dir: string): Promise<{ enterpriseCount: number; pendingOps: number }> {
  return JSON.parse((await run(['--data-dir', dir, '--json', 'info'])).out) as {
    enterpriseCount: number;
    pendingOps: number;
  };
}

/** A data folder whose outbox holds what `write` records, as a hostile or broken app would. */
function deviceWriting(write: Parameters<typeof writeChanges>[2]): string {
  const dir = tempDir();
  const ctx = openAppContext({ dataDir: dir, mode: 'cli' });
  try {
    writeChanges(ctx.db, ctx.device, write);
  } finally {
    closeAppContext(ctx);
  }
  return dir;
}

/** The rows of the importing device's outbox, relay queue and deferred values. */
function syncTables(dir: string) {
  const ctx = openAppContext({ dataDir: dir, mode: 'cli' });
  try {
    const n = (t: string) =>
      (ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      relay: n('sync_relay'),
      deferred: n('sync_deferred'),
      pinned: n('pinned_rulesets'),
      imported: n('sync_bundle_ops'),
    };
  } finally {
    closeAppContext(ctx);
  }
}

async function carry(
  from: string,
): Promise<{ to: string; result: Awaited<ReturnType<typeof run>> }> {
  const file = path.join(tempDir(), 'u.uplift-sync');
  const exported = await run(['--data-dir', from, 'sync', 'export', '--out', file]);
  expect(exported.code).toBe(0);
  const to = tempDir();
  await run(['--data-dir', to, 'info']);
  return { to, result: await run(['--data-dir', to, 'sync', 'import', file]) };
}

const T = Date.UTC(2026, 10, 28, 3, 0, 0);

describe('uplift sync import of a bundle no device would write', () => {
  it('refuses a name holding a lone surrogate, naming the op, its table and field, and imports nothing', async () => {
    const from = deviceWriting((c) =>
      c.insert('enterprises', '0190aaaa-0000-7000-8000-000000000001', {
        name: '宁夏\uD800水泥有限公司',
        cityCode: '6401',
        countyCode: '640104',
        createdAt: T,
      }),
    );
    const { to, result } = await carry(from);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      '同步包“u.uplift-sync”中第 1 条修改记录（企业的“企业名称”含有无效字符：第 3 个字符是不成对的代理项',
    );
    expect(result.err).toContain('未导入任何内容');
    expect(await info(to)).toMatchObject({ enterpriseCount: 0 });
    expect(syncTables(to)).toEqual({ relay: 0, deferred: 0, pinned: 0, imported: 0 });
  });

  it('refuses a pinned ruleset whose content is not what its id names, and imports nothing', async () => {
    const honest = canonicalJson({ id: 'cement-clinker', edition: '2020', indicators: [] });
    const id = crypto.createHash('sha256').update(honest).digest('hex');
    const forged = canonicalJson({ id: 'cement-clinker', edition: '2020', indicators: [1] });
    const from = deviceWriting((c) =>
      c.insert('pinned_rulesets', id, {
        rulesetId: 'cement-clinker',
        edition: '2020',
        json: forged,
        createdAt: T,
      }),
    );
    const { to, result } = await carry(from);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      '中第 1 条修改记录（检查固定的指标：固定的指标内容与其编号（SHA-256 摘要）不符，可能被篡改）',
    );
    expect(syncTables(to)).toEqual({ relay: 0, deferred: 0, pinned: 0, imported: 0 });
  });
});

describe('uplift import of a 附件2 list whose cells are not well-formed text', () => {
  it('names each such cell by row and column, and imports nothing', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.resolve('test', 'fixtures', 'annex2', 'good.xlsx'));
    const ws = wb.worksheets[0]!;
    // exceljs reads _xHHHH_ back as that UTF-16 unit, as Excel's own escape means.
    ws.getCell('D7').value = '宁夏惠农_xD800_焦化有限公司';
    ws.getCell('J5').value = '脱硝_x0000_效率偏低';
    const file = path.join(tempDir(), 'bad.xlsx');
    await wb.xlsx.writeFile(file);
    const dir = tempDir();
    for (const args of [['--dry-run'], []]) {
      const r = await run(['--data-dir', dir, 'import', file, ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('有 2 处问题，未导入任何内容');
      expect(r.err).toContain(
        '第 5 行「存在问题」“脱硝\uFFFD效率偏低”：存在问题含有无效字符：第 3 个字符是空字符（U+0000）',
      );
      expect(r.err).toContain(
        '第 7 行「企业名称」“宁夏惠农\uFFFD焦化有限公司”：企业名称含有无效字符：第 5 个字符是不成对的代理项',
      );
    }
    expect(await info(dir)).toMatchObject({ enterpriseCount: 0, pendingOps: 0 });
  });
});

describe('uplift ruleset import and validate of text that is not well-formed', () => {
  it('names the cell of a ruleset workbook that holds a lone surrogate, and writes no file', async () => {
    const dir = tempDir();
    const json = path.resolve('test', 'fixtures', 'resources', 'rulesets', 'cement-clinker.json');
    const xlsx = path.join(dir, 'r.xlsx');
    expect((await run(['ruleset', 'export', json, '--out', xlsx])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const ws = wb.getWorksheet('指标')!;
    const cell = ws.getCell('C3');
    const before = cell.value;
    if (typeof before !== 'string') throw new Error('C3 should hold an indicator title');
    cell.value = `${before}_xDC00_`;
    await wb.xlsx.writeFile(xlsx);
    const out = path.join(dir, 'r.json');
    const r = await run(['ruleset', 'import', xlsx, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `「指标」第 3 行 C 列：单元格含有无效字符：第 ${before.length + 1} 个字符是不成对的代理项`,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('names the JSON path of a ruleset file holding NUL, and installs nothing', async () => {
    const dir = tempDir();
    const raw = JSON.parse(
      fs.readFileSync(
        path.resolve('test', 'fixtures', 'resources', 'rulesets', 'cement-clinker.json'),
        'utf8',
      ),
    ) as { indicators: { title: string }[] };
    raw.indicators[0]!.title = `窑尾\u0000氮氧化物`;
    const file = path.join(dir, 'r.json');
    fs.writeFileSync(file, JSON.stringify(raw));
    const checked = await run(['ruleset', 'validate', file]);
    expect(checked.code).toBe(2);
    expect(checked.err).toContain('indicators[0].title');
    expect(checked.err).toContain('含有无效字符：第 3 个字符是空字符（U+0000）');
    const data = tempDir();
    expect((await run(['--data-dir', data, 'ruleset', 'install', file])).code).toBe(2);
    const list = JSON.parse((await run(['--data-dir', data, '--json', 'ruleset', 'list'])).out) as {
      origin: string;
    }[];
    expect(list.filter((r) => r.origin === 'imported')).toEqual([]);
  });
});
