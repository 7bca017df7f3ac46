/**
 * Pinned rulesets: the exact ruleset each visited process was graded against, stored once per
 * content hash when the process joins the inspection, and read back (cached) for answering and
 * grading. A process without a ruleset of its own gets the 通用帮扶检查表.
 */

import type { ChangeSet } from '../../../db/changes';
import {
  getPinnedRuleset,
  insertPinnedRuleset,
  insertInspectionProcess,
} from '../../../db/repositories/inspections';
import { getProcess } from '../../../db/repositories/processes';
import { AppError } from '../../../shared/api/errors';
import { findIndustry } from '../../../shared/domain/catalog';
import { type Ruleset, rulesetName } from '../../../shared/grading';
import type { AppContext } from '../context';
import { generalChecklistFor } from '../general-checklist';
import { canonicalJson, findRuleset, rulesetHash } from '../rulesets';

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

export function processLabel(
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
export function resolvePins(
  ctx: AppContext,
  enterpriseId: string,
  processIds: readonly string[],
): Pin[] {
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
export function addInspectionProcess(
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
  insertInspectionProcess(
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
