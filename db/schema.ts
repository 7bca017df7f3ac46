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
 * One row per industry or process an enterprise runs (附件2 writes one line per row): its
 * industry and branch from resources/industries.json, the ruleset that grades it, its current
 * and target grade, and the 附件2 columns the improvement plan fills.
 */
export const enterpriseProcesses = sqliteTable(
  'enterprise_processes',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    industryCode: text('industry_code').notNull(),
    branch: text('branch').notNull(),
    /** The process as the site calls it (1#熟料线); optional. */
    name: text('name'),
    rulesetId: text('ruleset_id'),
    currentGrade: text('current_grade'),
    targetGrade: text('target_grade'),
    /** 差异化指标, 存在问题, 改进措施, 拟完成时间, 备注 of 附件2. */
    differentiators: text('differentiators'),
    problems: text('problems'),
    improvements: text('improvements'),
    dueDate: text('due_date'),
    remark: text('remark'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('enterprise_processes_enterprise').on(t.enterpriseId, t.deleted)],
);

/**
 * Rulesets experts imported, content-addressed: a row never changes, so an inspection that
 * pinned (rulesetId, edition, hash) finds exactly the table it was answered against.
 */
export const rulesets = sqliteTable(
  'rulesets',
  {
    /** SHA-256 of the canonical JSON. */
    id: text('id').primaryKey(),
    rulesetId: text('ruleset_id').notNull(),
    edition: text('edition').notNull(),
    json: text('json').notNull(),
    importedAt: integer('imported_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('rulesets_ruleset_edition').on(t.rulesetId, t.edition)],
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
