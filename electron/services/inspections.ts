import { writeChanges, type ChangeSet } from '../../db/changes';
import {
  deleteUse,
  getAttachment,
  getUse,
  insertAttachment,
  insertUse,
  listUsesOfInspections,
  type UseRow,
} from '../../db/repositories/attachments';
import { getEnterprise } from '../../db/repositories/enterprises';
import {
  deleteMember,
  findAnswer,
  getAnswer,
  getInspection,
  getPinnedRuleset,
  insertAnswer,
  insertInspection,
  insertMember,
  insertPinnedRuleset,
  insertVisitedProcess,
  listAnswerFacts,
  listAnswers,
  listInspections as listInspectionRows,
  listLatestFinalized,
  listMembers,
  listRevisionsOf,
  listVisitedProcesses,
  setVisitedProcessDeleted,
  updateAnswer,
  updateInspection as updateInspectionRow,
  updateMember,
  type AnswerRow,
  type InspectionRow,
  type MemberRow,
  type VisitedProcessRow,
} from '../../db/repositories/inspections';
import { getProcess } from '../../db/repositories/processes';
import { getViolation, listViolations, type ViolationRow } from '../../db/repositories/violations';
import { AppError } from '../../shared/api/errors';
import { findIndustry } from '../../shared/domain/catalog';
import type { CurrentGrade } from '../../shared/domain/enterprise';
import { safeFileName } from '../../shared/file-name';
import type {
  AnswerSave,
  AnswerSaved,
  EvidenceUse,
  FrozenGrading,
  GapView,
  Inspection,
  InspectionAnswer,
  InspectionDetail,
  InspectionGrading,
  InspectionListQuery,
  InspectionMember,
  InspectionProcess,
  InspectionStart,
  InspectionStatus,
  InspectionSummary,
  InspectionType,
  InspectionUpdate,
  MemberRole,
  MemberSave,
  PhotoInfo,
  ProcessGrading,
  Reading,
  ReadingSave,
} from '../../shared/domain/inspection';
import {
  FrozenGradingSchema,
  REPRESENTATIVE_ROLE,
  type InspectionSign,
} from '../../shared/domain/inspection';
import {
  activeViolationDate,
  addYears,
  checkMeasuredNumbers,
  floorGrade,
  gradeEnterprise,
  NOT_APPLICABLE,
  isGeneralChecklist,
  rulesetLabel,
  rulesetName,
  rulesetSummary,
  parseReading,
  readingRangeProblem,
  validateFacts,
  type FactValue,
  type Facts,
  type Gap,
  type Indicator,
  type ProcessInput,
  type Ruleset,
} from '../../shared/grading';

import { checkEvidenceFile, readStoredFile, storeFile } from './attachments';
import { insertSignatureUse, isSignature, storeSignature, toSignature } from './signatures';
import type { AppContext } from './context';
import { trashVisit } from './trash';
import { generalChecklistFor } from './general-checklist';
import { checkPicture, ensureDerivatives, readPhotoVariant, type PhotoVariant } from './photos';
import { inspectionNumber, nextRecordNumber } from './record-numbers';
import { canonicalJson, findRuleset, rulesetHash } from './rulesets';
import { localDate } from './violations';

/**
 * Site visits (现场检查/帮扶记录): start, answer indicator by indicator (autosave), attach
 * evidence, confirm and finalize, correct by revision, and grade live against the rulesets pinned
 * when each process joined the visit.
 *
 * Rules kept here (and, for immutability, by the triggers of migration 0003 as well):
 * - every write goes through writeChanges, and the visit's status is checked inside that same
 *   IMMEDIATE transaction, so a finalize in another process cannot slip between check and write;
 * - a finalized visit never changes; a correction is a new draft naming it in `revisionOf`;
 * - a confirmation is of the visit as it stood: any later change clears every confirmation;
 * - a draft's grades are computed live: pinned ruleset + answers + the enterprise's violations,
 *   as of the visit's date; finalization stores what it computed (`frozenGrading`, in the same
 *   op as the status), and a finalized visit reads those grades ever after: a violation
 *   recorded later changes the enterprise's current grade and lock, never a signed record's.
 */

const FINALIZED_MESSAGE = '检查记录已确认，不能修改；如需更正，请创建修订版本';

function notFound(id: string): AppError {
  return new AppError('not_found', `检查记录不存在或已删除（编号 ${id}）`);
}

// ─── Pinned rulesets ────────────────────────────────────────────────────────────────────────

/** Parsed pinned rulesets by hash: content-addressed, so a cached copy can never be stale. */
const pinnedCache = new WeakMap<object, Map<string, Ruleset>>();

/** The exact ruleset pinned under this hash, or undefined when this device does not hold it. */
export function pinnedRuleset(ctx: AppContext, hash: string): Ruleset | undefined {
  let cache = pinnedCache.get(ctx.db);
  if (!cache) {
    cache = new Map();
    pinnedCache.set(ctx.db, cache);
  }
  let ruleset = cache.get(hash);
  if (!ruleset) {
    const row = getPinnedRuleset(ctx.db, hash);
    if (!row) return undefined;
    ruleset = JSON.parse(row.json) as Ruleset;
    cache.set(hash, ruleset);
  }
  return ruleset;
}

interface Pin {
  processId: string;
  rulesetId: string;
  edition: string;
  hash: string;
  ruleset: Ruleset;
}

function processLabel(
  ctx: AppContext,
  p: { name: string | null; industryCode: string; branch: string },
): string {
  if (p.name) return p.name;
  const industry = findIndustry(ctx.catalog, p.industryCode)?.name ?? p.industryCode;
  return industry === p.branch ? industry : `${industry}（${p.branch}）`;
}

/**
 * The current ruleset of each process, to pin; a process without one gets the 通用帮扶检查表. A
 * process of another enterprise, or one whose ruleset cannot grade, is refused, every problem named.
 */
