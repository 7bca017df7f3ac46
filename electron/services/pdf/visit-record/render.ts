import { AppError } from '../../../../shared/api/errors';
import {
  type InspectionDetail,
  type PhotoInfo,
  REPRESENTATIVE_ROLE,
  type Signature,
} from '../../../../shared/domain/inspection';
import { visitGradeDisplay } from '../../../../shared/grading/display';
import { isHlc, parseHlc } from '../../../../shared/sync/hlc';
import { readStoredFile } from '../../attachments';
import { readPhotoVariant } from '../../photos';
import type { AppContext } from '../../context';
import { getInspectionDetail } from '../../inspections';
import { PdfWriter, type KeyValue, type SignatureEntry } from '../document';
import { DRAWABLE } from '../document/assets';
import type { CjkFonts } from '../fonts';
import { localDate } from '../../../../shared/local-time';
import { chineseNumber, formatDate, formatDateTime } from '../format';
import { MUTED, RED, gradeCell, judgedCell, notices } from './cells';
import { groupEvidence, processSection, thumbnail } from './process';

/**
 * 现场帮扶记录: the PDF of one site visit that a team hands over. Who came and in which role, when,
 * the type of visit and the enterprise; for each visited process its grade (指标待核实 when the
 * pinned ruleset is a draft), every indicator answered (the answer in words, with its unit and
 * readings, and the note), the gaps to its target grade and its photos; photos of the visit as a
 * whole; and the confirmations, with lines to sign by hand.
 */

export const VISIT_RECORD_TITLE = '现场帮扶记录';

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
      '综合核查等级',
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
      signedOn: localDate(s.signedAt),
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
