import { isIP } from 'node:net';

import type { Handler } from 'hono';

import { SYNC_ROUTES, type ResponseOf } from '../../shared/sync/routes';
import { registerDevice } from '../auth/devices';
import { DUMMY_HASH, verifyPassword } from '../auth/passwords';
import { beginLoginAttempt, endLoginAttempt } from '../auth/throttle';
import { issueToken } from '../auth/tokens';
import { normalizeUsername, passwordHashOf } from '../auth/users';
import type { ServerConfig } from '../config';
import type { ServerDb } from '../db/store';
import { SyncFailure } from '../errors';

import { readRequest, type Env } from './serve';

/**
 * POST /sync/login: a user name and password for a token bound to the device, with the failed
 * attempts counted per account and per address (server/auth/throttle.ts) and logged for the
 * administrator, and the device registered as this account's (server/auth/devices.ts).
 */

/**
 * The client's address. Behind a proxy (trustProxy), the rightmost X-Forwarded-For entry: the one
 * the proxy itself appended, while everything left of it is whatever the client chose to send.
 */
export function clientIp(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const last = (forwardedFor ?? '').split(',').at(-1)?.trim() ?? '';
    if (isIP(last)) return last;
  }
  return socketAddress ?? 'unknown';
}

/** A failed login, and the lockout it caused, for the administrator: never the password. */
function logFailedLogin(
  config: ServerConfig,
  locked: { accountLocked: boolean; addressLocked: boolean },
  username: string,
  ip: string,
  why: string,
): void {
  const user = JSON.stringify(username);
  config.logEvent(`登录失败：用户 ${user}，地址 ${ip}${why}`);
  const minutes = Math.round(config.throttle.windowMs / 60_000);
  if (locked.accountLocked) {
    config.logEvent(
      `登录已锁定：用户 ${user} 失败次数已达上限，${minutes} 分钟内的登录一律拒绝（最后一次来自地址 ${ip}）`,
    );
  }
  if (locked.addressLocked) {
    config.logEvent(
      `登录已锁定：地址 ${ip} 失败次数已达上限，${minutes} 分钟内从它来的登录一律拒绝（最后一次为用户 ${user}）`,
    );
  }
}

function waitText(ms: number): string {
  return ms >= 60_000 ? `${Math.ceil(ms / 60_000)} 分钟` : `${Math.ceil(ms / 1000)} 秒`;
}

/** The login route's handler over the store's database. */
export function login(db: ServerDb, config: ServerConfig): Handler<Env> {
  return async (c) => {
    const input = await readRequest(c, SYNC_ROUTES.login);
    const { password, deviceId, deviceSecret, deviceName } = input;
    const username = normalizeUsername(input.username);
    const ip = clientIp(
      c.req.header('x-forwarded-for'),
      c.env?.incoming?.socket.remoteAddress,
      config.trustProxy,
    );
    // Counted before the password is checked, atomically: parallel guesses each see the others.
    const attempt = await beginLoginAttempt(db, username, ip, config.now, config.throttle);
    if (!attempt.allowed) {
      throw new SyncFailure(
        'too_many_attempts',
        `登录失败次数过多，请 ${waitText(attempt.waitMs)}后再试`,
        { retryAfter: Math.ceil(attempt.waitMs / 1000) },
      );
    }
    const end = (outcome: 'failed' | 'succeeded' | 'abandoned') =>
      endLoginAttempt(db, username, ip, outcome, config.now(), config.throttle);
    // A disabled account answers as a wrong password does, after as long a check: whether an
    // account exists, is disabled, or has this password is nobody's to learn from outside.
    let account: Awaited<ReturnType<typeof passwordHashOf>>;
    let found: typeof account;
    let matches: boolean;
    try {
      account = await passwordHashOf(db, username);
      found = account && !account.user.disabled ? account : null;
      matches = await verifyPassword(password, found?.passwordHash ?? DUMMY_HASH);
    } catch (e) {
      await end('abandoned').catch(() => undefined);
      throw e;
    }
    if (!found || !matches) {
      const why = !account ? '（没有这个账号）' : account.user.disabled ? '（账号已停用）' : '';
      logFailedLogin(config, await end('failed'), username, ip, why);
      throw new SyncFailure('unauthorized', '用户名或密码错误');
    }
    await end('succeeded');
    await registerDevice(db, { deviceId, deviceSecret, deviceName }, found.user, config.now());
    const token = await issueToken(db, found.user.id, deviceId, config.now());
    const { id, displayName, role, scope } = found.user;
    const body: ResponseOf<typeof SYNC_ROUTES.login> = {
      token,
      user: { id, username: found.user.username, displayName, role, scope },
      minAppVersion: config.minAppVersion,
    };
    return c.json(body);
  };
}