function resolvePins(ctx: AppContext, enterpriseId: string, processIds: readonly string[]): Pin[] {
  const pins: Pin[] = [];
  const problems: string[] = [];
  for (const processId of new Set(processIds)) {
    const process = getProcess(ctx.db, processId);
    if (!process || process.enterpriseId !== enterpriseId) {
      problems.push(`该企业没有编号为 ${processId} 的行业或工序`);
      continue;
    }
    const label = processLabel(ctx, process);
    if (!process.rulesetId) {
      // No ruleset yet (most industries): the 通用帮扶检查表 of the branch's grade scheme. Once
      // one is chosen for the process, new visits pin it; this visit keeps the checklist.
      const ruleset = generalChecklistFor(ctx, process);
      pins.push({
        processId,
        rulesetId: ruleset.id,
        edition: ruleset.edition,
        hash: rulesetHash(ruleset),
        ruleset,
      });
      continue;
    }
    const entry = findRuleset(ctx, process.rulesetId);
    if (!entry) {
      problems.push(`“${label}”所选的分级指标不在本机指标库中（可能尚未同步），不能按指标检查`);
      continue;
    }
    if (entry.ruleset.indicators.length === 0) {
      problems.push(`“${label}”所选的${rulesetName(entry.ruleset)}还没有指标，不能按指标检查`);
      continue;
    }
    // The pin is named by the content's SHA-256; a library row that is not (one pulled before
    // devices checked it) is never pinned, so this device never writes a forged pin.
    if (rulesetHash(entry.ruleset) !== entry.hash) {
      problems.push(
        `“${label}”所选的${rulesetName(entry.ruleset)}内容与其编号不符，可能被篡改，不能用于检查（请专家在分级指标库中核对）`,
      );
      continue;
    }
    pins.push({
      processId,
      rulesetId: entry.ruleset.id,
      edition: entry.ruleset.edition,
      hash: entry.hash,
      ruleset: entry.ruleset,
    });
  }
  if (problems.length > 0) {
    throw new AppError(
      'invalid_input',
      problems.join('；'),
      problems.map((message) => ({ path: 'processIds', message })),
    );
  }
  return pins;
}

/** Adds a visited process with its pin, storing the pinned content once per hash. */
function addVisitedProcess(
  ctx: AppContext,
  changes: ChangeSet,
  inspectionId: string,
  pin: Pin,
): void {
  if (!getPinnedRuleset(ctx.db, pin.hash)) {
    insertPinnedRuleset(
      changes,
      pin.hash,
      { rulesetId: pin.rulesetId, edition: pin.edition, json: canonicalJson(pin.ruleset) },
      ctx.device.now(),
    );
  }
  insertVisitedProcess(
    changes,
    ctx.device.newId(),
    {
      inspectionId,
      processId: pin.processId,
      rulesetId: pin.rulesetId,
      rulesetEdition: pin.edition,
      rulesetHash: pin.hash,
    },
    ctx.device.now(),
  );
}

// ─── Guards ─────────────────────────────────────────────────────────────────────────────────

/** The visit, which must be a live draft; call inside the writing transaction. */
export function requireDraft(ctx: AppContext, id: string): InspectionRow {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  if (row.status !== 'draft') throw new AppError('conflict', FINALIZED_MESSAGE);
  return row;
}

/**
 * A confirmation is of the visit as it stood; after any change every member confirms again, and
 * every signature (members' and the enterprise representative's) is signed again.
 */
function clearConfirmations(changes: ChangeSet, ctx: AppContext, inspectionId: string): void {
  for (const m of listMembers(ctx.db, [inspectionId])) {
    if (m.confirmedAt !== null) updateMember(changes, m.id, { confirmedAt: null });
  }
  for (const u of listUsesOfInspections(ctx.db, [inspectionId])) {
    if (isSignature(u)) deleteUse(changes, u.id);
  }
}

function liveVisitedProcess(
  ctx: AppContext,
  inspectionId: string,
  processId: string,
  live: readonly VisitedProcessRow[] = listVisitedProcesses(ctx.db, [inspectionId]),
): VisitedProcessRow {
  const vp = live.find((p) => p.processId === processId);
  if (!vp) {
    throw new AppError('not_found', `此次检查不包括编号为 ${processId} 的行业或工序`);
  }
  return vp;
}

function pinnedOrFail(ctx: AppContext, vp: VisitedProcessRow): Ruleset {
  const ruleset = pinnedRuleset(ctx, vp.rulesetHash);
  if (!ruleset) {
    throw new AppError(
      'conflict',
      `本机没有此次检查所用的分级指标（${vp.rulesetEdition} 版），暂不能作答；同步后再填写`,
    );
  }
  return ruleset;
}

function indicatorOf(ruleset: Ruleset, indicatorId: string): Indicator {
  const indicator = ruleset.indicators.find((i) => i.id === indicatorId);
  if (!indicator) {
    throw new AppError(
      'invalid_input',
      `指标体系 ${ruleset.id}（${ruleset.edition} 版）中没有指标 ${indicatorId}`,
      [{ path: 'indicatorId', message: `没有指标 ${indicatorId}` }],
    );
  }
  return indicator;
}

// ─── Start, update, delete ──────────────────────────────────────────────────────────────────

/** The number a new visit takes: this device's next in the enterprise's city and the visit's year. */
function visitNumber(ctx: AppContext, cityCode: string, date: string): string {
  return nextRecordNumber(ctx.db, ctx.device.deviceId, cityCode, date.slice(0, 4));
}

/** Starts a draft visit, pinning each visited process's current ruleset. */
export function startInspection(ctx: AppContext, input: InspectionStart): InspectionDetail {
  const enterprise = getEnterprise(ctx.db, input.enterpriseId);
  if (!enterprise) {
    throw new AppError('not_found', `企业不存在或已删除（编号 ${input.enterpriseId}）`);
  }
  const id = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    const pins = resolvePins(ctx, input.enterpriseId, input.processIds);
    insertInspection(
      changes,
      id,
      {
        enterpriseId: input.enterpriseId,
        date: input.date,
        type: input.type,
        status: 'draft',
        note: input.note,
        revisionOf: null,
        number: visitNumber(ctx, enterprise.cityCode, input.date),
      },
      ctx.device.now(),
    );
    for (const m of input.members) {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: id, name: m.name, role: m.role },
        ctx.device.now(),
      );
    }
    for (const pin of pins) addVisitedProcess(ctx, changes, id, pin);
  });
  return getInspectionDetail(ctx, id);
}

/**
 * Changes a draft's date, type, note or visited processes. A process added now is pinned to its
 * current ruleset; one removed keeps its answers, which come back if it is added again.
 */
export function updateInspection(ctx: AppContext, input: InspectionUpdate): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, input.id);
    let changed =
      updateInspectionRow(changes, row.id, {
        ...(input.date !== undefined ? { date: input.date } : {}),
        ...(input.type !== undefined ? { type: input.type } : {}),
        ...(input.note !== undefined ? { note: input.note } : {}),
      }).length > 0;
    if (input.processIds) {
      const wanted = new Set(input.processIds);
      const all = listVisitedProcesses(ctx.db, [row.id], true);
      const have = new Map(all.map((p) => [p.processId, p]));
      const fresh = [...wanted].filter((pid) => !have.has(pid));
      const pins = resolvePins(ctx, row.enterpriseId, fresh);
      for (const p of all) {
        const keep = wanted.has(p.processId);
        if (p.deleted === keep) {
          setVisitedProcessDeleted(changes, p.id, !keep);
          changed = true;
        }
      }
      for (const pin of pins) {
        addVisitedProcess(ctx, changes, row.id, pin);
        changed = true;
      }
    }
    if (changed) clearConfirmations(changes, ctx, row.id);
    return changed;
  });
  return getInspectionDetail(ctx, input.id);
}

