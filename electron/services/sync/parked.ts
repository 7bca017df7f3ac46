/**
 * What waits for the user after a run: parked ops (send again, or stop listing them), relayed
 * bundle ops the store refused or parked, and field conflicts (keep the local or the remote value).
 */

import { writeChanges } from '../../../db/changes';
import {
  discardParkedOps,
  dismissRelayParked,
  getConflict,
  markConflictResolved,
  requeueParked,
  rowExists,
  unblockRelay,
} from '../../../db/repositories/sync';
import { isSyncedTable } from '../../../db/synced-tables';
import { AppError } from '../../../shared/api/errors';
import type { SyncStatus } from '../../../shared/sync/status';
import type { AppContext } from '../context';

import { publish } from './status';

/** Sends parked ops again (as new ops with the same values and clocks) at the next sync. */
export function retryParked(ctx: AppContext, opIds: readonly string[]): SyncStatus {
  requeueParked(ctx.db, ctx.device, opIds, ctx.device.now());
  return publish(ctx);
}

/**
 * Stops listing parked ops. Nothing is deleted: the op stays in the outbox and in sync_parked,
 * marked discarded, with its values, and the row keeps whatever value it has — until a scope
 * exit that waited for the op removes this device's copy of a row outside the account's city.
 */
export function discardParked(ctx: AppContext, opIds: readonly string[]): SyncStatus {
  discardParkedOps(ctx.db, opIds, ctx.device.now());
  return publish(ctx);
}

/**
 * A bundle's ops the store would not take from this account (or that waited for a missing
 * bundle): relayed again at the next run.
 */
export function retryRelay(ctx: AppContext, deviceId: string): SyncStatus {
  unblockRelay(ctx.db, deviceId, ctx.device.now());
  return publish(ctx);
}

/**
 * A bundle's ops the store parked: no longer listed here. Only the device they came from can
 * send them again (the store numbers them in its sequence); it still holds them, and its next
 * sync shows them parked with the reason.
 */
export function dismissRelay(ctx: AppContext, deviceId: string): SyncStatus {
  dismissRelayParked(ctx.db, deviceId, ctx.device.now());
  return publish(ctx);
}

/**
 * Settles a conflict. The chosen value is written again through writeChanges (a new op with a
 * new clock), so it wins everywhere once synced; if the row already holds it, nothing is written.
 */
export function resolveConflict(
  ctx: AppContext,
  id: string,
  choice: 'local' | 'remote',
): SyncStatus {
  const c = getConflict(ctx.db, id);
  if (!c) throw new AppError('not_found', '没有这条冲突记录');
  if (c.resolvedAt !== null) throw new AppError('conflict', '这条冲突已经处理过了');
  if (!isSyncedTable(c.table)) throw new AppError('conflict', `本版本不认识表“${c.table}”`);
  const table = c.table;
  const value = choice === 'local' ? c.localValue : c.remoteValue;
  try {
    writeChanges(ctx.db, ctx.device, (changes) => {
      if (rowExists(ctx.db, table, c.rowId)) changes.update(table, c.rowId, { [c.field]: value });
      markConflictResolved(ctx.db, c, choice, ctx.device.now());
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_TRIGGER') {
      throw new AppError('conflict', (e as Error).message);
    }
    throw e;
  }
  return publish(ctx);
}
