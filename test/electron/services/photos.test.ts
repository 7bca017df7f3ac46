import fs from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../../electron/services/context';
import {
  addEvidenceFile,
  getInspectionDetail,
  readEvidenceFile,
} from '../../../electron/services/inspections';
import { exportVisitPdf } from '../../../electron/services/pdf/visit-record';
import { photoInfoOf, PRINT_PX, THUMB_PX } from '../../../electron/services/photos';
import { closeAppContext, createTestContext } from '../../helpers/context';
import { thrownAsync } from '../../helpers/errors';
import { createSite, startSiteInspection } from '../../helpers/inspections';
import { ARTIFACTS, pdfText, squeeze } from '../../helpers/pdf';
import { phonePhoto } from '../../helpers/photos';

const MB = 1024 * 1024;

function count(ctx: AppContext, table: string): number {
  return (ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('photos', () => {
  let ctx: AppContext;
  let visitId: string;

  beforeEach(() => {
    ctx = createTestContext();
    visitId = startSiteInspection(ctx, createSite(ctx)).inspection.id;
  });
  afterEach(() => closeAppContext(ctx));

  function add(fileName: string, data: Buffer) {
    return addEvidenceFile(ctx, { inspectionId: visitId, fileName, data, takenAt: null });
  }

  it('keeps the original as the evidence and makes an upright thumbnail and print size of it', async () => {
    // Held upright: 4000×3000 pixels lying on their side (EXIF orientation 6).
    const original = await phonePhoto(1, { width: 4000, height: 3000, orientation: 6 });
    const use = await add('窑尾.jpg', original);

    const stored = await readEvidenceFile(ctx, use.id);
    expect(stored.data.equals(original)).toBe(true);
    expect(stored.photo).toMatchObject({ width: 3000, height: 4000 });

    const thumb = await readEvidenceFile(ctx, use.id, 'thumb');
    const print = await readEvidenceFile(ctx, use.id, 'print');
    expect(thumb.mimeType).toBe('image/jpeg');
    const t = await sharp(thumb.data).metadata();
    const p = await sharp(print.data).metadata();
    expect([t.width, t.height]).toEqual([THUMB_PX * 0.75, THUMB_PX]);
    expect([p.width, p.height]).toEqual([PRINT_PX * 0.75, PRINT_PX]);
    // Upright pixels and no EXIF left to rotate them again (nor a position to leak).
    expect(p.orientation ?? 1).toBe(1);
    expect(p.exif).toBeUndefined();
    expect(thumb.data.length).toBeLessThan(100 * 1024);
  });

  it('never enlarges a small picture', async () => {
    const small = await phonePhoto(2, { width: 640, height: 480 });
    const use = await add('小图.jpg', small);
    const p = await sharp((await readEvidenceFile(ctx, use.id, 'print')).data).metadata();
    expect([p.width, p.height]).toEqual([640, 480]);
  });

  it('reads when and where the photo was taken from its EXIF, and prints both under it', async () => {
    const photo = await phonePhoto(3, {
      takenAt: '2026:05:01 10:31:22',
      gps: { lat: 38.48722, lon: 106.23056 },
    });
    const use = await add('脱硝系统.jpg', photo);
    const read = await readEvidenceFile(ctx, use.id, 'thumb');
    expect(read.photo).toMatchObject({ takenAt: '2026-05-01 10:31' });
    expect(read.photo?.gps?.lat).toBeCloseTo(38.48722, 4);
    expect(read.photo?.gps?.lon).toBeCloseTo(106.23056, 4);

    const pdf = await exportVisitPdf(ctx, visitId);
    const text = squeeze(pdfText(pdf.bytes));
    expect(text).toContain('拍摄于2026-05-0110:31');
    expect(text).toContain('位置：北纬38.4872°东经106.2306°');
  });

  it('reads southern and western positions, and no time or place when the EXIF has none', () => {
    expect(photoInfoOf(undefined, 10, 20)).toEqual({
      width: 10,
      height: 20,
      takenAt: null,
      gps: null,
    });
    expect(photoInfoOf(Buffer.from('not exif'), 1, 1)).toMatchObject({ takenAt: null, gps: null });
  });

  it('refuses a damaged or cut-short picture by name, and stores nothing', async () => {
    const photo = await phonePhoto(4, { width: 800, height: 600 });
    const cut = photo.subarray(0, Math.floor(photo.length / 2));
    const e = await thrownAsync(() => add('半张.jpg', cut));
    expect(e.message).toBe('“半张.jpg”无法作为图片打开（文件已损坏或不完整），未保存');
    const garbage = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)]);
    expect((await thrownAsync(() => add('乱码.jpg', garbage))).message).toContain(
      '无法作为图片打开',
    );
    expect(count(ctx, 'attachments')).toBe(0);
    expect(count(ctx, 'attachment_uses')).toBe(0);
    expect(fs.existsSync(path.join(ctx.dataDir, 'attachments'))).toBe(false);
  });

  it('remakes a derivative that went missing, from the original', async () => {
    const use = await add('一号线.jpg', await phonePhoto(5, { width: 1000, height: 750 }));
    fs.rmSync(path.join(ctx.dataDir, 'derived'), { recursive: true, force: true });
    const thumb = await readEvidenceFile(ctx, use.id, 'thumb');
    expect((await sharp(thumb.data).metadata()).width).toBe(THUMB_PX);
  });

  it('keeps a visit record with 50 phone photos under 15 MB', async () => {
    for (let i = 0; i < 50; i++) await add(`现场-${i + 1}.jpg`, await phonePhoto(100 + i));
    expect(getInspectionDetail(ctx, visitId).evidence).toHaveLength(50);
    const pdf = await exportVisitPdf(ctx, visitId);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'visit-50-photos.pdf'), pdf.bytes);
    expect(pdf.bytes.length).toBeLessThan(15 * MB);
    expect(squeeze(pdfText(pdf.bytes))).toContain('现场-50.jpg');
  }, 180_000);
});
