import crypto from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import zlib from 'node:zlib';

import type { z } from 'zod';

import { AppError } from '../../shared/api/errors';
import {
  APP_VERSION_HEADER,
  COMPACT_CLOCKS,
  ErrorBodySchema,
  FEATURES_HEADER,
  PROTOCOL_HEADER,
  errorDetail,
  PROTOCOL_VERSION,
  SNAPSHOT_CURSOR_HEADER,
  SNAPSHOT_ROWS_HEADER,
  SNAPSHOT_SHA256_HEADER,
  SNAPSHOT_SIZE_HEADER,
  type LoginRequestSchema,
  type LoginResponse,
  type MissingResponse,
  type PullResponse,
  type PushResponse,
  type SyncOp,
  type UploadResponse,
  type SyncErrorDetail,
} from '../../shared/sync/protocol';
import { routePath, SYNC_ROUTES, type RequestOf, type SyncRoute } from '../../shared/sync/routes';

/**
 * The device's HTTP client for the central store (shared/sync/protocol.ts; every URL and answer
 * schema comes from the route map, shared/sync/routes.ts). It only speaks HTTP: which request to
 * send when, retries and state live in sync/ (run.ts, retry.ts). Every answer is validated before it is believed;
 * failures become SyncHttpError with the server's Chinese message, telling a network failure
 * (retry later) from a refusal (do not retry).
 */

/** `fetch`, or anything that answers like it (tests hand in the server's in-process app). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type SyncFailureKind = 'network' | 'http' | 'protocol';

export class SyncHttpError extends Error {
  override name = 'SyncHttpError';
  constructor(
    readonly kind: SyncFailureKind,
    message: string,
    readonly status = 0,
    readonly code: string | null = null,
    readonly detail: SyncErrorDetail = {},
    /** Seconds the server asked us to wait (429 Retry-After). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** Worth trying again shortly: the network, a busy or failing server, a lost answer. */
  get retryable(): boolean {
    return (
      this.kind === 'network' ||
      this.status >= 500 ||
      this.status === 429 ||
      this.status === 408 ||
      (this.kind === 'protocol' && this.status === 200)
    );
  }
}

/**
 * The address as people type it (host:port, with or without http://, with a trailing /sync or
 * slash) as the base URL the routes hang under; refused with a reason when it is not one.
 */
export function normalizeServerUrl(input: string): string {
  let text = input.trim();
  if (text === '') throw new AppError('invalid_input', '请填写中心服务器地址');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError(
      'invalid_input',
      `“${input}”不是有效的服务器地址（例如 http://192.168.1.10:4791）`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('invalid_input', `服务器地址应以 http:// 或 https:// 开头：${input}`);
  }
  if (url.username || url.password) {
    throw new AppError('invalid_input', '服务器地址中不能包含用户名或密码');
  }
  url.search = '';
  url.hash = '';
  let pathname = url.pathname.replace(/\/+$/, '');
  if (pathname.endsWith('/sync')) pathname = pathname.slice(0, -'/sync'.length);
  return `${url.origin}${pathname}`;
}

class TooLarge extends Error {}

/** A snapshot received whole and checked. */
export interface SnapshotDownload {
  cursor: string;
  rows: number;
  /** Bytes received (gzipped). */
  bytes: number;
  /** The database file, unpacked. */
  image: Buffer;
}

/**
 * A database larger than this is refused (a region's 50,000 enterprises make 80 MB; adopting
 * holds it twice in memory for a moment).
 */
const SNAPSHOT_SIZE_MAX = 512 * 1024 * 1024;

