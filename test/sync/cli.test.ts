import crypto from 'node:crypto';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runUplift } from '../helpers/cli';
import { addUser } from '../../server/auth/users';
import { openStore, type Store } from '../../server/db/store';
import { startServer, type RunningServer } from '../../server/start';
import { tempDir } from '../helpers/context';

const run = runUplift;

const PASSWORD = 'correct-horse-1';
let store: Store;
let server: RunningServer;

beforeAll(async () => {
  store = await openStore();
  await addUser(
    store.db,
    { username: 'admin', role: '管理员', scope: 'region', password: PASSWORD },
    { now: () => Date.now(), newId: () => crypto.randomUUID() },
  );
  server = await startServer({ port: 0, host: '127.0.0.1', store });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
});

describe('uplift sync', () => {
  it('logs in, syncs, remembers the server and account, and reports the status', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    expect((await run([...d, 'sync', 'status'])).out).toContain('中心服务器：（未设置）');

    await run([
      ...d,
      'enterprise',
      'add',
      '--name',
      '宁夏瑞泰水泥有限公司',
      '--city',
      '银川市',
      '--county',
      '兴庆区',
    ]);
    const notLoggedIn = await run([...d, 'sync', '--server', server.url]);
    expect(notLoggedIn.code).toBe(2);
    expect(notLoggedIn.err).toContain('尚未登录');

    const wrong = await run([...d, 'sync', '--user', 'admin', '--password', 'not-the-password']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('用户名或密码错误');

    const first = await run([...d, 'sync', '--user', 'admin'], { UPLIFT_SYNC_PASSWORD: PASSWORD });
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('同步完成：推送 1 条修改');
    expect(first.out).toContain('已全部同步');
    expect(first.out).toMatch(/推送：1 条 \/ 1 条/);

    const again = await run([...d, 'sync']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('推送 0 条修改');

    const status = await run([...d, '--json', 'sync', 'status']);
    expect(JSON.parse(status.out)).toMatchObject({
      server: server.url,
      user: { username: 'admin' },
      pendingOps: 0,
      upToDate: true,
    });

    // Another device gets it from the central store.
    const other = tempDir();
    const pulled = await run([
      '--data-dir',
      other,
      'sync',
      '--server',
      server.url,
      '--user',
      'admin',
      '--password',
      PASSWORD,
    ]);
    expect(pulled.code).toBe(0);
    const list = await run(['--data-dir', other, '--json', 'enterprise', 'list']);
    expect((JSON.parse(list.out) as { total: number }).total).toBe(1);
  });

  it('carries unsent changes by file, and a second import changes nothing', async () => {
    const a = tempDir();
    const b = tempDir();
    await run([
      '--data-dir',
      a,
      'enterprise',
      'add',
      '--name',
      '宁夏金鼎建材有限公司',
      '--city',
      '银川市',
      '--county',
      '兴庆区',
    ]);
    const file = path.join(tempDir(), 'a.uplift-sync');
    const exported = await run(['--data-dir', a, 'sync', 'export', '--out', file]);
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('1 条修改');
    const imported = await run(['--data-dir', b, 'sync', 'import', file]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('1 条修改（此前已导入 0 条）');
    const twice = await run(['--data-dir', b, 'sync', 'import', file]);
    expect(twice.out).toContain('0 条修改（此前已导入 1 条）');
    const mine = await run(['--data-dir', a, 'sync', 'import', file]);
    expect(mine.code).toBe(2);
    expect(mine.err).toContain('本机导出');
  });
});
