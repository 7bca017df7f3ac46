import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';

import { REGION_SCOPE, type PullResponse } from '../../shared/sync/protocol';
import type { AuthUser } from '../auth/tokens';
import { devices, rows } from '../db/schema';
import type { ServerDb } from '../db/store';
import { SyncFailure } from '../errors';

/**
 * Pull: every row whose server_seq is past the cursor and that the user may see (their city's
 * rows and the region-wide ones; everything for a region account), oldest change first, as whole
 * row states — all fields with their clocks — so a device applies each with the same per-field
 * last-writer-wins it uses locally, and a new device (cursor null) gets a snapshot page by page.
 * The cursor is the last server_seq returned, as a decimal string; push.ts's lock guarantees that
 * no change can later appear below a cursor a pull has handed out.
 *
 * The cursor handed out is remembered as what the device has seen (seen_seq): a later push of
 * this device that overwrites a field another device wrote after that point is recorded as a
 * conflict (see push.ts). A page lost on the way only costs a conflict record, never a value.
 */

export function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new SyncFailure('invalid_input', '同步游标无效');
  return Number(cursor);
}

export async function pullChanges(
  db: ServerDb,
  user: AuthUser,
  request: { deviceId: string; cursor: string | null; limit: number },
  now: number,
): Promise<PullResponse> {
  const after = parseCursor(request.cursor);
  const visible =
    user.scope === REGION_SCOPE
      ? undefined
      : or(eq(rows.cityCode, user.scope), isNull(rows.cityCode));
  const page = await db
    .select({
      table: rows.tableName,
      rowId: rows.rowId,
      values: rows.values,
      clocks: rows.clocks,
      serverSeq: rows.serverSeq,
    })
    .from(rows)
    .where(and(gt(rows.serverSeq, after), visible))
    .orderBy(asc(rows.serverSeq))
    .limit(request.limit + 1);
  const more = page.length > request.limit;
  const changes = more ? page.slice(0, request.limit) : page;
  const last = changes[changes.length - 1];
  const cursor = last ? last.serverSeq : after;
  await db
    .update(devices)
    .set({ seenSeq: sql`greatest(${devices.seenSeq}, ${cursor})`, lastPullAt: new Date(now) })
    .where(eq(devices.deviceId, request.deviceId));
  return {
    changes: changes.map((c) => ({
      table: c.table,
      rowId: c.rowId,
      values: c.values,
      clocks: c.clocks,
    })),
    cursor: String(cursor),
    more,
  };
}
