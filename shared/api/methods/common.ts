import { z } from 'zod';
import { IdSchema } from '../../domain/enterprise';
import { safeFileName } from '../../file-name';

/**
 * What the method groups share: `method(input).returns<O>()` and the schemas several use (a file
 * name, a file crossing the API, an id, a task id).
 */
export function method<I extends z.ZodType>(input: I) {
  return {
    returns<O>(): MethodSpec<I, O> {
      return { input, output: undefined as unknown as O };
    },
  };
}

export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  /** Type-level only: never read at run time. */
  readonly output: O;
}

/**
 * A file name a person picked (a photo, a bundle): cleaned, not refused — the content is what
 * matters, the name only labels it (shared/file-name.ts removes controls, direction overrides and
 * path separators).
 */
export const FileName = z
  .string()
  .trim()
  .min(1, '缺少文件名')
  .max(255)
  .transform((name) => safeFileName(name));

export const Empty = z.object({}).strict();

/** A file crossing the API (Excel or JSON), base64-encoded. */
export interface FilePayload {
  fileName: string;
  dataBase64: string;
}

export const FileSchema = z
  .object({
    fileName: FileName,
    // 10 MB of file is about 13.4 MB of base64 (the loopback host takes 30 MB bodies).
    dataBase64: z
      .string()
      .max(14_000_000, '文件超过 10 MB')
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict();

export const ById = z.object({ id: IdSchema }).strict();

/** A long task the caller can follow (task.progress events) and cancel (task.cancel). */
export const TaskId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '任务编号格式不正确')
  .optional();
