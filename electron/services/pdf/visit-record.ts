import { AppError } from '../../../shared/api/errors';
import {
  photoPlaceText,
  type EvidenceUse,
  type GapView,
  type InspectionAnswer,
  type InspectionDetail,
  type InspectionProcess,
  type PhotoInfo,
  type ProcessGrading,
  REPRESENTATIVE_ROLE,
  type Signature,
} from '../../../shared/domain/inspection';
import {
  GENERAL_CHECKLIST_NAME,
  JUDGED_LABEL,
  NOT_APPLICABLE,
  rulesetName,
  rulesetSummary,
  type Indicator,
} from '../../../shared/grading';
import {
  processGradeDisplay,
  visitGradeDisplay,
  type GradeDisplay,
} from '../../../shared/grading/display';
import {
  factText,
  formatNumber,
  gapFactText,
  gradeText,
  readingsSummary,
  requirementText,
} from '../../../shared/grading/text';
import { isHlc, parseHlc } from '../../../shared/sync/hlc';

import { readStoredFile } from '../attachments';
import { readPhotoVariant } from '../photos';
import type { AppContext } from '../context';
import { getInspectionDetail } from '../inspections';

import {
  DRAFT_MARK,
  PdfWriter,
  type Cell,
  type KeyValue,
  type SignatureEntry,
  type Thumbnail,
} from './document';
import type { CjkFonts } from './fonts';
import { chineseNumber, formatDate, formatDateTime } from './format';

/**
 * 现场帮扶记录: the PDF of one site visit that a team hands over. Who came and in which role, when,
 * the type of visit and the enterprise; for each visited process its grade (指标待核实 when the
 * pinned ruleset is a draft), every indicator answered (the answer in words, with its unit and
 * readings, and the note), the gaps to its target grade and its photos; photos of the visit as a
 * whole; and the confirmations, with lines to sign by hand.
 */

export const VISIT_RECORD_TITLE = '现场帮扶记录';

const RED = '#c0161d';
const MUTED = '#5f5f5f';

/** The bytes of one evidence file, or why they are not shown. */
export interface EvidenceFile {
  data: Buffer | null;
  /** The type of `data`: a photo's print size is a JPEG whatever the original was. */
  mimeType?: string;
  /** What the photo's EXIF says of when and where it was taken. */
  photo?: PhotoInfo | null;
  /** Why there is no picture (not on this device, damaged); absent for a file that is here. */
  missing?: string;
}

export interface VisitPdf {
  fileName: string;
  bytes: Buffer;
  pages: number;
}

const DRAWABLE = new Set(['image/png', 'image/jpeg']);

/**
 * The 现场帮扶记录 PDF of a visit (draft or finalized), with its photos read from the data folder.
 * Throws `not_found` for an unknown visit.
 */
export async function exportVisitPdf(ctx: AppContext, inspectionId: string): Promise<VisitPdf> {
  const detail = getInspectionDetail(ctx, inspectionId);
  const files = new Map<string, EvidenceFile>();
  for (const e of detail.evidence) {
    // Only pictures are read, each at its print size (1600 px JPEG, upright), never the phone's
    // original: a PDF scan (up to 20 MB) gets a caption line, not a thumbnail.
    if (!e.mimeType.startsWith('image/') || files.has(e.sha256)) continue;
    const print = await readPhotoVariant(ctx.dataDir, e.sha256, e.mimeType, 'print');
    if (print) {
      files.set(e.sha256, { data: print.data, mimeType: 'image/jpeg', photo: print.info });
    } else if (DRAWABLE.has(e.mimeType)) {
      files.set(e.sha256, readEvidenceFile(ctx.dataDir, e.sha256));
    }
  }
  // Signatures are PNGs drawn on screen: printed as stored, on the signature lines.
  for (const s of detail.signatures) {
    if (!files.has(s.sha256)) files.set(s.sha256, readEvidenceFile(ctx.dataDir, s.sha256));
  }
  const { bytes, pages } = await renderVisitRecord(detail, files);
  return { fileName: visitPdfFileName(detail), bytes, pages };
}

