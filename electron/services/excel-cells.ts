/** Reading exceljs cell values, shared by the ruleset and 附件2 workbooks. */

export type Scalar = string | number | boolean | Date;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A cell value as a scalar: rich text joined, a formula's result, a link's text. */
export function scalarOf(v: unknown): Scalar | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (isRecord(v)) {
    if (Array.isArray(v.richText)) {
      return v.richText
        .map((t) => (isRecord(t) && typeof t.text === 'string' ? t.text : ''))
        .join('');
    }
    if ('formula' in v || 'sharedFormula' in v) return scalarOf(v.result);
    if ('hyperlink' in v) return scalarOf(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return undefined;
}
