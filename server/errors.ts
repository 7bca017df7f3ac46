import type { SyncError, SyncErrorBody, SyncErrorDetail } from '../shared/sync/protocol';

export type SyncErrorCode = SyncError['code'];

/** The HTTP status of each protocol error code. */
export const STATUS: Record<
  SyncErrorCode,
  400 | 401 | 403 | 404 | 409 | 413 | 422 | 426 | 429 | 500
> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  upgrade_required: 426,
  too_many_attempts: 429,
  internal: 500,
};

/**
 * A refusal the client is meant to read: a protocol code, a Chinese message and, where the client
 * can act on it, a detail (the expected upload offset, the seq the server expects next).
 */
export class SyncFailure extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly detail: SyncErrorDetail = {},
    readonly status: number = STATUS[code],
  ) {
    super(message);
    this.name = 'SyncFailure';
  }

  toBody(): SyncErrorBody {
    return { ...this.detail, code: this.code, message: this.message };
  }
}

/**
 * An unexpected error as the server log may keep it: its kind, the database's error code and
 * where it was thrown — never its message, which for a database error (drizzle's "Failed query …
 * params: …", PostgreSQL's "invalid input syntax …: "<value>"") carries the row values it was
 * given: names, phones, notes.
 */
export function logSafeError(e: unknown): string {
  if (!(e instanceof Error)) return `非 Error 的异常（${typeof e}）`;
  const parts: string[] = [];
  let at: unknown = e;
  for (let depth = 0; at instanceof Error && depth < 4; depth++) {
    const code = (at as { code?: unknown }).code;
    parts.push(`${at.name}${typeof code === 'string' ? ` [${code}]` : ''}`);
    at = at.cause;
  }
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 12);
  return [parts.join(' ← '), ...frames].join('\n');
}
