/**
 * Files on their way: attachment uploads and downloads by SHA-256, with how far each got, and
 * which files the device must send or fetch.
 */

import { prepare } from '../../changes';
import type { Db } from '../../client';

export type FileDirection = 'up' | 'down';

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
  const r = prepare(
    db.sqlite,
    'SELECT sha256, direction, size, done_bytes, status, error FROM sync_files WHERE sha256 = ? AND direction = ?',
  ).get(sha256, direction) as
    | {
        sha256: string;
        direction: FileDirection;
        size: number;
        done_bytes: number;
        status: FileTransfer['status'];
        error: string | null;
      }
    | undefined;
  return r
    ? {
        sha256: r.sha256,
        direction: r.direction,
        size: r.size,
        doneBytes: r.done_bytes,
        status: r.status,
        error: r.error,
      }
    : undefined;
}

/** Stored files (attachments rows) the central store is not known to hold whole yet. */
export function listUploadCandidates(db: Db): { sha256: string; size: number }[] {
  return prepare(
    db.sqlite,
    `SELECT a.id AS sha256, a.size AS size FROM attachments a
      WHERE a.deleted = 0
        AND NOT EXISTS (SELECT 1 FROM sync_files f WHERE f.sha256 = a.id AND f.direction = 'up' AND f.status = 'done')
      ORDER BY a.created_at, a.id`,
  ).all() as { sha256: string; size: number }[];
}

/**
 * Stored files this device needs the bytes of: those a live evidence use here refers to (rows of
 * files used only in another city's records are region-wide metadata, not worth downloading).
 * The caller checks which are missing on disk.
 */
export function listNeededFiles(db: Db): { sha256: string; size: number; mimeType: string }[] {
  return prepare(
    db.sqlite,
    `SELECT a.id AS sha256, a.size AS size, a.mime_type AS mimeType FROM attachments a
      WHERE a.deleted = 0
        AND EXISTS (SELECT 1 FROM attachment_uses u WHERE u.attachment_id = a.id AND u.deleted = 0)
      ORDER BY a.created_at, a.id`,
  ).all() as { sha256: string; size: number; mimeType: string }[];
}

export function listPendingDownloads(db: Db): { sha256: string; size: number }[] {
  return prepare(
    db.sqlite,
    `SELECT sha256, size FROM sync_files WHERE direction = 'down' AND status <> 'done' ORDER BY updated_at, sha256`,
  ).all() as { sha256: string; size: number }[];
}

export interface FileCounts {
  uploads: number;
  downloads: number;
  failed: number;
}

/** Files still to send or fetch (as the last run found them), and how many of those failed. */
export function countPendingFiles(db: Db): FileCounts {
  const rows = prepare(
    db.sqlite,
    `SELECT direction, count(*) AS n, sum(status = 'failed') AS failed FROM sync_files f
      WHERE status <> 'done'
        AND (direction = 'up' OR EXISTS (
          SELECT 1 FROM attachment_uses u WHERE u.attachment_id = f.sha256 AND u.deleted = 0))
      GROUP BY direction`,
  ).all() as { direction: FileDirection; n: number; failed: number | null }[];
  const up = rows.find((r) => r.direction === 'up');
  const down = rows.find((r) => r.direction === 'down');
  return {
    uploads: up?.n ?? 0,
    downloads: down?.n ?? 0,
    failed: (up?.failed ?? 0) + (down?.failed ?? 0),
  };
}
