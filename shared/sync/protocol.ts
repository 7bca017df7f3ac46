import { z } from 'zod';

import { text } from '../text';

/**
 * The sync protocol between a device (the app or the CLI) and the central store (server/), as
 * DESIGN.md's sync section describes it, made exact. Every body is JSON validated by these
 * schemas on the side that receives it; every message to a person is Chinese.
 *
 * Every request carries the headers `x-uplift-protocol` (PROTOCOL_VERSION) and
 * `x-uplift-app-version` (the app's semver). A server refuses a protocol it does not speak or an
 * app older than its minimum with HTTP 426 and `{ code: 'upgrade_required', message }`.
 * Every request but login carries `Authorization: Bearer <token>`.
 * Which route takes which of these bodies and answers which is the route map, routes.ts.
 */

export const PROTOCOL_VERSION = 1;
export const PROTOCOL_HEADER = 'x-uplift-protocol';
export const APP_VERSION_HEADER = 'x-uplift-app-version';
/**
 * Optional abilities a device announces (comma-separated), so a newer server may answer in a
 * form an older device would not read; a server that does not know one ignores it.
 */
export const FEATURES_HEADER = 'x-uplift-features';
/** The device reads `{ "*": stamp }` as a change's clocks (see SyncChange.clocks). */
export const COMPACT_CLOCKS = 'compact-clocks';
/** In SyncChange.clocks, the stamp of every field without its own entry. */
export const EVERY_FIELD = '*';

/** Most ops one push may carry, and most changes one pull page returns. */
export const PUSH_BATCH_MAX = 500;
export const PULL_PAGE_MAX = 1000;
/** Attachment uploads go in chunks of at most this many bytes. */
export const CHUNK_BYTES_MAX = 1024 * 1024;

export const ROLES = ['帮扶队员', '专家', '市级审核', '自治区复审', '管理员'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may publish a ruleset to the whole region (the store's rule, server/sync/policy.ts; the app
 * says it before an expert installs one).
 */
export const LIBRARY_PUBLISHERS: readonly Role[] = ['专家', '自治区复审', '管理员'];

/**
 * Who may move a finalized visit (签字确认的正式记录) to the 回收站, or an enterprise that has
 * one: the city's reviewer (within the city, as scope already requires), the region's reviewer
 * and the administrator — the accounts that review official records. A 帮扶队员 or 专家 deletes
 * drafts and plans only. The store enforces it (server/sync/policy.ts); the app asks first.
 */
export const RECORD_DELETERS: readonly Role[] = ['市级审核', '自治区复审', '管理员'];

/** A user's scope: one city (its code, as shared/domain/regions.ts has them) or the region. */
export const REGION_SCOPE = 'region';

const Uuid = z.string().uuid('编号格式不正确');
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, '文件摘要应为64位十六进制 SHA-256');

/**
 * One op exactly as the device's outbox holds it (db/changes.ts): the new values of some fields
 * of one row under one hybrid clock. `values` may hold fields the receiver does not know yet:
 * they are kept and applied after its upgrade, never dropped.
 */
export const OpSchema = z
  .object({
    opId: Uuid,
    deviceId: z.string().min(1).max(100),
    seq: z.number().int().min(1),
    table: z.string().regex(/^[a-z_]{1,64}$/, '表名格式不正确'),
    rowId: z.string().min(1).max(200),
    values: z.record(z.string().max(64), z.unknown()),
    hlc: z.string().min(1).max(100),
  })
  .strict();
export type SyncOp = z.output<typeof OpSchema>;

export const LoginRequestSchema = z
  .object({
    username: text('用户名').trim().min(1, '请填写用户名').max(50),
    password: z.string().min(1, '请填写密码').max(200),
    deviceId: text('设备编号').min(1).max(100),
    /**
     * The device's own secret (64 hex digits, made once, never shown): proves the login comes
     * from the device that registered this id, whose id anyone may read in its clocks. Older apps
     * send none; their device stays its first account's.
     */
    deviceSecret: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '设备密钥格式不正确')
      .optional(),
    deviceName: text('设备名称').trim().max(100).default(''),
  })
  .strict();

export const LoginResponseSchema = z.object({
  token: z.string().min(1),
  user: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    scope: z.string(),
  }),
  /** The oldest app version this server accepts. */
  minAppVersion: z.string(),
});
export type LoginResponse = z.output<typeof LoginResponseSchema>;

