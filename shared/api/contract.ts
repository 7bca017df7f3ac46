import type { z } from 'zod';

import type { SyncStatus } from '../sync/status';

import { appMethods } from './methods/app';
import { enterpriseMethods } from './methods/enterprises';
import { inspectionMethods } from './methods/inspections';
import { planMethods } from './methods/plans';
import { reviewMethods } from './methods/reviews';
import { rulesetMethods } from './methods/rulesets';
import { syncMethods } from './methods/sync';
import './zod-locale';

export type { AppInfo } from './methods/app';
export type { FilePayload, MethodSpec } from './methods/common';
export {
  RegistryFilterSchema,
  type FieldChange,
  type ImportPreview,
  type ImportProblem,
  type RegistryFilter,
} from './methods/enterprises';
export type {
  RulesetDetail,
  RulesetIndicatorBrief,
  RulesetPreview,
  RulesetSummary,
} from './methods/rulesets';
export { DEFERRED_PAGE_MAX } from './methods/sync';
export {
  ApplicationListSchema,
  REVIEW_PAGE_MAX,
  type ApplicationPage,
  type DowngradeProposal,
  type GradeHistory,
  type PublicationPreview,
  type PublicationSummary,
  type ReviewAccount,
} from './methods/reviews';

/**
 * The one API contract: method name → input schema and output type.
 *
 * When adding a method: add it to its domain's group under shared/api/methods/ (`domain.verb`), then add its handler to the domain's handler
 * group in electron/api/handlers/. The merged handlers `satisfies Handlers`, so forgetting the
 * handler is a compile error; both transports pick the method up with nothing else to change.
 */

export const contract = {
  ...appMethods,
  ...enterpriseMethods,
  ...rulesetMethods,
  ...inspectionMethods,
  ...planMethods,
  ...syncMethods,
  ...reviewMethods,
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
/** What a caller passes (before the schema's defaults and transforms). */
export type Input<M extends Method> = z.input<Contract[M]['input']>;
/** What a handler receives (after validation). */
export type ParsedInput<M extends Method> = z.output<Contract[M]['input']>;
export type Output<M extends Method> = Contract[M]['output'];

/** Events pushed from the Node side to the renderer. */
export interface Events {
  /** Data of these tables changed; stores refetch what they show. */
  'data.changed': { tables: string[] };
  /** A long task moved on: `done` of `total` in its current phase (读取, 校验, 写入…). */
  'task.progress': { taskId: string; phase: string; done: number; total: number };
  /** Sync's state changed (a run started or ended, a setting, a parked op or conflict settled). */
  'sync.status': SyncStatus;
}
export type EventName = keyof Events;

export const METHODS = Object.keys(contract) as Method[];

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** What electron/preload.ts exposes on `window.uplift`, and all it exposes. */
export interface PreloadApi {
  invoke(method: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
