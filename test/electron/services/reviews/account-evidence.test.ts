import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { addEvidence, removeEvidence } from '../../../../electron/services/inspections';
import { getApplicationDetail, reviewAccount } from '../../../../electron/services/reviews';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import { createSite, type Site } from '../../../helpers/inspections';

import { apply, decide, finalizedVisit, logIn } from './setup';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1');

describe('the review account (review.account)', () => {
  let ctx: AppContext;

  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  it('says a device that is not logged in may only submit, and why', () => {
    expect(reviewAccount(ctx)).toEqual({
      account: null,
      role: null,
      scope: null,
      steps: ['提交'],
      mayPublishCity: false,
      mayPublishRegion: false,
      mayRecordAPlus: false,
      mayChangeGrade: false,
      why: '本机未登录中心库账号，审核须用市级审核或自治区复审账号登录（在“同步”页登录）',
    });
  });

  it('gives a city reviewer 初审 and 评定 and the city list', () => {
    logIn(ctx, '市级审核', '6401', 'ycshenhe');
    expect(reviewAccount(ctx)).toEqual({
      account: '审核员（ycshenhe）',
      role: '市级审核',
      scope: '6401',
      steps: ['提交', '市级初审', '市级评定'],
      mayPublishCity: true,
      mayPublishRegion: false,
      mayRecordAPlus: false,
      mayChangeGrade: true,
      why: null,
    });
  });

  it('gives the region reviewer 复审, the region list and A+', () => {
    logIn(ctx, '自治区复审', 'region');
    expect(reviewAccount(ctx)).toMatchObject({
      steps: ['提交', '自治区复审'],
      mayPublishCity: false,
      mayPublishRegion: true,
      mayRecordAPlus: true,
      mayChangeGrade: true,
      why: null,
    });
  });

  it('tells a team member which roles may review', async () => {
    logIn(ctx, '帮扶队员', '6401');
    const result = await dispatch(ctx, 'review.account', {});
    expect(result).toMatchObject({
      ok: true,
      value: {
        steps: ['提交'],
        mayChangeGrade: false,
        why: '帮扶队员账号不能审核申报：市级初审和市级评定须由市级审核账号作出，自治区复审须由自治区复审账号作出',
      },
    });
  });
});

describe('application evidence (evidence.add with applicationId)', () => {
  let ctx: AppContext;
  let site: Site;
  let applicationId: string;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    applicationId = apply(ctx, site, { inspectionIds: [finalizedVisit(ctx, site)] }).id;
  });
  afterEach(() => closeAppContext(ctx));

  it('attaches a file to the application and lists it among its materials', () => {
    const use = addEvidence(ctx, { applicationId, fileName: '监测报告.pdf', data: PDF });
    expect(use).toMatchObject({ applicationId, inspectionId: null, violationId: null });
    expect(getApplicationDetail(ctx, applicationId).materials.evidence).toEqual([
      {
        id: use.id,
        attachmentId: use.sha256,
        fileName: '监测报告.pdf',
        mimeType: 'application/pdf',
      },
    ]);
    removeEvidence(ctx, use.id);
    expect(getApplicationDetail(ctx, applicationId).materials.evidence).toEqual([]);
  });

  it('takes no more material once the application is decided', () => {
    const use = addEvidence(ctx, { applicationId, fileName: '监测报告.pdf', data: PDF });
    logIn(ctx, '市级审核', '6401');
    decide(ctx, applicationId, '市级初审', '不予通过');
    expect(
      thrown(() => addEvidence(ctx, { applicationId, fileName: '补充.pdf', data: PDF })).message,
    ).toBe('该申报已审核完毕（不予通过），材料不能再更改');
    expect(thrown(() => removeEvidence(ctx, use.id)).code).toBe('conflict');
  });

  it('refuses evidence naming two targets, or an indicator of an application', async () => {
    const file = { fileName: '报告.pdf', dataBase64: PDF.toString('base64') };
    const two = await dispatch(ctx, 'evidence.add', {
      applicationId,
      violationId: applicationId,
      file,
    });
    expect(two.ok ? '' : two.error.message).toContain(
      '证据须附在一次检查、一条违法记录或一份申报上',
    );
    const indicator = await dispatch(ctx, 'evidence.add', {
      applicationId,
      processId: site.cementId,
      indicatorId: 'x',
      file,
    });
    expect(indicator.ok ? '' : indicator.error.message).toContain('申报材料不能附到指标上');
    const ok = await dispatch(ctx, 'evidence.add', { applicationId, file });
    expect(ok).toMatchObject({ ok: true, value: { applicationId } });
  });
});
