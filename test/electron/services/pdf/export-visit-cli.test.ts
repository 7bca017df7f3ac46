import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runUplift } from '../../../helpers/cli';
import { closeAppContext, openAppContext } from '../../../../electron/services/context';
import { FIXTURE_RESOURCES, sequentialIds, steppingClock, tempDir } from '../../../helpers/context';
import { pdfText, printedVisit, squeeze } from '../../../helpers/pdf';

const run = runUplift;

/** A data folder holding one finalized visit, its photos stored beside the database. */
function dataDirWithVisit(): { dir: string; id: string; number: string } {
  const dir = tempDir();
  const ctx = openAppContext({
    dataDir: dir,
    mode: 'cli',
    now: steppingClock(),
    newId: sequentialIds(),
    resourcesDir: FIXTURE_RESOURCES,
  });
  try {
    const { inspection } = printedVisit(ctx).detail;
    return { dir, id: inspection.id, number: inspection.number };
  } finally {
    closeAppContext(ctx);
  }
}

describe('uplift export visit', () => {
  it('writes the visit record as a PDF and says how many pages it has', async () => {
    const { dir, id } = dataDirWithVisit();
    const out = path.join(tempDir(), '现场帮扶记录.pdf');
    const r = await run(['--data-dir', dir, 'export', 'visit', id, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^已导出现场帮扶记录（\d+ 页）：/);
    const bytes = fs.readFileSync(out);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squeeze(pdfText(bytes));
    expect(text).toContain('宁夏瑞泰水泥有限公司');
    expect(text).toContain('厂区全景.jpg');
    expect(text).not.toContain('未显示缩略图］厂区全景.jpg');

    const json = await run(['--data-dir', dir, '--json', 'export', 'visit', id, '--out', out]);
    expect(JSON.parse(json.out)).toMatchObject({
      file: out,
      fileName: '现场帮扶记录-宁夏瑞泰水泥有限公司-20250601.pdf',
      bytes: bytes.length,
    });
  });

  it('finds the visit by the record number printed on it, in any letter case', async () => {
    const { dir, number } = dataDirWithVisit();
    expect(number).toMatch(/^银川-2025-0001-[0-9A-Z]{4}$/);
    const out = path.join(tempDir(), '现场帮扶记录.pdf');
    const r = await run(['--data-dir', dir, 'export', 'visit', number.toLowerCase(), '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(squeeze(pdfText(fs.readFileSync(out)))).toContain(`记录编号：${number}`);

    const unknown = await run([
      '--data-dir',
      dir,
      'export',
      'visit',
      '银川-2025-0002-ZZZZ',
      '--out',
      out,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未找到编号为“银川-2025-0002-ZZZZ”的检查记录');
  });

  it('exits 2 with a Chinese message for an unknown visit, writing nothing', async () => {
    const { dir } = dataDirWithVisit();
    const out = path.join(tempDir(), 'x.pdf');
    const r = await run([
      '--data-dir',
      dir,
      'export',
      'visit',
      '01900000-0000-7000-8000-999999999999',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(
      '错误：检查记录不存在或已删除（编号 01900000-0000-7000-8000-999999999999）',
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exits 2 without --out, and when the file cannot be written', async () => {
    const { dir, id } = dataDirWithVisit();
    expect((await run(['--data-dir', dir, 'export', 'visit', id])).code).toBe(2);
    const r = await run([
      '--data-dir',
      dir,
      'export',
      'visit',
      id,
      '--out',
      path.join(tempDir(), 'no-such-folder', 'x.pdf'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('无法写入');
  });
});
