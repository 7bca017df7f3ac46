import type { IncomingMessage } from 'node:http';

import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { z } from 'zod';

import type { SyncRoute } from '../../shared/sync/routes';
import type { AuthUser } from '../auth/tokens';
import { SyncFailure } from '../errors';

/**
 * How the /sync app serves the routes of shared/sync/routes.ts: each handler is registered from
 * the route map (its method and path), and each JSON request is read and parsed with the route's
 * request schema; a refusal is answered as `{ code, message }` with its status (server/errors.ts).
 */

export type Env = { Variables: { user: AuthUser }; Bindings: { incoming?: IncomingMessage } };

export function fail(c: Context, failure: SyncFailure): Response {
  if (failure.code === 'too_many_attempts' && typeof failure.detail.retryAfter === 'number') {
    c.header('Retry-After', String(failure.detail.retryAfter));
  }
  return c.json(failure.toBody(), failure.status as 400);
}

async function readJson(c: Context): Promise<unknown> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new SyncFailure('invalid_input', '请求内容未能完整接收');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SyncFailure('invalid_input', '请求内容不是有效的 JSON');
  }
}

export function invalid(issues: { message: string }[]): SyncFailure {
  return new SyncFailure(
    'invalid_input',
    issues.map((i) => i.message).join('；') || '输入格式不正确',
  );
}

/** Registers a route of the map with its handlers (middleware first, as hono takes them). */
export function serve(app: Hono<Env>, route: SyncRoute, ...handlers: MiddlewareHandler<Env>[]) {
  app.on(route.method, [route.path], ...handlers);
}

/**
 * A route's JSON request, read and parsed with the route's request schema; a body that does not
 * parse is refused with its issues (`refuse` words the refusal, `invalid` by default).
 */
export async function readRequest<T>(
  c: Context,
  route: { readonly request: z.ZodType<T> },
  refuse: (issues: { message: string }[]) => SyncFailure = invalid,
): Promise<T> {
  const input = route.request.safeParse(await readJson(c));
  if (!input.success) throw refuse(input.error.issues);
  return input.data;
}
