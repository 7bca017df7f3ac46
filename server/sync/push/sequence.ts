import { and, eq, inArray } from 'drizzle-orm';

import type { ParkedOp } from '../../../shared/sync/protocol';
import { parkedOps, pushedOps, relayedOps } from '../../db/schema';
import type { ServerDb } from '../../db/store';
import { SyncFailure } from '../../errors';

import type { Candidate } from './validate-envelope';

/**
 * Where a push stands in its device's sequence, under the lock: ops at or below the device's
 * lastSeq were processed before and are answered again as they were the first time, without
 * effect; the first new op must be lastSeq + 1 and the new ones must follow without a gap (else
 * 409: a reordered or lost batch must not be skipped silently).
 */

/** The push's ops split into those processed before (resent) and the new ones (fresh). */
export function splitBySeq(
  ops: Candidate[],
  lastSeq: number,
): { resent: Candidate[]; fresh: Candidate[] } {
  const resent = ops.filter((c) => c.seq <= lastSeq);
  const fresh = ops.filter((c) => c.seq > lastSeq);
  let expected = lastSeq + 1;
  for (const c of fresh) {
    if (c.seq !== expected) {
      throw new SyncFailure(
        'conflict',
        `操作序号不连续：服务器已处理到第 ${lastSeq} 条，本次应从第 ${lastSeq + 1} 条开始连续发送（收到第 ${c.seq} 条）`,
        { lastSeq },
      );
    }
    expected++;
  }
  return { resent, fresh };
}

/** The answer to resent ops, as they were answered the first time. */
export async function answerResent(
  tx: ServerDb,
  input: { deviceId: string },
  resent: Candidate[],
): Promise<{ accepted: { seq: number; opId: string }[]; parked: ParkedOp[] }> {
  const accepted: { seq: number; opId: string }[] = [];
  const parked: ParkedOp[] = [];

  // Resent ops: answered as they were the first time.
  if (resent.length > 0) {
    const before = await tx
      .select({ seq: parkedOps.seq, reason: parkedOps.reason })
      .from(parkedOps)
      .where(
        and(
          eq(parkedOps.deviceId, input.deviceId),
          inArray(
            parkedOps.seq,
            resent.map((c) => c.seq),
          ),
        ),
      );
    const reasons = new Map(before.map((p) => [p.seq, p.reason]));
    const relayed = await tx
      .select({ seq: relayedOps.seq, opId: relayedOps.opId })
      .from(relayedOps)
      .where(
        and(
          eq(relayedOps.deviceId, input.deviceId),
          inArray(
            relayedOps.seq,
            resent.map((c) => c.seq),
          ),
        ),
      );
    const relayedIds = new Map(relayed.map((r) => [r.seq, r.opId]));
    const pushed = await tx
      .select({ seq: pushedOps.seq, opId: pushedOps.opId })
      .from(pushedOps)
      .where(
        and(
          eq(pushedOps.deviceId, input.deviceId),
          inArray(
            pushedOps.seq,
            resent.map((c) => c.seq),
          ),
        ),
      );
    const pushedIds = new Map(pushed.map((r) => [r.seq, r.opId]));
    for (const c of resent) {
      const other = relayedIds.get(c.seq);
      if (other !== undefined && other !== c.opId) {
        parked.push({
          opId: c.opId,
          seq: c.seq,
          reason: `中心库的第 ${c.seq} 条已由同步包转交了另一条修改（同步包可能来自这台设备的旧备份）；这条未应用，可重试`,
        });
        continue;
      }
      // Only the op the store received under this seq is acknowledged again. (Seqs processed
      // before the store kept op ids, server migration 0007, have no record and are answered as then.)
      const stored = pushedIds.get(c.seq);
      if (stored !== undefined && stored !== c.opId) {
        parked.push({
          opId: c.opId,
          seq: c.seq,
          reason: `中心库记录的本设备第 ${c.seq} 条是另一条修改（设备的数据可能来自旧备份，或编号被他人占用）；这条未被采用，已保留在本机，请联系管理员`,
        });
        continue;
      }
      const reason = reasons.get(c.seq);
      if (reason !== undefined) parked.push({ opId: c.opId, seq: c.seq, reason });
      else accepted.push(c);
    }
  }

  return { accepted, parked };
}
