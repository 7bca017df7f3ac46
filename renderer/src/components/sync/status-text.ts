/**
 * Where sync stands, in words: the badge of each sync state and the one line that says whether
 * this device is up to date or what still waits.
 */

import type { SyncState, SyncStatus } from '../../../../shared/sync/status';
import { dateTimeSecondsText } from '../../dates';

export const STATE: Record<
  SyncState,
  { status: 'success' | 'processing' | 'default' | 'error' | 'warning'; text: string }
> = {
  idle: { status: 'default', text: '空闲' },
  syncing: { status: 'processing', text: '正在同步' },
  offline: { status: 'warning', text: '无法连接中心（稍后自动重试）' },
  error: { status: 'error', text: '同步出错' },
};

/** A sync moment to the second, or 从未 when it never happened. */
export function syncTimeText(ms: number | null): string {
  return ms === null ? '从未' : dateTimeSecondsText(ms);
}

/** The one-line truth: up to date only when nothing waits. */
export function statusLine(s: SyncStatus): string {
  if (s.upToDate) return `已是最新（${syncTimeText(s.lastSuccessAt)}）`;
  const waiting = [
    s.pendingOps > 0 ? `${s.pendingOps} 条修改待上传` : null,
    s.pendingUploads > 0 ? `${s.pendingUploads} 个文件待上传` : null,
    s.pendingDownloads > 0 ? `${s.pendingDownloads} 个文件待下载` : null,
    s.parked.length > 0 ? `${s.parked.length} 条被中心退回` : null,
    s.relay.pending > 0 ? `${s.relay.pending} 条其他设备的修改（同步包）待转交` : null,
  ].filter(Boolean);
  return waiting.length > 0 ? waiting.join('，') : '尚未同步';
}
