/**
 * Scope exits: an enterprise that left the account's city leaves this device with everything under
 * it, unless local changes to it still wait for the central store.
 */

import type { Device } from '../changes';
import type { Db } from '../client';
import {
  deleteSubtree,
  dropScopeExit,
  enterpriseSubtree,
  keepScopeExit,
  rowsWithUnsentOps,
  waitingScopeExits,
} from '../repositories/sync';

import { announced, finish, openSession, type ApplyResult, type Session } from './session';

/**
 * An enterprise left the account's city: its copy here goes, with everything under it — unless
 * a local change to any of those rows still waits for the central store (unsent or parked): the
 * exit then waits too (sync_scope_exits) and is tried again after each sync run.
 */
export function leaveScope(db: Db, s: Session, enterpriseId: string): void {
  const subtree = enterpriseSubtree(db, enterpriseId);
  if (subtree.length === 0) {
    dropScopeExit(db, enterpriseId);
    return;
  }
  const unsent = rowsWithUnsentOps(db);
  if (subtree.some((r) => unsent.has(`${r.table}\u0001${r.id}`))) {
    keepScopeExit(db, enterpriseId, s.now);
    return;
  }
  try {
    // A savepoint: a removal SQLite refuses (a row the subtree query did not foresee) leaves
    // everything as it was, and the exit waits instead of failing the page over and over.
    s.sqlite.transaction(() => deleteSubtree(db, subtree))();
  } catch (e) {
    if (!String((e as { code?: string }).code ?? '').startsWith('SQLITE_CONSTRAINT')) throw e;
    keepScopeExit(db, enterpriseId, s.now);
    return;
  }
  dropScopeExit(db, enterpriseId);
  s.removed++;
  for (const r of subtree) s.tables.add(r.table);
}

/** Exits that waited for local changes: done now for those whose changes the store has. */
export function retryScopeExits(db: Db, device: Device): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', false);
        for (const enterpriseId of waitingScopeExits(db)) leaveScope(db, s, enterpriseId);
        return finish(db, s, null);
      })
      .immediate(),
  );
}
