import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../electron/api';
import type { AppContext } from '../../../electron/services/context';
import { getInspectionDetail } from '../../../electron/services/inspections';
import { closeAppContext, createTestContext } from '../../helpers/context';
import { thrown } from '../../helpers/errors';
import { answer, createSite, NOX, startVisit, TRUCKS, type Site } from '../../helpers/inspections';

describe('a reading saved to a visit', () => {
  let ctx: AppContext;
  let site: Site;
  let id: string;

  const factOf = (indicatorId: string) =>
    getInspectionDetail(ctx, id).answers.find((a) => a.indicatorId === indicatorId)?.fact ?? null;
  const outboxSize = () =>
    (ctx.db.sqlite.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    id = startVisit(ctx, site).inspection.id;
  });
  afterEach(() => closeAppContext(ctx));

  it('refuses a percentage above 100, saying why, and keeps the value stored before', () => {
    answer(ctx, id, site.cementId, TRUCKS, { fact: 85 });
    const ops = outboxSize();
    const e = thrown(() => answer(ctx, id, site.cementId, TRUCKS, { fact: 120 }));
    expect(e).toMatchObject({ code: 'invalid_input' });
    expect(e.message).toBe(
      '指标“物料公路运输使用国五及以上或新能源车辆比例”（transport.clean-road-share）读数 120% 超出范围：百分比应在 0% 到 100% 之间，未保存，原有的值保留不变',
    );
    expect(factOf(TRUCKS)).toBe(85);
    expect(outboxSize()).toBe(ops);
  });

  it('refuses a negative concentration, naming which of several readings it is', () => {
    answer(ctx, id, site.cementId, NOX, { fact: [42, 57] });
    const e = thrown(() => answer(ctx, id, site.cementId, NOX, { fact: [42, -3] }));
    expect(e.message).toContain('第 2 个读数 -3 mg/m³ 超出范围：浓度不能小于 0 mg/m³');
    expect(factOf(NOX)).toEqual([42, 57]);
  });

  it('reads text typed through a Chinese IME as its number', async () => {
    const result = await dispatch(ctx, 'inspection.saveAnswer', {
      inspectionId: id,
      processId: site.cementId,
      indicatorId: NOX,
      fact: ['４２。５', ' 57 '],
    });
    expect(result).toMatchObject({ ok: true });
    expect(factOf(NOX)).toEqual([42.5, 57]);
  });

  it('refuses text that is not a number through the API, keeping the stored value', async () => {
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    const result = await dispatch(ctx, 'inspection.saveAnswer', {
      inspectionId: id,
      processId: site.cementId,
      indicatorId: NOX,
      fact: '42、57',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringContaining('一个读数框只填一个数值') as unknown,
      },
    });
    expect(factOf(NOX)).toBe(90);
  });

  it('still takes 不适用 for a reading', () => {
    answer(ctx, id, site.cementId, NOX, { fact: 'n/a' });
    expect(factOf(NOX)).toBe('n/a');
  });
});
