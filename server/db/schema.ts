import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The central store's PostgreSQL schema (PGlite embedded, or a real server on DATABASE_URL).
 * Migrations: `npm run db:generate:server` writes server/db/migrations; they are append-only and
 * applied when the store opens.
 *
 * Nothing here is per-process: several server processes may share one database, so every fact a
 * request needs (tokens, throttling, device sequences, upload progress) is a row.
 */

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull();

/** bytea as a Buffer (drizzle 0.45's pg-core has no bytea column of its own). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/** People who may sync: a role and a scope (a city code of shared/domain/regions.ts, or 'region'). */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Trimmed; ASCII letters lower-cased. */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    scope: text('scope').notNull(),
    /** `scrypt$N$r$p$<salt base64>$<key base64>` with a random per-user salt. */
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_username').on(t.username),
    check('users_role', sql`${t.role} in ('帮扶队员', '专家', '市级审核', '自治区复审', '管理员')`),
  ],
);

/** Device tokens: only their SHA-256 is stored; revoking sets `revokedAt`. */
export const tokens = pgTable(
  'tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    deviceId: text('device_id').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('tokens_user').on(t.userId)],
);

/**
 * Login attempts in the current window, per account (`user:<username>`) and per client address
 * (`ip:<address>`): `pending` counts attempts whose password is being checked, taken atomically
 * with the limits before the check; `failures` those that failed (server/auth/throttle.ts).
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  pending: integer('pending').notNull().default(0),
  firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
});

/**
 * A device (one app installation): the last op sequence the store processed for it, written in
 * the same transaction as those ops' effects, and the pull cursor it last reported (what it has
 * seen, for telling a concurrent edit from a sequential one).
 */
export const devices = pgTable('devices', {
  deviceId: text('device_id').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  name: text('name').notNull().default(''),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  seenSeq: bigint('seen_seq', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
  lastPushAt: timestamp('last_push_at', { withTimezone: true }),
  lastPullAt: timestamp('last_pull_at', { withTimezone: true }),
  /**
   * SHA-256 of the device's secret (32 random bytes it made once and sends at login), or null for
   * a device that has not sent one yet. A device id is public (it names every clock the device
   * stamps); the secret is what proves a login comes from that very device (server/auth/devices.ts).
   */
  secretHash: text('secret_hash'),
  /**
   * Whether an account has logged in with this device. A device first met through a relayed USB
   * bundle is not claimed yet: its own first login claims it.
   */
  claimed: boolean('claimed').notNull().default(true),
});

/** Hands out `rows.server_seq`; only ever called under the push lock (see server/sync/push/apply-push.ts). */
export const serverSeq = pgSequence('server_seq');

/**
 * Every synced row as the store holds it: all its fields (including ones this server does not
 * know yet) with each field's hybrid clock and the server sequence that last wrote it. `cityCode`
 * and `enterpriseId` are derived (the enterprise's, for rows under one) and decide who sees it;
 * both are null for region-wide reference rows (rulesets, stored files).
 */
export const rows = pgTable(
  'rows',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    values: jsonb('values').$type<Record<string, unknown>>().notNull(),
    clocks: jsonb('clocks').$type<Record<string, string>>().notNull(),
    fieldSeqs: jsonb('field_seqs').$type<Record<string, number>>().notNull(),
    enterpriseId: text('enterprise_id'),
    cityCode: text('city_code'),
    serverSeq: bigint('server_seq', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId] }),
    uniqueIndex('rows_server_seq').on(t.serverSeq),
    index('rows_city_seq').on(t.cityCode, t.serverSeq),
    index('rows_enterprise').on(t.enterpriseId),
    index('rows_attachment_use')
      .on(sql`(${t.values} ->> 'attachmentId')`)
      .where(sql`${t.tableName} = 'attachment_uses'`),
  ],
);

