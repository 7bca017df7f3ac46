import ExcelJS from 'exceljs';

import type { Publication } from '../../../shared/domain/review';

import { editionLine, PUBLICATION_COLUMNS, publicationFileName, rowCells } from './format';

/**
 * A published edition as an Excel workbook: 1 the title (merged across), 2 期号 and 发布日期,
 * 3 the header (frozen, repeated on every printed page), then one row per enterprise or process.
 * A4 landscape, one page wide, page numbers in the footer.
 */

export const TITLE_ROW = 1;
export const EDITION_ROW = 2;
export const HEADER_ROW = 3;
export const FIRST_DATA_ROW = HEADER_ROW + 1;

const FONT = { name: '宋体', size: 10 } as const;
const THIN = { style: 'thin' } as const;
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Shared style objects (exceljs caches a style per object); never mutate them. */
const STYLE = {
  title: {
    font: { ...FONT, size: 16, bold: true },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  },
  edition: { font: { ...FONT, size: 11 }, alignment: { horizontal: 'left', vertical: 'middle' } },
  header: {
    font: { ...FONT, bold: true },
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    border: BORDER,
    fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } },
  },
  centred: {
    font: FONT,
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    border: BORDER,
  },
  left: {
    font: FONT,
    alignment: { horizontal: 'left', vertical: 'middle', wrapText: true },
    border: BORDER,
  },
} satisfies Record<string, Partial<ExcelJS.Style>>;

const COLUMN_STYLES = PUBLICATION_COLUMNS.map((c) => (c.centred ? STYLE.centred : STYLE.left));

export async function writePublicationWorkbook(publication: Publication): Promise<Buffer> {
  const count = PUBLICATION_COLUMNS.length;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Uplift 环保绩效提级帮扶助手';
  wb.title = publication.title;
  wb.created = new Date(publication.publishedAt);
  wb.modified = new Date(publication.publishedAt);
  const ws = wb.addWorksheet(`第${publication.edition}期`, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW }],
  });
  PUBLICATION_COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.excel;
  });
  const title = ws.getRow(TITLE_ROW);
  title.getCell(1).value = publication.title;
  title.getCell(1).style = STYLE.title;
  title.height = 36;
  ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, count);
  const edition = ws.getRow(EDITION_ROW);
  edition.getCell(1).value = editionLine(publication);
  edition.getCell(1).style = STYLE.edition;
  ws.mergeCells(EDITION_ROW, 1, EDITION_ROW, count);
  const header = ws.getRow(HEADER_ROW);
  header.height = 24;
  PUBLICATION_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = STYLE.header;
  });
  rowCells(publication).forEach((cells, k) => {
    const row = ws.getRow(FIRST_DATA_ROW + k);
    cells.forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.style = COLUMN_STYLES[c] ?? STYLE.left;
      if (c === 0) cell.value = k + 1;
      else if (v !== '') cell.value = v;
    });
  });
  const lastRow = Math.max(HEADER_ROW, FIRST_DATA_ROW + publication.rows.length - 1);
  ws.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    printArea: `A1:${String.fromCharCode(64 + count)}${lastRow}`,
  };
  ws.headerFooter = { oddFooter: '第 &P 页，共 &N 页' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportPublicationExcel(
  publication: Publication,
): Promise<{ fileName: string; data: Buffer; rows: number }> {
  return {
    fileName: publicationFileName(publication, 'xlsx'),
    data: await writePublicationWorkbook(publication),
    rows: publication.rows.length,
  };
}
