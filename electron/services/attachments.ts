import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { ChangeSet } from '../../db/changes';
import { PRIVATE_DIR, PRIVATE_FILE } from '../../db/client';
import { getAttachment, insertAttachment } from '../../db/repositories/attachments';
import { AppError } from '../../shared/api/errors';
import { EVIDENCE_MAX_BYTES } from '../../shared/domain/inspection';

import { replaceFile } from './atomic-file';
import type { AppContext } from './context';

/**
 * The file side of evidence: content-addressed storage under the data folder.
 *
 * A file is stored once, by its SHA-256, at dataDir/attachments/<first 2 hex>/<sha256>, however
 * many visits or answers use it. It is written to a temporary file, fsynced and renamed into
 * place (then the folder is fsynced) BEFORE its database row is written, so a crash can leave an
 * unused file behind but never a row without its file.
 */

export interface StoredFile {
  sha256: string;
  size: number;
  mimeType: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** ISO-BMFF brands of HEIC/HEIF still images (and image sequences). */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'heif']);

/**
 * The type of a file by its first bytes (magic numbers), never by its name: JPEG, PNG, WebP,
 * HEIC/HEIF or PDF; null for anything else.
 */
export function sniffMimeType(data: Buffer): string | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return 'image/jpeg';
  }
  if (data.length >= 8 && data.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (
    data.length >= 12 &&
    data.toString('latin1', 0, 4) === 'RIFF' &&
    data.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  if (data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp') {
    const brand = data.toString('latin1', 8, 12);
    if (HEIC_BRANDS.has(brand)) return 'image/heic';
    if (HEIF_BRANDS.has(brand)) return 'image/heif';
  }
  // The header opens the file (ISO 32000). Readers that look for it anywhere in the first KB
  // would take an HTML or script file with "%PDF-" in a comment for a PDF: not here.
  if (data.length >= 8 && /^%PDF-\d\.\d$/.test(data.toString('latin1', 0, 8))) {
    return 'application/pdf';
  }
  return null;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Checks a file offered as evidence; the message names the file and the reason. */
export function checkEvidenceFile(fileName: string, data: Buffer): string {
  if (data.length === 0) throw new AppError('invalid_input', `“${fileName}”是空文件，未保存`);
  if (data.length > EVIDENCE_MAX_BYTES) {
    throw new AppError(
      'invalid_input',
      `“${fileName}”有 ${megabytes(data.length)} MB，超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB 的上限，未保存`,
    );
  }
  const mimeType = sniffMimeType(data);
  if (!mimeType) {
    throw new AppError(
      'invalid_input',
      `“${fileName}”不是图片（JPEG、PNG、WebP、HEIC）或 PDF 文件（按文件内容判断，与扩展名无关），未保存`,
    );
  }
  return mimeType;
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Where the bytes of a stored file live. */
export function attachmentPath(dataDir: string, hash: string): string {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256: ${hash}`);
  return path.join(dataDir, 'attachments', hash.slice(0, 2), hash);
}

/** Flushes a folder's entries (a rename) to disk; not possible on every platform. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function holds(file: string, hash: string, size: number): boolean {
  try {
    if (fs.statSync(file).size !== size) return false;
    return sha256(fs.readFileSync(file)) === hash;
  } catch {
    return false;
  }
}

/**
 * Stores checked bytes under their hash and returns where. An intact copy already there is kept
 * (same content, same address); a damaged one is replaced. Synchronous, so it finishes before
 * the caller writes the row.
 */
export function storeFile(dataDir: string, data: Buffer, mimeType: string): StoredFile {
  const hash = sha256(data);
  const file = attachmentPath(dataDir, hash);
  if (!holds(file, hash, data.length)) {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    replaceFile(file, data, { mode: PRIVATE_FILE, fsync: true });
    fsyncDir(dir);
  }
  return { sha256: hash, size: data.length, mimeType };
}

/** Writes the attachment row of a stored file when its bytes are new to this device. */
export function insertAttachmentIfNew(ctx: AppContext, changes: ChangeSet, file: StoredFile): void {
  if (!getAttachment(ctx.db, file.sha256)) {
    insertAttachment(
      changes,
      file.sha256,
      { size: file.size, mimeType: file.mimeType },
      ctx.device.now(),
    );
  }
}

/** The bytes of a stored file, checked against its hash. */
export function readStoredFile(dataDir: string, hash: string): Buffer {
  const file = attachmentPath(dataDir, hash);
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('not_found', '附件文件不在本机（可能尚未同步过来）');
    }
    throw e;
  }
  if (sha256(data) !== hash) {
    throw new AppError('internal', `附件文件已损坏（${hash.slice(0, 12)}…内容与登记的不符）`);
  }
  return data;
}
