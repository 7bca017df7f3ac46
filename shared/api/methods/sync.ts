import { z } from 'zod';
import type {
  BundleExportSummary,
  BundleImportSummary,
  DeferredPage,
  SyncRunSummary,
  SyncStatus,
} from '../../sync/status';
import { text } from '../../text';
import { Empty, FileName, type FilePayload, TaskId, method } from './common';

/** Sync with the central store and by USB bundle: the methods and their limits. */
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

export const syncMethods = {
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
} as const;