function readEvidenceFile(dataDir: string, sha256: string): EvidenceFile {
  try {
    return { data: readStoredFile(dataDir, sha256) };
  } catch (e) {
    if (e instanceof AppError) {
      return {
        data: null,
        missing: e.code === 'not_found' ? '文件不在本机，尚未同步' : '文件已损坏',
      };
    }
    throw e;
  }
}

/** 现场帮扶记录-宁夏瑞泰水泥有限公司-20250601.pdf (-草稿 until finalized). */
export function visitPdfFileName(detail: InspectionDetail): string {
  const name = detail.enterpriseName.replace(/[\\/:*?"<>|\s]+/g, '').slice(0, 60) || '企业';
  const day = detail.inspection.date.replaceAll('-', '');
  const draft = detail.inspection.status === 'finalized' ? '' : '-草稿';
  return `${VISIT_RECORD_TITLE}-${name}-${day}${draft}.pdf`;
}

/**
 * The moment the record last changed: its CreationDate, so the same record always gives the
 * same bytes.
 */
export function lastChangeOf(detail: InspectionDetail): number {
  const stamps = [
    detail.inspection.createdAt,
    detail.inspection.finalizedAt ?? 0,
    ...detail.members.map((m) => m.confirmedAt ?? 0),
    ...detail.evidence.map((e) => e.createdAt),
    ...detail.signatures.map((s) => s.signedAt),
    ...[detail.inspection.updatedAt, ...detail.answers.map((a) => a.updatedAt)]
      .filter(isHlc)
      .map((h) => parseHlc(h).wallMs),
  ];
  return Math.max(...stamps);
}

/** Renders the record from a visit's detail and the files of its evidence (by SHA-256). */
export async function renderVisitRecord(
  detail: InspectionDetail,
  files: ReadonlyMap<string, EvidenceFile>,
  options: { fonts?: CjkFonts } = {},
): Promise<{ bytes: Buffer; pages: number }> {
  const { inspection, grading } = detail;
  const finalized = inspection.status === 'finalized';
  const memberSignature = (memberId: string): Signature | null =>
    detail.signatures.filter((s) => s.memberId === memberId).at(-1) ?? null;
  const w = new PdfWriter({
    title: VISIT_RECORD_TITLE,
    enterprise: detail.enterpriseName,
    draftMark: grading.unverified,
    recordNumber: { label: '记录编号', number: inspection.number },
    createdAt: lastChangeOf(detail),
    subject: `${detail.enterpriseName} ${inspection.date} ${inspection.type}`,
    ...(options.fonts ? { fonts: options.fonts } : {}),
  });
  w.title(
    VISIT_RECORD_TITLE,
    `记录编号：${inspection.number}\u3000\u3000${finalized ? '已定稿' : '草稿（未定稿）'}`,
  );
  notices(w, detail);

  let section = 0;
  const next = () => `${chineseNumber(++section)}、`;

  // 1. Who, when, what.
  w.heading(`${next()}基本情况`);
  const pairs: KeyValue[] = [
    ['企业名称', detail.enterpriseName, 'wide'],
    ['检查日期', formatDate(inspection.date)],
    ['检查类型', inspection.type],
    [
      '综合评定等级',
      grading.processes.some((p) => p.judged)
        ? judgedCell(gradeCell(visitGradeDisplay(grading), grading.unverified), '含')
        : gradeCell(visitGradeDisplay(grading), grading.unverified),
    ],
    ['记录状态', finalized ? `已定稿（${formatDateTime(inspection.finalizedAt ?? 0)}）` : '草稿'],
    [
      '检查组',
      detail.members.length > 0
        ? detail.members.map((m) => `${m.name}（${m.role}）`).join('、')
        : '（未填写）',
      'wide',
    ],
    [
      '检查的工序',
      detail.processes.length > 0 ? detail.processes.map((p) => p.label).join('、') : '（无）',
      'wide',
    ],
  ];
  if (grading.lockedUntil) {
    pairs.push([
      '违法记录',
      { text: `有违法记录，${formatDate(grading.lockedUntil)}前不得申请绩效评级`, color: RED },
      'wide',
    ]);
  }
  if (inspection.note) pairs.push(['备注', inspection.note, 'wide']);
  w.keyValues(pairs, { perRow: 2 });

  // 2. Each visited process.
  w.heading(`${next()}各工序检查情况`);
  if (detail.processes.length === 0) w.paragraph('此次检查未包括任何工序。', { color: MUTED });
  const photos = groupEvidence(detail);
  detail.processes.forEach((p, i) => {
    const graded = grading.processes.find((g) => g.inspectionProcessId === p.id);
    processSection(w, detail, p, graded, i + 1, photos.byProcess.get(p.processId) ?? [], files);
  });

  // 3. Photos of the visit as a whole.
  if (photos.general.length > 0) {
    w.heading(`${next()}现场照片`);
    w.thumbnails(photos.general.map((e) => thumbnail(e, files, detail)));
  }

  // 4. Confirmations and signatures.
  w.heading(`${next()}确认与签字`);
  w.table({
    columns: [
      { header: '序号', width: 1, align: 'center' },
      { header: '姓名', width: 3 },
      { header: '角色', width: 2, align: 'center' },
      { header: '系统中确认', width: 5 },
    ],
    rows: detail.members.map((m, i) => [
      String(i + 1),
      m.name,
      m.role,
      m.confirmedAt === null
        ? { text: '尚未确认', color: MUTED }
        : `已于 ${formatDateTime(m.confirmedAt)} ${memberSignature(m.id) ? '签名' : ''}确认`,
    ]),
    emptyText: '检查组尚无成员',
  });
  w.paragraph(
    finalized
      ? `本记录已于 ${formatDateTime(inspection.finalizedAt ?? 0)} 经检查组全体成员确认定稿，定稿后内容不再改动；如需更正，以修订版本为准。`
      : '本记录为草稿，尚未经检查组全体成员确认定稿，内容可能变动。',
    { size: 9, color: MUTED },
  );
  w.space(6);
  const signed = (s: Signature | null): Pick<SignatureEntry, 'image' | 'signedOn'> => {
    const data = s ? files.get(s.sha256)?.data : undefined;
    if (!s) return {};
    return {
      image: data ? { data, key: s.sha256 } : null,
      signedOn: localDay(s.signedAt),
    };
  };
  const representatives = detail.signatures.filter((s) => s.signerRole === REPRESENTATIVE_ROLE);
  w.signatures([
    ...detail.members.map((m) => ({
      role: m.role,
      name: m.name,
      note:
        m.confirmedAt === null
          ? '尚未在系统中确认'
          : `已于 ${formatDateTime(m.confirmedAt)} ${memberSignature(m.id) ? '在屏幕上签名' : ''}确认`,
      ...signed(memberSignature(m.id)),
    })),
    ...(representatives.length > 0
      ? representatives.map((s) => ({
          role: '企业陪同人员',
          name: s.signerName,
          note: `已于 ${formatDateTime(s.signedAt)} 在屏幕上签名`,
          ...signed(s),
        }))
      : [{ role: '企业代表', name: '' }]),
  ]);

  const bytes = await w.finish();
  return { bytes, pages: w.pageCount };
}

/** Red lines at the top: grades from drafts, and corrections. */
function notices(w: PdfWriter, detail: InspectionDetail): void {
  const { grading, inspection } = detail;
  if (grading.unverified) {
    const drafts = grading.processes
      .filter((p) => p.unverified)
      .map((p) => `${p.rulesetName}（${p.edition} 版）`);
    w.paragraph(
      `${DRAFT_MARK}：本记录所用的${[...new Set(drafts)].join('、')}为草稿，尚未与官方文本逐条核对，据此评定的等级仅供参考。`,
      { size: 9, color: RED },
    );
  }
  const dateOf = (id: string) => detail.history.find((h) => h.id === id)?.date;
  const numberOf = (id: string) => detail.history.find((h) => h.id === id)?.number ?? id;
  if (inspection.revisionOf) {
    const date = dateOf(inspection.revisionOf);
    w.paragraph(
      `本记录是${date ? ` ${formatDate(date)} ` : ''}检查记录（编号 ${numberOf(inspection.revisionOf)}）的修订版本。`,
      { size: 9, color: MUTED },
    );
    if (inspection.correctionReason) {
      w.paragraph(`更正原因：${inspection.correctionReason}`, { size: 9, bold: true });
    }
  }
  if (detail.revisedBy) {
    const date = dateOf(detail.revisedBy.id);
    w.paragraph(
      `本记录已被${date ? ` ${formatDate(date)} 的` : ''}修订版本（编号 ${detail.revisedBy.number}${detail.revisedBy.status === 'draft' ? '，尚未定稿' : ''}）更正，请以修订版本为准。`,
      { size: 9, color: RED, bold: true },
    );
    if (detail.revisedBy.reason) {
      w.paragraph(`更正原因：${detail.revisedBy.reason}`, { size: 9, color: RED });
    }
  }
}

/** The local calendar day of an epoch-ms time, YYYY-MM-DD. */
function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * A grade as the one rule reads it (shared/grading/display.ts): 未评定, 暂评 B级（尚有 3 项未填）
 * or B级; a finalized record's is the grade stored when it was finalized.
 */
function gradeCell(display: GradeDisplay, unverified: boolean): Cell {
  if (display.grade === null) return { text: display.text, color: MUTED };
  if (!unverified) return { text: display.text, bold: display.kind === 'final' };
  return { text: `${display.text}（${DRAFT_MARK}）`, bold: true, color: RED };
}

/**
 * A grade the team judged with the 通用帮扶检查表: 专家判定 B级 for a process, B级（含专家判定）for a
 * visit where some process was judged. Ungraded cells stay as they are.
 */
function judgedCell(cell: Cell, mode: '' | '含'): Cell {
  if (typeof cell === 'string') cell = { text: cell };
  if (cell.color === MUTED) return cell;
  return mode === ''
    ? { ...cell, text: `${JUDGED_LABEL} ${cell.text}` }
    : { ...cell, text: `${cell.text}（含${JUDGED_LABEL}）` };
}

/** The answer's note (现状), problems (存在问题) and readings (实测读数), as one cell. */
function answerNotes(a: InspectionAnswer): string {
  const lines: string[] = [];
  if (a.note) lines.push(a.readings.length + a.problems.length > 0 ? `现状：${a.note}` : a.note);
  a.problems.forEach((p, i) => lines.push(`存在问题${a.problems.length > 1 ? i + 1 : ''}：${p}`));
  for (const r of a.readings) {
    const extra = [
      r.oxygenRef !== null ? `基准氧含量 ${formatNumber(r.oxygenRef)}%` : null,
      r.limit !== null ? `限值 ${formatNumber(r.limit)} ${r.unit}` : null,
    ].filter((x) => x !== null);
    lines.push(
      `实测：${r.outlet} ${r.pollutant} ${formatNumber(r.value)} ${r.unit}${extra.length > 0 ? `（${extra.join('，')}）` : ''}`,
    );
  }
  return lines.join('\n');
}

/** 1. 指标检查结果, 2. 与目标等级的差距, 3. 照片 — for one visited process. */
function processSection(
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
      '评定等级',
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
function groupEvidence(detail: InspectionDetail): {
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

function thumbnail(
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
