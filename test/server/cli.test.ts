import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { runCli, type CliIo } from '../../electron/cli';
import { serverDataDir } from '../../electron/cli-server';
import { tempDir } from '../helpers/context';

import { startServer } from '../../server/start';

import { Device, protocolHeaders } from './helpers';

/** The CLI's env without DATABASE_URL: these tests are about the data folder (PGlite). */
function pgliteEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return env;
}

async function run(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    env: pgliteEnv(),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

const BIN = path.resolve('bin', 'uplift.js');

function uplift(args: string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: pgliteEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Waits for `serve` to print its address; what it wrote to standard error so far comes along. */
function addressOf(serve: ChildProcess): Promise<{ url: string; err: () => string }> {
  let err = '';
  serve.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    serve.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /服务器地址：(https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ url: m[1] as string, err: () => err });
    });
    serve.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
}

/** A self-signed certificate for 127.0.0.1 and its key, made for one test (never committed). */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** GET over HTTPS trusting only this certificate. */
function httpsJson(url: string, ca: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(body) as unknown));
      })
      .on('error', reject);
  });
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  }
});

describe('uplift user and uplift serve', () => {
  it('keeps the server data folder apart from the app data folder unless told where', () => {
    expect(serverDataDir(undefined, { UPLIFT_DATA_DIR: '/data/app' })).toBe(
      path.resolve('/data/app/server'),
    );
    expect(serverDataDir(undefined, { UPLIFT_SERVER_DATA_DIR: '/srv/uplift' })).toBe('/srv/uplift');
    expect(serverDataDir('/elsewhere', { UPLIFT_SERVER_DATA_DIR: '/srv/uplift' })).toBe(
      '/elsewhere',
    );
  });

  it('adds, lists, disables, resets and revokes accounts, refusing bad input with exit 2', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    const added = await run([
      ...d,
      'user',
      'add',
      'Zhang.San',
      '--role',
      '帮扶队员',
      '--scope',
      '银川市',
      '--name',
      '张三',
      '--password',
      'long-enough-1',
    ]);
    expect(added).toMatchObject({ code: 0, err: '' });
    expect(added.out).toContain('已新增账号：zhang.san\t张三\t帮扶队员\t银川市');
    expect(fs.existsSync(path.join(dir, 'pg'))).toBe(true);

    const twice = await run([
      ...d,
      'user',
      'add',
      'zhang.san',
      '--role',
      '专家',
      '--scope',
      'region',
      '--password',
      'long-enough-1',
    ]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('用户名“zhang.san”已存在');
    const badRole = await run([
      ...d,
      'user',
      'add',
      'li',
      '--role',
      '局长',
      '--scope',
      '6401',
      '--password',
      'long-enough-1',
    ]);
    expect(badRole.code).toBe(2);
    expect(badRole.err).toContain('未知的角色“局长”');
    const badScope = await run([
      ...d,
      'user',
      'add',
      'li',
      '--role',
      '专家',
      '--scope',
      '北京市',
      '--password',
      'long-enough-1',
    ]);
    expect(badScope.code).toBe(2);
    expect(badScope.err).toContain('未知的范围“北京市”');
    const short = await run([
      ...d,
      'user',
      'add',
      'li',
      '--role',
      '专家',
      '--scope',
      '全区',
      '--password',
      'short',
    ]);
    expect(short).toMatchObject({ code: 2, err: '错误：密码至少 8 位\n' });

    expect((await run([...d, 'user', 'disable', 'zhang.san'])).out).toContain(
      '已停用账号 zhang.san',
    );
    const listed = await run([...d, '--json', 'user', 'list']);
    expect(JSON.parse(listed.out)).toEqual([
      expect.objectContaining({ username: 'zhang.san', scope: '6401', disabled: true }),
    ]);
    expect(
      (await run([...d, 'user', 'reset-password', 'zhang.san', '--password', 'another-one-2'])).out,
    ).toContain('撤销了 0 个设备令牌');
    const unknown = await run([...d, 'user', 'revoke-tokens', 'nobody']);
    expect(unknown).toMatchObject({ code: 2, err: '错误：没有用户“nobody”\n' });
  });

  it('revokes an account’s device tokens when it is disabled, so enabling it again opens no old session', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    const password = 'long-enough-1';
    await run([
      ...d,
      'user',
      'add',
      'zhao',
      '--role',
      '帮扶队员',
      '--scope',
      '银川市',
      '--password',
      password,
    ]);
    let server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
    const device = new Device((p, init) => fetch(`${server.url}${p}`, init), { now: Date.now });
    expect((await device.login('zhao', password)).status).toBe(200);
    await server.close();

    const disabled = await run([...d, 'user', 'disable', 'zhao']);
    expect(disabled).toMatchObject({ code: 0, err: '' });
    expect((await run([...d, 'user', 'enable', 'zhao'])).out).toContain('已启用账号 zhao');

    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
    try {
      const pulled = await device.pull(null);
      expect(pulled.status).toBe(401);
      expect((await device.login('zhao', password)).status).toBe(200);
      expect((await device.pull(null)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(disabled.out).toContain('已停用账号 zhao，撤销了 1 个设备令牌');
  });

  it('lists devices and releases one, so a laptop whose data folder moved to a new computer logs in again', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    const password = 'long-enough-1';
    await run([
      ...d,
      'user',
      'add',
      'qian',
      '--role',
      '帮扶队员',
      '--scope',
      '银川市',
      '--password',
      password,
    ]);
    let server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
    const fetcher = (p: string, init?: RequestInit) => fetch(`${server.url}${p}`, init);
    const laptop = new Device(fetcher, { now: Date.now });
    expect((await laptop.login('qian', password)).status).toBe(200);
    // The same id with another secret: the store takes it for a copied folder and refuses it.
    const moved = new Device(fetcher, { now: Date.now }, laptop.deviceId);
    expect((await moved.login('qian', password)).status).toBe(403);
    await server.close();

    const listed = await run([...d, 'device', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(laptop.deviceId);
    expect(listed.out).toContain('账号 qian  已认领');
    expect(listed.out).toContain('共 1 台设备');
    const released = await run([...d, 'device', 'release', laptop.deviceId]);
    expect(released).toMatchObject({ code: 0, err: '' });
    expect(released.out).toContain('撤销了 1 个令牌');
    const unknown = await run([...d, 'device', 'release', 'no-such-device']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('没有设备编号为“no-such-device”的设备');

    server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir });
    try {
      expect((await laptop.pull(null)).status).toBe(401);
      expect((await moved.login('qian', password)).status).toBe(200);
      expect((await moved.pull(null)).status).toBe(200);
      // The old secret is the stranger now.
      expect((await laptop.login('qian', password)).status).toBe(403);
    } finally {
      await server.close();
    }
  });

  it('keeps the store to its owner: folders 0700, and none of PGlite’s files open to others', async () => {
    const dir = path.join(tempDir(), 'store');
    const added = await run([
      ...['--data-dir', dir, 'user', 'add', 'qian', '--role', '专家', '--scope', 'region'],
      ...['--password', 'long-enough-1'],
    ]);
    expect(added.code).toBe(0);
    const open: string[] = [];
    const walk = (at: string) => {
      const stat = fs.statSync(at);
      if (stat.isDirectory() && (stat.mode & 0o777) !== 0o700)
        open.push(`${at} ${stat.mode & 0o777}`);
      if (!stat.isDirectory() && (stat.mode & 0o077) !== 0) open.push(`${at} ${stat.mode & 0o777}`);
      if (stat.isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name));
    };
    walk(dir);
    expect(open).toEqual([]);
  });

  it('serves the sync API on the data folder, with a password read from standard input', async () => {
    const dir = tempDir();
    const add = uplift([
      '--data-dir',
      dir,
      'user',
      'add',
      'wang',
      '--role',
      '管理员',
      '--scope',
      'region',
    ]);
    children.push(add);
    add.stdin?.end('piped-password-1\n');
    expect(await exitOf(add)).toBe(0);

    const serve = uplift(['--data-dir', dir, 'serve', '--port', '0', '--host', '127.0.0.1']);
    children.push(serve);
    const { url, err } = await addressOf(serve);
    expect(url).toMatch(/^http:\/\//);
    // Only this machine can reach it: no warning.
    expect(err()).toBe('');
    const health = await fetch(`${url}/sync/health`);
    expect(await health.json()).toMatchObject({ ok: true, database: 'pglite' });
    const login = await fetch(`${url}/sync/login`, {
      method: 'POST',
      headers: { ...protocolHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'wang',
        password: 'piped-password-1',
        deviceId: crypto.randomUUID(),
      }),
    });
    expect(login.status).toBe(200);

    // PGlite is one process's: while the server runs, the folder is refused to others.
    const busy = await run(['--data-dir', dir, 'user', 'list']);
    expect(busy.code).toBe(1);
    expect(busy.err).toContain('正被另一个进程');

    process.kill(serve.pid as number, 'SIGTERM');
    expect(await exitOf(serve)).toBe(0);
    const after = await run(['--data-dir', dir, 'user', 'list']);
    expect(after.out).toContain('wang\twang\t管理员\t全区');
  });
  it('serves HTTPS with --tls-cert and --tls-key on every interface, prints an https address and warns of nothing', async () => {
    const dir = tempDir();
    const tls = selfSigned(tempDir('uplift-tls-'));
    try {
      const serve = uplift([
        '--data-dir',
        dir,
        'serve',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--tls-cert',
        tls.cert,
        '--tls-key',
        tls.key,
      ]);
      children.push(serve);
      const { url, err } = await addressOf(serve);
      expect(url).toMatch(/^https:\/\//);
      const health = await httpsJson(`${url}/sync/health`, fs.readFileSync(tls.cert));
      expect(health).toMatchObject({ ok: true, database: 'pglite' });
      expect(err()).toBe('');
    } finally {
      fs.rmSync(path.dirname(tls.key), { recursive: true, force: true });
    }
  });

  it('warns in Chinese that passwords cross the network in clear when it serves plain HTTP beyond this machine', async () => {
    const serve = uplift(['--data-dir', tempDir(), 'serve', '--port', '0', '--host', '0.0.0.0']);
    children.push(serve);
    const { url, err } = await addressOf(serve);
    expect(url).toMatch(/^http:\/\//);
    expect(err()).toContain('警告：中心服务器以未加密的 HTTP 监听 0.0.0.0');
    expect(err()).toContain('登录密码');
    expect(err()).toContain('--tls-cert');
  });

  it('refuses half a TLS setup, an unreadable file and a key that is not one, with exit 2', async () => {
    const dir = tempDir();
    const tls = selfSigned(tempDir('uplift-tls-'));
    try {
      const serve = ['--data-dir', dir, 'serve', '--port', '0', '--host', '127.0.0.1'];
      const half = await run([...serve, '--tls-cert', tls.cert]);
      expect(half).toMatchObject({ code: 2 });
      expect(half.err).toContain('缺少 --tls-key');
      const missing = await run([...serve, '--tls-cert', tls.cert, '--tls-key', `${tls.key}.nope`]);
      expect(missing).toMatchObject({ code: 2 });
      expect(missing.err).toContain('无法读取私钥文件');
      const swapped = await run([...serve, '--tls-cert', tls.cert, '--tls-key', tls.cert]);
      expect(swapped).toMatchObject({ code: 2 });
      expect(swapped.err).toContain('证书或私钥无法使用');
    } finally {
      fs.rmSync(path.dirname(tls.key), { recursive: true, force: true });
    }
  });
});
