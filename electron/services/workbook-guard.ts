import zlib from 'node:zlib';

/**
 * Checks an .xlsx file before exceljs reads it, so that no file, however crafted, makes the process
 * run out of memory or time. exceljs inflates every part of the zip, builds an object per cell and
 * row, and expands every merged range, data validation and defined name cell by cell: a 3 KB file
 * merging A2:XFD1000 asks for 16 million cells, a 4 MB zip bomb for 4 GB.
 *
 * What is checked, in this order, each against a cap the caller chooses (WorkbookLimits):
 * 1. the file's size;
 * 2. the zip's central directory, read by hand: the number of parts, their declared uncompressed
 *    sizes (total) and compression ratios;
 * 3. every part inflated with a hard output limit (declared sizes can lie), so the total of what
 *    really comes out stays under the cap too;
 * 4. the worksheets' XML (and the workbook's defined names), scanned with regular expressions over
 *    the inflated text: the highest row and column any row or cell reaches, the number of cells, and
 *    the cells covered by merged ranges, data validations and defined names.
 * The first cap passed refuses the file with a Chinese message naming it. Refusing costs at most
 * inflating the cap's worth of data once (well under a second).
 */

export interface WorkbookLimits {
  /** The file's own size, in bytes. */
  fileBytes: number;
  /** Parts in the zip. */
  parts: number;
  /** Every part's uncompressed size together, in bytes (declared, then as inflated). */
  uncompressedBytes: number;
  /** Uncompressed over compressed size of any part larger than RATIO_GRACE_BYTES. */
  ratio: number;
  /** The highest row number a worksheet may reach. */
  rows: number;
  /** The highest column number a worksheet may reach. */
  columns: number;
  /** Cells written in all worksheets together. */
  cells: number;
  /** Merged ranges in all worksheets together (exceljs checks each against every earlier one). */
  merges: number;
  /** Cells covered by merged ranges, all worksheets together. */
  mergedCells: number;
  /** Cells covered by data validations and defined names, which exceljs expands one by one. */
  rangeCells: number;
}

export type WorkbookCheck =
  | { ok: true }
  /** Not a zip at all (an .xls, a renamed file): the caller's own "not a workbook" message. */
  | { ok: false; notAWorkbook: true }
  | { ok: false; notAWorkbook: false; message: string };

/** Parts smaller than this are not held to the ratio cap (a run of empty cells compresses well). */
export const RATIO_GRACE_BYTES = 1024 * 1024;

const NOT_A_ZIP: WorkbookCheck = { ok: false, notAWorkbook: true };

function refuse(message: string): WorkbookCheck {
  return { ok: false, notAWorkbook: false, message };
}

