import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import { startHost } from '../../../../electron/host/server';
import { pendingOpCount } from '../../../../db/repositories/device';
import { attachmentPath, sniffMimeType } from '../../../../electron/services/attachments';
import type { AppContext } from '../../../../electron/services/context';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
  readEvidence,
  removeEvidence,
} from '../../../../electron/services/inspections';
import { encodePng } from '../../../../electron/services/png';
import { createViolation, listViolations } from '../../../../electron/services/violations';
import { ViolationDraftSchema } from '../../../../shared/domain/inspection';
import { closeAppContext, createTestContext, tempDir } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, NOX, startSiteInspection, type Site } from '../../../helpers/inspections';
import { photoOfSize } from '../../../helpers/photos';

const MB = 1024 * 1024;
const PHOTO = encodePng(32, 24, (x, y) => [x * 8, y * 10, 90]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
/** A Windows program: "MZ", then its DOS stub. */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(200)]);

/** A file of `size` bytes that starts like a JPEG. */
function jpegOfSize(size: number): Buffer {
  const data = Buffer.alloc(size, 0x20);
  JPEG_MAGIC.copy(data);
  return data;
}

function storedFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'attachments');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function count(ctx: AppContext, table: string): number {
  return (ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('evidence', () => {
  let ctx: AppContext;
  let site: Site;
  let visitId: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    visitId = startSiteInspection(ctx, site).inspection.id;
  });
  afterEach(() => closeAppContext(ctx));

  it('stores the same bytes once, with a use per attachment keeping its own name and time', () => {
    const first = addEvidence(ctx, {
      inspectionId: visitId,
      fileName: 'IMG_0001.png',
      data: PHOTO,
      takenAt: Date.UTC(2025, 5, 1, 2, 30),
    });
    const second = addEvidence(ctx, {
      inspectionId: visitId,
      processId: site.cementId,
      indicatorId: NOX,
      fileName: '窑尾CEMS屏幕.png',
      data: Buffer.from(PHOTO),
      takenAt: Date.UTC(2025, 5, 1, 3, 0),
    });
    expect(first.sha256).toBe(second.sha256);
    expect(first.sha256).toMatch(/^[0-9a-f]{64}$/);
    const file = attachmentPath(ctx.dataDir, first.sha256);
    expect(file).toBe(
      path.join(ctx.dataDir, 'attachments', first.sha256.slice(0, 2), first.sha256),
    );
    expect(storedFiles(ctx.dataDir)).toEqual([file]);
    expect(fs.readFileSync(file).equals(PHOTO)).toBe(true);
    expect(count(ctx, 'attachments')).toBe(1);

    const evidence = getInspectionDetail(ctx, visitId).evidence;
    expect(evidence.map((e) => [e.fileName, e.takenAt, e.processId, e.indicatorId])).toEqual([
      ['IMG_0001.png', Date.UTC(2025, 5, 1, 2, 30), null, null],
      ['窑尾CEMS屏幕.png', Date.UTC(2025, 5, 1, 3, 0), site.cementId, NOX],
    ]);
    expect(evidence[0]).toMatchObject({ mimeType: 'image/png', size: PHOTO.length });
  });

  it('attaches a photo to an answer not given yet, leaving its fact unknown', () => {
    const use = addEvidence(ctx, {
      inspectionId: visitId,
      processId: site.cementId,
      indicatorId: NOX,
      fileName: 'nox.png',
      data: PHOTO,
    });
    const detail = getInspectionDetail(ctx, visitId);
    expect(detail.answers).toEqual([
      expect.objectContaining({ id: use.answerId, indicatorId: NOX, fact: null }),
    ]);
    expect(detail.grading.processes[0]!.answered).toBe(0);
  });

  it('refuses a program renamed .jpg, judged by its content, and stores nothing', () => {
    const ops = pendingOpCount(ctx.db);
    const err = thrown(() =>
      addEvidence(ctx, { inspectionId: visitId, fileName: '现场照片.jpg', data: EXE }),
    );
    expect(err.code).toBe('invalid_input');
    expect(err.message).toBe(
      '“现场照片.jpg”不是图片（JPEG、PNG、WebP、HEIC）或 PDF 文件（按文件内容判断，与扩展名无关），未保存',
    );
    expect(storedFiles(ctx.dataDir)).toEqual([]);
    expect(pendingOpCount(ctx.db)).toBe(ops);
    expect(count(ctx, 'attachment_uses')).toBe(0);
  });

  it('refuses a file over 20 MB by name and takes one of exactly 20 MB', () => {
    const err = thrown(() =>
      addEvidence(ctx, {
        inspectionId: visitId,
        fileName: '扫描件.jpg',
        data: jpegOfSize(21 * MB),
      }),
    );
    expect(err.message).toBe('“扫描件.jpg”有 21.0 MB，超过 20 MB 的上限，未保存');
    expect(storedFiles(ctx.dataDir)).toEqual([]);
    const ok = addEvidence(ctx, {
      inspectionId: visitId,
      fileName: 'full.jpg',
      data: jpegOfSize(20 * MB),
    });
    expect(ok.size).toBe(20 * MB);
  });

  it('tells images and PDFs by their magic bytes, whatever their names', () => {
    const riff = Buffer.concat([
      Buffer.from('RIFF'),
      Buffer.from([0x24, 0, 0, 0]),
      Buffer.from('WEBPVP8 '),
    ]);
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 0x18]),
      Buffer.from('ftypheic'),
      Buffer.alloc(8),
    ]);
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1');
    expect(sniffMimeType(PHOTO)).toBe('image/png');
    expect(sniffMimeType(JPEG_MAGIC)).toBe('image/jpeg');
    expect(sniffMimeType(riff)).toBe('image/webp');
    expect(sniffMimeType(heic)).toBe('image/heic');
    expect(sniffMimeType(pdf)).toBe('application/pdf');
    expect(sniffMimeType(EXE)).toBeNull();
    expect(sniffMimeType(Buffer.from('just some text, not a scan'))).toBeNull();
    const scan = addEvidence(ctx, { inspectionId: visitId, fileName: '监测报告', data: pdf });
    expect(scan.mimeType).toBe('application/pdf');
    expect(
      thrown(() =>
        addEvidence(ctx, {
          inspectionId: visitId,
          fileName: '报告.pdf',
          data: Buffer.from('hello'),
        }),
      ).message,
    ).toContain('“报告.pdf”不是图片');
    expect(
      thrown(() =>
        addEvidence(ctx, { inspectionId: visitId, fileName: 'empty.png', data: Buffer.alloc(0) }),
      ).message,
    ).toBe('“empty.png”是空文件，未保存');
  });

  it('writes the file before its row, so a failed row leaves a file and never a row without one', () => {
    ctx.db.sqlite.exec(
      `CREATE TEMP TRIGGER fail_use BEFORE INSERT ON attachment_uses BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    expect(() =>
      addEvidence(ctx, { inspectionId: visitId, fileName: 'a.png', data: PHOTO }),
    ).toThrow('disk full');
    expect(storedFiles(ctx.dataDir)).toHaveLength(1);
    expect(count(ctx, 'attachments')).toBe(0);
    expect(count(ctx, 'attachment_uses')).toBe(0);
    ctx.db.sqlite.exec('DROP TRIGGER temp.fail_use');
    // Trying again reuses the stored file.
    const use = addEvidence(ctx, { inspectionId: visitId, fileName: 'a.png', data: PHOTO });
    expect(storedFiles(ctx.dataDir)).toEqual([attachmentPath(ctx.dataDir, use.sha256)]);
  });

  it('reads a file back with its original name, checking it against its hash', () => {
    const use = addEvidence(ctx, { inspectionId: visitId, fileName: '原图.png', data: PHOTO });
    expect(readEvidence(ctx, use.id)).toEqual({
      fileName: '原图.png',
      mimeType: 'image/png',
      data: PHOTO,
    });
    fs.writeFileSync(attachmentPath(ctx.dataDir, use.sha256), Buffer.from('damaged'));
    expect(thrown(() => readEvidence(ctx, use.id)).message).toContain('附件文件已损坏');
  });

  it('removes a use from a draft but keeps the stored file', () => {
    const use = addEvidence(ctx, { inspectionId: visitId, fileName: 'x.png', data: PHOTO });
    removeEvidence(ctx, use.id);
    expect(getInspectionDetail(ctx, visitId).evidence).toEqual([]);
    expect(fs.existsSync(attachmentPath(ctx.dataDir, use.sha256))).toBe(true);
  });

  it('refuses evidence for a finalized visit before writing any file', () => {
    const visit = getInspectionDetail(ctx, visitId);
    for (const m of visit.members)
      confirmInspection(ctx, { inspectionId: visitId, memberId: m.id });
    finalizeInspection(ctx, visitId);
    expect(
      thrown(() => addEvidence(ctx, { inspectionId: visitId, fileName: 'late.png', data: PHOTO }))
        .code,
    ).toBe('conflict');
    expect(storedFiles(ctx.dataDir)).toEqual([]);
  });

  it('attaches evidence to a violation', () => {
    const violation = createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        date: '2025-05-20',
        kind: '偷排偷放',
        inspectionId: visitId,
      }),
    );
    addEvidence(ctx, { violationId: violation.id, fileName: '暗管.png', data: PHOTO });
    const list = listViolations(ctx, { enterpriseId: site.enterpriseId, asOf: '2025-06-01' });
    expect(list.violations[0]!.evidence.map((e) => e.fileName)).toEqual(['暗管.png']);
  });

  describe('through the API', () => {
    const base64 = (data: Buffer) => data.toString('base64');

    it('takes the file as base64 and reads it back', async () => {
      const added = await dispatch(ctx, 'evidence.add', {
        inspectionId: visitId,
        file: { fileName: 'IMG_0002.png', dataBase64: base64(PHOTO) },
        takenAt: 1_748_745_600_000,
      });
      expect(added).toMatchObject({
        ok: true,
        value: { fileName: 'IMG_0002.png', takenAt: 1_748_745_600_000 },
      });
      const id = (added as { value: { id: string } }).value.id;
      expect(await dispatch(ctx, 'evidence.read', { id })).toEqual({
        ok: true,
        value: {
          fileName: 'IMG_0002.png',
          mimeType: 'image/png',
          dataBase64: base64(PHOTO),
          photo: { width: 32, height: 24, takenAt: null, gps: null },
        },
      });
    });

    it('refuses an oversized file at the edge, by name', async () => {
      const result = await dispatch(ctx, 'evidence.add', {
        inspectionId: visitId,
        file: { fileName: '大图.jpg', dataBase64: base64(jpegOfSize(21 * MB)) },
      });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'invalid_input',
          message: '“大图.jpg”有 21.0 MB，超过 20 MB 的上限，未保存',
        },
      });
    });

    /** Runs `body` against a browser-mode host on this context; `post` calls its API. */
    async function overHost(
      body: (post: (method: string, input: unknown) => Promise<Response>) => Promise<void>,
    ): Promise<void> {
      const renderer = tempDir('uplift-renderer-');
      fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
      const host = await startHost({ ctx, port: 0, rendererDir: renderer, token: 'file-token' });
      try {
        await body((method, input) =>
          fetch(`${host.url}api/${method}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: 'Bearer file-token' },
            body: JSON.stringify(input),
          }),
        );
      } finally {
        await host.close();
      }
    }

    it('refuses over the host a file that only mentions %PDF- after its start', async () => {
      // An HTML page with the PDF header in a comment: PDF readers would look for it in the
      // first KB, but a blob of this opened in the app's window must never run as a page.
      const page = Buffer.from(
        '<!doctype html><script>alert(document.domain)</script><!-- %PDF-1.7 -->',
        'latin1',
      );
      await overHost(async (post) => {
        const res = await post('evidence.add', {
          inspectionId: visitId,
          file: { fileName: '报告.pdf', dataBase64: base64(page) },
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          error: { message: expect.stringContaining('“报告.pdf”不是图片') as unknown },
        });
        const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1');
        const ok = await post('evidence.add', {
          inspectionId: visitId,
          file: { fileName: '监测报告.pdf', dataBase64: base64(pdf) },
        });
        expect(await ok.json()).toMatchObject({ value: { mimeType: 'application/pdf' } });
      });
      expect(sniffMimeType(Buffer.concat([Buffer.from(' '), JPEG_MAGIC]))).toBeNull();
    });

    it('keeps over the host a file name without NUL, direction overrides or path separators, and reads it back so', async () => {
      await overHost(async (post) => {
        const res = await post('evidence.add', {
          inspectionId: visitId,
          file: { fileName: '..\\现场\u0000照片\u202Egpj.exe/x.png', dataBase64: base64(PHOTO) },
        });
        expect(res.status).toBe(200);
        const added = ((await res.json()) as { value: { id: string; fileName: string } }).value;
        expect(added.fileName).toBe('_现场照片gpj.exe_x.png');
        const read = await post('evidence.read', { id: added.id });
        expect(await read.json()).toMatchObject({ value: { fileName: '_现场照片gpj.exe_x.png' } });

        // A row synced from a device that kept such a name reads back made safe as well.
        ctx.db.sqlite
          .prepare('UPDATE attachment_uses SET file_name = ? WHERE id = ?')
          .run('发票\u202Efdp.exe\u0000', added.id);
        const again = await post('evidence.read', { id: added.id });
        expect(await again.json()).toMatchObject({ value: { fileName: '发票fdp.exe' } });
        const detail = await post('inspection.get', { id: visitId });
        const evidence = ((await detail.json()) as { value: { evidence: { fileName: string }[] } })
          .value.evidence;
        expect(evidence.map((e) => e.fileName)).toEqual(['发票fdp.exe']);
      });
    });

    it('carries a 20 MB photo over the loopback host', async () => {
      const renderer = tempDir('uplift-renderer-');
      fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
      const host = await startHost({
        ctx,
        port: 0,
        rendererDir: renderer,
        token: 'evidence-token',
      });
      try {
        const res = await fetch(`${host.url}api/evidence.add`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer evidence-token' },
          body: JSON.stringify({
            inspectionId: visitId,
            file: { fileName: '全景.jpg', dataBase64: base64(await photoOfSize(20 * MB)) },
          }),
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ ok: true, value: { size: 20 * MB } });
      } finally {
        await host.close();
      }
    });
  });
});
