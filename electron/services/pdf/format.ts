/**
 * How dates, times and section numbers read in a Chinese document: 2025年6月1日,
 * 2025-06-01 10:30 (China time, UTC+8), 一、二、…. Facts, requirements and grades are worded by
 * shared/grading/text.ts, the one wording the screens and the PDFs share.
 */

const CHINA_OFFSET_MS = 8 * 3600_000;

/** 2025-06-01 10:30, China time, whatever the machine's zone. */
export function formatDateTime(epochMs: number): string {
  const iso = new Date(epochMs + CHINA_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** 2025-06-01 → 2025年6月1日. */
export function formatDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (section numbers up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n >= 100) return String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}
