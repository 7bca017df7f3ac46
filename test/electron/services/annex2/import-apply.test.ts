/**
 * Import, writing (import-apply.ts): a hand-filled list written with one op per new row, and a
 * second import of the same file that writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingOpCount } from '../../../../db/repositories/device';
import { importAnnex2, previewAnnex2Import } from '../../../../electron/services/annex2';
import type { AppContext } from '../../../../electron/services/context';
import { CODES } from '../../../fixtures/annex2/make-fixtures';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { fixture, snapshot } from './helpers';

describe('附件2 import: writing', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext({ resources: 'shipped' });
  });
  afterEach(() => closeAppContext(ctx));

  it('imports a hand-filled list with its grades, dates and remarks normalised, one op per new row', async () => {
    const preview = await importAnnex2(ctx, fixture('good.xlsx'));
    expect(preview).toMatchObject({
      rows: 6,
      enterprisesAdded: 5,
      processesAdded: 5,
      changed: [],
      unchanged: 0,
      problems: [],
    });
    expect(pendingOpCount(ctx.db)).toBe(10);
    expect(snapshot(ctx)).toEqual([
      {
        name: '宁夏瑞泰水泥有限公司',
        cityCode: '6401',
        countyCode: '640181',
        industryCode: 'cement',
        branch: '水泥熟料',
        currentGrade: 'B',
        targetGrade: 'A',
        differentiators: '窑尾氮氧化物≤50mg/m³',
        problems: '脱硝效率偏低',
        improvements: '建设SCR脱硝',
        dueDate: '2025-09-30',
        remark: '新建二线同步改造',
      },
      {
        name: '宁夏瑞泰水泥有限公司',
        cityCode: '6401',
        countyCode: '640181',
        industryCode: 'lime-kiln',
        branch: '石灰窑',
        currentGrade: 'C',
        targetGrade: 'B',
        differentiators: null,
        problems: '无组织排放',
        improvements: '料场全封闭',
        dueDate: '2025-09',
        remark: null,
      },
      {
        name: '宁夏惠农焦化有限公司',
        cityCode: '6402',
        countyCode: '640205',
        industryCode: 'coking',
        branch: '常规机焦炉',
        currentGrade: 'B-',
        targetGrade: 'B',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2025-09',
        remark: null,
      },
      {
        name: '宁夏青铜峡铸造有限公司',
        cityCode: '6403',
        countyCode: '640381',
        industryCode: 'casting',
        branch: '铸件生产企业（采用天然气、电炉熔化设备）',
        currentGrade: 'D',
        targetGrade: 'C',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2025-12',
        remark: '园区统一供气后实施',
      },
      {
        name: '宁夏中宁新材料有限公司',
        cityCode: '6405',
        countyCode: '640521',
        industryCode: null,
        branch: null,
        currentGrade: null,
        targetGrade: null,
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: null,
        remark: null,
      },
      {
        name: '宁夏宁东锰业有限公司',
        cityCode: 'NINGDONG',
        countyCode: null,
        industryCode: 'ferroalloy',
        branch: '电解法金属锰（电解锰）',
        currentGrade: '非引领性',
        targetGrade: '引领性',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2026-06',
        remark: null,
      },
    ]);
    const codes = ctx.db.sqlite
      .prepare('SELECT credit_code AS c FROM enterprises WHERE credit_code IS NOT NULL ORDER BY 1')
      .all() as { c: string }[];
    expect(codes.map((r) => r.c).sort()).toEqual([CODES.cement, CODES.coking].sort());
    // New processes are graded by their branch's shipped ruleset where it has one.
    const cement = ctx.db.sqlite
      .prepare("SELECT ruleset_id AS r FROM enterprise_processes WHERE industry_code = 'cement'")
      .get() as { r: string };
    expect(cement.r).toBe('cement-clinker-2020');
  });

  it('changes nothing, and records no ops, when the same file is imported a second time', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const ops = pendingOpCount(ctx.db);
    const before = snapshot(ctx);
    const again = await importAnnex2(ctx, fixture('good.xlsx'));
    expect(again).toMatchObject({
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
      unchanged: 6,
    });
    expect(pendingOpCount(ctx.db)).toBe(ops);
    expect(snapshot(ctx)).toEqual(before);
    // The same list without its 信用代码 column matches by name and county just as well.
    expect(await previewAnnex2Import(ctx, fixture('good-unmerged.xlsx'))).toMatchObject({
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
    });
  });
});