/**
 * Moves a visit to the 回收站 (electron/services/trash.ts): a draft as it is; a finalized visit
 * only by an account that may delete official records, and with a reason.
 */
export function deleteInspection(ctx: AppContext, id: string, reason?: string): { id: string } {
  return trashVisit(ctx, { id, reason });
}

// ─── Members, confirmation, finalization ────────────────────────────────────────────────────

function memberOf(ctx: AppContext, inspectionId: string, memberId: string): MemberRow {
  const member = listMembers(ctx.db, [inspectionId]).find((m) => m.id === memberId);
  if (!member) throw new AppError('not_found', `此次检查没有编号为 ${memberId} 的成员`);
  return member;
}

/** Adds a member (no memberId) or changes one. */
export function saveMember(ctx: AppContext, input: MemberSave): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    let changed: boolean;
    if (input.memberId) {
      memberOf(ctx, input.inspectionId, input.memberId);
      changed =
        updateMember(changes, input.memberId, { name: input.name, role: input.role }).length > 0;
    } else {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: input.inspectionId, name: input.name, role: input.role },
        ctx.device.now(),
      );
      changed = true;
    }
    if (changed) clearConfirmations(changes, ctx, input.inspectionId);
    return changed;
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

export function removeMember(
  ctx: AppContext,
  input: { inspectionId: string; memberId: string },
): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    memberOf(ctx, input.inspectionId, input.memberId);
    deleteMember(changes, input.memberId);
    clearConfirmations(changes, ctx, input.inspectionId);
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

/** Records that this member confirms the visit as it stands now (who: the member; when: now). */
export function confirmInspection(
  ctx: AppContext,
  input: { inspectionId: string; memberId: string },
): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, input.inspectionId);
    const member = memberOf(ctx, input.inspectionId, input.memberId);
    if (member.confirmedAt !== null) return false;
    updateMember(changes, member.id, { confirmedAt: ctx.device.now() });
    return true;
  });
  return getInspectionDetail(ctx, input.inspectionId);
}

/**
 * Signs a draft visit on screen: a team member (their signature is their confirmation 签字确认,
 * replacing one they signed before) or the enterprise's representative (企业陪同人员, by name;
 * signing again under the same name replaces it). The PNG is checked and stored as evidence.
 */
export async function signInspection(
  ctx: AppContext,
  sign: InspectionSign,
): Promise<InspectionDetail> {
  if ((sign.memberId === undefined) === (sign.representative === undefined)) {
    throw new AppError(
      'invalid_input',
      '请选择签名的检查组成员，或填写企业陪同人员的姓名（二者选一）',
    );
  }
  requireDraft(ctx, sign.inspectionId);
  if (sign.memberId !== undefined) memberOf(ctx, sign.inspectionId, sign.memberId);
  const stored = await storeSignature(ctx, sign.image);
  writeChanges(ctx.db, ctx.device, (changes) => {
    requireDraft(ctx, sign.inspectionId);
    const member =
      sign.memberId === undefined ? null : memberOf(ctx, sign.inspectionId, sign.memberId);
    const signerName = member ? member.name : (sign.representative as string);
    const signerRole = member ? member.role : REPRESENTATIVE_ROLE;
    for (const u of listUsesOfInspections(ctx.db, [sign.inspectionId])) {
      const same = member
        ? u.memberId === member.id
        : u.memberId === null &&
          u.signerRole === REPRESENTATIVE_ROLE &&
          u.signerName === signerName;
      if (isSignature(u) && same) deleteUse(changes, u.id);
    }
    const when = insertSignatureUse(
      ctx,
      changes,
      stored,
      { name: signerName, role: signerRole },
      { inspectionId: sign.inspectionId, memberId: member?.id ?? null },
    );
    if (member) updateMember(changes, member.id, { confirmedAt: when });
  });
  return getInspectionDetail(ctx, sign.inspectionId);
}

/** Finalizes a draft every member has confirmed; from then on it never changes. */
export function finalizeInspection(ctx: AppContext, id: string): InspectionDetail {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, id);
    const team = listMembers(ctx.db, [id]);
    if (team.length === 0) {
      throw new AppError('invalid_input', '检查组还没有成员，不能确认；请先添加成员');
    }
    const waiting = team.filter((m) => m.confirmedAt === null);
    if (waiting.length > 0) {
      throw new AppError(
        'conflict',
        `还有成员未确认：${waiting.map((m) => `${m.name}（${m.role}）`).join('、')}；每位成员确认后才能定稿`,
        waiting.map((m) => ({ path: `members.${m.id}`, message: `${m.name}尚未确认` })),
      );
    }
    // The grades as they stand now, stored in the very UPDATE (and op) that finalizes.
    const violations = listViolations(ctx.db, row.enterpriseId);
    const grading = gradeVisit(
      ctx,
      row.date,
      listVisitedProcesses(ctx.db, [id]),
      listAnswerFacts(ctx.db, id),
      violations,
    );
    const frozen = freeze(grading, activeViolationDate(row.date, violations));
    updateInspectionRow(changes, id, {
      status: 'finalized',
      finalizedAt: ctx.device.now(),
      frozenGrading: JSON.stringify(frozen),
    });
  });
  return getInspectionDetail(ctx, id);
}

/**
 * Starts a correction of a finalized visit: a draft copy (members unconfirmed, the same pinned
 * rulesets, every answer and evidence use) naming it in `revisionOf`. Asking again returns the
 * correction already in progress.
 */
