import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import type { Command } from 'commander';

import { AppError } from '../shared/api/errors';
import { ROLES } from '../shared/sync/protocol';
import { listDevices, releaseDevice } from '../server/auth/devices';
import { passwordProblem } from '../server/auth/passwords';
import {
  addUser,
  checkNewUser,
  listUsers,
  resetPassword,
  revokeTokens,
  scopeName,
  setUserDisabled,
  type UserRecord,
} from '../server/auth/users';
import { DEFAULT_MIN_APP_VERSION, parseVersion } from '../server/config';
import { openStore, StoreOpenError, type Store } from '../server/db/store';
import { SyncFailure } from '../server/errors';
import { DEFAULT_SERVER_PORT, isLoopbackHost, startServer } from '../server/start';

import type { CliIo } from './cli';
import { resolveDataDir } from './services/paths';

/**
 * `uplift serve` and `uplift user …`: the central store (server/) from the command line. Both work
 * on the same database: PostgreSQL when DATABASE_URL is set, else PGlite in the server's data
 * folder — `--data-dir DIR` (its database in DIR/pg), else UPLIFT_SERVER_DATA_DIR, else the
 * folder `server` inside the app's data folder. PGlite serves one process at a time: manage users
 * while the server is stopped, or run both on DATABASE_URL.
 */

export function serverDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag && flag.trim() !== '') return path.resolve(flag);
  const fromEnv = env.UPLIFT_SERVER_DATA_DIR;
  if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
  return path.join(resolveDataDir(undefined, env), 'server');
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_SERVER_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('invalid_input', `端口“${value}”不是有效的端口号（0–65535）`);
  }
  return port;
}

async function open(cmd: Command, io: CliIo): Promise<Store> {
  const { dataDir } = cmd.optsWithGlobals<{ dataDir?: string }>();
  try {
    return await openStore({
      databaseUrl: io.env.DATABASE_URL,
      dataDir: serverDataDir(dataDir, io.env),
    });
  } catch (e) {
    if (e instanceof StoreOpenError) throw new AppError('internal', e.message);
    throw e;
  }
}

async function withStore<T>(cmd: Command, io: CliIo, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await open(cmd, io);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * A password typed at the terminal (not echoed, asked twice), or the first line of standard input
 * when it is not a terminal (scripts: `echo … | uplift user add …`).
 */
async function readPassword(io: CliIo): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const rl = readline.createInterface({ input, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new AppError('invalid_input', '请用 --password 指定密码，或从标准输入提供');
  }
  const ask = (label: string) =>
    new Promise<string>((resolve, reject) => {
      io.err(label);
      let value = '';
      const done = (result: () => void) => {
        input.off('data', onData);
        input.setRawMode(false);
        input.pause();
        process.stderr.write('\n');
        result();
      };
      const onData = (chunk: Buffer) => {
        for (const c of chunk.toString('utf8')) {
          if (c === '\r' || c === '\n') return done(() => resolve(value));
          if (c === '\u0003') return done(() => reject(new AppError('cancelled', '已取消')));
          value = c === '\u007f' || c === '\b' ? value.slice(0, -1) : value + c;
        }
        return undefined;
      };
      input.setRawMode(true);
      input.resume();
      input.on('data', onData);
    });
  const first = await ask('请输入密码（不显示）：');
  const second = await ask('请再输入一次：');
  if (first !== second) throw new AppError('invalid_input', '两次输入的密码不一致');
  return first;
}

function describeUser(u: UserRecord): string {
  return `${u.username}\t${u.displayName}\t${u.role}\t${scopeName(u.scope)}${u.disabled ? '\t（已停用）' : ''}`;
}

function lanAddresses(scheme: string, port: number): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${scheme}://${a?.address}:${port}`);
}

/**
 * The certificate and key to serve HTTPS with: `--tls-cert`/`--tls-key`, else UPLIFT_TLS_CERT and
 * UPLIFT_TLS_KEY (paths of PEM files); both or neither.
 */
function readTls(
  opts: { tlsCert?: string; tlsKey?: string },
  env: NodeJS.ProcessEnv,
): { cert: Buffer; key: Buffer } | undefined {
  const certFile = opts.tlsCert ?? (env.UPLIFT_TLS_CERT || undefined);
  const keyFile = opts.tlsKey ?? (env.UPLIFT_TLS_KEY || undefined);
  if (certFile === undefined && keyFile === undefined) return undefined;
  if (certFile === undefined || keyFile === undefined) {
    throw new AppError(
      'invalid_input',
      `启用 HTTPS 需要同时指定证书和私钥：缺少 ${certFile === undefined ? '--tls-cert（证书文件）' : '--tls-key（私钥文件）'}`,
    );
  }
  const read = (file: string, what: string) => {
    try {
      return fs.readFileSync(path.resolve(file));
    } catch (e) {
      throw new AppError('invalid_input', `无法读取${what} ${file}：${(e as Error).message}`);
    }
  };
  return { cert: read(certFile, '证书文件'), key: read(keyFile, '私钥文件') };
}

