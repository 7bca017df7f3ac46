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
 *
 * Glossary: one name per thing. An **inspection** is the record of one visit to an enterprise
 * (现场检查 or 帮扶, by its `type`): table `inspections`, API methods `inspection.*`, types
 * `Inspection*` (shared/domain/inspection.ts), and every identifier here. An **inspection process**
 * is one industry/process the inspection covers, with the ruleset pinned for it (table
 * `inspection_processes`, `inspectionProcessId`). The prose says "visit" for the occasion itself.
 *
 * The steps, one file each:
 * - start.ts: start a draft, pinning each process's current ruleset (pins.ts);
 * - record.ts: change a draft, move it to the 回收站, finalize it, correct it by a revision;
 * - team.ts: members, their confirmations and on-screen signatures;
 * - answers.ts: answers, readings and problems (autosave), stored as answer-values.ts says;
 * - evidence.ts: photos and scans and their uses;
 * - grading.ts: live and frozen grading, and enterprises' current grades;
 * - list.ts: one record's detail and the list of records;
 * - guards.ts: what every write checks first.
 */

export {
  addEvidence,
  addEvidenceFile,
  readEvidence,
  readEvidenceFile,
  removeEvidence,
  toEvidence,
} from './evidence';
export type { EvidenceInput } from './evidence';
export { saveAnswer } from './answers';
export { currentGrades, gradingOf } from './grading';
export { requireDraft } from './guards';
export { getInspectionDetail, listInspections } from './list';
export { pinnedRuleset } from './pins';
export { deleteInspection, finalizeInspection, reviseInspection, updateInspection } from './record';
export { startInspection } from './start';
export { confirmInspection, removeMember, saveMember, signInspection } from './team';
