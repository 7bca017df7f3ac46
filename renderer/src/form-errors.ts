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

/** The part of an antd form instance `showRefusal` needs. */
export interface FieldSetter<F extends string> {
  setFields: (fields: { name: F; errors: string[] }[]) => void;
}

/**
 * Shows why the API refused a form: each issue under its field (the first per field), and
 * returns what belongs to no field (or the whole message when there are no issues) for the
 * form's alert, or null when every issue found its field.
 */
export function showRefusal<F extends string>(
  form: FieldSetter<F>,
  fields: readonly F[],
  error: unknown,
): string | null {
  const issues =
    typeof error === 'object' && error !== null && 'issues' in error
      ? ((error as { issues?: readonly PathIssue[] }).issues ?? [])
      : [];
  if (issues.length === 0) return error instanceof Error ? error.message : String(error);
  const { byField, other } = fieldErrors(issues, fields);
  form.setFields(fields.map((name) => ({ name, errors: (byField.get(name) ?? []).slice(0, 1) })));
  return other.length > 0 ? other.join('；') : null;
}
