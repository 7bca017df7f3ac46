import type { OfficialGradeNow } from '../../../../shared/domain/review';
import { GENERAL_CHECKLIST_NAME, JUDGED_LABEL } from '../../../../shared/grading/general';
import { gradeText } from '../../../../shared/grading/text';
import { ASSISTANCE_DIRECTIONS, type PlanDetail } from '../../../../shared/plan';
import { DRAFT_MARK, type PdfWriter, type KeyValue } from '../document';
import { formatDate, formatDateTime } from '../format';
import {
  MUTED,
  NONE,
  PLAN_TITLE,
  RED,
  TBD,
  TOTAL_FILL,
  chinaDay,
  gradeCell,
  investmentTotal,
  versionLine,
  versionStatus,
} from './labels';

/** The plan PDF's cover: enterprise, processes, grades, team, version, the plan at a glance, and the notices under the title. */
// ─── Cover ──────────────────────────────────────────────────────────────────────────────────

export function cover(w: PdfWriter, detail: PlanDetail, official: OfficialGradeNow | null): void {
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
      '核查等级',
      source.grade !== null && source.processes.some((p) => p.judged)
        ? { text: `${gradeText(source.grade)}（含${JUDGED_LABEL}）`, bold: true }
        : gradeCell(source.grade, detail.unverified, '未能评定'),
    ],
    ['目标等级', { text: gradeText(content.targetGrade), bold: true }],
    // The official grade (认定等级) the city or region decided, beside the team's finding.
    ...(official === null
      ? []
      : [
          [
            '认定等级',
            official.grade === null
              ? '未认定'
              : `${gradeText(official.grade)}（${official.since === null ? '' : `${formatDate(official.since)}起，`}${official.cause ?? ''}）`,
            'wide',
          ] satisfies KeyValue,
        ]),
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
