import type { Command } from 'commander';

import { AppError } from '../shared/api/errors';
import { countsBytes, type SyncStatus } from '../shared/sync/status';
import {
  deferReasonText,
  syncFieldName,
  syncTableName,
  syncValueText,
} from '../shared/sync/wording';

import type { CliIo } from './cli';
import type { AppContext } from './services/context';
import { configureServer, login, syncNow, syncStatus, type SyncProgress } from './services/sync';
import { exportBundle, importBundleFile } from './services/sync-bundle';

/**
 * `uplift sync`: sync the data folder with the central store from the command line, and carry
 * changes by file (USB stick). Exit status: 0 done (parked ops and conflicts are listed, they
 * are not failures of the run), 2 bad input (address, account, password, bundle), 1 the run
 * failed (the server cannot be reached, an error of ours); what it did before failing is kept.
 */
export function addSyncCommands(
  program: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  json: (cmd: Command) => boolean,
): void {
  const sync = program
    .command('sync')
    .description(
      '与中心库同步：推送本机修改、上传附件、拉取更新、下载附件（子命令：status、export、import）',
    )
    .option('--server <url>', '中心服务器地址，例如 http://192.168.1.10:4791（记住，下次可省略）')
    .option('--user <name>', '用户名（本机尚未登录或换账号时）')
    .option(
      '--password <password>',
      '密码（也可用环境变量 UPLIFT_SYNC_PASSWORD，避免留在命令历史中）',
    )
    .action(async (opts: { server?: string; user?: string; password?: string }, cmd: Command) => {
      const ctx = open(cmd);
      const asJson = json(cmd);
      const say = asJson ? io.err : io.out;
      try {
        if (opts.server) configureServer(ctx, opts.server);
        const status = syncStatus(ctx);
        if (!status.server) {
          throw new AppError('invalid_input', '尚未设置中心服务器地址；请用 --server 指定');
        }
        const password = opts.password ?? io.env.UPLIFT_SYNC_PASSWORD;
        let credentials: { username: string; password: string } | undefined;
        if (opts.user) {
          if (!password) {
            throw new AppError(
              'invalid_input',
              '请用 --password 或环境变量 UPLIFT_SYNC_PASSWORD 提供密码',
            );
          }
          credentials = { username: opts.user, password };
          const differs = status.user?.username !== opts.user.trim();
          if (differs || !status.user) {
            await login(ctx, credentials);
            say(`已登录 ${status.server}（${opts.user}）`);
          }
        } else if (!status.user) {
          throw new AppError('invalid_input', '本机尚未登录中心库；请用 --user 和 --password 登录');
        }
        const summary = await syncNow(ctx, {
          ...(credentials ? { credentials } : {}),
          onProgress: progressPrinter(say),
        });
        if (asJson) {
          io.out(JSON.stringify(summary, null, 2));
          return;
        }
        const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
        io.out(
          `同步完成：推送 ${summary.pushed} 条修改，拉取 ${summary.pulled} 处更新，上传 ${summary.uploadedFiles} 个附件（${mb(summary.uploadedBytes)}），下载 ${summary.downloadedFiles} 个附件（${mb(summary.downloadedBytes)}）`,
        );
        if (summary.removed > 0) {
          io.out(
            `${summary.removed} 家企业已不在本账号的地市范围内（划归其他地市或换了账号），已从本机移除`,
          );
        }
        for (const line of statusLines(summary.status, false)) io.out(line);
      } catch (e) {
        if (e instanceof AppError && e.code === 'unauthorized') {
          throw new AppError('invalid_input', e.message);
        }
        throw e;
      }
    });

  sync
    .command('status')
    .description('显示同步状态：服务器、账号、待同步的修改和附件、被搁置的修改、冲突')
    .action((_opts: unknown, cmd: Command) => {
      const status = syncStatus(open(cmd));
      if (json(cmd)) io.out(JSON.stringify(status, null, 2));
      else for (const line of statusLines(status, true)) io.out(line);
    });

  sync
    .command('export')
    .description('把尚未同步到中心库的修改（及其附件）写成同步包，用 U 盘带到另一台设备导入')
    .requiredOption('--out <file>', '输出的同步包文件（.uplift-sync）')
    .action((opts: { out: string }, cmd: Command) => {
      const bundle = exportBundle(open(cmd), opts.out);
      if (json(cmd)) {
        io.out(
          JSON.stringify({
            file: opts.out,
            ops: bundle.ops,
            attachments: bundle.attachments,
            bytes: bundle.bytes,
          }),
        );
      } else {
        io.out(`已写出同步包：${opts.out}（${bundle.ops} 条修改，${bundle.attachments} 个附件）`);
      }
    });

  sync
    .command('import <file>')
    .description('导入另一台设备的同步包；同一个包再次导入不作任何修改')
    .action((file: string, _opts: unknown, cmd: Command) => {
      const summary = importBundleFile(open(cmd), file);
      if (json(cmd)) {
        io.out(JSON.stringify(summary, null, 2));
        return;
      }
      io.out(
        `已导入来自设备 ${summary.fromDevice} 的同步包：${summary.applied} 条修改（此前已导入 ${summary.skipped} 条），更新 ${summary.rows} 条记录，${summary.attachments} 个附件`,
      );
      if (summary.conflicts > 0) {
        io.out(`有 ${summary.conflicts} 处冲突（两边都改了同一字段）：用 uplift sync status 查看`);
      }
      if (summary.deferred > 0) {
        io.out(`有 ${summary.deferred} 个字段暂时无法应用，已保留（例如来自更新版本的应用）`);
      }
    });
}

