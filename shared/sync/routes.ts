import type { z } from 'zod';

import {
  HealthResponseSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MissingRequestSchema,
  MissingResponseSchema,
  PullRequestSchema,
  PullResponseSchema,
  PushRequestSchema,
  PushResponseSchema,
  SnapshotRequestSchema,
  UploadResponseSchema,
} from './protocol';

/**
 * The sync protocol's routes, the one list both sides are built from: for each, its method, its
 * path under the server's base URL, what the request carries and what the answer is. The device
 * (electron/services/sync-http.ts) builds its URLs from it and parses every JSON answer with the
 * route's response schema; the central store (server/http/app.ts) registers its handlers from it
 * and parses every JSON request with the route's request schema. A body that is not JSON is
 * `BYTES` (an attachment chunk, a file, a snapshot); a request without a body is `NONE`.
 * What each route checks and answers is described in shared/sync/protocol.ts.
 */

/** A body of raw bytes (application/octet-stream), not JSON. */
export const BYTES = 'bytes';
/** No body (a GET). */
export const NONE = 'none';

export type SyncMethod = 'GET' | 'POST' | 'PUT';

export interface SyncRoute {
  readonly method: SyncMethod;
  /** Under the server's base URL; `:name` is a path parameter. */
  readonly path: `/sync/${string}`;
  readonly request: z.ZodType | typeof BYTES | typeof NONE;
  readonly response: z.ZodType | typeof BYTES;
}

export const SYNC_ROUTES = {
  /** No checks at all (for load balancers and people). */
  health: { method: 'GET', path: '/sync/health', request: NONE, response: HealthResponseSchema },
  /** Protocol and app version checked; no token. */
  login: {
    method: 'POST',
    path: '/sync/login',
    request: LoginRequestSchema,
    response: LoginResponseSchema,
  },
  /** The body's deviceId is the token's device. */
  push: {
    method: 'POST',
    path: '/sync/push',
    request: PushRequestSchema,
    response: PushResponseSchema,
  },
  /** Another device's ops from a USB bundle (same body as push). */
  relay: {
    method: 'POST',
    path: '/sync/relay',
    request: PushRequestSchema,
    response: PushResponseSchema,
  },
  pull: {
    method: 'POST',
    path: '/sync/pull',
    request: PullRequestSchema,
    response: PullResponseSchema,
  },
  /** A new device's database file (gzipped), or 204 when none is ready. */
  snapshot: {
    method: 'POST',
    path: '/sync/snapshot',
    request: SnapshotRequestSchema,
    response: BYTES,
  },
  missing: {
    method: 'POST',
    path: '/sync/attachments/missing',
    request: MissingRequestSchema,
    response: MissingResponseSchema,
  },
  /** `?offset=N&size=TOTAL`, raw bytes ≤ CHUNK_BYTES_MAX. */
  upload: {
    method: 'PUT',
    path: '/sync/attachments/:sha256',
    request: BYTES,
    response: UploadResponseSchema,
  },
  /** The file, if the user may see it. */
  download: { method: 'GET', path: '/sync/attachments/:sha256', request: NONE, response: BYTES },
} as const satisfies Record<string, SyncRoute>;

export type SyncRouteName = keyof typeof SYNC_ROUTES;

/** The names of a path's `:name` parameters. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** What a route's JSON request body may be, as the sender writes it. */
export type RequestOf<R extends SyncRoute> = R['request'] extends z.ZodType
  ? z.input<R['request']>
  : never;

/** A route's JSON answer, as parsed. */
export type ResponseOf<R extends SyncRoute> = R['response'] extends z.ZodType
  ? z.output<R['response']>
  : never;

/**
 * A route's path with its parameters filled in (each URI-encoded) and an optional query, to hang
 * under the server's base URL.
 */
export function routePath<R extends SyncRoute>(
  route: R,
  params: Record<PathParams<R['path']>, string>,
  query: Record<string, string | number> = {},
): string {
  const values: Record<string, string> = params;
  const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`routePath: ${route.path} needs :${name}`);
    return encodeURIComponent(value);
  });
  const search = Object.entries(query)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return search === '' ? path : `${path}?${search}`;
}
