import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

import { syncColumns } from './columns';

/** Rulesets: the ones experts imported, and the exact content every visit pinned. */

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
 * The exact content of every ruleset a visit pinned, by hash: a visit must grade the same way
 * forever, even after the app ships a corrected edition or the import that supplied it is gone.
 * Written once per hash; a row never changes.
 */
export const pinnedRulesets = sqliteTable('pinned_rulesets', {
  /** SHA-256 of the canonical JSON (the same hash `rulesets` uses). */
  id: text('id').primaryKey(),
  rulesetId: text('ruleset_id').notNull(),
  edition: text('edition').notNull(),
  json: text('json').notNull(),
  createdAt: integer('created_at').notNull(),
  ...syncColumns(),
});
