import {
  photoPlaceText,
  type EvidenceUse,
  type GapView,
  type InspectionDetail,
  type InspectionProcess,
  type ProcessGrading,
} from '../../../../shared/domain/inspection';
import {
  GENERAL_CHECKLIST_NAME,
  JUDGED_LABEL,
  NOT_APPLICABLE,
  rulesetName,
  rulesetSummary,
  type Indicator,
} from '../../../../shared/grading';
import { processGradeDisplay } from '../../../../shared/grading/display';
import {
  factText,
  gapFactText,
  gradeText,
  readingsSummary,
  requirementText,
} from '../../../../shared/grading/text';
import { type PdfWriter, type KeyValue, type Thumbnail } from '../document';
import { chineseNumber, formatDateTime } from '../format';
import type { EvidenceFile } from './render';
import { MUTED, RED, answerNotes, gradeCell, judgedCell } from './cells';

/** One visited process in the visit record: its answers, its gaps to the target grade and its photos, and the evidence grouped by process. */
/** 1. 指标检查结果, 2. 与目标等级的差距, 3. 照片 — for one visited process. */
export function processSection(
  w: PdfWriter,
  detail: InspectionDetail,
  process: InspectionProcess,
  graded: ProcessGrading | undefined,
  index: number,
  photos: readonly EvidenceUse[],
  files: ReadonlyMap<string, EvidenceFile>,
): void {
  const ruleset = process.ruleset.ruleset;
  // The 通用帮扶检查表: its grade is the team's judgement (专家判定), never a computed one.
  const general = process.ruleset.general;
  const unverified = graded?.unverified ?? process.ruleset.status === 'draft';
  w.heading(`（${chineseNumber(index)}）${process.label}`, 2);
  const target = process.targetGrade;
  const pairs: KeyValue[] = [
    general
      ? [
          '检查表',
          `${GENERAL_CHECKLIST_NAME}（本行业尚无分级指标，各维度等级由帮扶组${JUDGED_LABEL}，工序等级取最差维度）`,
          'wide',
        ]
      : [
          '分级指标',
          `${ruleset ? rulesetName(ruleset) : '分级指标（本机暂无）'}（${process.ruleset.edition} 版${process.ruleset.status === 'draft' ? '，草稿' : ''}）`,
          'wide',
        ],
    [
      '核查等级',
      graded
        ? general
          ? judgedCell(gradeCell(processGradeDisplay(graded, detail.grading.frozen), false), '')
          : gradeCell(processGradeDisplay(graded, detail.grading.frozen), unverified)
        : { text: '无法评定', color: MUTED },
    ],
    ['目标等级', target ? gradeText(target) : '未设定'],
    [
      general ? '判定情况' : '作答情况',
      graded
        ? general
          ? `已判定 ${graded.answered} 个维度，共 ${graded.indicators} 个`
          : `已作答 ${graded.answered} 项，共 ${graded.indicators} 项`
        : '（无评级结果）',
    ],
    [
      '是否达到目标',
      graded?.reachesTarget === true
        ? '已达到'
        : graded?.reachesTarget === false
          ? { text: '未达到', color: RED }
          : '—',
    ],
  ];
  if (graded?.factsGrade && graded.factsGrade !== graded.grade) {
    pairs.push([
      '说明',
      `因违法记录按最低等级评定；仅按指标事实可达${gradeText(graded.factsGrade)}`,
      'wide',
    ]);
  }
  if (graded?.problem) pairs.push(['问题', { text: graded.problem, color: RED }, 'wide']);
  // The ruleset's 说明 for the team and the enterprise (what its grade can say); never the
  // experts' 来源与缺项.
  const summary = ruleset && !general ? rulesetSummary(ruleset) : null;
  if (summary) pairs.push(['指标说明', summary, 'wide']);
  w.keyValues(pairs, { perRow: 2 });

  // 1. The indicators answered, in the ruleset's order.
  w.heading('1. 指标检查结果', 3);
  const answers = detail.answers.filter(
    (a) =>
      a.processId === process.processId &&
      (a.fact !== null || a.note !== null || a.problems.length > 0 || a.readings.length > 0),
  );
  const order = new Map(ruleset?.indicators.map((ind, i) => [ind.id, i]) ?? []);
  answers.sort(
    (a, b) =>
      (order.get(a.indicatorId) ?? Infinity) - (order.get(b.indicatorId) ?? Infinity) ||
      (a.indicatorId < b.indicatorId ? -1 : 1),
  );
  const indicatorOf = (id: string): Indicator | undefined =>
    ruleset?.indicators.find((ind) => ind.id === id);
  w.table({
    columns: [
      { header: '序号', width: 0.9, align: 'center' },
      { header: '维度', width: 2 },
      { header: '指标', width: 4.2 },
      { header: '检查结果', width: 2.9 },
      { header: '说明', width: 3.6 },
    ],
    rows: answers.map((a, i) => {
      const ind = indicatorOf(a.indicatorId);
      const readings = ind ? readingsSummary(ind, a.fact) : null;
      const result =
        general && typeof a.fact === 'string' && a.fact !== NOT_APPLICABLE
          ? `${JUDGED_LABEL} ${gradeText(a.fact)}`
          : a.fact === null && general
            ? '未判定'
            : factText(ind ?? { kind: '' }, a.fact);
      return [
        String(i + 1),
        ind?.dimension ?? '',
        ind ? ind.title : a.indicatorId,
        readings ? `${result}\n${readings}` : result,
        answerNotes(a),
      ];
    }),
    emptyText: '尚未作答任何指标',
  });
  const total = graded?.indicators ?? ruleset?.indicators.length ?? 0;
  const unanswered = total - (graded?.answered ?? 0);
  if (unanswered > 0 && total > 0) {
    w.paragraph(`另有 ${unanswered} 项指标未取得结果（未作答的指标不视为达到要求）。`, {
      size: 9,
      color: MUTED,
    });
  }

  // 2. What stands between the process and its target grade.
  w.heading(`2. 与目标等级${target ? `（${gradeText(target)}）` : ''}的差距`, 3);
  if (!target) {
    w.paragraph('未设定目标等级。', { size: 9, color: MUTED });
  } else if (graded?.reachesTarget === true) {
    w.paragraph(`已达到目标等级${gradeText(target)}，无差距。`, { size: 9 });
  } else if (!graded?.gapsToTarget) {
    w.paragraph(`无法列出差距：${graded?.problem ?? '未能评级'}`, { size: 9, color: RED });
  } else {
    gapTable(w, graded.gapsToTarget, target, general);
  }

  // 3. Its photos.
  if (photos.length > 0) {
    w.heading('3. 现场照片', 3);
    w.thumbnails(photos.map((e) => thumbnail(e, files, detail)));
  }
}

