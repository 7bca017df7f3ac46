import { z } from 'zod';
import { IdSchema } from '../../domain/enterprise';
import { RecordTrashSchema } from '../../domain/trash';
import {
  AnswerSaveSchema,
  EVIDENCE_MAX_BYTES,
  InspectionListSchema,
  InspectionReviseSchema,
  InspectionSignSchema,
  InspectionStartSchema,
  InspectionUpdateSchema,
  MemberRefSchema,
  MemberSaveSchema,
  ViolationDraftSchema,
  ViolationListSchema,
  ViolationWithdrawSchema,
  type AnswerSaved,
  type EvidenceUse,
  type InspectionDetail,
  type InspectionSummary,
  type PhotoInfo,
  type Violation,
  type ViolationList,
} from '../../domain/inspection';
import { text } from '../../text';
import { ById, FileName, type FilePayload, method } from './common';

/** Visits, their evidence (photos, scans) and PDF, and violations: the methods and the evidence schemas. */
/**
 * An evidence file (photo or scan). Up to 20 MB of file, about 26.7 MB of base64 (the loopback
 * host takes 30 MB bodies). An oversized file is refused here already, by name; the service
 * checks the exact size and the content type again.
 */
const EvidenceFileSchema = z
  .object({
    fileName: FileName,
    dataBase64: z
      .string()
      .max(30_000_000, `文件超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB`)
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const b64 = /\s/.test(file.dataBase64) ? file.dataBase64.replace(/\s/g, '') : file.dataBase64;
    const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
    const bytes = Math.floor((b64.length * 3) / 4) - padding;
    if (bytes > EVIDENCE_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataBase64'],
        message: `“${file.fileName}”有 ${(bytes / 1024 / 1024).toFixed(1)} MB，超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB 的上限，未保存`,
      });
    }
  });

export const EVIDENCE_TARGET_MESSAGE = '证据须附在一次检查、一条违法记录或一份申报上（三者选一）';

/**
 * Evidence goes to a visit (optionally one answer: processId + indicatorId), a violation, or an
 * application (申报材料).
 */
const EvidenceAddSchema = z
  .object({
    inspectionId: IdSchema.optional(),
    processId: IdSchema.optional(),
    indicatorId: text('指标编号').min(1).max(200).optional(),
    violationId: IdSchema.optional(),
    applicationId: IdSchema.optional(),
    file: EvidenceFileSchema,
    /** The file's own time in epoch ms (a photo's lastModified), kept with this use. */
    takenAt: z.number().int('时间应为毫秒数').min(0).nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const targets = [v.inspectionId, v.violationId, v.applicationId].filter((t) => t !== undefined);
    if (targets.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: EVIDENCE_TARGET_MESSAGE });
    }
    if ((v.processId === undefined) !== (v.indicatorId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicatorId'],
        message: '附到某项指标时须同时给出工序和指标',
      });
    }
    if (v.violationId !== undefined && v.processId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['processId'],
        message: '违法记录的证据不能附到指标上',
      });
    }
    if (v.applicationId !== undefined && v.processId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['processId'],
        message: '申报材料不能附到指标上',
      });
    }
  });

export const inspectionMethods = {
  'inspection.start': method(InspectionStartSchema).returns<InspectionDetail>(),
  'inspection.get': method(ById).returns<InspectionDetail>(),
  'inspection.list': method(InspectionListSchema).returns<InspectionSummary[]>(),
  'inspection.update': method(InspectionUpdateSchema).returns<InspectionDetail>(),
  /** To the 回收站; a finalized visit needs a reason and an account that may delete it. */
  'inspection.delete': method(RecordTrashSchema).returns<{ id: string }>(),
  'inspection.saveMember': method(MemberSaveSchema).returns<InspectionDetail>(),
  'inspection.removeMember': method(MemberRefSchema).returns<InspectionDetail>(),
  'inspection.saveAnswer': method(AnswerSaveSchema).returns<AnswerSaved>(),
  'inspection.confirm': method(MemberRefSchema).returns<InspectionDetail>(),
  'inspection.finalize': method(ById).returns<InspectionDetail>(),
  /** Starts a correction (更正) of a finalized visit; the reason is kept and printed. */
  'inspection.revise': method(InspectionReviseSchema).returns<InspectionDetail>(),
  /**
   * A signature drawn on screen by a team member (their 签字确认) or the enterprise's
   * representative (企业陪同人员), stored as evidence (a PNG) on the draft visit.
   */
  'inspection.sign': method(InspectionSignSchema).returns<InspectionDetail>(),
  'evidence.add': method(EvidenceAddSchema).returns<EvidenceUse>(),
  /**
   * A file of evidence: the original (default), or a photo's thumbnail or print size (JPEG, EXIF
   * orientation applied) with what its EXIF says; a file with no such size gives its original.
   */
  'evidence.read': method(
    ById.extend({ variant: z.enum(['original', 'thumb', 'print']).optional() }).strict(),
  ).returns<FilePayload & { mimeType: string; photo: PhotoInfo | null }>(),
  'evidence.remove': method(ById).returns<{ id: string }>(),
  'violation.create': method(ViolationDraftSchema).returns<Violation>(),
  'violation.list': method(ViolationListSchema).returns<ViolationList>(),
  /** Withdraws a violation recorded in error; the reason stays in its note. */
  'violation.withdraw': method(ViolationWithdrawSchema).returns<{ id: string }>(),
  /** The 现场帮扶记录 PDF of a visit (a draft's file name says 草稿). */
  'inspection.exportPdf': method(ById).returns<FilePayload & { pages: number }>(),
} as const;
