/**
 * 一企一策 improvement plans: drafted from an enterprise's latest finalized visit (one measure per
 * gap to target, suggestions from the measure library), edited by the expert version by version,
 * approved (专家审定), confirmed by the enterprise (企业确认), which writes the plan into the
 * registry's 附件2 columns.
 *
 * Rules kept here:
 * - every write goes through writeChanges, and the plan's state (current version, status) is read
 *   and checked inside that same IMMEDIATE transaction, so two windows cannot both save over one
 *   version;
 * - a version is never changed (and the triggers of migration 0005 refuse it): every save and every
 *   re-draft is a new version, and puts the plan back to 草稿;
 * - 专家审定 and 企业确认 are of the current version, 企业确认 only of a version already approved;
 *   the stamps record which version, by whom and when;
 * - what a plan shows beside its content (the source visit's grades, benefits, tax estimate,
 *   problems) is computed when read, never stored.
 *
 * The steps, one file each: draft.ts (from the inspection's gaps), save.ts (versions, delete),
 * status.ts (approval, confirmation), annex2-columns.ts (what confirmation writes into 附件2),
 * list.ts (reading), checks.ts (what every write checks).
 */

export { fitLines } from './annex2-columns';
export { draftPlanFor, mergeRedraft } from './draft';
export { getPlan, listPlans } from './list';
export { deletePlan, savePlan } from './save';
export { setPlanStatus, setPlanStatusSigned } from './status';
