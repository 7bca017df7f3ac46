/**
 * The local database's tables, one file per aggregate under db/schema/: the sync and trash
 * columns every synced table shares (columns.ts), enterprises and their processes, rulesets,
 * visits with their answers and violations, attachments and their uses, plans, this device's
 * outbox and sync state, and the device's side of sync. Importers use this module;
 * db/drizzle.config.ts points drizzle-kit at the folder.
 */
export * from './schema/enterprises';
export * from './schema/rulesets';
export * from './schema/inspections';
export * from './schema/attachments';
export * from './schema/plans';
export * from './schema/device';
export * from './schema/sync';
export * from './schema/reviews';