/** A field value that lost last-writer-wins, kept until someone resolves it. */
export const conflicts = pgTable(
  'conflicts',
  {
    id: text('id').primaryKey(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    losingValue: jsonb('losing_value'),
    losingClock: text('losing_clock').notNull(),
    winningClock: text('winning_clock').notNull(),
    /** The device whose value lost. */
    deviceId: text('device_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /**
     * From the rows' sequence, taken under the push lock: the losing device's pull delivers the
     * record once its cursor passes it (server/sync/pull.ts).
     */
    serverSeq: bigint('server_seq', { mode: 'number' }),
  },
  (t) => [
    index('conflicts_row').on(t.tableName, t.rowId),
    index('conflicts_device_seq').on(t.deviceId, t.serverSeq),
  ],
);

/**
 * An enterprise that moved out of a city (its 所在地市 changed): the devices of that city's
 * accounts remove their copies of it and everything under it when their pull reaches serverSeq.
 */
export const scopeExits = pgTable(
  'scope_exits',
  {
    serverSeq: bigint('server_seq', { mode: 'number' }).primaryKey(),
    enterpriseId: text('enterprise_id').notNull(),
    /** The city it left. */
    cityCode: text('city_code').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('scope_exits_city_seq').on(t.cityCode, t.serverSeq)],
);

/** An op the store refused, kept whole (a later server may replay it) with the reason. */
export const parkedOps = pgTable(
  'parked_ops',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    opId: text('op_id').notNull(),
    userId: text('user_id').notNull(),
    op: jsonb('op').notNull(),
    /** forbidden, role, immutable, invalid, unknown_table, parent_missing, clock or duplicate. */
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] })],
);

/**
 * Which op filled each seq of a device through a relay (a USB bundle carried by another device):
 * when that device, or another bundle, later sends a different op under the same seq, the store
 * answers it parked with the reason instead of "already done" (it would otherwise be lost).
 */
export const relayedOps = pgTable(
  'relayed_ops',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    opId: text('op_id').notNull(),
    /** The user whose device relayed it. */
    userId: text('user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] })],
);

/**
 * The op id the store received under each (device, seq), pushed or relayed, accepted or parked.
 * A device re-sends ops whose answer it lost; one re-sent under a seq that names another op (an
 * old backup of the device, or anyone else filling its sequence) is never acknowledged.
 */
export const pushedOps = pgTable(
  'pushed_ops',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    opId: text('op_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] })],
);

/**
 * A stored file by SHA-256, whole and verified. The bytes are rows of attachment_chunks (bytea),
 * so every server process sharing this database sees the same files and one database backup holds
 * everything; see server/sync/attachments.ts. Uploads in progress are attachment_uploads.
 */
export const attachments = pgTable('attachments', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  /** The account whose upload completed it (a record only: it grants nothing). */
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
});

/**
 * The accounts that have shown they hold a stored file's bytes: they uploaded it whole (the hash
 * checked), or downloaded it with a right to. A file's hash is no secret (every city pulls the
 * region-wide `attachments` rows), so naming it in an evidence use of one's own proves nothing:
 * a use grants others a download only when the account that wrote it is a holder (see
 * server/sync/attachments.ts).
 */
export const attachmentHolders = pgTable(
  'attachment_holders',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => attachments.sha256, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.userId] })],
);

/** One chunk of a stored file, at its byte offset. */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    sha256: text('sha256')
      .notNull()
      .references(() => attachments.sha256, { onDelete: 'cascade' }),
    offset: bigint('offset', { mode: 'number' }).notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.offset] })],
);

/**
 * A file on its way, one per (file, account): each account resumes its own upload, and no other
 * account can reset, extend or finish it. The first to arrive whole and match its hash becomes
 * the stored file; the others are then dropped.
 */
export const attachmentUploads = pgTable(
  'attachment_uploads',
  {
    sha256: text('sha256').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    size: bigint('size', { mode: 'number' }).notNull(),
    received: bigint('received', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.userId] })],
);

/** A chunk of an upload in progress. */
export const attachmentUploadChunks = pgTable(
  'attachment_upload_chunks',
  {
    sha256: text('sha256').notNull(),
    userId: text('user_id').notNull(),
    offset: bigint('offset', { mode: 'number' }).notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sha256, t.userId, t.offset] }),
    foreignKey({
      name: 'attachment_upload_chunks_upload_fk',
      columns: [t.sha256, t.userId],
      foreignColumns: [attachmentUploads.sha256, attachmentUploads.userId],
    }).onDelete('cascade'),
  ],
);

/**
 * Who this store is: one row, a random id made when the database is first used. A cache kept
 * beside the database (a new device's snapshot, server/sync/snapshot.ts) names the store it was
 * made from, so a store emptied, restored or replaced never serves another store's data.
 */
export const storeInfo = pgTable('store_info', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
