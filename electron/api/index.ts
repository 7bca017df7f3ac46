import { contract, isMethod } from '../../shared/api/contract';
import {
  AppError,
  invalidInput,
  type ApiErrorShape,
  type ApiResult,
} from '../../shared/api/errors';
import type { AppContext } from '../services/context';

import { appHandlers } from './handlers/app';
import { draftHandlers } from './handlers/draft';
import { enterpriseHandlers } from './handlers/enterprise';
import { gradeHandlers } from './handlers/grade';
import { inspectionHandlers } from './handlers/inspection';
import { planHandlers } from './handlers/plan';
import { processHandlers } from './handlers/process';
import { publicationHandlers } from './handlers/publication';
import { registryHandlers } from './handlers/registry';
import { reviewHandlers } from './handlers/review';
import { rulesetHandlers } from './handlers/ruleset';
import { syncHandlers } from './handlers/sync';
import { trashHandlers } from './handlers/trash';
import { violationHandlers } from './handlers/violation';
import { mergeHandlers } from './merge';
import type { Handlers } from './types';

/** All handlers; `satisfies Handlers` makes a contract method without a handler a compile error. */
export const handlers = mergeHandlers(
  appHandlers,
  draftHandlers,
  enterpriseHandlers,
  processHandlers,
  registryHandlers,
  rulesetHandlers,
  inspectionHandlers,
  violationHandlers,
  planHandlers,
  syncHandlers,
  trashHandlers,
  reviewHandlers,
  gradeHandlers,
  publicationHandlers,
) satisfies Handlers;

/**
 * The one entry both transports (Electron IPC, the loopback HTTP host) and the CLI call:
 * checks the method name, validates the input with the contract's schema, runs the handler and
 * turns any failure into `{ code, message }`. Invalid input reaches no handler and changes nothing.
 */
export async function dispatch(
  ctx: AppContext,
  method: string,
  input: unknown,
): Promise<ApiResult<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown_method', message: `未知的接口方法：${method}` } };
  }
  const parsed = contract[method].input.safeParse(input === undefined ? {} : input);
  if (!parsed.success) return { ok: false, error: invalidInput(parsed.error).toShape() };
  try {
    // The schema of `method` produced parsed.data, so it is the input this handler takes.
    const handler = handlers[method] as (input: unknown, ctx: AppContext) => unknown;
    const value = await handler(parsed.data, ctx);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toErrorShape(e) };
  }
}

export function toErrorShape(e: unknown): ApiErrorShape {
  if (e instanceof AppError) return e.toShape();
  const detail = e instanceof Error ? e.message : String(e);
  console.error('[uplift] internal error:', e);
  return { code: 'internal', message: `内部错误：${detail}` };
}
