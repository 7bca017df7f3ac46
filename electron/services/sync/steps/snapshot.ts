/**
 * The pull's first try on a fresh device: adopt the store's snapshot of the account's scope
 * (db/snapshot.ts) instead of applying 100+ pages row by row.
 */

import fs from 'node:fs';
import path from 'node:path';

import { adoptSnapshot, isFreshDevice, schemaOf, SnapshotRefused } from '../../../../db/snapshot';
import { AppError } from '../../../../shared/api/errors';
import { SyncHttpError } from '../../sync-http';

import { heartbeat, noteApplied, type RunEnv } from '../options';

/** Whether the disk holding `file` has `bytes` free (true when it cannot tell). */
function hasRoom(file: string, bytes: number): boolean {
  try {
    const s = fs.statfsSync(path.dirname(file));
    return s.bavail * s.bsize > bytes;
  } catch {
    return true;
  }
}

/**
 * A device that holds nothing yet (never pulled, no edits, no rows) starts from the store's
 * snapshot of its scope when one is ready (db/snapshot.ts): one file instead of 100+ pages
 * applied row by row. Anything that goes wrong — none ready, a broken download, a file that is
 * not of this schema, an edit made meanwhile — only means the pages bring the same rows; the
 * device's database is left as it was. Only a cancel stops the run.
 */
export async function adoptSnapshotIfFresh(run: RunEnv): Promise<void> {
  const { ctx } = run;
  if (ctx.db.file === ':memory:' || !run.snapshot || !isFreshDevice(ctx.db)) return;
  let beat = Date.now();
  try {
    const got = await run.transport.snapshot(
      ctx.device.deviceId,
      schemaOf(ctx.db.sqlite),
      (done, total) => {
        run.progress('下载快照', done, total);
        // A long download is a live run, not one another process may take over.
        if (Date.now() - beat > 10_000) {
          beat = Date.now();
          heartbeat(run);
        }
      },
    );
    if (!got) return;
    if (run.signal?.aborted) throw new AppError('cancelled', '已取消同步；已完成的部分已保存');
    // Room for the database and, while it is copied, its journal.
    if (!hasRoom(ctx.db.file, got.image.byteLength * 1.2)) return;
    const adopted = adoptSnapshot(ctx.db, got.image, got.cursor, ctx.device);
    noteApplied(run, {
      rows: adopted.rows,
      removed: 0,
      conflicts: 0,
      deferred: 0,
      replayed: 0,
      tables: adopted.tables,
    });
    run.progress('拉取', adopted.rows, 0);
  } catch (e) {
    if (e instanceof AppError && e.code === 'cancelled') throw e;
    // Whatever went wrong, the database is as it was (adopting is one transaction): the pages
    // bring the same rows.
    if (!(e instanceof SnapshotRefused || e instanceof SyncHttpError)) {
      console.warn(`快照未采用，改为逐页拉取：${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
