import { integer, text } from 'drizzle-orm/sqlite-core';

/**
 * The local database. Every synced table carries the same sync columns:
 * `updatedAt` (hybrid logical clock of the latest change), `updatedBy` (device id), `deleted`
 * (a tombstone: rows are never hard-deleted before the central store has acknowledged it) and
 * `fieldClocks` (JSON `{field: hlc}`, the clock of each field for last-writer-wins merges).
 *
 * When adding a synced table: give it these columns (spread `syncColumns()`), register it in
 * db/synced-tables.ts, write it only through db/changes.ts, then run `npm run db:generate`.
 */
export function syncColumns() {
  return {
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    fieldClocks: text('field_clocks').notNull().default('{}'),
  };
}

/**
 * The 回收站 (migration 0017) of the records a person deletes: enterprises, visits and plans.
 * A delete sets `deleted` and these in one op, so sync carries who, when and why; a restore
 * clears them. Rows under a deleted enterprise are not touched: they are hidden with it and come
 * back with it. Thirty days after `deletedAt` the device purges the row and everything under it
 * (electron/services/trash.ts); the central store keeps the tombstone.
 */
export function trashColumns() {
  return {
    /** Epoch ms of the delete; null while live, and on tombstones made before 0017. */
    deletedAt: integer('deleted_at'),
    /** Who deleted it, as the person is named (the sync account's name, else the device's). */
    deletedBy: text('deleted_by'),
    /** Why: required to delete a finalized visit (an official record). */
    deleteReason: text('delete_reason'),
  };
}