export function reviseInspection(ctx: AppContext, id: string, reason: string): InspectionDetail {
  const why = reason.trim();
  if (why.length < 2) {
    throw new AppError('invalid_input', '请填写更正原因（至少2个字）', [
      { path: 'reason', message: '请填写更正原因（至少2个字）' },
    ]);
  }
  const revisionId = writeChanges(ctx.db, ctx.device, (changes) => {
    const original = getInspection(ctx.db, id);
    if (!original) throw notFound(id);
    if (original.status !== 'finalized') {
      throw new AppError('conflict', '只有已确认的检查记录需要更正；草稿可以直接修改');
    }
    const revisions = listRevisionsOf(ctx.db, id);
    const draft = revisions.find((r) => r.status === 'draft');
    if (draft) return draft.id;
    const done = revisions.find((r) => r.status === 'finalized');
    if (done) {
      throw new AppError(
        'conflict',
        `此记录已由 ${done.date} 的修订版本更正，请在最新的版本上更正（编号 ${done.id}）`,
      );
    }
    const newId = ctx.device.newId();
    const now = ctx.device.now();
    insertInspection(
      changes,
      newId,
      {
        enterpriseId: original.enterpriseId,
        date: original.date,
        type: original.type,
        status: 'draft',
        note: original.note,
        revisionOf: original.id,
        correctionReason: why,
        // A correction is a record of its own: it gets its own number and names the one it corrects.
        number: visitNumber(
          ctx,
          getEnterprise(ctx.db, original.enterpriseId)?.cityCode ?? '',
          original.date,
        ),
      },
      now,
    );
    for (const m of listMembers(ctx.db, [id])) {
      insertMember(
        changes,
        ctx.device.newId(),
        { inspectionId: newId, name: m.name, role: m.role },
        ctx.device.now(),
      );
    }
    const processIds = new Map<string, string>();
    for (const p of listVisitedProcesses(ctx.db, [id])) {
      const vpId = ctx.device.newId();
      processIds.set(p.id, vpId);
      insertVisitedProcess(
        changes,
        vpId,
        {
          inspectionId: newId,
          processId: p.processId,
          rulesetId: p.rulesetId,
          rulesetEdition: p.rulesetEdition,
          rulesetHash: p.rulesetHash,
        },
        ctx.device.now(),
      );
    }
    const answerIds = new Map<string, string>();
    for (const a of listAnswers(ctx.db, [id])) {
      const vpId = processIds.get(a.inspectionProcessId);
      if (!vpId) continue;
      const answerId = ctx.device.newId();
      answerIds.set(a.id, answerId);
      insertAnswer(
        changes,
        answerId,
        {
          inspectionId: newId,
          inspectionProcessId: vpId,
          indicatorId: a.indicatorId,
          fact: a.fact,
          note: a.note,
          problems: a.problems,
          readings: a.readings,
        },
        ctx.device.now(),
      );
    }
    // Signatures are of the record as it stood: the correction is signed anew.
    for (const u of listUsesOfInspections(ctx.db, [id]).filter((x) => !isSignature(x))) {
      const answerId = u.answerId === null ? null : (answerIds.get(u.answerId) ?? null);
      if (u.answerId !== null && answerId === null) continue;
      insertUse(
        changes,
        ctx.device.newId(),
        {
          attachmentId: u.attachmentId,
          inspectionId: newId,
          answerId,
          violationId: null,
          fileName: safeFileName(u.fileName),
          takenAt: u.takenAt,
        },
        ctx.device.now(),
      );
    }
    return newId;
  });
  return getInspectionDetail(ctx, revisionId);
}

// ─── Answers ────────────────────────────────────────────────────────────────────────────────

function parseFact(json: string | null): FactValue | null {
  return json === null ? null : (JSON.parse(json) as FactValue);
}

function parseList<T>(json: string | null): T[] {
  if (json === null) return [];
  const value = JSON.parse(json) as unknown;
  return Array.isArray(value) ? (value as T[]) : [];
}

/** A list as stored: JSON, or null when empty (so an emptied list reads as never written). */
function storedList(list: readonly unknown[] | undefined): string | null | undefined {
  if (list === undefined) return undefined;
  return list.length === 0 ? null : JSON.stringify(list);
}

function toAnswer(a: AnswerRow, processId: string): InspectionAnswer {
  return {
    id: a.id,
    processId,
    indicatorId: a.indicatorId,
    fact: parseFact(a.fact),
    note: a.note,
    problems: parseList<string>(a.problems),
    readings: parseList<Reading>(a.readings),
    updatedAt: a.updatedAt,
  };
}

/**
 * The readings of a max/min fact: text typed for a reading (full-width digits, the IME's 。…) is
 * read as its number (shared/grading/readings.ts), and every reading must lie in its unit's range
 * (a % within 0–100, a concentration ≥ 0…). Anything else is refused, naming the reading and why:
 * the stored answer stays as it was.
 */
function checkReadings(indicator: Indicator, fact: unknown): unknown {
  if ((indicator.kind !== 'max' && indicator.kind !== 'min') || fact === NOT_APPLICABLE) {
    return fact;
  }
  const several = Array.isArray(fact) && fact.length > 1;
  const problems: string[] = [];
  const read = (v: unknown, i: number): unknown => {
    const which = several ? `第 ${i + 1} 个读数` : '读数';
    let value = v;
    if (typeof v === 'string') {
      const parsed = parseReading(v, indicator.unit);
      if (parsed.kind === 'number') value = parsed.value;
      else {
        problems.push(`${which}${parsed.kind === 'empty' ? '为空' : `：${parsed.message}`}`);
        return v;
      }
    }
    if (typeof value === 'number') {
      const problem = readingRangeProblem(value, indicator.unit);
      if (problem !== null) problems.push(`${which} ${problem}`);
    }
    return value;
  };
  const out = Array.isArray(fact) ? fact.map(read) : read(fact, 0);
  if (problems.length > 0) {
    const message = `指标“${indicator.title}”（${indicator.id}）${problems.join('；')}，未保存，原有的值保留不变`;
    throw new AppError('invalid_input', message, [{ path: 'fact', message }]);
  }
  return out;
}

/**
 * The measured readings (实测读数) of an answer, checked by the rule of the input under each
 * (shared/grading/readings.ts): text typed for a number is read as one, 实测值 and 限值 lie within
 * the unit's range (a % within 0–100, a concentration ≥ 0; a 限值 ≥ 0), 基准氧含量 within 0–21 %.
 * Anything else is refused, naming the indicator, the reading and the field: nothing is saved.
 */
function checkAnswerReadings(
  indicator: Indicator,
  readings: readonly ReadingSave[] | undefined,
): Reading[] | undefined {
  if (readings === undefined) return undefined;
  const problems: string[] = [];
  const issues: { path: string; message: string }[] = [];
  const out = readings.map((r, i): Reading => {
    const checked = checkMeasuredNumbers(r);
    if (!checked.ok) {
      const which = `第 ${i + 1} 条实测读数（${r.outlet} ${r.pollutant}）`;
      for (const p of checked.problems) {
        problems.push(`${which}${p.message}`);
        issues.push({ path: `readings.${i}.${p.field}`, message: `${which}${p.message}` });
      }
      return { ...r, value: 0, oxygenRef: null, limit: null };
    }
    const { value, oxygenRef, limit } = checked;
    return { outlet: r.outlet, pollutant: r.pollutant, value, unit: r.unit, oxygenRef, limit };
  });
  if (problems.length > 0) {
    const message = `指标“${indicator.title}”（${indicator.id}）${problems.join('；')}，未保存，原有的读数保留不变`;
    throw new AppError('invalid_input', message, issues);
  }
  return out;
}

/** Checks one fact against its indicator in the pinned ruleset; the message names the indicator. */
function checkFact(ruleset: Ruleset, indicator: Indicator, raw: unknown): FactValue {
  const fact = checkReadings(indicator, raw);
  const checked = validateFacts(ruleset, { [indicator.id]: fact });
  if (checked.ok) return checked.value[indicator.id] as FactValue;
  const reasons = checked.issues.map((i) => {
    const suffix = i.path.slice(indicator.id.length);
    return suffix ? `第 ${Number(suffix.replace(/\D/g, '')) + 1} 个读数${i.message}` : i.message;
  });
  const message = `指标“${indicator.title}”（${indicator.id}）${reasons.join('；')}`;
  throw new AppError('invalid_input', message, [{ path: 'fact', message }]);
}

