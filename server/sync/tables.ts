import { getTableName } from 'drizzle-orm';
import { getTableConfig, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

import {
  isSyncedTable,
  syncedTables,
  tableInfo,
  type SyncedTableName,
} from '../../db/store-shared';

/**
 * What the central store knows of each synced table, derived from the app's own schema
 * (db/schema.ts via db/synced-tables.ts) so the two cannot drift: the fields and their types,
 * the references between tables, and who may see a row.
 *
 * Visibility ("scope") follows the enterprise: an enterprise row carries its city; a row under
 * one (a process, a visit, a visit's answer, a plan's version…) takes the city of its parent,
 * found through the parent fields below; reference rows shared by the whole region (rulesets,
 * stored files) have no city and every user sees them.
 *
 * When adding a synced table: give it an entry in SCOPE (the compiler insists). A table under an
 * enterprise names its parent fields, most specific first; each must be a foreign key of
 * db/schema.ts to another scoped table (checked when this module loads). If it belongs to a visit,
 * add it to INSPECTION_CHILDREN; if some of its fields must never change once written, list them
 * in IMMUTABLE_FIELDS.
 */

export type ScopeRule =
  { kind: 'root' } | { kind: 'shared' } | { kind: 'child'; parents: readonly string[] };

const SCOPE = {
  enterprises: { kind: 'root' },
  enterprise_processes: { kind: 'child', parents: ['enterpriseId'] },
  rulesets: { kind: 'shared' },
  pinned_rulesets: { kind: 'shared' },
  inspections: { kind: 'child', parents: ['enterpriseId'] },
  inspection_members: { kind: 'child', parents: ['inspectionId'] },
  inspection_processes: { kind: 'child', parents: ['inspectionId'] },
  inspection_answers: { kind: 'child', parents: ['inspectionId'] },
  attachments: { kind: 'shared' },
  attachment_uses: {
    kind: 'child',
    parents: ['inspectionId', 'violationId', 'answerId', 'planId', 'applicationId'],
  },
  violations: { kind: 'child', parents: ['enterpriseId'] },
  plans: { kind: 'child', parents: ['enterpriseId'] },
  plan_versions: { kind: 'child', parents: ['planId'] },
  grade_applications: { kind: 'child', parents: ['enterpriseId'] },
  review_steps: { kind: 'child', parents: ['applicationId'] },
  grade_events: { kind: 'child', parents: ['enterpriseId'] },
  // A published results list is public (信息公开): every device may see every edition.
  publications: { kind: 'shared' },
} as const satisfies Record<SyncedTableName, ScopeRule>;

/**
 * Rows that belong to one visit and freeze with it: once the visit is finalized (签字确认) no op may
 * add, change or remove them (the app's triggers of db migration 0003 say the same).
 */
const INSPECTION_CHILDREN: ReadonlySet<SyncedTableName> = new Set([
  'inspection_members',
  'inspection_processes',
  'inspection_answers',
  'attachment_uses',
]);

/** Fields that never change once a row has them (content-addressed or a record of a moment). */
const IMMUTABLE_FIELDS: Partial<Record<SyncedTableName, readonly string[]>> = {
  rulesets: ['rulesetId', 'edition', 'json'],
  pinned_rulesets: ['rulesetId', 'edition', 'json'],
  attachments: ['size', 'mimeType'],
  plan_versions: ['planId', 'version', 'content', 'comment', 'createdAt'],
  // Record numbers are printed on signed records and said aloud (electron/services/record-numbers.ts).
  inspections: ['number'],
  plans: ['number'],
  // Records of a moment (shared/domain/review.ts): the device's triggers of migration 0019 agree.
  grade_applications: ['enterpriseId', 'processId', 'kind', 'targetGrade', 'route', 'createdAt'],
  review_steps: [
    'applicationId',
    'round',
    'step',
    'decision',
    'opinion',
    'requestVisit',
    'decidedBy',
    'account',
    'role',
    'decidedAt',
  ],
  grade_events: [
    'enterpriseId',
    'processId',
    'grade',
    'previousGrade',
    'change',
    'cause',
    'reason',
    'documentNo',
    'effectiveDate',
    'applicationId',
    'violationId',
    'inspectionId',
    'decidedBy',
    'createdAt',
  ],
  publications: ['scope', 'edition', 'title', 'publishedAt', 'content', 'rowCount'],
};

/** Rows whose id is a SHA-256 (content-addressed); every other table's ids are UUIDs. */
const HASH_KEYED: ReadonlySet<SyncedTableName> = new Set([
  'rulesets',
  'pinned_rulesets',
  'attachments',
]);

export type FieldKind = 'text' | 'integer' | 'boolean' | 'number';

export interface FieldInfo {
  kind: FieldKind;
  /** A value is required when the row is created, and may never be null. */
  required: boolean;
  notNull: boolean;
}

export interface ServerTable {
  name: SyncedTableName;
  scope: ScopeRule;
  /** Every synced field the app knows; ops may carry others (from newer apps), kept as they are. */
  fields: ReadonlyMap<string, FieldInfo>;
  /** Field → the synced table it refers to (foreign keys of db/schema.ts). */
  references: ReadonlyMap<string, SyncedTableName>;
  /** Fields an op may never carry: the row id and the device's own bookkeeping. */
  reserved: ReadonlySet<string>;
  immutable: readonly string[];
  /** The row belongs to a visit through `inspectionId` and freezes with it. */
  inspectionChild: boolean;
  rowId: RegExp;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

function kindOf(column: SQLiteColumn): FieldKind {
  switch (column.columnType) {
    case 'SQLiteText':
      return 'text';
    case 'SQLiteInteger':
    case 'SQLiteTimestamp':
      return 'integer';
    case 'SQLiteBoolean':
      return 'boolean';
    default:
      return 'number';
  }
}

function build(name: SyncedTableName): ServerTable {
  const info = tableInfo(name);
  const byColumn = new Map<string, string>();
  for (const [field, column] of info.columns) byColumn.set(column.name, field);
  const fields = new Map<string, FieldInfo>();
  for (const field of info.syncedFields) {
    const column = info.columns.get(field) as SQLiteColumn;
    fields.set(field, {
      kind: kindOf(column),
      notNull: column.notNull,
      required: column.notNull && !column.hasDefault,
    });
  }
  const tableNames = new Map<string, SyncedTableName>();
  for (const n of Object.keys(syncedTables) as SyncedTableName[]) {
    tableNames.set(getTableName(syncedTables[n]), n);
  }
  const references = new Map<string, SyncedTableName>();
  for (const fk of getTableConfig(syncedTables[name]).foreignKeys) {
    const ref = fk.reference();
    const target = tableNames.get(getTableName(ref.foreignTable));
    const column = ref.columns[0];
    const field = column ? byColumn.get(column.name) : undefined;
    if (target && field && ref.columns.length === 1) references.set(field, target);
  }
  const scope: ScopeRule = SCOPE[name];
  if (scope.kind === 'child') {
    for (const parent of scope.parents) {
      const target = references.get(parent);
      if (!target || SCOPE[target].kind === 'shared') {
        throw new Error(
          `server/sync/tables.ts: ${name}.${parent} is not a reference to a scoped table`,
        );
      }
    }
  }
  if (INSPECTION_CHILDREN.has(name) && references.get('inspectionId') !== 'inspections') {
    throw new Error(`server/sync/tables.ts: ${name} has no inspectionId reference`);
  }
  return {
    name,
    scope,
    fields,
    references,
    reserved: new Set(['id', 'updatedAt', 'updatedBy', 'fieldClocks']),
    immutable: IMMUTABLE_FIELDS[name] ?? [],
    inspectionChild: INSPECTION_CHILDREN.has(name),
    rowId: HASH_KEYED.has(name) ? SHA256 : UUID,
  };
}

const TABLES = new Map<SyncedTableName, ServerTable>(
  (Object.keys(SCOPE) as SyncedTableName[]).map((n) => [n, build(n)]),
);

/** The store's view of a synced table, or undefined for a name the app does not have (yet). */
export function serverTable(name: string): ServerTable | undefined {
  return isSyncedTable(name) ? TABLES.get(name) : undefined;
}

export function allServerTables(): ServerTable[] {
  return [...TABLES.values()];
}
