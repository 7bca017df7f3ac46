import { z } from 'zod';

import {
  EnterpriseDraftSchema,
  EnterpriseQuerySchema,
  EnterpriseUpdateSchema,
  IdSchema,
  type Enterprise,
  type EnterprisePage,
} from '../domain/enterprise';

import type { Catalog } from '../domain/catalog';
import { ProcessDraftSchema, ProcessUpdateSchema, type Process } from '../domain/process';
import type { Ruleset } from '../grading/types';

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

/** A ruleset of the library, as the 分级指标库 lists it. */
export interface RulesetSummary {
  id: string;
  industry: string;
  branch: string | null;
  edition: string;
  status: 'draft' | 'verified';
  source: string;
  sourceNote: string | null;
  indicatorCount: number;
  grades: string[];
  origin: 'shipped' | 'imported';
  hash: string;
}

export interface RulesetDetail {
  summary: RulesetSummary;
  ruleset: Ruleset;
}

/** A file crossing the API (Excel or JSON), base64-encoded. */
export interface FilePayload {
  fileName: string;
  dataBase64: string;
}

const FileSchema = z
  .object({
    fileName: z.string().trim().min(1, '缺少文件名').max(255),
    // 10 MB of file is about 13.4 MB of base64 (the loopback host takes 20 MB bodies).
    dataBase64: z
      .string()
      .max(14_000_000, '文件超过 10 MB')
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict();

/** A long task the caller can follow (task.progress events) and cancel (task.cancel). */
const TaskId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, '任务编号格式不正确')
  .optional();

/** The registry filters an export applies (the registry screen's current filters). */
export const RegistryFilterSchema = EnterpriseQuerySchema.pick({
  text: true,
  cityCode: true,
  countyCode: true,
  industryCode: true,
  currentGrade: true,
  targetGrade: true,
});
export type RegistryFilter = z.output<typeof RegistryFilterSchema>;

/** One problem of an import file: where it is, what it holds, and why it is refused. */
export interface ImportProblem {
  /** Excel row number (1-based), or null for the whole file. */
  row: number | null;
  /** The column's header (such as 县（市、区）), or null. */
  column: string | null;
  value: string | null;
  message: string;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

/** What an import would do (or did), before anything is written. */
export interface ImportPreview {
  rows: number;
  enterprisesAdded: number;
  processesAdded: number;
  /** Existing enterprises or processes whose fields the file changes, with the changes. */
  changed: { row: number; enterprise: string; industry: string | null; changes: FieldChange[] }[];
  unchanged: number;
  problems: ImportProblem[];
}

const RulesetRef = z
  .object({ id: z.string().min(1).max(100), edition: z.string().max(50).optional() })
  .strict();

export const contract = {
  'app.info': method(Empty).returns<AppInfo>(),
  'enterprise.list': method(EnterpriseQuerySchema).returns<EnterprisePage>(),
  'enterprise.get': method(z.object({ id: IdSchema }).strict()).returns<Enterprise>(),
  'enterprise.create': method(EnterpriseDraftSchema).returns<Enterprise>(),
  'enterprise.update': method(EnterpriseUpdateSchema).returns<Enterprise>(),
  'enterprise.delete': method(z.object({ id: IdSchema }).strict()).returns<{ id: string }>(),
  'process.list': method(z.object({ enterpriseId: IdSchema }).strict()).returns<Process[]>(),
  'process.create': method(ProcessDraftSchema).returns<Process>(),
  'process.update': method(ProcessUpdateSchema).returns<Process>(),
  'process.delete': method(z.object({ id: IdSchema }).strict()).returns<{ id: string }>(),
  'catalog.get': method(Empty).returns<Catalog>(),
  'ruleset.list': method(Empty).returns<RulesetSummary[]>(),
  'ruleset.get': method(RulesetRef).returns<RulesetDetail>(),
  'ruleset.import': method(FileSchema).returns<{ summary: RulesetSummary; added: boolean }>(),
  'ruleset.export': method(
    RulesetRef.extend({ format: z.enum(['xlsx', 'json']).default('xlsx') }).strict(),
  ).returns<FilePayload>(),
  'ruleset.template': method(Empty).returns<FilePayload>(),
  'registry.export': method(
    z.object({ filter: RegistryFilterSchema.default({}), taskId: TaskId }).strict(),
  ).returns<FilePayload & { rows: number }>(),
  'registry.importPreview': method(
    FileSchema.extend({ taskId: TaskId }).strict(),
  ).returns<ImportPreview>(),
  'registry.importApply': method(
    FileSchema.extend({ taskId: TaskId }).strict(),
  ).returns<ImportPreview>(),
  'task.cancel': method(z.object({ taskId: z.string().min(1).max(64) }).strict()).returns<{
    cancelled: boolean;
  }>(),
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
