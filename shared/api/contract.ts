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
import {
  EnterpriseTrashSchema,
  RecordTrashSchema,
  TrashRestoreSchema,
  type DeletionSummary,
  type TrashItem,
} from '../domain/trash';
import {
  AnswerSaveSchema,
  EVIDENCE_MAX_BYTES,
  InspectionListSchema,
  InspectionReviseSchema,
  InspectionSignSchema,
  InspectionStartSchema,
  InspectionUpdateSchema,
  MemberRefSchema,
  MemberSaveSchema,
  ViolationDraftSchema,
  ViolationListSchema,
  ViolationWithdrawSchema,
  type AnswerSaved,
  type EvidenceUse,
  type InspectionDetail,
  type InspectionSummary,
  type PhotoInfo,
  type Violation,
  type ViolationList,
} from '../domain/inspection';
import { ProcessDraftSchema, ProcessUpdateSchema, type Process } from '../domain/process';
import type { Ruleset } from '../grading/types';
import {
  PlanDraftRequestSchema,
  PlanListSchema,
  PlanRefSchema,
  PlanSaveSchema,
  PlanStatusChangeSchema,
  type PlanDetail,
  type PlanSummary,
} from '../plan/api';

import type {
  BundleExportSummary,
  BundleImportSummary,
  DeferredPage,
  SyncRunSummary,
  SyncStatus,
} from '../sync/status';

import { text } from '../text';

import { DraftListSchema, DraftWriteSchema, type Draft } from '../drafts';

import { safeFileName } from '../file-name';

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

/**
 * A file name a person picked (a photo, a bundle): cleaned, not refused — the content is what
 * matters, the name only labels it (shared/file-name.ts removes controls, direction overrides and
 * path separators).
 */
const FileName = z
  .string()
  .trim()
  .min(1, '缺少文件名')
  .max(255)
  .transform((name) => safeFileName(name));

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
  /** 说明: what a team needs to know of the table (field screens and PDFs show it). */
  summary: string | null;
  /** 来源与缺项: the experts' account of what was sourced and what is missing (library only). */
  sourceNote: string | null;
  indicatorCount: number;
  grades: string[];
  origin: 'shipped' | 'imported';
  hash: string;
}

/** One indicator as a preview lists it. */
export interface RulesetIndicatorBrief {
  id: string;
  title: string;
  /** 上限, 下限, 是否, 选项 or 等级. */
  kind: string;
  unit: string | null;
}

/**
 * What importing a file would install, before anything is installed: the ruleset, its indicators
 * by dimension, what changes against the installed edition, and who may publish it to the region.
 */
export interface RulesetPreview {
  summary: Omit<RulesetSummary, 'origin'>;
  dimensions: { dimension: string; indicators: RulesetIndicatorBrief[] }[];
  /** The installed ruleset compared against: the same id and edition, else its latest edition. */
  installed: {
    edition: string;
    status: 'draft' | 'verified';
    origin: 'shipped' | 'imported';
  } | null;
  /** This very content is installed already: installing changes nothing. */
  identical: boolean;
  changes: {
    added: RulesetIndicatorBrief[];
    removed: RulesetIndicatorBrief[];
    /** Each changed indicator with what changed, in Chinese (「A级要求：50 → 40」). */
    changed: (RulesetIndicatorBrief & { what: string[] })[];
    /** Changes of the ruleset itself (grade scheme, status, source), in Chinese. */
    ruleset: string[];
  } | null;
  /** The reader's warnings (example rows skipped, ids generated), with their place. */
  warnings: string[];
  publish: {
    /** The logged-in account's role; null when this device has no sync account. */
    role: string | null;
    allowed: boolean;
    /** Who may publish it to the region, in Chinese, for this account. */
    message: string;
  };
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
    fileName: FileName,
    // 10 MB of file is about 13.4 MB of base64 (the loopback host takes 30 MB bodies).
    dataBase64: z
      .string()
      .max(14_000_000, '文件超过 10 MB')
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict();

/**
 * An evidence file (photo or scan). Up to 20 MB of file, about 26.7 MB of base64 (the loopback
 * host takes 30 MB bodies). An oversized file is refused here already, by name; the service
 * checks the exact size and the content type again.
 */
const EvidenceFileSchema = z
  .object({
    fileName: FileName,
    dataBase64: z
      .string()
      .max(30_000_000, `文件超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB`)
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict()
  .superRefine((file, ctx) => {
    const b64 = /\s/.test(file.dataBase64) ? file.dataBase64.replace(/\s/g, '') : file.dataBase64;
    const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
    const bytes = Math.floor((b64.length * 3) / 4) - padding;
    if (bytes > EVIDENCE_MAX_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataBase64'],
        message: `“${file.fileName}”有 ${(bytes / 1024 / 1024).toFixed(1)} MB，超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB 的上限，未保存`,
      });
    }
  });

/** Evidence goes to a visit (optionally one answer: processId + indicatorId) or a violation. */
const EvidenceAddSchema = z
  .object({
    inspectionId: IdSchema.optional(),
    processId: IdSchema.optional(),
    indicatorId: text('指标编号').min(1).max(200).optional(),
    violationId: IdSchema.optional(),
    file: EvidenceFileSchema,
    /** The file's own time in epoch ms (a photo's lastModified), kept with this use. */
    takenAt: z.number().int('时间应为毫秒数').min(0).nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.inspectionId === undefined) === (v.violationId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: '证据须附在一次检查或一条违法记录上（二者选一）',
      });
    }
    if ((v.processId === undefined) !== (v.indicatorId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicatorId'],
        message: '附到某项指标时须同时给出工序和指标',
      });
    }
    if (v.violationId !== undefined && v.processId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['processId'],
        message: '违法记录的证据不能附到指标上',
      });
    }
  });

