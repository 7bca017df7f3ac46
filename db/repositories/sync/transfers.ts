/**
 * Files on their way: attachment uploads and downloads by SHA-256, with how far each got, and
 * which files the device must send or fetch.
 */

import { prepare } from '../../prepared';
import type { Db } from '../../client';

import { num, numOrNull, oneOf, rowOf, rowsOf, text, textOrNull, type SqlRow } from './rows';

export type FileDirection = 'up' | 'down';

const DIRECTIONS: readonly FileDirection[] = ['up', 'down'];
const TRANSFER_STATUSES: readonly FileTransfer['status'][] = ['pending', 'done', 'failed'];

export interface FileTransfer {
  sha256: string;
  direction: FileDirection;
  size: number;
  doneBytes: number;
  status: 'pending' | 'done' | 'failed';
  error: string | null;
}

/** Sets a transfer's state (creating it); runs in the caller's transaction if there is one. */
export function setFileTransfer(db: Db, t: FileTransfer, now: number): void {
  prepare(
    db.sqlite,
    `INSERT INTO sync_files (sha256, direction, size, done_bytes, status, error, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(sha256, direction) DO UPDATE SET size = excluded.size, done_bytes = excluded.done_bytes,
       status = excluded.status, error = excluded.error, updated_at = excluded.updated_at`,
  ).run(t.sha256, t.direction, t.size, t.doneBytes, t.status, t.error, now);
}

export function getFileTransfer(
  db: Db,
  sha256: string,
  direction: FileDirection,
): FileTransfer | undefined {
  return rowOf(
    prepare(
      db.sqlite,
      'SELECT sha256, direction, size, done_bytes, status, error FROM sync_files WHERE sha256 = ? AND direction = ?',
    ).get(sha256, direction),
    (r) => ({
      sha256: text(r, 'sha256'),
      direction: oneOf(r, 'direction', DIRECTIONS),
      size: num(r, 'size'),
      doneBytes: num(r, 'done_bytes'),
      status: oneOf(r, 'status', TRANSFER_STATUSES),
      error: textOrNull(r, 'error'),
    }),
  );
}

/** A file's hash and size, from a row that names them sha256 and size. */
function fileSize(r: SqlRow): { sha256: string; size: number } {
  return { sha256: text(r, 'sha256'), size: num(r, 'size') };
}

/** Stored files (attachments rows) the central store is not known to hold whole yet. */
export function listUploadCandidates(db: Db): { sha256: string; size: number }[] {
  return rowsOf(
    prepare(
      db.sqlite,
      `SELECT a.id AS sha256, a.size AS size FROM attachments a
      WHERE a.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.sha256 = a.id AND f.direction = 'up' AND f.status = 'done')
      ORDER BY a.created_at, a.id`,
    ).all(),
    fileSize,
  );
}

/**
 * Stored files this device needs the bytes of: those a live evidence use here refers to (rows of
 * files used only in another city's records are region-wide metadata, not worth downloading).
 * The caller checks which are missing on disk.
 */
export function listNeededFiles(db: Db): { sha256: string; size: number; mimeType: string }[] {
  return rowsOf(
    prepare(
      db.sqlite,
      `SELECT a.id AS sha256, a.size AS size, a.mime_type AS mimeType FROM attachments a
      WHERE a.deleted = 0
        AND EXISTS (SELECT 1 FROM attachment_uses u WHERE u.attachment_id = a.id AND u.deleted = 0)
      ORDER BY a.created_at, a.id`,
    ).all(),
    (r) => ({ ...fileSize(r), mimeType: text(r, 'mimeType') }),
  );
}

export function listPendingDownloads(db: Db): { sha256: string; size: number }[] {
  return rowsOf(
    prepare(
      db.sqlite,
      `SELECT sha256, size FROM sync_files WHERE direction = 'down' AND status <> 'done' ORDER BY updated_at, sha256`,
    ).all(),
    fileSize,
  );
}

export interface FileCounts {
  uploads: number;
  downloads: number;
  failed: number;
}

/** Files still to send or fetch (as the last run found them), and how many of those failed. */
export function countPendingFiles(db: Db): FileCounts {
  const rows = rowsOf(
    prepare(
      db.sqlite,
      `SELECT direction, count(*) AS n, sum(status = 'failed') AS failed FROM sync_files f
      WHERE status <> 'done'
        AND (direction = 'up' OR EXISTS (
          SELECT 1 FROM attachment_uses u WHERE u.attachment_id = f.sha256 AND u.deleted = 0))
      GROUP BY direction`,
    ).all(),
    (r) => ({
      direction: oneOf(r, 'direction', DIRECTIONS),
      n: num(r, 'n'),
      failed: numOrNull(r, 'failed'),
    }),
  );
  const up = rows.find((r) => r.direction === 'up');
  const down = rows.find((r) => r.direction === 'down');
  return {
    uploads: up?.n ?? 0,
    downloads: down?.n ?? 0,
    failed: (up?.failed ?? 0) + (down?.failed ?? 0),
  };
}
