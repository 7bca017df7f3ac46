import { z } from 'zod';
import {
  EnterpriseDraftSchema,
  EnterpriseQuerySchema,
  EnterpriseUpdateSchema,
  IdSchema,
  type Enterprise,
  type EnterprisePage,
} from '../../domain/enterprise';
import { EnterpriseTrashSchema, type DeletionSummary } from '../../domain/trash';
import { ProcessDraftSchema, ProcessUpdateSchema, type Process } from '../../domain/process';
import { type FilePayload, FileSchema, TaskId, method } from './common';

/** Enterprises, their processes and the registry's Excel export and import: the methods and what an import reports. */
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

export const enterpriseMethods = {
  'enterprise.list': method(EnterpriseQuerySchema).returns<EnterprisePage>(),
  'enterprise.get': method(z.object({ id: IdSchema }).strict()).returns<Enterprise>(),
  'enterprise.create': method(EnterpriseDraftSchema).returns<Enterprise>(),
  'enterprise.update': method(EnterpriseUpdateSchema).returns<Enterprise>(),
  /** What deleting it takes along (visits, finalized ones, plans, photos, violations…). */
  'enterprise.deletionSummary': method(
    z.object({ id: IdSchema }).strict(),
  ).returns<DeletionSummary>(),
  /** To the 回收站, with everything under it; the person typed its name to confirm. */
  'enterprise.delete': method(EnterpriseTrashSchema).returns<{ id: string }>(),
  'process.list': method(z.object({ enterpriseId: IdSchema }).strict()).returns<Process[]>(),
  'process.create': method(ProcessDraftSchema).returns<Process>(),
  'process.update': method(ProcessUpdateSchema).returns<Process>(),
  'process.delete': method(z.object({ id: IdSchema }).strict()).returns<{ id: string }>(),
  'registry.export': method(
    z.object({ filter: RegistryFilterSchema.default({}), taskId: TaskId }).strict(),
  ).returns<FilePayload & { rows: number }>(),
  'registry.importPreview': method(
    FileSchema.extend({ taskId: TaskId }).strict(),
  ).returns<ImportPreview>(),
  'registry.importApply': method(
    FileSchema.extend({ taskId: TaskId }).strict(),
  ).returns<ImportPreview>(),
} as const;
