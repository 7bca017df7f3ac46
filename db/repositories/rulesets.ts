import { and, asc, eq } from 'drizzle-orm';

import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { rulesets } from '../schema';

export interface ImportedRulesetRow {
  id: string;
  rulesetId: string;
  edition: string;
  json: string;
  importedAt: number;
}

const columns = {
  id: rulesets.id,
  rulesetId: rulesets.rulesetId,
  edition: rulesets.edition,
  json: rulesets.json,
  importedAt: rulesets.importedAt,
};

export function insertImportedRuleset(
  changes: ChangeSet,
  hash: string,
  rulesetId: string,
  edition: string,
  json: string,
  importedAt: number,
): void {
  changes.insert('rulesets', hash, { rulesetId, edition, json, importedAt });
}

/** Every imported revision, oldest first (so later imports override earlier ones). */
export function listImportedRulesets(db: Db): ImportedRulesetRow[] {
  return db.orm
    .select(columns)
    .from(rulesets)
    .where(eq(rulesets.deleted, false))
    .orderBy(asc(rulesets.importedAt))
    .all();
}

export function getImportedRuleset(db: Db, hash: string): ImportedRulesetRow | undefined {
  return db.orm
    .select(columns)
    .from(rulesets)
    .where(and(eq(rulesets.id, hash), eq(rulesets.deleted, false)))
    .get();
}
