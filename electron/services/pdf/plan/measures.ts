import { ASSISTANCE_DIRECTIONS, type PlanMeasure } from '../../../../shared/plan';
import { type PdfWriter, type Cell, type TableColumn } from '../document';
import { chineseNumber, formatDate } from '../format';
import {
  MUTED,
  TBD,
  TOTAL_FILL,
  groupRow,
  investment,
  investmentPhrase,
  measureSubject,
  money,
} from './labels';

/** 三、整改措施 (the measures by direction, with subtotals and a total) and 四、实施进度 (by deadline, month by month) of the plan PDF. */
// ─── 三、整改措施 ────────────────────────────────────────────────────────────────────────────

const MEASURE_COLUMNS: readonly TableColumn[] = [
  { header: '序号', width: 0.7, align: 'center' },
  { header: '指标或问题', width: 3.7 },
  { header: '整改措施', width: 4.7 },
  { header: '责任人', width: 1.3, align: 'center' },
  { header: '完成期限', width: 2.5, align: 'center' },
  { header: '预计投资（万元）', width: 1.6, align: 'right' },
];

export function measuresSection(
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

export function timelineSection(
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
