import { CELL_PAD, COLOR, MARGIN, SIZE, TABLE_LINE_GAP, type FontName } from './style';
import type { Cell } from './spec';

/**
 * Bordered tables for PdfWriter: cells broken into lines for their columns, rows kept whole on a
 * page (a header row repeated after every page break, a row kept with the next when asked), and a
 * row taller than a page split between lines. Drawn through the writer's TableHost.
 */

/** What a table needs of the writer: its document, page end, text wrapping, style and pages. */
export interface TableHost {
  readonly doc: PDFKit.PDFDocument;
  readonly bottom: number;
  wrap(text: string, width: number, font: FontName, size: number): string[];
  style(font: FontName, size: number, color: string): void;
  flushHeadings(needed: number): void;
  ensureSpace(points: number): void;
  newPage(): void;
}

/** A cell with its text broken into lines for its column. */
type LaidCell = Exclude<Cell, string> & { font: FontName; lines: readonly string[] };

/** A cell's text broken into lines for its column. */
function layoutCell(host: TableHost, cell: Cell, width: number, size: number): LaidCell {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const font: FontName = c.bold ? 'zh-bold' : 'zh';
  return {
    ...c,
    font,
    lines: c.text === '' ? [] : host.wrap(c.text, width - CELL_PAD.x * 2, font, size),
  };
}

/**
 * Height of `lines` lines as they show: pdfkit counts a line gap (half an em in this font)
 * after the last line as well, which is left out so the padding looks even.
 */
function linesHeight(host: TableHost, lines: number, size: number): number {
  const doc = host.doc;
  doc.font('zh').fontSize(size);
  const glyphs = doc.currentLineHeight(false);
  const pitch = doc.currentLineHeight(true) + TABLE_LINE_GAP;
  return lines <= 1 ? glyphs : (lines - 1) * pitch + glyphs;
}

function rowHeight(host: TableHost, cells: readonly LaidCell[], size: number): number {
  const lines = Math.max(1, ...cells.map((c) => c.lines.length));
  return linesHeight(host, lines, size) + CELL_PAD.y * 2;
}

/**
 * Draws rows (a header first, and again after every page break). A row that would cross the
 * page's end moves to the next page; one taller than a page is split between lines.
 */
export function drawTable(
  host: TableHost,
  widths: readonly number[],
  header: readonly Cell[] | null,
  rows: readonly (readonly Cell[])[],
  size: number,
  keepWithNext: ReadonlySet<number> = new Set(),
  keepLastWith = 0,
): void {
  const doc = host.doc;
  // A row with fewer cells than columns: its last cell spans the columns left.
  const rowWidths = (count: number): readonly number[] =>
    count >= widths.length || count === 0
      ? widths
      : [...widths.slice(0, count - 1), widths.slice(count - 1).reduce((a, b) => a + b, 0)];
  const layout = (cells: readonly Cell[]) => {
    const w = rowWidths(cells.length);
    return { widths: w, cells: cells.map((c, i) => layoutCell(host, c, w[i] ?? 0, size)) };
  };
  const head = header ? layout(header) : null;
  const headerHeight = head ? rowHeight(host, head.cells, size) : 0;
  const fresh = host.bottom - MARGIN.top - headerHeight;
  const minSplit = linesHeight(host, 3, size) + CELL_PAD.y * 2;
  const laid = rows.map(layout);
  const heights = laid.map((row) => rowHeight(host, row.cells, size));
  const firstHeight = heights[0] ?? 0;
  // The header keeps with the first row (or, for a row taller than a page, its start), and
  // with the second too when the first is kept with it.
  // What must fit below a row for a row kept with it: the next row whole, or (for a row
  // taller than a page, which is split) its start.
  const startOf = (height: number) => (height <= fresh ? height : minSplit);
  let start = headerHeight + startOf(firstHeight);
  const second = heights[1];
  if (keepWithNext.has(0) && second !== undefined && start + startOf(second) <= fresh)
    start += startOf(second);
  host.flushHeadings(start);
  host.ensureSpace(start);
  const drawHeader = () => {
    if (head) drawRow(host, head.widths, head.cells, headerHeight, size);
  };
  drawHeader();
  laid.forEach((row, index) => {
    let cells = row.cells;
    // A row kept with the next one moves with it when both fit on a fresh page but not here.
    const next = heights[index + 1];
    if (keepWithNext.has(index) && next !== undefined) {
      const together = (heights[index] ?? 0) + startOf(next);
      if (together > host.bottom - doc.y && together <= fresh && doc.y > MARGIN.top + 1) {
        host.newPage();
        drawHeader();
      }
    }
    // The last row moves with what must follow it when both fit on a fresh page but not here.
    if (keepLastWith > 0 && index === laid.length - 1) {
      const together = (heights[index] ?? 0) + keepLastWith;
      if (together > host.bottom - doc.y && together <= fresh && doc.y > MARGIN.top + 1) {
        host.newPage();
        drawHeader();
      }
    }
    for (;;) {
      const height = rowHeight(host, cells, size);
      const room = host.bottom - doc.y;
      if (height <= room) {
        drawRow(host, row.widths, cells, height, size);
        break;
      }
      if (height <= fresh || room < minSplit) {
        host.newPage();
        drawHeader();
        continue;
      }
      // Taller than a page: as many lines as fit here, the rest on the next page.
      let fit = 1;
      while (linesHeight(host, fit + 1, size) + CELL_PAD.y * 2 <= room) fit++;
      const now = cells.map((c) => ({ ...c, lines: c.lines.slice(0, fit) }));
      cells = cells.map((c) => ({ ...c, lines: c.lines.slice(fit) }));
      drawRow(host, row.widths, now, room, size);
      host.newPage();
      drawHeader();
    }
  });
  doc.x = MARGIN.left;
  doc.y += 8;
}

function drawRow(
  host: TableHost,
  widths: readonly number[],
  cells: readonly LaidCell[],
  height: number,
  size: number,
): void {
  const doc = host.doc;
  const top = doc.y;
  let x = MARGIN.left;
  cells.forEach((c, i) => {
    const width = widths[i] ?? 0;
    doc.save();
    doc.lineWidth(0.5).strokeColor(COLOR.border);
    if (c.fill) doc.rect(x, top, width, height).fillAndStroke(c.fill, COLOR.border);
    else doc.rect(x, top, width, height).stroke();
    doc.restore();
    if (c.lines.length > 0) {
      host.style(c.font, size, c.color ?? COLOR.text);
      // The lines are already broken to fit; the slack keeps pdfkit from breaking them
      // again, and an explicit height keeps it from starting a page of its own (pdfkit
      // wants a whole line, gap included, below each line it sets, hence the extra line).
      doc.text(c.lines.join('\n'), x + CELL_PAD.x - 1, top + CELL_PAD.y, {
        width: width - CELL_PAD.x * 2 + 2,
        height: height - CELL_PAD.y * 2 + doc.currentLineHeight(true),
        lineGap: TABLE_LINE_GAP,
        align: c.align ?? 'left',
      });
    }
    x += width;
  });
  doc.x = MARGIN.left;
  doc.y = top + height;
  host.style('zh', SIZE.body, COLOR.text);
}
