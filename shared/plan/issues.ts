import type { z } from 'zod';

import type { Checked, GradingIssue } from '../grading';

/**
 * Turns zod's issues into the house's `{ path, message }` problems, with JSON paths written as
 * shared/grading/validate.ts writes them (`entries[3].match.keywords[0]`), so an expert editing a
 * resources/plan file reads the same kind of message as for a ruleset.
 */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else {
      const s = String(k);
      out += /^[A-Za-z_$][\w$]*$/.test(s) ? (out === '' ? s : `.${s}`) : `[${JSON.stringify(s)}]`;
    }
  }
  return out;
}

export function issuesOf(error: z.ZodError): GradingIssue[] {
  return error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message }));
}

/** Parses with a schema and answers like the grading validators: every problem, or the value. */
export function check<T>(schema: z.ZodType<T>, raw: unknown): Checked<T> {
  const parsed = schema.safeParse(raw);
  return parsed.success
    ? { ok: true, value: parsed.data, warnings: [] }
    : { ok: false, issues: issuesOf(parsed.error) };
}
