import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { getInspectionDetail } from '../../../../electron/services/inspections';
import { createProcess } from '../../../../electron/services/processes';
import { ProcessDraftSchema } from '../../../../shared/domain/process';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { thrown } from '../../../helpers/errors';
import {
  answer,
  createSite,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from '../../../helpers/inspections';

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
    id = startSiteInspection(ctx, site).inspection.id;
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

describe('the measured readings (实测读数) saved with an answer', () => {
  let ctx: AppContext;
  let id: string;
  let smelterId: string;
  const EMISSION = 'general.emission';

  const DUST = {
    outlet: '1#矿热炉排放口',
    pollutant: '颗粒物',
    value: 12.5,
    unit: 'mg/m³',
    oxygenRef: null,
    limit: 30,
  };
  const readingsOf = () =>
    getInspectionDetail(ctx, id).answers.find((a) => a.indicatorId === EMISSION)?.readings ?? [];
  const outboxSize = () =>
    (ctx.db.sqlite.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
  const save = (readings: unknown[]) =>
    dispatch(ctx, 'inspection.saveAnswer', {
      inspectionId: id,
      processId: smelterId,
      indicatorId: EMISSION,
      readings,
    });

  beforeEach(() => {
    ctx = createTestContext();
    const site = createSite(ctx);
    // 电炉法铁合金 has no ruleset: visited with the 通用帮扶检查表.
    smelterId = createProcess(
      ctx,
      ProcessDraftSchema.parse({
        enterpriseId: site.enterpriseId,
        industryCode: 'ferroalloy',
        branch: '电炉法铁合金',
        name: '1#矿热炉',
      }),
    ).id;
    id = startSiteInspection(ctx, site, { processIds: [smelterId] }).inspection.id;
    answer(ctx, id, smelterId, EMISSION, { readings: [DUST] });
  });
  afterEach(() => closeAppContext(ctx));

  it('reads numbers typed through a Chinese IME, and stores them as numbers', async () => {
    const result = await save([
      { ...DUST, value: '１２．５', oxygenRef: '１０。５％', limit: ' ３０ ' },
      { ...DUST, pollutant: '二氧化硫', value: '1,234', unit: 'mg/m³', limit: '' },
    ]);
    expect(result).toMatchObject({ ok: true });
    expect(readingsOf()).toEqual([
      { ...DUST, oxygenRef: 10.5 },
      { ...DUST, pollutant: '二氧化硫', value: 1234, limit: null },
    ]);
  });

  it('refuses a value out of its unit’s range, naming the indicator, reading and field, and changes nothing', async () => {
    const ops = outboxSize();
    const result = await save([DUST, { ...DUST, pollutant: '烟气含湿量', value: 150, unit: '%' }]);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message:
          '指标“排放限值”（general.emission）第 2 条实测读数（1#矿热炉排放口 烟气含湿量）实测值 150% 超出范围：百分比应在 0% 到 100% 之间，未保存，原有的读数保留不变',
        issues: [
          {
            path: 'readings.1.value',
            message:
              '第 2 条实测读数（1#矿热炉排放口 烟气含湿量）实测值 150% 超出范围：百分比应在 0% 到 100% 之间',
          },
        ],
      },
    });
    expect(readingsOf()).toEqual([DUST]);
    expect(outboxSize()).toBe(ops);
  });

  it('refuses text that is not a number, a negative concentration, 基准氧含量 beyond 21% and a negative limit, all at once', async () => {
    const ops = outboxSize();
    const result = await save([
      { ...DUST, value: 'abc' },
      { ...DUST, value: -3, oxygenRef: 25, limit: '-1' },
      { ...DUST, value: '42、57' },
    ]);
    expect(result.ok).toBe(false);
    const error = (result as { error: { message: string; issues: { path: string }[] } }).error;
    expect(error.message).toBe(
      [
        '指标“排放限值”（general.emission）第 1 条实测读数（1#矿热炉排放口 颗粒物）实测值：“abc”不是数值，请填写数字（如 42.5）',
        '第 2 条实测读数（1#矿热炉排放口 颗粒物）实测值 -3 mg/m³ 超出范围：浓度不能小于 0 mg/m³',
        '第 2 条实测读数（1#矿热炉排放口 颗粒物）基准氧含量 25% 超出范围：基准氧含量应在 0% 到 21% 之间',
        '第 2 条实测读数（1#矿热炉排放口 颗粒物）限值 -1 mg/m³ 超出范围：浓度不能小于 0 mg/m³',
        '第 3 条实测读数（1#矿热炉排放口 颗粒物）实测值：一个读数框只填一个数值；多个排口或时段的读数请点“增加读数”逐个填写，未保存，原有的读数保留不变',
      ].join('；'),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'readings.0.value',
      'readings.1.value',
      'readings.1.oxygenRef',
      'readings.1.limit',
      'readings.2.value',
    ]);
    expect(readingsOf()).toEqual([DUST]);
    expect(outboxSize()).toBe(ops);
  });

  it('refuses the same called directly, as the CLI and the demo do', () => {
    const e = thrown(() =>
      answer(ctx, id, smelterId, EMISSION, {
        note: '不应保存',
        readings: [{ ...DUST, value: '' }],
      }),
    );
    expect(e.message).toBe(
      '指标“排放限值”（general.emission）第 1 条实测读数（1#矿热炉排放口 颗粒物）请填写实测值，未保存，原有的读数保留不变',
    );
    const stored = getInspectionDetail(ctx, id).answers.find((a) => a.indicatorId === EMISSION);
    expect(stored).toMatchObject({ note: null, readings: [DUST] });
  });

  it('takes a temperature below zero and a limit in a unit without a range', async () => {
    const result = await save([
      { ...DUST, pollutant: '烟气温度', value: -12, unit: '℃', limit: null },
      { ...DUST, pollutant: '炉膛负压', value: -30, unit: 'Pa', limit: 0 },
    ]);
    expect(result).toMatchObject({ ok: true });
    expect(readingsOf().map((r) => r.value)).toEqual([-12, -30]);
  });
});