/**
 * Autosave of one answer: one small transaction, an upsert that writes (and records as an op)
 * only the fields whose value changes. `fact: null` clears the fact; an absent field stays.
 */
export function saveAnswer(ctx: AppContext, input: AnswerSave): AnswerSaved {
  const saved = writeChanges(ctx.db, ctx.device, (changes) => {
    const row = requireDraft(ctx, input.inspectionId);
    const processes = listVisitedProcesses(ctx.db, [input.inspectionId]);
    const vp = liveVisitedProcess(ctx, input.inspectionId, input.processId, processes);
    const ruleset = pinnedOrFail(ctx, vp);
    const indicator = indicatorOf(ruleset, input.indicatorId);
    const fact =
      input.fact === undefined
        ? undefined
        : input.fact === null
          ? null
          : JSON.stringify(checkFact(ruleset, indicator, input.fact));
    const problems = storedList(input.problems);
    const readings = storedList(checkAnswerReadings(indicator, input.readings));
    const existing = findAnswer(ctx.db, vp.id, indicator.id);
    let answerId: string | null = existing?.id ?? null;
    let changed = false;
    if (existing) {
      changed =
        updateAnswer(changes, existing.id, { fact, note: input.note, problems, readings }).length >
        0;
    } else if (
      (fact ?? null) !== null ||
      (input.note ?? null) !== null ||
      (problems ?? null) !== null ||
      (readings ?? null) !== null
    ) {
      answerId = ctx.device.newId();
      insertAnswer(
        changes,
        answerId,
        {
          inspectionId: input.inspectionId,
          inspectionProcessId: vp.id,
          indicatorId: indicator.id,
          fact: fact ?? null,
          note: input.note ?? null,
          problems: problems ?? null,
          readings: readings ?? null,
        },
        ctx.device.now(),
      );
      changed = true;
    }
    if (changed) clearConfirmations(changes, ctx, input.inspectionId);
    return { answerId, changed, processId: vp.processId, row, processes };
  });
  const answer = saved.answerId ? getAnswer(ctx.db, saved.answerId) : undefined;
  return {
    answer: answer ? toAnswer(answer, saved.processId) : null,
    changed: saved.changed,
    // The visit and its processes as read in the save, which changes neither; the answers anew.
    grading: gradeVisit(
      ctx,
      saved.row.date,
      saved.processes,
      listAnswerFacts(ctx.db, input.inspectionId),
      listViolations(ctx.db, saved.row.enterpriseId),
    ),
  };
}

// ─── Evidence ───────────────────────────────────────────────────────────────────────────────

export interface EvidenceInput {
  inspectionId?: string | undefined;
  processId?: string | undefined;
  indicatorId?: string | undefined;
  violationId?: string | undefined;
  fileName: string;
  data: Buffer;
  takenAt?: number | null | undefined;
}

export function toEvidence(u: UseRow): EvidenceUse {
  return {
    id: u.id,
    sha256: u.attachmentId,
    // Names are made safe when added; a synced row may come from a device that did not.
    fileName: safeFileName(u.fileName),
    mimeType: u.mimeType,
    size: u.size,
    takenAt: u.takenAt,
    createdAt: u.createdAt,
    inspectionId: u.inspectionId,
    answerId: u.answerId,
    processId: u.processId,
    indicatorId: u.indicatorId,
    violationId: u.violationId,
  };
}

/**
 * Attaches a photo or scan to a draft visit (optionally to one answer: processId + indicatorId)
 * or to a violation. The file is checked by content and size, stored by hash (once, whatever
 * its uses) and only then is the use row written.
 */
export function addEvidence(ctx: AppContext, input: EvidenceInput): EvidenceUse {
  if ((input.inspectionId === undefined) === (input.violationId === undefined)) {
    throw new AppError('invalid_input', '证据须附在一次检查或一条违法记录上（二者选一）');
  }
  if ((input.processId === undefined) !== (input.indicatorId === undefined)) {
    throw new AppError('invalid_input', '附到某项指标时须同时给出工序和指标');
  }
  // Refuse before writing any file when the target cannot take evidence.
  if (input.inspectionId !== undefined) requireDraft(ctx, input.inspectionId);
  if (input.violationId !== undefined && !getViolation(ctx.db, input.violationId)) {
    throw new AppError('not_found', `违法记录不存在或已删除（编号 ${input.violationId}）`);
  }
  // A name is only a label: control and direction characters and path separators go.
  const fileName = safeFileName(input.fileName);
  const mimeType = checkEvidenceFile(fileName, input.data);
  // 1. The file, durable on disk…
  const stored = storeFile(ctx.dataDir, input.data, mimeType);
  // 2. …then its rows.
  const useId = ctx.device.newId();
  writeChanges(ctx.db, ctx.device, (changes) => {
    let answerId: string | null = null;
    if (input.inspectionId !== undefined) {
      requireDraft(ctx, input.inspectionId);
      if (input.processId !== undefined && input.indicatorId !== undefined) {
        const vp = liveVisitedProcess(ctx, input.inspectionId, input.processId);
        const indicator = indicatorOf(pinnedOrFail(ctx, vp), input.indicatorId);
        answerId = findAnswer(ctx.db, vp.id, indicator.id)?.id ?? null;
        if (answerId === null) {
          answerId = ctx.device.newId();
          insertAnswer(
            changes,
            answerId,
            {
              inspectionId: input.inspectionId,
              inspectionProcessId: vp.id,
              indicatorId: indicator.id,
              fact: null,
              note: null,
              problems: null,
              readings: null,
            },
            ctx.device.now(),
          );
        }
      }
      clearConfirmations(changes, ctx, input.inspectionId);
    }
    if (!getAttachment(ctx.db, stored.sha256)) {
      insertAttachment(
        changes,
        stored.sha256,
        { size: stored.size, mimeType: stored.mimeType },
        ctx.device.now(),
      );
    }
    insertUse(
      changes,
      useId,
      {
        attachmentId: stored.sha256,
        inspectionId: input.inspectionId ?? null,
        answerId,
        violationId: input.violationId ?? null,
        fileName,
        takenAt: input.takenAt ?? null,
      },
      ctx.device.now(),
    );
  });
  const use = getUse(ctx.db, useId);
  if (!use) throw new Error(`evidence ${useId} vanished`);
  return toEvidence(use);
}

/** The file of one evidence use, with its original name. */
export function readEvidence(
  ctx: AppContext,
  id: string,
): { fileName: string; mimeType: string; data: Buffer } {
  const use = getUse(ctx.db, id);
  if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
  return {
    fileName: safeFileName(use.fileName),
    mimeType: use.mimeType,
    data: readStoredFile(ctx.dataDir, use.attachmentId),
  };
}

/**
 * A person's file added as evidence: as addEvidence, but a picture that does not decode is refused
 * first (named, nothing stored), and its thumbnail and print size are made once it is stored.
 */
