/**
 * Where sync stands: the status read fresh from the database (a run another process left
 * unfinished shows as an error), and publish(), which tells the app the new status.
 */

import { pendingOpCount } from '../../../db/repositories/device';
import {
  countDeferred,
  countPendingFiles,
  listOpenConflicts,
  listOpenParked,
  readSyncSettings,
  relayCounts,
} from '../../../db/repositories/sync';
import type { SyncStatus } from '../../../shared/sync/status';
import type { AppContext } from '../context';

import { readCredential } from './token';

/** A run whose heartbeat is older than this is taken for dead (a closed app, a killed CLI). */
export const STALE_RUN_MS = 2 * 60_000;

/** Where sync stands, read fresh from the database (another process may have synced). */
export function syncStatus(ctx: AppContext): SyncStatus {
  const s = readSyncSettings(ctx.db);
  const credential = readCredential(ctx, s.token);
  const files = countPendingFiles(ctx.db);
  const parked = listOpenParked(ctx.db);
  const pendingOps = pendingOpCount(ctx.db);
  const relay = relayCounts(ctx.db);
  let state = s.state;
  let lastError = s.lastError;
  if (state === 'syncing' && (s.stateAt === null || ctx.device.now() - s.stateAt >= STALE_RUN_MS)) {
    state = 'error';
    lastError =
      '上次同步未正常结束（程序可能被关闭）；下次同步会从中断处继续，已完成的部分不会重复';
  }
  // A token this process cannot open: logged out, and why (the account is kept for the next login).
  if (credential.unreadable) lastError = credential.unreadable;
  const pendingAttachments = files.uploads + files.downloads;
  return {
    server: s.server,
    user:
      s.user && !credential.unreadable
        ? {
            username: s.user.username,
            displayName: s.user.displayName,
            role: s.user.role,
            scope: s.user.scope,
          }
        : null,
    deviceId: ctx.device.deviceId,
    lastSuccessAt: s.lastSuccessAt,
    lastAttemptAt: s.lastAttemptAt,
    pendingOps,
    pendingAttachments,
    pendingUploads: files.uploads,
    pendingDownloads: files.downloads,
    parked: parked.map((p) => ({
      opId: p.opId,
      seq: p.seq,
      table: p.table,
      rowId: p.rowId,
      values: p.values ?? {},
      reason: p.reason,
      parkedAt: p.parkedAt,
      status: p.status === 'retrying' ? 'retrying' : 'parked',
    })),
    conflicts: listOpenConflicts(ctx.db).map((c) => ({
      id: c.id,
      table: c.table,
      rowId: c.rowId,
      field: c.field,
      localValue: c.localValue,
      localClock: c.localClock,
      remoteValue: c.remoteValue,
      remoteClock: c.remoteClock,
      winner: c.winner,
      source: c.source,
      createdAt: c.createdAt,
    })),
    deferred: countDeferred(ctx.db).byReason,
    relay,
    state,
    lastError,
    credentialProtection: credential.protection,
    upToDate:
      state === 'idle' &&
      lastError === null &&
      s.lastSuccessAt !== null &&
      pendingOps === 0 &&
      pendingAttachments === 0 &&
      parked.length === 0 &&
      relay.pending === 0 &&
      !relay.problems.some((p) => p.status === 'blocked'),
  };
}

export function publish(ctx: AppContext): SyncStatus {
  const status = syncStatus(ctx);
  ctx.events.emit('sync.status', status);
  return status;
}
