import { listDeferred } from '../../../db/repositories/sync';
import {
  configureServer,
  discardParked,
  dismissRelay,
  login,
  logout,
  resolveConflict,
  retryParked,
  retryRelay,
  syncNow,
  syncStatus,
} from '../../services/sync';
import { safeFileName } from '../../../shared/file-name';
import { buildBundle, importBundle } from '../../services/sync-bundle';
import type { HandlerGroup } from '../types';

/**
 * Sync with the central store and by USB bundle (the 同步 screen). sync.run is a task: with a
 * taskId it emits task.progress in the phases 推送 and 拉取 (done/total in ops; total 0 while a
 * pull does not know how much remains) and 上传附件 and 下载附件 (in bytes); task.cancel stops it
 * between requests, keeping what was done. sync.status events follow every change of state.
 */
export const syncHandlers = {
  'sync.status': (_input, ctx) => syncStatus(ctx),
  'sync.configure': ({ server }, ctx) => configureServer(ctx, server),
  'sync.login': ({ username, password }, ctx) => login(ctx, { username, password }),
  'sync.logout': (_input, ctx) => logout(ctx),
  'sync.run': ({ taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, (task) =>
      syncNow(ctx, {
        ...(task.signal ? { signal: task.signal } : {}),
        onProgress: (p) => task.progress(p.phase, p.done, p.total),
      }),
    ),
  'sync.retryParked': ({ opIds }, ctx) => retryParked(ctx, opIds),
  'sync.discardParked': ({ opIds }, ctx) => discardParked(ctx, opIds),
  'sync.retryRelay': ({ deviceId }, ctx) => retryRelay(ctx, deviceId),
  'sync.dismissRelay': ({ deviceId }, ctx) => dismissRelay(ctx, deviceId),
  'sync.resolveConflict': ({ id, choice }, ctx) => resolveConflict(ctx, id, choice),
  'sync.listDeferred': ({ limit, offset }, ctx) => listDeferred(ctx.db, { limit, offset }),
  'sync.exportBundle': (_input, ctx) => {
    const bundle = buildBundle(ctx);
    return {
      fileName: bundle.fileName,
      dataBase64: bundle.data.toString('base64'),
      ops: bundle.ops,
      attachments: bundle.attachments,
      bytes: bundle.bytes,
    };
  },
  'sync.importBundle': ({ fileName, dataBase64 }, ctx) =>
    importBundle(ctx, Buffer.from(dataBase64, 'base64'), safeFileName(fileName)),
} satisfies HandlerGroup;