export async function addEvidenceFile(ctx: AppContext, input: EvidenceInput): Promise<EvidenceUse> {
  const fileName = safeFileName(input.fileName);
  await checkPicture(fileName, input.data, checkEvidenceFile(fileName, input.data));
  const use = addEvidence(ctx, input);
  await ensureDerivatives(ctx.dataDir, use.sha256, use.mimeType);
  return use;
}

/**
 * A file of evidence to show: its original, or a photo's thumbnail or print size (the original
 * when it has none, such as a PDF scan), with what the photo's EXIF says.
 */
export async function readEvidenceFile(
  ctx: AppContext,
  id: string,
  variant: 'original' | PhotoVariant = 'original',
): Promise<{ fileName: string; mimeType: string; data: Buffer; photo: PhotoInfo | null }> {
  const use = getUse(ctx.db, id);
  if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
  const fileName = safeFileName(use.fileName);
  const derived =
    variant === 'original'
      ? null
      : await readPhotoVariant(ctx.dataDir, use.attachmentId, use.mimeType, variant);
  if (derived) return { fileName, mimeType: 'image/jpeg', data: derived.data, photo: derived.info };
  const photo = await ensureDerivatives(ctx.dataDir, use.attachmentId, use.mimeType);
  return {
    fileName,
    mimeType: use.mimeType,
    data: readStoredFile(ctx.dataDir, use.attachmentId),
    photo,
  };
}

/** Removes one use (a tombstone); the stored file stays for its other uses and for sync. */
export function removeEvidence(ctx: AppContext, id: string): { id: string } {
  writeChanges(ctx.db, ctx.device, (changes) => {
    const use = getUse(ctx.db, id);
    if (!use) throw new AppError('not_found', `证据不存在或已删除（编号 ${id}）`);
    if (use.planId !== null) throw new AppError('conflict', '方案上的签名签下后不能更换');
    if (use.inspectionId !== null) {
      requireDraft(ctx, use.inspectionId);
      clearConfirmations(changes, ctx, use.inspectionId);
    }
    deleteUse(changes, id);
  });
  return { id };
}

// ─── Grading ────────────────────────────────────────────────────────────────────────────────

function gapView(byId: ReadonlyMap<string, Indicator>, gap: Gap): GapView {
  const ind = byId.get(gap.indicator);
  return {
    indicatorId: gap.indicator,
    title: ind?.title ?? gap.indicator,
    dimension: ind?.dimension ?? '',
    kind: ind?.kind ?? '',
    unit: ind?.unit ?? null,
    status: gap.status,
    required: gap.required,
    actual: gap.actual ?? null,
  };
}

/** Indicators by id, per ruleset object: pinned rulesets are cached and never change. */
const indicatorIndex = new WeakMap<Ruleset, Map<string, Indicator>>();

function indicatorsById(ruleset: Ruleset): Map<string, Indicator> {
  let byId = indicatorIndex.get(ruleset);
  if (!byId) {
    byId = new Map();
    // The first indicator of an id wins, as a search from the start would find it.
    for (const i of ruleset.indicators) if (!byId.has(i.id)) byId.set(i.id, i);
    indicatorIndex.set(ruleset, byId);
  }
  return byId;
}

/** What grading needs of an answer (an AnswerFactRow); a null fact is no answer yet. */
type GradedAnswer = Pick<AnswerRow, 'inspectionProcessId' | 'indicatorId' | 'fact'>;

/**
 * The grades a finalized visit stored, or null: a draft, a visit finalized before they were
 * stored, or one a newer app stored in a form this one cannot read (each is graded live).
 */
