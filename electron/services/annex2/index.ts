/**
 * 附件2 (the 提级扩面企业清单) in Excel: export of the registry in the seed's layout, and import of
 * such a file back into the registry. The layout is in workbook.ts, the cell rules in format.ts.
 *
 * Import is in three steps, each exported so it can be timed alone:
 * - `parseAnnex2` (import-read.ts) reads the workbook and checks every row on its own (regions,
 *   信用代码, industry and branch, dates, lengths), yielding to the event loop every few hundred rows
 *   so a task can be cancelled; nothing is written.
 * - `planAnnex2Import` (import-plan.ts) matches the rows against the live registry (loaded in two queries):
 *   an enterprise by 信用代码 where the file gives one, else by name and county (name and city for
 *   宁东); a process by industry and branch. It checks what needs the registry (grades against the
 *   scheme of the process's ruleset, the same enterprise and industry twice, conflicting identities)
 *   and lists what would be added and which fields would change, from → to.
 * - `applyAnnex2Import` (import-apply.ts) plans again inside ONE synchronous writeChanges transaction and
 *   writes the plan: all of it or, on any problem, nothing. Matched rows are written through
 *   updateEnterprise and updateProcess with only the fields that change, so importing the same file
 *   twice records no ops.
 *
 * What a file's columns mean on import: a column the file does not have leaves its field alone; an
 * empty cell in a column it has empties the field (the file is the whole 附件2), except 统一社会信用代码,
 * where an empty cell never erases a recorded code. 序号 is not read: rows of one enterprise are told
 * by its identity, not by their number.
 */
export { findAnnex2Industry } from './catalog';
export {
  annex2FileName,
  annex2Lines,
  exportAnnex2,
  exportAnnex2ToFile,
  type Annex2Export,
} from './export';
export {
  applyAnnex2Import,
  describeProblem,
  importAnnex2,
  importRefused,
  previewAnnex2Import,
  problemLocation,
} from './import-apply';
export { planAnnex2Import, type ImportPlan } from './import-plan';
export { parseAnnex2, type ParsedAnnex2, type ParsedRow } from './import-read';
