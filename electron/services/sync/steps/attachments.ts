/**
 * Steps 4 and 6 of a run, the files: upload the files the server lacks, in chunks, resuming where
 * it stopped; download the files of pulled rows that are missing here, verified by SHA-256.
 */

import fs from 'node:fs';

import {
  getFileTransfer,
  listNeededFiles,
  listPendingDownloads,
  listUploadCandidates,
  setFileTransfer,
} from '../../../../db/repositories/sync';
import { CHUNK_BYTES_MAX } from '../../../../shared/sync/protocol';
import { attachmentPath, readStoredFile, sha256, storeFile } from '../../attachments';
import type { AppContext } from '../../context';
import { SyncHttpError } from '../../sync-http';

import { toAppError } from '../errors';
import { heartbeat, type RunEnv } from '../options';
import { call } from '../retry';

const MISSING_QUERY_MAX = 5000;

function hasLocalFile(ctx: AppContext, hash: string, size: number): boolean {
  try {
    return fs.statSync(attachmentPath(ctx.dataDir, hash)).size === size;
  } catch {
    return false;
  }
}

export async function uploadFiles(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const candidates = listUploadCandidates(ctx.db).filter((c) =>
    hasLocalFile(ctx, c.sha256, c.size),
  );
  if (candidates.length === 0) return;
  const now = () => ctx.device.now();
  const todo: { sha256: string; size: number; received: number }[] = [];
  for (let i = 0; i < candidates.length; i += MISSING_QUERY_MAX) {
    const slice = candidates.slice(i, i + MISSING_QUERY_MAX);
    const answer = await call(run, () => run.transport.missing(slice.map((c) => c.sha256)));
    const missing = new Map(answer.missing.map((m) => [m.sha256, m.received]));
    for (const c of slice) {
      const received = missing.get(c.sha256);
      if (received === undefined) {
        setFileTransfer(
          ctx.db,
          {
            sha256: c.sha256,
            direction: 'up',
            size: c.size,
            doneBytes: c.size,
            status: 'done',
            error: null,
          },
          now(),
        );
      } else {
        todo.push({ ...c, received });
      }
    }
  }
  const total = todo.reduce((n, t) => n + t.size - t.received, 0);
  let done = 0;
  run.progress('上传附件', 0, total);
  for (const t of todo) {
    let data: Buffer;
    try {
      data = readStoredFile(ctx.dataDir, t.sha256);
    } catch (e) {
      setFileTransfer(
        ctx.db,
        {
          sha256: t.sha256,
          direction: 'up',
          size: t.size,
          doneBytes: 0,
          status: 'failed',
          error: toAppError(e).message,
        },
        now(),
      );
      continue;
    }
    let offset = Math.min(t.received, data.length);
    const start = offset;
    let restarts = 0;
    let refused: string | null = null;
    /** Records how far this file's upload got (the bytes up to `offset`). */
    const recordUpload = (status: 'done' | 'pending' | 'failed', error: string | null): void =>
      setFileTransfer(
        ctx.db,
        { sha256: t.sha256, direction: 'up', size: data.length, doneBytes: offset, status, error },
        now(),
      );
    for (;;) {
      const chunk = data.subarray(offset, offset + CHUNK_BYTES_MAX);
      let answer;
      try {
        answer = await call(run, () => run.transport.upload(t.sha256, offset, data.length, chunk));
      } catch (e) {
        // The server has another offset (a chunk whose answer was lost): go on from there.
        if (
          e instanceof SyncHttpError &&
          e.status === 409 &&
          typeof e.detail.received === 'number'
        ) {
          offset = Math.min(e.detail.received, data.length);
          continue;
        }
        // The whole file arrived but did not match its hash (damaged on the way): start over once.
        if (e instanceof SyncHttpError && e.status === 422 && restarts === 0) {
          restarts++;
          offset = 0;
          continue;
        }
        // No record the store holds for this account uses the file (the op that would was parked,
        // or waits for its parent): kept with why, tried again at the next run; the others go on.
        if (e instanceof SyncHttpError && e.status === 403) {
          refused = e.message;
          break;
        }
        throw e;
      }
      offset = answer.received;
      recordUpload(answer.complete ? 'done' : 'pending', null);
      run.progress('上传附件', Math.min(total, done + offset - start), total);
      if (answer.complete) break;
    }
    if (refused !== null) {
      recordUpload('failed', refused);
      done += data.length - start;
      continue;
    }
    done += data.length - start;
    run.summary.uploadedFiles++;
    run.summary.uploadedBytes += data.length - start;
    heartbeat(run);
  }
}

export async function downloadFiles(run: RunEnv): Promise<void> {
  const { ctx } = run;
  const now = () => ctx.device.now();
  // Files a record here uses whose bytes are not here: queue them.
  const mimeOf = new Map<string, string>();
  for (const f of listNeededFiles(ctx.db)) {
    mimeOf.set(f.sha256, f.mimeType);
    if (hasLocalFile(ctx, f.sha256, f.size)) continue;
    const t = getFileTransfer(ctx.db, f.sha256, 'down');
    if (!t || t.status === 'done') {
      setFileTransfer(
        ctx.db,
        {
          sha256: f.sha256,
          direction: 'down',
          size: f.size,
          doneBytes: 0,
          status: 'pending',
          error: null,
        },
        now(),
      );
    }
  }
  const pending = listPendingDownloads(ctx.db);
  const total = pending.reduce((n, p) => n + p.size, 0);
  let done = 0;
  run.progress('下载附件', 0, total);
  for (const p of pending) {
    const mime = mimeOf.get(p.sha256);
    if (mime === undefined || hasLocalFile(ctx, p.sha256, p.size)) {
      // No longer needed here (the use is gone), or the bytes came another way (a bundle).
      markFileHere(ctx, p.sha256, p.size);
      continue;
    }
    /** Records that this file did not arrive: to try again (pending), or failed. */
    const recordFailedDownload = (status: 'pending' | 'failed', error: string): void =>
      setFileTransfer(
        ctx.db,
        { sha256: p.sha256, direction: 'down', size: p.size, doneBytes: 0, status, error },
        now(),
      );
    let data: Buffer;
    try {
      data = await call(run, () => run.transport.download(p.sha256));
    } catch (e) {
      if (e instanceof SyncHttpError && (e.status === 404 || e.status === 403)) {
        // 404: the device that has the file has not uploaded it yet; try again next time.
        recordFailedDownload(e.status === 404 ? 'pending' : 'failed', e.message);
        continue;
      }
      throw e;
    }
    if (sha256(data) !== p.sha256 || data.length !== p.size) {
      recordFailedDownload('pending', '下载的文件与摘要不符（传输中损坏），下次同步时重新下载');
      continue;
    }
    storeFile(ctx.dataDir, data, mime);
    markFileHere(ctx, p.sha256, p.size, true);
    done += data.length;
    run.summary.downloadedFiles++;
    run.summary.downloadedBytes += data.length;
    run.progress('下载附件', done, total);
    heartbeat(run);
  }
}

/** The bytes are here and verified: nothing to download (and, from the server, nothing to upload). */
function markFileHere(ctx: AppContext, hash: string, size: number, fromServer = false): void {
  const done = { sha256: hash, size, doneBytes: size, status: 'done', error: null } as const;
  setFileTransfer(ctx.db, { ...done, direction: 'down' }, ctx.device.now());
  if (fromServer) setFileTransfer(ctx.db, { ...done, direction: 'up' }, ctx.device.now());
}
