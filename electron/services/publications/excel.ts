import ExcelJS from 'exceljs';

import type { Publication } from '../../../shared/domain/review';
import { NO_TASK } from '../annex2/workbook';
import type { Task } from '../tasks';

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

/** Rows between progress reports and cancellation checks. */
const CHUNK = 1000;

/** The workbook in memory; with a task, phases 生成 (rows) and 写出, cancellable between chunks. */
export async function writePublicationWorkbook(
  publication: Publication,
  task: Task = NO_TASK,
): Promise<Buffer> {
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
  const lines = rowCells(publication);
  for (let k = 0; k < lines.length; k++) {
    if (k % CHUNK === 0) {
      task.progress('生成', k, lines.length);
      await task.checkpoint();
    }
    const row = ws.getRow(FIRST_DATA_ROW + k);
    (lines[k] ?? []).forEach((v, c) => {
      const cell = row.getCell(c + 1);
      cell.style = COLUMN_STYLES[c] ?? STYLE.left;
      if (c === 0) cell.value = k + 1;
      else if (v !== '') cell.value = v;
    });
  }
  task.progress('生成', lines.length, lines.length);
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
  await task.checkpoint();
  task.progress('写出', 0, 1);
  const out = Buffer.from(await wb.xlsx.writeBuffer());
  await task.checkpoint();
  task.progress('写出', 1, 1);
  return out;
}

export async function exportPublicationExcel(
  publication: Publication,
  task: Task = NO_TASK,
): Promise<{ fileName: string; data: Buffer; rows: number }> {
  return {
    fileName: publicationFileName(publication, 'xlsx'),
    data: await writePublicationWorkbook(publication, task),
    rows: publication.rows.length,
  };
}