/**
 * Also the body of POST /sync/relay: another device's ops that reached this one on a USB bundle,
 * with `deviceId` the source device's. The store applies them in that device's own sequence (so
 * the source pushing the same ops later changes nothing), under the relaying user's scope and
 * role, for a device it has not met or one of the same user's, never another account's.
 *
 * This is the envelope only: each op is checked against OpSchema one by one by the store
 * (server/sync/push/validate-envelope.ts), so that an op it cannot read is parked with its reason
 * while the ops after it still apply.
 */
export const PushRequestSchema = z
  .object({
    deviceId: text('设备编号').min(1).max(100),
    /** In seq order, without gaps after the server's lastSeq for this device. */
    ops: z.array(z.unknown()).max(PUSH_BATCH_MAX, `一次最多推送 ${PUSH_BATCH_MAX} 条操作`),
    /**
     * Relay only: the SHA-256 (hex) of the source device's secret, from its bundle's header. The
     * store keeps it for a device it meets first through a relay, so that only that device's own
     * login (with the secret) can claim it later (server/auth/devices.ts).
     */
    deviceSecretHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '设备密钥摘要应为 64 位十六进制')
      .optional(),
  })
  .strict();

export const ParkedOpSchema = z.object({
  opId: z.string(),
  seq: z.number().int(),
  /** Why the server did not apply it, in Chinese (scope, role, schema, immutability…). */
  reason: z.string(),
});
export type ParkedOp = z.output<typeof ParkedOpSchema>;

export const PushResponseSchema = z.object({
  /** Ops applied now or earlier (a resent op is accepted again, applied once). */
  accepted: z.array(z.string()),
  /** Ops refused and kept aside; the ops after them were still applied. */
  parked: z.array(ParkedOpSchema),
  /** The highest seq of this device the server has processed (accepted or parked). */
  lastSeq: z.number().int().min(0),
});
export type PushResponse = z.output<typeof PushResponseSchema>;

export const PullRequestSchema = z
  .object({
    deviceId: z.string().min(1).max(100),
    /** The server's cursor from the last page; null: from the start (a snapshot). */
    cursor: z.string().max(200).nullable(),
    limit: z.number().int().min(1).max(PULL_PAGE_MAX).default(PULL_PAGE_MAX),
  })
  .strict();

/** A row's change as the server holds it: the values it took, under their clocks. */
export interface SyncChange {
  table: string;
  rowId: string;
  values: Record<string, unknown>;
  /**
   * Per field, the hybrid clock of the value sent. To a device that announced COMPACT_CLOCKS, a
   * row whose fields all carry one stamp comes as `{ "*": stamp }` (EVERY_FIELD): most rows of a
   * first pull, and more than half of its bytes otherwise.
   */
  clocks: Record<string, string>;
}

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length >= 1 && v.length <= max;
}

/**
 * One pulled change, checked by hand, without copying it: a first pull brings 100,000 and more,
 * and zod's copy of every values and clocks record cost more than applying them. What each
 * field's value and clock mean is checked where they are applied (db/sync-apply/).
 */
function isChange(v: unknown): v is SyncChange {
  if (!isPlainRecord(v)) return false;
  if (!isText(v.table, 64) || !isText(v.rowId, 200)) return false;
  if (!isPlainRecord(v.values) || !isPlainRecord(v.clocks)) return false;
  for (const field in v.clocks) if (typeof v.clocks[field] !== 'string') return false;
  return true;
}

/**
 * A value of this device that lost last-writer-wins on the server (its op arrived after a newer
 * write, or a newer write from another device replaced it before this device had seen it). The
 * device keeps it with the winning value until someone resolves it, even when it could not have
 * noticed the clash itself.
 */
export const ServerConflictSchema = z.object({
  id: z.string().min(1).max(100),
  table: z.string().min(1).max(64),
  rowId: z.string().min(1).max(200),
  field: z.string().min(1).max(64),
  losingValue: z.unknown(),
  losingClock: z.string().max(100),
  winningClock: z.string().max(100),
});
export type ServerConflict = z.output<typeof ServerConflictSchema>;

export const PullResponseSchema = z.object({
  changes: z.array(z.custom<SyncChange>(isChange, '修改记录的格式不正确')),
  /**
   * Conflicts the server recorded against this device's values since the cursor (absent from
   * servers older than this field; a device applies them after the page's changes).
   */
  conflicts: z.array(ServerConflictSchema).max(PULL_PAGE_MAX).optional(),
  /**
   * Enterprises that moved out of this account's city since the cursor: the device removes its
   * copy of each and of everything under it (once none of its own changes to them waits), before
   * the page's changes (an enterprise that came back arrives after its exit). Region accounts
   * never get any.
   */
  leftScope: z.array(z.string().min(1).max(200)).max(PULL_PAGE_MAX).optional(),
  /** Give it back to get what came after; unchanged when nothing did. */
  cursor: z.string().max(200),
  /** More pages wait. */
  more: z.boolean(),
});
export type PullResponse = z.output<typeof PullResponseSchema>;

