import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { PdfWriter, type PdfSetup } from '../../../../electron/services/pdf/document';
import {
  CJK_FONT_FILES,
  findCjkFonts,
  fontDirCandidates,
  packageFontDir,
} from '../../../../electron/services/pdf/fonts';
import { PROJECT_ROOT } from '../../../../electron/services/paths';
import { encodePng } from '../../../../electron/services/png';
import { tempDir } from '../../../helpers/context';
import {
  KILN_JPEG,
  keepArtifacts,
  pdfFonts,
  pdfPageCount,
  pdfText,
  squeeze,
} from '../../../helpers/pdf';

const SETUP: PdfSetup = {
  title: '测试文件',
  enterprise: '宁夏瑞泰水泥有限公司',
  createdAt: Date.UTC(2025, 5, 1, 3, 0),
};

/** A document with a 120-row table whose every 9th row wraps over several lines. */
function longTable(setup: Partial<PdfSetup> = {}): PdfWriter {
  const w = new PdfWriter({ ...SETUP, ...setup });
  w.title('长表格测试', '记录编号：T-1');
  w.heading('一、指标清单');
  w.table({
    columns: [
      { header: '序号', width: 1, align: 'center' },
      { header: '维度', width: 2 },
      { header: '指标名称', width: 4 },
      { header: '检查结果', width: 3 },
      { header: '说明', width: 4 },
    ],
    rows: Array.from({ length: 120 }, (_, i) => [
      String(i + 1),
      '排放限值',
      `窑尾氮氧化物排放浓度第${i + 1}项`,
      `${40 + i} mg/m³`,
      i % 9 === 0
        ? `第${i + 1}行：${'小时均值，基准含氧量 10%，与手工监测比对一致。'.repeat(3)}`
        : '',
    ]),
  });
  return w;
}

