/**
 * What a remote value must be to apply: of its column's type, well-formed text, and for a content-
 * addressed ruleset the content its id names.
 */

import crypto from 'node:crypto';

import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';

import { pinnedRulesetProblem } from '../../shared/canonical-json';
import { valueTextProblem } from '../../shared/text';

import { fromSql, isBoolean, toSql } from '../changes';

export const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Content-addressed rulesets: the row id is the SHA-256 of `json`, checked on arrival. */
const CONTENT_ADDRESSED: ReadonlySet<string> = new Set(['rulesets', 'pinned_rulesets']);

function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export { valueTextProblem };

/**
 * Why a change of a content-addressed ruleset (rulesets, pinned_rulesets) carries content that is
 * not what its id names, in Chinese, or null (other tables, or no content in the change).
 */
export function contentProblem(
  table: string,
  rowId: string,
  values: Record<string, unknown>,
): string | null {
  if (!CONTENT_ADDRESSED.has(table) || !own(values, 'json')) return null;
  return pinnedRulesetProblem(rowId, values.json, sha256Hex);
}

export function validValue(column: SQLiteColumn, value: unknown): boolean {
  if (value === null) return true;
  if (isBoolean(column)) return typeof value === 'boolean' || value === 0 || value === 1;
  switch (column.columnType) {
    case 'SQLiteText':
      return typeof value === 'string';
    case 'SQLiteInteger':
    case 'SQLiteTimestamp':
      return typeof value === 'number' && Number.isSafeInteger(value);
    default:
      return typeof value === 'number' && Number.isFinite(value);
  }
}

/** The value as a synced row holds it (what fromSql gives back), for comparing. */
export function normalized(column: SQLiteColumn, value: unknown): unknown {
  return fromSql(column, toSql(column, value));
}
