import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The local database. Every synced table carries the same sync columns:
 * `updatedAt` (hybrid logical clock of the latest change), `updatedBy` (device id), `deleted`
 * (a tombstone: rows are never hard-deleted before the central store has acknowledged it) and
 * `fieldClocks` (JSON `{field: hlc}`, the clock of each field for last-writer-wins merges).
 *
 * When adding a synced table: give it these columns (spread `syncColumns()`), register it in
 * db/synced-tables.ts, write it only through db/changes.ts, then run `npm run db:generate`.
 */
function syncColumns() {
  return {
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    fieldClocks: text('field_clocks').notNull().default('{}'),
  };
}

export const enterprises = sqliteTable(
  'enterprises',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    creditCode: text('credit_code'),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code'),
    address: text('address'),
    contactPerson: text('contact_person'),
    contactPhone: text('contact_phone'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [
    // Not UNIQUE: two offline devices may file the same enterprise; the service refuses a
    // duplicate locally and sync reports the rest instead of failing to apply.
    index('enterprises_credit_code')
      .on(t.creditCode)
      .where(sql`${t.creditCode} IS NOT NULL`),
    index('enterprises_live_name').on(t.deleted, t.name),
    index('enterprises_live_region_name').on(t.deleted, t.cityCode, t.countyCode, t.name),
  ],
);

/**
 * Local changes waiting for the central store, in the order they were made. One row is one op:
 * the values of one or more fields of one row, all stamped with one hybrid clock. `seq` is the
 * device's own sequence: it only grows, and the server keeps the last one it applied per device.
 */
export const outbox = sqliteTable('outbox', {
  seq: integer('seq').primaryKey(),
  // Unique by construction (UUIDv7); `seq` is the key that orders and deduplicates.
  opId: text('op_id').notNull(),
  deviceId: text('device_id').notNull(),
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  values: text('values').notNull(),
  hlc: text('hlc').notNull(),
});

/** Small facts of this device and its sync: device id, last sequence, last clock, cursors. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
