import { publicationScopeName, REGION_SCOPE } from '../../../shared/domain/publication';
import type { Publication } from '../../../shared/domain/review';
import { PdfWriter, type Cell, type TableColumn } from '../pdf/document';
import type { CjkFonts } from '../pdf/fonts';

import { chineseDate, PUBLICATION_COLUMNS, publicationFileName, rowCells } from './format';

/**
 * A published edition as a 公告 PDF: the title, 第 N 期 and the date under it, a short lead
 * paragraph, the table (its header repeated on every page), and the 发布单位 with the date. Only
 * the frozen edition is printed, so the same edition always gives the same bytes.
 */

/** 银川市生态环境局, or 宁夏回族自治区生态环境厅 for the region's list. */
export function publishingAuthority(scope: string): string {
  return scope === REGION_SCOPE
    ? `${publicationScopeName(scope)}生态环境厅`
    : `${publicationScopeName(scope)}生态环境局`;
}

export function leadParagraph(publication: Publication): string {
  const name = publicationScopeName(publication.scope);
  return (
    `根据重污染天气重点行业绩效分级有关规定，经企业申报、审核评定，现将${name}重污染天气重点行业` +
    `绩效分级认定结果（共 ${publication.rows.length} 条）予以公示。公示内容以认定日期的认定等级为准；` +
    `认定等级如有变化，将在后续各期中公布。`
  );
}

/** Room the closing takes under the table: the space, 发布单位 and 发布日期. */
const CLOSING_HEIGHT = 16 + 2 * 18;

export async function renderPublicationPdf(
  publication: Publication,
  fonts?: CjkFonts,
): Promise<{ bytes: Buffer; pages: number }> {
  const date = chineseDate(publication.publishedAt);
  const w = new PdfWriter({
    title: publication.title,
    createdAt: publication.publishedAt,
    subject: '信息公开',
    recordNumber: {
      label: '公示',
      number: `${publicationScopeName(publication.scope)}第${publication.edition}期`,
    },
    ...(fonts ? { fonts } : {}),
  });
  w.title(publication.title, `第${publication.edition}期\u3000${date}`);
  w.paragraph(leadParagraph(publication), { indent: true });
  w.space(4);
  const columns: TableColumn[] = PUBLICATION_COLUMNS.map((c) => ({
    header: c.header,
    width: c.pdf,
    ...(c.centred ? { align: 'center' as const } : {}),
  }));
  const rows: Cell[][] = rowCells(publication);
  w.table({
    columns,
    rows,
    fontSize: 8,
    emptyText: '本期没有认定结果',
    // The space and the two closing lines below.
    keepLastWith: CLOSING_HEIGHT,
  });
  w.space(16);
  w.paragraph(`发布单位：${publishingAuthority(publication.scope)}`, { align: 'right' });
  w.paragraph(`发布日期：${date}`, { align: 'right' });
  const bytes = await w.finish();
  return { bytes, pages: w.pageCount };
}

export async function exportPublicationPdf(
  publication: Publication,
  fonts?: CjkFonts,
): Promise<{ fileName: string; bytes: Buffer; pages: number }> {
  const { bytes, pages } = await renderPublicationPdf(publication, fonts);
  return { fileName: publicationFileName(publication, 'pdf'), bytes, pages };
}
