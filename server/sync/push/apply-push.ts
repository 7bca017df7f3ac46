import { sql } from 'drizzle-orm';

import type { PushResponse } from '../../../shared/sync/protocol';
import type { parkedOps } from '../../db/schema';
import type { ServerDb } from '../../db/store';
import { serverTable } from '../tables';

import { authoriseDevice } from './authorise-device';
import { checkAndApply } from './check-op';
import { staticProblem } from './op-shape';
import { recordOutcome } from './record-outcome';
import { answerResent, splitBySeq } from './sequence';
import type { ConflictRecord, Park, PushContext } from './types';
import type { PushInput } from './validate-envelope';
import { prefetch, WorkingSet } from './working-set';
import { storable, writeBack } from './write-back';

/**
 * Applying a device's ops (push). Every push runs in ONE transaction that:
 * 1. takes the store-wide push lock (a transaction-scoped advisory lock);
 * 2. reads the device's lastSeq: ops at or below it were processed before and are answered again
 *    without effect; the first new op must be lastSeq + 1, and the new ops must follow each other
 *    without a gap (else 409: a reordered or lost batch must not be skipped silently);
 * 3. checks each new op — shape, table, row id, clock, field types, scope, role, immutability —
 *    and parks the ones it refuses, with the reason, without stopping the ops after them;
 * 4. merges each accepted op field by field, last writer by hybrid clock wins; a losing value of
 *    a concurrent edit is kept in `conflicts`;
 * 5. writes every changed row with a new server_seq, the conflicts, the parked ops and the
 *    device's new lastSeq — all in the same transaction, so a crash loses the whole push or
 *    nothing, and a retried push is idempotent.
 *
 * Why the lock: pull pages by server_seq. If two pushes took sequence numbers concurrently, the
 * later number could commit first and a pull would move its cursor past the earlier one before
 * it became visible — that change would never reach the device. Holding the lock while taking
 * numbers and until commit makes commit order equal sequence order, for every process sharing
 * the database. Pushes are short (one batch, a handful of statements), so serializing them costs
 * little; pulls, logins and uploads never take it.
 */

const PUSH_LOCK = 7_041_900_002;

/** Applies one push for an authenticated device; see the module comment for the guarantees. */
export async function applyPush(
  db: ServerDb,
  input: PushInput,
  ctx: PushContext,
): Promise<PushResponse> {
  // What an op's own content says of it (shape, text, size) is checked before the lock: a push of
  // hostile megabytes must not hold every other device's push waiting.
  const statics = new Map<number, Park | null>();
  for (const c of input.ops) {
    const table = c.op ? serverTable(c.op.table) : undefined;
    if (c.op && table) statics.set(c.seq, staticProblem(c.op, table, ctx.now));
  }
  return db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${PUSH_LOCK})`);
    const now = new Date(ctx.now);

    const { lastSeq, seenSeq } = await authoriseDevice(tx, input, ctx, now);
    const { resent, fresh } = splitBySeq(input.ops, lastSeq);
    const { accepted, parked } = await answerResent(tx, input, resent);

    const ws = new WorkingSet(tx);
    await prefetch(
      ws,
      fresh.flatMap((c) => (c.op ? [c.op] : [])),
    );
    const conflictRecords: ConflictRecord[] = [];
    const parkedRows: (typeof parkedOps.$inferInsert)[] = [];
    for (const c of fresh) {
      let park: Park | null;
      if (!c.op) {
        park = { code: 'invalid', reason: `操作格式不正确：${c.problem ?? ''}` };
      } else {
        const table = serverTable(c.op.table);
        park = !table
          ? {
              code: 'unknown_table',
              reason: `服务器不认识表“${c.op.table}”（可能来自更新版本的应用）；操作已保留，服务器升级后可重新处理`,
            }
          : (statics.get(c.seq) ??
            (await checkAndApply(ws, c.op, table, ctx, seenSeq, conflictRecords)));
      }
      if (park) {
        parked.push({ opId: c.opId, seq: c.seq, reason: park.reason });
        parkedRows.push({
          deviceId: input.deviceId,
          seq: c.seq,
          opId: storable(c.opId) as string,
          userId: ctx.user.id,
          op: storable(c.raw),
          code: park.code,
          reason: storable(park.reason) as string,
          at: now,
        });
      } else {
        accepted.push(c);
      }
    }

    await writeBack(tx, ws, now);
    const newLastSeq = await recordOutcome(tx, input, ctx, now, {
      fresh,
      lastSeq,
      conflictRecords,
      parkedRows,
    });

    accepted.sort((a, b) => a.seq - b.seq);
    parked.sort((a, b) => a.seq - b.seq);
    return { accepted: accepted.map((c) => c.opId), parked, lastSeq: newLastSeq };
  });
}
