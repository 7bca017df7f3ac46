import fs from 'node:fs';

import * as fontkit from 'fontkit';

/** What the writer draws from files: the fonts, parsed once per process, and which images it can draw (and what the others are called). */
export const DRAWABLE = new Set(['image/png', 'image/jpeg']);

/** What pdfkit's openImage() returns (not in @types/pdfkit). */
export interface OpenedImage {
  width: number;
  height: number;
}

/**
 * Parsed fonts by file. Parsing is lazy in fontkit: the first document that lays out text and
 * subsets a font decodes its CFF tables (most of a second for the two weights), so the parsed
 * fonts are kept for the process's life. A font file never changes under a running app, and
 * each document makes its own subset (fontkit's createSubset()), so sharing is safe.
 */
const parsedFonts = new Map<string, fontkit.Font>();

export function parseFont(file: string): Buffer {
  let font = parsedFonts.get(file);
  if (!font) {
    font = fontkit.create(fs.readFileSync(file)) as fontkit.Font;
    parsedFonts.set(file, font);
  }
  // pdfkit takes any object with .layout() (a parsed fontkit font); @types/pdfkit knows only
  // paths and buffers, hence the cast.
  return font as unknown as Buffer;
}

export function describeUndrawable(mimeType: string): string {
  switch (mimeType) {
    case 'application/pdf':
      return 'PDF 文件，请另行查看原件';
    case 'image/webp':
      return 'WebP 图片，PDF 中不显示';
    case 'image/heic':
    case 'image/heif':
      return 'HEIC 图片，PDF 中不显示';
    default:
      return '无法显示的文件';
  }
}
