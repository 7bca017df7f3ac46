import crypto from 'node:crypto';

import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';

import { pinnedRulesetProblem } from '../../shared/canonical-json';
import { findCity } from '../../shared/domain/regions';
import { isHlc, MAX_DRIFT_MS, parseHlc } from '../../shared/sync/hlc';
import {
  OpSchema,
  PUSH_BATCH_MAX,
  type ParkedOp,
  type PushResponse,
  type SyncOp,
} from '../../shared/sync/protocol';
import { text, textProblem, toWellFormed, valueTextProblem } from '../../shared/text';
import type { AuthUser } from '../auth/tokens';
import {
  conflicts,
  devices,
  parkedOps,
  pushedOps,
  relayedOps,
  rows,
  scopeExits,
} from '../db/schema';
import { query, type ServerDb } from '../db/store';
import { SyncFailure } from '../errors';

import { sameJson } from './json';

const sha256Hex = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');
import { recordRuleProblem } from '../../shared/sync/record-rules';
import {
  finalizedDeletionProblem,
  forbiddenMessage,
  roleProblem,
  scopeCovers,
  TRASH_FIELDS,
} from './policy';
import { serverTable, type FieldInfo, type ServerTable } from './tables';

/**
 * Applying a device's ops (push). Every push runs in ONE transaction that:
 * 1. takes the store-wide push lock (a transaction-scoped advisory lock);
 * 2. reads the device's lastSeq: ops at or below it were processed before and are answered again
 *    without effect; the first new op must be lastSeq + 1, and the new ops must follow each other
 *    without a gap (else 409: a reordered or lost batch must not be skipped silently);
 * 3. checks each new op — shape, table, row id, clock, field types, scope, role, immutability —
 *    and parks the ones it refuses, with the reason, without stopping the ops after them;
 * 4. merges each accepted op field by field, last writer by hybrid clock wins; a losing value of
 *    a concurrent edit is kept in `conflicts`;
 * 5. writes every changed row with a new server_seq, the conflicts, the parked ops and the
 *    device's new lastSeq — all in the same transaction, so a crash loses the whole push or
 *    nothing, and a retried push is idempotent.
 *
 * Why the lock: pull pages by server_seq. If two pushes took sequence numbers concurrently, the
 * later number could commit first and a pull would move its cursor past the earlier one before
 * it became visible — that change would never reach the device. Holding the lock while taking
 * numbers and until commit makes commit order equal sequence order, for every process sharing
 * the database. Pushes are short (one batch, a handful of statements), so serializing them costs
 * little; pulls, logins and uploads never take it.
 */

const PUSH_LOCK = 7_041_900_002;

const EnvelopeSchema = z
  .object({
    deviceId: text('设备编号').min(1).max(100),
    ops: z.array(z.unknown()).max(PUSH_BATCH_MAX, `一次最多推送 ${PUSH_BATCH_MAX} 条操作`),
    /** Relay only (PushRequestSchema): the hash of the source device's secret. */
    deviceSecretHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, '设备密钥摘要应为 64 位十六进制')
      .optional(),
  })
  .strict();

const SeqOnly = z.object({ seq: z.number().int().min(1), opId: z.string().max(100).optional() });

/** One op of a push as received: parsed when it could be, always with its seq. */
interface Candidate {
  seq: number;
  opId: string;
  raw: unknown;
  op: SyncOp | null;
  problem: string | null;
}

export interface PushInput {
  deviceId: string;
  ops: Candidate[];
  deviceSecretHash?: string | undefined;
}

/**
 * Checks a push body's envelope. An op that breaks OpSchema but carries a seq is kept, to be
 * parked; one without a usable seq, ops out of order or an op of another device refuse the push.
 */
