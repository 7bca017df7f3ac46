/**
 * The grading data contract (../shared/spec/ruleset-format.md), as types.
 * A ruleset is one industry's (or branch's) grading table; facts are what a site shows.
 */

export type IndicatorKind = 'max' | 'min' | 'bool' | 'oneOf' | 'level';
export const INDICATOR_KINDS: readonly IndicatorKind[] = ['max', 'min', 'bool', 'oneOf', 'level'];

export const DIMENSIONS = [
  '装备水平',
  '能源类型',
  '原辅材料',
  '污染治理技术',
  '排放限值',
  '无组织排放',
  '监测监控水平',
  '环境管理水平',
  '运输方式',
  '运输监管',
] as const;

export const ALERT_LEVELS = ['yellow', 'orange', 'red'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];
export const ALERT_LEVEL_NAMES: Record<AlertLevel, string> = {
  yellow: '黄色预警',
  orange: '橙色预警',
  red: '红色预警',
};

export interface GradeDef {
  grade: string;
  /** Compares grades across rulesets: smaller is better. */
  rank: number;
}

export type Requirement = number | boolean | string | string[];

export interface Indicator {
  id: string;
  dimension: string;
  title: string;
  kind: IndicatorKind;
  unit?: string;
  /**
   * Extension: 说明, what a team on site needs to answer this indicator (what to look at, how to
   * read the requirement), in plain Chinese with no ids or codes. Shown on the visit page and in
   * the library. Absent: field screens show nothing (never the transcriber's `note`).
   */
  hint?: string;
  /**
   * 来源与缺项, for experts only: the transcriber's remarks (which column of the source, what is
   * missing, how facts are written). Shown in the library's detail view, never on field screens.
   */
  note?: string;
  options?: string[];
  /** The guideline's own wording per grade. */
  text?: Record<string, string>;
  /** Per grade, what this indicator demands; a grade with no entry demands nothing of it. */
  require: Record<string, Requirement>;
}

export type RulesetStatus = 'draft' | 'verified';

export interface Ruleset {
  id: string;
  /**
   * Extension: `general` marks the 通用帮扶检查表 (shared/grading/general.ts), whose grades are the
   * team's judgement (专家判定), never computed from an industry's indicators. Absent for rulesets.
   */
  kind?: 'general';
  industry: string;
  branch?: string;
  edition: string;
  source: string;
  /**
   * Extension: 说明, what a team and an enterprise need to know of this table (a draft, what it
   * covers, what its grade can and cannot say), in plain Chinese with no ids or codes. Shown on
   * the visit page, beside the grade and in both PDFs. Absent: they show nothing of it.
   */
  summary?: string;
  /**
   * Extension: 来源与缺项, for experts only: what the transcription sourced and could not source
   * (indicators left out, and why). Shown in the library's detail view, never on field screens.
   */
  sourceNote?: string;
  status: RulesetStatus;
  /** Best first; the last is the floor, which never has requirements. */
  grades: GradeDef[];
  indicators: Indicator[];
  /** Emergency-reduction measures per grade and alert level. */
  measures?: Record<string, Partial<Record<AlertLevel, string>>>;
}

/** `"n/a"`: the indicator does not apply to this site, and meets every requirement. */
export const NOT_APPLICABLE = 'n/a';
export type FactValue = number | number[] | boolean | string;
/** Indicator id → fact. An absent fact is unknown and meets nothing. */
export type Facts = Record<string, FactValue>;

export interface Gap {
  indicator: string;
  status: 'unmet' | 'unknown';
  required: Requirement;
  actual?: FactValue;
}

export interface RulesetResult {
  ruleset: string;
  grade: string;
  /** For each grade better than `grade`: every requirement of that grade not met. */
  gaps: Record<string, Gap[]>;
}

export interface Violation {
  /** YYYY-MM-DD */
  date: string;
  kind: string;
}

export const VIOLATION_KINDS = ['超标排放', '偷排偷放', '治理设施不正常运行', '弄虚作假'] as const;

export interface ProcessInput {
  name: string;
  ruleset: string;
  facts: Facts;
}

export interface EnterpriseInput {
  /** YYYY-MM-DD */
  asOf: string;
  processes: ProcessInput[];
  violations?: Violation[];
}

export interface ProcessResult extends RulesetResult {
  name: string;
  /** Extension: the grade the facts alone support, where a violation put the process at its floor. */
  factsGrade?: string;
}

export interface EnterpriseResult {
  grade: string;
  processes: ProcessResult[];
  /** YYYY-MM-DD, or null when no violation within a year of asOf. */
  lockedUntil: string | null;
}

/** Where a check failed: the JSON path (`indicators[3].require.B`) and why, in Chinese. */
export interface GradingIssue {
  path: string;
  message: string;
}
