import { publicationScopeName } from '../../../shared/domain/publication';
import type { Publication } from '../../../shared/domain/review';

/** What the Excel list and the PDF 公告 share: dates, the edition line and the file name. */

/** 2026年12月6日, in China's time. */
export function chineseDate(epochMs: number): string {
  const d = new Date(epochMs + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** 第1期 发布日期：2026年12月6日. */
export function editionLine(publication: Publication): string {
  return `第${publication.edition}期\u3000发布日期：${chineseDate(publication.publishedAt)}`;
}

/** 信息公开_银川市_第1期.xlsx (or .pdf). */
export function publicationFileName(publication: Publication, extension: 'xlsx' | 'pdf'): string {
  return `信息公开_${publicationScopeName(publication.scope)}_第${publication.edition}期.${extension}`;
}

/** The columns both print, with Excel widths (characters) and PDF widths (relative). */
export const PUBLICATION_COLUMNS = [
  { header: '序号', excel: 6, pdf: 5, centred: true },
  { header: '企业名称', excel: 34, pdf: 19, centred: false },
  { header: '统一社会信用代码', excel: 22, pdf: 19.5, centred: true },
  { header: '地级市', excel: 10, pdf: 7, centred: true },
  { header: '县（市、区）', excel: 12, pdf: 8, centred: true },
  { header: '行业', excel: 24, pdf: 12, centred: false },
  { header: '认定等级', excel: 10, pdf: 8, centred: true },
  { header: '认定日期', excel: 12, pdf: 10.5, centred: true },
] as const;

/** A row's cells in column order (序号 counted from 1). */
export function rowCells(publication: Publication): string[][] {
  return publication.rows.map((r, i) => [
    String(i + 1),
    r.enterpriseName,
    r.creditCode ?? '',
    r.cityName,
    r.countyName ?? '',
    r.industries,
    r.grade,
    r.gradeDate,
  ]);
}
