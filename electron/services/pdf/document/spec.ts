import type { CjkFonts } from '../fonts';

/** What a PDF's blocks are given: cells, table specs, key–value pairs, thumbnails, signature lines and the document's setup. */
export type Align = 'left' | 'center' | 'right';

/** A table cell: text, or text with its own weight, colour or alignment. */
export type Cell =
  string | { text: string; bold?: boolean; color?: string; align?: Align; fill?: string };

export interface TableColumn {
  header: string;
  /** Relative width: the columns share the type area in proportion to these. */
  width: number;
  align?: Align;
}

export interface TableSpec {
  columns: readonly TableColumn[];
  rows: readonly (readonly Cell[])[];
  fontSize?: number;
  /** Shown in one merged row when there are no rows. */
  emptyText?: string;
  /**
   * Rows (by index) that stay on the same page as the row after them: a group's title row, a
   * line and the note under it.
   */
  keepWithNext?: ReadonlySet<number>;
  /**
   * Points of what follows the table (a closing line, a signature) that stay on the same page
   * as its last row: the last row moves to the next page rather than leave them alone there.
   */
  keepLastWith?: number;
}

/** A label and its value; 'wide' gives the pair a row of its own. */
export type KeyValue = readonly [string, Cell] | readonly [string, Cell, 'wide'];

export interface KeyValueOptions {
  /** Pairs per table row (1 or 2). */
  perRow?: 1 | 2;
  /** Width of the label column, in points. */
  labelWidth?: number;
}

/** A photo (or any evidence file) to show as a thumbnail with its caption lines. */
export interface Thumbnail {
  /** The file's bytes; null when it is not on this device (only the caption is shown). */
  data: Buffer | null;
  mimeType: string;
  /** Lines under the picture: file name, time, what it documents. */
  caption: readonly string[];
  /** Why no picture is shown, when `data` is null or not an image pdfkit can draw. */
  missing?: string;
  /** Identical files are embedded once: the same key reuses the image already embedded. */
  key?: string;
}

export interface SignatureEntry {
  /** 执法、监测、专家、企业代表… */
  role: string;
  /** Printed before the line; empty leaves room to write the name by hand. */
  name: string;
  /** A small line under it: 已于 … 在系统中确认. */
  note?: string;
  /**
   * The signature drawn on screen (PNG bytes), printed on the 签字 line; absent or null leaves
   * the line to sign by hand. `key` embeds one file once however often it is printed.
   */
  image?: { data: Buffer; key: string } | null;
  /** The day it was signed, printed on the 日期 line (with an image). */
  signedOn?: string;
}

export interface PdfSetup {
  /** The running header's title, and the PDF's Title. */
  title: string;
  /** The running header's right side. */
  enterprise?: string | null;
  /** Put 指标待核实 on every page. */
  draftMark?: boolean;
  /**
   * The record's number in every page's footer, beside 第 N 页 / 共 M 页, so a loose printed
   * page can be matched to its record: 记录编号 银川-2026-0012-K7Q3, 方案编号 … （第 2 版）.
   */
  recordNumber?: { label: string; number: string; note?: string } | null;
  /** Epoch ms written as CreationDate; take it from the data, never from the clock. */
  createdAt: number;
  subject?: string;
  /** Where the two CJK fonts are; found by findCjkFonts() when absent. */
  fonts?: CjkFonts;
}
