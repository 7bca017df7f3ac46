/** The page and type of every Uplift PDF: A4 and its margins, colours, sizes, heading spacing, cell padding and line gaps, and the 指标待核实 mark. */
export const DRAFT_MARK = '指标待核实';

/** A4 in points, and the type area inside the margins. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = { top: 76, bottom: 66, left: 62, right: 62 } as const;

export const COLOR = {
  text: '#1a1a1a',
  muted: '#5f5f5f',
  rule: '#8c8c8c',
  border: '#7a7a7a',
  headerFill: '#eceff3',
  labelFill: '#f5f6f8',
  red: '#c0161d',
} as const;

export const SIZE = { title: 18, h1: 13, h2: 11, h3: 10, body: 10, table: 9, small: 8 } as const;

export type HeadingLevel = 1 | 2 | 3;
export const HEADING: Record<HeadingLevel, { size: number; before: number; after: number }> = {
  1: { size: SIZE.h1, before: 8, after: 3 },
  2: { size: SIZE.h2, before: 5, after: 2 },
  3: { size: SIZE.h3, before: 2, after: 1 },
};

export const CELL_PAD = { x: 4, y: 3 } as const;

/** Noto Sans Hans has a line gap of 0.5 em; tables and captions tighten it a little. */
export const TABLE_LINE_GAP = -1.5;
export const CAPTION_LINE_GAP = -1;

/** The two weights of the embedded CJK font, as the writer registers them. */
export type FontName = 'zh' | 'zh-bold';
