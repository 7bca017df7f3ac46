/**
 * Photos (issue #16): adding a 6 MB phone photo — checks, hash, durable store, thumbnail and print
 * size — against copying the same file (write + fsync), and rendering a visit record with 50
 * photos, whose images are their print sizes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { closeAppContext, openAppContext } from '../electron/services/context';
import { addEvidenceFile } from '../electron/services/inspections';
import { exportVisitPdf } from '../electron/services/pdf/visit-record';
import { FIXTURE_RESOURCES } from '../test/helpers/context';
import { createSite, startSiteInspection } from '../test/helpers/inspections';
import { phonePhoto } from '../test/helpers/photos';

const ADDS = Number(process.env.BENCH_PHOTO_ADDS ?? 5);
const PDF_PHOTOS = 50;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'uplift-bench-photos-'));
}

/** Raw baseline: the bytes written to a new file and fsynced, as a file copy does. */
function copyFile(dir: string, data: Buffer, i: number): number {
  const t0 = performance.now();
  const fd = fs.openSync(path.join(dir, `copy-${i}.jpg`), 'wx', 0o600);
  fs.writeFileSync(fd, data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  return performance.now() - t0;
}

export async function photoBenches(): Promise<void> {
  const dataDir = tempDir();
  const ctx = openAppContext({
    dataDir,
    mode: 'cli',
    databaseFile: path.join(dataDir, 'u.db'),
    resourcesDir: FIXTURE_RESOURCES,
  });
  try {
    const visitId = startSiteInspection(ctx, createSite(ctx)).inspection.id;
    const copies = tempDir();
    const raw: number[] = [];
    const added: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ADDS; i++) {
      // 12 MP, about 6 MB: a phone's photo.
      const photo = await phonePhoto(i, { width: 4000, height: 3000, orientation: 6 });
      bytes = photo.length;
      raw.push(copyFile(copies, photo, i));
      const t0 = performance.now();
      await addEvidenceFile(ctx, {
        inspectionId: visitId,
        fileName: `p${i}.jpg`,
        data: photo,
        takenAt: null,
      });
      added.push(performance.now() - t0);
    }
    const rawMs = median(raw);
    const addMs = median(added);
    console.log(`Adding a ${(bytes / 1024 / 1024).toFixed(1)} MB, 12 MP photo (median of ${ADDS})`);
    console.log(`  copy of the file (write + fsync)        ${rawMs.toFixed(1).padStart(8)} ms`);
    console.log(
      `  addEvidenceFile (check, store, derive)  ${addMs.toFixed(1).padStart(8)} ms   ratio ${(addMs / rawMs).toFixed(1)} ×`,
    );

    const pdfVisit = startSiteInspection(ctx, createSite(ctx, '宁夏五十张照片水泥有限公司'))
      .inspection.id;
    for (let i = 0; i < PDF_PHOTOS; i++) {
      await addEvidenceFile(ctx, {
        inspectionId: pdfVisit,
        fileName: `现场-${i + 1}.jpg`,
        data: await phonePhoto(100 + i),
        takenAt: null,
      });
    }
    const t0 = performance.now();
    const pdf = await exportVisitPdf(ctx, pdfVisit);
    const pdfMs = performance.now() - t0;
    console.log(`Visit record PDF with ${PDF_PHOTOS} photos`);
    console.log(
      `  render                                  ${pdfMs.toFixed(0).padStart(8)} ms   ${pdf.pages} pages, ${(pdf.bytes.length / 1024 / 1024).toFixed(1)} MB (budget 15 MB)\n`,
    );
  } finally {
    closeAppContext(ctx);
  }
}
