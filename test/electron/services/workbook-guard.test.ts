import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';

import { ANNEX2_LIMITS } from '../../../electron/services/annex2/workbook';
import {
  RULESET_LIMITS,
  rulesetTemplate,
  rulesetToWorkbook,
} from '../../../electron/services/ruleset-excel';
import { readRulesetFile } from '../../../electron/services/rulesets';
import { checkWorkbook, type WorkbookCheck } from '../../../electron/services/workbook-guard';
import {
  farCellWorkbook,
  mergedRangeWorkbook,
  textCell,
  workbookParts,
  zeroBomb,
  zipBombWorkbook,
  zipFile,
} from '../../fixtures/hostile-workbooks';

const FIXTURES = path.resolve('test', 'fixtures', 'annex2');

function refusal(check: WorkbookCheck): string {
  if (check.ok || check.notAWorkbook) throw new Error(`not refused: ${JSON.stringify(check)}`);
  return check.message;
}

function sheet(sheetData: string, after = ''): Buffer {
  return zipFile(workbookParts([{ name: '清单', sheetData, after }]));
}

describe('checkWorkbook', () => {
  it('lets every 附件2 fixture, the ruleset template and an exported ruleset through', async () => {
    for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.xlsx'))) {
      const check = checkWorkbook(fs.readFileSync(path.join(FIXTURES, file)), ANNEX2_LIMITS);
      if (file === 'not-a-workbook.xlsx') expect(check).toEqual({ ok: false, notAWorkbook: true });
      else expect(check, file).toEqual({ ok: true });
    }
    expect(checkWorkbook(await rulesetTemplate(), RULESET_LIMITS)).toEqual({ ok: true });
    const dir = path.resolve('resources', 'rulesets');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const { ruleset } = readRulesetFile(path.join(dir, file));
      expect(checkWorkbook(await rulesetToWorkbook(ruleset), RULESET_LIMITS), file).toEqual({
        ok: true,
      });
    }
  });

  it('refuses a file larger than the size cap without opening it', () => {
    const data = Buffer.alloc(ANNEX2_LIMITS.fileBytes + 1);
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toBe(
      '文件有 20.0 MB，超过 20 MB 的上限，已拒绝读取',
    );
  });

  it('refuses a zip whose parts declare more than the uncompressed cap, from its directory alone', () => {
    const started = performance.now();
    expect(refusal(checkWorkbook(zipBombWorkbook('honest'), ANNEX2_LIMITS))).toBe(
      '文件解压后超过 100 MB 上限，已拒绝读取',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a zip bomb that declares 1 KB per part once inflating passes the cap', () => {
    for (const part of [undefined, 'xl/media/image1.png', 'docProps/app.xml']) {
      const data = zipBombWorkbook('lie', 3.75 * 1024 ** 3, part);
      expect(refusal(checkWorkbook(data, ANNEX2_LIMITS)), part).toBe(
        '文件解压后超过 100 MB 上限，已拒绝读取',
      );
    }
  });

  it('refuses a part that inflates to more than 100 times its compressed size', () => {
    const bytes = 32 * 1024 * 1024;
    const data = zipFile(
      workbookParts([{ name: '清单' }], {
        extra: [
          { name: 'xl/media/a.bin', data: { deflated: zeroBomb(bytes), declaredSize: bytes } },
        ],
      }),
    );
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toMatch(
      /^文件中的部件“xl\/media\/a\.bin”解压后是压缩时的 [\d,]+ 倍，超过 100 倍的上限（疑似压缩炸弹），已拒绝读取$/,
    );
  });

  it('refuses a zip of more parts than the cap', () => {
    const extra = Array.from({ length: 1000 }, (_v, i) => ({ name: `x/${i}.xml`, data: '<a/>' }));
    expect(
      refusal(checkWorkbook(zipFile(workbookParts([{ name: '清单' }], { extra })), ANNEX2_LIMITS)),
    ).toBe('文件包含 1,005 个部件，超过 1,000 个的上限，已拒绝读取');
  });

  it('refuses a sheet reaching past the row cap, by a cell or by an empty row', () => {
    expect(refusal(checkWorkbook(farCellWorkbook(), ANNEX2_LIMITS))).toBe(
      '工作表“附件2”用到第 1,048,576 行，超过 10 万行的上限，已拒绝读取',
    );
    expect(refusal(checkWorkbook(sheet('<row r="100001"/>'), ANNEX2_LIMITS))).toBe(
      '工作表“清单”用到第 100,001 行，超过 10 万行的上限，已拒绝读取',
    );
    // Rows without a number follow the one before.
    expect(refusal(checkWorkbook(sheet('<row r="100000"/><row/>'), ANNEX2_LIMITS))).toContain(
      '用到第 100,001 行',
    );
    expect(checkWorkbook(farCellWorkbook(100_000), ANNEX2_LIMITS)).toEqual({ ok: true });
  });

  it('reads row and cell numbers as an XML parser does: past a ">" or a look-alike in a value, and through references', () => {
    const hidden = [
      `<row x=">" r="200000"/>`,
      `<row x=' r="1"' r="200000"/>`,
      `<row r="1"><c x=">" r="A200000"><v>1</v></c></row>`,
      `<row r="&#50;00000"/>`,
      `<row r="1"><c r="&#x41;200000"><v>1</v></c></row>`,
    ];
    for (const xml of hidden) {
      expect(refusal(checkWorkbook(sheet(xml), ANNEX2_LIMITS)), xml).toContain('用到第 200,000 行');
    }
    expect(refusal(checkWorkbook(sheet('<row r="-3"/>'), ANNEX2_LIMITS))).toBe(
      '工作表“清单”的行号“-3”无效，已拒绝读取',
    );
  });

  it('refuses a cell past the column cap, counting cells written without a reference', () => {
    expect(
      refusal(checkWorkbook(sheet(`<row r="1">${textCell('XFD1', 'x')}</row>`), ANNEX2_LIMITS)),
    ).toBe('工作表“清单”用到第 16,384 列（XFD 列），超过 200 列的上限，已拒绝读取');
    const unnamed = `<row r="1"><c r="GR1"><v>1</v></c><c><v>2</v></c></row>`;
    expect(refusal(checkWorkbook(sheet(unnamed), ANNEX2_LIMITS))).toContain(
      '用到第 201 列（GS 列）',
    );
  });

  it('refuses more cells than the cap, across the sheets', () => {
    const limits = { ...ANNEX2_LIMITS, cells: 10 };
    const row = `<row r="1">${'<c><v>1</v></c>'.repeat(6)}</row>`;
    const data = zipFile(
      workbookParts([
        { name: 'a', sheetData: row },
        { name: 'b', sheetData: row },
      ]),
    );
    expect(refusal(checkWorkbook(data, limits))).toBe('工作簿的单元格超过 10 个的上限，已拒绝读取');
  });

  it('refuses a merged range past the row or column cap, and merges that cover too many cells together', () => {
    expect(refusal(checkWorkbook(mergedRangeWorkbook(), ANNEX2_LIMITS))).toBe(
      '工作表“附件2”的合并单元格区域 A2:XFD1000 过大（超出 10 万行、200 列的上限），已拒绝读取',
    );
    // 520,000 cells each: the second passes 100 万 together.
    const merges = ['<mergeCell ref="A1:M40000"/>', '<mergeCell ref="A2:M40001"/>'];
    const data = sheet('', `<mergeCells>${merges.join('')}</mergeCells>`);
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toBe(
      '工作表“清单”的合并单元格区域 A2:M40001 过大（合并单元格共计上限 100 万个单元格），已拒绝读取',
    );
    const many = sheet('', `<mergeCells>${'<mergeCell ref="A1:B1"/>'.repeat(1001)}</mergeCells>`);
    expect(refusal(checkWorkbook(many, RULESET_LIMITS))).toBe(
      '工作表“清单”的合并单元格超过 1,000 处的上限，已拒绝读取',
    );
  });

  it('refuses data validations and defined names that exceljs would expand past the cap', () => {
    const validation = `<dataValidations count="1"><dataValidation type="list" sqref="B2:B1000 D1:D1048576"><formula1>"A,B"</formula1></dataValidation></dataValidations>`;
    expect(refusal(checkWorkbook(sheet('', validation), RULESET_LIMITS))).toBe(
      '工作表“清单”的数据验证区域 D1:D1048576 过大（数据验证和名称共计上限 20 万个单元格），已拒绝读取',
    );
    const named = zipFile(
      workbookParts([{ name: '清单' }], {
        definedNames: `<definedName name="全部">'清单'!$A$1:$XFD$1048576</definedName>`,
      }),
    );
    expect(refusal(checkWorkbook(named, RULESET_LIMITS))).toBe(
      `工作簿的名称“全部”引用的区域 '清单'!$A$1:$XFD$1048576 过大（数据验证和名称共计上限 20 万个单元格），已拒绝读取`,
    );
  });

  it('names a sheet by what the workbook calls it, without its control or direction characters', () => {
    const data = zipFile(
      workbookParts([{ name: '清单\u202Etxt.exe', sheetData: '<row r="200000"/>' }]),
    );
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toContain(
      '工作表“清单?txt.exe”用到第 200,000 行',
    );
  });

  it('reads the sizes of a ZIP64 directory from its extra fields', () => {
    const parts = workbookParts([{ name: '清单', sheetData: '<row r="1"/>' }]);
    expect(checkWorkbook(zipFile(parts, { zip64: true }), ANNEX2_LIMITS)).toEqual({ ok: true });
    const bytes = 5 * 1024 ** 3;
    const bomb = workbookParts([
      { name: '清单', part: { deflated: zeroBomb(16 * 1024 * 1024), declaredSize: bytes } },
    ]);
    expect(refusal(checkWorkbook(zipFile(bomb, { zip64: true }), ANNEX2_LIMITS))).toBe(
      '文件解压后超过 100 MB 上限，已拒绝读取',
    );
  });

  it('takes data that is not a zip, or a zip that cannot be inflated, for no workbook at all', () => {
    const notZip = { ok: false, notAWorkbook: true };
    expect(checkWorkbook(Buffer.from('not a workbook'), ANNEX2_LIMITS)).toEqual(notZip);
    const broken = zipFile(
      workbookParts([
        { name: '清单', part: { deflated: Buffer.from([0xff, 0xff]), declaredSize: 10 } },
      ]),
    );
    expect(checkWorkbook(broken, ANNEX2_LIMITS)).toEqual(notZip);
    // A zip that is only its end record: no parts, nothing to refuse, exceljs says the rest.
    expect(checkWorkbook(zipFile([]), ANNEX2_LIMITS)).toEqual({ ok: true });
    expect(zlib.inflateRawSync(zeroBomb(16 * 1024 * 1024)).length).toBe(16 * 1024 * 1024);
  });
});

