/**
 * 信息公开: the results list as it would be published now (preview.ts), publishing it as a frozen,
 * numbered edition (publish.ts), reading editions (read.ts), and an edition as Excel (excel.ts) or
 * as a 公告 PDF (pdf.ts).
 */
export { previewPublication } from './preview';
export { publishPublication } from './publish';
export { getPublication, listPublications, publicationEdition } from './read';
export { exportPublicationExcel, writePublicationWorkbook } from './excel';
export { exportPublicationPdf, renderPublicationPdf } from './pdf';
export { publicationFileName } from './format';
