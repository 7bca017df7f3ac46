import crypto from 'node:crypto';

import { pinnedRulesetProblem } from '../../../shared/canonical-json';
import { findCity } from '../../../shared/domain/regions';
import { isHlc, parseHlc } from '../../../shared/sync/hlc';
import type { SyncOp } from '../../../shared/sync/protocol';
import { recordRuleProblem } from '../../../shared/sync/record-rules';
import { sameJson } from '../json';
import {
  finalizedDeletionProblem,
  forbiddenMessage,
  roleProblem,
  scopeCovers,
  TRASH_FIELDS,
} from '../policy';
import type { ServerTable } from '../tables';

import { reviewProblem } from './check-review';
import type { ConflictRecord, Park, PushContext } from './types';
import { parentOf, type WorkingSet, type WorkRow } from './working-set';

/**
 * Step 4 of a push, under the lock, op by op: the rules an op must pass against the store as it
 * stands (required fields, where the row belongs, scope, role, deleting a finalized visit, what a
 * signed or confirmed record must say, the review workflow (check-review.ts), immutability, a
 * pinned ruleset's content) and, when it passes, its merge into the working set field by field,
 * last writer by hybrid clock winning, with the losing value of a concurrent edit kept as a
 * conflict.
 */

const sha256Hex = (text: string): string => crypto.createHash('sha256').update(text).digest('hex');

const FINALIZED = '检查记录已确认，不能修改；如需更正，请创建修订版本';

export async function checkAndApply(
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
  // The review workflow (申报, 审核, 认定等级, 保障类, 公示): push/check-review.ts.
  const review = await reviewProblem(ws, op, next, existing, ctx.user);
  if (review) return review;

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