export function parsePush(body: unknown): PushInput {
  const envelope = EnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new SyncFailure(
      'invalid_input',
      `推送内容格式不正确：${envelope.error.issues.map((i) => i.message).join('；')}`,
    );
  }
  const { deviceId } = envelope.data;
  const ops: Candidate[] = envelope.data.ops.map((raw, i) => {
    const parsed = OpSchema.safeParse(raw);
    if (parsed.success) {
      if (parsed.data.deviceId !== deviceId) {
        throw new SyncFailure('forbidden', `第 ${i + 1} 条操作属于另一台设备，不能代为推送`);
      }
      return { seq: parsed.data.seq, opId: parsed.data.opId, raw, op: parsed.data, problem: null };
    }
    const seq = SeqOnly.safeParse(raw);
    if (!seq.success) {
      throw new SyncFailure('invalid_input', `第 ${i + 1} 条操作缺少有效的序号（seq）`);
    }
    const problem = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '操作'}：${issue.message}`)
      .join('；');
    return { seq: seq.data.seq, opId: seq.data.opId ?? '', raw, op: null, problem };
  });
  for (let i = 1; i < ops.length; i++) {
    if ((ops[i] as Candidate).seq <= (ops[i - 1] as Candidate).seq) {
      throw new SyncFailure('invalid_input', '操作应按序号（seq）从小到大发送，且不能重复');
    }
  }
  return { deviceId, ops, deviceSecretHash: envelope.data.deviceSecretHash };
}

// ---------------------------------------------------------------------------------------------
// The working set: the rows a push reads and writes, loaded in batches.
// ---------------------------------------------------------------------------------------------

interface WorkRow {
  table: string;
  rowId: string;
  values: Record<string, unknown>;
  clocks: Record<string, string>;
  fieldSeqs: Record<string, number>;
  enterpriseId: string | null;
  cityCode: string | null;
  /** As stored before this push (null: a new row). */
  storedCity: string | null;
  stored: boolean;
  dirty: boolean;
  /** Fields written by this push: they get the row's new server_seq. */
  written: Set<string>;
}

const key = (table: string, rowId: string) => `${table}\u0001${rowId}`;

class WorkingSet {
  readonly #db: ServerDb;
  readonly #rows = new Map<string, WorkRow | null>();
  /** Rows in the order they first changed. */
  readonly changed: WorkRow[] = [];
  /**
   * Enterprises whose city changed in this push, with the city they had before it: the rows under
   * them move with them, and the devices of the old city are told they left (scope_exits).
   */
  readonly moved = new Map<string, string>();
  /**
   * Enterprises under which a row came back from the 回收站 in this push: everything under them
   * is pulled again, so a device that purged them (30 days on) gets them back whole.
   */
  readonly restored = new Set<string>();

  constructor(db: ServerDb) {
    this.#db = db;
  }

  async load(keys: Iterable<[string, string]>): Promise<void> {
    const byTable = new Map<string, Set<string>>();
    for (const [table, rowId] of keys) {
      if (this.#rows.has(key(table, rowId))) continue;
      let ids = byTable.get(table);
      if (!ids) byTable.set(table, (ids = new Set()));
      ids.add(rowId);
    }
    for (const [table, idSet] of byTable) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += 1000) {
        const slice = ids.slice(i, i + 1000);
        const found = await this.#db
          .select()
          .from(rows)
          .where(and(eq(rows.tableName, table), inArray(rows.rowId, slice)));
        for (const id of slice) this.#rows.set(key(table, id), null);
        for (const r of found) {
          this.#rows.set(key(table, r.rowId), {
            table,
            rowId: r.rowId,
            values: r.values,
            clocks: r.clocks,
            fieldSeqs: r.fieldSeqs,
            enterpriseId: r.enterpriseId,
            cityCode: r.cityCode,
            storedCity: r.cityCode,
            stored: true,
            dirty: false,
            written: new Set(),
          });
        }
      }
    }
  }

  /**
   * How many live finalized visits an enterprise has, as the store holds them with this push's
   * changes so far (a visit finalized earlier in the same push counts).
   */
  async finalizedVisitsOf(enterpriseId: string): Promise<number> {
    const found = await this.#db
      .select({ rowId: rows.rowId })
      .from(rows)
      .where(and(eq(rows.tableName, 'inspections'), eq(rows.enterpriseId, enterpriseId)));
    await this.load(found.map((r): [string, string] => ['inspections', r.rowId]));
    let count = 0;
    for (const row of this.#rows.values()) {
      if (row?.table !== 'inspections' || row.values.enterpriseId !== enterpriseId) continue;
      if (row.values.status === 'finalized' && row.values.deleted !== true) count++;
    }
    return count;
  }

  peek(table: string, rowId: string): WorkRow | null | undefined {
    return this.#rows.get(key(table, rowId));
  }

  async get(table: string, rowId: string): Promise<WorkRow | null> {
    if (!this.#rows.has(key(table, rowId))) await this.load([[table, rowId]]);
    return this.#rows.get(key(table, rowId)) ?? null;
  }

  add(row: WorkRow): void {
    this.#rows.set(key(row.table, row.rowId), row);
  }

  markChanged(row: WorkRow): void {
    if (!row.dirty) {
      row.dirty = true;
      this.changed.push(row);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Checking one op.
// ---------------------------------------------------------------------------------------------

interface Park {
  code:
    'forbidden' | 'role' | 'immutable' | 'invalid' | 'unknown_table' | 'parent_missing' | 'clock';
  reason: string;
}

interface ConflictRecord {
  table: string;
  rowId: string;
  field: string;
  losingValue: unknown;
  losingClock: string;
  winningClock: string;
  deviceId: string;
}

export interface PushContext {
  user: AuthUser;
  now: number;
  newId: () => string;
  /**
   * The ops are another device's, carried here on a USB bundle and relayed by this user's
   * device: accepted for a device the store has not met (it becomes this user's) or one of this
   * user's own, never for another account's device (its sequence is not ours to fill).
   */
  relay?: boolean;
}

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

function staticProblem(op: SyncOp, table: ServerTable, now: number): Park | null {
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

/** The parent field in effect and the id it names, for a row under an enterprise. */
function parentOf(
  table: ServerTable,
  values: Record<string, unknown>,
): { field: string; table: string; id: string } | null {
  if (table.scope.kind !== 'child') return null;
  for (const field of table.scope.parents) {
    const id = values[field];
    if (typeof id === 'string') return { field, table: table.references.get(field) as string, id };
  }
  return null;
}

/**
 * A refused op as jsonb can hold it, to keep beside its reason: U+0000 (which jsonb refuses)
 * written out as the text `\\u0000`, a lone surrogate (which jsonb refuses too) as U+FFFD, and
 * nesting past 64 levels cut (PostgreSQL's parser would overflow its stack).
 */
export function storable(raw: unknown, depth = 0): unknown {
  const text = (s: string) => toWellFormed(s).replaceAll('\u0000', '\\u0000');
  if (typeof raw === 'string') return text(raw);
  if (depth >= 64) return '（嵌套过深，未保存）';
  if (Array.isArray(raw)) return raw.map((v) => storable(v, depth + 1));
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[text(k)] = storable(v, depth + 1);
    return out;
  }
  return raw;
}

const FINALIZED = '检查记录已确认，不能修改；如需更正，请创建修订版本';

async function checkAndApply(
  ws: WorkingSet,
  op: SyncOp,
  table: ServerTable,
  ctx: PushContext,
  seenSeq: number,
  conflictsOut: ConflictRecord[],
): Promise<Park | null> {
  const existing = await ws.get(op.table, op.rowId);

  // A new row needs every required field.
  if (!existing) {
    const missing = [...table.fields]
      .filter(([f, info]) => info.required && (op.values[f] === undefined || op.values[f] === null))
      .map(([f]) => f);
    if (missing.length > 0) {
      return { code: 'invalid', reason: `新记录缺少必填字段：${missing.join('、')}` };
    }
  }

  // 1. Last writer wins, field by field (computed first, applied only if the op passes).
  const wins: string[] = [];
  const losses: string[] = [];
  for (const field of Object.keys(op.values)) {
    const clock = existing?.clocks[field];
    if (clock === undefined || op.hlc > clock) wins.push(field);
    else if (op.hlc < clock) losses.push(field);
    // Equal clocks: this very op was applied already (a clock names its device), no effect.
  }
  const next: Record<string, unknown> = { ...(existing?.values ?? {}) };
  for (const field of wins) next[field] = op.values[field];

  // 2. Where the row belongs: its city and enterprise, from itself or its parent.
  let city: string | null = null;
  let enterpriseId: string | null = null;
  if (table.scope.kind === 'root') {
    const code = next.cityCode;
    if (typeof code !== 'string' || !findCity(code)) {
      return { code: 'invalid', reason: `企业的地级市代码“${String(code)}”无效` };
    }
    city = code;
    enterpriseId = op.rowId;
  } else if (table.scope.kind === 'child') {
    const parent = parentOf(table, next);
    if (!parent) return { code: 'invalid', reason: `${op.table} 记录缺少上级记录` };
    if (existing) {
      const before = parentOf(table, existing.values);
      if (before && (before.field !== parent.field || before.id !== parent.id)) {
        return { code: 'immutable', reason: '记录不能改挂到其他上级记录' };
      }
    }
    const parentRow = await ws.get(parent.table, parent.id);
    if (!parentRow) {
      return {
        code: 'parent_missing',
        reason: `上级记录（${parent.table} ${parent.id}）不在中心库中：可能尚未同步，或已被拒绝`,
      };
    }
    city = parentRow.cityCode;
    enterpriseId = parentRow.enterpriseId;
  }

  // 3. Scope: the row as stored, the row as it would be, and every row it refers to.
  const { scope } = ctx.user;
  if (existing && existing.cityCode !== null && !scopeCovers(scope, existing.cityCode)) {
    return { code: 'forbidden', reason: forbiddenMessage(scope, existing.cityCode) };
  }
  if (city !== null && !scopeCovers(scope, city)) {
    return { code: 'forbidden', reason: forbiddenMessage(scope, city) };
  }
  for (const [field, target] of table.references) {
    const id = op.values[field];
    if (typeof id !== 'string') continue;
    const ref = await ws.get(target, id);
    if (ref && ref.cityCode !== null && !scopeCovers(scope, ref.cityCode)) {
      return { code: 'forbidden', reason: forbiddenMessage(scope, ref.cityCode) };
    }
  }

  // 4. Role.
  const refused = roleProblem(op.table, op.values, ctx.user.role, table.scope.kind === 'shared');
  if (refused) return { code: 'role', reason: refused };

  // Deleting a finalized visit, or an enterprise with one, needs a role and a reason.
  const deletes = op.values.deleted === true && existing?.values.deleted !== true;
  const restores = op.values.deleted === false && existing?.values.deleted === true;
  if (deletes && op.table === 'enterprises') {
    const finalized = await ws.finalizedVisitsOf(op.rowId);
    const refusal = finalizedDeletionProblem(
      ctx.user.role,
      finalized,
      next.deleteReason,
      `该企业的 ${finalized} 次已定稿检查`,
    );
    if (refusal) return { code: 'role', reason: refusal };
  }

  // 4b. What a signed or confirmed record must say (shared/sync/record-rules.ts; the device's
  // triggers of migration 0018 say the same): 审定意见, how 企业确认 was given, 更正原因, a
  // withdrawal's who and why, a signature's signer and what it is signed on.
  const ruleBroken = recordRuleProblem(op.table, next, existing?.values);
  if (ruleBroken) return { code: 'invalid', reason: ruleBroken };
  if (op.table === 'attachment_uses' && !existing) {
    if (typeof next.memberId === 'string') {
      const member = await ws.get('inspection_members', next.memberId);
      if (member && member.values.inspectionId !== next.inspectionId) {
        return { code: 'invalid', reason: '签名的检查组成员不属于这次检查' };
      }
    }
    if (typeof next.planId === 'string') {
      const plan = await ws.get('plans', next.planId);
      if (plan?.values.status === '企业确认' && plan.values.confirmedVersion === next.planVersion) {
        return { code: 'immutable', reason: '方案这一版已由企业确认，签名不能再更换' };
      }
    }
  }

  // 5. Immutability: finalized visits and everything of them; write-once fields. A finalized
  // visit takes only a delete or a restore (the 回收站), by a role that may delete it.
  if (op.table === 'inspections' && existing?.values.status === 'finalized') {
    if (!Object.keys(op.values).every((f) => TRASH_FIELDS.has(f))) {
      return { code: 'immutable', reason: FINALIZED };
    }
    if (deletes) {
      const refusal = finalizedDeletionProblem(ctx.user.role, 1, next.deleteReason, '这次检查');
      if (refusal) return { code: 'role', reason: refusal };
    }
  }
  if (table.inspectionChild) {
    // The visit a row belongs to: named, or through the answer it is evidence of.
    const visits = new Set([existing?.values.inspectionId, next.inspectionId]);
    for (const answerId of new Set([existing?.values.answerId, next.answerId])) {
      if (typeof answerId !== 'string') continue;
      visits.add((await ws.get('inspection_answers', answerId))?.values.inspectionId);
    }
    for (const id of visits) {
      if (typeof id !== 'string') continue;
      const visit = await ws.get('inspections', id);
      if (visit?.values.status === 'finalized') return { code: 'immutable', reason: FINALIZED };
    }
  }
  if (op.table === 'pinned_rulesets' && !existing) {
    const forged = pinnedRulesetProblem(op.rowId, next.json, sha256Hex, {
      rulesetId: next.rulesetId,
      edition: next.edition,
    });
    if (forged) return { code: 'invalid', reason: forged };
  }
  if (existing) {
    for (const field of table.immutable) {
      if (!(field in op.values) || existing.values[field] === undefined) continue;
      if (!sameJson(existing.values[field], op.values[field])) {
        return { code: 'immutable', reason: `${op.table}.${field} 写入后不能修改` };
      }
    }
  }

  // 6. Apply.
  const row: WorkRow = existing ?? {
    table: op.table,
    rowId: op.rowId,
    values: {},
    clocks: {},
    fieldSeqs: {},
    enterpriseId,
    cityCode: city,
    storedCity: null,
    stored: false,
    dirty: false,
    written: new Set(),
  };
  if (!existing) ws.add(row);
  for (const field of losses) {
    if (sameJson(op.values[field], row.values[field])) continue;
    conflictsOut.push({
      table: op.table,
      rowId: op.rowId,
      field,
      losingValue: op.values[field] ?? null,
      losingClock: op.hlc,
      winningClock: row.clocks[field] as string,
      deviceId: op.deviceId,
    });
  }
  for (const field of wins) {
    const clock = row.clocks[field];
    if (clock !== undefined && !sameJson(row.values[field], op.values[field])) {
      // The stored value loses. It is a conflict (not a plain later edit) when another device
      // wrote it and this device had not pulled it yet: the two edits did not know of each other.
      const writer = isHlc(clock) ? parseHlc(clock).node : '';
      const writtenAt = row.fieldSeqs[field] ?? 0;
      if (writer !== op.deviceId && !row.written.has(field) && writtenAt > seenSeq) {
        conflictsOut.push({
          table: op.table,
          rowId: op.rowId,
          field,
          losingValue: row.values[field] ?? null,
          losingClock: clock,
          winningClock: op.hlc,
          deviceId: writer,
        });
      }
    }
    row.values[field] = op.values[field];
    row.clocks[field] = op.hlc;
    row.written.add(field);
  }
  if (wins.length > 0 || row.cityCode !== city || row.enterpriseId !== enterpriseId) {
    ws.markChanged(row);
  }
  // Read before the apply above changed the row in place.
  if (restores && enterpriseId !== null && wins.includes('deleted')) {
    ws.restored.add(enterpriseId);
  }
  if (table.scope.kind === 'root' && row.stored && row.storedCity !== null && city !== null) {
    if (row.storedCity !== city && !ws.moved.has(op.rowId)) ws.moved.set(op.rowId, row.storedCity);
  }
  row.cityCode = city;
  row.enterpriseId = enterpriseId;
  return null;
}

// ---------------------------------------------------------------------------------------------
// The push.
// ---------------------------------------------------------------------------------------------

/** Keys worth loading before the ops are checked one by one: targets, then their parents. */
async function prefetch(ws: WorkingSet, ops: SyncOp[]): Promise<void> {
  const first: [string, string][] = [];
  for (const op of ops) {
    const table = serverTable(op.table);
    if (!table) continue;
    first.push([op.table, op.rowId]);
    for (const [field, target] of table.references) {
      const id = op.values[field];
      if (typeof id === 'string') first.push([target, id]);
    }
  }
  await ws.load(first);
  const second: [string, string][] = [];
  for (const op of ops) {
    const table = serverTable(op.table);
    const row = ws.peek(op.table, op.rowId);
    if (!table || !row) continue;
    const parent = parentOf(table, row.values);
    if (parent) second.push([parent.table, parent.id]);
    if (table.inspectionChild && typeof row.values.inspectionId === 'string') {
      second.push(['inspections', row.values.inspectionId]);
    }
  }
  await ws.load(second);
}

async function writeBack(tx: ServerDb, ws: WorkingSet, now: Date): Promise<void> {
  if (ws.changed.length > 0) {
    const seqs = (
      await query<{ seq: string | number }>(
        tx,
        sql`SELECT nextval('server_seq') AS seq FROM generate_series(1, ${ws.changed.length})`,
      )
    )
      .map((r) => Number(r.seq))
      .sort((a, b) => a - b);
    const values = ws.changed.map((row, i) => {
      const seq = seqs[i] as number;
      for (const field of row.written) row.fieldSeqs[field] = seq;
      return {
        tableName: row.table,
        rowId: row.rowId,
        values: row.values,
        clocks: row.clocks,
        fieldSeqs: row.fieldSeqs,
        enterpriseId: row.enterpriseId,
        cityCode: row.cityCode,
        serverSeq: seq,
        updatedAt: now,
      };
    });
    for (let i = 0; i < values.length; i += 500) {
      await tx
        .insert(rows)
        .values(values.slice(i, i + 500))
        .onConflictDoUpdate({
          target: [rows.tableName, rows.rowId],
          set: {
            values: sql`excluded.values`,
            clocks: sql`excluded.clocks`,
            fieldSeqs: sql`excluded.field_seqs`,
            enterpriseId: sql`excluded.enterprise_id`,
            cityCode: sql`excluded.city_code`,
            serverSeq: sql`excluded.server_seq`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
  }
  // A row back from the 回收站: every row under its enterprise gets a new sequence number, after
  // the restore's own, so a device that purged them pulls them again (a child that arrives before
  // its parent waits for it in sync_deferred, as after a move).
  for (const enterpriseId of ws.restored) {
    await tx.execute(sql`
      UPDATE ${rows} SET server_seq = nextval('server_seq'), updated_at = ${now.toISOString()}::timestamptz
      WHERE enterprise_id = ${enterpriseId} AND table_name <> 'enterprises'`);
  }
  // An enterprise that moved to another city takes everything under it along, with new
  // sequence numbers so the new city's devices pull them.
  for (const [enterpriseId, from] of ws.moved) {
    const city = ws.peek('enterprises', enterpriseId)?.cityCode ?? null;
    if (city === null || city === from) continue; // moved and back within one push
    await tx.execute(sql`
      UPDATE ${rows} SET city_code = ${city}, server_seq = nextval('server_seq'),
        updated_at = ${now.toISOString()}::timestamptz
      WHERE enterprise_id = ${enterpriseId} AND table_name <> 'enterprises'
        AND city_code IS DISTINCT FROM ${city}`);
    // After the rows' new numbers: the old city's devices drop their copies, and should the
    // enterprise come back later, its rows arrive after this exit.
    await tx
      .insert(scopeExits)
      .values({ enterpriseId, cityCode: from, serverSeq: sql`nextval('server_seq')`, at: now });
  }
}

/** Applies one push for an authenticated device; see the module comment for the guarantees. */
export async function applyPush(
  db: ServerDb,
  input: PushInput,
  ctx: PushContext,
): Promise<PushResponse> {
  // What an op's own content says of it (shape, text, size) is checked before the lock: a push of
  // hostile megabytes must not hold every other device's push waiting.
  const statics = new Map<number, Park | null>();
  for (const c of input.ops) {
    const table = c.op ? serverTable(c.op.table) : undefined;
    if (c.op && table) statics.set(c.seq, staticProblem(c.op, table, ctx.now));
  }
  return db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${PUSH_LOCK})`);
    const now = new Date(ctx.now);

    // The device row exists from login (server/auth/devices.ts). A relay may meet a device the
    // store has not: it is noted as this user's, unclaimed, until the device logs in itself, with
    // the hash of the device's secret its bundle carried (only that secret may claim it).
    const relayedHash = ctx.relay ? (input.deviceSecretHash ?? null) : null;
    await tx
      .insert(devices)
      .values({
        deviceId: input.deviceId,
        userId: ctx.user.id,
        claimed: !ctx.relay,
        secretHash: relayedHash,
        createdAt: now,
      })
      .onConflictDoNothing();
    const [device] = await tx.select().from(devices).where(eq(devices.deviceId, input.deviceId));
    if (device && device.userId !== ctx.user.id) {
      throw new SyncFailure(
        'forbidden',
        ctx.relay
          ? `同步包来自设备 ${input.deviceId}，它属于另一个账号；请由该账号在那台设备上登录同步，或用该账号转交`
          : '这台设备已由另一个账号登录；请重新登录',
      );
    }
    if (device && relayedHash !== null) {
      if (device.secretHash === null) {
        // An unclaimed device first relayed from an older bundle: the first hash known wins.
        if (!device.claimed) {
          await tx
            .update(devices)
            .set({ secretHash: relayedHash })
            .where(eq(devices.deviceId, input.deviceId));
        }
      } else if (device.secretHash !== relayedHash) {
        throw new SyncFailure(
          'forbidden',
          `同步包来自另一台使用设备编号 ${input.deviceId} 的电脑（设备密钥不符，数据文件夹可能被复制过）；请联系管理员`,
        );
      }
    }
    const lastSeq = device?.lastSeq ?? 0;
    const seenSeq = device?.seenSeq ?? 0;

    const resent = input.ops.filter((c) => c.seq <= lastSeq);
    const fresh = input.ops.filter((c) => c.seq > lastSeq);
    let expected = lastSeq + 1;
    for (const c of fresh) {
      if (c.seq !== expected) {
        throw new SyncFailure(
          'conflict',
          `操作序号不连续：服务器已处理到第 ${lastSeq} 条，本次应从第 ${lastSeq + 1} 条开始连续发送（收到第 ${c.seq} 条）`,
          { lastSeq },
        );
      }
      expected++;
    }

    const accepted: { seq: number; opId: string }[] = [];
    const parked: ParkedOp[] = [];

    // Resent ops: answered as they were the first time.
    if (resent.length > 0) {
      const before = await tx
        .select({ seq: parkedOps.seq, reason: parkedOps.reason })
        .from(parkedOps)
        .where(
          and(
            eq(parkedOps.deviceId, input.deviceId),
            inArray(
              parkedOps.seq,
              resent.map((c) => c.seq),
            ),
          ),
        );
      const reasons = new Map(before.map((p) => [p.seq, p.reason]));
      const relayed = await tx
        .select({ seq: relayedOps.seq, opId: relayedOps.opId })
        .from(relayedOps)
        .where(
          and(
            eq(relayedOps.deviceId, input.deviceId),
            inArray(
              relayedOps.seq,
              resent.map((c) => c.seq),
            ),
          ),
        );
      const relayedIds = new Map(relayed.map((r) => [r.seq, r.opId]));
      const pushed = await tx
        .select({ seq: pushedOps.seq, opId: pushedOps.opId })
        .from(pushedOps)
        .where(
          and(
            eq(pushedOps.deviceId, input.deviceId),
            inArray(
              pushedOps.seq,
              resent.map((c) => c.seq),
            ),
          ),
        );
      const pushedIds = new Map(pushed.map((r) => [r.seq, r.opId]));
      for (const c of resent) {
        const other = relayedIds.get(c.seq);
        if (other !== undefined && other !== c.opId) {
          parked.push({
            opId: c.opId,
            seq: c.seq,
            reason: `中心库的第 ${c.seq} 条已由同步包转交了另一条修改（同步包可能来自这台设备的旧备份）；这条未应用，可重试`,
          });
          continue;
        }
        // Only the op the store received under this seq is acknowledged again. (Seqs processed
        // before the store kept op ids, server migration 0007, have no record and are answered as then.)
        const stored = pushedIds.get(c.seq);
        if (stored !== undefined && stored !== c.opId) {
          parked.push({
            opId: c.opId,
            seq: c.seq,
            reason: `中心库记录的本设备第 ${c.seq} 条是另一条修改（设备的数据可能来自旧备份，或编号被他人占用）；这条未被采用，已保留在本机，请联系管理员`,
          });
          continue;
        }
        const reason = reasons.get(c.seq);
        if (reason !== undefined) parked.push({ opId: c.opId, seq: c.seq, reason });
        else accepted.push(c);
      }
    }

    const ws = new WorkingSet(tx);
    await prefetch(
      ws,
      fresh.flatMap((c) => (c.op ? [c.op] : [])),
    );
    const conflictRecords: ConflictRecord[] = [];
    const parkedRows: (typeof parkedOps.$inferInsert)[] = [];
    for (const c of fresh) {
      let park: Park | null;
      if (!c.op) {
        park = { code: 'invalid', reason: `操作格式不正确：${c.problem ?? ''}` };
      } else {
        const table = serverTable(c.op.table);
        park = !table
          ? {
              code: 'unknown_table',
              reason: `服务器不认识表“${c.op.table}”（可能来自更新版本的应用）；操作已保留，服务器升级后可重新处理`,
            }
          : (statics.get(c.seq) ??
            (await checkAndApply(ws, c.op, table, ctx, seenSeq, conflictRecords)));
      }
      if (park) {
        parked.push({ opId: c.opId, seq: c.seq, reason: park.reason });
        parkedRows.push({
          deviceId: input.deviceId,
          seq: c.seq,
          opId: storable(c.opId) as string,
          userId: ctx.user.id,
          op: storable(c.raw),
          code: park.code,
          reason: storable(park.reason) as string,
          at: now,
        });
      } else {
        accepted.push(c);
      }
    }

    await writeBack(tx, ws, now);
    if (conflictRecords.length > 0) {
      await tx.insert(conflicts).values(
        conflictRecords.map((r) => ({
          id: ctx.newId(),
          tableName: r.table,
          rowId: r.rowId,
          field: r.field,
          losingValue: r.losingValue,
          losingClock: r.losingClock,
          winningClock: r.winningClock,
          deviceId: r.deviceId,
          at: now,
          serverSeq: sql`nextval('server_seq')`,
        })),
      );
    }
    if (parkedRows.length > 0) {
      await tx.insert(parkedOps).values(parkedRows).onConflictDoNothing();
    }
    if (fresh.length > 0) {
      for (let i = 0; i < fresh.length; i += 1000) {
        await tx
          .insert(pushedOps)
          .values(
            fresh.slice(i, i + 1000).map((c) => ({
              deviceId: input.deviceId,
              seq: c.seq,
              opId: storable(c.opId) as string,
            })),
          )
          .onConflictDoNothing();
      }
    }
    if (ctx.relay && fresh.length > 0) {
      await tx
        .insert(relayedOps)
        .values(
          fresh.map((c) => ({
            deviceId: input.deviceId,
            seq: c.seq,
            opId: storable(c.opId) as string,
            userId: ctx.user.id,
            at: now,
          })),
        )
        .onConflictDoNothing();
    }
    const newLastSeq = fresh.length > 0 ? (fresh[fresh.length - 1] as Candidate).seq : lastSeq;
    await tx
      .update(devices)
      .set({ lastSeq: newLastSeq, lastPushAt: now })
      .where(eq(devices.deviceId, input.deviceId));

    accepted.sort((a, b) => a.seq - b.seq);
    parked.sort((a, b) => a.seq - b.seq);
    return { accepted: accepted.map((c) => c.opId), parked, lastSeq: newLastSeq };
  });
}
