import { sql } from 'drizzle-orm';

import { toWellFormed } from '../../../shared/text';
import { rows, scopeExits } from '../../db/schema';
import { query, type ServerDb } from '../../db/store';

import type { WorkingSet } from './working-set';

/**
 * Step 5 of a push: the working set's changed rows written back with new server_seq numbers,
 * with what a restore or a move to another city drags along (every row under the enterprise
 * numbered again, the old city's scope exit); and a refused op made storable beside its reason.
 */

/**
 * A refused op as jsonb can hold it, to keep beside its reason: U+0000 (which jsonb refuses)
 * written out as the text `\\u0000`, a lone surrogate (which jsonb refuses too) as U+FFFD, and
 * nesting past 64 levels cut (PostgreSQL's parser would overflow its stack).
 */
export function storable(raw: unknown, depth = 0): unknown {
  const text = (s: string) => toWellFormed(s).replaceAll('\u0000', '\\u0000');
  if (typeof raw === 'string') return text(raw);
  if (depth >= 64) return '（嵌套过深，未保存）';
  if (Array.isArray(raw)) return raw.map((v) => storable(v, depth + 1));
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[text(k)] = storable(v, depth + 1);
    return out;
  }
  return raw;
}

export async function writeBack(tx: ServerDb, ws: WorkingSet, now: Date): Promise<void> {
  if (ws.changed.length > 0) {
    const seqs = (
      await query<{ seq: string | number }>(
        tx,
        sql`SELECT nextval('server_seq') AS seq FROM generate_series(1, ${ws.changed.length})`,
      )
    )
      .map((r) => Number(r.seq))
      .sort((a, b) => a - b);
    const values = ws.changed.map((row, i) => {
      const seq = seqs[i] as number;
      for (const field of row.written) row.fieldSeqs[field] = seq;
      return {
        tableName: row.table,
        rowId: row.rowId,
        values: row.values,
        clocks: row.clocks,
        fieldSeqs: row.fieldSeqs,
        enterpriseId: row.enterpriseId,
        cityCode: row.cityCode,
        serverSeq: seq,
        updatedAt: now,
      };
    });
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(rows)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [rows.tableName, rows.rowId],
          set: {
            values: sql`excluded.values`,
            clocks: sql`excluded.clocks`,
            fieldSeqs: sql`excluded.field_seqs`,
            enterpriseId: sql`excluded.enterprise_id`,
            cityCode: sql`excluded.city_code`,
            serverSeq: sql`excluded.server_seq`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
  }
  // A row back from the 回收站: every row under its enterprise gets a new sequence number, after
  // the restore's own, so a device that purged them pulls them again (a child that arrives before
  // its parent waits for it in sync_deferred, as after a move).
  for (const enterpriseId of ws.restored) {
    await tx.execute(sql`
      UPDATE ${rows} SET server_seq = nextval('server_seq'), updated_at = ${now.toISOString()}::timestamptz
      WHERE enterprise_id = ${enterpriseId} AND table_name <> 'enterprises'`);
  }
  // An enterprise that moved to another city takes everything under it along, with new
  // sequence numbers so the new city's devices pull them.
  for (const [enterpriseId, from] of ws.moved) {
    const city = ws.peek('enterprises', enterpriseId)?.cityCode ?? null;
    if (city === null || city === from) continue; // moved and back within one push
    await tx.execute(sql`
      UPDATE ${rows} SET city_code = ${city}, server_seq = nextval('server_seq'),
        updated_at = ${now.toISOString()}::timestamptz
      WHERE enterprise_id = ${enterpriseId} AND table_name <> 'enterprises'
        AND city_code IS DISTINCT FROM ${city}`);
    // After the rows' new numbers: the old city's devices drop their copies, and should the
    // enterprise come back later, its rows arrive after this exit.
    await tx
      .insert(scopeExits)
      .values({ enterpriseId, cityCode: from, serverSeq: sql`nextval('server_seq')`, at: now });
  }
}
