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

/**
 * One pull page as the JSON text of a PullResponse. The rows' values and clocks are read from
 * jsonb as text and spliced in as they are: a page of a first pull (a snapshot of 50,000
 * enterprises is 100+ pages of 1,000 rows) is then never parsed into objects and serialized
 * again on the server.
 */
export async function pullPageJson(
  db: ServerDb,
  user: AuthUser,
  request: { deviceId: string; cursor: string | null; limit: number },
  now: number,
): Promise<string> {
  const page = await readPage(db, user, request, now);
  const parts: string[] = [];
  for (const c of page.changes) {
    parts.push(
      `{"table":${JSON.stringify(c.table)},"rowId":${JSON.stringify(c.rowId)},"values":${c.values},"clocks":${c.clocks}}`,
    );
  }
  return `{"changes":[${parts.join(',')}],"cursor":${JSON.stringify(page.cursor)},"more":${page.more}}`;
}

/** The same page as objects (tests and in-process callers). */
export async function pullChanges(
  db: ServerDb,
  user: AuthUser,
  request: { deviceId: string; cursor: string | null; limit: number },
  now: number,
): Promise<PullResponse> {
  return JSON.parse(await pullPageJson(db, user, request, now)) as PullResponse;
}

interface TextPage {
  changes: { table: string; rowId: string; values: string; clocks: string }[];
  cursor: string;
  more: boolean;
}

async function readPage(
  db: ServerDb,
  user: AuthUser,
  request: { deviceId: string; cursor: string | null; limit: number },
  now: number,
): Promise<TextPage> {
  const after = parseCursor(request.cursor);
  const visible =
    user.scope === REGION_SCOPE
      ? undefined
      : or(eq(rows.cityCode, user.scope), isNull(rows.cityCode));
  const page = await db
    .select({
      table: rows.tableName,
      rowId: rows.rowId,
      values: sql<string>`${rows.values}::text`,
      clocks: sql<string>`${rows.clocks}::text`,
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
