import { afterAll, describe, expect, it } from 'vitest';

import { listEnterprises, SEARCH_COUNT_CAP } from '../../db/repositories/enterprises';
import { fillDemo } from '../../electron/services/demo';
import { createEnterprise, updateEnterprise } from '../../electron/services/enterprises';
import { trashEnterprise } from '../../electron/services/trash';
import { createProcess } from '../../electron/services/processes';
import { EnterpriseDraftSchema, EnterpriseQuerySchema } from '../../shared/domain/enterprise';
import { ProcessDraftSchema } from '../../shared/domain/process';
import { closeAppContext, createTestContext } from '../helpers/context';

const q = (query: object) => EnterpriseQuerySchema.parse({ limit: 500, ...query });
const names = (ctx: ReturnType<typeof createTestContext>, query: object) =>
  listEnterprises(ctx.db, q(query)).items.map((e) => e.name);

describe('registry search', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));
  const add = (name: string, address: string | null = null, countyCode = '640104') =>
    createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({ name, cityCode: '6401', countyCode, address }),
    );

  const ruitai = add('宁夏瑞泰水泥有限公司', '兴庆区建设路1号');
  add('宁夏天元锰业有限公司', '灵武市宁东镇', '640181');
  add('宁夏“OR”测试有限公司');

  it('reports the total of a very broad search as capped, and pages it in filing order', () => {
    const big = createTestContext({ resources: 'shipped' });
    fillDemo(big, { enterprises: SEARCH_COUNT_CAP + 200, seed: 4 });
    const page = listEnterprises(big.db, q({ text: '宁夏', limit: 50, offset: 950 }));
    expect(page).toMatchObject({ total: SEARCH_COUNT_CAP, totalCapped: true });
    expect(page.items).toHaveLength(50);
    expect(
      page.items.every((e) => e.name.includes('宁夏') || (e.address ?? '').includes('宁夏')),
    ).toBe(true);
    const created = page.items.map((e) => e.createdAt);
    expect([...created].sort((a, b) => a - b)).toEqual(created);
    const next = listEnterprises(big.db, q({ text: '宁夏', limit: 50, offset: 1000 }));
    expect(next.items.some((e) => page.items.some((p) => p.id === e.id))).toBe(false);
    closeAppContext(big);
  });

  it('finds any three-character part of a name through the trigram index', () => {
    expect(names(ctx, { text: '瑞泰水' })).toEqual(['宁夏瑞泰水泥有限公司']);
    expect(names(ctx, { text: '有限公司' })).toHaveLength(3);
  });

  it('finds one- and two-character parts too', () => {
    expect(names(ctx, { text: '锰' })).toEqual(['宁夏天元锰业有限公司']);
    expect(names(ctx, { text: '瑞泰' })).toEqual(['宁夏瑞泰水泥有限公司']);
  });

  it('finds by address', () => {
    expect(names(ctx, { text: '宁东镇' })).toEqual(['宁夏天元锰业有限公司']);
  });

  it('takes search operators and quotes as plain text', () => {
    expect(names(ctx, { text: '“OR”' })).toEqual(['宁夏“OR”测试有限公司']);
    expect(names(ctx, { text: '瑞泰 OR 天元' })).toEqual([]);
    expect(names(ctx, { text: '"瑞泰' })).toEqual([]);
  });

  it('matches nothing, and does not fail, for a search holding NUL', () => {
    // Straight to the repository: whatever the API's schema lets through, the query is safe.
    for (const text of ['\u0000', '水\u0000', '水泥\u0000有限', '\u0000\u0000\u0000', '"\u0000"']) {
      const page = listEnterprises(ctx.db, { text, offset: 0, limit: 50 });
      expect(page, JSON.stringify(text)).toEqual({ total: 0, items: [] });
    }
  });

  it('still finds an enterprise by its unchanged name after its address or code changes', () => {
    const tianyuan = add('宁夏天元化工有限公司', '永宁县太沙工业园区', '640121');
    updateEnterprise(
      ctx,
      tianyuan.id,
      EnterpriseDraftSchema.parse({
        name: '宁夏天元化工有限公司',
        cityCode: '6401',
        countyCode: '640104',
        address: '银川市兴庆区新华街1号',
      }),
    );
    expect(names(ctx, { text: '天元化工' })).toEqual(['宁夏天元化工有限公司']);
    expect(names(ctx, { text: '化工' })).toEqual(['宁夏天元化工有限公司']);
    expect(names(ctx, { text: '新华街' })).toEqual(['宁夏天元化工有限公司']);
    expect(names(ctx, { text: '太沙' })).toEqual([]);
    trashEnterprise(ctx, { id: tianyuan.id, confirmName: '宁夏天元化工有限公司' });
  });

  it('follows renames and deletes', () => {
    updateEnterprise(
      ctx,
      ruitai.id,
      EnterpriseDraftSchema.parse({
        name: '宁夏瑞丰水泥有限公司',
        cityCode: '6401',
        countyCode: '640104',
      }),
    );
    expect(names(ctx, { text: '瑞泰水' })).toEqual([]);
    expect(names(ctx, { text: '瑞丰水' })).toEqual(['宁夏瑞丰水泥有限公司']);
    trashEnterprise(ctx, { id: ruitai.id, confirmName: '宁夏瑞丰水泥有限公司' });
    expect(names(ctx, { text: '瑞丰水' })).toEqual([]);
  });
});

