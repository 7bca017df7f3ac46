import crypto from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';

import { AppError, type ApiErrorShape, type ErrorCode } from '../../shared/api/errors';
import { dispatch } from '../api';
import type { AppContext } from '../services/context';

/**
 * Browser mode: the renderer and the API contract over loopback HTTP.
 * - binds to 127.0.0.1 only;
 * - every API call carries the per-run token as `Authorization: Bearer <token>`;
 * - the Host header must name the loopback address (no DNS rebinding), and a cross-site Origin
 *   is refused; anything else gets 401/403 and reaches no handler.
 */
export interface HostOptions {
  ctx: AppContext;
  /** 0 picks a free port. */
  port: number;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  token?: string;
}

export interface RunningHost {
  url: string;
  /** The address to open, token included. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 500> = {
  invalid_input: 400,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  cancelled: 409,
  internal: 500,
};

/** The page's security policy: our own scripts only; antd injects styles at run time. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Evidence files reach 20 MB, about 26.7 MB as base64 in JSON. */
const MAX_BODY_BYTES = 30 * 1024 * 1024;

/** Set on the host's refusal of a tab's access token (renderer/src/api.ts reads it). */
export const TOKEN_REFUSED_HEADER = 'X-Uplift-Token';

function fail(code: ErrorCode, message: string): Response {
  const error: ApiErrorShape = { code, message };
  return Response.json({ ok: false, error }, { status: STATUS[code] });
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function createHostApp(options: {
  ctx: AppContext;
  rendererDir: string;
  token: string;
  port: () => number;
}) {
  const { ctx, token } = options;
  const app = new Hono();

  app.use('*', async (c, next) => {
    const host = c.req.header('host') ?? '';
    const port = options.port();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      return fail('forbidden', '只接受本机回环地址的访问');
    }
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    return undefined;
  });

  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('origin');
    const port = options.port();
    if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
      return fail('forbidden', '拒绝来自其他网站的请求');
    }
    const auth = c.req.header('authorization') ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    if (!given || !sameToken(given, token)) {
      // Marked as the host's own refusal: an 'unauthorized' from a method (a wrong password at
      // the central store) reaches the page as an answer, never as a rejected tab.
      const refused = fail('unauthorized', '缺少或错误的访问令牌，请使用启动时打印的地址打开');
      refused.headers.set(TOKEN_REFUSED_HEADER, 'rejected');
      return refused;
    }
    await next();
    return undefined;
  });

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      const unsubscribe = ctx.events.subscribe((event, payload) => {
        void stream.writeSSE({ event, data: JSON.stringify(payload) });
      });
      stream.onAbort(() => unsubscribe());
      await stream.writeSSE({ event: 'ready', data: '{}' });
      while (!stream.aborted && !stream.closed) {
        await stream.sleep(15000);
        await stream.writeSSE({ event: 'ping', data: '{}' });
      }
      unsubscribe();
    }),
  );

  app.post(
    '/api/:method',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => fail('invalid_input', `请求内容超过 ${MAX_BODY_BYTES / 1024 / 1024} MB`),
    }),
    async (c) => {
      let input: unknown;
      try {
        const text = await c.req.text();
        input = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        return fail('invalid_input', '请求内容不是有效的 JSON');
      }
      const result = await dispatch(ctx, c.req.param('method'), input);
      return result.ok ? c.json(result, 200) : c.json(result, STATUS[result.error.code]);
    },
  );

  app.all('/api/*', () => fail('unknown_method', '接口只接受 POST 请求'));

  const root = path.relative(process.cwd(), options.rendererDir) || '.';
  app.use(
    '*',
    async (c, next) => {
      await next();
      if (c.res.headers.get('content-type')?.includes('text/html')) {
        c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        c.header('Cache-Control', 'no-store');
      }
    },
    serveStatic({ root }),
    serveStatic({ root, path: 'index.html' }),
  );
  return app;
}

/** Starts browser mode on 127.0.0.1 and resolves once it listens. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  let port = options.port;
  const app = createHostApp({
    ctx: options.ctx,
    rendererDir: options.rendererDir,
    token,
    port: () => port,
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      reject(
        e.code === 'EADDRINUSE'
          ? new AppError(
              'conflict',
              `端口 ${options.port} 已被占用，请用 UPLIFT_PORT 或 --port 指定其他端口`,
            )
          : new Error(`无法启动本机服务：${e.message}`),
      );
    });
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
