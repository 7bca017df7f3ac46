import PDFDocument from 'pdfkit';
import { findCjkFonts } from '../fonts';
import { wrapLines } from '../wrap';
import {
  COLOR,
  DRAFT_MARK,
  HEADING,
  type HeadingLevel,
  MARGIN,
  PAGE,
  SIZE,
  type FontName,
} from './style';
import { drawTable } from './table';
import {
  type Align,
  type Cell,
  type KeyValue,
  type KeyValueOptions,
  type PdfSetup,
  type SignatureEntry,
  type TableSpec,
  type Thumbnail,
} from './spec';
import { DRAWABLE, type OpenedImage, parseFont } from './assets';
import { type BlockHost, drawSignatures, drawThumbnails } from './pictures';

/**
 * The layout layer every Uplift PDF is written with: A4 pages in the manner of a government
 * document (centred title, bordered tables, page numbers, signature block), a CJK font embedded
 * as a subset, a running header on every page, a footer with the record's number and the page's,
 * and, when a grade came from a draft ruleset, the 指标待核实 mark on every page.
 *
 * Blocks are placed top to bottom; each block keeps itself whole on a page where it can (a
 * heading keeps with what follows it, a table row moves to the next page whole, a table repeats
 * its header row after every page break, and only a row taller than a whole page is split).
 * The header, the mark and 第 N 页 / 共 M 页 are drawn last, over the buffered pages.
 *
 * Output is deterministic: the same content and `createdAt` give the same bytes (pdfkit derives
 * the file ID from the info dictionary, which holds no clock reading but `createdAt`).
 */

type Doc = PDFKit.PDFDocument;

/**
 * One PDF: add blocks top to bottom (title, heading, paragraph, keyValues, table, thumbnails,
 * signatures), then `await finish()` for the bytes.
 */
export class PdfWriter {
  readonly #doc: Doc;
  readonly #setup: PdfSetup;
  readonly #chunks: Buffer[] = [];
  readonly #ended: Promise<void>;
  readonly #images = new Map<string, OpenedImage>();
  /** Headings wait here until the block after them is placed, so they never end a page. */
  #pendingHeadings: { text: string; level: HeadingLevel }[] = [];
  #pages: number | null = null;

