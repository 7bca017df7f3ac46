import {
  addEvidenceFile,
  confirmInspection,
  deleteInspection,
  finalizeInspection,
  getInspectionDetail,
  listInspections,
  readEvidenceFile,
  removeEvidence,
  removeMember,
  reviseInspection,
  saveAnswer,
  saveMember,
  signInspection,
  startInspection,
  updateInspection,
} from '../../services/inspections';
import { exportVisitPdf } from '../../services/pdf/visit-record';
import type { HandlerGroup } from '../types';

/**
 * Site visits and their evidence. Files cross the API as base64: evidence.add decodes it once
 * and the service checks content and size before anything is stored.
 */
export const inspectionHandlers = {
  'inspection.start': (input, ctx) => startInspection(ctx, input),
  'inspection.get': ({ id }, ctx) => getInspectionDetail(ctx, id),
  'inspection.list': (query, ctx) => listInspections(ctx, query),
  'inspection.update': (input, ctx) => updateInspection(ctx, input),
  'inspection.delete': ({ id, reason }, ctx) => deleteInspection(ctx, id, reason),
  'inspection.saveMember': (input, ctx) => saveMember(ctx, input),
  'inspection.removeMember': (input, ctx) => removeMember(ctx, input),
  'inspection.saveAnswer': (input, ctx) => saveAnswer(ctx, input),
  'inspection.confirm': (input, ctx) => confirmInspection(ctx, input),
  'inspection.finalize': ({ id }, ctx) => finalizeInspection(ctx, id),
  'inspection.revise': ({ id, reason }, ctx) => reviseInspection(ctx, id, reason),
  'inspection.sign': (input, ctx) => signInspection(ctx, input),
  'inspection.exportPdf': async ({ id }, ctx) => {
    const { fileName, bytes, pages } = await exportVisitPdf(ctx, id);
    return { fileName, dataBase64: bytes.toString('base64'), pages };
  },
  'evidence.add': ({ file, takenAt, ...target }, ctx) =>
    addEvidenceFile(ctx, {
      ...target,
      fileName: file.fileName,
      data: Buffer.from(file.dataBase64, 'base64'),
      takenAt: takenAt ?? null,
    }),
  'evidence.read': async ({ id, variant }, ctx) => {
    const { fileName, mimeType, data, photo } = await readEvidenceFile(ctx, id, variant);
    return { fileName, mimeType, dataBase64: data.toString('base64'), photo };
  },
  'evidence.remove': ({ id }, ctx) => removeEvidence(ctx, id),
} satisfies HandlerGroup;
