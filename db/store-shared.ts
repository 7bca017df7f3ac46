/**
 * What the central store (server/) may take from the device's db/: the one door between them,
 * fenced by eslint (server/ imports db/ only through this file) and by tsc (server's project
 * references db's). The store derives its copy of the synced tables from the device schema, so
 * the two cannot drift, and builds a new device's snapshot with the device's own migrations and
 * apply code, so a snapshot is exactly what a device would have written. Anything else the store
 * needs from db/ is added here, in the open, or moved to shared/.
 */
export { isSyncedTable, syncedTables, tableInfo, type SyncedTableName } from './synced-tables';
export { buildSnapshot, schemaOfMigrations } from './snapshot';
export type { PullPage } from './sync-apply';
