import { describeUndrawable, type OpenedImage } from './assets';
import { CAPTION_LINE_GAP, COLOR, MARGIN, SIZE } from './style';
import type { Align, SignatureEntry, Thumbnail } from './spec';
import type { TableHost } from './table';

/**
 * The picture blocks of PdfWriter: photos as captioned thumbnails, and the signature lines with
 * their signature images. Drawn through the writer's BlockHost, as tables are through TableHost.
 */

/** What the picture blocks need of the writer, beyond what a table does. */
export interface BlockHost extends TableHost {
  readonly contentWidth: number;
  /** The right edge of the type area. */
  readonly right: number;
  openImage(item: Thumbnail): OpenedImage | null;
  paragraph(text: string, options: { size?: number; color?: string; align?: Align }): void;
  line(x1: number, y: number, x2: number): void;
}

/**
 * Photos as thumbnails, three to a row, each with its caption. Files pdfkit cannot draw (PDF
 * scans, WebP, HEIC), damaged ones and ones not on this device get a caption line instead.
 */
export function drawThumbnails(host: BlockHost, items: readonly Thumbnail[], perRow: number): void {
  const doc = host.doc;
  const gap = 12;
  const cellWidth = (host.contentWidth - gap * (perRow - 1)) / perRow;
  const boxHeight = cellWidth * 0.72;
  const drawable: { item: Thumbnail; image: OpenedImage }[] = [];
  const others: Thumbnail[] = [];
  for (const item of items) {
    const image = host.openImage(item);
    if (image) drawable.push({ item, image });
    else others.push(item);
  }
  const captionSize = SIZE.small;
  for (let i = 0; i < drawable.length; i += perRow) {
    const row = drawable.slice(i, i + perRow).map((d) => ({
      ...d,
      lines: host.wrap(d.item.caption.join('\n'), cellWidth, 'zh', captionSize),
    }));
    const pitch = doc.currentLineHeight(true) + CAPTION_LINE_GAP;
    const captionHeight = Math.max(...row.map((r) => r.lines.length)) * pitch;
    const height = boxHeight + 4 + captionHeight;
    host.flushHeadings(height + 4);
    host.ensureSpace(height + 4);
    const top = doc.y;
    row.forEach(({ image, lines }, j) => {
      const x = MARGIN.left + j * (cellWidth + gap);
      doc.save();
      doc.lineWidth(0.5).strokeColor(COLOR.rule).rect(x, top, cellWidth, boxHeight).stroke();
      doc.restore();
      doc.image(image as unknown as Buffer, x + 2, top + 2, {
        fit: [cellWidth - 4, boxHeight - 4],
        align: 'center',
        valign: 'center',
      });
      host.style('zh', captionSize, COLOR.muted);
      doc.text(lines.join('\n'), x - 1, top + boxHeight + 3, {
        width: cellWidth + 2,
        height: captionHeight + pitch,
        lineGap: CAPTION_LINE_GAP,
        align: 'center',
      });
    });
    doc.y = top + height + 8;
    doc.x = MARGIN.left;
  }
  for (const item of others) {
    const reason = item.missing ?? describeUndrawable(item.mimeType);
    host.paragraph(`［未显示缩略图］${item.caption.join('　')}（${reason}）`, {
      size: SIZE.small + 0.5,
      color: COLOR.muted,
    });
  }
  host.style('zh', SIZE.body, COLOR.text);
}

/** Signature lines, one per person: role and name, 签字 ____, 日期 ____, and a note. */
export function drawSignatures(host: BlockHost, entries: readonly SignatureEntry[]): void {
  const doc = host.doc;
  const rowHeight = 40;
  const cell = (text: string, x: number, y: number, width: number) =>
    doc.text(text, x, y, { width, height: 16, lineBreak: false, ellipsis: true });
  for (const entry of entries) {
    host.flushHeadings(rowHeight);
    host.ensureSpace(rowHeight);
    const top = doc.y;
    const base = top + 18;
    host.style('zh-bold', SIZE.body, COLOR.text);
    cell(entry.role, MARGIN.left, base - 12, 70);
    host.style('zh', SIZE.body, COLOR.text);
    cell(entry.name, MARGIN.left + 72, base - 12, 120);
    const signX = MARGIN.left + 196;
    cell('签字：', signX, base - 12, 40);
    host.line(signX + 34, base + 2, signX + 164);
    const image = entry.image
      ? host.openImage({
          data: entry.image.data,
          mimeType: 'image/png',
          caption: [],
          key: `signature:${entry.image.key}`,
        })
      : null;
    if (image) {
      // Over the line, as ink would be: bottom-aligned, within the line's length.
      doc.image(image as unknown as Buffer, signX + 36, top - 6, {
        fit: [126, 26],
        align: 'center',
        valign: 'bottom',
      });
    } else if (entry.image) {
      host.style('zh', SIZE.small, COLOR.muted);
      cell('（签名图片不在本机）', signX + 36, base - 10, 126);
    }
    const dateX = signX + 178;
    host.style('zh', SIZE.body, COLOR.text);
    cell('日期：', dateX, base - 12, 40);
    if (entry.signedOn) cell(entry.signedOn, dateX + 38, base - 12, host.right - dateX - 38);
    host.line(dateX + 34, base + 2, host.right);
    if (entry.note) {
      host.style('zh', SIZE.small, COLOR.muted);
      doc.text(entry.note, MARGIN.left + 72, base + 5, {
        width: 220,
        height: 12,
        lineBreak: false,
        ellipsis: true,
      });
    }
    doc.y = top + rowHeight;
    doc.x = MARGIN.left;
  }
  host.style('zh', SIZE.body, COLOR.text);
}
