import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../db/repositories/device';
import { writeSyncSettings } from '../../../db/repositories/sync';
import { dispatch } from '../../../electron/api';
import { attachmentPath, sha256 } from '../../../electron/services/attachments';
import type { AppContext } from '../../../electron/services/context';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
  reviseInspection,
  signInspection,
} from '../../../electron/services/inspections';
import { exportPlanPdf } from '../../../electron/services/pdf/plan';
import { exportVisitPdf } from '../../../electron/services/pdf/visit-record';
import { draftPlanFor, setPlanStatus, setPlanStatusSigned } from '../../../electron/services/plans';
import { encodePng } from '../../../electron/services/png';
import {
  createViolation,
  listViolations,
  withdrawViolation,
} from '../../../electron/services/violations';
import { ViolationDraftSchema } from '../../../shared/domain/inspection';
import { closeAppContext, createTestContext, tempDir } from '../../helpers/context';
import { thrown, thrownAsync } from '../../helpers/errors';
import {
  answer,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../helpers/inspections';
import { keepArtifacts, pdfText, squeeze } from '../../helpers/pdf';

/**
 * A signature as the pad draws it: dark strokes (a wave and a stroke through it) on white, as a
 * PNG. `seed` moves the strokes, so two people's signatures are different files.
 */
function drawnSignature(seed = 0, width = 300, height = 100): string {
  const png = encodePng(width, height, (x, y) => {
    const wave = height / 2 + Math.sin((x + seed * 17) / 18) * (height / 4);
    const slash = (x * (height / width) + seed * 5) % height;
    const ink = Math.abs(y - wave) < 2.5 || (Math.abs(y - slash) < 2 && x > 40 && x < 220);
    return ink ? [20, 20, 30] : [255, 255, 255];
  });
  return png.toString('base64');
}

/** The images a PDF embeds (pdfimages -list): width and height of each. */
function pdfImages(pdf: Buffer): { width: number; height: number }[] {
  const file = path.join(tempDir('uplift-pdf-'), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  const out = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/))
    .filter((cols) => cols[2] === 'image')
    .map((cols) => ({ width: Number(cols[3]), height: Number(cols[4]) }));
}

function loggedIn(ctx: AppContext): void {
  writeSyncSettings(ctx.db, {
    server: 'http://127.0.0.1:4791',
    token: 'plain-token-for-test',
    user: {
      id: 'u-1',
      username: 'chenlixin',
      displayName: '陈立新',
      role: '专家',
      scope: '640100',
    },
  });
}

