import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

// ---------------------------------------------------------------------------------------------
// The device's side of sync (electron/services/sync/). None of these tables sync themselves:
// they record what this device sent, received, set aside and could not apply.
// Settings and cursors are keys of sync_state (db/repositories/sync/settings.ts lists them).
// ---------------------------------------------------------------------------------------------

/**
 * A field both sides changed: a remote value (from the central store or a USB bundle) met a
 * local value that the central store had not acknowledged yet. Last writer by hybrid clock won;
 * the loser's value is kept here, shown until someone resolves it. Values are JSON.
 */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    localValue: text('local_value').notNull(),
    localClock: text('local_clock').notNull(),
    remoteValue: text('remote_value').notNull(),
    remoteClock: text('remote_clock').notNull(),
    /** local or remote: whose value the row holds after the merge. */
    winner: text('winner').notNull(),
    /** server, or bundle:<deviceId> for a USB bundle. */
    source: text('source').notNull(),
    /** Epoch ms. */
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** local or remote (the value someone chose), or superseded (another choice settled it). */
    resolution: text('resolution'),
  },
  (t) => [
    // The same pair of values is one conflict, however often it is seen again.
    uniqueIndex('sync_conflicts_pair').on(
      t.tableName,
      t.rowId,
      t.field,
      t.localClock,
      t.remoteClock,
    ),
    index('sync_conflicts_open').on(t.resolvedAt, t.createdAt),
  ],
);

/**
 * Ops of this device that the central store refused (scope, role, immutability…) and kept
 * aside. The op itself stays in the outbox. A retry sends its values again as a new op (retrySeq);
 * discarding only marks it: nothing of the user's data is deleted.
 */
export const syncParked = sqliteTable(
  'sync_parked',
  {
    opId: text('op_id').primaryKey(),
    seq: integer('seq').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    reason: text('reason').notNull(),
    /** Epoch ms. */
    parkedAt: integer('parked_at').notNull(),
    /** parked, retrying (sent again as retrySeq), discarded, or resolved (the retry was accepted). */
    status: text('status').notNull(),
    retrySeq: integer('retry_seq'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('sync_parked_status').on(t.status, t.seq),
    index('sync_parked_retry').on(t.retrySeq),
  ],
);

/**
 * Remote field values this device could not apply yet, kept instead of dropped: fields and
 * tables this version does not have (replayed after an upgrade adds them), rows whose parent has
 * not arrived, finalizations held until a pull has brought every row of the visit, and changes a
 * finalized visit refuses. One value per field: the one with the newest clock.
 */
export const syncDeferred = sqliteTable(
  'sync_deferred',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    /** JSON. */
    value: text('value').notNull(),
    clock: text('clock').notNull(),
    /** unknown_table, unknown_field, parent_missing, incomplete, finalize, immutable, duplicate, invalid. */
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    /** Epoch ms. */
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId, t.field] }),
    index('sync_deferred_reason').on(t.reason),
  ],
);

/**
 * Files (attachments, by SHA-256) on their way: `up` to the central store (doneBytes = bytes it
 * confirmed), `down` from it. A file is `done` only once verified against its hash.
 */
export const syncFiles = sqliteTable(
  'sync_files',
  {
    sha256: text('sha256').notNull(),
    /** up or down. */
    direction: text('direction').notNull(),
    size: integer('size').notNull(),
    doneBytes: integer('done_bytes').notNull().default(0),
    /** pending, done or failed (error says why; retried at the next sync). */
    status: text('status').notNull(),
    error: text('error'),
    /** Epoch ms. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sha256, t.direction] }),
    index('sync_files_status').on(t.direction, t.status),
  ],
);

/** Ops of other devices applied from USB bundles, so importing a bundle twice changes nothing. */
export const syncBundleOps = sqliteTable(
  'sync_bundle_ops',
  {
    deviceId: text('device_id').notNull(),
    opId: text('op_id').notNull(),
    seq: integer('seq').notNull(),
    /** Epoch ms. */
    importedAt: integer('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.opId] })],
);
