import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** This device's own record of its writes: the outbox of ops to send, and its sync state. */

/**
 * Local changes waiting for the central store, in the order they were made. One row is one op:
 * the values of one or more fields of one row, all stamped with one hybrid clock. `seq` is the
 * device's own sequence: it only grows, and the server keeps the last one it applied per device.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey(),
    // Unique by construction (UUIDv7); `seq` is the key that orders and deduplicates.
    opId: text('op_id').notNull(),
    deviceId: text('device_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    values: text('values').notNull(),
    hlc: text('hlc').notNull(),
    /**
     * For an update: JSON `{field: clock}` of the values it replaced (null where the field had
     * none). Never sent; sync compares a pulled value's clock with it to tell a value this device
     * had already seen from one written elsewhere meanwhile (a conflict). Null for inserts.
     */
    baseClocks: text('base_clocks'),
  },
  // Parked ops are found by op id; without this a sync scanned the whole outbox to find none.
  (t) => [index('outbox_op_id').on(t.opId)],
);

/** Small facts of this device and its sync: device id, last sequence, last clock, cursors. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