/** Said whenever passwords would cross a network in clear. */
export function plainHttpWarning(host: string): string {
  return `警告：中心服务器以未加密的 HTTP 监听 ${host}，登录密码、令牌和同步的数据都会以明文经过网络，同一网络中的人可以截获。请用 --tls-cert 和 --tls-key 启用 HTTPS，或只监听 127.0.0.1 并由提供 HTTPS 的反向代理转发。`;
}

export function addServerCommands(
  program: Command,
  io: CliIo,
  json: (cmd: Command) => boolean,
): void {
  program
    .command('serve')
    .description(
      '运行中心服务器（同步接口在 /sync 下）：设置 DATABASE_URL 时使用 PostgreSQL，否则使用数据目录中的内置数据库（PGlite）',
    )
    .option(
      '--port <port>',
      `端口（默认 UPLIFT_SERVER_PORT 或 ${DEFAULT_SERVER_PORT}；0 表示任选空闲端口）`,
    )
    .option('--host <address>', '监听地址（默认 0.0.0.0，即本机所有网络地址）', '0.0.0.0')
    .option(
      '--min-app-version <version>',
      `接受的最低应用版本（默认 UPLIFT_MIN_APP_VERSION 或 ${DEFAULT_MIN_APP_VERSION}）`,
    )
    .option('--trust-proxy', '从 X-Forwarded-For 取客户端地址（仅在自己的反向代理之后使用）')
    .option(
      '--tls-cert <file>',
      '以 HTTPS 提供服务：证书文件（PEM，可含证书链；或 UPLIFT_TLS_CERT）',
    )
    .option('--tls-key <file>', '以 HTTPS 提供服务：私钥文件（PEM；或 UPLIFT_TLS_KEY）')
    .action(
      async (
        opts: {
          port?: string;
          host: string;
          minAppVersion?: string;
          trustProxy?: boolean;
          tlsCert?: string;
          tlsKey?: string;
        },
        cmd: Command,
      ) => {
        const port = parsePort(opts.port ?? io.env.UPLIFT_SERVER_PORT);
        const tls = readTls(opts, io.env);
        const minAppVersion =
          opts.minAppVersion ?? io.env.UPLIFT_MIN_APP_VERSION ?? DEFAULT_MIN_APP_VERSION;
        if (!parseVersion(minAppVersion)) {
          throw new AppError(
            'invalid_input',
            `最低应用版本“${minAppVersion}”不是有效的版本号（如 0.1.0）`,
          );
        }
        const store = await open(cmd, io);
        let server;
        try {
          server = await startServer({
            port,
            host: opts.host,
            ...(tls ? { tls } : {}),
            store,
            config: {
              minAppVersion,
              trustProxy: opts.trustProxy === true || io.env.UPLIFT_TRUST_PROXY === '1',
            },
          });
        } catch (e) {
          await store.close();
          if (e instanceof SyncFailure) {
            throw new AppError(
              e.code === 'invalid_input' ? 'invalid_input' : 'conflict',
              e.message,
            );
          }
          throw e;
        }
        const running = server;
        if (!tls && !isLoopbackHost(opts.host)) io.err(plainHttpWarning(opts.host));
        if (json(cmd)) {
          io.out(
            JSON.stringify({ url: running.url, database: store.kind, location: store.location }),
          );
        } else {
          io.out(
            `Uplift 中心服务器已启动（${store.kind === 'postgres' ? 'PostgreSQL' : '内置数据库 PGlite'}：${store.location}），最低应用版本 ${minAppVersion}`,
          );
          io.out(`服务器地址：${running.url}`);
          if (opts.host === '0.0.0.0') {
            for (const url of lanAddresses(running.scheme, running.port)) {
              io.out(`局域网内的设备可用：${url}`);
            }
          }
          io.out('按 Ctrl+C 停止');
        }
        let stopping = false;
        const stop = () => {
          if (stopping) return;
          stopping = true;
          void running
            .close()
            .then(() => store.close())
            .then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );

  const user = program
    .command('user')
    .description('中心服务器的账号：新增、列出、停用、重置密码、撤销设备令牌');

  user
    .command('add <username>')
    .description('新增账号（密码用 scrypt 加盐保存）')
    .requiredOption('--role <role>', `角色：${ROLES.join('、')}`)
    .requiredOption(
      '--scope <scope>',
      '范围：region（全区）或地级市（名称或代码，如 银川市、6401）',
    )
    .option('--name <name>', '姓名（默认同用户名）')
    .option('--password <password>', '密码（至少 8 位；不指定则提示输入或从标准输入读取）')
    .action(
      async (
        username: string,
        opts: { role: string; scope: string; name?: string; password?: string },
        cmd: Command,
      ) => {
        const fields = { username, role: opts.role, scope: opts.scope, displayName: opts.name };
        checkNewUser({ ...fields, password: opts.password ?? 'checked-after-the-prompt' });
        const password = opts.password ?? (await readPassword(io));
        const added = await withStore(cmd, io, (store) =>
          addUser(
            store.db,
            { ...fields, password },
            { now: () => Date.now(), newId: () => crypto.randomUUID() },
          ),
        );
        io.out(json(cmd) ? JSON.stringify(added) : `已新增账号：${describeUser(added)}`);
      },
    );

  user
    .command('list')
    .description('列出账号')
    .action(async (_opts: unknown, cmd: Command) => {
      const all = await withStore(cmd, io, (store) => listUsers(store.db));
      if (json(cmd)) {
        io.out(JSON.stringify(all, null, 2));
        return;
      }
      for (const u of all) io.out(describeUser(u));
      io.out(`共 ${all.length} 个账号`);
    });

  for (const [name, disabled, verb] of [
    ['disable', true, '停用'],
    ['enable', false, '启用'],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(
        disabled
          ? '停用账号：拒绝它登录，并撤销它的全部设备令牌（记录保留）'
          : '重新启用停用的账号（各设备需重新登录）',
      )
      .action(async (username: string, _opts: unknown, cmd: Command) => {
        const { user: u, revoked } = await withStore(cmd, io, (store) =>
          setUserDisabled(store.db, username, disabled, Date.now()),
        );
        io.out(
          json(cmd)
            ? JSON.stringify({ ...u, revoked })
            : `已${verb}账号 ${u.username}${disabled ? `，撤销了 ${revoked} 个设备令牌` : ''}`,
        );
      });
  }

  user
    .command('reset-password <username>')
    .description('重置密码，并撤销该账号的全部设备令牌（各设备需重新登录）')
    .option('--password <password>', '新密码（不指定则提示输入或从标准输入读取）')
    .action(async (username: string, opts: { password?: string }, cmd: Command) => {
      const password = opts.password ?? (await readPassword(io));
      const problem = passwordProblem(password);
      if (problem) throw new AppError('invalid_input', problem);
      const result = await withStore(cmd, io, (store) =>
        resetPassword(store.db, username, password, Date.now()),
      );
      io.out(
        json(cmd)
          ? JSON.stringify({ username: result.user.username, revoked: result.revoked })
          : `已重置 ${result.user.username} 的密码，撤销了 ${result.revoked} 个设备令牌`,
      );
    });

  user
    .command('revoke-tokens <username>')
    .description('撤销账号的全部设备令牌（例如设备丢失）；各设备需重新登录')
    .action(async (username: string, _opts: unknown, cmd: Command) => {
      const result = await withStore(cmd, io, (store) =>
        revokeTokens(store.db, username, Date.now()),
      );
      io.out(
        json(cmd)
          ? JSON.stringify({ username: result.user.username, revoked: result.revoked })
          : `已撤销 ${result.user.username} 的 ${result.revoked} 个设备令牌`,
      );
    });

  const device = program
    .command('device')
    .description('中心服务器登记的设备：列出、释放（让设备重新认领）');

  device
    .command('list')
    .description('列出设备：编号、名称、所属账号、是否已认领、最近同步时间')
    .action(async (_opts: unknown, cmd: Command) => {
      const all = await withStore(cmd, io, (store) => listDevices(store.db));
      if (json(cmd)) {
        io.out(JSON.stringify(all, null, 2));
        return;
      }
      for (const d of all) {
        const state = !d.claimed ? '未认领' : d.hasSecret ? '已认领' : '已认领（旧版，无设备密钥）';
        const last = [d.lastPushAt, d.lastPullAt]
          .filter((t) => t !== null)
          .sort()
          .at(-1);
        io.out(
          `${d.deviceId}  ${d.name || '（未命名）'}  账号 ${d.username}  ${state}  最近同步 ${last ?? '从未'}`,
        );
      }
      io.out(`共 ${all.length} 台设备`);
    });

  device
    .command('release <deviceId>')
    .description(
      '释放设备：忘记它的设备密钥和所属账号，并撤销它的令牌；之后同一地区（或全区）账号在该设备上的第一次登录认领它',
    )
    .action(async (deviceId: string, _opts: unknown, cmd: Command) => {
      const result = await withStore(cmd, io, (store) =>
        releaseDevice(store.db, deviceId, Date.now()),
      );
      io.out(
        json(cmd)
          ? JSON.stringify(result)
          : `已释放设备 ${result.deviceId}，撤销了 ${result.revoked} 个令牌；它的下一次登录将重新认领它`,
      );
    });
}