describe('checkWorkbook, review of #14: what still gets through', () => {
  it('refuses a merged range, validation or name written as exceljs reads it but not as the guard does (A2:X_FD1000)', () => {
    // exceljs's colCache.decode skips every character that is not a capital letter or a digit
    // before the row number: "A2:X_FD1000" is A2:XFD1000 to it, 16 million cells to merge (the
    // ruleset import lets exceljs merge) or to validate (both imports); the guard's decodeRange
    // does not read it and counts nothing. Rows past 7 digits are skipped the same way.
    expect(refusal(checkWorkbook(mergedRangeWorkbook('A2:X_FD1000'), RULESET_LIMITS))).toContain(
      '合并单元格',
    );
    expect(refusal(checkWorkbook(mergedRangeWorkbook('A2:B99999999'), RULESET_LIMITS))).toContain(
      '合并单元格',
    );
    const validation = `<dataValidations count="1"><dataValidation type="list" sqref="A2:X_FD1000"><formula1>"A,B"</formula1></dataValidation></dataValidations>`;
    expect(refusal(checkWorkbook(sheet('', validation), ANNEX2_LIMITS))).toContain('数据验证');
  });

  it('reads a cell reference as exceljs does: X_FD2 is column XFD, past the column cap', () => {
    // The guard counts a reference it cannot read as the next column; exceljs's decodeAddress
    // skips the "_" and puts the cell in column 16,384.
    const data = sheet(`<row r="2"><c r="X_FD2"><v>1</v></c></row>`);
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toContain('列');
  });

  it('refuses a column definition spanning millions of columns (<col min="1" max="50000000">)', () => {
    // exceljs's Column.fromModel makes one Column object per column from 1 to max: this 2 KB file
    // runs node out of heap in exceljs's load (checked by hand with --max-old-space-size=256), and
    // the guard reads no <col> at all.
    const data = zipFile(
      workbookParts([
        {
          name: '清单',
          part: `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="1" max="50000000" width="9"/></cols><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
        },
      ]),
    );
    expect(refusal(checkWorkbook(data, RULESET_LIMITS))).toContain('列');
    expect(refusal(checkWorkbook(data, ANNEX2_LIMITS))).toContain('列');
  });

  it('scans a worksheet that JSZip names through a Unicode Path extra field', async () => {
    // The raw name says xl/data.xml (not a worksheet to the guard); the extra field 0x7075, which
    // JSZip prefers for a name without the UTF-8 flag, says xl/worksheets/sheet1.xml.
    const parts = workbookParts([
      {
        name: '附件2',
        sheetData: `<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>`,
        after: `<mergeCells count="1"><mergeCell ref="A2:XFD1000"/></mergeCells>`,
      },
    ]);
    const data = zipWithUnicodePath(
      parts.map((p) => ({
        name: p.name === 'xl/worksheets/sheet1.xml' ? 'xl/data.xml' : p.name,
        unicodePath: p.name === 'xl/worksheets/sheet1.xml' ? p.name : undefined,
        data: Buffer.from(p.data as string),
      })),
    );
    const zip = await JSZip.loadAsync(data);
    expect(zip.file('xl/worksheets/sheet1.xml')).not.toBeNull();
    expect(checkWorkbook(data, ANNEX2_LIMITS).ok).toBe(false);
  });
});

/** A zip without the UTF-8 name flag; a part may carry an Info-ZIP Unicode Path extra field. */
function zipWithUnicodePath(
  parts: readonly { name: string; unicodePath: string | undefined; data: Buffer }[],
): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'latin1');
    const deflated = zlib.deflateRawSync(part.data);
    const crc = zlib.crc32(part.data) >>> 0;
    let extra = Buffer.alloc(0);
    if (part.unicodePath !== undefined) {
      const path = Buffer.from(part.unicodePath, 'utf8');
      extra = Buffer.alloc(9 + path.length);
      extra.writeUInt16LE(0x7075, 0);
      extra.writeUInt16LE(5 + path.length, 2);
      extra.writeUInt8(1, 4);
      extra.writeUInt32LE(zlib.crc32(name) >>> 0, 5);
      path.copy(extra, 9);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(part.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, deflated);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(deflated.length, 20);
    entry.writeUInt32LE(part.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt16LE(extra.length, 30);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name, extra);
    offset += local.length + name.length + deflated.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
