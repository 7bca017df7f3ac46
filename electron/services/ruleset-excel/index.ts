/**
 * The experts' Excel path for grading rulesets (../shared/spec/ruleset-format.md): a template to fill
 * in, export of a ruleset to the same layout, and import back to ruleset JSON in which every problem
 * is located by sheet, row and column. Pure Node: no files, no CLI; callers pass buffers. The layout
 * is in layout.ts, the writer in write.ts, the reader in read.ts (sheet by sheet in read-sheets.ts).
 */
export {
  columnLetter,
  DEFAULT_GRADES,
  EXAMPLE_ID_PREFIX,
  RULESET_LIMITS,
  RULESET_SHEETS,
  type RulesetExcelProblem,
  type RulesetExcelResult,
  type RulesetExcelWarning,
} from './layout';
export { generatedIndicatorId, generatedRulesetId } from './ids';
export { describeLocation, formatRulesetExcelProblems, rulesetFromWorkbook } from './read';
export { rulesetTemplate, rulesetToWorkbook } from './write';
