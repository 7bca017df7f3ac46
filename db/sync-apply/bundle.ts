/**
 * The bundle entry point: another device's ops from a USB bundle applied as remote changes, each
 * op once.
 */

import type { SyncChange, SyncOp } from '../../shared/sync/protocol';

import type { Device } from '../changes';
import type { Db } from '../client';
import { importedOpIds, recordImportedOp } from '../repositories/sync';

import { applyChange } from './apply-change';
import { WAITING, replay } from './replay';
import { announced, finish, openSession, type ApplyResult } from './session';

/** The change an op makes: its values, each under the op's clock. */
export function opAsChange(op: Pick<SyncOp, 'table' | 'rowId' | 'values' | 'hlc'>): SyncChange {
  const clocks: Record<string, string> = {};
  for (const field of Object.keys(op.values)) clocks[field] = op.hlc;
  return { table: op.table, rowId: op.rowId, values: op.values, clocks };
}

export interface BundleApplyResult extends ApplyResult {
  /** Ops applied now. */
  applied: number;
  /** Ops this device had imported before (from an earlier import of the same bundle or another). */
  skipped: number;
}

/**
 * Applies another device's ops (from a USB bundle) as remote changes, in ONE transaction, each
 * op once: the op ids applied are kept per source device, so importing again changes nothing.
 * The device's clock moves past the ops' stamps, but never beyond `clockLimitMs` (a device
 * with a clock far ahead must not drag this one along).
 */
export function applyBundleOps(
  db: Db,
  device: Device,
  sourceDeviceId: string,
  ops: readonly SyncOp[],
  clockLimitMs: number,
): BundleApplyResult {
  return announced(
    db,
    db.sqlite
      .transaction(() => {
        const s = openSession(db, device, `bundle:${sourceDeviceId}`, true);
        const done = importedOpIds(
          db,
          sourceDeviceId,
          ops.map((o) => o.opId),
        );
        const fresh = ops.filter((o) => !done.has(o.opId));
        for (const op of [...fresh].sort((a, b) => a.seq - b.seq)) {
          applyChange(s, opAsChange(op));
          recordImportedOp(db, sourceDeviceId, op.opId, op.seq, s.now);
        }
        replay(s, WAITING);
        s.holdFinalize = false;
        replay(s, ['finalize', ...WAITING]);
        return {
          ...finish(db, s, clockLimitMs),
          applied: fresh.length,
          skipped: ops.length - fresh.length,
        };
      })
      .immediate(),
  );
}
