import sharp from 'sharp';

import type { ChangeSet } from '../../db/changes';
import { insertUse, type UseRow } from '../../db/repositories/attachments';
import { readSyncSettings } from '../../db/repositories/sync';
import { AppError } from '../../shared/api/errors';
import type { Signature } from '../../shared/domain/inspection';

import { insertAttachmentIfNew, sniffMimeType, storeFile, type StoredFile } from './attachments';
import type { AppContext } from './context';

/**
 * Signatures drawn on screen (签名). A signature is evidence like a photo: a PNG stored once by
 * its SHA-256 under attachments/ and a use row (attachment_uses) that names the signer, so it
 * syncs, is hashed and verified as photos are. What this module adds: the checks of a drawn
 * image, the signer's view of a use, and the sync account the device is logged in with.
 */

/** Largest side of a signature image, in pixels (a pad is a few hundred wide). */
const MAX_SIDE = 4000;
/** Smallest number of inked pixels that is a signature rather than a slip of the pen. */
const MIN_INKED_PIXELS = 30;

/**
 * The PNG of a signature, decoded from base64 and checked: a PNG, of a sane size, and with ink
 * on it (a blank pad is refused). Nothing is stored.
 */
export async function checkSignatureImage(base64: string): Promise<Buffer> {
  const data = Buffer.from(base64, 'base64');
  if (data.length === 0 || sniffMimeType(data) !== 'image/png') {
    throw new AppError('invalid_input', '签名图片不是 PNG 图片，未保存；请重新签名');
  }
  let inked: number;
  try {
    const image = sharp(data, { limitInputPixels: MAX_SIDE * MAX_SIDE });
    const meta = await image.metadata();
    if ((meta.width ?? 0) > MAX_SIDE || (meta.height ?? 0) > MAX_SIDE) {
      throw new AppError('invalid_input', '签名图片过大，未保存；请重新签名');
    }
    // Ink is any pixel that is not transparent and not white.
    const { data: raw, info } = await sharp(data)
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    inked = 0;
    for (let i = 0; i < raw.length; i += info.channels) {
      const alpha = raw[i + 3] ?? 0;
      const white = (raw[i] ?? 0) > 240 && (raw[i + 1] ?? 0) > 240 && (raw[i + 2] ?? 0) > 240;
      if (alpha > 32 && !white) inked++;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('invalid_input', '签名图片已损坏，未保存；请重新签名');
  }
  if (inked < MIN_INKED_PIXELS) {
    throw new AppError('invalid_input', '签名是空白的；请在签名框内写下姓名后再保存');
  }
  return data;
}

/** Stores a checked signature PNG with the other evidence files (by hash, once). */
export async function storeSignature(ctx: AppContext, base64: string): Promise<StoredFile> {
  const data = await checkSignatureImage(base64);
  return storeFile(ctx.dataDir, data, 'image/png');
}

/** Whether an evidence use is a signature rather than a photo or scan. */
export function isSignature(u: Pick<UseRow, 'signerRole'>): boolean {
  return u.signerRole !== null;
}

export function toSignature(u: UseRow): Signature {
  return {
    id: u.id,
    sha256: u.attachmentId,
    signerName: u.signerName ?? '',
    signerRole: u.signerRole ?? '',
    memberId: u.memberId,
    signedAt: u.createdAt,
  };
}

/**
 * The central store's account this device is logged in with, as a person reads it
 * (张三（zhangsan）), or null when it is not logged in (no token kept).
 */
export function deviceAccount(ctx: AppContext): string | null {
  const settings = readSyncSettings(ctx.db);
  if (settings.token === null || settings.user === null) return null;
  const { displayName, username } = settings.user;
  return displayName && displayName !== username ? `${displayName}（${username}）` : username;
}

/**
 * Writes a stored signature as evidence: its attachment row when the bytes are new to this
 * device, and the use that names the signer and what is signed (a visit and its member, or a
 * plan's version). Returns the moment it was signed.
 */
export function insertSignatureUse(
  ctx: AppContext,
  changes: ChangeSet,
  file: StoredFile,
  signer: { name: string; role: string },
  on: { inspectionId: string; memberId: string | null } | { planId: string; planVersion: number },
): number {
  insertAttachmentIfNew(ctx, changes, file);
  const when = ctx.device.now();
  insertUse(
    changes,
    ctx.device.newId(),
    {
      attachmentId: file.sha256,
      inspectionId: 'inspectionId' in on ? on.inspectionId : null,
      answerId: null,
      violationId: null,
      fileName: `签名-${signer.name}.png`,
      takenAt: when,
      signerName: signer.name,
      signerRole: signer.role,
      ...('inspectionId' in on
        ? { memberId: on.memberId }
        : { planId: on.planId, planVersion: on.planVersion }),
    },
    when,
  );
  return when;
}
