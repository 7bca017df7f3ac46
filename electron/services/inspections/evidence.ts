/**
 * Evidence: photos and scans attached to a draft inspection (or one of its answers), to a
 * violation or to an application (申报材料), stored by content hash, read back as originals or photo variants, and removed as
 * uses (the stored file stays).
 */

import { writeChanges } from '../../../db/changes';
import { deleteUse, getUse, insertUse, type UseRow } from '../../../db/repositories/attachments';
import { findAnswer } from '../../../db/repositories/inspections';
import { getViolation } from '../../../db/repositories/violations';
import { AppError } from '../../../shared/api/errors';
import { EVIDENCE_TARGET_MESSAGE } from '../../../shared/api/methods/inspections';
import type { EvidenceUse, PhotoInfo } from '../../../shared/domain/inspection';
import { safeFileName } from '../../../shared/file-name';
import {
  checkEvidenceFile,
  insertAttachmentIfNew,
  readStoredFile,
  storeFile,
} from '../attachments';
import type { AppContext } from '../context';
import { loadApplication } from '../reviews/common';
import { checkPicture, ensureDerivatives, type PhotoVariant, readPhotoVariant } from '../photos';
import { insertNewAnswer } from './answer-values';
import {
  clearConfirmations,
  indicatorOf,
  liveInspectionProcess,
  pinnedOrFail,
  requireDraft,
} from './guards';

/**
 * An application that still takes materials: not yet decided for good (已通过 or 不予通过),
 * whose materials would then no longer be those it was decided on.
 */
function requireOpenApplication(ctx: AppContext, applicationId: string): void {
  const { state } = loadApplication(ctx, applicationId);
  if (state.status === '已通过' || state.status === '不予通过') {
    throw new AppError('conflict', `该申报已审核完毕（${state.status}），材料不能再更改`);
  }
}

export interface EvidenceInput {
  inspectionId?: string | undefined;
  processId?: string | undefined;
  indicatorId?: string | undefined;
  violationId?: string | undefined;
  applicationId?: string | undefined;
  fileName: string;
  data: Buffer;
  takenAt?: number | null | undefined;
}

export function toEvidence(u: UseRow): EvidenceUse {
  return {
    id: u.id,
    sha256: u.attachmentId,
    // Names are made safe when added; a synced row may come from a device that did not.
    fileName: safeFileName(u.fileName),
    mimeType: u.mimeType,
    size: u.size,
    takenAt: u.takenAt,
    createdAt: u.createdAt,
    inspectionId: u.inspectionId,
    answerId: u.answerId,
    processId: u.processId,
    indicatorId: u.indicatorId,
    violationId: u.violationId,
    applicationId: u.applicationId,
  };
}

/**
 * Attaches a photo or scan to a draft visit (optionally to one answer: processId + indicatorId)
 * or to a violation. The file is checked by content and size, stored by hash (once, whatever
 * its uses) and only then is the use row written.
 */
