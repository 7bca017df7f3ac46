import { z } from 'zod';

import { isIsoDate } from '../grading/validate';
import { multilineText, text as wellFormedText } from '../text';

/**
 * Field builders whose every message names the field in Chinese ("缺少…", "…应为文本"), so a
 * problem can be shown as it is, in a form or beside a JSON path.
 */

function typeError(label: string, expected: string) {
  return (iss: { input?: unknown }) =>
    iss.input === undefined ? `缺少${label}` : `${label}应为${expected}`;
}

/** Where text may span lines (a measure, a note): tab and line breaks are allowed there. */
export interface TextOptions {
  multiline?: boolean;
}

/** A string of well-formed text (shared/text.ts), single-line unless `multiline`. */
function wellFormed(label: string, options: TextOptions) {
  return (options.multiline ? multilineText : wellFormedText)(label, typeError(label, '文本'));
}

/** Text, trimmed; `min` 1 makes it required (blank is refused). */
export function text(label: string, max: number, min = 0, options: TextOptions = {}) {
  const s = wellFormed(label, options).trim();
  const bounded = s.max(max, `${label}不能超过${max}个字`);
  return min > 0 ? bounded.min(min, `请填写${label}`) : bounded;
}

/** Optional text: absent, null or blank becomes null. */
export function optionalText(label: string, max: number, options: TextOptions = {}) {
  return wellFormed(label, options)
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));
}

/** A list of non-empty texts. */
export function textList(label: string, maxItems: number, maxLength = 200) {
  return z
    .array(text(label, maxLength, 1), { error: typeError(label, '文本列表') })
    .max(maxItems, `${label}不能超过${maxItems}项`);
}

/** A finite number at least `min`. */
export function number(label: string, min: number, unit = '') {
  return z.number({ error: typeError(label, '数字') }).min(min, `${label}不能小于${min}${unit}`);
}

/** A positive finite number (a limit). */
export function positive(label: string) {
  return z.number({ error: typeError(label, '数字') }).positive(`${label}应大于0`);
}

/** YYYY-MM-DD, a real day; absent, null or blank becomes null. */
export function optionalDate(label: string) {
  return z
    .string({ error: typeError(label, '日期') })
    .trim()
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v))
    .refine((v) => v === null || isIsoDate(v), {
      message: `${label}应为日期 YYYY-MM-DD，例如 2025-09-30`,
    });
}

/** An object that refuses fields it does not know, naming them. */
export function strictObject<T extends z.core.$ZodLooseShape>(label: string, shape: T) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `${label}中有未知字段：${(iss as { keys?: string[] }).keys?.join('、') ?? ''}`
        : `${label}应为对象`,
  });
}