/**
 * A new device asks for a snapshot before its first pull (POST /sync/snapshot): a database file
 * of the device's own schema, prepared by the store for the account's scope. `schema` is the
 * stamp of the device's last migration; the store answers only with a file of that schema.
 */
export const SnapshotRequestSchema = z
  .object({
    deviceId: z.string().min(1).max(100),
    schema: z.string().regex(/^\d{1,15}$/),
  })
  .strict();

/**
 * The answer: 204 (none ready: pull page by page), or 200 with the gzipped file as the body and
 * these headers. The cursor is where pages continue; the hash is of the body as sent.
 */
export const SNAPSHOT_CURSOR_HEADER = 'x-uplift-snapshot-cursor';
export const SNAPSHOT_SHA256_HEADER = 'x-uplift-snapshot-sha256';
export const SNAPSHOT_ROWS_HEADER = 'x-uplift-snapshot-rows';
/** The size of the file once unpacked, so a device can tell it has room for it. */
export const SNAPSHOT_SIZE_HEADER = 'x-uplift-snapshot-size';

export const MissingRequestSchema = z.object({ hashes: z.array(Sha256).max(5000) }).strict();
export const MissingResponseSchema = z.object({
  /** Hashes the server does not hold whole, with the bytes it already has of each. */
  missing: z.array(z.object({ sha256: z.string(), received: z.number().int().min(0) })),
});
export type MissingResponse = z.output<typeof MissingResponseSchema>;

export const UploadResponseSchema = z.object({
  sha256: z.string(),
  received: z.number().int().min(0),
  /** The whole file arrived and its SHA-256 matched. */
  complete: z.boolean(),
});
export type UploadResponse = z.output<typeof UploadResponseSchema>;

/** GET /sync/health: no checks at all (for load balancers and people). */
export const HealthResponseSchema = z.object({
  ok: z.boolean(),
  protocolVersion: z.number().int(),
  minAppVersion: z.string(),
  database: z.string(),
});
export type HealthResponse = z.output<typeof HealthResponseSchema>;

export interface SyncError {
  code:
    | 'unauthorized'
    | 'forbidden'
    | 'invalid_input'
    | 'upgrade_required'
    | 'too_large'
    | 'too_many_attempts'
    | 'conflict'
    | 'not_found'
    | 'internal';
  message: string;
}

/**
 * What a refusal may add to `{ code, message }` so that the device can act without reading the
 * message. The server sends them on exactly these refusals; a device must cope with their absence.
 */
export interface SyncErrorDetail {
  /**
   * `conflict` (409) on a push whose first new op is not the one the server expects: the highest
   * seq of this device it has processed. The device resends from lastSeq + 1.
   */
  lastSeq?: number;
  /**
   * `conflict` (409) on an upload chunk at the wrong offset: the bytes of that file the server
   * already holds. The device resumes from there.
   */
  received?: number;
  /**
   * `too_many_attempts` (429) on a login: seconds to wait (also in the Retry-After header).
   */
  retryAfter?: number;
  /**
   * `upgrade_required` (426): the oldest app version the server accepts (also in LoginResponse).
   */
  minAppVersion?: string;
}

/** An error body as it travels: the code, the Chinese message and any detail. */
export type SyncErrorBody = SyncError & SyncErrorDetail;

/**
 * What a device reads of an error body before it believes it: a code and a message, the rest
 * kept for errorDetail.
 */
export const ErrorBodySchema = z.looseObject({ code: z.string(), message: z.string() });

/** Reads the detail fields of an error body, ignoring any of the wrong type. */
export function errorDetail(body: Record<string, unknown>): SyncErrorDetail {
  const detail: SyncErrorDetail = {};
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (count(body.lastSeq)) detail.lastSeq = body.lastSeq as number;
  if (count(body.received)) detail.received = body.received as number;
  if (count(body.retryAfter)) detail.retryAfter = body.retryAfter as number;
  if (typeof body.minAppVersion === 'string' && body.minAppVersion.length <= 50) {
    detail.minAppVersion = body.minAppVersion;
  }
  return detail;
}

export { Sha256 as Sha256Schema };
