/**
 * Applying remote changes (pulled from the central store, or read from another device's USB
 * bundle) to the local rows — the one place that writes synced tables outside db/changes.ts.
 *
 * - Field by field, last writer by hybrid clock wins against the row's fieldClocks. Stamps end
 *   with their device id, so equal wall time and counter still order deterministically (and an
 *   equal stamp is the same write, seen again).
 * - A remote change is not a local edit: it writes no op to the outbox. It updates the row's
 *   fieldClocks, updatedAt and updatedBy, through plain INSERT/UPDATE, so the search-index
 *   triggers follow as for any write; the device's clock moves past every stamp it saw.
 * - When both sides changed a field (the local value's op is not yet acknowledged by the central
 *   store, or was parked by it) and the values differ, the losing value goes to sync_conflicts.
 * - Nothing is dropped. What cannot be applied yet goes to sync_deferred, one value per field
 *   (the newest): fields and tables this version does not have (replayed once an upgrade adds
 *   them), rows whose parent has not arrived, new rows missing a required field, changes the
 *   immutability triggers refuse (a finalized visit), rows a unique index refuses.
 * - Nor is what must never be applied: text that is not well-formed (shared/text.ts), and a
 *   content-addressed ruleset whose content is not what its id (SHA-256) names. Those are set
 *   aside too ('bad_text', 'forged'), never replayed, and the 同步 screen says why.
 * - A visit's finalization is held back until the last page of a pull: the rows of the visit
 *   may arrive after it (pages follow the server's order, not the order they were written), and
 *   the triggers of migration 0003 would refuse them under a finalized visit.
 * - The caller runs everything of one page (or one bundle) in ONE transaction, with the cursor.
 *
 * The parts: session.ts (one application, its result, setting values aside), tables.ts and
 * values.ts (table order, what a value must be), plan.ts (what writing a row means), conflicts.ts,
 * apply-change.ts (one remote change), scope-exits.ts, replay.ts (deferred values tried again),
 * and the entry points page.ts (a pull page) and bundle.ts (a USB bundle's ops).
 */

export type { DeferReason } from '../../shared/sync/status';
export { applyBundleOps, opAsChange, type BundleApplyResult } from './bundle';
export { applyPullPage, type PageOptions, type PullPage } from './page';
export { replayDeferred } from './replay';
export { retryScopeExits } from './scope-exits';
export type { ApplyResult } from './session';
export { contentProblem, valueTextProblem } from './values';
