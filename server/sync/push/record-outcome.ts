import { eq, sql } from 'drizzle-orm';

import { conflicts, devices, parkedOps, pushedOps, relayedOps } from '../../db/schema';
import type { ServerDb } from '../../db/store';

import type { ConflictRecord, PushContext } from './types';
import type { Candidate, PushInput } from './validate-envelope';
import { storable } from './write-back';

/**
 * Step 6 of a push, in its transaction after the rows: the conflicts it recorded, the ops it
 * parked (with their reasons), the op ids it received under each seq (and, for a relay, that they
 * came relayed), and the device's new lastSeq, which it answers.
 */

export async function recordOutcome(
  tx: ServerDb,
  input: PushInput,
  ctx: PushContext,
  now: Date,
  outcome: {
    fresh: Candidate[];
    lastSeq: number;
    conflictRecords: ConflictRecord[];
    parkedRows: (typeof parkedOps.$inferInsert)[];
  },
): Promise<number> {
  const { fresh, lastSeq, conflictRecords, parkedRows } = outcome;
  if (conflictRecords.length > 0) {
    await tx.insert(conflicts).values(
      conflictRecords.map((r) => ({
        id: ctx.newId(),
        tableName: r.table,
        rowId: r.rowId,
        field: r.field,
        losingValue: r.losingValue,
        losingClock: r.losingClock,
        winningClock: r.winningClock,
        deviceId: r.deviceId,
        at: now,
        serverSeq: sql`nextval('server_seq')`,
      })),
    );
  }
  if (parkedRows.length > 0) {
    await tx.insert(parkedOps).values(parkedRows).onConflictDoNothing();
  }
  if (fresh.length > 0) {
    for (let i = 0; i < fresh.length; i += 1000) {
      await tx
        .insert(pushedOps)
        .values(
          fresh.slice(i, i + 1000).map((c) => ({
            deviceId: input.deviceId,
            seq: c.seq,
            opId: storable(c.opId) as string,
          })),
        )
        .onConflictDoNothing();
    }
  }
  if (ctx.relay && fresh.length > 0) {
    await tx
      .insert(relayedOps)
      .values(
        fresh.map((c) => ({
          deviceId: input.deviceId,
          seq: c.seq,
          opId: storable(c.opId) as string,
          userId: ctx.user.id,
          at: now,
        })),
      )
      .onConflictDoNothing();
  }
  const newLastSeq = fresh.length > 0 ? (fresh[fresh.length - 1] as Candidate).seq : lastSeq;
  await tx
    .update(devices)
    .set({ lastSeq: newLastSeq, lastPushAt: now })
    .where(eq(devices.deviceId, input.deviceId));
  return newLastSeq;
}
