import fs from 'node:fs';
import path from 'node:path';

import exifReader from 'exif-reader';
import sharp from 'sharp';

import { PRIVATE_DIR, PRIVATE_FILE } from '../../db/client';
import { AppError } from '../../shared/api/errors';
import type { PhotoInfo } from '../../shared/domain/inspection';

import { attachmentPath, readStoredFile } from './attachments';
import { replaceFile } from './atomic-file';

/**
 * Light photos. The original file stays the evidence (hashed, synced, never changed); each photo
 * also gets, once, on the device that shows or prints it:
 * - a thumbnail (480 px on the long edge) for screens,
 * - a print size (1600 px, JPEG) for PDFs, so a visit record with 50 phone photos stays small,
 * both with the EXIF orientation applied, and what its EXIF says of when and where it was taken.
 *
 * They live in dataDir/derived/<first 2 hex>/<sha256>.{thumb.jpg,print.jpg,json}: a cache any
 * device rebuilds from the original (they are not synced), written to a temporary file and
 * renamed, so a crash leaves a whole file or none. Decoding uses sharp (libvips, shipped in npm
 * packages, no network). A picture sharp cannot decode (an HEIC's HEVC codec is not in its
 * build) simply has no derivatives: screens and PDFs show its name instead, as before.
 */

export type PhotoVariant = 'thumb' | 'print';

export const THUMB_PX = 480;
export const PRINT_PX = 1600;
const QUALITY: Record<PhotoVariant, number> = { thumb: 72, print: 70 };
const SIZE: Record<PhotoVariant, number> = { thumb: THUMB_PX, print: PRINT_PX };

/** The formats sharp decodes here and which a person may add (HEIC/HEIF are tried, not checked). */
const CHECKED = new Set(['image/jpeg', 'image/png', 'image/webp']);
const TRIED = new Set([...CHECKED, 'image/heic', 'image/heif']);

/** Phone photos reach 50 MP; more than 100 MP is no photo (a decompression bomb). */
const MAX_PIXELS = 100_000_000;

function derivedPath(dataDir: string, sha256: string, suffix: string): string {
  const original = attachmentPath(dataDir, sha256); // checks the hash's form
  return path.join(dataDir, 'derived', sha256.slice(0, 2), `${path.basename(original)}.${suffix}`);
}

function writeAtomically(file: string, data: Buffer | string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  replaceFile(file, data, { mode: PRIVATE_FILE });
}

function pipeline(data: Buffer): sharp.Sharp {
  return sharp(data, { failOn: 'truncated', limitInputPixels: MAX_PIXELS });
}

function dms(v: unknown): number | null {
  if (!Array.isArray(v) || v.length !== 3 || !v.every((n) => typeof n === 'number')) return null;
  const [d, m, s] = v as [number, number, number];
  const deg = d + m / 60 + s / 3600;
  return Number.isFinite(deg) ? deg : null;
}

/**
 * When and where the photo was taken, from its EXIF: DateTimeOriginal is the camera's own clock
 * with no zone (exif-reader reads it as if UTC), so it is kept as the wall time it shows.
 */
export function photoInfoOf(exif: Buffer | undefined, width: number, height: number): PhotoInfo {
  const info: PhotoInfo = { width, height, takenAt: null, gps: null };
  if (!exif) return info;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(exif);
  } catch {
    return info; // damaged EXIF: the picture itself is fine
  }
  const original = tags.Photo?.DateTimeOriginal ?? tags.Image?.DateTime;
  if (original instanceof Date && !Number.isNaN(original.getTime())) {
    const iso = original.toISOString();
    info.takenAt = `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  const gps = tags.GPSInfo;
  const lat = dms(gps?.GPSLatitude);
  const lon = dms(gps?.GPSLongitude);
  if (lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
    info.gps = {
      lat: gps?.GPSLatitudeRef === 'S' ? -lat : lat,
      lon: gps?.GPSLongitudeRef === 'W' ? -lon : lon,
    };
  }
  return info;
}

async function render(data: Buffer, variant: PhotoVariant): Promise<Buffer> {
  return pipeline(data)
    .rotate() // EXIF orientation applied; the output carries no EXIF (no GPS leaks into copies)
    .resize(SIZE[variant], SIZE[variant], { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: QUALITY[variant], mozjpeg: true })
    .toBuffer();
}

/** The displayed size: width and height swap for orientations 5–8 (rotated a quarter turn). */
function uprightSize(meta: sharp.Metadata): { width: number; height: number } {
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  return (meta.orientation ?? 1) >= 5 ? { width: h, height: w } : { width: w, height: h };
}

/**
 * Refuses a picture that does not decode (damaged, cut short, a renamed file, over 100 MP), with
 * the file's name, before anything is stored. HEIC/HEIF pass: this build cannot decode them.
 */
export async function checkPicture(
  fileName: string,
  data: Buffer,
  mimeType: string,
): Promise<void> {
  if (!CHECKED.has(mimeType)) return;
  try {
    await pipeline(data).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    const why = /pixel limit/i.test((e as Error).message)
      ? `超过 ${MAX_PIXELS / 1_000_000} 百万像素`
      : '文件已损坏或不完整';
    throw new AppError('invalid_input', `“${fileName}”无法作为图片打开（${why}），未保存`);
  }
}

/**
 * Makes a photo's thumbnail, print size and info once (kept for later); returns its info, or null
 * for a file that is no picture or cannot be decoded here.
 */
export async function ensureDerivatives(
  dataDir: string,
  sha256: string,
  mimeType: string,
): Promise<PhotoInfo | null> {
  if (!TRIED.has(mimeType)) return null;
  const infoFile = derivedPath(dataDir, sha256, 'json');
  const thumb = derivedPath(dataDir, sha256, 'thumb.jpg');
  const print = derivedPath(dataDir, sha256, 'print.jpg');
  if (fs.existsSync(infoFile) && fs.existsSync(thumb) && fs.existsSync(print)) {
    try {
      return JSON.parse(fs.readFileSync(infoFile, 'utf8')) as PhotoInfo;
    } catch {
      // rebuilt below
    }
  }
  let original: Buffer;
  try {
    original = readStoredFile(dataDir, sha256);
  } catch (e) {
    if (e instanceof AppError) return null; // not here yet, or damaged: nothing to derive from
    throw e;
  }
  let info: PhotoInfo;
  let thumbData: Buffer;
  let printData: Buffer;
  try {
    const meta = await pipeline(original).metadata();
    const { width, height } = uprightSize(meta);
    info = photoInfoOf(meta.exif, width, height);
    // The original is decoded once: the thumbnail is made from the print size.
    printData = await render(original, 'print');
    thumbData = await render(printData, 'thumb');
  } catch {
    return null;
  }
  writeAtomically(thumb, thumbData);
  writeAtomically(print, printData);
  writeAtomically(infoFile, JSON.stringify(info));
  return info;
}

/** A photo's thumbnail or print size (made now if need be), or null when it has none. */
export async function readPhotoVariant(
  dataDir: string,
  sha256: string,
  mimeType: string,
  variant: PhotoVariant,
): Promise<{ data: Buffer; info: PhotoInfo } | null> {
  const info = await ensureDerivatives(dataDir, sha256, mimeType);
  if (!info) return null;
  try {
    return { data: fs.readFileSync(derivedPath(dataDir, sha256, `${variant}.jpg`)), info };
  } catch {
    return null;
  }
}
