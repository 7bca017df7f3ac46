/**
 * The sync settings of the device: the central store's address, and the account (log in, log
 * out). The transport for the configured server is built here.
 */

import os from 'node:os';

import { ensureDeviceSecret } from '../../../db/repositories/device';
import {
  keepScopeExitsOutside,
  readSyncSettings,
  writeSyncSettings,
  type SyncUser,
} from '../../../db/repositories/sync';
import { AppError } from '../../../shared/api/errors';
import { REGION_SCOPE } from '../../../shared/sync/protocol';
import type { SyncStatus } from '../../../shared/sync/status';
import { shownText, toWellFormed } from '../../../shared/text';
import { APP_VERSION } from '../app-version';
import type { AppContext } from '../context';
import { normalizeServerUrl, SyncTransport } from '../sync-http';

import { toAppError } from './errors';
import type { SyncOptions } from './options';
import { publish } from './status';
import { sealToken } from './token';

/**
 * Sets the central store's address. A different server means a different cursor and account:
 * both are forgotten (the pending ops are not: they go to the new server).
 */
export function configureServer(ctx: AppContext, server: string): SyncStatus {
  const url = normalizeServerUrl(server);
  const settings = readSyncSettings(ctx.db);
  if (settings.server !== url) {
    writeSyncSettings(ctx.db, {
      server: url,
      token: null,
      user: null,
      cursor: null,
      lastError: null,
      state: 'idle',
    });
  }
  return publish(ctx);
}

export function transportFor(
  server: string,
  token: string | null,
  options: Pick<SyncOptions, 'fetch' | 'signal' | 'timeoutMs'>,
): SyncTransport {
  return new SyncTransport({
    baseUrl: server,
    token,
    appVersion: APP_VERSION,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** Logs in to the configured server; the token (sealed) and account are kept in the data folder. */
export async function login(
  ctx: AppContext,
  credentials: { username: string; password: string },
  options: Pick<SyncOptions, 'fetch' | 'signal' | 'timeoutMs' | 'server'> = {},
): Promise<SyncStatus> {
  if (options.server) configureServer(ctx, options.server);
  const server = readSyncSettings(ctx.db).server;
  if (!server) throw new AppError('invalid_input', '请先设置中心服务器地址');
  const transport = transportFor(server, null, options);
  await doLogin(ctx, transport, credentials);
  return publish(ctx);
}

export async function doLogin(
  ctx: AppContext,
  transport: SyncTransport,
  credentials: { username: string; password: string },
  signal?: AbortSignal,
): Promise<void> {
  let answer;
  try {
    answer = await transport.login({
      username: credentials.username,
      password: credentials.password,
      deviceId: ctx.device.deviceId,
      deviceSecret: ensureDeviceSecret(ctx.db),
      // A host name is the OS's text: shown as the store's rule allows.
      deviceName: toWellFormed(shownText(os.hostname()).slice(0, 100)),
    });
  } catch (e) {
    throw toAppError(e);
  }
  // Its run ended meanwhile (another login may have come since): this answer is not used.
  if (signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
  const before = readSyncSettings(ctx.db).user;
  const user: SyncUser = {
    id: answer.user.id,
    username: answer.user.username,
    displayName: answer.user.displayName,
    role: answer.user.role,
    scope: answer.user.scope,
  };
  // Another account may see other rows: pull them all again (applying is idempotent).
  const sameView = before !== null && before.id === user.id && before.scope === user.scope;
  ctx.db.sqlite.transaction(() => {
    writeSyncSettings(ctx.db, {
      token: sealToken(ctx, answer.token),
      user,
      ...(sameView ? {} : { cursor: null }),
      lastError: null,
    });
    // A city account keeps only its city: what an earlier account (the region, another city)
    // pulled here leaves on the next sync run, unless local changes to it still wait.
    if (user.scope !== REGION_SCOPE) keepScopeExitsOutside(ctx.db, user.scope, ctx.device.now());
  })();
  transport.token = answer.token;
}

/** Forgets the token (the account must log in again); pending changes stay and wait. */
export function logout(ctx: AppContext): SyncStatus {
  writeSyncSettings(ctx.db, { token: null, user: null });
  return publish(ctx);
}
