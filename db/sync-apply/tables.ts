/**
 * The synced tables as applying sees them: the columns an op never carries, the content-addressed
 * tables whose clashes are not worth a conflict, and the order parents first in which a page
 * applies.
 */

import { getTableName } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/sqlite-core';

import { syncedTables, type SyncedTableName } from '../synced-tables';

/** Columns an op never carries: the row id and the sync bookkeeping. */
export const RESERVED = new Set(['id', 'updatedAt', 'updatedBy', 'fieldClocks']);

/**
 * Content-addressed rows: two devices writing the same file or ruleset write the same content;
 * the only fields that can differ (createdAt, importedAt) are not worth a conflict record.
 */
export const QUIET_TABLES: ReadonlySet<string> = new Set([
  'rulesets',
  'pinned_rulesets',
  'attachments',
]);

/** Synced tables ordered parents first (by their foreign keys), so a page applies in order. */
let order: Map<string, number> | null = null;

function tableOrder(): Map<string, number> {
  if (order) return order;
  const bySqlName = new Map<string, SyncedTableName>();
  for (const name of Object.keys(syncedTables) as SyncedTableName[]) {
    bySqlName.set(getTableName(syncedTables[name]), name);
  }
  const result = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: SyncedTableName) => {
    if (result.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const fk of getTableConfig(syncedTables[name]).foreignKeys) {
      const target = bySqlName.get(getTableName(fk.reference().foreignTable));
      if (target && target !== name) visit(target);
    }
    visiting.delete(name);
    result.set(name, result.size);
  };
  for (const name of Object.keys(syncedTables) as SyncedTableName[]) visit(name);
  order = result;
  return result;
}

export function byTableOrder<T extends { table: string }>(items: readonly T[]): T[] {
  const o = tableOrder();
  const rank = (t: string) => o.get(t) ?? o.size;
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank(a.item.table) - rank(b.item.table) || a.i - b.i)
    .map((x) => x.item);
}
