import { z } from 'zod';

import { IdSchema } from './domain/enterprise';
import { text } from './text';

/**
 * Unsaved typing kept on the device (issue #16): the API's shape of a draft. A draft is one
 * field's pending value of a visit or a plan, with the saved stamp it was typed over (`base`)
 * and when it was typed (`writtenAt`, milliseconds). The values are checked again by the normal
 * save when a draft is applied; here only their size is bounded.
 */

export const DRAFT_SCOPES = ['inspection', 'plan'] as const;
export type DraftScope = (typeof DRAFT_SCOPES)[number];

/** A draft's value as JSON text, at most this long (a plan's whole edit fits). */
export const DRAFT_MAX_CHARS = 512 * 1024;

const DraftScopeSchema = z.enum(DRAFT_SCOPES, { error: '暂存的范围应为检查或方案' });
const DraftKeySchema = text('暂存字段').min(1).max(300);
const WrittenAtSchema = z.number().int().min(0).max(8_640_000_000_000_000);

export const DraftSchema = z
  .object({
    scope: DraftScopeSchema,
    recordId: IdSchema,
    key: DraftKeySchema,
    value: z.json().refine((v) => JSON.stringify(v).length <= DRAFT_MAX_CHARS, '暂存的内容过长'),
    base: text('暂存依据').max(200).nullable(),
    writtenAt: WrittenAtSchema,
  })
  .strict();
export type DraftInput = z.output<typeof DraftSchema>;

export const DraftClearSchema = z
  .object({
    scope: DraftScopeSchema,
    recordId: IdSchema,
    key: DraftKeySchema,
    upTo: WrittenAtSchema,
  })
  .strict();

export const DraftWriteSchema = z
  .object({
    put: z.array(DraftSchema).max(500, '一次最多暂存500处'),
    clear: z.array(DraftClearSchema).max(500, '一次最多清除500处'),
  })
  .strict();

export const DraftListSchema = z.object({ scope: DraftScopeSchema, recordId: IdSchema }).strict();

export interface Draft {
  scope: DraftScope;
  recordId: string;
  key: string;
  value: unknown;
  base: string | null;
  writtenAt: number;
}