const ById = z.object({ id: IdSchema }).strict();

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

/**
 * A sync bundle (USB stick) crossing the API: up to about 22 MB of file (30 MB of base64, the
 * loopback host's body limit). Larger bundles go through the command line (uplift sync import).
 */
const BundleFileSchema = z
  .object({
    fileName: FileName,
    dataBase64: z
      .string()
      .max(30_000_000, '同步包超过 22 MB，请用命令行导入：uplift sync import 文件')
      .regex(/^[A-Za-z0-9+/=\s]*$/, '文件内容编码不正确'),
  })
  .strict();

const OpIds = z.array(text('修改编号').min(1).max(100)).min(1, '请选择要处理的修改').max(10_000);
const DeviceId = text('设备编号').trim().min(1, '缺少设备编号').max(100);

/** The most rows of set-aside values one sync.listDeferred page returns. */
export const DEFERRED_PAGE_MAX = 200;

const RulesetRef = z
  .object({ id: text('指标体系编号').min(1).max(100), edition: text('版本').max(50).optional() })
  .strict();

export const contract = {
  'app.info': method(Empty).returns<AppInfo>(),
  /** Keeps unsaved typing on this device (and clears what a save carried), in one write. */
  'draft.write': method(DraftWriteSchema).returns<{ kept: number; cleared: number }>(),
  /** A visit's or plan's unsaved typing kept on this device. */
  'draft.list': method(DraftListSchema).returns<Draft[]>(),
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
  'catalog.get': method(Empty).returns<Catalog>(),
  'ruleset.list': method(Empty).returns<RulesetSummary[]>(),
  'ruleset.get': method(RulesetRef).returns<RulesetDetail>(),
  'ruleset.preview': method(FileSchema).returns<RulesetPreview>(),
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
  'inspection.start': method(InspectionStartSchema).returns<InspectionDetail>(),
  'inspection.get': method(ById).returns<InspectionDetail>(),
  'inspection.list': method(InspectionListSchema).returns<InspectionSummary[]>(),
  'inspection.update': method(InspectionUpdateSchema).returns<InspectionDetail>(),
  /** To the 回收站; a finalized visit needs a reason and an account that may delete it. */
  'inspection.delete': method(RecordTrashSchema).returns<{ id: string }>(),
  'inspection.saveMember': method(MemberSaveSchema).returns<InspectionDetail>(),
  'inspection.removeMember': method(MemberRefSchema).returns<InspectionDetail>(),
  'inspection.saveAnswer': method(AnswerSaveSchema).returns<AnswerSaved>(),
  'inspection.confirm': method(MemberRefSchema).returns<InspectionDetail>(),
  'inspection.finalize': method(ById).returns<InspectionDetail>(),
  /** Starts a correction (更正) of a finalized visit; the reason is kept and printed. */
  'inspection.revise': method(InspectionReviseSchema).returns<InspectionDetail>(),
  /**
   * A signature drawn on screen by a team member (their 签字确认) or the enterprise's
   * representative (企业陪同人员), stored as evidence (a PNG) on the draft visit.
   */
  'inspection.sign': method(InspectionSignSchema).returns<InspectionDetail>(),
  'evidence.add': method(EvidenceAddSchema).returns<EvidenceUse>(),
  /**
   * A file of evidence: the original (default), or a photo's thumbnail or print size (JPEG, EXIF
   * orientation applied) with what its EXIF says; a file with no such size gives its original.
   */
  'evidence.read': method(
    ById.extend({ variant: z.enum(['original', 'thumb', 'print']).optional() }).strict(),
  ).returns<FilePayload & { mimeType: string; photo: PhotoInfo | null }>(),
  'evidence.remove': method(ById).returns<{ id: string }>(),
  'violation.create': method(ViolationDraftSchema).returns<Violation>(),
  'violation.list': method(ViolationListSchema).returns<ViolationList>(),
  /** Withdraws a violation recorded in error; the reason stays in its note. */
  'violation.withdraw': method(ViolationWithdrawSchema).returns<{ id: string }>(),
  /** The 现场帮扶记录 PDF of a visit (a draft's file name says 草稿). */
  'inspection.exportPdf': method(ById).returns<FilePayload & { pages: number }>(),
  /** Drafts the enterprise's plan from a finalized visit: a new plan, or a new version of it. */
  'plan.draft': method(PlanDraftRequestSchema).returns<PlanDetail>(),
  /** The plan (a version of it); null when the enterprise has none. */
  'plan.get': method(PlanRefSchema).returns<PlanDetail | null>(),
  'plan.list': method(PlanListSchema).returns<PlanSummary[]>(),
  /** Saves an edit as a new version (status back to 草稿); refused over a newer version. */
  'plan.save': method(PlanSaveSchema).returns<PlanDetail>(),
  /** 专家审定 or 企业确认 of the current version (企业确认 fills the registry's 附件2 columns). */
  'plan.setStatus': method(PlanStatusChangeSchema).returns<PlanDetail>(),
  'plan.delete': method(RecordTrashSchema).returns<{ id: string }>(),
  /** The 回收站: what was deleted in the last 30 days, newest first. */
  'trash.list': method(Empty).returns<TrashItem[]>(),
  /** Brings an enterprise, visit or plan back from the 回收站 with everything under it. */
  'trash.restore': method(TrashRestoreSchema).returns<{ id: string }>(),
  /** The plan's PDF (the current version, or the one asked for), written in a task with progress. */
  'plan.exportPdf': method(PlanRefSchema.and(z.object({ taskId: TaskId }))).returns<
    FilePayload & { pages: number }
  >(),
  /** Where sync stands: server, account, pending ops and files, parked ops, conflicts, state. */
  'sync.status': method(Empty).returns<SyncStatus>(),
  /** Sets the central store's address (a new address forgets the account and the cursor). */
  'sync.configure': method(
    z
      .object({ server: text('中心服务器地址').trim().min(1, '请填写中心服务器地址').max(500) })
      .strict(),
  ).returns<SyncStatus>(),
  'sync.login': method(
    z
      .object({
        username: text('用户名').trim().min(1, '请填写用户名').max(50),
        password: z.string().min(1, '请填写密码').max(200),
      })
      .strict(),
  ).returns<SyncStatus>(),
  /** Forgets the token; pending changes stay on this device and wait for the next login. */
  'sync.logout': method(Empty).returns<SyncStatus>(),
  /** One sync run as a task: task.progress phases 推送 and 拉取 (ops), 上传附件 and 下载附件 (bytes). */
  'sync.run': method(z.object({ taskId: TaskId }).strict()).returns<SyncRunSummary>(),
  /** Sends parked ops again at the next run (same values, same clocks). */
  'sync.retryParked': method(z.object({ opIds: OpIds }).strict()).returns<SyncStatus>(),
  /**
   * Stops listing parked ops; they stay recorded as discarded, with their values. A row outside
   * the account's city whose removal waited for them leaves this device at the next sync.
   */
  'sync.discardParked': method(z.object({ opIds: OpIds }).strict()).returns<SyncStatus>(),
  /** Relays again, at the next run, a bundle device's ops the store would not take yet. */
  'sync.retryRelay': method(z.object({ deviceId: DeviceId }).strict()).returns<SyncStatus>(),
  /** Stops listing a bundle device's ops the store parked (that device still holds them). */
  'sync.dismissRelay': method(z.object({ deviceId: DeviceId }).strict()).returns<SyncStatus>(),
  /** Keeps one side of a conflict; choosing writes that value again so it syncs. */
  'sync.resolveConflict': method(
    z
      .object({ id: text('冲突编号').min(1).max(100), choice: z.enum(['local', 'remote']) })
      .strict(),
  ).returns<SyncStatus>(),
  /**
   * Remote values this device set aside (status.deferred counts them), by row, the most recently
   * set aside first, a page at a time.
   */
  'sync.listDeferred': method(
    z
      .object({
        limit: z.number().int().min(1).max(DEFERRED_PAGE_MAX).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
  ).returns<DeferredPage>(),
  /** The ops not yet acknowledged by the central store (and their files), as one file. */
  'sync.exportBundle': method(Empty).returns<FilePayload & BundleExportSummary>(),
  /** Applies another device's bundle; importing the same bundle again changes nothing. */
  'sync.importBundle': method(BundleFileSchema).returns<BundleImportSummary>(),
  'task.cancel': method(z.object({ taskId: text('任务编号').min(1).max(64) }).strict()).returns<{
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