describe('signatures, 审定意见, 企业确认, 更正 and 撤销', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  function signedVisit(): string {
    const visit = startSiteInspection(ctx, site);
    const id = visit.inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90, note: '现场读数' });
    answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
    return id;
  }

  describe('on a visit', () => {
    it('stores a member’s signature as PNG evidence that syncs like a photo, and counts it as the member’s confirmation', async () => {
      const id = signedVisit();
      const member = getInspectionDetail(ctx, id).members[0]!;
      const image = drawnSignature(1);
      const detail = await signInspection(ctx, { inspectionId: id, memberId: member.id, image });

      const hash = sha256(Buffer.from(image, 'base64'));
      expect(detail.signatures).toEqual([
        {
          id: expect.any(String) as string,
          sha256: hash,
          signerName: '张伟',
          signerRole: '执法',
          memberId: member.id,
          signedAt: expect.any(Number) as number,
        },
      ]);
      // Not a photo: the evidence grid does not show it.
      expect(detail.evidence).toEqual([]);
      expect(detail.members[0]!.confirmedAt).not.toBeNull();
      // Stored once by hash with the photos, and its rows are in the outbox for the store.
      expect(fs.readFileSync(attachmentPath(ctx.dataDir, hash)).toString('base64')).toBe(image);
      const ops = listOutbox(ctx.db).filter(
        (o) => o.table === 'attachments' || o.table === 'attachment_uses',
      );
      expect(ops.map((o) => [o.table, o.rowId])).toEqual([
        ['attachments', hash],
        ['attachment_uses', detail.signatures[0]!.id],
      ]);
      expect(ops[1]!.values).toMatchObject({
        attachmentId: hash,
        inspectionId: id,
        signerName: '张伟',
        signerRole: '执法',
        memberId: member.id,
      });
    });

    it('lets the enterprise’s representative sign by name, and signing again replaces the earlier signature', async () => {
      const id = signedVisit();
      await signInspection(ctx, {
        inspectionId: id,
        representative: '王强',
        image: drawnSignature(2),
      });
      const again = await signInspection(ctx, {
        inspectionId: id,
        representative: '王强',
        image: drawnSignature(3),
      });
      expect(again.signatures.map((s) => [s.signerName, s.signerRole, s.memberId])).toEqual([
        ['王强', '企业陪同人员', null],
      ]);
      expect(again.signatures[0]!.sha256).toBe(sha256(Buffer.from(drawnSignature(3), 'base64')));
    });

    it('refuses a blank pad and a picture that is not a PNG, storing nothing', async () => {
      const id = signedVisit();
      const member = getInspectionDetail(ctx, id).members[0]!;
      const blank = encodePng(300, 100, () => [255, 255, 255]).toString('base64');
      const e = await thrownAsync(() =>
        signInspection(ctx, { inspectionId: id, memberId: member.id, image: blank }),
      );
      expect(e).toMatchObject({ code: 'invalid_input' });
      expect(e.message).toBe('签名是空白的；请在签名框内写下姓名后再保存');
      const notPng = Buffer.from('not a picture at all').toString('base64');
      expect(
        (
          await thrownAsync(() =>
            signInspection(ctx, { inspectionId: id, memberId: member.id, image: notPng }),
          )
        ).message,
      ).toBe('签名图片不是 PNG 图片，未保存；请重新签名');
      expect(getInspectionDetail(ctx, id).signatures).toEqual([]);
      expect(fs.existsSync(path.join(ctx.dataDir, 'attachments'))).toBe(false);
    });

    it('clears every signature with the confirmations when the record changes after signing', async () => {
      const id = signedVisit();
      const [first, second] = getInspectionDetail(ctx, id).members;
      await signInspection(ctx, {
        inspectionId: id,
        memberId: first!.id,
        image: drawnSignature(1),
      });
      await signInspection(ctx, {
        inspectionId: id,
        representative: '王强',
        image: drawnSignature(2),
      });
      expect(getInspectionDetail(ctx, id).signatures).toHaveLength(2);
      answer(ctx, id, site.cementId, NOX, { fact: 95 });
      const changed = getInspectionDetail(ctx, id);
      expect(changed.signatures).toEqual([]);
      expect(changed.members.map((m) => m.confirmedAt)).toEqual([null, null]);
      expect(second).toBeDefined();
    });

    it('prints each signature on its signing line of the visit record PDF, beside the names', async () => {
      const id = signedVisit();
      const [first, second] = getInspectionDetail(ctx, id).members;
      await signInspection(ctx, {
        inspectionId: id,
        memberId: first!.id,
        image: drawnSignature(1),
      });
      await signInspection(ctx, {
        inspectionId: id,
        memberId: second!.id,
        image: drawnSignature(4, 320, 110),
      });
      await signInspection(ctx, {
        inspectionId: id,
        representative: '王强',
        image: drawnSignature(2),
      });
      finalizeInspection(ctx, id);

      const pdf = await exportVisitPdf(ctx, id);
      keepArtifacts(pdf.bytes, 'visit-record-signed');
      const text = squeeze(pdfText(pdf.bytes));
      expect(text).toContain('执法张伟签字：');
      expect(text).toContain('专家李静签字：');
      expect(text).toContain('企业陪同人员王强签字：');
      expect(text).toContain('在屏幕上签名确认');
      expect(text).not.toContain('企业代表签字');
      // The three drawn signatures are embedded as images at their own size.
      const images = pdfImages(pdf.bytes);
      expect(images.filter((i) => i.width === 300 && i.height === 100)).toHaveLength(2);
      expect(images.filter((i) => i.width === 320 && i.height === 110)).toHaveLength(1);
    });

    it('keeps a finalized record’s signatures: the service and SQLite refuse another, and one naming its answer', async () => {
      const id = signedVisit();
      const members = getInspectionDetail(ctx, id).members;
      for (const m of members) {
        await signInspection(ctx, { inspectionId: id, memberId: m.id, image: drawnSignature(1) });
      }
      const done = finalizeInspection(ctx, id);
      expect(
        (
          await thrownAsync(() =>
            signInspection(ctx, {
              inspectionId: id,
              memberId: members[0]!.id,
              image: drawnSignature(9),
            }),
          )
        ).message,
      ).toBe('检查记录已确认，不能修改；如需更正，请创建修订版本');

      const hash = done.signatures[0]!.sha256;
      const answerId = done.answers[0]!.id;
      const insert = ctx.db.sqlite.prepare(
        `INSERT INTO attachment_uses (id, attachment_id, inspection_id, answer_id, member_id,
           file_name, signer_name, signer_role, created_at, updated_at, updated_by, deleted)
         VALUES (?, ?, ?, ?, ?, '签名.png', '张伟', '执法', 1, '0', 'd', 0)`,
      );
      // A signature naming only the finalized record's answer, as a sync op may: a signature is
      // never on an answer, and the record is finalized (migrations 0018 and 0013 both refuse).
      expect(() => insert.run('u-answer', hash, null, answerId, null)).toThrow(
        '签名须签在一次检查或一份方案的某一版上',
      );
      // The same signature naming the finalized record itself.
      expect(() => insert.run('u-visit', hash, id, null, members[0]!.id)).toThrow(
        '检查记录已确认，不能修改；如需更正，请创建修订版本',
      );
      // A signature of one of its members, put on no visit: found through the member.
      expect(() => insert.run('u-member', hash, null, null, members[0]!.id)).toThrow(
        '检查记录已确认，不能修改；如需更正，请创建修订版本',
      );
      // A draft visit's member's signature put on another draft visit.
      const other = startSiteInspection(ctx, site, { date: '2025-07-01' }).inspection.id;
      const third = startSiteInspection(ctx, site, { date: '2025-08-01' });
      expect(() => insert.run('u-other', hash, other, null, third.members[0]!.id)).toThrow(
        '签名的检查组成员不属于这次检查',
      );
      // Swapping the image of a signature already there.
      expect(() =>
        ctx.db.sqlite
          .prepare('UPDATE attachment_uses SET signer_name = ? WHERE id = ?')
          .run('别人', done.signatures[0]!.id),
      ).toThrow('检查记录已确认，不能修改；如需更正，请创建修订版本');
    });
  });

  describe('更正', () => {
    it('asks for a reason, keeps it on the correction and shows it on the corrected record, and prints it on both', async () => {
      const id = signedVisit();
      for (const m of getInspectionDetail(ctx, id).members) {
        confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      }
      finalizeInspection(ctx, id);
      expect(thrown(() => reviseInspection(ctx, id, ' '))).toMatchObject({
        code: 'invalid_input',
        message: '请填写更正原因（至少2个字）',
      });
      const refused = await dispatch(ctx, 'inspection.revise', { id, reason: '' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

      const why = '氮氧化物读数抄录有误，应为 95 mg/m³';
      const revision = reviseInspection(ctx, id, why);
      expect(revision.inspection.correctionReason).toBe(why);
      expect(getInspectionDetail(ctx, id).revisedBy).toMatchObject({ reason: why });

      const corrected = squeeze(pdfText((await exportVisitPdf(ctx, id)).bytes));
      expect(corrected).toContain(squeeze(`更正原因：${why}`));
      const correction = squeeze(
        pdfText((await exportVisitPdf(ctx, revision.inspection.id)).bytes),
      );
      expect(correction).toContain(squeeze(`更正原因：${why}`));
      expect(correction).toContain('的修订版本');
    });

    it('is refused by SQLite without a reason, as a sync op from another device would be', () => {
      const id = signedVisit();
      expect(() =>
        ctx.db.sqlite
          .prepare(
            `INSERT INTO inspections (id, enterprise_id, date, type, status, revision_of,
               created_at, updated_at, updated_by, deleted)
             VALUES ('r-1', ?, '2025-06-01', '帮扶指导', 'draft', ?, 1, '0', 'd', 0)`,
          )
          .run(site.enterpriseId, id),
      ).toThrow('更正须写明更正原因');
    });
  });

  describe('on a plan', () => {
    function plan() {
      const id = signedVisit();
      for (const m of getInspectionDetail(ctx, id).members) {
        confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      }
      finalizeInspection(ctx, id);
      return draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    }

    it('refuses 专家审定 without an 审定意见 in the service, the API and SQLite', async () => {
      const p = plan();
      const ref = { id: p.plan.id, version: 1, status: '专家审定' as const, by: '陈立新' };
      expect(thrown(() => setPlanStatus(ctx, ref))).toMatchObject({
        code: 'invalid_input',
        message: '专家审定须填写审定意见',
      });
      expect(await dispatch(ctx, 'plan.setStatus', { ...ref, opinion: '   ' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringContaining('审定意见') as string },
      });
      expect(() =>
        ctx.db.sqlite
          .prepare(
            `UPDATE plans SET status = '专家审定', reviewed_version = 1, reviewed_by = '陈立新',
               reviewed_at = 5 WHERE id = ?`,
          )
          .run(p.plan.id),
      ).toThrow('专家审定须填写审定意见');
      expect(ctx.db.sqlite.prepare('SELECT status FROM plans WHERE id = ?').get(p.plan.id)).toEqual(
        { status: '草稿' },
      );
    });

    it('records the 审定意见, the expert’s signature and the account logged in when the expert approves', async () => {
      const p = plan();
      loggedIn(ctx);
      const reviewed = await setPlanStatusSigned(ctx, {
        id: p.plan.id,
        version: 1,
        status: '专家审定',
        by: '陈立新',
        opinion: '措施可行，同意按此方案实施',
        signature: drawnSignature(5),
      });
      expect(reviewed.plan.reviewed).toMatchObject({
        by: '陈立新',
        opinion: '措施可行，同意按此方案实施',
        account: '陈立新（chenlixin）',
        signature: { signerName: '陈立新', signerRole: '审定专家' },
      });
    });

    it('records how the enterprise confirmed and who, refuses it without, and requires a signature for 现场签字', async () => {
      const p = plan();
      setPlanStatus(ctx, {
        id: p.plan.id,
        version: 1,
        status: '专家审定',
        by: '陈立新',
        opinion: '同意',
      });
      const ref = { id: p.plan.id, version: 1, status: '企业确认' as const, by: '马玉梅' };
      expect(thrown(() => setPlanStatus(ctx, ref)).message).toBe(
        '请选择确认方式：现场签字、电话确认或书面回执',
      );
      expect(
        (await thrownAsync(() => setPlanStatusSigned(ctx, { ...ref, method: '现场签字' }))).message,
      ).toBe('现场签字须请确认人当场签名');
      expect(() =>
        ctx.db.sqlite
          .prepare(
            `UPDATE plans SET status = '企业确认', confirmed_version = 1, confirmed_by = '马玉梅',
               confirmed_at = 5 WHERE id = ?`,
          )
          .run(p.plan.id),
      ).toThrow('企业确认须写明确认人和确认方式（现场签字、电话确认或书面回执）');

      loggedIn(ctx);
      const confirmed = await setPlanStatusSigned(ctx, {
        ...ref,
        method: '现场签字',
        signature: drawnSignature(6),
      });
      expect(confirmed.plan.confirmed).toMatchObject({
        by: '马玉梅',
        method: '现场签字',
        account: '陈立新（chenlixin）',
        signature: { signerName: '马玉梅', signerRole: '企业确认人' },
      });
      // A confirmed version's signature cannot be swapped.
      const use = confirmed.plan.confirmed!.signature!;
      expect(() =>
        ctx.db.sqlite
          .prepare('UPDATE attachment_uses SET signer_name = ? WHERE id = ?')
          .run('别人', use.id),
      ).toThrow('方案上的签名签下后不能更换');
      expect(() =>
        ctx.db.sqlite.prepare('DELETE FROM attachment_uses WHERE id = ?').run(use.id),
      ).toThrow('方案上的签名签下后不能更换');
      expect(await dispatch(ctx, 'evidence.remove', { id: use.id })).toMatchObject({
        ok: false,
        error: { code: 'conflict', message: '方案上的签名签下后不能更换' },
      });
    });

    it('prints the 审定意见, how the enterprise confirmed, and the team’s, expert’s and enterprise’s signatures on the plan PDF', async () => {
      const id = signedVisit();
      const members = getInspectionDetail(ctx, id).members;
      for (const [i, m] of members.entries()) {
        await signInspection(ctx, { inspectionId: id, memberId: m.id, image: drawnSignature(i) });
      }
      finalizeInspection(ctx, id);
      const p = draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
      loggedIn(ctx);
      await setPlanStatusSigned(ctx, {
        id: p.plan.id,
        version: 1,
        status: '专家审定',
        by: '陈立新',
        opinion: '措施可行，同意按此方案实施',
        signature: drawnSignature(7, 280, 90),
      });
      await setPlanStatusSigned(ctx, {
        id: p.plan.id,
        version: 1,
        status: '企业确认',
        by: '马玉梅',
        method: '现场签字',
        signature: drawnSignature(8, 260, 80),
      });
      const pdf = await exportPlanPdf(ctx, { id: p.plan.id });
      keepArtifacts(pdf.bytes, 'plan-signed');
      const text = squeeze(pdfText(pdf.bytes));
      expect(text).toContain('审定意见措施可行，同意按此方案实施');
      expect(text).toContain('同步账号陈立新（chenlixin）');
      expect(text).toContain('马玉梅，现场签字');
      const images = pdfImages(pdf.bytes);
      expect(images.filter((i) => i.width === 300 && i.height === 100)).toHaveLength(2);
      expect(images.filter((i) => i.width === 280 && i.height === 90)).toHaveLength(1);
      expect(images.filter((i) => i.width === 260 && i.height === 80)).toHaveLength(1);
    });
  });

  describe('撤销 of a violation', () => {
    it('keeps it listed with who, when, why and the account, and SQLite refuses undoing it', () => {
      loggedIn(ctx);
      const found = createViolation(
        ctx,
        ViolationDraftSchema.parse({
          enterpriseId: site.enterpriseId,
          date: '2025-03-10',
          kind: '超标排放',
          note: null,
          inspectionId: null,
        }),
      );
      withdrawViolation(ctx, { id: found.id, by: '王海军', reason: '误录：当日停产检修' });
      const list = listViolations(ctx, { enterpriseId: site.enterpriseId, asOf: '2025-06-01' });
      expect(list.lockedUntil).toBeNull();
      expect(list.violations).toHaveLength(1);
      expect(list.violations[0]!.withdrawal).toEqual({
        at: expect.any(Number) as number,
        by: '王海军',
        account: '陈立新（chenlixin）',
        reason: '误录：当日停产检修',
      });
      expect(() =>
        ctx.db.sqlite
          .prepare('UPDATE violations SET withdrawn_at = NULL WHERE id = ?')
          .run(found.id),
      ).toThrow('违法记录已撤销，撤销人、时间和原因不能再改');
      expect(() =>
        ctx.db.sqlite
          .prepare(
            `UPDATE violations SET withdrawn_at = 1, withdrawn_by = '', withdraw_reason = 'x'
             WHERE id = ?`,
          )
          .run(
            createViolation(ctx, {
              ...ViolationDraftSchema.parse({
                enterpriseId: site.enterpriseId,
                date: '2025-04-01',
                kind: '超标排放',
                note: null,
                inspectionId: null,
              }),
            }).id,
          ),
      ).toThrow('撤销违法记录须写明撤销人和撤销原因');
    });
  });
});
