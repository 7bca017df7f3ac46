import { getTableColumns, getTableName } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

import {
  attachmentUses,
  attachments,
  enterpriseProcesses,
  enterprises,
  gradeApplications,
  gradeEvents,
  inspectionAnswers,
  inspectionMembers,
  inspectionProcesses,
  inspections,
  pinnedRulesets,
  planVersions,
  plans,
  publications,
  reviewSteps,
  rulesets,
  violations,
} from './schema';

/**
 * The tables whose rows sync, by the name ops carry. Writes to them go through db/changes.ts only.
 * When adding one: list it here; its synced fields are all columns but the sync columns.
 */
export const syncedTables = {
  enterprises,
  enterprise_processes: enterpriseProcesses,
  rulesets,
  pinned_rulesets: pinnedRulesets,
  inspections,
  inspection_members: inspectionMembers,
  inspection_processes: inspectionProcesses,
  inspection_answers: inspectionAnswers,
  attachments,
  attachment_uses: attachmentUses,
  violations,
  plans,
  plan_versions: planVersions,
  grade_applications: gradeApplications,
  review_steps: reviewSteps,
  grade_events: gradeEvents,
  publications,
} as const satisfies Record<string, SQLiteTable>;

export type SyncedTableName = keyof typeof syncedTables;

const SYNC_COLUMNS = new Set(['id', 'updatedAt', 'updatedBy', 'fieldClocks']);

export interface TableInfo {
  name: SyncedTableName;
  sqlName: string;
  /** JS field name → SQL column, for every column. */
  columns: Map<string, SQLiteColumn>;
  /** The fields an op may carry: every column but id and the sync bookkeeping (deleted syncs). */
  syncedFields: string[];
  syncedFieldSet: ReadonlySet<string>;
}

const infoCache = new Map<SyncedTableName, TableInfo>();

export function tableInfo(name: SyncedTableName): TableInfo {
  let info = infoCache.get(name);
  if (!info) {
    const table = syncedTables[name];
    const columns = new Map(Object.entries(getTableColumns(table)) as [string, SQLiteColumn][]);
    const syncedFields = [...columns.keys()].filter((k) => !SYNC_COLUMNS.has(k));
    info = {
      name,
      sqlName: getTableName(table),
      columns,
      syncedFields,
      syncedFieldSet: new Set(syncedFields),
    };
    infoCache.set(name, info);
  }
  return info;
}

export function isSyncedTable(name: string): name is SyncedTableName {
  return Object.prototype.hasOwnProperty.call(syncedTables, name);
}
