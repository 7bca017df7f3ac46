import { isHlc, MAX_DRIFT_MS, parseHlc } from '../../../shared/sync/hlc';
import type { SyncOp } from '../../../shared/sync/protocol';
import { textProblem, valueTextProblem } from '../../../shared/text';
import type { FieldInfo, ServerTable } from '../tables';

import type { Park } from './types';

/**
 * Step 2 of a push, before the store-wide push lock: what an op's own content says of it — its
 * row id, its clock (whose, and how far ahead), every field's text and type, its size and the
 * fields this server does not know — so that a push of hostile megabytes never holds the lock.
 */

const KIND_NAMES: Record<FieldInfo['kind'], string> = {
  text: '文本',
  integer: '整数',
  boolean: '是/否（true 或 false）',
  number: '数字',
};

function typeProblem(table: ServerTable, field: string, value: unknown): string | null {
  const info = table.fields.get(field);
  if (!info) return null;
  if (value === null) return info.notNull ? `${table.name}.${field} 不能为空` : null;
  const ok =
    info.kind === 'text'
      ? typeof value === 'string'
      : info.kind === 'integer'
        ? Number.isSafeInteger(value)
        : info.kind === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'number' && Number.isFinite(value);
  return ok ? null : `${table.name}.${field} 应为${KIND_NAMES[info.kind]}`;
}

/** Shape problems an op has on its own, before any stored row is read. */
/**
 * Caps on one op, checked before the store-wide push lock is taken: the largest real op (a plan
 * version of a big plan, a pinned ruleset) is well under 100 KB; fields this server does not know
 * (of a newer app) are kept and pulled, so they are bounded too.
 */
export const OP_VALUES_MAX_BYTES = 512 * 1024;
export const UNKNOWN_FIELDS_MAX = 32;
export const UNKNOWN_BYTES_MAX = 64 * 1024;

export function staticProblem(op: SyncOp, table: ServerTable, now: number): Park | null {
  if (!table.rowId.test(op.rowId)) {
    return { code: 'invalid', reason: `${op.table} 的记录编号“${op.rowId}”格式不正确` };
  }
  const stamp = op.hlc;
  if (!isHlc(op.hlc)) return { code: 'invalid', reason: `时间戳“${stamp}”格式不正确` };
  const hlc = parseHlc(op.hlc);
  if (hlc.node !== op.deviceId) {
    return { code: 'invalid', reason: '时间戳不属于推送这条操作的设备' };
  }
  if (hlc.wallMs - now > MAX_DRIFT_MS) {
    return {
      code: 'clock',
      reason: `这台设备的时钟比服务器快约 ${Math.round((hlc.wallMs - now) / 60000)} 分钟（超过 5 分钟），修改未被采用；请校准设备时间`,
    };
  }
  let unknownFields = 0;
  let unknownBytes = 0;
  for (const [field, value] of Object.entries(op.values)) {
    if (table.reserved.has(field)) {
      return { code: 'invalid', reason: `字段 ${field} 由同步自身维护，操作不能携带` };
    }
    const bad = textProblem(field) ?? valueTextProblem(op.table, field, value);
    if (bad) {
      // The reason names the field, never its value (a device shows it; the log keeps it).
      const name = textProblem(field) ? '（名称无效的字段）' : field;
      return { code: 'invalid', reason: `字段 ${name} 的内容不是有效文字：${bad}` };
    }
    if (!table.fields.has(field)) {
      unknownFields++;
      unknownBytes += Buffer.byteLength(JSON.stringify(value ?? null)) + field.length;
    }
    const problem = typeProblem(table, field, value);
    if (problem) return { code: 'invalid', reason: problem };
  }
  // Measured after the text check, which stops at 64 levels: a value nested thousands deep would
  // overflow JSON.stringify's stack.
  const size = Buffer.byteLength(JSON.stringify(op.values));
  if (size > OP_VALUES_MAX_BYTES) {
    return {
      code: 'invalid',
      reason: `一条操作的内容有 ${mb(size)}，超过 ${mb(OP_VALUES_MAX_BYTES)} 的上限`,
    };
  }
  if (unknownFields > UNKNOWN_FIELDS_MAX || unknownBytes > UNKNOWN_BYTES_MAX) {
    return {
      code: 'invalid',
      reason: `操作携带了 ${unknownFields} 个服务器不认识的字段（共 ${mb(unknownBytes)}），超过 ${UNKNOWN_FIELDS_MAX} 个、${mb(UNKNOWN_BYTES_MAX)} 的上限`,
    };
  }
  return null;
}

/** A byte count for a reason: 512 KB, 1.5 MB. */
function mb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}
