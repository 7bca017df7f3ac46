import type { GapView, ProcessGrading } from '../../../../shared/domain/inspection';
import { GENERAL_CHECKLIST_NAME, JUDGED_LABEL } from '../../../../shared/grading/general';
import { gapFactText, gradeText, requirementText } from '../../../../shared/grading/text';
import type { PlanDetail } from '../../../../shared/plan';
import { type PdfWriter, type Cell } from '../document';
import { formatDate } from '../format';
import { MUTED, RED, gradeCell, groupRow } from './labels';

/** 一、现状 (each process's grade, answers and gaps) and 二、差异化指标 (each gap against 目标要求) of the plan PDF. */
// ─── 一、现状 ────────────────────────────────────────────────────────────────────────────────

/** Each process: its grade, answers and gaps; then its gaps to target by dimension. */
export function statusSection(w: PdfWriter, detail: PlanDetail): void {
  const processes = detail.source.processes;
  if (processes.length === 0) {
    w.paragraph('没有可显示的检查结果（本机没有方案所依据的检查记录）。', { color: MUTED });
    return;
  }
  w.paragraph(
    `据 ${detail.source.date ? formatDate(detail.source.date) : ''}${detail.source.type}检查，企业综合核查等级为${detail.source.grade === null ? '（未能评定）' : gradeText(detail.source.grade)}，绩效提升目标为${gradeText(detail.content.targetGrade)}。各行业或工序的情况如下。`,
    { indent: true },
  );
  w.table({
    columns: [
      // In points: the grade column holds C级（指标待核实） on one line.
      { header: '序号', width: 28, align: 'center' },
      { header: '行业或工序', width: 64 },
      { header: '分级指标', width: 92 },
      { header: '核查等级', width: 90, align: 'center' },
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
    if (p.gapsToTarget === null || p.gapsToTarget.length === 0) {
      rows.push([noGapsCell(p)]);
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

/** The muted line in place of a process's gaps to target: no target set, or none left. */
function noGapsCell(p: Pick<ProcessGrading, 'gapsToTarget' | 'problem'>): Cell {
  return p.gapsToTarget === null
    ? { text: p.problem ?? '未设定目标等级，未列出差距', color: MUTED }
    : { text: '已达到目标等级，无差距', color: MUTED };
}

// ─── 二、差异化指标 ──────────────────────────────────────────────────────────────────────────

export function gapSection(w: PdfWriter, detail: PlanDetail): void {
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
    if (p.gapsToTarget === null || p.gapsToTarget.length === 0) {
      rows.push([noGapsCell(p)]);
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