  constructor(setup: PdfSetup) {
    this.#setup = setup;
    const fonts = setup.fonts ?? findCjkFonts();
    this.#doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      autoFirstPage: false,
      // No Helvetica: every glyph comes from the embedded CJK font.
      font: '',
      lang: 'zh-CN',
      displayTitle: true,
      info: {
        Title: setup.title,
        Author: 'Uplift 环保绩效提级帮扶助手',
        Creator: 'Uplift',
        Producer: 'Uplift (PDFKit)',
        ...(setup.subject ? { Subject: setup.subject } : {}),
        CreationDate: new Date(setup.createdAt),
      },
    });
    this.#ended = new Promise((resolve, reject) => {
      this.#doc.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
      this.#doc.on('end', () => resolve());
      this.#doc.on('error', reject);
    });
    // Registered as parsed font objects, not paths: pdfkit keys its font cache by name, and a
    // path or buffer would be parsed again wherever pdfkit falls back to the source (its own
    // table code does, per cell). See shared/stack.md §4.
    this.#doc.registerFont('zh', parseFont(fonts.regular));
    this.#doc.registerFont('zh-bold', parseFont(fonts.bold));
    this.#doc.addPage();
    this.#style('zh', SIZE.body, COLOR.text);
  }

  /** Width of the type area, in points. */
  get contentWidth(): number {
    return PAGE.width - MARGIN.left - MARGIN.right;
  }

  /** Pages so far (all of them, once finish() has run). */
  get pageCount(): number {
    return this.#pages ?? this.#doc.bufferedPageRange().count;
  }

  // ─── Blocks ───────────────────────────────────────────────────────────────────────────────

  /** The document's title, centred, with an optional line under it (编号, 状态…), and a rule. */
  title(text: string, subtitle?: string): this {
    const doc = this.#doc;
    this.#flushHeadings(0);
    this.#write(text, 'zh-bold', SIZE.title, COLOR.text, { align: 'center' });
    if (subtitle) {
      doc.y += 2;
      this.#write(subtitle, 'zh', SIZE.small + 1, COLOR.muted, { align: 'center' });
    }
    doc.y += 4;
    const y = doc.y;
    doc.save();
    doc.lineWidth(1.2).strokeColor(COLOR.red).moveTo(MARGIN.left, y).lineTo(this.#right, y);
    doc.stroke();
    doc.restore();
    doc.y = y + 10;
    return this;
  }

  /**
   * A heading: 1 for 一、…, 2 for （一）…, 3 for 1. …. It is placed with the block that follows
   * it, so it never ends a page alone.
   */
  heading(text: string, level: HeadingLevel = 1): this {
    this.#pendingHeadings.push({ text, level });
    return this;
  }

  /** Running text; it flows on to the next page as needed. `indent` indents the first line. */
  paragraph(
    text: string,
    options: {
      size?: number;
      color?: string;
      bold?: boolean;
      align?: Align;
      indent?: boolean;
    } = {},
  ): this {
    const doc = this.#doc;
    const font = options.bold ? 'zh-bold' : 'zh';
    const size = options.size ?? SIZE.body;
    const lines = this.#wrap(
      options.indent ? `\u3000\u3000${text}` : text,
      this.contentWidth,
      font,
      size,
    );
    const pitch = doc.currentLineHeight(true);
    // At least two lines together (a widow line alone at a page's end reads badly).
    this.#flushHeadings(pitch * Math.min(lines.length, 2));
    this.ensureSpace(pitch * Math.min(lines.length, 2));
    this.#write(lines, font, size, options.color ?? COLOR.text, { align: options.align ?? 'left' });
    doc.y += 3;
    return this;
  }

  /**
   * Label–value pairs in a bordered grid, labels shaded, `perRow` pairs to a row. A pair marked
   * 'wide' takes a row of its own, its value spanning the rest of the row.
   */
  keyValues(pairs: readonly KeyValue[], options: KeyValueOptions = {}): this {
    const perRow = options.perRow ?? 1;
    const labelWidth = options.labelWidth ?? 84;
    const valueWidth = this.contentWidth / perRow - labelWidth;
    const widths: number[] = [];
    for (let i = 0; i < perRow; i++) widths.push(labelWidth, valueWidth);
    const label = (text: string): Cell => ({ text, bold: true, fill: COLOR.labelFill });
    const rows: Cell[][] = [];
    let row: Cell[] = [];
    const flush = () => {
      if (row.length === 0) return;
      while (row.length < perRow * 2) row.push(label(''), '');
      rows.push(row);
      row = [];
    };
    for (const [key, value, wide] of pairs) {
      if (wide === 'wide') {
        flush();
        rows.push([label(key), value]);
        continue;
      }
      row.push(label(key), value);
      if (row.length === perRow * 2) flush();
    }
    flush();
    drawTable(this.#host(), widths, null, rows, SIZE.table + 0.5);
    return this;
  }

  /**
   * A bordered table whose cells wrap their text. A row that does not fit moves to the next
   * page, under a repeated header row; only a row taller than a whole page is split. A row with
   * fewer cells than columns has its last cell span the columns left.
   */
  table(spec: TableSpec): this {
    const total = spec.columns.reduce((n, c) => n + c.width, 0);
    const widths = spec.columns.map((c) => (this.contentWidth * c.width) / total);
    const header: Cell[] = spec.columns.map((c) => ({
      text: c.header,
      bold: true,
      align: 'center',
      fill: COLOR.headerFill,
    }));
    let rows: Cell[][] = spec.rows.map((r) =>
      r.map((cell, i) => {
        const align = spec.columns[i]?.align;
        if (!align) return cell;
        return typeof cell === 'string' ? { text: cell, align } : { align, ...cell };
      }),
    );
    if (rows.length === 0 && spec.emptyText) {
      rows = [[{ text: spec.emptyText, align: 'center', color: COLOR.muted }]];
    }
    drawTable(
      this.#host(),
      widths,
      header,
      rows,
      spec.fontSize ?? SIZE.table,
      spec.keepWithNext,
      spec.keepLastWith,
    );
    return this;
  }

  /**
   * Photos as thumbnails, three to a row, each with its caption. Files pdfkit cannot draw (PDF
   * scans, WebP, HEIC), damaged ones and ones not on this device get a caption line instead.
   */
  thumbnails(items: readonly Thumbnail[], perRow = 3): this {
    drawThumbnails(this.#host(), items, perRow);
    return this;
  }

  /** Signature lines, one per person: role and name, 签字 ____, 日期 ____, and a note. */
  signatures(entries: readonly SignatureEntry[]): this {
    drawSignatures(this.#host(), entries);
    return this;
  }

  /** Vertical space, in points (never past the page's end). */
  space(points: number): this {
    this.#flushHeadings(0);
    this.#doc.y = Math.min(this.#doc.y + points, this.#bottom);
    return this;
  }

  /** Starts a new page unless this much room (points) is left on the current one. */
  ensureSpace(points: number): this {
    if (this.#doc.y + points > this.#bottom && this.#doc.y > MARGIN.top + 1) this.newPage();
    return this;
  }

  newPage(): this {
    this.#doc.addPage();
    this.#doc.x = MARGIN.left;
    this.#doc.y = MARGIN.top;
    return this;
  }

  /** Draws the running header, the mark and the page numbers on every page; the PDF's bytes. */
  async finish(): Promise<Buffer> {
    this.#flushHeadings(0);
    const doc = this.#doc;
    const { start, count } = doc.bufferedPageRange();
    this.#pages = count;
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      this.#decorate(i - start + 1, count);
    }
    doc.end();
    await this.#ended;
    return Buffer.concat(this.#chunks);
  }

  // ─── Internals ────────────────────────────────────────────────────────────────────────────

  /** The writer as its tables (table.ts) and picture blocks (pictures.ts) use it. */
  #host(): BlockHost {
    return {
      contentWidth: this.contentWidth,
      right: this.#right,
      openImage: (item) => this.#openImage(item),
      paragraph: (text, options) => {
        this.paragraph(text, options);
      },
      line: (x1, y, x2) => this.#line(x1, y, x2),
      doc: this.#doc,
      bottom: this.#bottom,
      wrap: (text, width, font, size) => this.#wrap(text, width, font, size),
      style: (font, size, color) => this.#style(font, size, color),
      flushHeadings: (needed) => this.#flushHeadings(needed),
      ensureSpace: (points) => {
        this.ensureSpace(points);
      },
      newPage: () => {
        this.newPage();
      },
    };
  }

  get #right(): number {
    return PAGE.width - MARGIN.right;
  }

  get #bottom(): number {
    return PAGE.height - MARGIN.bottom;
  }

  #style(font: FontName, size: number, color: string): void {
    this.#doc.font(font).fontSize(size).fillColor(color);
  }

  /** The lines of `text` in this font and size at most `width` wide (see wrap.ts). */
  #wrap(text: string, width: number, font: FontName, size: number): string[] {
    const doc = this.#doc;
    doc.font(font).fontSize(size);
    return wrapLines(text, width - 0.5, (s) => doc.widthOfString(s));
  }

  /**
   * Writes text (or lines already wrapped) across the type area, flowing onto new pages. The
   * lines were broken by wrapLines(), so pdfkit is given a little slack not to break them again.
   */
  #write(
    text: string | readonly string[],
    font: FontName,
    size: number,
    color: string,
    options: { align?: Align } = {},
  ): void {
    const doc = this.#doc;
    const lines = typeof text === 'string' ? this.#wrap(text, this.contentWidth, font, size) : text;
    this.#style(font, size, color);
    doc.text(lines.join('\n'), MARGIN.left - 1, doc.y, {
      width: this.contentWidth + 2,
      align: options.align ?? 'left',
    });
    doc.x = MARGIN.left;
    this.#style('zh', SIZE.body, COLOR.text);
  }

  /** Places the waiting headings, with `needed` points of what follows on the same page. */
  #flushHeadings(needed: number): void {
    if (this.#pendingHeadings.length === 0) return;
    const doc = this.#doc;
    const placed = this.#pendingHeadings.map((h) => {
      const style = HEADING[h.level];
      const lines = this.#wrap(h.text, this.contentWidth, 'zh-bold', style.size);
      return { ...style, lines, height: lines.length * doc.currentLineHeight(true) };
    });
    this.#pendingHeadings = [];
    const total = placed.reduce((n, h) => n + h.before + h.height + h.after, 0);
    this.ensureSpace(total + needed);
    for (const h of placed) {
      if (doc.y > MARGIN.top + 1) doc.y += h.before;
      this.#write(h.lines, 'zh-bold', h.size, COLOR.text);
      doc.y += h.after;
    }
  }

  #line(x1: number, y: number, x2: number): void {
    const doc = this.#doc;
    doc.save();
    doc.lineWidth(0.6).strokeColor(COLOR.text).moveTo(x1, y).lineTo(x2, y).stroke();
    doc.restore();
  }

  /**
   * The header (title left, mark, enterprise right, a rule) and the footer: the record's number
   * (when it has one) and 第 N 页 / 共 M 页.
   */
  #decorate(page: number, pages: number): void {
    const doc = this.#doc;
    const headerY = 34;
    const oneLine = { height: 14, lineBreak: false, ellipsis: true } as const;
    this.#style('zh', SIZE.small + 0.5, COLOR.muted);
    const titleWidth = Math.min(doc.widthOfString(this.#setup.title), this.contentWidth / 2);
    doc.text(this.#setup.title, MARGIN.left, headerY, { ...oneLine, width: titleWidth + 1 });
    let left = MARGIN.left + titleWidth + 10;
    if (this.#setup.draftMark) {
      this.#style('zh-bold', SIZE.small + 0.5, COLOR.red);
      const w = doc.widthOfString(DRAFT_MARK) + 10;
      doc.save();
      doc
        .lineWidth(0.8)
        .strokeColor(COLOR.red)
        .rect(left, headerY - 3, w, 16)
        .stroke();
      doc.restore();
      doc.text(DRAFT_MARK, left + 5, headerY, { ...oneLine, width: w });
      left += w + 10;
    }
    if (this.#setup.enterprise) {
      this.#style('zh', SIZE.small + 0.5, COLOR.muted);
      doc.text(this.#setup.enterprise, left, headerY, {
        ...oneLine,
        width: this.#right - left,
        align: 'right',
      });
    }
    doc.save();
    doc
      .lineWidth(0.5)
      .strokeColor(COLOR.rule)
      .moveTo(MARGIN.left, headerY + 17)
      .lineTo(this.#right, headerY + 17)
      .stroke();
    doc.restore();
    this.#style('zh', SIZE.small + 0.5, COLOR.muted);
    const footerY = PAGE.height - 42;
    doc.text(`第 ${page} 页 / 共 ${pages} 页`, MARGIN.left, footerY, {
      ...oneLine,
      width: this.contentWidth,
      align: 'center',
    });
    // The record's number at the footer's right: clear of the centred page number, and read
    // (by pdftotext, a screen reader) after the last column's text rather than inside a row.
    const record = this.#setup.recordNumber;
    if (record) {
      const text = `${record.label} ${record.number}${record.note ? `（${record.note}）` : ''}`;
      const half = this.contentWidth / 2 - 40;
      doc.text(text, this.#right - half, footerY, { ...oneLine, width: half, align: 'right' });
    }
  }

  /** The image of a thumbnail, opened once per key; null when it cannot be drawn. */
  #openImage(item: Thumbnail): OpenedImage | null {
    if (!item.data || !DRAWABLE.has(item.mimeType)) return null;
    const cached = item.key ? this.#images.get(item.key) : undefined;
    if (cached) return cached;
    try {
      const image = (this.#doc as unknown as { openImage(src: Buffer): OpenedImage }).openImage(
        item.data,
      );
      if (!(image.width > 0 && image.height > 0)) return null;
      if (item.key) this.#images.set(item.key, image);
      return image;
    } catch {
      // A damaged photo becomes a caption line, not a failed export.
      return null;
    }
  }
}
