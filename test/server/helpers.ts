import crypto from 'node:crypto';

import { sql } from 'drizzle-orm';
import pg from 'pg';

import { formatHlc } from '../../shared/sync/hlc';
import {
  APP_VERSION_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  type LoginResponse,
  type MissingResponse,
  type PullResponse,
  type PushResponse,
  type SyncChange,
  type SyncOp,
} from '../../shared/sync/protocol';
import { addUser, type UserRecord } from '../../server/auth/users';
import { openStore, type ServerDb, type Store } from '../../server/db/store';

/** The server's tests: one store per backend, emptied before each test. */

export type Backend = 'pglite' | 'postgres';

export const T0 = Date.UTC(2026, 10, 28, 3, 0, 0);

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = T0) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * PGlite in memory, or — for the PostgreSQL variant — a new database created on the server of
 * DATABASE_URL for this run and dropped afterwards (the URL's own database is never touched).
 */
export async function openTestStore(backend: Backend): Promise<Store> {
  if (backend === 'pglite') return openStore();
  const url = process.env.DATABASE_URL as string;
  const name = `uplift_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const testUrl = new URL(url);
  testUrl.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: testUrl.toString() });
  return {
    ...store,
    close: async () => {
      await store.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name}`);
      await dropper.end();
    },
  };
}

export async function emptyStore(db: ServerDb): Promise<void> {
  await db.execute(
    sql`TRUNCATE users, tokens, login_throttle, devices, rows, conflicts, parked_ops, pushed_ops, attachments, attachment_chunks, attachment_holders, attachment_uploads, attachment_upload_chunks, scope_exits, relayed_ops, store_info`,
  );
  await db.execute(sql`ALTER SEQUENCE server_seq RESTART`);
}

export async function makeUser(
  db: ServerDb,
  username: string,
  role: string,
  scope: string,
  password = 'correct-horse-1',
): Promise<UserRecord> {
  return addUser(
    db,
    { username, role, scope, password, displayName: username },
    { now: () => T0, newId: () => crypto.randomUUID() },
  );
}

export type Fetcher = (path: string, init: RequestInit) => Promise<Response> | Response;

export interface Reply<T> {
  status: number;
  body: T;
}

/** The headers every request but health carries. */
export function protocolHeaders(appVersion = '0.1.0'): Record<string, string> {
  return { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION), [APP_VERSION_HEADER]: appVersion };
}

/**
 * One device talking to the server as the app would: its own id, sequence and hybrid clock.
 * `op()` makes the next op (it is not sent until `push()`).
 */
export class Device {
  readonly deviceId: string;
  token = '';
  /** The device's secret, sent at login as the app does (undefined: an older app's login). */
  secret: string | undefined = crypto.randomBytes(32).toString('hex');
  #seq = 0;
  #counter = 0;
  #lastMs = 0;

  constructor(
    readonly fetcher: Fetcher,
    readonly clock: { now(): number },
    deviceId: string = crypto.randomUUID(),
  ) {
    this.deviceId = deviceId;
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const init: RequestInit = {
      method,
      headers: {
        ...protocolHeaders(),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined && !(body instanceof Uint8Array)
          ? { 'content-type': 'application/json' }
          : {}),
        ...headers,
      },
    };
    if (body instanceof Uint8Array) init.body = body as Uint8Array<ArrayBuffer>;
    else if (typeof body === 'string') init.body = body;
    else if (body !== undefined) init.body = JSON.stringify(body);
    const res = await this.fetcher(path, init);
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('json')
      ? ((await res.json()) as T)
      : (new Uint8Array(await res.arrayBuffer()) as unknown as T);
    return { status: res.status, body: parsed };
  }

  async login(username: string, password = 'correct-horse-1'): Promise<Reply<LoginResponse>> {
    const reply = await this.request<LoginResponse>('POST', '/sync/login', {
      username,
      password,
      deviceId: this.deviceId,
      ...(this.secret === undefined ? {} : { deviceSecret: this.secret }),
      deviceName: '测试设备',
    });
    if (reply.status === 200) this.token = reply.body.token;
    return reply;
  }

  /** The next op of this device, stamped now. */
  op(table: string, rowId: string, values: Record<string, unknown>, wallMs?: number): SyncOp {
    const ms = wallMs ?? this.clock.now();
    if (wallMs === undefined && ms === this.#lastMs) this.#counter++;
    else this.#counter = 0;
    this.#lastMs = ms;
    this.#seq++;
    return {
      opId: crypto.randomUUID(),
      deviceId: this.deviceId,
      seq: this.#seq,
      table,
      rowId,
      values,
      hlc: formatHlc({ wallMs: ms, counter: this.#counter, node: this.deviceId }),
    };
  }

  /** Uses up a sequence number (for an op the test writes by hand). */
  skip(): number {
    return ++this.#seq;
  }

  push(ops: readonly unknown[]): Promise<Reply<PushResponse>> {
    return this.request<PushResponse>('POST', '/sync/push', { deviceId: this.deviceId, ops });
  }

  pull(cursor: string | null, limit?: number): Promise<Reply<PullResponse>> {
    return this.request<PullResponse>('POST', '/sync/pull', {
      deviceId: this.deviceId,
      cursor,
      ...(limit ? { limit } : {}),
    });
  }

  /** Every page from the cursor on: all changes and the final cursor. */
  async pullAll(cursor: string | null = null, limit?: number) {
    const changes: SyncChange[] = [];
    const leftScope: string[] = [];
    let at = cursor;
    for (;;) {
      const page = await this.pull(at, limit);
      if (page.status !== 200) throw new Error(`pull failed: ${JSON.stringify(page.body)}`);
      changes.push(...page.body.changes);
      leftScope.push(...(page.body.leftScope ?? []));
      at = page.body.cursor;
      if (!page.body.more) return { changes, leftScope, cursor: at };
    }
  }

  missing(hashes: string[]): Promise<Reply<MissingResponse>> {
    return this.request<MissingResponse>('POST', '/sync/attachments/missing', { hashes });
  }

  upload(sha256: string, offset: number, size: number, bytes: Uint8Array) {
    return this.request<{ received: number; complete: boolean; code?: string; message?: string }>(
      'PUT',
      `/sync/attachments/${sha256}?offset=${offset}&size=${size}`,
      bytes,
      { 'content-type': 'application/octet-stream' },
    );
  }
}

export const newId = (): string => crypto.randomUUID();

export function sha256(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The fields a new enterprise needs. */
export function enterprise(
  cityCode: string,
  name = '宁夏某某水泥有限公司',
): Record<string, unknown> {
  return { name, cityCode, countyCode: null, createdAt: T0, deleted: false };
}

export function process_(enterpriseId: string): Record<string, unknown> {
  return { enterpriseId, industryCode: 'cement', branch: '熟料', createdAt: T0 };
}

export function inspection(enterpriseId: string, status = 'draft'): Record<string, unknown> {
  return { enterpriseId, date: '2026-11-28', type: '帮扶指导', status, createdAt: T0 };
}
