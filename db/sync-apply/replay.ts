/**
 * Deferred values tried again: which reasons are worth another try (after each page, after an
 * upgrade), and the replay itself, round by round until no progress.
 */

import type { SyncChange } from '../../shared/sync/protocol';
import { DEFER_REASONS, type DeferReason } from '../../shared/sync/status';

import { type Device } from '../changes';
import { prepare } from '../prepared';
import type { Db } from '../client';

import { applyChange } from './apply-change';
import { announced, finish, openSession, type ApplyResult, type Session } from './session';
import { byTableOrder } from './tables';

/** Reasons worth another try after each page: what a later page may bring. */
export const WAITING: readonly DeferReason[] = ['parent_missing', 'incomplete'];
/** Values no later version or state makes right: malformed, ill-formed text, forged content. */
const NEVER_REPLAYED: ReadonlySet<DeferReason> = new Set(['invalid', 'bad_text', 'forged']);
/** Every reason a later version or state may resolve. */
const ALL_REPLAYABLE: readonly DeferReason[] = DEFER_REASONS.filter((r) => !NEVER_REPLAYED.has(r));

/**
 * Tries the deferred values of these reasons again, row by row, until a round makes no progress
 * (a row waiting for a parent that waits for its own parent needs several rounds).
 */
export function replay(s: Session, reasons: readonly DeferReason[]): void {
  if (reasons.length === 0) return;
  const marks = reasons.map(() => '?').join(', ');
  const select = prepare(
    s.sqlite,
    `SELECT table_name, row_id, field, value, clock, source FROM sync_deferred WHERE reason IN (${marks})`,
  );
  const remove = prepare(
    s.sqlite,
    'DELETE FROM sync_deferred WHERE table_name = ? AND row_id = ? AND field = ?',
  );
  const count = prepare(
    s.sqlite,
    `SELECT count(*) AS n FROM sync_deferred WHERE reason IN (${marks})`,
  );
  const source = s.source;
  for (let round = 0; round < 20; round++) {
    const entries = select.all(...reasons) as {
      table_name: string;
      row_id: string;
      field: string;
      value: string;
      clock: string;
      source: string;
    }[];
    if (entries.length === 0) break;
    const groups = new Map<string, SyncChange & { source: string }>();
    for (const e of entries) {
      remove.run(e.table_name, e.row_id, e.field);
      const key = `${e.table_name}\u0001${e.row_id}`;
      let g = groups.get(key);
      if (!g) {
        // Without a prototype: a field named __proto__ (a hostile page) stays a field.
        g = {
          table: e.table_name,
          rowId: e.row_id,
          values: Object.create(null) as Record<string, unknown>,
          clocks: Object.create(null) as Record<string, string>,
          source: e.source,
        };
        groups.set(key, g);
      }
      g.values[e.field] = JSON.parse(e.value) as unknown;
      g.clocks[e.field] = e.clock;
    }
    const deferredBefore = s.deferred;
    for (const g of byTableOrder([...groups.values()])) {
      s.source = g.source;
      applyChange(s, g);
    }
    s.source = source;
    // Re-deferred entries are not new: they were counted when first set aside.
    s.deferred = deferredBefore;
    const left = (count.get(...reasons) as { n: number }).n;
    s.replayed += Math.max(0, entries.length - left);
    if (left >= entries.length) break;
  }
}

/**
 * Tries every deferred value again (after an upgrade added columns or tables, or once the rows
 * a value waited for are here), in one transaction.
 */
export function replayDeferred(db: Db, device: Device): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', false);
        replay(s, ALL_REPLAYABLE);
        return finish(db, s, null);
      })
      .immediate(),
  );
}
