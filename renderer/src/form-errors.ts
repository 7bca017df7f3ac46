/** A problem reported for a path: a zod issue (path segments) or an API issue ('draft.creditCode'). */
export interface PathIssue {
  path: string | readonly PropertyKey[];
  message: string;
}

export interface FieldErrors<F extends string> {
  /** Messages per form field, in the order they were reported. */
  byField: Map<F, string[]>;
  /** Messages that belong to no field of the form. */
  other: string[];
}

function segments(path: PathIssue['path']): string[] {
  if (typeof path === 'string') return path === '' ? [] : path.split('.');
  return path.map(String);
}

/**
 * Sorts issues under the form's fields: the last path segment that names a field wins, so
 * 'creditCode', ['creditCode'] and 'draft.creditCode' all land on creditCode.
 */
export function fieldErrors<F extends string>(
  issues: readonly PathIssue[],
  fields: readonly F[],
): FieldErrors<F> {
  const byField = new Map<F, string[]>();
  const other: string[] = [];
  for (const issue of issues) {
    const field = segments(issue.path)
      .reverse()
      .find((s): s is F => (fields as readonly string[]).includes(s));
    if (field === undefined) {
      other.push(issue.message);
      continue;
    }
    const list = byField.get(field) ?? [];
    if (!list.includes(issue.message)) list.push(issue.message);
    byField.set(field, list);
  }
  return { byField, other };
}
