import { AppError } from '../../../shared/api/errors';
import type { GapView, ProcessGrading, Signature } from '../../../shared/domain/inspection';
import { GENERAL_CHECKLIST_NAME, JUDGED_LABEL } from '../../../shared/grading/general';
import {
  formatNumber,
  gapFactText,
  gradeText,
  requirementText,
  withUnit,
} from '../../../shared/grading/text';
import {
  ASSISTANCE_DIRECTIONS,
  TAX_TIER_LABELS,
  type AlertMeasures,
  type GradeBenefits,
  type MeasureText,
  type PlanDetail,
  type PlanMeasure,
  type PlanStatus,
  type TaxReliefLine,
} from '../../../shared/plan';

import { readStoredFile } from '../attachments';
import type { AppContext } from '../context';
import { getPlan } from '../plans';

import {
  DRAFT_MARK,
  PdfWriter,
  type Cell,
  type KeyValue,
  type SignatureEntry,
  type TableColumn,
} from './document';
import type { CjkFonts } from './fonts';
import { chineseNumber, formatDate, formatDateTime } from './format';

/**
 * 一企一策提升方案: the improvement plan of one enterprise as the assistance team hands it over.
 * A cover (enterprise, processes, current and target grade, date, team, version and status, the
 * plan at a glance); then 一、现状 (each process's grade and answers, its gaps by dimension);
 * 二、差异化指标 (each gap: 现状 against 目标要求); 三、整改措施 by the seven assistance directions,
 * with who, by when and how much (万元), subtotals and a total; 四、实施进度 (the measures by
 * deadline, month by month); 五、提级后的政策红利 (emergency measures per alert level before and
 * after, incentives gained); 六、环境保护税减征估算; 七、备注; 八、版本记录; 九、确认与签字.
 *
 * Everything printed comes from a PlanDetail (shared/plan/api.ts) and nothing else, so the same
 * version of a plan always gives the same bytes.
 */

export const PLAN_TITLE = '一企一策提升方案';

const RED = '#c0161d';
const MUTED = '#5f5f5f';
const GROUP_FILL = '#f5f6f8';
const TOTAL_FILL = '#eceff3';
const NONE = '—';
const TBD = '待定';
/** Room (points) a section needs at a page's end to start there: heading, a paragraph, a few rows. */
const SECTION_START = 160;
/** Height of one signature line (document.ts). */
const SIGNATURE_ROW = 40;

export interface PlanPdf {
  fileName: string;
  bytes: Buffer;
  pages: number;
}

/**
 * The plan's PDF: by plan id or enterprise, the current version or the one asked for. Throws
 * `not_found` when there is no such plan (or version, or enterprise).
 */
