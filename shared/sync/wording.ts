import { isHlc, parseHlc } from './hlc';
import type { DeferReason } from './status';

/**
 * How sync's things read to a person (the 同步 screen, the CLI): the synced tables, why a remote
 * value was set aside, where it came from. Pure wording; what is unknown shows as it is.
 */

/** What a person calls the synced tables (by the name ops carry). */
export const SYNC_TABLE_NAMES: Readonly<Record<string, string>> = {
  enterprises: '企业',
  enterprise_processes: '行业与工序',
  rulesets: '分级指标',
  pinned_rulesets: '检查固定的指标',
  inspections: '检查记录',
  inspection_members: '检查组成员',
  inspection_processes: '检查的工序',
  inspection_answers: '检查答案',
  attachments: '证据文件',
  attachment_uses: '证据',
  violations: '违法记录',
  plans: '提升方案',
  plan_versions: '方案版本',
};

/** The table's Chinese name; a table this version does not know keeps its own name. */
export function syncTableName(table: string): string {
  return Object.prototype.hasOwnProperty.call(SYNC_TABLE_NAMES, table)
    ? (SYNC_TABLE_NAMES[table] as string)
    : table;
}

/** Why a remote value waits, and what will make it apply. */
export const DEFER_REASON_TEXT: Readonly<Record<DeferReason, string>> = {
  unknown_table: '来自较新版本的数据表，升级后生效',
  unknown_field: '较新版本的字段，升级后生效',
  parent_missing: '等待所属记录到达',
  incomplete: '记录不完整，等待其余字段',
  finalize: '等待检查记录其余部分到达后定稿',
  immutable: '已定稿的检查记录不能修改，中心的修改已保存待核对',
  duplicate: '与本机已有记录重复（如统一社会信用代码）',
  invalid: '数值格式不正确',
};

/** The reason in Chinese; a reason a newer version wrote shows as it is. */
export function deferReasonText(reason: string): string {
  return Object.prototype.hasOwnProperty.call(DEFER_REASON_TEXT, reason)
    ? DEFER_REASON_TEXT[reason as DeferReason]
    : reason;
}

const BUNDLE_PREFIX = 'bundle:';

/** Where a remote value came from: the central store, or a USB bundle of another device. */
export function syncSourceText(source: string): string {
  if (source === 'server') return '中心服务器';
  if (source.startsWith(BUNDLE_PREFIX)) return 'U盘数据包';
  return source;
}

/** The device a bundle came from (bundle:<deviceId>); null for the central store. */
export function syncSourceDevice(source: string): string | null {
  return source.startsWith(BUNDLE_PREFIX) ? source.slice(BUNDLE_PREFIX.length) || null : null;
}

/** The wall time of a hybrid clock stamp (epoch ms); null for what is not a stamp. */
export function clockTime(stamp: string): number | null {
  return isHlc(stamp) ? parseHlc(stamp).wallMs : null;
}
