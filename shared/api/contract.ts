import { z } from 'zod';

import {
  EnterpriseDraftSchema,
  EnterpriseQuerySchema,
  EnterpriseUpdateSchema,
  IdSchema,
  type Enterprise,
  type EnterprisePage,
} from '../domain/enterprise';

import './zod-locale';

/**
 * The one API contract: method name → input schema and output type.
 *
 * When adding a method: add it here (`domain.verb`), then add its handler to the domain's handler
 * group in electron/api/handlers/. The merged handlers `satisfies Handlers`, so forgetting the
 * handler is a compile error; both transports pick the method up with nothing else to change.
 */
function method<I extends z.ZodType>(input: I) {
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

const Empty = z.object({}).strict();

export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser' | 'cli';
  dataDir: string;
  databaseFile: string;
  deviceId: string;
  /** Local changes recorded in the outbox and not yet acknowledged by the central store. */
  pendingOps: number;
  enterpriseCount: number;
}

export const contract = {
  'app.info': method(Empty).returns<AppInfo>(),
  'enterprise.list': method(EnterpriseQuerySchema).returns<EnterprisePage>(),
  'enterprise.get': method(z.object({ id: IdSchema }).strict()).returns<Enterprise>(),
  'enterprise.create': method(EnterpriseDraftSchema).returns<Enterprise>(),
  'enterprise.update': method(EnterpriseUpdateSchema).returns<Enterprise>(),
  'enterprise.delete': method(z.object({ id: IdSchema }).strict()).returns<{ id: string }>(),
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