export async function exportPlanPdf(
  ctx: AppContext,
  ref: { id?: string | undefined; enterpriseId?: string | undefined; version?: number | undefined },
  onProgress?: (done: number, total: number) => void,
): Promise<PlanPdf> {
  const detail = getPlan(ctx, ref);
  if (!detail) {
    throw new AppError(
      'not_found',
      ref.id !== undefined
        ? `一企一策提升方案不存在或已删除（编号 ${ref.id}）`
        : '该企业还没有一企一策提升方案，请先据定稿的现场检查记录起草方案',
    );
  }
  // Signatures (the visit team's, the expert's, the enterprise's) are PNG evidence files.
  const signatures = new Map<string, Buffer>();
  for (const s of planSignatures(detail)) {
    if (signatures.has(s.sha256)) continue;
    try {
      signatures.set(s.sha256, readStoredFile(ctx.dataDir, s.sha256));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  }
  const { bytes, pages } = await renderPlanPdf(detail, onProgress, { signatures });
  return { fileName: planPdfFileName(detail), bytes, pages };
}

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
function stampOf(detail: PlanDetail): number {
  const saved = detail.versions.find((v) => v.version === detail.version)?.savedAt;
  return Math.max(
    saved ?? detail.plan.createdAt,
    detail.plan.reviewed?.at ?? 0,
    detail.plan.confirmed?.at ?? 0,
  );
}

/** YYYY-MM-DD of an epoch-ms moment, China time. */
function chinaDay(epochMs: number): string {
  return formatDateTime(epochMs).slice(0, 10);
}

/** 120 → 120, 12.5 → 12.5, 0.1 + 0.2 → 0.3 (万元, to 4 decimals). */
function money(n: number): string {
  return formatNumber(Math.round(n * 10000) / 10000);
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** The sum of the estimated investments (万元), and how many measures have none yet. */
function investment(measures: readonly PlanMeasure[]): { total: string; missing: number } {
  const priced = measures.flatMap((m) => (m.investment === null ? [] : [m.investment]));
  const missing = measures.length - priced.length;
  return { total: priced.length === 0 && missing > 0 ? TBD : money(sum(priced)), missing };
}

/** 合计 cell: 953.5, or 953.5（另 1 项待定）. */
function investmentTotal(measures: readonly PlanMeasure[]): string {
  const { total, missing } = investment(measures);
  return missing > 0 && total !== TBD ? `${total}（另 ${missing} 项待定）` : total;
}

/** 预计投资 388.5 万元，另 1 项待定; or 投资待定. */
function investmentPhrase(measures: readonly PlanMeasure[]): string {
  const { total, missing } = investment(measures);
  if (total === TBD) return '投资待定';
  return `预计投资 ${total} 万元${missing > 0 ? `，另 ${missing} 项待定` : ''}`;
}

/** Grade cell: B级, red with 指标待核实 when graded against a draft ruleset. */
function gradeCell(grade: string | null, unverified: boolean, none = '无法评定'): Cell {
  if (grade === null) return { text: none, color: MUTED };
  if (!unverified) return { text: gradeText(grade), bold: true };
  return { text: `${gradeText(grade)}（${DRAFT_MARK}）`, bold: true, color: RED };
}

/** A group title row spanning the table. */
function groupRow(text: string): Cell[] {
  return [{ text, bold: true, fill: GROUP_FILL, align: 'left' }];
}

/** A measure's indicator or problem, with its process when the plan has several. */
function measureSubject(m: PlanMeasure, manyProcesses: boolean): string {
  return manyProcesses && m.processLabel ? `${m.title}（${m.processLabel}）` : m.title;
}

type Step = () => void;

/**
 * Renders the plan. `onProgress(done, total)` is called after each part (cover, sections, the
 * page decorations); the event loop gets a turn between parts, and a throw from `onProgress`
 * stops the rendering.
 */
export async function renderPlanPdf(
  detail: PlanDetail,
  onProgress?: (done: number, total: number) => void,
  options: { fonts?: CjkFonts; signatures?: ReadonlyMap<string, Buffer> } = {},
): Promise<{ bytes: Buffer; pages: number }> {
  const { content } = detail;
  const signatureFiles = options.signatures ?? new Map<string, Buffer>();
  const w = new PdfWriter({
    title: PLAN_TITLE,
    enterprise: detail.enterpriseName,
    draftMark: detail.unverified,
    // A plan's versions share its number; a loose page also says which version it is.
    recordNumber: {
      label: '方案编号',
      number: detail.plan.number,
      note: `第 ${detail.version} 版`,
    },
    createdAt: stampOf(detail),
    subject: `${detail.enterpriseName} ${PLAN_TITLE} 第${detail.version}版`,
    ...(options.fonts ? { fonts: options.fonts } : {}),
  });
  let section = 0;
  const next = () => `${chineseNumber(++section)}、`;
  const manyProcesses =
    new Set(content.measures.map((m) => m.processId ?? '')).size > 1 ||
    detail.source.processes.length > 1;
  // Measures in the printed order (by direction, as drafted within one), numbered once for the
  // measures table and the timeline.
  const ordered = ASSISTANCE_DIRECTIONS.flatMap((d) =>
    content.measures.filter((m) => m.direction === d),
  );
  const numberOf = new Map(ordered.map((m, i) => [m, i + 1]));

  const steps: Step[] = [
    () => cover(w, detail),
    () => {
      w.newPage();
      w.heading(`${next()}企业现状`);
      statusSection(w, detail);
    },
    () => {
      w.heading(`${next()}差异化指标（与目标等级的差距）`);
      gapSection(w, detail);
    },
    () => {
      // A section's heading and opening paragraph go with the start of its table.
      w.ensureSpace(SECTION_START);
      w.heading(`${next()}整改措施`);
      measuresSection(w, ordered, numberOf, manyProcesses);
    },
    () => {
      w.ensureSpace(SECTION_START);
      w.heading(`${next()}实施进度安排`);
      timelineSection(w, ordered, numberOf, manyProcesses);
    },
    () => {
      w.heading(`${next()}提级后的政策红利`);
      benefitsSection(w, detail);
    },
    () => {
      w.heading(`${next()}环境保护税减征估算`);
      taxSection(w, detail);
    },
    () => {
      if (content.notes) {
        w.heading(`${next()}备注`);
        w.paragraph(content.notes, { indent: true });
      }
      w.heading(`${next()}版本记录`);
      versionsSection(w, detail);
    },
    () => {
      // The signature lines stay together on one page, under their heading.
      // The signature block keeps together with the opinion and confirmation lines above it.
      w.ensureSpace(SIGNATURE_ROW * (Math.max(1, detail.source.members.length) + 2) + 110);
      w.heading(`${next()}确认与签字`);
      signatureSection(w, detail, signatureFiles);
    },
  ];
  const total = steps.length + 1;
  for (const [i, step] of steps.entries()) {
    step();
    onProgress?.(i + 1, total);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const bytes = await w.finish();
  onProgress?.(total, total);
  return { bytes, pages: w.pageCount };
}

// ─── Cover ──────────────────────────────────────────────────────────────────────────────────

function cover(w: PdfWriter, detail: PlanDetail): void {
  const { plan, content, source } = detail;
  w.title(PLAN_TITLE, `方案编号：${plan.number}\n${versionLine(detail)}`);
  notices(w, detail);
  const saved = detail.versions.find((v) => v.version === detail.version)?.savedAt;
  const team =
    source.members.length > 0
      ? source.members.map((m) => `${m.name}（${m.role}）`).join('、')
      : '（未填写）';
  const processes =
    source.processes.length > 0
      ? source.processes
          .map(
            (p) =>
              `${p.label}：${p.judged ? `按${GENERAL_CHECKLIST_NAME}，等级为${JUDGED_LABEL}` : `按${p.rulesetName}（${p.edition} 版${p.unverified ? '，草稿' : ''}）`}`,
          )
          .join('\n')
      : '（无）';
  const pairs: KeyValue[] = [
    ['企业名称', { text: detail.enterpriseName, bold: true }, 'wide'],
    ['行业或工序', processes, 'wide'],
    [
      '现状等级',
      source.grade !== null && source.processes.some((p) => p.judged)
        ? { text: `${gradeText(source.grade)}（含${JUDGED_LABEL}）`, bold: true }
        : gradeCell(source.grade, detail.unverified, '未能评定'),
    ],
    ['目标等级', { text: gradeText(content.targetGrade), bold: true }],
    ['编制日期', saved === undefined ? NONE : formatDate(chinaDay(saved))],
    ['方案版本', `第 ${detail.version} 版（${versionStatus(detail)}）`],
    [
      '依据的检查',
      source.date
        ? `${formatDate(source.date)}${source.type}检查（记录编号 ${source.number ?? source.inspectionId}）`
        : `检查记录 ${source.inspectionId}（本机没有该记录）`,
      'wide',
    ],
    ['帮扶工作组', team, 'wide'],
    [
      '专家审定',
      plan.reviewed
        ? `第 ${plan.reviewed.version} 版，${plan.reviewed.by}，${formatDateTime(plan.reviewed.at)}`
        : '尚未审定',
    ],
    [
      '企业确认',
      plan.confirmed
        ? `第 ${plan.confirmed.version} 版，${plan.confirmed.by}，${formatDateTime(plan.confirmed.at)}`
        : '尚未确认',
    ],
  ];
  w.keyValues(pairs, { perRow: 2, labelWidth: 72 });

  w.heading('方案概要', 2);
  const groups = ASSISTANCE_DIRECTIONS.map((direction) => ({
    direction,
    measures: content.measures.filter((m) => m.direction === direction),
  }));
  const deadlines = content.measures.flatMap((m) => (m.deadline ? [m.deadline] : [])).sort();
  w.table({
    columns: [
      { header: '帮扶方向', width: 4 },
      { header: '措施（项）', width: 1.6, align: 'center' },
      { header: '最晚完成期限', width: 2.4, align: 'center' },
      { header: '预计投资（万元）', width: 2.6, align: 'right' },
    ],
    rows: [
      ...groups.map((g) => {
        const last = g.measures
          .flatMap((m) => (m.deadline ? [m.deadline] : []))
          .sort()
          .at(-1);
        return [
          g.direction,
          String(g.measures.length),
          last ? formatDate(last) : g.measures.length > 0 ? TBD : NONE,
          g.measures.length > 0 ? investmentTotal(g.measures) : NONE,
        ];
      }),
      [
        { text: '合计', bold: true, fill: TOTAL_FILL },
        { text: String(content.measures.length), bold: true, fill: TOTAL_FILL },
        { text: deadlines.at(-1) ? formatDate(deadlines.at(-1) ?? '') : TBD, fill: TOTAL_FILL },
        { text: investmentTotal(content.measures), bold: true, fill: TOTAL_FILL },
      ],
    ],
  });
}

/** Red and grey lines under the title: 指标待核实, an earlier version, what drafting met. */
function notices(w: PdfWriter, detail: PlanDetail): void {
  if (detail.unverified) {
    const drafts = detail.source.processes
      .filter((p) => p.unverified)
      .map((p) => `${p.rulesetName}（${p.edition} 版）`);
    w.paragraph(
      `${DRAFT_MARK}：本方案所依据的${drafts.length > 0 ? [...new Set(drafts)].join('、') : '分级指标'}为草稿，尚未与官方文本逐条核对，据此列出的等级、差距与措施仅供参考。`,
      { size: 9, color: RED },
    );
  }
  // Each ruleset's 说明 for the enterprise (what its grade can and cannot say), once; never the
  // experts' 来源与缺项.
  const said = new Set<string>();
  for (const p of detail.source.processes) {
    if (p.judged || !p.summary || said.has(p.summary)) continue;
    said.add(p.summary);
    w.paragraph(p.summary, { size: 9, color: p.unverified ? RED : MUTED });
  }
  if (detail.version !== detail.plan.currentVersion) {
    w.paragraph(
      `本文件为方案第 ${detail.version} 版（历史版本），方案当前为第 ${detail.plan.currentVersion} 版。`,
      { size: 9, color: RED, bold: true },
    );
  }
  for (const p of detail.problems) w.paragraph(`注：${p}`, { size: 9, color: MUTED });
}

// ─── 一、现状 ────────────────────────────────────────────────────────────────────────────────

/** Each process: its grade, answers and gaps; then its gaps to target by dimension. */
function statusSection(w: PdfWriter, detail: PlanDetail): void {
  const processes = detail.source.processes;
  if (processes.length === 0) {
    w.paragraph('没有可显示的检查结果（本机没有方案所依据的检查记录）。', { color: MUTED });
    return;
  }
  w.paragraph(
    `据 ${detail.source.date ? formatDate(detail.source.date) : ''}${detail.source.type}检查，企业综合评定等级为${detail.source.grade === null ? '（未能评定）' : gradeText(detail.source.grade)}，绩效提升目标为${gradeText(detail.content.targetGrade)}。各行业或工序的情况如下。`,
    { indent: true },
  );
  w.table({
    columns: [
      // In points: the grade column holds C级（指标待核实） on one line.
      { header: '序号', width: 28, align: 'center' },
      { header: '行业或工序', width: 64 },
      { header: '分级指标', width: 92 },
      { header: '评定等级', width: 90, align: 'center' },
      { header: '目标等级', width: 46, align: 'center' },
      { header: '作答情况', width: 67 },
      { header: '差距', width: 84 },
    ],
    rows: processes.map((p, i) => [
      String(i + 1),
      p.label,
      p.judged
        ? GENERAL_CHECKLIST_NAME
        : `${p.rulesetName}\n${p.edition} 版${p.unverified ? '（草稿）' : ''}`,
      p.judged && p.grade !== null
        ? { text: `${JUDGED_LABEL}\n${gradeText(p.grade)}`, bold: true }
        : gradeCell(p.grade, p.unverified),
      p.targetGrade ? gradeText(p.targetGrade) : '未设定',
      p.judged
        ? `已判定 ${p.answered} 个维度，共 ${p.indicators} 个`
        : `已作答 ${p.answered} 项，共 ${p.indicators} 项`,
      gapSummary(p),
    ]),
  });

  w.heading('各维度差距', 2);
  const rows: Cell[][] = [];
  const keep = new Set<number>();
  for (const p of processes) {
    keep.add(rows.length);
    rows.push(groupRow(`${p.label}${p.targetGrade ? `（目标 ${gradeText(p.targetGrade)}）` : ''}`));
    if (p.gapsToTarget === null) {
      rows.push([{ text: p.problem ?? '未设定目标等级，未列出差距', color: MUTED }]);
      continue;
    }
    if (p.gapsToTarget.length === 0) {
      rows.push([{ text: '已达到目标等级，无差距', color: MUTED }]);
      continue;
    }
    for (const [dimension, gaps] of byDimension(p.gapsToTarget)) {
      const unmet = gaps.filter((g) => g.status === 'unmet').length;
      rows.push([
        dimension || '（未分维度）',
        String(unmet),
        String(gaps.length - unmet),
        gaps.map((g) => g.title).join('、'),
      ]);
    }
  }
  w.table({
    columns: [
      { header: '维度', width: 2.6 },
      { header: '未达到（项）', width: 1.6, align: 'center' },
      { header: '未填写（项）', width: 1.6, align: 'center' },
      { header: '涉及的指标', width: 7.8 },
    ],
    rows,
    keepWithNext: keep,
  });
}

function gapSummary(p: ProcessGrading): Cell {
  if (p.problem) return { text: p.problem, color: RED };
  if (p.gapsToTarget === null) return { text: '未设定目标', color: MUTED };
  if (p.gapsToTarget.length === 0) return '已达到目标';
  const unmet = p.gapsToTarget.filter((g) => g.status === 'unmet').length;
  const unknown = p.gapsToTarget.length - unmet;
  return [unmet > 0 ? `未达到 ${unmet} 项` : '', unknown > 0 ? `未填写 ${unknown} 项` : '']
    .filter(Boolean)
    .join('，');
}

/** Gaps by dimension, in the order the dimensions first appear. */
function byDimension(gaps: readonly GapView[]): Map<string, GapView[]> {
  const out = new Map<string, GapView[]>();
  for (const g of gaps) out.set(g.dimension, [...(out.get(g.dimension) ?? []), g]);
  return out;
}

// ─── 二、差异化指标 ──────────────────────────────────────────────────────────────────────────

function gapSection(w: PdfWriter, detail: PlanDetail): void {
  const rows: Cell[][] = [];
  const keep = new Set<number>();
  let n = 0;
  for (const p of detail.source.processes) {
    keep.add(rows.length);
    rows.push(
      groupRow(
        `${p.label}：现状 ${p.grade === null ? '未能评定' : `${p.judged ? JUDGED_LABEL : ''}${gradeText(p.grade)}`}，目标 ${p.targetGrade ? gradeText(p.targetGrade) : '未设定'}`,
      ),
    );
    if (p.gapsToTarget === null) {
      rows.push([{ text: p.problem ?? '未设定目标等级，未列出差距', color: MUTED }]);
      continue;
    }
    if (p.gapsToTarget.length === 0) {
      rows.push([{ text: '已达到目标等级，无差距', color: MUTED }]);
      continue;
    }
    for (const g of p.gapsToTarget) {
      rows.push([
        String(++n),
        g.dimension,
        g.title,
        p.judged && g.status === 'unmet' && typeof g.actual === 'string'
          ? `${JUDGED_LABEL} ${gradeText(g.actual)}`
          : gapFactText(g),
        requirementText(g, g.required),
        g.status === 'unmet' ? { text: '未达到', color: RED } : { text: '未填写', color: MUTED },
      ]);
    }
  }
  w.table({
    columns: [
      { header: '序号', width: 0.8, align: 'center' },
      { header: '维度', width: 1.8 },
      { header: '差异化指标', width: 4.2 },
      { header: '现状', width: 2.8 },
      { header: '目标要求', width: 2.8 },
      { header: '情况', width: 1.2, align: 'center' },
    ],
    rows,
    keepWithNext: keep,
    emptyText: '没有可显示的差距（本机没有方案所依据的检查记录）',
  });
  w.paragraph('注：未填写的指标不视为达到要求，须在整改中核实并补充记录。', {
    size: 8.5,
    color: MUTED,
  });
}

// ─── 三、整改措施 ────────────────────────────────────────────────────────────────────────────

const MEASURE_COLUMNS: readonly TableColumn[] = [
  { header: '序号', width: 0.7, align: 'center' },
  { header: '指标或问题', width: 3.7 },
  { header: '整改措施', width: 4.7 },
  { header: '责任人', width: 1.3, align: 'center' },
  { header: '完成期限', width: 2.5, align: 'center' },
  { header: '预计投资（万元）', width: 1.6, align: 'right' },
];

function measuresSection(
  w: PdfWriter,
  ordered: readonly PlanMeasure[],
  numberOf: ReadonlyMap<PlanMeasure, number>,
  manyProcesses: boolean,
): void {
  w.paragraph(
    '按七个帮扶方向列出整改措施；每项措施对应一项差异化指标（或专家补充的问题），写明现状与目标要求、责任人、完成期限和预计投资。',
    { indent: true },
  );
  const rows: Cell[][] = [];
  const keep = new Set<number>();
  let g = 0;
  for (const direction of ASSISTANCE_DIRECTIONS) {
    const measures = ordered.filter((m) => m.direction === direction);
    if (measures.length === 0) continue;
    keep.add(rows.length);
    rows.push(groupRow(`（${chineseNumber(++g)}）${direction}（${measures.length} 项）`));
    for (const m of measures) {
      const subject = measureSubject(m, manyProcesses);
      const gap = [m.current ? `现状：${m.current}` : '', m.required ? `要求：${m.required}` : '']
        .filter(Boolean)
        .join('\n');
      rows.push([
        String(numberOf.get(m) ?? ''),
        gap ? `${subject}\n${gap}` : subject,
        m.measure ? m.measure : { text: '（待专家填写）', color: MUTED },
        m.responsible ? m.responsible : { text: TBD, color: MUTED },
        m.deadline ? formatDate(m.deadline) : { text: TBD, color: MUTED },
        m.investment === null ? { text: TBD, color: MUTED } : money(m.investment),
      ]);
    }
    // The last measure keeps with its subtotal, so a page never starts with a subtotal alone.
    keep.add(rows.length - 1);
    rows.push(totalRow('小计', measures));
  }
  if (ordered.length > 0) {
    rows.push(totalRow('合计', ordered, true).map((c) => ({ ...c, fill: TOTAL_FILL })));
  }
  w.table({
    columns: MEASURE_COLUMNS,
    rows,
    keepWithNext: keep,
    emptyText: '尚无整改措施',
  });
}

/** 小计 / 合计 row: the label (saying how many investments are not estimated) and the sum. */
function totalRow(
  label: string,
  measures: readonly PlanMeasure[],
  counted = false,
): Exclude<Cell, string>[] {
  const { total, missing } = investment(measures);
  const notes = [
    counted ? `${measures.length} 项措施` : '',
    missing > 0 && total !== TBD ? `${missing} 项投资待定` : '',
  ].filter(Boolean);
  return [
    { text: '' },
    { text: notes.length > 0 ? `${label}（${notes.join('，')}）` : label, bold: true },
    { text: '' },
    { text: '' },
    { text: '' },
    { text: total, bold: true },
  ];
}

// ─── 四、实施进度 ────────────────────────────────────────────────────────────────────────────

/** 2025-09-30 → 2025年9月. */
function monthOf(date: string): string {
  return `${date.slice(0, 4)}年${Number(date.slice(5, 7))}月`;
}

function timelineSection(
  w: PdfWriter,
  ordered: readonly PlanMeasure[],
  numberOf: ReadonlyMap<PlanMeasure, number>,
  manyProcesses: boolean,
): void {
  const dated = ordered
    .filter((m) => m.deadline !== null)
    .sort(
      (a, b) =>
        (a.deadline ?? '').localeCompare(b.deadline ?? '') ||
        (numberOf.get(a) ?? 0) - (numberOf.get(b) ?? 0),
    );
  const undated = ordered.filter((m) => m.deadline === null);
  const months = new Map<string, PlanMeasure[]>();
  for (const m of dated) {
    const k = monthOf(m.deadline ?? '');
    months.set(k, [...(months.get(k) ?? []), m]);
  }
  if (undated.length > 0) months.set('完成期限待定', undated);
  w.paragraph(
    dated.length > 0
      ? `措施按完成期限排列，逐月推进；最早一项于 ${formatDate(dated[0]?.deadline ?? '')} 完成，最晚一项于 ${formatDate(dated.at(-1)?.deadline ?? '')} 完成。序号与第三部分一致。`
      : '各项措施尚未确定完成期限。序号与第三部分一致。',
    { indent: true },
  );
  const rows: Cell[][] = [];
  const keep = new Set<number>();
  for (const [month, measures] of months) {
    keep.add(rows.length);
    rows.push(groupRow(`${month}（${measures.length} 项，${investmentPhrase(measures)}）`));
    for (const m of measures) {
      rows.push([
        m.deadline ? formatDate(m.deadline) : { text: TBD, color: MUTED },
        String(numberOf.get(m) ?? ''),
        measureSubject(m, manyProcesses),
        m.direction,
        m.responsible ? m.responsible : { text: TBD, color: MUTED },
      ]);
    }
  }
  w.table({
    columns: [
      { header: '完成期限', width: 2.1, align: 'center' },
      { header: '措施序号', width: 1.35, align: 'center' },
      { header: '指标或问题', width: 5 },
      { header: '帮扶方向', width: 3 },
      { header: '责任人', width: 1.6, align: 'center' },
    ],
    rows,
    keepWithNext: keep,
    emptyText: '尚无整改措施',
  });
}

// ─── 五、提级后的政策红利 ────────────────────────────────────────────────────────────────────

function measureLines(items: readonly MeasureText[]): Cell {
  if (items.length === 0) return { text: '未找到相应规定', color: MUTED };
  return items
    .map(
      (m) =>
        `${m.text}${m.condition ? `（适用条件：${m.condition}）` : ''}${m.draft ? '〔待核实〕' : ''}`,
    )
    .join('\n');
}

function benefitsSection(w: PdfWriter, detail: PlanDetail): void {
  if (detail.benefits.length === 0) {
    w.paragraph('没有设定目标等级的行业或工序，未列出提级后的变化。', { color: MUTED });
    return;
  }
  // Processes that gain the same (same ruleset, same grades) are printed once, together.
  const groups = new Map<string, { labels: string[]; benefits: GradeBenefits }>();
  for (const b of detail.benefits) {
    const key = JSON.stringify(b.benefits);
    const group = groups.get(key);
    if (group) group.labels.push(b.label);
    else groups.set(key, { labels: [b.label], benefits: b.benefits });
  }
  [...groups.values()].forEach(({ labels, benefits }, i) => {
    const from = benefits.fromGrade === null ? '未能评定' : gradeText(benefits.fromGrade);
    w.heading(
      `（${chineseNumber(i + 1)}）${labels.join('、')}：${from} → ${gradeText(benefits.toGrade)}`,
      2,
    );
    w.heading('1. 重污染天气应急减排措施', 3);
    alertTable(w, benefits);
    w.heading('2. 可享受的激励政策', 3);
    incentiveTable(w, benefits);
    const sources = [
      ...new Set(
        benefits.alerts.flatMap((a: AlertMeasures) =>
          [...a.before, ...a.after].map((m) => m.source),
        ),
      ),
    ];
    if (sources.length > 0) {
      w.paragraph(`应急减排措施依据：${sources.join('；')}。`, { size: 8.5, color: MUTED });
    }
    for (const note of benefits.notes) w.paragraph(`注：${note}`, { size: 8.5, color: MUTED });
  });
}

function alertTable(w: PdfWriter, b: GradeBenefits): void {
  w.table({
    columns: [
      { header: '预警级别', width: 1.4, align: 'center' },
      { header: `现状（${b.fromGrade === null ? '未能评定' : gradeText(b.fromGrade)}）`, width: 5 },
      { header: `提级后（${gradeText(b.toGrade)}）`, width: 5 },
    ],
    rows: b.alerts.map((a) => [
      { text: a.name, bold: true },
      b.fromGrade === null ? { text: '现状等级未知', color: MUTED } : measureLines(a.before),
      measureLines(a.after),
    ]),
  });
}

function incentiveTable(w: PdfWriter, b: GradeBenefits): void {
  w.table({
    columns: [
      { header: '序号', width: 0.9, align: 'center' },
      { header: '政策措施', width: 5.8 },
      { header: '适用条件', width: 3.2 },
      { header: '责任单位', width: 2.8 },
      { header: '提级后', width: 1.2, align: 'center' },
    ],
    rows: b.incentives.map((inc) => {
      const text = inc.text.startsWith(inc.title.replace(/。$/, ''))
        ? inc.text
        : `${inc.title}：${inc.text}`;
      return [
        inc.no === null ? '正文' : String(inc.no),
        text,
        inc.condition ?? (inc.industryMatch === null ? '限特定行业，请核对' : NONE),
        inc.responsible ?? NONE,
        inc.gained ? { text: '新增', bold: true, color: RED } : '已享有',
      ];
    }),
    emptyText: '目标等级没有对应的激励政策',
  });
}

// ─── 六、环境保护税 ──────────────────────────────────────────────────────────────────────────

function tierCell(line: TaxReliefLine): Cell {
  if (line.tier === null) return { text: '不作估算', color: MUTED };
  const text = TAX_TIER_LABELS[line.tier];
  return line.tier === 'none' ? text : { text, bold: true };
}

function taxSection(w: PdfWriter, detail: PlanDetail): void {
  const { tax } = detail;
  if (tax.lines.length === 0) {
    w.paragraph('尚未录入排放限值与监测读数，未作估算。', { color: MUTED });
  } else {
    if (tax.exceeded) {
      w.paragraph(
        '有排放口的监测读数超过排放标准：纳税人任何一个排放口超标的，各排放口均不予减征（《环境保护税法实施条例》第十条）。',
        { size: 9, color: RED, bold: true },
      );
    }
    const rows: Cell[][] = [];
    const keep = new Set<number>();
    for (const l of tax.lines) {
      const u = (n: number | null) => (n === null ? NONE : withUnit(formatNumber(n, 2), l.unit));
      const readings =
        l.mean === null
          ? NONE
          : l.readings.length > 1
            ? `均值 ${u(l.mean)}\n最高 ${u(l.max)}\n（${l.readings.length} 个读数）`
            : u(l.mean);
      const below =
        l.percentBelow === null
          ? NONE
          : l.percentBelow >= 0
            ? `${formatNumber(l.percentBelow)}%`
            : { text: `超出 ${formatNumber(-l.percentBelow)}%`, color: RED };
      keep.add(rows.length);
      rows.push([
        l.outletName ? `${l.outletId}\n${l.outletName}` : l.outletId,
        l.pollutant,
        l.limit === null ? { text: '未录入', color: MUTED } : u(l.limit),
        l.standard ?? { text: '未录入', color: MUTED },
        readings,
        below,
        tierCell(l),
      ]);
      rows.push([{ text: `说明：${l.reason}`, color: MUTED }]);
    }
    w.table({
      columns: [
        { header: '排放口', width: 1.6 },
        { header: '污染物', width: 1.2 },
        { header: '排放限值', width: 1.5, align: 'center' },
        { header: '执行标准', width: 2.7 },
        { header: '监测浓度', width: 2.5, align: 'center' },
        { header: '低于限值', width: 1.3, align: 'center' },
        { header: '估算结果', width: 2.4, align: 'center' },
      ],
      rows,
      keepWithNext: keep,
      fontSize: 8.5,
    });
    // Problems of a line are in its 说明 row already; the others (a limit entered twice) follow.
    const said = new Set(
      tax.lines
        .filter((l) => l.tier === null)
        .map((l) => `排放口 ${l.outletId} ${l.pollutant}：${l.reason}`),
    );
    for (const p of tax.problems) {
      if (!said.has(p)) w.paragraph(`注：${p}`, { size: 8.5, color: MUTED });
    }
  }
  w.paragraph(`估算规则：${tax.rule}`, { size: 8.5, color: MUTED });
}

// ─── Versions and signatures ────────────────────────────────────────────────────────────────

function versionsSection(w: PdfWriter, detail: PlanDetail): void {
  const { plan } = detail;
  w.table({
    columns: [
      { header: '版本', width: 1.2, align: 'center' },
      { header: '保存时间', width: 2.6, align: 'center' },
      { header: '措施（项）', width: 1.5, align: 'center' },
      { header: '修改说明', width: 5.6 },
      { header: '状态', width: 2.4, align: 'center' },
    ],
    rows: detail.versions.map((v) => {
      const marks = [
        plan.reviewed?.version === v.version ? '专家审定' : '',
        plan.confirmed?.version === v.version ? '企业确认' : '',
        v.version === detail.version ? '本文件' : '',
      ].filter(Boolean);
      const row: Cell[] = [
        `第 ${v.version} 版`,
        formatDateTime(v.savedAt),
        String(v.measures),
        v.comment ?? NONE,
        marks.join('、') || NONE,
      ];
      return v.version === detail.version
        ? row.map((c) => ({ text: typeof c === 'string' ? c : c.text, bold: true }))
        : row;
    }),
    emptyText: '没有版本记录',
  });
}

/** Every signature the plan's PDF prints: the source visit's and the plan's own. */
export function planSignatures(detail: PlanDetail): Signature[] {
  const { reviewed, confirmed } = detail.plan;
  return [
    ...detail.source.signatures,
    ...(reviewed?.signature ? [reviewed.signature] : []),
    ...(confirmed?.signature ? [confirmed.signature] : []),
  ];
}

/** The local calendar day of an epoch-ms time, YYYY-MM-DD. */
function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function signatureSection(
  w: PdfWriter,
  detail: PlanDetail,
  files: ReadonlyMap<string, Buffer>,
): void {
  const { plan } = detail;
  const status = versionStatus(detail);
  w.paragraph(
    status === '企业确认'
      ? `本方案第 ${detail.version} 版已经专家审定、企业确认，企业按期完成各项措施后，可申请重新评定绩效等级。`
      : status === '专家审定'
        ? `本方案第 ${detail.version} 版已经专家审定，尚待企业确认。`
        : `本方案第 ${detail.version} 版为草稿，尚未经专家审定和企业确认，内容可能变动。`,
    { size: 9, color: MUTED },
  );
  const pairs: KeyValue[] = [];
  if (plan.reviewed) {
    pairs.push([
      '审定意见',
      plan.reviewed.opinion || {
        text: '（本次审定在要求填写审定意见之前记录，未留意见）',
        color: MUTED,
      },
      'wide',
    ]);
    pairs.push([
      '审定',
      `${plan.reviewed.by}，${formatDateTime(plan.reviewed.at)}，第 ${plan.reviewed.version} 版${
        plan.reviewed.account ? `（同步账号 ${plan.reviewed.account}）` : ''
      }`,
      'wide',
    ]);
  }
  if (plan.confirmed) {
    pairs.push([
      '企业确认',
      `${plan.confirmed.by}，${plan.confirmed.method ?? '确认方式未记录'}，${formatDateTime(
        plan.confirmed.at,
      )}，第 ${plan.confirmed.version} 版${
        plan.confirmed.account ? `（同步账号 ${plan.confirmed.account}）` : ''
      }`,
      'wide',
    ]);
  }
  if (pairs.length > 0) w.keyValues(pairs, { perRow: 1 });
  w.space(4);
  const signed = (s: Signature | null | undefined): Pick<SignatureEntry, 'image' | 'signedOn'> => {
    if (!s) return {};
    const data = files.get(s.sha256);
    return {
      image: data ? { data, key: s.sha256 } : null,
      signedOn: localDay(s.signedAt),
    };
  };
  const memberSignature = (memberId: string) =>
    detail.source.signatures.filter((s) => s.memberId === memberId).at(-1);
  const entries: SignatureEntry[] = detail.source.members.map((m) => ({
    role: `帮扶组·${m.role}`,
    name: m.name,
    ...(memberSignature(m.id)
      ? { note: '签于现场帮扶记录', ...signed(memberSignature(m.id)) }
      : {}),
  }));
  if (entries.length === 0) entries.push({ role: '帮扶工作组', name: '' });
  const stamp = (s: { version: number; at: number } | null, verb: string) =>
    s ? `已于 ${formatDateTime(s.at)} 在系统中${verb}第 ${s.version} 版` : `尚未在系统中${verb}`;
  entries.push(
    {
      role: '审定专家',
      name: plan.reviewed?.by ?? '',
      note: stamp(plan.reviewed, '审定'),
      ...signed(plan.reviewed?.signature),
    },
    {
      role: '企业代表',
      name: plan.confirmed?.by ?? '',
      note: plan.confirmed
        ? `${stamp(plan.confirmed, '确认')}（${plan.confirmed.method ?? '方式未记录'}）`
        : stamp(null, '确认'),
      ...signed(plan.confirmed?.signature),
    },
  );
  w.signatures(entries);
}