describe('PdfWriter', () => {
  it('breaks a long table across pages, repeating its header row, and numbers every page', async () => {
    const w = longTable();
    const bytes = await w.finish();
    keepArtifacts(bytes, 'long-table');
    const pages = pdfPageCount(bytes);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(w.pageCount).toBe(pages);
    const all = squeeze(pdfText(bytes));
    let last = -1;
    for (let i = 1; i <= 120; i++) {
      const at = all.indexOf(`窑尾氮氧化物排放浓度第${i}项`);
      expect(at, `row ${i}`).toBeGreaterThan(last);
      last = at;
    }
    for (let page = 1; page <= pages; page++) {
      const text = squeeze(pdfText(bytes, page));
      // pdftotext reads the table column by column; each header appears once on every page.
      for (const header of ['序号', '维度', '指标名称', '检查结果', '说明']) {
        expect(text.split(header), `${header} on page ${page}`).toHaveLength(2);
      }
      expect(text).toContain(`第${page}页/共${pages}页`);
      expect(text).toContain('测试文件');
      expect(text).toContain('宁夏瑞泰水泥有限公司');
      expect(text).not.toContain('指标待核实');
    }
    // No wrapped cell lost a line.
    expect(all.match(/与手工监测比对一致。/g)).toHaveLength(14 * 3);
  });

  it('puts 指标待核实 on every page when asked', async () => {
    const bytes = await longTable({ draftMark: true }).finish();
    const pages = pdfPageCount(bytes);
    for (let page = 1; page <= pages; page++) {
      expect(squeeze(pdfText(bytes, page))).toContain('指标待核实');
    }
  });

  it('splits a row taller than a page and loses none of its text', async () => {
    const w = new PdfWriter(SETUP);
    const long = `${'很长的说明文字，'.repeat(600)}到此结束`;
    w.table({
      columns: [
        { header: '指标', width: 1 },
        { header: '说明', width: 3 },
      ],
      rows: [
        ['第一行', long],
        ['第二行', '正常'],
      ],
    });
    const bytes = await w.finish();
    keepArtifacts(bytes, 'tall-row');
    expect(pdfPageCount(bytes)).toBeGreaterThanOrEqual(3);
    const all = squeeze(pdfText(bytes));
    expect(all.match(/很长的说明文字，/g)).toHaveLength(600);
    expect(all).toContain('到此结束');
    expect(all.indexOf('到此结束')).toBeLessThan(all.indexOf('第二行'));
    const lastPage = squeeze(pdfText(bytes, pdfPageCount(bytes)));
    expect(lastPage).toContain('指标说明');
  });

  it('embeds the Chinese font as a subset and no other font, and stays small', async () => {
    const w = new PdfWriter(SETUP);
    w.title('现场帮扶记录').paragraph(
      '中英文混排 Mixed text，数字 12345，单位 mg/m³、≤ 100、≥ 80%。',
    );
    const bytes = await w.finish();
    const fonts = pdfFonts(bytes);
    expect(fonts).toHaveLength(2);
    for (const line of fonts) {
      expect(line).toMatch(
        /^[A-Z]{6}\+NotoSansHans-(Regular|Bold)\s+CID Type 0C\s+Identity-H\s+yes yes yes/,
      );
    }
    expect(bytes.length).toBeLessThan(150_000);
    expect(squeeze(pdfText(bytes))).toContain('数字12345，单位mg/m³、≤100、≥80%。');
  });

  it('gives the same bytes for the same content', async () => {
    const a = await longTable().finish();
    const b = await longTable().finish();
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20250601030000Z)');
  });

  it('draws PNG and JPEG thumbnails and gives other files a caption line', async () => {
    const w = new PdfWriter(SETUP);
    const png = encodePng(64, 48, (x, y) => [x * 4, y * 5, 100]);
    w.thumbnails([
      { data: png, mimeType: 'image/png', caption: ['A.png', '拍摄于 2025-06-01 10:30'], key: 'a' },
      { data: KILN_JPEG, mimeType: 'image/jpeg', caption: ['B.jpg'] },
      { data: png, mimeType: 'image/png', caption: ['A 的副本.png'], key: 'a' },
      { data: Buffer.from('%PDF-1.4'), mimeType: 'application/pdf', caption: ['报告.pdf'] },
      { data: null, mimeType: 'image/jpeg', caption: ['丢失.jpg'], missing: '文件不在本机' },
      {
        data: Buffer.concat([png.subarray(0, 16), Buffer.alloc(40)]),
        mimeType: 'image/png',
        caption: ['损坏.png'],
      },
    ]);
    const bytes = await w.finish();
    keepArtifacts(bytes, 'thumbnails');
    const text = squeeze(pdfText(bytes));
    for (const caption of ['A.png', '拍摄于2025-06-0110:30', 'B.jpg', 'A的副本.png']) {
      expect(text).toContain(caption);
    }
    expect(text).toContain('［未显示缩略图］报告.pdf（PDF文件，请另行查看原件）');
    expect(text).toContain('［未显示缩略图］丢失.jpg（文件不在本机）');
    expect(text).toContain('［未显示缩略图］损坏.png（无法显示的文件）');
    // The same key embeds one image; the JPEG is the second.
    const images = bytes.toString('latin1').match(/\/Subtype \/Image/g) ?? [];
    expect(images).toHaveLength(2);
  });

  it('keeps a heading with what follows it', async () => {
    const w = new PdfWriter(SETUP);
    for (let i = 0; i < 46; i++) w.paragraph(`第 ${i + 1} 段`);
    w.heading('二、末尾的标题');
    w.paragraph('标题后的段落');
    const bytes = await w.finish();
    expect(pdfPageCount(bytes)).toBe(2);
    expect(squeeze(pdfText(bytes, 2))).toContain('二、末尾的标题标题后的段落');
  });

  it('keeps a table row marked keepWithNext on the page of the row after it', async () => {
    /** The pages of a group title row and of the three-line row after it, after n paragraphs. */
    const pagesOf = async (n: number, keep: boolean) => {
      const w = new PdfWriter(SETUP);
      for (let i = 0; i < n; i++) w.paragraph(`第 ${i + 1} 段`);
      w.table({
        columns: [
          { header: '序号', width: 1 },
          { header: '内容', width: 6 },
        ],
        rows: [['1', '表格第一行'], [{ text: '分组标题' }], ['2', '分组首行\n第二行\n第三行']],
        ...(keep ? { keepWithNext: new Set([1]) } : {}),
      });
      const bytes = await w.finish();
      const pages = Array.from({ length: pdfPageCount(bytes) }, (_, i) => pdfText(bytes, i + 1));
      return [
        pages.findIndex((p) => p.includes('分组标题')),
        pages.findIndex((p) => p.includes('分组首行')),
      ];
    };
    let split = 0;
    for (let n = 32; n <= 38; n++) {
      const [group, first] = await pagesOf(n, true);
      expect(group, `${n} paragraphs`).toBe(first);
      const [alone, next] = await pagesOf(n, false);
      if (alone !== next) split++;
    }
    // Without the mark, some of these end a page with the title alone.
    expect(split).toBeGreaterThan(0);
  });
});

