import crypto from 'node:crypto';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import { runCli, type CliIo } from '../../electron/cli';
import { closeAppContext, openAppContext } from '../../electron/services/context';
import { canonicalJson } from '../../shared/canonical-json';
import { tempDir } from '../helpers/context';

/**
 * Text and content that no device writes, arriving through the CLI: a USB bundle made by hand,
 * an Excel list or ruleset whose cells hold a lone surrogate or NUL (xlsx can: `_xD800_`), a
 * ruleset file. Each is refused whole, naming where the problem is, and changes nothing.
 */

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env: {} };
  const code = await runCli(args, io);
  return { code, out, err };
}

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
