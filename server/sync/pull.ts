import { eq, sql, type SQL } from 'drizzle-orm';

import { REGION_SCOPE } from '../../shared/sync/protocol';
import type { AuthUser } from '../auth/tokens';
import { conflicts, devices, rows, scopeExits } from '../db/schema';
import { query, type ServerDb } from '../db/store';
import { SyncFailure } from '../errors';

/**
 * Pull: every row whose server_seq is past the cursor and that the user may see (their city's
 * rows and the region-wide ones; everything for a region account), oldest change first, as whole
 * row states — all fields with their clocks — so a device applies each with the same per-field
 * last-writer-wins it uses locally, and a new device (cursor null) gets a snapshot page by page.
 * The cursor is the last server_seq returned, as a decimal string; push/apply-push.ts's lock guarantees that
 * no change can later appear below a cursor a pull has handed out.
 *
 * The cursor handed out is remembered as what the device has seen (seen_seq): a later push of
 * this device that overwrites a field another device wrote after that point is recorded as a
 * conflict (see push/check-op.ts). A page lost on the way only costs a conflict record, never a value.
 */

export function parseCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  if (!/^\d{1,15}$/.test(cursor)) throw new SyncFailure('invalid_input', '同步游标无效');
  return Number(cursor);
}

/**
 * One pull page as the JSON text of a PullResponse, built by the database in one aggregate: the
 * rows' jsonb values and clocks go out as the text PostgreSQL writes, and the server process
 * handles one string per page instead of parsing 1,000 rows into objects and serializing them
 * again (a first pull of 50,000 enterprises is 100+ such pages).
 */
export async function pullPageJson(
  db: ServerDb,
  user: AuthUser,
  request: { deviceId: string; cursor: string | null; limit: number },
  now: number,
  options: {
    compactClocks?: boolean;
    /** false: the store's own read (a snapshot being built), not a device's pull to note. */
    record?: boolean;
  } = {},
): Promise<string> {
  const after = parseCursor(request.cursor);
  // A row whose fields all carry one stamp: {"*": stamp} to a device that reads it. Only text
  // stamps are folded (min and max would skip a null), so a damaged clock still shows as it is.
  const clocksText = options.compactClocks
    ? sql`coalesce((SELECT CASE WHEN bool_and(jsonb_typeof(e.value) = 'string')
            AND min(e.value #>> '{}') = max(e.value #>> '{}')
          THEN '{"*":' || to_json(min(e.value #>> '{}'))::text || '}' END
        FROM jsonb_each(c) AS e), c::text)`
    : sql`c::text`;
  // ONE snapshot for the rows, the conflicts and the exits: the cursor may move past the last
  // row to a conflict's or an exit's number, which is only safe if no push that committed
  // between the queries can have rows below it.
  const { page, position, lost, left } = await db.transaction(
    async (txDb) => {
      const tx = txDb as unknown as ServerDb;
      const visible =
        user.scope === REGION_SCOPE
          ? sql`true`
          : sql`(city_code = ${user.scope} OR city_code IS NULL)`;
      const [page] = await query<{
        n: number | string;
        last: number | string | null;
        body: string;
      }>(
        tx,
        sql`
        WITH page AS (
          SELECT table_name, row_id, ${rows.values} AS v, ${rows.clocks} AS c, server_seq,
            row_number() OVER (ORDER BY server_seq) AS rn
          FROM ${rows}
          WHERE server_seq > ${after} AND ${visible}
          ORDER BY server_seq
          LIMIT ${request.limit + 1}
        )
        SELECT count(*) AS n,
          max(server_seq) FILTER (WHERE rn <= ${request.limit}) AS last,
          coalesce(string_agg(
            '{"table":' || to_json(table_name)::text || ',"rowId":' || to_json(row_id)::text
              || ',"values":' || v::text || ',"clocks":' || ${clocksText} || '}',
            ',' ORDER BY server_seq) FILTER (WHERE rn <= ${request.limit}), '') AS body
        FROM page`,
      );
      const position: Position = {
        more: Number(page?.n ?? 0) > request.limit,
        cursor: page?.last === null || page?.last === undefined ? after : Number(page.last),
      };
      // This device's values that lost on the server.
      const lost = await alongside(
        tx,
        position,
        request.limit,
        (bound) =>
          sql`SELECT server_seq AS seq, json_build_object('id', id, 'table', table_name,
            'rowId', row_id, 'field', field, 'losingValue', losing_value,
            'losingClock', losing_clock, 'winningClock', winning_clock)::text AS json
          FROM ${conflicts}
          WHERE device_id = ${request.deviceId} AND server_seq > ${after} ${bound}
          ORDER BY server_seq`,
      );
      // Enterprises that left this account's city (a region account sees every city).
      const left =
        user.scope === REGION_SCOPE
          ? []
          : await alongside(
              tx,
              position,
              request.limit,
              (bound) =>
                sql`SELECT server_seq AS seq, to_json(enterprise_id)::text AS json
                FROM ${scopeExits}
                WHERE city_code = ${user.scope} AND server_seq > ${after} ${bound}
                ORDER BY server_seq`,
            );
      return { page, position, lost, left };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
  const { cursor, more } = position;
  if (options.record !== false) await noteSeen(db, request.deviceId, cursor, now);
  const upTo = (items: Sequenced[]) =>
    items
      .filter((i) => Number(i.seq) <= cursor)
      .map((i) => i.json)
      .join(',');
  return `{"changes":[${page?.body ?? ''}],"conflicts":[${upTo(lost)}],"leftScope":[${upTo(left)}],"cursor":"${cursor}","more":${more}}`;
}

/**
 * Remembers that a device has seen the store up to `cursor` (a pull page, a snapshot): a later
 * push of it that overwrites a value written after that point is recorded as a conflict.
 */
export async function noteSeen(
  db: ServerDb,
  deviceId: string,
  cursor: number,
  now: number,
): Promise<void> {
  await db
    .update(devices)
    .set({ seenSeq: sql`greatest(${devices.seenSeq}, ${cursor})`, lastPullAt: new Date(now) })
    .where(eq(devices.deviceId, deviceId));
}

interface Position {
  cursor: number;
  more: boolean;
}

interface Sequenced {
  seq: number | string;
  json: string;
}

/**
 * Records that travel beside the rows in the same sequence (conflicts, scope exits): those up to
 * the page's cursor while more rows wait, else all that came after (the cursor then moves past
 * them). More than a page of them shortens the page: its rows after the new cursor come again,
 * and applying a row twice changes nothing.
 */
async function alongside(
  db: ServerDb,
  position: Position,
  limit: number,
  select: (bound: SQL) => SQL,
): Promise<Sequenced[]> {
  const bound = position.more ? sql`AND server_seq <= ${position.cursor}` : sql``;
  const found = await query<Sequenced>(db, sql`${select(bound)} LIMIT ${limit + 1}`);
  const taken = found.slice(0, limit);
  const last = taken.at(-1);
  if (!last) return taken;
  if (found.length > limit) {
    position.cursor = Number(last.seq);
    position.more = true;
  } else if (!position.more) {
    position.cursor = Math.max(position.cursor, Number(last.seq));
  }
  return taken;
}
