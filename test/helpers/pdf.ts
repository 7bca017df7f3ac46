import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { AppContext } from '../../electron/services/context';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { encodePng } from '../../electron/services/png';
import type { InspectionDetail } from '../../shared/domain/inspection';

import { tempDir } from './context';
import {
  answer,
  CEMS,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from './inspections';

/**
 * Reading PDFs back in tests with poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm), and a
 * visit worth printing.
 */

export const ARTIFACTS = path.resolve('test-artifacts', 'pdf');

/** A small real JPEG (320×240): a kiln tower against the sky. */
export const KILN_JPEG = fs.readFileSync(path.resolve('test', 'fixtures', 'photos', 'kiln.jpg'));

function asFile(pdf: Buffer | string): string {
  if (typeof pdf === 'string') return pdf;
  const file = path.join(tempDir('uplift-pdf-'), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  return file;
}

/** The text of the whole document, or of one page (1-based). */
export function pdfText(pdf: Buffer | string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', [...range, asFile(pdf), '-'], { encoding: 'utf8' });
}

/** Text without any whitespace, so a cell's wrapped lines read as one string. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

export function pdfPageCount(pdf: Buffer | string): number {
  const info = execFileSync('pdfinfo', [asFile(pdf)], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(info);
  if (!m) throw new Error(`pdfinfo gave no page count:\n${info}`);
  return Number(m[1]);
}

/** pdffonts' table: one line per font (name, type, encoding, emb, sub, uni). */
export function pdfFonts(pdf: Buffer | string): string[] {
  const out = execFileSync('pdffonts', [asFile(pdf)], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '');
}

/** Writes the PDF and its pages as PNG (60 dpi) to test-artifacts/pdf/, for a person to look at. */
export function keepArtifacts(pdf: Buffer, name: string): string {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  for (const old of fs.readdirSync(ARTIFACTS)) {
    if (old.startsWith(`${name}-`) && old.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, old));
  }
  execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(ARTIFACTS, name)]);
  return file;
}

export interface PrintedVisit {
  site: Site;
  detail: InspectionDetail;
}

/**
 * A finalized visit of both fixture processes: the cement line (draft ruleset, so 指标待核实)
 * with two NOx readings and a truck share short of B, the manganese line without CEMS, a PNG
 * on the NOx answer, a JPEG and a PDF scan for the visit as a whole; both members confirmed.
 */
export function printedVisit(ctx: AppContext): PrintedVisit {
  const site = createSite(ctx);
  const id = startSiteInspection(ctx, site, {
    processIds: [site.cementId, site.manganeseId],
    note: '企业环保负责人王强陪同检查。',
  }).inspection.id;
  answer(ctx, id, site.cementId, NOX, {
    fact: [42, 57],
    note: '窑尾 CEMS 小时均值，基准含氧量 10%',
  });
  answer(ctx, id, site.cementId, TRUCKS, { fact: 70, note: '运输台账 2025 年 5 月' });
  answer(ctx, id, site.manganeseId, CEMS, { fact: false, note: '在线监测尚未与生态环境部门联网' });
  addEvidence(ctx, {
    inspectionId: id,
    processId: site.cementId,
    indicatorId: NOX,
    fileName: '窑尾CEMS屏幕.png',
    data: encodePng(240, 160, (x, y) => [20 + (x % 60), 60 + y / 2, 40]),
    takenAt: Date.UTC(2025, 5, 1, 2, 40),
  });
  addEvidence(ctx, {
    inspectionId: id,
    fileName: '厂区全景.jpg',
    data: KILN_JPEG,
    takenAt: Date.UTC(2025, 5, 1, 2, 15),
  });
  addEvidence(ctx, {
    inspectionId: id,
    fileName: '监测报告.pdf',
    data: Buffer.from('%PDF-1.4\n% a scanned report\n'),
  });
  for (const m of getInspectionDetail(ctx, id).members) {
    confirmInspection(ctx, { inspectionId: id, memberId: m.id });
  }
  return { site, detail: finalizeInspection(ctx, id) };
}
