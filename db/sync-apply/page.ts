/**
 * The pull page entry point: one page of the central store applied with its cursor in one
 * transaction.
 */

import type { ServerConflict, SyncChange } from '../../shared/sync/protocol';

import type { Device } from '../changes';
import type { Db } from '../client';
import { pauseSearchIndex, resumeSearchIndex } from '../repositories/enterprises';
import { dropScopeExit, writeSyncSettings } from '../repositories/sync';

import { applyChange } from './apply-change';
import { recordServerConflict } from './conflicts';
import { WAITING, replay } from './replay';
import { leaveScope } from './scope-exits';
import { announced, finish, openSession, type ApplyResult } from './session';
import { byTableOrder } from './tables';

export interface PullPage {
  changes: readonly SyncChange[];
  leftScope?: readonly string[] | undefined;
  conflicts?: readonly ServerConflict[] | undefined;
  cursor: string;
  more: boolean;
}

export interface PageOptions {
  /**
   * Runs last inside the page's transaction, just before it commits (tests throw here to
   * simulate a crash mid-apply: the page and its cursor then roll back together).
   */
  beforeCommit?: () => void;
}

/**
 * Applies one pull page and saves its cursor, in ONE IMMEDIATE transaction: a crash leaves the
 * previous rows and the previous cursor, never half a page. On the last page (`more` false) the
 * held finalizations are released and the search index, paused for the whole pull, catches up.
 */
export function applyPullPage(
  db: Db,
  device: Device,
  page: PullPage,
  options: PageOptions = {},
): ApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, 'server', true);
        // The search index waits for the whole pull (see migration 0009).
        pauseSearchIndex(db);
        // Exits first: an enterprise that left and came back arrives after its exit.
        for (const enterpriseId of page.leftScope ?? []) leaveScope(db, s, enterpriseId);
        for (const change of page.changes) {
          if (change.table === 'enterprises') dropScopeExit(db, change.rowId);
        }
        for (const change of byTableOrder(page.changes)) applyChange(s, change);
        for (const lost of page.conflicts ?? []) recordServerConflict(s, lost);
        replay(s, WAITING);
        if (!page.more) {
          s.holdFinalize = false;
          replay(s, ['finalize', ...WAITING]);
          resumeSearchIndex(db);
        }
        writeSyncSettings(db, { cursor: page.cursor });
        const result = finish(db, s, null);
        options.beforeCommit?.();
        return result;
      })
      .immediate(),
  );
}
