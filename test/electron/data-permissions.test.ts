import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { runUplift } from '../helpers/cli';
import { startHost, type RunningHost } from '../../electron/host/server';
import { closeAppContext, openAppContext, type AppContext } from '../../electron/services/context';
import { createEnterprise } from '../../electron/services/enterprises';
import { exportBundle } from '../../electron/services/sync-bundle';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import { FIXTURE_RESOURCES, tempDir } from '../helpers/context';
import { phonePhoto } from '../helpers/photos';

/**
 * The data folder holds the login token for the central store (plain text in browser mode and
 * the CLI) and every photo: nobody but its owner may read it. Windows has no such modes.
 */

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

const run = runUplift;

let host: RunningHost | null = null;
let ctx: AppContext | null = null;
afterEach(async () => {
  await host?.close();
  if (ctx) closeAppContext(ctx);
  host = null;
  ctx = null;
});

describe.skipIf(process.platform === 'win32')('the data folder’s permissions', () => {
  it('creates a new data folder 0700 and uplift.db 0600 from the command line, and tightens a file an older version left open', async () => {
    const dir = path.join(tempDir(), 'new', 'Uplift');
    expect((await run(['--data-dir', dir, 'info'])).code).toBe(0);
    expect(modeOf(dir)).toBe(0o700);
    const db = path.join(dir, 'uplift.db');
    expect(modeOf(db)).toBe(0o600);

    fs.chmodSync(db, 0o644);
    expect((await run(['--data-dir', dir, 'info'])).code).toBe(0);
    expect(modeOf(db)).toBe(0o600);
  });

  it('keeps the database’s WAL and shared-memory files and the evidence it stores to their owner in browser mode', async () => {
    const dir = path.join(tempDir(), 'Uplift');
    ctx = openAppContext({ dataDir: dir, mode: 'browser', resourcesDir: FIXTURE_RESOURCES });
    const renderer = tempDir('uplift-renderer-');
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Uplift</title>');
    host = await startHost({ ctx, port: 0, rendererDir: renderer, token: 'test-token-123' });
    const call = async <T>(method: string, input: unknown): Promise<T> => {
      const res = await fetch(`${host?.url}api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer test-token-123' },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as { ok: boolean; value: T };
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body.value;
    };
    const site = await call<{ id: string }>('enterprise.create', {
      name: '宁夏瑞泰水泥有限公司',
      cityCode: '6401',
      countyCode: '640104',
    });
    const violation = await call<{ id: string }>('violation.create', {
      enterpriseId: site.id,
      date: '2026-11-28',
      kind: '超标排放',
    });
    const photo = await phonePhoto(1, { width: 64, height: 48 });
    const use = await call<{ sha256: string }>('evidence.add', {
      violationId: violation.id,
      file: { fileName: '现场.jpg', dataBase64: photo.toString('base64') },
    });

    expect(modeOf(dir)).toBe(0o700);
    for (const file of ['uplift.db', 'uplift.db-wal', 'uplift.db-shm']) {
      expect(modeOf(path.join(dir, file)), file).toBe(0o600);
    }
    const sha = use.sha256;
    expect(modeOf(path.join(dir, 'attachments'))).toBe(0o700);
    expect(modeOf(path.join(dir, 'attachments', sha.slice(0, 2)))).toBe(0o700);
    expect(modeOf(path.join(dir, 'attachments', sha.slice(0, 2), sha))).toBe(0o600);
  });
});

describe.skipIf(process.platform === 'win32')(
  'review of #14: files that still open to others',
  () => {
    it('writes a USB bundle (every unsent name, phone and photo) readable by its owner only', () => {
      const dir = path.join(tempDir(), 'Uplift');
      ctx = openAppContext({ dataDir: dir, mode: 'browser', resourcesDir: FIXTURE_RESOURCES });
      createEnterprise(
        ctx,
        EnterpriseDraftSchema.parse({
          name: '宁夏瑞泰水泥有限公司',
          cityCode: '6401',
          countyCode: '640104',
          contactPhone: '13800000000',
        }),
      );
      const out = path.join(tempDir(), 'transfer.uplift-sync');
      expect(exportBundle(ctx, out).ops).toBe(1);
      expect(modeOf(out)).toBe(0o600);
    });

    it('tightens a data folder and its evidence an older version left readable by others', async () => {
      const dir = path.join(tempDir(), 'Uplift');
      const photoDir = path.join(dir, 'attachments', 'ab');
      fs.mkdirSync(photoDir, { recursive: true, mode: 0o755 });
      fs.chmodSync(dir, 0o755);
      fs.chmodSync(path.join(dir, 'attachments'), 0o755);
      expect((await run(['--data-dir', dir, 'info'])).code).toBe(0);
      expect(modeOf(dir)).toBe(0o700);
      expect(modeOf(path.join(dir, 'attachments'))).toBe(0o700);
    });
  },
);
