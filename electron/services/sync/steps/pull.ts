/**
 * Steps 2 and 5 of a run, the pull: a fresh device first adopts the store's snapshot when one is
 * ready (./snapshot.ts), then every page after the cursor is applied, each page and its cursor in
 * one transaction, the next page asked for while this one is applied.
 */

import { bulkCheckpoints, readSyncSettings } from '../../../../db/repositories/sync';
import {
  catchUpSearchIndex,
  resumeSearchIndex,
  searchIndexPaused,
} from '../../../../db/repositories/enterprises';
import { applyPullPage } from '../../../../db/sync-apply';
import { AppError } from '../../../../shared/api/errors';

import { heartbeat, noteApplied, type RunEnv } from '../options';
import { call } from '../retry';

import { adoptSnapshotIfFresh } from './snapshot';

export async function pullAll(run: RunEnv): Promise<void> {
  bulkCheckpoints(run.ctx.db, true);
  try {
    await adoptSnapshotIfFresh(run);
    await pullPages(run);
  } finally {
    bulkCheckpoints(run.ctx.db, false);
    // A pull cut short leaves the search index paused (db/sync-apply/page.ts): index what arrived.
    if (searchIndexPaused(run.ctx.db)) resumeSearchIndex(run.ctx.db);
  }
}

/**
 * Pages in order, each applied in its own transaction. The next page is asked for before this
 * one is applied, so the store builds it meanwhile (a first pull is 100+ pages); it is used only
 * after this page committed, and dropped if applying fails. A page handed out but never applied
 * costs nothing: the cursor saved is the applied page's, and the store's note of what this
 * device has seen only moves ahead (see server/sync/pull.ts).
 */
async function pullPages(run: RunEnv): Promise<void> {
  const { ctx } = run;
  // The page asked ahead belongs to this run only: once the run stops waiting for it (applying
  // failed, or the pull ended), it is not retried and cannot log in again or drop the token.
  const ahead = new AbortController();
  const aheadRun: RunEnv = {
    ...run,
    signal: run.signal ? AbortSignal.any([run.signal, ahead.signal]) : ahead.signal,
  };
  const fetchPage = (env: RunEnv, cursor: string | null) => {
    const page = call(env, () => run.transport.pull(ctx.device.deviceId, cursor, run.pageSize));
    // Dropped when applying the page before it fails: its own failure must not go unhandled.
    page.catch(() => undefined);
    return page;
  };
  let arrived = false;
  const ask = (env: RunEnv, cursor: string | null) => {
    arrived = false;
    const page = fetchPage(env, cursor);
    page.then(
      () => (arrived = true),
      () => (arrived = true),
    );
    return page;
  };
  let next = ask(run, readSyncSettings(ctx.db).cursor);
  let received = 0;
  try {
    for (;;) {
      const page = await next;
      if (page.more) {
        next = ask(aheadRun, page.cursor);
        // A few turns of the event loop send the request before the synchronous apply below.
        for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      }
      if (run.signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
      const result = applyPullPage(ctx.db, ctx.device, page, {
        ...(run.faults.beforeCommit ? { beforeCommit: run.faults.beforeCommit } : {}),
      });
      noteApplied(run, result);
      received += page.changes.length;
      heartbeat(run);
      run.progress('拉取', received, page.more ? 0 : received);
      if (!page.more) return;
      // The next page is not here yet: the search index catches up meanwhile.
      if (!arrived && searchIndexPaused(ctx.db)) catchUpSearchIndex(ctx.db);
    }
  } finally {
    ahead.abort();
  }
}
