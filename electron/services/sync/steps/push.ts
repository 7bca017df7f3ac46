/**
 * Step 3 of a run, the push: the outbox in seq order, in batches that stay under the server's body
 * limit; parked ops are recorded and listed, the ops after them go on.
 */

import { pendingOpCount, toSyncOp } from '../../../../db/repositories/device';
import {
  listOpsAfter,
  readSyncSettings,
  recordPushOutcome,
  rewindPushed,
} from '../../../../db/repositories/sync';
import { AppError } from '../../../../shared/api/errors';
import { SyncHttpError } from '../../sync-http';

import { heartbeat, type RunEnv } from '../options';
import { call } from '../retry';

/** Push batches stay well under the server's 10 MB body limit. */
const PUSH_BATCH_BYTES = 4 * 1024 * 1024;

function opSize(op: object): number {
  return JSON.stringify(op).length;
}

/** The first entries that keep a body well under the server's limit; an op is never split. */
export function fitBatch<T extends object>(entries: readonly T[]): T[] {
  let bytes = 0;
  let count = 0;
  for (const e of entries) {
    bytes += opSize(e);
    if (count > 0 && bytes > PUSH_BATCH_BYTES) break;
    count++;
  }
  return entries.slice(0, count);
}

export async function pushAll(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const total = pendingOpCount(ctx.db);
  let done = 0;
  let batch = run.batchSize;
  run.progress('推送', 0, total);
  for (;;) {
    const { pushedSeq } = readSyncSettings(ctx.db);
    const entries = listOpsAfter(ctx.db, pushedSeq, batch);
    if (entries.length === 0) break;
    const sent = fitBatch(entries);
    let answer;
    try {
      answer = await call(run, () => run.transport.push(ctx.device.deviceId, sent.map(toSyncOp)));
    } catch (e) {
      if (e instanceof SyncHttpError && e.status === 409 && typeof e.detail.lastSeq === 'number') {
        // The server processed fewer ops than we believed (restored from a backup, or another
        // server): send again from where it is.
        if (!rewindPushed(ctx.db, e.detail.lastSeq)) {
          throw new AppError(
            'conflict',
            `中心服务器只收到本机前 ${e.detail.lastSeq} 条修改，其后的部分修改已不在本机待发送记录中；请联系管理员核对中心库是否被恢复到了旧的备份`,
          );
        }
        continue;
      }
      if (e instanceof SyncHttpError && e.status === 413 && batch > 1) {
        batch = Math.max(1, Math.floor(sent.length / 2));
        continue;
      }
      throw e;
    }
    const parked = recordPushOutcome(
      ctx.db,
      { sent, accepted: answer.accepted, parked: answer.parked, lastSeq: answer.lastSeq },
      ctx.device.now(),
    );
    const sentIds = new Set(sent.map((s) => s.opId));
    run.summary.pushed += answer.accepted.filter((id) => sentIds.has(id)).length;
    run.summary.parked += parked;
    done += sent.length;
    heartbeat(run);
    run.progress('推送', Math.min(done, Math.max(total, done)), Math.max(total, done));
    if (answer.lastSeq < (sent.at(-1)?.seq ?? 0)) {
      throw new AppError('internal', '中心服务器未处理全部推送的修改，请稍后再试');
    }
  }
}
