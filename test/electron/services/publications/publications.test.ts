import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import {
  getPublication,
  listPublications,
  previewPublication,
  publicationEdition,
  publishPublication,
} from '../../../../electron/services/publications';
import { trashEnterprise } from '../../../../electron/services/trash';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';

import { CEMENT, enterprise, grade, logIn, MANGANESE } from './helpers';

describe('信息公开: the results list, its editions and who may publish them', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  const publish = (scope: string, title?: string) =>
    publishPublication(ctx, { scope, title: title ?? null, publishedBy: '李审' });

  it('lists every enterprise with an official grade now, named and sorted by city, county and name', () => {
    const b = enterprise(ctx, '乙水泥有限公司', '6401', '640104', [CEMENT, MANGANESE]);
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640105', [CEMENT]);
    const c = enterprise(ctx, '丙铁合金有限公司', '6402', '640202', [MANGANESE]);
    enterprise(ctx, '丁没有认定等级的公司', '6401', '640104', [CEMENT]);
    grade(ctx, b.id, 'B', '2026-03-01');
    grade(ctx, a.id, 'A', '2026-02-01');
    grade(ctx, c.id, '引领性', '2026-04-01', c.processIds[0] ?? null);

    const city = previewPublication(ctx, { scope: '6401' });
    expect(city.scopeName).toBe('银川市');
    expect(city.rows).toEqual([
      {
        enterpriseName: '乙水泥有限公司',
        creditCode: null,
        cityName: '银川市',
        countyName: '兴庆区',
        industries: '水泥、铁合金',
        grade: 'B',
        gradeDate: '2026-03-01',
      },
      {
        enterpriseName: '甲建材有限公司',
        creditCode: null,
        cityName: '银川市',
        countyName: '西夏区',
        industries: '水泥',
        grade: 'A',
        gradeDate: '2026-02-01',
      },
    ]);
    const region = previewPublication(ctx, { scope: 'region' });
    expect(region.rows.map((r) => `${r.cityName}${r.enterpriseName}${r.industries}`)).toEqual([
      '银川市乙水泥有限公司水泥、铁合金',
      '银川市甲建材有限公司水泥',
      '石嘴山市丙铁合金有限公司铁合金',
    ]);
    expect(region.title).toBe('宁夏回族自治区重污染天气重点行业绩效分级结果公示（第1期）');
  });

  it('takes the latest grade by effective date, and leaves out revoked grades and deleted enterprises', () => {
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    const b = enterprise(ctx, '乙水泥有限公司', '6401', '640104', [CEMENT]);
    const gone = enterprise(ctx, '戊已删除公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    grade(ctx, a.id, 'A', '2026-01-01'); // recorded later, effective earlier: B still holds
    grade(ctx, b.id, 'C', '2026-01-01');
    grade(ctx, b.id, null, '2026-06-01');
    grade(ctx, gone.id, 'C', '2026-01-01');
    trashEnterprise(ctx, { id: gone.id, confirmName: '戊已删除公司' });

    const rows = previewPublication(ctx, { scope: '6401' }).rows;
    expect(rows.map((r) => [r.enterpriseName, r.grade, r.gradeDate])).toEqual([
      ['甲建材有限公司', 'B', '2026-05-01'],
    ]);
  });

  it('is refused when the device is not logged in, naming the account needed', () => {
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    expect(thrown(() => publish('6401')).message).toBe(
      '发布银川市的认定结果须登录银川市市级审核账号；本机尚未登录同步账号',
    );
    expect(previewPublication(ctx, { scope: '6401' })).toMatchObject({
      allowed: false,
      why: '发布银川市的认定结果须登录银川市市级审核账号；本机尚未登录同步账号',
    });
    expect(listPublications(ctx, {})).toEqual([]);
  });

  it('lets only the city’s 市级审核 publish a city list and only 自治区复审 the region’s', () => {
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    logIn(ctx, '市级审核', '6402');
    expect(thrown(() => publish('6401')).message).toBe(
      '发布银川市的认定结果须由银川市市级审核账号进行；当前账号是石嘴山市的市级审核',
    );
    logIn(ctx, '市级审核', '6401');
    expect(thrown(() => publish('region')).message).toBe(
      '发布宁夏回族自治区的认定结果须由自治区复审账号进行；当前账号是市级审核',
    );
    logIn(ctx, '帮扶队员', '6401');
    expect(thrown(() => publish('6401')).code).toBe('forbidden');
    logIn(ctx, '自治区复审', 'region');
    expect(thrown(() => publish('6401')).message).toContain('当前账号是自治区复审');
    expect(publish('region').edition).toBe(1);
  });

  it('previews the account’s own scope when none is asked for, else the region', () => {
    expect(previewPublication(ctx, {})).toMatchObject({ scope: 'region', accountScope: null });
    logIn(ctx, '市级审核', '6403');
    expect(previewPublication(ctx, {})).toMatchObject({ scope: '6403', scopeName: '吴忠市' });
    logIn(ctx, '专家', '某个未知范围');
    expect(previewPublication(ctx, {}).scope).toBe('region');
  });

  it('refuses an unknown scope and an empty list', () => {
    logIn(ctx, '市级审核', '6401');
    expect(thrown(() => publish('9999')).message).toBe(
      '未知的发布范围“9999”：应为某个地级市或全区',
    );
    expect(thrown(() => publish('6401')).message).toBe('没有可公示的认定结果');
    expect(previewPublication(ctx, {}).why).toBe('没有可公示的认定结果');
  });

  it('freezes an edition: a later grade change does not alter it, and needs a new edition', () => {
    logIn(ctx, '市级审核', '6401');
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    const first = publish('6401');
    expect(first).toMatchObject({
      scope: '6401',
      edition: 1,
      title: '银川市重污染天气重点行业绩效分级结果公示（第1期）',
      publishedBy: '李审',
      account: '李审（lishen）',
      rowCount: 1,
    });

    grade(ctx, a.id, 'C', '2026-07-01');
    expect(getPublication(ctx, first.id).rows[0]).toMatchObject({
      grade: 'B',
      gradeDate: '2026-05-01',
    });
    const preview = previewPublication(ctx, {});
    expect(preview).toMatchObject({
      scope: '6401',
      nextEdition: 2,
      allowed: true,
      sameAs: null,
      accountScope: '6401',
      accountName: '李审',
    });

    const second = publish('6401', '银川市绩效分级结果公示（调整）');
    expect(second).toMatchObject({ edition: 2, title: '银川市绩效分级结果公示（调整）' });
    expect(getPublication(ctx, second.id).rows[0]?.grade).toBe('C');
    expect(getPublication(ctx, first.id).rows[0]?.grade).toBe('B');
    expect(listPublications(ctx, { scope: '6401' }).map((p) => p.edition)).toEqual([2, 1]);
    expect(publicationEdition(ctx, '6401', null).edition).toBe(2);
    expect(publicationEdition(ctx, '6401', 1).rows[0]?.grade).toBe('B');
  });

  it('refuses to publish again when nothing changed since the last edition', () => {
    logIn(ctx, '市级审核', '6401');
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    publish('6401');
    expect(thrown(() => publish('6401')).message).toBe('与第1期内容相同，无需重新发布');
    expect(previewPublication(ctx, { scope: '6401' })).toMatchObject({
      sameAs: 1,
      allowed: false,
      why: '与第1期内容相同，无需重新发布',
    });
    expect(listPublications(ctx, {})).toHaveLength(1);
  });

  it('numbers editions within each scope', () => {
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    const b = enterprise(ctx, '乙铁合金有限公司', '6402', '640202', [MANGANESE]);
    grade(ctx, a.id, 'B', '2026-05-01');
    logIn(ctx, '市级审核', '6401');
    expect(publish('6401').edition).toBe(1);
    logIn(ctx, '自治区复审', 'region');
    expect(publish('region').edition).toBe(1);
    grade(ctx, b.id, 'A', '2026-05-02');
    expect(publish('region').edition).toBe(2);
    expect(listPublications(ctx, {}).map((p) => `${p.scope}:${p.edition}`)).toEqual([
      'region:2',
      'region:1',
      '6401:1',
    ]);
    expect(thrown(() => publicationEdition(ctx, '6402', null)).message).toBe(
      '石嘴山市尚未发布认定结果公示名单（须先在“信息公开”中发布一期）',
    );
    expect(thrown(() => publicationEdition(ctx, 'region', 3)).message).toBe(
      '宁夏回族自治区没有第3期认定结果公示名单',
    );
  });

  it('answers through the API: preview, publish, list and get', async () => {
    logIn(ctx, '市级审核', '6401');
    const a = enterprise(ctx, '甲建材有限公司', '6401', '640104', [CEMENT]);
    grade(ctx, a.id, 'B', '2026-05-01');
    const published = await dispatch(ctx, 'publication.publish', {
      scope: '6401',
      publishedBy: '李审',
    });
    expect(published.ok).toBe(true);
    const list = await dispatch(ctx, 'publication.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ edition: 1, rowCount: 1 }] });
    const unknown = await dispatch(ctx, 'publication.get', {
      id: '01900000-0000-7000-8000-000000009999',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
