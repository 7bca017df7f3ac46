/**
 * 一企一策提升方案 as a PDF: render.ts renders it section by section (cover.ts, status.ts,
 * measures.ts, benefits.ts, signatures.ts), labels.ts holds what they print alike.
 */
export { type PlanPdf, exportPlanPdf, renderPlanPdf } from './render';
export { PLAN_TITLE, planPdfFileName, versionStatus, versionLine } from './labels';
export { planSignatures } from './signatures';
