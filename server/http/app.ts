import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';

import {
  APP_VERSION_HEADER,
  CHUNK_BYTES_MAX,
  COMPACT_CLOCKS,
  FEATURES_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  SNAPSHOT_CURSOR_HEADER,
  SNAPSHOT_ROWS_HEADER,
  SNAPSHOT_SHA256_HEADER,
  SNAPSHOT_SIZE_HEADER,
  type HealthResponse,
} from '../../shared/sync/protocol';
import { SYNC_ROUTES, type ResponseOf } from '../../shared/sync/routes';
import { authenticate, type AuthUser } from '../auth/tokens';
import { parseVersion, serverConfig, versionBelow, type ServerConfig } from '../config';
import type { Store } from '../db/store';
import { logSafeError, SyncFailure } from '../errors';
import {
  downloadAttachment,
  missingAttachments,
  SHA256_HEX,
  uploadChunk,
} from '../sync/attachments';
import { pullPageJson } from '../sync/pull';
import { applyPush, envelopeRefusal, parsePush } from '../sync/push';
import { snapshotStream } from '../sync/snapshot';

import { login } from './login';
import { fail, readRequest, serve, type Env } from './serve';

/**
 * The central store's HTTP API, all under /sync (shared/sync/protocol.ts is the contract; every
 * route is registered from its map, shared/sync/routes.ts, and parses its request with the map's
 * schema):
 *   GET  /sync/health                 no checks at all (for load balancers and people)
 *   POST /sync/login                  protocol/app version checked; no token
 *   POST /sync/push, /sync/pull       version + Bearer token; body deviceId = the token's device
 *   POST /sync/snapshot               the same; a new device's database file, or 204 (none ready)
 *   POST /sync/relay                  another device's ops from a USB bundle (same body as push)
 *   POST /sync/attachments/missing    version + token
 *   PUT  /sync/attachments/:sha256    version + token; ?offset=N&size=TOTAL, raw bytes ≤ 1 MB
 *   GET  /sync/attachments/:sha256    version + token; the file, if the user may see it
 * Every failure is `{ code, message }` (SyncError) with the status of server/errors.ts; messages
 * are Chinese. The app keeps no state between requests: any number of processes may serve it.
 */

const gzipAsync = promisify(gzip);
/** Pull pages shorter than this go as they are. */
const GZIP_FROM = 8 * 1024;