function frozenOf(row: Pick<InspectionRow, 'status' | 'frozenGrading'>): FrozenGrading | null {
  if (row.status !== 'finalized' || row.frozenGrading === null) return null;
  try {
    const parsed = FrozenGradingSchema.safeParse(JSON.parse(row.frozenGrading));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What finalization stores of the grading it computed. */
function freeze(grading: InspectionGrading, violationDate: string | null): FrozenGrading {
  return {
    v: 1,
    asOf: grading.asOf,
    grade: grading.grade,
    lockedUntil: grading.lockedUntil,
    violationDate,
    processes: grading.processes.map((p) => ({
      id: p.inspectionProcessId,
      grade: p.grade,
      factsGrade: p.factsGrade,
      answered: p.answered,
      indicators: p.indicators,
    })),
  };
}

/**
 * Grades a visit: each visited process against its pinned ruleset, the enterprise as the worst
 * of them with its violations applied, all as of the visit's date; and each process's gaps to
 * its target grade. A finalized visit with stored grades (`frozen`) is graded with the violation
 * it was finalized with, not those recorded since, and reads the stored grades; a violation that
 * locks the enterprise today and is not among them is named as `laterViolation`.
 */
function gradeVisit(
  ctx: AppContext,
  asOf: string,
  processes: readonly VisitedProcessRow[],
  answers: readonly GradedAnswer[],
  violations: readonly ViolationRow[],
  frozen: FrozenGrading | null = null,
): InspectionGrading {
  const violationInput =
    frozen === null
      ? violations.map((v) => ({ date: v.date, kind: v.kind }))
      : frozen.violationDate === null
        ? []
        : [{ date: frozen.violationDate, kind: '' }];
  // The answers of each visited process, in one pass.
  const answersOf = new Map<string, GradedAnswer[]>();
  for (const p of processes) answersOf.set(p.id, []);
  for (const a of answers) {
    if (a.fact !== null) answersOf.get(a.inspectionProcessId)?.push(a);
  }
  const inputs: ProcessInput[] = [];
  const byHash = new Map<string, Ruleset>();
  const answered = new Map<string, number>();
  for (const p of processes) {
    const ruleset = pinnedRuleset(ctx, p.rulesetHash);
    if (!ruleset) continue;
    byHash.set(p.rulesetHash, ruleset);
    const known = indicatorsById(ruleset);
    const facts: Facts = {};
    let count = 0;
    for (const a of answersOf.get(p.id) ?? []) {
      if (known.has(a.indicatorId)) {
        facts[a.indicatorId] = parseFact(a.fact) as FactValue;
        count++;
      }
    }
    answered.set(p.id, count);
    // Keyed by hash, not id: two processes may pin different editions of one ruleset.
    inputs.push({ name: p.id, ruleset: p.rulesetHash, facts });
  }
  const result =
    inputs.length > 0
      ? gradeEnterprise({ asOf, processes: inputs, violations: violationInput }, (hash) =>
          byHash.get(hash),
        )
      : null;
  const lockedDate = activeViolationDate(asOf, violationInput);
  const views: ProcessGrading[] = processes.map((p) => {
    const label = processLabel(ctx, p);
    const ruleset = byHash.get(p.rulesetHash);
    const graded = result?.processes.find((r) => r.name === p.id);
    const base = {
      inspectionProcessId: p.id,
      processId: p.processId,
      label,
      rulesetId: p.rulesetId,
      edition: p.rulesetEdition,
      rulesetName: ruleset ? rulesetName(ruleset) : '分级指标',
      summary: ruleset ? rulesetSummary(ruleset) : null,
      targetGrade: p.targetGrade,
    };
    if (!ruleset || !graded) {
      return {
        ...base,
        unverified: false,
        judged: false,
        grade: null,
        factsGrade: null,
        reachesTarget: null,
        gapsToTarget: null,
        gaps: {},
        answered: 0,
        indicators: 0,
        problem: `本机没有此次检查所用的分级指标（${p.rulesetEdition} 版），不能评级；同步后再打开`,
      };
    }
    const byId = indicatorsById(ruleset);
    const gaps: Record<string, GapView[]> = {};
    for (const [grade, list] of Object.entries(graded.gaps)) {
      gaps[grade] = list.map((g) => gapView(byId, g));
    }
    const ranks = new Map(ruleset.grades.map((g) => [g.grade, g.rank]));
    let reachesTarget: boolean | null = null;
    let gapsToTarget: GapView[] | null = null;
    let problem: string | null = null;
    if (p.targetGrade !== null) {
      const targetRank = ranks.get(p.targetGrade);
      if (targetRank === undefined) {
        problem = `目标等级“${p.targetGrade}”不是${rulesetLabel(ruleset)}的等级（${ruleset.grades.map((g) => g.grade).join('、')}）`;
      } else {
        reachesTarget = (ranks.get(graded.grade) ?? Infinity) <= targetRank;
        gapsToTarget = reachesTarget ? [] : (gaps[p.targetGrade] ?? []);
      }
    }
    return {
      ...base,
      unverified: ruleset.status === 'draft' && !isGeneralChecklist(ruleset),
      judged: isGeneralChecklist(ruleset),
      grade: graded.grade,
      factsGrade: graded.factsGrade ?? null,
      reachesTarget,
      gapsToTarget,
      gaps,
      answered: answered.get(p.id) ?? 0,
      indicators: ruleset.indicators.length,
      problem,
    };
  });
  if (frozen !== null) {
    // The stored grades are the record's; recomputing from the same pinned rulesets, answers and
    // violation gives them again, and where a later app grades otherwise, the stored ones stand.
    const stored = new Map(frozen.processes.map((p) => [p.id, p]));
    for (const view of views) {
      const p = stored.get(view.inspectionProcessId);
      if (!p) continue;
      view.grade = p.grade;
      view.factsGrade = p.factsGrade;
      view.answered = p.answered;
      view.indicators = p.indicators;
    }
  }
  const answeredTotal = views.reduce((n, v) => n + v.answered, 0);
  const indicatorTotal = views.reduce((n, v) => n + v.indicators, 0);
  return {
    asOf,
    grade:
      frozen !== null
        ? frozen.grade
        : result && inputs.length === processes.length
          ? result.grade
          : null,
    lockedUntil:
      frozen !== null ? frozen.lockedUntil : lockedDate === null ? null : addYears(lockedDate, 1),
    unverified: views.some((v) => v.unverified),
    answered: answeredTotal,
    open: Math.max(0, indicatorTotal - answeredTotal),
    frozen: frozen !== null,
    laterViolation: frozen === null ? null : laterViolation(ctx, frozen, violations),
    processes: views,
  };
}

/** The violation locking the enterprise today that a finalized visit's grades do not include. */
function laterViolation(
  ctx: AppContext,
  frozen: FrozenGrading,
  violations: readonly ViolationRow[],
): InspectionGrading['laterViolation'] {
  const today = localDate(ctx.device.now());
  const date = activeViolationDate(today, [...violations]);
  if (date === null || date === frozen.violationDate) return null;
  const kind = violations.find((v) => v.date === date)?.kind ?? '';
  return { date, kind, lockedUntil: addYears(date, 1) };
}

/** The live grading of one visit, without the rest of its detail (what autosave returns). */
export function gradingOf(ctx: AppContext, id: string): InspectionGrading {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  return gradeVisit(
    ctx,
    row.date,
    listVisitedProcesses(ctx.db, [id]),
    listAnswerFacts(ctx.db, id),
    listViolations(ctx.db, row.enterpriseId),
    frozenOf(row),
  );
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

function toInspection(row: InspectionRow): Inspection {
  return {
    id: row.id,
    enterpriseId: row.enterpriseId,
    date: row.date,
    type: row.type as InspectionType,
    status: row.status as InspectionStatus,
    note: row.note,
    revisionOf: row.revisionOf,
    correctionReason: row.correctionReason,
    number: inspectionNumber(row),
    finalizedAt: row.finalizedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toMember(m: MemberRow): InspectionMember {
  return { id: m.id, name: m.name, role: m.role as MemberRole, confirmedAt: m.confirmedAt };
}

/** Of the live visits correcting one (listRevisionsOf), the latest, preferring a finalized one. */
function latestRevision(revisions: readonly InspectionRow[]): InspectionDetail['revisedBy'] {
  const pick = revisions.filter((r) => r.status === 'finalized').at(-1) ?? revisions.at(-1);
  return pick
    ? {
        id: pick.id,
        number: inspectionNumber(pick),
        status: pick.status as InspectionStatus,
        reason: pick.correctionReason,
      }
    : null;
}

/** The latest live visit correcting this one, preferring a finalized one. */
function revisedBy(ctx: AppContext, id: string): InspectionDetail['revisedBy'] {
  return latestRevision(listRevisionsOf(ctx.db, id));
}

/**
 * The visits of a correction chain, oldest first: the first original and every revision; and
 * the visit's own revisedBy, from the revisions of it read on the way (each visit's are read once).
 */
function corrections(
  ctx: AppContext,
  row: InspectionRow,
): Pick<InspectionDetail, 'history' | 'revisedBy'> {
  let root = row;
  const seen = new Set([row.id]);
  while (root.revisionOf !== null && !seen.has(root.revisionOf)) {
    const parent = getInspection(ctx.db, root.revisionOf);
    if (!parent) break;
    seen.add(parent.id);
    root = parent;
  }
  const chain: InspectionRow[] = [];
  const queue = [root];
  const visited = new Set<string>();
  // The visit is on the chain (every step up was a live visit naming its parent), so its own
  // revisions are read on the way down; the fallback is only for safety.
  let ofRow: InspectionRow[] | undefined;
  while (queue.length > 0) {
    const next = queue.shift() as InspectionRow;
    if (visited.has(next.id)) continue;
    visited.add(next.id);
    chain.push(next);
    const revisions = listRevisionsOf(ctx.db, next.id);
    if (next.id === row.id) ofRow = revisions;
    queue.push(...revisions);
  }
  const history = chain
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id,
      number: inspectionNumber(r),
      status: r.status as InspectionStatus,
      date: r.date,
      revisionOf: r.revisionOf,
    }));
  return { history, revisedBy: latestRevision(ofRow ?? listRevisionsOf(ctx.db, row.id)) };
}

/**
 * The answer saved last: the greatest clock, in one pass (clocks do not repeat; were two equal,
 * the later in the list wins, as it did when this was a sort).
 */
function lastSaved(answerRows: readonly AnswerRow[]): AnswerRow | undefined {
  let last: AnswerRow | undefined;
  for (const a of answerRows) if (last === undefined || a.updatedAt >= last.updatedAt) last = a;
  return last;
}

/** A visit with its members, processes, answers, evidence and live grading. */
export function getInspectionDetail(ctx: AppContext, id: string): InspectionDetail {
  const row = getInspection(ctx.db, id);
  if (!row) throw notFound(id);
  const processes = listVisitedProcesses(ctx.db, [id]);
  const processOf = new Map(processes.map((p) => [p.id, p.processId]));
  const answerRows = listAnswers(ctx.db, [id]).filter((a) => processOf.has(a.inspectionProcessId));
  const answers = answerRows.map((a) =>
    toAnswer(a, processOf.get(a.inspectionProcessId) as string),
  );
  const last = lastSaved(answerRows);
  const uses = listUsesOfInspections(ctx.db, [id]);
  const visitedProcesses: InspectionProcess[] = processes.map((p) => {
    const ruleset = pinnedRuleset(ctx, p.rulesetHash) ?? null;
    return {
      id: p.id,
      processId: p.processId,
      label: processLabel(ctx, p),
      industryCode: p.industryCode,
      branch: p.branch,
      targetGrade: p.targetGrade,
      ruleset: {
        id: p.rulesetId,
        edition: p.rulesetEdition,
        hash: p.rulesetHash,
        status: ruleset?.status ?? 'draft',
        general: isGeneralChecklist(ruleset),
        ruleset,
      },
    };
  });
  return {
    inspection: toInspection(row),
    enterpriseName: row.enterpriseName,
    members: listMembers(ctx.db, [id]).map(toMember),
    processes: visitedProcesses,
    answers,
    evidence: uses.filter((u) => !isSignature(u)).map(toEvidence),
    signatures: uses.filter(isSignature).map(toSignature),
    grading: gradeVisit(
      ctx,
      row.date,
      processes,
      answerRows,
      listViolations(ctx.db, row.enterpriseId),
      frozenOf(row),
    ),
    lastAnswer: last
      ? {
          processId: processOf.get(last.inspectionProcessId) as string,
          indicatorId: last.indicatorId,
        }
      : null,
    ...corrections(ctx, row),
  };
}

/**
 * Visits, newest first, each with its computed grade: an enterprise's visits over time (how its
 * grade moved), or every draft not yet finalized.
 */
export function listInspections(ctx: AppContext, query: InspectionListQuery): InspectionSummary[] {
  const rows = listInspectionRows(ctx.db, query);
  const ids = rows.map((r) => r.id);
  const members = listMembers(ctx.db, ids);
  const processes = listVisitedProcesses(ctx.db, ids);
  const answers = listAnswers(ctx.db, ids);
  const violations = new Map<string, ViolationRow[]>();
  return rows.map((row) => {
    let enterpriseViolations = violations.get(row.enterpriseId);
    if (!enterpriseViolations) {
      enterpriseViolations = listViolations(ctx.db, row.enterpriseId);
      violations.set(row.enterpriseId, enterpriseViolations);
    }
    const own = processes.filter((p) => p.inspectionId === row.id);
    const grading = gradeVisit(
      ctx,
      row.date,
      own,
      answers.filter((a) => a.inspectionId === row.id),
      enterpriseViolations,
      frozenOf(row),
    );
    return {
      ...toInspection(row),
      enterpriseName: row.enterpriseName,
      grade: grading.grade,
      unverified: grading.unverified,
      judged: grading.processes.some((p) => p.judged),
      lockedUntil: grading.lockedUntil,
      members: members.filter((m) => m.inspectionId === row.id).map((m) => m.name),
      processCount: own.length,
      answered: grading.answered,
      open: grading.open,
      frozen: grading.frozen,
      revisedBy: revisedBy(ctx, row.id),
    };
  });
}

/**
 * The current grade of each of these enterprises (the registry's): the latest finalized visit's
 * grade as it was finalized, unless a violation locks the enterprise today, which puts it at the
 * worst floor of that visit's rulesets. `violations` are the enterprises' live violations.
 */
export function currentGrades(
  ctx: AppContext,
  enterpriseIds: readonly string[],
  violations: ReadonlyMap<string, readonly ViolationRow[]>,
  today: string,
): Map<string, CurrentGrade> {
  const latest = new Map(
    listLatestFinalized(ctx.db, enterpriseIds).map((r) => [r.enterpriseId, r]),
  );
  const processes = listVisitedProcesses(
    ctx.db,
    [...latest.values()].map((r) => r.id),
  );
  const out = new Map<string, CurrentGrade>();
  for (const enterpriseId of enterpriseIds) {
    const own = violations.get(enterpriseId) ?? [];
    const date = activeViolationDate(today, [...own]);
    const violation =
      date === null
        ? null
        : {
            date,
            kind: own.find((v) => v.date === date)?.kind ?? '',
            lockedUntil: addYears(date, 1),
          };
    const row = latest.get(enterpriseId);
    let visit: CurrentGrade['visit'] = null;
    let floor: string | null = null;
    if (row) {
      const visited = processes.filter((p) => p.inspectionId === row.id);
      const frozen = frozenOf(row);
      // The stored grades need no grading; a visit finalized before they were stored is graded.
      const grading =
        frozen !== null
          ? {
              grade: frozen.grade,
              lockedUntil: frozen.lockedUntil,
              answered: frozen.processes.reduce((n, p) => n + p.answered, 0),
              open: frozen.processes.reduce(
                (n, p) => n + Math.max(0, p.indicators - p.answered),
                0,
              ),
              frozen: true,
            }
          : gradeVisit(ctx, row.date, visited, listAnswerFacts(ctx.db, row.id), own);
      visit = {
        id: row.id,
        date: row.date,
        grade: grading.grade,
        lockedUntil: grading.lockedUntil,
        answered: grading.answered,
        open: grading.open,
        frozen: grading.frozen,
      };
      let worst = -Infinity;
      for (const p of visited) {
        const ruleset = pinnedRuleset(ctx, p.rulesetHash);
        if (!ruleset) continue;
        const f = floorGrade(ruleset);
        const rank = ruleset.grades.find((g) => g.grade === f)?.rank ?? Infinity;
        if (rank > worst) {
          worst = rank;
          floor = f;
        }
      }
    }
    out.set(enterpriseId, {
      grade: violation !== null ? floor : (visit?.grade ?? null),
      visit,
      violation,
    });
  }
  return out;
}