export function addEvidence(ctx: AppContext, input: EvidenceInput): EvidenceUse {
  const targets = [input.inspectionId, input.violationId, input.applicationId];
  if (targets.filter((t) => t !== undefined).length !== 1) {
    throw new AppError('invalid_input', EVIDENCE_TARGET_MESSAGE);
  }
  if ((input.processId === undefined) !== (input.indicatorId === undefined)) {
    throw new AppError('invalid_input', '附到某项指标时须同时给出工序和指标');
  }
  if (input.applicationId !== undefined && input.processId !== undefined) {
    throw new AppError('invalid_input', '申报材料不能附到指标上');
  }
  // Refuse before writing any file when the target cannot take evidence.
  if (input.inspectionId !== undefined) requireDraft(ctx, input.inspectionId);
  if (input.violationId !== undefined && !getViolation(ctx.db, input.violationId)) {
    throw new AppError('not_found', `违法记录不存在或已删除（编号 ${input.violationId}）`);
  }
  if (input.applicationId !== undefined) requireOpenApplication(ctx, input.applicationId);
  // A name is only a label: control and direction characters and path separators go.
  const fileName = safeFileName(input.fileName);
  const mimeType = checkEvidenceFile(fileName, input.data);
  // 1. The file, durable on disk…
  const stored = storeFile(ctx.dataDir, input.data, mimeType);
  // 2. …then its rows.
  const useId = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    let answerId: string | null = null;
    if (input.inspectionId !== undefined) {
      requireDraft(ctx, input.inspectionId);
      if (input.processId !== undefined && input.indicatorId !== undefined) {
        const vp = liveInspectionProcess(ctx, input.inspectionId, input.processId);
        const indicator = indicatorOf(pinnedOrFail(ctx, vp), input.indicatorId);
        answerId = findAnswer(ctx.db, vp.id, indicator.id)?.id ?? null;
        if (answerId === null) {
          answerId = insertNewAnswer(ctx, changes, {
            inspectionId: input.inspectionId,
            inspectionProcessId: vp.id,
            indicatorId: indicator.id,
          });
        }
      }
      clearConfirmations(changes, ctx, input.inspectionId);
    }
    if (input.applicationId !== undefined) requireOpenApplication(ctx, input.applicationId);
    insertAttachmentIfNew(ctx, changes, stored);
    insertUse(
      changes,
      useId,
      {
        attachmentId: stored.sha256,
        inspectionId: input.inspectionId ?? null,
        answerId,
        violationId: input.violationId ?? null,
        applicationId: input.applicationId ?? null,
        fileName,
        takenAt: input.takenAt ?? null,
      },
      ctx.device.now(),
    );
  });
  const use = getUse(ctx.db, useId);
  if (!use) throw new Error(`evidence ${useId} vanished`);
  return toEvidence(use);
}

/** The file of one evidence use, with its original name. */
export function readEvidence(
  ctx: AppContext,
  id: string,
): { fileName: string; mimeType: string; data: Buffer } {
  const use = getUse(ctx.db, id);
  if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
  return {
    fileName: safeFileName(use.fileName),
    mimeType: use.mimeType,
    data: readStoredFile(ctx.dataDir, use.attachmentId),
  };
}

/**
 * A person's file added as evidence: as addEvidence, but a picture that does not decode is refused
 * first (named, nothing stored), and its thumbnail and print size are made once it is stored.
 */
export async function addEvidenceFile(ctx: AppContext, input: EvidenceInput): Promise<EvidenceUse> {
  const fileName = safeFileName(input.fileName);
  await checkPicture(fileName, input.data, checkEvidenceFile(fileName, input.data));
  const use = addEvidence(ctx, input);
  await ensureDerivatives(ctx.dataDir, use.sha256, use.mimeType);
  return use;
}

/**
 * A file of evidence to show: its original, or a photo's thumbnail or print size (the original
 * when it has none, such as a PDF scan), with what the photo's EXIF says.
 */
export async function readEvidenceFile(
  ctx: AppContext,
  id: string,
  variant: 'original' | PhotoVariant = 'original',
): Promise<{ fileName: string; mimeType: string; data: Buffer; photo: PhotoInfo | null }> {
  const use = getUse(ctx.db, id);
  if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
  const fileName = safeFileName(use.fileName);
  const derived =
    variant === 'original'
      ? null
      : await readPhotoVariant(ctx.dataDir, use.attachmentId, use.mimeType, variant);
  if (derived) return { fileName, mimeType: 'image/jpeg', data: derived.data, photo: derived.info };
  const photo = await ensureDerivatives(ctx.dataDir, use.attachmentId, use.mimeType);
  return {
    fileName,
    mimeType: use.mimeType,
    data: readStoredFile(ctx.dataDir, use.attachmentId),
    photo,
  };
}

/** Removes one use (a tombstone); the stored file stays for its other uses and for sync. */
export function removeEvidence(ctx: AppContext, id: string): { id: string } {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const use = getUse(ctx.db, id);
    if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
    if (use.planId !== null) throw new AppError('conflict', '方案上的签名签下后不能更换');
    if (use.inspectionId !== null) {
      requireDraft(ctx, use.inspectionId);
      clearConfirmations(changes, ctx, use.inspectionId);
    }
    if (use.applicationId !== null) requireOpenApplication(ctx, use.applicationId);
    deleteUse(changes, id);
  });
  return { id };
}