export interface TransportOptions {
  baseUrl: string;
  token: string | null;
  appVersion: string;
  fetch?: FetchLike;
  /** Per request; a pull page or a chunk that takes longer is abandoned and retried. */
  timeoutMs?: number;
  /** The caller's cancel: aborts the request in flight. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 60_000;

export class SyncTransport {
  readonly baseUrl: string;
  token: string | null;
  readonly #fetch: FetchLike;
  readonly #appVersion: string;
  readonly #timeoutMs: number;
  readonly #signal: AbortSignal | undefined;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl;
    this.token = options.token;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#appVersion = options.appVersion;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#signal = options.signal;
  }

  /** One request of a route (its path filled in by routePath), checked for a refusal. */
  async #request(
    route: SyncRoute,
    path: string,
    body: unknown,
    auth: boolean,
    /** Aborts this request too (a stalled download). */
    also?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      [APP_VERSION_HEADER]: this.#appVersion,
      [FEATURES_HEADER]: COMPACT_CLOCKS,
    };
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: RequestInit['body'];
    if (body instanceof Uint8Array) {
      headers['content-type'] = 'application/octet-stream';
      payload = new Uint8Array(
        body.buffer,
        body.byteOffset,
        body.byteLength,
      ) as Uint8Array<ArrayBuffer>;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = AbortSignal.any(
      [this.#signal, also ?? timeout].filter((s): s is AbortSignal => s !== undefined),
    );
    let res: Response;
    try {
      res = await this.#fetch(`${this.baseUrl}${path}`, {
        method: route.method,
        headers,
        ...(payload === undefined ? {} : { body: payload }),
        signal,
      });
    } catch (e) {
      throw this.#networkError(e, timeout);
    }
    if (!res.ok) throw await this.#httpError(res);
    return res;
  }

  #networkError(e: unknown, timeout: AbortSignal): Error {
    if (this.#signal?.aborted) return new AppError('cancelled', '已取消同步；已完成的部分已保存');
    if (timeout.aborted) {
      return new SyncHttpError('network', `中心服务器 ${this.baseUrl} 长时间没有响应`);
    }
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    return new SyncHttpError('network', `无法连接中心服务器 ${this.baseUrl}（${cause}）`);
  }

  async #httpError(res: Response): Promise<SyncHttpError> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    const parsed = ErrorBodySchema.safeParse(body);
    const retryAfter = Number(res.headers.get('retry-after'));
    if (parsed.success) {
      const { code, message, ...rest } = parsed.data;
      return new SyncHttpError(
        'http',
        message,
        res.status,
        code,
        errorDetail(rest),
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      );
    }
    return new SyncHttpError(
      'http',
      res.status === 404
        ? `${this.baseUrl} 不是 Uplift 中心服务器（没有同步接口）`
        : `中心服务器返回错误（HTTP ${res.status}）`,
      res.status,
    );
  }

  async #json<T>(res: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new SyncHttpError('protocol', `中心服务器的${what}应答不完整`, res.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new SyncHttpError('protocol', `中心服务器的${what}应答格式不正确`, 0);
    }
    return parsed.data;
  }

  /** A route with a JSON request and a JSON answer, the answer parsed with the route's schema. */
  async #call<I, O>(
    route: SyncRoute & { readonly request: z.ZodType<unknown, I>; readonly response: z.ZodType<O> },
    body: I,
    what: string,
    auth = true,
  ): Promise<O> {
    const res = await this.#request(route, route.path, body, auth);
    return this.#json(res, route.response, what);
  }

  async login(input: z.input<typeof LoginRequestSchema>): Promise<LoginResponse> {
    return this.#call(SYNC_ROUTES.login, input, '登录', false);
  }

  async push(deviceId: string, ops: readonly SyncOp[]): Promise<PushResponse> {
    return this.#call(SYNC_ROUTES.push, { deviceId, ops: [...ops] }, '推送');
  }

  /** Another device's ops, from a USB bundle imported here (POST /sync/relay). */
  async relay(
    deviceId: string,
    ops: readonly SyncOp[],
    deviceSecretHash?: string,
  ): Promise<PushResponse> {
    const body =
      deviceSecretHash === undefined
        ? { deviceId, ops: [...ops] }
        : { deviceId, ops: [...ops], deviceSecretHash };
    return this.#call(SYNC_ROUTES.relay, body, '转交');
  }

  async pull(deviceId: string, cursor: string | null, limit: number): Promise<PullResponse> {
    return this.#call(SYNC_ROUTES.pull, { deviceId, cursor, limit }, '拉取');
  }

  /**
   * A new device's snapshot (POST /sync/snapshot), unpacked in memory as it arrives (no file to
   * write and read again, none left behind by a crash), or null when the store has none ready.
   * The bytes received are checked against the hash the store sent before the caller may use it. A download that stalls for the request timeout is
   * abandoned (a slow one is not: the file may be tens of MB over a weak connection).
   */
  async snapshot(
    deviceId: string,
    schema: string,
    onBytes: (done: number, total: number) => void = () => undefined,
  ): Promise<SnapshotDownload | null> {
    const stall = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), this.#timeoutMs);
    };
    watch();
    try {
      const body: RequestOf<typeof SYNC_ROUTES.snapshot> = { deviceId, schema };
      const res = await this.#request(
        SYNC_ROUTES.snapshot,
        SYNC_ROUTES.snapshot.path,
        body,
        true,
        stall.signal,
      );
      if (res.status === 204) return null;
      const cursor = res.headers.get(SNAPSHOT_CURSOR_HEADER) ?? '';
      const sha256 = res.headers.get(SNAPSHOT_SHA256_HEADER) ?? '';
      const rows = Number(res.headers.get(SNAPSHOT_ROWS_HEADER));
      const size = Number(res.headers.get(SNAPSHOT_SIZE_HEADER));
      const total = Number(res.headers.get('content-length'));
      if (
        !/^\d{1,15}$/.test(cursor) ||
        !/^[0-9a-f]{64}$/.test(sha256) ||
        !Number.isSafeInteger(rows) ||
        !Number.isSafeInteger(size) ||
        !res.body
      ) {
        throw new SyncHttpError('protocol', '中心服务器的快照应答格式不正确', 0);
      }
      if (size < 512 || size > SNAPSHOT_SIZE_MAX) {
        throw new SyncHttpError('protocol', `中心服务器的快照大小不合理（${size} 字节）`, 0);
      }
      const image = Buffer.allocUnsafe(size);
      const hash = crypto.createHash('sha256');
      let done = 0;
      let unpacked = 0;
      try {
        await pipeline(
          Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
          new Transform({
            transform(chunk: Buffer, _encoding, next) {
              watch();
              hash.update(chunk);
              done += chunk.byteLength;
              onBytes(done, total);
              next(null, chunk);
            },
          }),
          // Unpacked in 1 MB pieces: 3× faster than zlib's 16 KB default for a file this size.
          zlib.createGunzip({ chunkSize: 1 << 20 }),
          // Into memory, no more than the store said the file holds (a bomb stops there).
          new Writable({
            write(chunk: Buffer, _encoding, next) {
              if (unpacked + chunk.byteLength > size) return next(new TooLarge());
              chunk.copy(image, unpacked);
              unpacked += chunk.byteLength;
              next();
            },
          }),
          ...(this.#signal ? [{ signal: this.#signal }] : []),
        );
      } catch (e) {
        if (this.#signal?.aborted) {
          throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
        }
        if (e instanceof TooLarge) {
          throw new SyncHttpError('protocol', `中心服务器发来的快照超过其声明的 ${size} 字节`, 0);
        }
        if (stall.signal.aborted || !(e as { code?: string }).code?.startsWith('Z_')) {
          throw new SyncHttpError('network', `快照下载中断（已收到 ${done} 字节）`);
        }
        throw new SyncHttpError('protocol', '中心服务器发来的快照无法解压', 0);
      }
      if (hash.digest('hex') !== sha256) {
        throw new SyncHttpError('protocol', '快照在传输中损坏（SHA-256 不符）', 0);
      }
      if (unpacked !== size) {
        throw new SyncHttpError(
          'protocol',
          `中心服务器发来的快照不完整（${unpacked}/${size} 字节）`,
          0,
        );
      }
      return { cursor, rows, bytes: done, image };
    } finally {
      clearTimeout(timer);
    }
  }

  async missing(hashes: readonly string[]): Promise<MissingResponse> {
    return this.#call(SYNC_ROUTES.missing, { hashes: [...hashes] }, '附件查询');
  }

  async upload(
    sha256: string,
    offset: number,
    size: number,
    chunk: Uint8Array,
  ): Promise<UploadResponse> {
    const route = SYNC_ROUTES.upload;
    const res = await this.#request(
      route,
      routePath(route, { sha256 }, { offset, size }),
      chunk,
      true,
    );
    return this.#json(res, route.response, '附件上传');
  }

  async download(sha256: string): Promise<Buffer> {
    const route = SYNC_ROUTES.download;
    const res = await this.#request(route, routePath(route, { sha256 }), undefined, true);
    try {
      return Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw this.#networkError(e, AbortSignal.timeout(this.#timeoutMs));
    }
  }
}
