import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox, pendingOpCount } from '../../../db/repositories/device';
import type { AppContext } from '../../../electron/services/context';
import {
  createEnterprise,
  getEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../../electron/services/enterprises';
import { trashEnterprise } from '../../../electron/services/trash';
import { completeCreditCode } from '../../../shared/domain/credit-code';
import {
  EnterpriseDraftSchema,
  EnterpriseQuerySchema,
  type EnterpriseDraftInput,
} from '../../../shared/domain/enterprise';
import { closeAppContext, createTestContext } from '../../helpers/context';
import { thrown } from '../../helpers/errors';

const CODE = completeCreditCode('91640100MA75X1234');

function draft(over: Partial<EnterpriseDraftInput> = {}) {
  return EnterpriseDraftSchema.parse({
    name: '宁夏瑞泰水泥有限公司',
    creditCode: CODE,
    cityCode: '6401',
    countyCode: '640104',
    address: '银川市兴庆区建设路1号',
    ...over,
  });
}

const query = (q: object = {}) => EnterpriseQuerySchema.parse(q);

describe('enterprise services', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  it('files an enterprise and reads it back', () => {
    const e = createEnterprise(ctx, draft());
    expect(getEnterprise(ctx, e.id)).toMatchObject({
      name: '宁夏瑞泰水泥有限公司',
      creditCode: CODE,
      countyCode: '640104',
    });
    expect(pendingOpCount(ctx.db)).toBe(1);
  });

  it('refuses a second enterprise with the same credit code and saves nothing', () => {
    createEnterprise(ctx, draft());
    const err = thrown(() => createEnterprise(ctx, draft({ name: '别的公司' })));
    expect(err.code).toBe('conflict');
    expect(err.message).toContain('已登记为“宁夏瑞泰水泥有限公司”');
    expect(listEnterprises(ctx, query()).total).toBe(1);
    expect(pendingOpCount(ctx.db)).toBe(1);
  });

  it('refuses the same name twice in one county', () => {
    createEnterprise(ctx, draft({ creditCode: null }));
    const err = thrown(() => createEnterprise(ctx, draft({ creditCode: null })));
    expect(err.message).toBe('银川市兴庆区已有同名企业“宁夏瑞泰水泥有限公司”');
  });

  it('allows the same name in another county', () => {
    createEnterprise(ctx, draft({ creditCode: null }));
    expect(() =>
      createEnterprise(ctx, draft({ creditCode: null, countyCode: '640105' })),
    ).not.toThrow();
  });

  it('records only changed fields when an enterprise is edited', () => {
    const e = createEnterprise(ctx, draft());
    const updated = updateEnterprise(ctx, e.id, draft({ contactPerson: '马军' }));
    expect(updated.contactPerson).toBe('马军');
    expect(listOutbox(ctx.db).at(-1)?.values).toEqual({ contactPerson: '马军' });
  });

  it('lets an enterprise keep its own credit code when edited', () => {
    const e = createEnterprise(ctx, draft());
    expect(() => updateEnterprise(ctx, e.id, draft({ address: '新地址' }))).not.toThrow();
  });

  it('says an enterprise that does not exist is not found', () => {
    const err = thrown(() =>
      updateEnterprise(ctx, '01900000-0000-7000-8000-999999999999', draft()),
    );
    expect(err.code).toBe('not_found');
  });

  it('hides a deleted enterprise but keeps its tombstone for sync', () => {
    const e = createEnterprise(ctx, draft());
    trashEnterprise(ctx, { id: e.id, confirmName: e.name });
    expect(listEnterprises(ctx, query()).total).toBe(0);
    expect(thrown(() => getEnterprise(ctx, e.id)).code).toBe('not_found');
    expect(listOutbox(ctx.db).at(-1)?.values).toEqual({
      deleted: true,
      deletedAt: expect.any(Number) as number,
      deletedBy: '本机（未登录同步账号）',
    });
    // Its credit code is free again.
    expect(() => createEnterprise(ctx, draft())).not.toThrow();
  });

  it('finds enterprises by any part of the name, credit code or address', () => {
    createEnterprise(ctx, draft());
    createEnterprise(
      ctx,
      draft({
        name: '宁夏天元锰业有限公司',
        creditCode: null,
        countyCode: '640181',
        address: '灵武市宁东镇',
      }),
    );
    expect(listEnterprises(ctx, query({ text: '锰业' })).items.map((e) => e.name)).toEqual([
      '宁夏天元锰业有限公司',
    ]);
    expect(listEnterprises(ctx, query({ text: CODE.slice(4, 12) })).total).toBe(1);
    expect(listEnterprises(ctx, query({ text: '宁东镇' })).total).toBe(1);
    expect(listEnterprises(ctx, query({ text: '%' })).total).toBe(0);
  });

  it('filters by city and county and pages through the list', () => {
    for (let i = 0; i < 5; i++)
      createEnterprise(ctx, draft({ name: `企业${i}`, creditCode: null }));
    createEnterprise(
      ctx,
      draft({ name: '石嘴山企业', creditCode: null, cityCode: '6402', countyCode: '640221' }),
    );
    expect(listEnterprises(ctx, query({ cityCode: '6402' })).total).toBe(1);
    expect(listEnterprises(ctx, query({ cityCode: '6401', countyCode: '640104' })).total).toBe(5);
    const page = listEnterprises(ctx, query({ limit: 2, offset: 2 }));
    expect(page.total).toBe(6);
    expect(page.items).toHaveLength(2);
  });

  it('announces each change so the screens refresh', () => {
    const seen: string[][] = [];
    ctx.events.subscribe((_event, payload) => {
      if ('tables' in payload) seen.push(payload.tables);
    });
    const e = createEnterprise(ctx, draft());
    updateEnterprise(ctx, e.id, draft());
    trashEnterprise(ctx, { id: e.id, confirmName: e.name });
    // The no-op edit announced nothing.
    expect(seen).toEqual([
      ['enterprises'],
      ['enterprises', 'enterprise_processes', 'inspections', 'plans', 'plan_versions'],
    ]);
  });
});