describe('findCjkFonts()', () => {
  it('finds the fonts through the installed package, not a fixed node_modules path', () => {
    const dir = packageFontDir();
    expect(dir).not.toBeNull();
    expect(dir).toMatch(/@embedpdf[\\/]fonts-sc[\\/]fonts$/);
    const fonts = findCjkFonts({ UPLIFT_RESOURCES_DIR: tempDir() });
    expect(fonts.regular).toBe(path.join(dir!, CJK_FONT_FILES.regular));
    expect(fs.statSync(fonts.bold).size).toBeGreaterThan(1_000_000);
  });

  it('looks in UPLIFT_FONTS_DIR, resources/fonts, the package, then dist/fonts', () => {
    const resources = tempDir();
    const dirs = fontDirCandidates(
      { UPLIFT_FONTS_DIR: '/opt/fonts', UPLIFT_RESOURCES_DIR: resources },
      '/pkg/fonts',
    );
    expect(dirs).toEqual([
      path.resolve('/opt/fonts'),
      path.join(resources, 'fonts'),
      '/pkg/fonts',
      path.join(PROJECT_ROOT, 'dist', 'fonts'),
    ]);
    fs.mkdirSync(path.join(resources, 'fonts'));
    for (const f of Object.values(CJK_FONT_FILES)) {
      fs.writeFileSync(path.join(resources, 'fonts', f), 'x');
    }
    expect(findCjkFonts({ UPLIFT_RESOURCES_DIR: resources }).regular).toBe(
      path.join(resources, 'fonts', CJK_FONT_FILES.regular),
    );
  });

  it('says in Chinese where it looked when no folder holds both weights', () => {
    const empty = tempDir();
    fs.writeFileSync(path.join(empty, CJK_FONT_FILES.regular), 'x');
    expect(() => findCjkFonts({}, [empty])).toThrow(
      `找不到生成 PDF 所需的中文字体 ${CJK_FONT_FILES.regular} 与 ${CJK_FONT_FILES.bold}（已查找：${empty}）`,
    );
  });
});

describe('the build', () => {
  it('copies both PDF fonts and their licence beside the built app', async () => {
    // @ts-expect-error -- scripts/build.js is plain JavaScript, without declarations
    const { copyPdfFonts } = (await import('../../../../scripts/build.js')) as {
      copyPdfFonts: (dir: string) => string;
    };
    const dir = copyPdfFonts(path.join(tempDir(), 'fonts'));
    expect(fs.readdirSync(dir).sort()).toEqual(
      ['NotoSansHans-Bold.otf', 'NotoSansHans-Regular.otf', 'OFL.txt'].sort(),
    );
    expect(findCjkFonts({}, [dir]).regular).toBe(path.join(dir, CJK_FONT_FILES.regular));
  });
});
