import { officialGradeOf } from '../../../../db/repositories/reviews/grade-events';
import { AppError } from '../../../../shared/api/errors';
import type { OfficialGradeNow } from '../../../../shared/domain/review';
import { ASSISTANCE_DIRECTIONS, type PlanDetail } from '../../../../shared/plan';
import { readStoredFile } from '../../attachments';
import type { AppContext } from '../../context';
import { getPlan } from '../../plans';
import { PdfWriter } from '../document';
import type { CjkFonts } from '../fonts';
import { chineseNumber } from '../format';
import { PLAN_TITLE, SECTION_START, SIGNATURE_ROW, planPdfFileName, stampOf } from './labels';
import { cover } from './cover';
import { gapSection, statusSection } from './status';
import { measuresSection, timelineSection } from './measures';
import { benefitsSection, taxSection } from './benefits';
import { planSignatures, signatureSection, versionsSection } from './signatures';

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
  const official = officialGradeOf(ctx.db, detail.plan.enterpriseId, null);
  const { bytes, pages } = await renderPlanPdf(detail, onProgress, { signatures, official });
  return { fileName: planPdfFileName(detail), bytes, pages };
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
  options: {
    fonts?: CjkFonts;
    signatures?: ReadonlyMap<string, Buffer>;
    /** The enterprise's official grade (认定等级), printed on the cover beside the 核查等级. */
    official?: OfficialGradeNow;
  } = {},
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
    () => cover(w, detail, options.official ?? null),
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
