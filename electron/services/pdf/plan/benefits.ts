import { formatNumber, gradeText, withUnit } from '../../../../shared/grading/text';
import {
  TAX_TIER_LABELS,
  type AlertMeasures,
  type GradeBenefits,
  type MeasureText,
  type PlanDetail,
  type TaxReliefLine,
} from '../../../../shared/plan';
import { type PdfWriter, type Cell } from '../document';
import { chineseNumber } from '../format';
import { MUTED, NONE, RED } from './labels';

/** 五、提级后的政策红利 (alert measures before and after, incentives) and 六、环境保护税 of the plan PDF. */
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

export function benefitsSection(w: PdfWriter, detail: PlanDetail): void {
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

export function taxSection(w: PdfWriter, detail: PlanDetail): void {
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
