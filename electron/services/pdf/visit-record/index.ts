/**
 * 现场帮扶记录 as a PDF: render.ts reads the visit and renders the record, process.ts each
 * visited process, cells.ts what they print alike.
 */
export {
  VISIT_RECORD_TITLE,
  type EvidenceFile,
  type VisitPdf,
  exportVisitPdf,
  visitPdfFileName,
  lastChangeOf,
  renderVisitRecord,
} from './render';