/** A cap with its unit: (100000, '行') → "10 万行", (1000, '个') → "1,000 个". */
function cap(n: number, unit: string): string {
  return n >= 10_000 && n % 10_000 === 0
    ? `${n / 10_000} 万${unit}`
    : `${n.toLocaleString('en-US')} ${unit}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function mb(bytes: number): string {
  const v = bytes / 1024 / 1024;
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** A name from the file, safe to show: no control or direction characters, at most 60 characters. */
function shown(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}

function columnName(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) {
    s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  }
  return s;
}

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + letters.charCodeAt(i) - 64;
  return n;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The central directory's entries, or undefined when the data is not a zip we can read. */
function centralDirectory(data: Buffer, maxParts: number): ZipEntry[] | string | undefined {
  const EOCD = 0x06054b50;
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let total = data.readUInt16LE(eocd + 10);
  let size = data.readUInt32LE(eocd + 12);
  let offset = data.readUInt32LE(eocd + 16);
  if (total === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    // ZIP64: the locator just before the end record points at the ZIP64 end record.
    const locator = eocd - 20;
    if (locator < 0 || data.readUInt32LE(locator) !== 0x07064b50) return undefined;
    const at = Number(data.readBigUInt64LE(locator + 8));
    if (at + 56 > data.length || data.readUInt32LE(at) !== 0x06064b50) return undefined;
    total = Number(data.readBigUInt64LE(at + 32));
    size = Number(data.readBigUInt64LE(at + 40));
    offset = Number(data.readBigUInt64LE(at + 48));
  }
  if (total > maxParts) {
    return `文件包含 ${count(total)} 个部件，超过 ${cap(maxParts, '个')}的上限，已拒绝读取`;
  }
  if (offset + size > data.length) return undefined;
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let k = 0; k < total; k++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return undefined;
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    const flags = data.readUInt16LE(p + 8);
    const entry: ZipEntry = {
      name: data.toString('utf8', p + 46, p + 46 + nameLength),
      method: data.readUInt16LE(p + 10),
      compressedSize: data.readUInt32LE(p + 20),
      size: data.readUInt32LE(p + 24),
      localOffset: data.readUInt32LE(p + 42),
    };
    // ZIP64 extended information: the 64-bit values of the fields that read 0xFFFFFFFF, in order.
    let e = p + 46 + nameLength;
    const extraEnd = Math.min(e + extraLength, data.length);
    while (e + 4 <= extraEnd) {
      const id = data.readUInt16LE(e);
      const length = data.readUInt16LE(e + 2);
      if (id === 0x7075 && (flags & 0x0800) === 0 && length >= 5 && e + 4 + length <= data.length) {
        // Info-ZIP Unicode Path: JSZip names the part by it when the UTF-8 flag is not set, and
        // so exceljs reads it under that name; the guard must scan it under the same name.
        entry.name = data.toString('utf8', e + 9, e + 4 + length);
      }
      if (id === 0x0001) {
        let f = e + 4;
        const next = (): number | undefined => {
          if (f + 8 > e + 4 + length || f + 8 > data.length) return undefined;
          const v = Number(data.readBigUInt64LE(f));
          f += 8;
          return v;
        };
        if (entry.size === 0xffffffff) entry.size = next() ?? entry.size;
        if (entry.compressedSize === 0xffffffff) {
          entry.compressedSize = next() ?? entry.compressedSize;
        }
        if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
      }
      e += 4 + length;
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function ratioProblem(
  name: string,
  size: number,
  compressed: number,
  limit: number,
): string | null {
  if (size <= RATIO_GRACE_BYTES) return null;
  const ratio = size / Math.max(compressed, 1);
  if (ratio <= limit) return null;
  return `文件中的部件“${shown(name)}”解压后是压缩时的 ${count(Math.round(ratio))} 倍，超过 ${cap(limit, '倍')}的上限（疑似压缩炸弹），已拒绝读取`;
}

/** The parts the scan reads: worksheets (as exceljs finds them), the workbook and its relations. */
const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
const WANTED = (name: string) =>
  WORKSHEET.test(name) || name === 'xl/workbook.xml' || name === 'xl/_rels/workbook.xml.rels';

/** Inflates every part within the caps; the parts the scan reads, as latin1 text. */
function inflateParts(
  data: Buffer,
  entries: readonly ZipEntry[],
  limits: WorkbookLimits,
): Map<string, string> | string | undefined {
  const tooBig = `文件解压后超过 ${mb(limits.uncompressedBytes)} MB 上限，已拒绝读取`;
  let declared = 0;
  for (const entry of entries) {
    declared += entry.size;
    if (declared > limits.uncompressedBytes) return tooBig;
    const ratio = ratioProblem(entry.name, entry.size, entry.compressedSize, limits.ratio);
    if (ratio) return ratio;
  }
  const texts = new Map<string, string>();
  let inflated = 0;
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) return undefined;
    const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
    const end = start + entry.compressedSize;
    if (end > data.length) return undefined;
    const raw = data.subarray(start, end);
    let bytes: Buffer;
    if (entry.method === 0) {
      bytes = raw;
    } else if (entry.method === 8) {
      try {
        bytes = zlib.inflateRawSync(raw, {
          maxOutputLength: Math.max(1, limits.uncompressedBytes - inflated + 1),
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooBig;
        return undefined;
      }
    } else {
      return undefined;
    }
    inflated += bytes.length;
    if (inflated > limits.uncompressedBytes) return tooBig;
    const ratio = ratioProblem(entry.name, bytes.length, raw.length, limits.ratio);
    if (ratio) return ratio;
    if (WANTED(entry.name)) texts.set(entry.name, bytes.toString('latin1'));
  }
  return texts;
}

/** Latin1 text (the scanned parts' bytes) read back as UTF-8: names in the workbook. */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Character and entity references resolved, as an XML parser reads them. */
function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_m, e: string) => {
    if (e.startsWith('#')) {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'amp' ? '&' : e === 'quot' ? '"' : "'";
  });
}

const ATTRIBUTE = /([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * An attribute's value, read attribute by attribute from the start (so a value that itself holds
 * ` r="…"` is not taken for the attribute), references resolved.
 */
function attribute(attrs: string, name: string): string | undefined {
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(attrs); m; m = ATTRIBUTE.exec(attrs)) {
    if (m[1] === name) return unescapeXml(m[2] ?? m[3] ?? '');
  }
  return undefined;
}

/** Worksheet part name → the sheet's name in the workbook, for messages. */
function sheetNames(texts: Map<string, string>): Map<string, string> {
  const names = new Map<string, string>();
  const workbook = texts.get('xl/workbook.xml') ?? '';
  const rels = texts.get('xl/_rels/workbook.xml.rels') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<(?:\w+:)?Relationship\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attrs = m[1] ?? '';
    const id = attribute(attrs, 'Id');
    const target = attribute(attrs, 'Target');
    if (id && target) targets.set(id, target.replace(/^\/?(xl\/)?/, 'xl/'));
  }
  for (const m of workbook.matchAll(/<(?:\w+:)?sheet\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attrs = utf8(m[1] ?? '');
    const name = attribute(attrs, 'name');
    const id = attribute(attrs, 'r:id');
    const target = id ? targets.get(id) : undefined;
    if (name !== undefined && target) names.set(target, name);
  }
  return names;
}

type Range = [top: number, left: number, bottom: number, right: number];

/** 'B5:D7', '$A$1', 'A:C' (whole columns), '4:4' (whole rows) → its corners. */
function decodeRange(text: string): Range | undefined {
  // exceljs reads a reference by skipping every character that is not a letter or a digit
  // (A2:X_FD1000 is A2:XFD1000 to it): so does the guard, and takes any length at face value.
  const ref = (text.split('!').pop() ?? '').toUpperCase().replace(/[^A-Z0-9:$]/g, '');
  const cells = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(ref);
  if (cells) {
    const top = Number(cells[2]);
    const left = columnNumber(cells[1] as string);
    const bottom = cells[4] === undefined ? top : Number(cells[4]);
    const right = cells[3] === undefined ? left : columnNumber(cells[3]);
    return [
      Math.min(top, bottom),
      Math.min(left, right),
      Math.max(top, bottom),
      Math.max(left, right),
    ];
  }
  const columns = /^\$?([A-Z]+):\$?([A-Z]+)$/.exec(ref);
  if (columns) {
    const a = columnNumber(columns[1] as string);
    const b = columnNumber(columns[2] as string);
    return [1, Math.min(a, b), 1_048_576, Math.max(a, b)];
  }
  const rows = /^\$?(\d+):\$?(\d+)$/.exec(ref);
  if (rows) {
    const a = Number(rows[1]);
    const b = Number(rows[2]);
    return [Math.min(a, b), 1, Math.max(a, b), 16_384];
  }
  return undefined;
}

function area([top, left, bottom, right]: Range): number {
  return (bottom - top + 1) * (right - left + 1);
}

interface Totals {
  cells: number;
  merges: number;
  mergedCells: number;
  rangeCells: number;
}

/** An element's start tag; a quoted attribute value may hold ">". */
const TAG =
  /<(?:[A-Za-z_][\w.-]*:)?(row|c|col|mergeCell|dataValidation)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/** Scans one worksheet's XML; a message when it passes a cap. */
function scanSheet(
  xml: string,
  sheet: string,
  limits: WorkbookLimits,
  totals: Totals,
): string | null {
  const where = `工作表“${shown(sheet)}”`;
  const rowProblem = (row: number) =>
    `${where}用到第 ${count(row)} 行，超过 ${cap(limits.rows, '行')}的上限，已拒绝读取`;
  const columnProblem = (col: number) =>
    `${where}用到第 ${count(col)} 列（${columnName(col)} 列），超过 ${cap(limits.columns, '列')}的上限，已拒绝读取`;
  let row = 0;
  let col = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(xml); m; m = TAG.exec(xml)) {
    const tag = m[1];
    const attrs = m[2] ?? '';
    if (tag === 'row') {
      const r = attribute(attrs, 'r');
      row = r === undefined ? row + 1 : Number(r);
      col = 0;
      if (!Number.isSafeInteger(row) || row < 1) {
        return `${where}的行号“${shown(r ?? '')}”无效，已拒绝读取`;
      }
      if (row > limits.rows) return rowProblem(row);
    } else if (tag === 'c') {
      const r = attribute(attrs, 'r');
      const ref =
        r === undefined
          ? undefined
          : /^\$?([A-Z]+)\$?(\d+)$/.exec(r.toUpperCase().replace(/[^A-Z0-9$]/g, ''));
      if (r !== undefined && !ref) return `${where}的单元格编号“${shown(r)}”无效，已拒绝读取`;
      if (ref) {
        col = columnNumber((ref[1] as string).toUpperCase());
        const cellRow = Number(ref[2]);
        if (cellRow > limits.rows) return rowProblem(cellRow);
      } else {
        col += 1;
      }
      if (col > limits.columns) return columnProblem(col);
      totals.cells += 1;
      if (totals.cells > limits.cells) {
        return `工作簿的单元格超过 ${cap(limits.cells, '个')}的上限，已拒绝读取`;
      }
    } else if (tag === 'col') {
      // A column definition: exceljs makes an object for every column from min to max.
      for (const name of ['min', 'max']) {
        const value = attribute(attrs, name);
        if (value === undefined) continue;
        const n = Number(value);
        if (!Number.isSafeInteger(n) || n < 1) {
          return `${where}的列定义“${shown(value)}”无效，已拒绝读取`;
        }
        if (n > limits.columns) return columnProblem(n);
      }
    } else if (tag === 'mergeCell') {
      const ref = attribute(attrs, 'ref') ?? '';
      const range = decodeRange(ref);
      if (!range) return `${where}的合并单元格区域“${shown(ref)}”无法识别，已拒绝读取`;
      totals.merges += 1;
      if (totals.merges > limits.merges) {
        return `${where}的合并单元格超过 ${cap(limits.merges, '处')}的上限，已拒绝读取`;
      }
      if (range[2] > limits.rows || range[3] > limits.columns) {
        return `${where}的合并单元格区域 ${shown(ref)} 过大（超出 ${cap(limits.rows, '行')}、${cap(limits.columns, '列')}的上限），已拒绝读取`;
      }
      totals.mergedCells += area(range);
      if (totals.mergedCells > limits.mergedCells) {
        return `${where}的合并单元格区域 ${shown(ref)} 过大（合并单元格共计上限 ${cap(limits.mergedCells, '个单元格')}），已拒绝读取`;
      }
    } else {
      const sqref = attribute(attrs, 'sqref') ?? '';
      for (const part of sqref.split(/\s+/)) {
        if (part === '') continue;
        const range = decodeRange(part);
        if (!range) return `${where}的数据验证区域“${shown(part)}”无法识别，已拒绝读取`;
        totals.rangeCells += area(range);
        if (totals.rangeCells > limits.rangeCells) {
          return `${where}的数据验证区域 ${shown(part)} 过大（数据验证和名称共计上限 ${cap(limits.rangeCells, '个单元格')}），已拒绝读取`;
        }
      }
    }
  }
  return null;
}

/** The workbook's defined names: exceljs expands every absolute range in them cell by cell. */
function scanDefinedNames(xml: string, limits: WorkbookLimits, totals: Totals): string | null {
  for (const m of xml.matchAll(/<(?:\w+:)?definedName\b((?:[^>"']|"[^"]*"|'[^']*')*)>([^<]*)</g)) {
    for (const part of unescapeXml(utf8(m[2] ?? '')).split(',')) {
      const range = decodeRange(part);
      if (!range) continue;
      totals.rangeCells += area(range);
      if (totals.rangeCells > limits.rangeCells) {
        return `工作簿的名称“${shown(attribute(utf8(m[1] ?? ''), 'name') ?? '')}”引用的区域 ${shown(part.trim())} 过大（数据验证和名称共计上限 ${cap(limits.rangeCells, '个单元格')}），已拒绝读取`;
      }
    }
  }
  return null;
}

/** The first cap the file's size passes, as a message; null when within. */
export function fileSizeProblem(
  bytes: number,
  limits: Pick<WorkbookLimits, 'fileBytes'>,
): string | null {
  return bytes > limits.fileBytes
    ? `文件有 ${mb(bytes)} MB，超过 ${mb(limits.fileBytes)} MB 的上限，已拒绝读取`
    : null;
}

/** Checks a workbook's bytes against the caps before anything parses it. */
export function checkWorkbook(input: Buffer | ArrayBuffer, limits: WorkbookLimits): WorkbookCheck {
  const data = Buffer.isBuffer(input) ? input : Buffer.from(input);
  const size = fileSizeProblem(data.length, limits);
  if (size) return refuse(size);
  const entries = centralDirectory(data, limits.parts);
  if (entries === undefined) return NOT_A_ZIP;
  if (typeof entries === 'string') return refuse(entries);
  const texts = inflateParts(data, entries, limits);
  if (texts === undefined) return NOT_A_ZIP;
  if (typeof texts === 'string') return refuse(texts);

  const names = sheetNames(texts);
  const totals: Totals = { cells: 0, merges: 0, mergedCells: 0, rangeCells: 0 };
  const workbook = texts.get('xl/workbook.xml');
  const named = workbook === undefined ? null : scanDefinedNames(workbook, limits, totals);
  if (named) return refuse(named);
  for (const [part, xml] of texts) {
    const sheet = WORKSHEET.exec(part);
    if (!sheet) continue;
    const name = names.get(part.replace(/^\//, '')) ?? `sheet${sheet[1]}`;
    const problem = scanSheet(xml, name, limits, totals);
    if (problem) return refuse(problem);
  }
  return { ok: true };
}
