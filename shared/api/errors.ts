import type { z } from 'zod';

/** The kinds of failure a caller can tell apart. Messages are Chinese, for the UI. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'unknown_method'
  | 'cancelled'
  | 'internal';

export interface Issue {
  /** Dotted path of the field, such as `draft.creditCode`; empty for the whole input. */
  path: string;
  message: string;
}

/** What crosses both transports when a call fails. */
export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  issues?: Issue[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** A failure meant for the user: thrown by services, carried to the UI as `{ code, message }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: Issue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }

  toShape(): ApiErrorShape {
    return this.issues
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message };
  }
}

/** Turns a zod failure into an `invalid_input` error whose message lists every problem. */
export function invalidInput(error: z.ZodError): AppError {
  const issues: Issue[] = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const message = issues.map((i) => i.message).join('；');
  return new AppError('invalid_input', message || '输入格式不正确', issues);
}

export function isApiErrorShape(value: unknown): value is ApiErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
