import { formatNumber, gradeText } from '../../../../shared/grading/text';
import { type PlanDetail, type PlanMeasure, type PlanStatus } from '../../../../shared/plan';
import { COLOR, DRAFT_MARK, type Cell } from '../document';
import { formatDateTime } from '../format';

/**
 * What the plan's PDF prints about the plan and its numbers: its title, colours and spacing, the
 * file name, the version line and status, money and investment totals, grade and group cells.
 */
export const PLAN_TITLE = '一企一策提升方案';

export const RED = COLOR.red;
export const MUTED = COLOR.muted;
const GROUP_FILL = COLOR.labelFill;
export const TOTAL_FILL = COLOR.headerFill;
export const NONE = '—';
export const TBD = '待定';
/** Room (points) a section needs at a page's end to start there: heading, a paragraph, a few rows. */
export const SECTION_START = 160;
/** Height of one signature line (document.ts). */
export const SIGNATURE_ROW = 40;

/** 一企一策提升方案-宁夏瑞泰水泥有限公司-第3版.pdf */
export function planPdfFileName(detail: PlanDetail): string {
  const name = detail.enterpriseName.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 60) || '企业';
  return `${PLAN_TITLE}-${name}-第${detail.version}版.pdf`;
}

/** The status of the version shown: its stamp if it was approved or confirmed, else the plan's. */
export function versionStatus(detail: PlanDetail): PlanStatus {
  const { plan, version } = detail;
  if (plan.confirmed?.version === version) return '企业确认';
  if (plan.reviewed?.version === version) return '专家审定';
  return version === plan.currentVersion ? plan.status : '草稿';
}

/** 第 3 版 · 专家审定 · 企业确认版本：第 2 版 (and 当前为第 N 版 for an earlier version). */
export function versionLine(detail: PlanDetail): string {
  const { plan, version } = detail;
  const parts = [`第 ${version} 版`, versionStatus(detail)];
  if (version !== plan.currentVersion) parts.push(`当前为第 ${plan.currentVersion} 版`);
  parts.push(
    plan.confirmed ? `企业确认版本：第 ${plan.confirmed.version} 版` : '企业尚未确认任何版本',
  );
  return parts.join(' · ');
}

/** The latest moment printed: the shown version's save and the approvals. Its CreationDate. */
export function stampOf(detail: PlanDetail): number {
  const saved = detail.versions.find((v) => v.version === detail.version)?.savedAt;
  return Math.max(
    saved ?? detail.plan.createdAt,
    detail.plan.reviewed?.at ?? 0,
    detail.plan.confirmed?.at ?? 0,
  );
}

/** YYYY-MM-DD of an epoch-ms moment, China time. */
export function chinaDay(epochMs: number): string {
  return formatDateTime(epochMs).slice(0, 10);
}

/** 120 → 120, 12.5 → 12.5, 0.1 + 0.2 → 0.3 (万元, to 4 decimals). */
export function money(n: number): string {
  return formatNumber(Math.round(n * 10000) / 10000);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** The sum of the estimated investments (万元), and how many measures have none yet. */
export function investment(measures: readonly PlanMeasure[]): { total: string; missing: number } {
  const priced = measures.flatMap((m) => (m.investment === null ? [] : [m.investment]));
  const missing = measures.length - priced.length;
  return { total: priced.length === 0 && missing > 0 ? TBD : money(sum(priced)), missing };
}

/** 合计 cell: 953.5, or 953.5（另 1 项待定）. */
export function investmentTotal(measures: readonly PlanMeasure[]): string {
  const { total, missing } = investment(measures);
  return missing > 0 && total !== TBD ? `${total}（另 ${missing} 项待定）` : total;
}

/** 预计投资 388.5 万元，另 1 项待定; or 投资待定. */
export function investmentPhrase(measures: readonly PlanMeasure[]): string {
  const { total, missing } = investment(measures);
  if (total === TBD) return '投资待定';
  return `预计投资 ${total} 万元${missing > 0 ? `，另 ${missing} 项待定` : ''}`;
}

/** Grade cell: B级, red with 指标待核实 when graded against a draft ruleset. */
export function gradeCell(grade: string | null, unverified: boolean, none = '无法评定'): Cell {
  if (grade === null) return { text: none, color: MUTED };
  if (!unverified) return { text: gradeText(grade), bold: true };
  return { text: `${gradeText(grade)}（${DRAFT_MARK}）`, bold: true, color: RED };
}

/** A group title row spanning the table. */
export function groupRow(text: string): Cell[] {
  return [{ text, bold: true, fill: GROUP_FILL, align: 'left' }];
}

/** A measure's indicator or problem, with its process when the plan has several. */
export function measureSubject(m: PlanMeasure, manyProcesses: boolean): string {
  return manyProcesses && m.processLabel ? `${m.title}（${m.processLabel}）` : m.title;
}