function gapTable(w: PdfWriter, gaps: readonly GapView[], target: string, judged = false): void {
  w.table({
    columns: [
      { header: '序号', width: 0.9, align: 'center' },
      { header: '维度', width: 2 },
      { header: '指标', width: 4.2 },
      { header: `要求（${gradeText(target)}）`, width: 2.6 },
      { header: '现状', width: 2.6 },
      { header: '情况', width: 1.4, align: 'center' },
    ],
    rows: gaps.map((g, i) => [
      String(i + 1),
      g.dimension,
      g.title,
      requirementText(g, g.required),
      judged && g.status === 'unmet' && typeof g.actual === 'string'
        ? `${JUDGED_LABEL} ${gradeText(g.actual)}`
        : gapFactText(g),
      g.status === 'unmet' ? { text: '未达到', color: RED } : { text: '未填写', color: MUTED },
    ]),
    emptyText: '无差距',
  });
}

/** Evidence of each visited process (by enterprise process id), and of the visit as a whole. */
export function groupEvidence(detail: InspectionDetail): {
  byProcess: Map<string, EvidenceUse[]>;
  general: EvidenceUse[];
} {
  const visited = new Set(detail.processes.map((p) => p.processId));
  const byProcess = new Map<string, EvidenceUse[]>();
  const general: EvidenceUse[] = [];
  const sorted = [...detail.evidence].sort(
    (a, b) => (a.takenAt ?? a.createdAt) - (b.takenAt ?? b.createdAt) || (a.id < b.id ? -1 : 1),
  );
  for (const e of sorted) {
    if (e.processId !== null && visited.has(e.processId)) {
      const list = byProcess.get(e.processId) ?? [];
      list.push(e);
      byProcess.set(e.processId, list);
    } else {
      general.push(e);
    }
  }
  return { byProcess, general };
}

export function thumbnail(
  e: EvidenceUse,
  files: ReadonlyMap<string, EvidenceFile>,
  detail: InspectionDetail,
): Thumbnail {
  const file = files.get(e.sha256);
  const photo = file?.photo ?? null;
  const caption = [
    e.fileName,
    photo?.takenAt
      ? `拍摄于 ${photo.takenAt}`
      : e.takenAt !== null
        ? `拍摄于 ${formatDateTime(e.takenAt)}`
        : `添加于 ${formatDateTime(e.createdAt)}`,
  ];
  if (photo?.gps) caption.push(`位置：${photoPlaceText(photo.gps)}`);
  if (e.indicatorId !== null) {
    const process = detail.processes.find((p) => p.processId === e.processId);
    const ind = process?.ruleset.ruleset?.indicators.find((i) => i.id === e.indicatorId);
    caption.push(`指标：${ind?.title ?? e.indicatorId}`);
  }
  return {
    data: file?.data ?? null,
    mimeType: file?.mimeType ?? e.mimeType,
    caption,
    key: e.sha256,
    ...(file?.missing ? { missing: file.missing } : {}),
  };
}