/** Whether an Accept-Encoding header allows gzip: named, or `*`, with a weight above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').toLowerCase().split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim());
    const q = params.find((p) => p.startsWith('q='));
    weights.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0);
  }
  return (weights.get('gzip') ?? weights.get('*') ?? 0) > 0;
}

function sameDevice(user: AuthUser, deviceId: string): void {
  if (deviceId !== user.deviceId) {
    throw new SyncFailure('forbidden', '设备编号与登录时的设备不一致；请在这台设备上重新登录');
  }
}

/** Builds the /sync app over an open store. */
export function createSyncApp(store: Store, overrides: Partial<ServerConfig> = {}): Hono<Env> {
  const config = serverConfig(overrides);
  const { db } = store;
  const minVersion = parseVersion(config.minAppVersion);
  if (!minVersion) throw new Error(`minAppVersion “${config.minAppVersion}” is not a version`);
  const app = new Hono<Env>();
  // Pushes wait for the store-wide push lock (server/sync/push/apply-push.ts). Queuing them here
  // first means a process holds at most one pooled connection waiting for it, so pulls and logins
  // never starve for connections behind a crowd of waiting pushes. Correctness does not rest on
  // this queue — the database lock serializes pushes across processes — it only keeps the pool
  // free.
  let pushQueue: Promise<unknown> = Promise.resolve();
  const queuedPush = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = pushQueue.then(fn, fn);
    pushQueue = run.catch(() => undefined);
    return run;
  };

  app.onError((e, c) => {
    if (e instanceof SyncFailure) return fail(c, e);
    config.logError(`sync server: ${c.req.method} ${c.req.routePath}: ${logSafeError(e)}`);
    return fail(c, new SyncFailure('internal', '中心服务器内部错误，请稍后再试或联系管理员'));
  });
  app.notFound((c) => fail(c, new SyncFailure('not_found', '没有这个接口')));

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  serve(app, SYNC_ROUTES.health, async (c) => {
    await db.execute(sql`SELECT 1`);
    const body: HealthResponse = {
      ok: true,
      protocolVersion: PROTOCOL_VERSION,
      minAppVersion: config.minAppVersion,
      database: store.kind,
    };
    return c.json(body);
  });

  // Every other route: the protocol and the app's version first (426 when they cannot talk).
  app.use('/sync/*', async (c, next) => {
    const protocol = c.req.header(PROTOCOL_HEADER);
    if (protocol !== String(PROTOCOL_VERSION)) {
      const n = Number(protocol);
      const message =
        protocol === undefined
          ? '请求缺少同步协议版本；请使用 Uplift 应用同步'
          : Number.isInteger(n) && n > PROTOCOL_VERSION
            ? `应用使用的同步协议（第 ${n} 版）比中心服务器（第 ${PROTOCOL_VERSION} 版）新；请联系管理员升级中心服务器`
            : `应用的同步协议（第 ${protocol} 版）已过时，中心服务器使用第 ${PROTOCOL_VERSION} 版；请升级 Uplift`;
      throw new SyncFailure('upgrade_required', message, { minAppVersion: config.minAppVersion });
    }
    const version = c.req.header(APP_VERSION_HEADER) ?? '';
    const parsed = parseVersion(version);
    if (!parsed || versionBelow(parsed, minVersion)) {
      throw new SyncFailure(
        'upgrade_required',
        parsed
          ? `应用版本 ${version} 过旧，中心服务器要求 ${config.minAppVersion} 或更高版本；请升级 Uplift 后再同步`
          : `请求缺少有效的应用版本；中心服务器要求 Uplift ${config.minAppVersion} 或更高版本`,
        { minAppVersion: config.minAppVersion },
      );
    }
    await next();
  });

  // Then the token, for everything but login.
  app.use('/sync/*', async (c, next) => {
    if (c.req.path === SYNC_ROUTES.login.path) return next();
    const header = c.req.header('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const user = token ? await authenticate(db, token, config.now()) : null;
    if (!user) {
      throw new SyncFailure(
        'unauthorized',
        token ? '登录已失效（令牌被撤销、账号停用或令牌无效）；请重新登录' : '请先登录',
      );
    }
    c.set('user', user);
    return next();
  });

  const jsonLimit = bodyLimit({
    maxSize: config.maxJsonBytes,
    onError: (c) =>
      fail(
        c,
        new SyncFailure(
          'too_large',
          `请求内容超过 ${config.maxJsonBytes / 1024 / 1024} MB；请分批发送`,
        ),
      ),
  });

  serve(app, SYNC_ROUTES.login, jsonLimit, login(db, config));

  serve(app, SYNC_ROUTES.push, jsonLimit, async (c) => {
    const user = c.get('user');
    const input = parsePush(await readRequest(c, SYNC_ROUTES.push, envelopeRefusal));
    sameDevice(user, input.deviceId);
    const result: ResponseOf<typeof SYNC_ROUTES.push> = await queuedPush(() =>
      applyPush(db, input, { user, now: config.now(), newId: config.newId }),
    );
    return c.json(result);
  });

  // Another device's ops, brought on a USB bundle (see PushContext.relay): the same checks as a
  // push, under this user's scope and role, in the source device's own sequence.
  serve(app, SYNC_ROUTES.relay, jsonLimit, async (c) => {
    const user = c.get('user');
    const input = parsePush(await readRequest(c, SYNC_ROUTES.relay, envelopeRefusal));
    if (input.deviceId === user.deviceId) {
      throw new SyncFailure('invalid_input', '本机的修改请直接推送，无需转交');
    }
    const result: ResponseOf<typeof SYNC_ROUTES.relay> = await queuedPush(() =>
      applyPush(db, input, { user, now: config.now(), newId: config.newId, relay: true }),
    );
    return c.json(result);
  });

  serve(app, SYNC_ROUTES.pull, jsonLimit, async (c) => {
    const user = c.get('user');
    const input = await readRequest(c, SYNC_ROUTES.pull);
    sameDevice(user, input.deviceId);
    const features = (c.req.header(FEATURES_HEADER) ?? '').split(',').map((f) => f.trim());
    const body = await pullPageJson(db, user, input, config.now(), {
      compactClocks: features.includes(COMPACT_CLOCKS),
    });
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      vary: `accept-encoding, ${FEATURES_HEADER}`,
    };
    // A page is mostly clocks repeated field after field: gzip makes it a fraction of its size
    // (a first pull over a mobile connection in a car park), at its fastest level, off the
    // event loop. Every fetch sends Accept-Encoding and decodes by itself.
    if (body.length >= GZIP_FROM && acceptsGzip(c.req.header('accept-encoding'))) {
      const packed = await gzipAsync(body, { level: 1 });
      return c.body(new Uint8Array(packed), 200, { ...headers, 'content-encoding': 'gzip' });
    }
    return c.body(body, 200, headers);
  });

  // A new device's first sync: the scope's snapshot file, gzipped, if one of the device's schema
  // is ready (server/sync/snapshot.ts); else 204 and the device pulls page by page.
  serve(app, SYNC_ROUTES.snapshot, jsonLimit, async (c) => {
    const user = c.get('user');
    const input = await readRequest(c, SYNC_ROUTES.snapshot);
    sameDevice(user, input.deviceId);
    const snapshot = await config.snapshots?.offer(user, input.schema);
    const stream = snapshot ? snapshotStream(snapshot) : null;
    if (!snapshot || !stream) return c.body(null, 204);
    // What the device has seen is noted by the pages after it (a snapshot it refuses is not).
    return c.body(stream, 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(snapshot.bytes),
      [SNAPSHOT_CURSOR_HEADER]: snapshot.cursor,
      [SNAPSHOT_SHA256_HEADER]: snapshot.sha256,
      [SNAPSHOT_ROWS_HEADER]: String(snapshot.rows),
      [SNAPSHOT_SIZE_HEADER]: String(snapshot.size),
    });
  });

  serve(app, SYNC_ROUTES.missing, jsonLimit, async (c) => {
    const input = await readRequest(c, SYNC_ROUTES.missing);
    const body: ResponseOf<typeof SYNC_ROUTES.missing> = await missingAttachments(
      db,
      c.get('user'),
      input.hashes,
    );
    return c.json(body);
  });

  const sha256Param = (c: Context<Env>): string => {
    const sha = c.req.param('sha256') ?? '';
    if (!SHA256_HEX.test(sha)) {
      throw new SyncFailure('invalid_input', '文件摘要应为 64 位小写十六进制 SHA-256');
    }
    return sha;
  };
  const byteCount = (value: string | undefined, name: string): number => {
    if (value === undefined || !/^\d{1,15}$/.test(value)) {
      throw new SyncFailure('invalid_input', `参数 ${name} 应为非负整数（字节数）`);
    }
    return Number(value);
  };

  serve(
    app,
    SYNC_ROUTES.upload,
    async (c, next) => {
      sha256Param(c);
      await next();
    },
    bodyLimit({
      maxSize: CHUNK_BYTES_MAX,
      onError: (c) =>
        fail(c, new SyncFailure('too_large', `每块最多 ${CHUNK_BYTES_MAX / 1024 / 1024} MB`)),
    }),
    async (c) => {
      const sha256 = sha256Param(c);
      const offset = byteCount(c.req.query('offset'), 'offset');
      const size = byteCount(c.req.query('size'), 'size');
      let data: Buffer;
      try {
        data = Buffer.from(await c.req.arrayBuffer());
      } catch {
        throw new SyncFailure(
          'invalid_input',
          '上传中断，这一块未保存；请从服务器已收到的位置继续',
        );
      }
      const body: ResponseOf<typeof SYNC_ROUTES.upload> = await uploadChunk(
        db,
        c.get('user'),
        { sha256, offset, size, data },
        config.now(),
      );
      return c.json(body);
    },
  );

  serve(app, SYNC_ROUTES.download, async (c) => {
    const sha256 = sha256Param(c);
    const file = await downloadAttachment(db, c.get('user'), sha256, config.now());
    return c.body(file.stream, 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(file.size),
      ETag: `"${sha256}"`,
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  return app;
}