describe('registry filters by industry and grade', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));
  const e1 = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({ name: '水泥一厂', cityCode: '6401', countyCode: '640104' }),
  );
  const e2 = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({ name: '锰业一厂', cityCode: 'NINGDONG' }),
  );
  createProcess(
    ctx,
    ProcessDraftSchema.parse({
      enterpriseId: e1.id,
      industryCode: 'cement',
      branch: '水泥熟料',
      currentGrade: 'C',
      targetGrade: 'B',
    }),
  );
  createProcess(
    ctx,
    ProcessDraftSchema.parse({
      enterpriseId: e2.id,
      industryCode: 'ferroalloy',
      branch: '电解锰',
      currentGrade: '非引领性',
      targetGrade: '引领性',
    }),
  );
  createProcess(
    ctx,
    ProcessDraftSchema.parse({
      enterpriseId: e2.id,
      industryCode: 'cement',
      branch: '粉磨站',
      currentGrade: 'B',
      targetGrade: 'A',
    }),
  );

  it('keeps enterprises with a process of the industry', () => {
    expect(names(ctx, { industryCode: 'cement' }).sort()).toEqual(['水泥一厂', '锰业一厂']);
    expect(names(ctx, { industryCode: 'ferroalloy' })).toEqual(['锰业一厂']);
  });

  it('matches industry and grades on the same process', () => {
    expect(names(ctx, { industryCode: 'cement', targetGrade: 'B' })).toEqual(['水泥一厂']);
    expect(names(ctx, { industryCode: 'ferroalloy', targetGrade: 'B' })).toEqual([]);
    expect(names(ctx, { currentGrade: '非引领性' })).toEqual(['锰业一厂']);
  });
});

describe('the search indexes and a LIKE scan', () => {
  it('agree on substrings of every length from the demo registry, page and total', () => {
    const ctx = createTestContext({ resources: 'shipped' });
    // Enough rows that a common text (有限公司) takes the index-walk path, a rare one the sort path.
    fillDemo(ctx, { enterprises: 2600, seed: 3 });
    const sample = listEnterprises(ctx.db, q({ limit: 40 })).items;
    for (const e of sample) {
      for (const text of [
        e.name.slice(2, 5),
        e.name.slice(4, 8),
        e.name.slice(3, 5),
        e.name.slice(6, 7),
        (e.address ?? '').slice(8, 12),
        (e.creditCode ?? '').slice(5, 11),
        (e.creditCode ?? '').slice(9, 11).toLowerCase(),
        '有限公司',
      ]) {
        if (text === '') continue;
        const indexed = listEnterprises(ctx.db, q({ text, limit: 20 }));
        const scanned = listEnterprises(ctx.db, q({ text, limit: 20 }), 'like');
        if (indexed.totalCapped) {
          expect(indexed.total, text).toBe(SEARCH_COUNT_CAP);
          expect(scanned.total, text).toBeGreaterThan(SEARCH_COUNT_CAP);
        } else {
          expect(indexed.total, text).toBe(scanned.total);
        }
        // A capped search pages in filing order; otherwise both pages are in registry order.
        if (!indexed.totalCapped) {
          expect(
            indexed.items.map((x) => x.id),
            text,
          ).toEqual(scanned.items.map((x) => x.id));
        }
      }
    }
    closeAppContext(ctx);
  });
});