/** Prints a phase when it starts, then at most every 2 seconds, and when it ends. */
function progressPrinter(say: (line: string) => void): (p: SyncProgress) => void {
  let phase = '';
  let last = 0;
  return (p) => {
    const now = Date.now();
    const ended = p.total > 0 && p.done >= p.total;
    if (p.phase === phase && !ended && now - last < 2000) return;
    if (p.phase === phase && ended && p.done === 0) return;
    phase = p.phase;
    last = now;
    const bytes = countsBytes(p.phase);
    const unit = (n: number) => (bytes ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${n} 条`);
    say(
      p.total > 0
        ? `${p.phase}：${unit(p.done)} / ${unit(p.total)}`
        : `${p.phase}：${unit(p.done)}`,
    );
  };
}

function time(ms: number | null): string {
  return ms === null ? '从未' : new Date(ms).toLocaleString('zh-CN', { hour12: false });
}

const STATES: Record<SyncStatus['state'], string> = {
  idle: '空闲',
  syncing: '正在同步',
  offline: '无法连接中心服务器',
  error: '出错',
};

function show(field: string, value: unknown): string {
  const text = syncValueText(field, value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The status as lines for a person; `full` adds the server, account and state. */
export function statusLines(status: SyncStatus, full: boolean): string[] {
  const lines: string[] = [];
  if (full) {
    lines.push(`中心服务器：${status.server ?? '（未设置）'}`);
    lines.push(
      `账号：${status.user ? `${status.user.displayName}（${status.user.username}，${status.user.role}，${status.user.scope === 'region' ? '全区' : status.user.scope}）` : '（未登录）'}`,
    );
    lines.push(`本机设备编号：${status.deviceId}`);
    lines.push(`状态：${STATES[status.state]}${status.lastError ? `（${status.lastError}）` : ''}`);
    lines.push(`上次成功同步：${time(status.lastSuccessAt)}`);
  }
  lines.push(
    status.upToDate
      ? '已全部同步'
      : `待同步：${status.pendingOps} 条修改，${status.pendingUploads} 个附件待上传，${status.pendingDownloads} 个附件待下载`,
  );
  if (status.parked.length > 0) {
    lines.push(`被中心库搁置的修改 ${status.parked.length} 条（修改仍保留在本机）：`);
    for (const p of status.parked) {
      lines.push(
        `  ${p.opId}  ${syncTableName(p.table)} ${p.rowId}：${p.reason}${p.status === 'retrying' ? '（重试中）' : ''}`,
      );
    }
  }
  if (status.conflicts.length > 0) {
    lines.push(`待处理的冲突 ${status.conflicts.length} 处（两边都改了同一字段，后改的生效）：`);
    for (const c of status.conflicts) {
      lines.push(
        `  ${syncTableName(c.table)} ${c.rowId} ${syncFieldName(c.table, c.field)}：本机 ${show(c.field, c.localValue)}，对方 ${show(c.field, c.remoteValue)}，采用${c.winner === 'local' ? '本机' : '对方'}的`,
      );
    }
  }
  const deferred = Object.values(status.deferred).reduce((n, k) => n + k, 0);
  if (deferred > 0) {
    lines.push(`暂时无法应用、已保留的字段：${deferred} 个`);
    for (const [reason, n] of Object.entries(status.deferred)) {
      if (n > 0) lines.push(`  ${deferReasonText(reason)}：${n} 个`);
    }
  }
  if (status.relay.pending > 0) {
    lines.push(`待转交中心库的其他设备修改（来自同步包）：${status.relay.pending} 条`);
  }
  for (const p of status.relay.problems) {
    lines.push(
      `  设备 ${p.deviceId} 的 ${p.ops} 条修改${p.status === 'parked' ? '被中心库搁置' : '暂未转交'}：${p.reason}`,
    );
  }
  return lines;
}
