/**
 * The 一企一策 plan PDF (issue #7): a plan of about 20 pages rendered by renderPlanPdf, against
 * pdfkit writing the same text with the same font and no layout (one doc.text of it all), measured
 * in the same run. Targets: ≤ 2 s and ≤ 1 MB for the plan.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';

import { findCjkFonts } from '../electron/services/pdf/fonts';
import { renderPlanPdf } from '../electron/services/pdf/plan';
import type { PlanDetail } from '../shared/plan';
import { planDetailFixture } from '../test/helpers/plan';

const RUNS = Number(process.env.BENCH_PDF_RUNS ?? 5);
/** Six kiln lines of 12 gaps each, five outlets: 73 measures, about 20 pages. */
const SIZE = { processes: 6, gapsPerProcess: 12, outlets: 5 } as const;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

const ms = (v: number) => `${v.toFixed(0).padStart(7)} ms`;

/**
 * The plan's text, as pdftotext reads it back from the rendered file; without poppler, every
 * string of the PlanDetail (about the same characters, so about the same subset).
 */
function textOf(bytes: Buffer, detail: PlanDetail): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-plan-')), 'plan.pdf');
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  } catch {
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (typeof v === 'number') strings.push(String(v));
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(detail);
    return strings.join('\n');
  }
}

/** The fonts parsed once, as PdfWriter keeps them (parsing is not what either side measures). */
const fonts = (() => {
  const files = findCjkFonts();
  return {
    regular: fontkit.create(fs.readFileSync(files.regular)) as fontkit.Font,
    bold: fontkit.create(fs.readFileSync(files.bold)) as fontkit.Font,
  };
})();

/** Baseline: pdfkit, A4, the same two fonts, all the text in one doc.text(). */
async function plainPdf(text: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 76, bottom: 66, left: 62, right: 62 },
    font: '',
  });
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.on('data', (c: Buffer) => chunks.push(c));
  doc.registerFont('zh', fonts.regular as unknown as Buffer);
  doc.registerFont('zh-bold', fonts.bold as unknown as Buffer);
  // Some bold text, so both subsets are embedded as in the plan.
  doc.font('zh-bold').fontSize(13).text('一企一策提升方案');
  doc.font('zh').fontSize(9.5).text(text);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

export async function planBenches(): Promise<void> {
  const detail = planDetailFixture(SIZE);
  const t0 = performance.now();
  const cold = await renderPlanPdf(detail);
  const coldMs = performance.now() - t0;
  const text = textOf(cold.bytes, detail);
  const plain = await plainPdf(text);

  const render: number[] = [];
  const baseline: number[] = [];
  let pages = cold.pages;
  let bytes = cold.bytes.length;
  for (let i = 0; i < RUNS; i++) {
    const a = performance.now();
    const r = await renderPlanPdf(planDetailFixture(SIZE));
    render.push(performance.now() - a);
    pages = r.pages;
    bytes = r.bytes.length;
    const b = performance.now();
    await plainPdf(text);
    baseline.push(performance.now() - b);
  }
  const renderMs = median(render);
  const baselineMs = median(baseline);
  console.log(
    `一企一策 plan PDF: ${detail.content.measures.length} measures, ${SIZE.processes} processes, ${detail.tax.lines.length} tax lines → ${pages} pages (median of ${RUNS} runs)`,
  );
  console.log(
    `  pdfkit, same text and fonts, no layout ${ms(baselineMs)}   ${(plain.length / 1024).toFixed(0).padStart(5)} KB`,
  );
  console.log(
    `  renderPlanPdf                          ${ms(renderMs)}   ${(bytes / 1024).toFixed(0).padStart(5)} KB   ratio ${(renderMs / baselineMs).toFixed(1)} ×   (target ≤ 2000 ms, ≤ 1024 KB)`,
  );
  console.log(
    `  first render in the process            ${ms(coldMs)}   (includes parsing the two CJK fonts, once per process)\n`,
  );
}
