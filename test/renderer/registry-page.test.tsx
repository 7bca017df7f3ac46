import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { EnterprisePage } from '../../shared/domain/enterprise';
import { setTransport } from '../../renderer/src/api';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { choose, renderRegistry } from './render';

describe('the 企业台账 page', () => {
  beforeEach(() => resetRegistryStore());
  afterEach(() => setTransport(null));

  it('renders the rows returned by enterprise.list and shows the total', async () => {
    const page: EnterprisePage = {
      total: 42,
      items: [
        enterprise({
          name: '宁夏宝丰能源集团股份有限公司',
          cityCode: 'NINGDONG',
          countyCode: null,
          contactPerson: '张伟',
          contactPhone: '0951-1234567',
        }),
        enterprise({
          name: '银川滨河热电有限公司',
          cityCode: '6401',
          countyCode: '640104',
          address: '兴庆区某路1号',
        }),
      ],
    };
    const fake = fakeTransport({ 'enterprise.list': () => page });
    renderRegistry(fake);

    expect(await screen.findByText('宁夏宝丰能源集团股份有限公司')).toBeTruthy();
    const row = screen.getByText('银川滨河热电有限公司').closest('tr') as HTMLElement;
    expect(within(row).getByText('银川市')).toBeTruthy();
    expect(within(row).getByText('兴庆区')).toBeTruthy();
    expect(within(row).getByText('兴庆区某路1号')).toBeTruthy();
    const ningdong = screen.getByText('宁夏宝丰能源集团股份有限公司').closest('tr') as HTMLElement;
    expect(within(ningdong).getByText('宁东能源化工基地')).toBeTruthy();
    expect(within(ningdong).getByText('张伟')).toBeTruthy();
    expect(screen.getByText('共 42 家企业')).toBeTruthy();
    expect(fake.callsOf('enterprise.list')[0]).toEqual({ offset: 0, limit: 20 });
  });

  it('says a very broad search matched more than it counts, and asks to narrow it', async () => {
    renderRegistry(
      fakeTransport({
        'enterprise.list': () => ({
          total: 1000,
          totalCapped: true,
          items: [enterprise({ name: '宁夏某某有限公司' })],
        }),
      }),
    );

    expect(await screen.findByText('宁夏某某有限公司')).toBeTruthy();
    expect(screen.getByText('匹配超过 1000 家，请缩小搜索范围')).toBeTruthy();
  });

  it('invites the user to add the first enterprise when the registry is empty', async () => {
    renderRegistry(fakeTransport({ 'enterprise.list': () => ({ total: 0, items: [] }) }));

    expect(await screen.findByText('暂无企业，点击“新增企业”添加')).toBeTruthy();
    expect(screen.getByText('共 0 家企业')).toBeTruthy();
  });

  it('searches as the user types and says when nothing matches', async () => {
    const fake = fakeTransport({ 'enterprise.list': () => ({ total: 0, items: [] }) });
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    const box = screen.getByPlaceholderText('搜索企业名称、统一社会信用代码或地址');
    fireEvent.change(box, { target: { value: '宝' } });
    fireEvent.change(box, { target: { value: '宝丰' } });

    await waitFor(() => expect(fake.callsOf('enterprise.list')).toHaveLength(2));
    expect(fake.callsOf('enterprise.list')[1]).toEqual({ text: '宝丰', offset: 0, limit: 20 });
    expect(await screen.findByText('没有符合条件的企业')).toBeTruthy();
  });

  it('filters by city and county, and clears the county when the city changes', async () => {
    const fake = fakeTransport({ 'enterprise.list': () => ({ total: 0, items: [] }) });
    const { container } = renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');
    const toolbar = within(container.querySelector('.registry-toolbar') as HTMLElement);

    await choose(toolbar, '地级市', '银川市');
    await choose(toolbar, '县（市、区）', '兴庆区');
    await waitFor(() =>
      expect(fake.callsOf('enterprise.list').at(-1)).toEqual({
        cityCode: '6401',
        countyCode: '640104',
        offset: 0,
        limit: 20,
      }),
    );

    await choose(toolbar, '地级市', '石嘴山市');
    await waitFor(() =>
      expect(fake.callsOf('enterprise.list').at(-1)).toEqual({
        cityCode: '6402',
        offset: 0,
        limit: 20,
      }),
    );
    expect(toolbar.queryByTitle('兴庆区')).toBeNull();
    expect(await screen.findByText('没有符合条件的企业')).toBeTruthy();
  });

  it('refetches the list when data.changed reports the enterprises table', async () => {
    let items = [enterprise({ name: '宁夏甲企业有限公司' })];
    const fake = fakeTransport({ 'enterprise.list': () => ({ total: items.length, items }) });
    renderRegistry(fake);
    await screen.findByText('宁夏甲企业有限公司');

    items = [...items, enterprise({ name: '宁夏乙企业有限公司' })];
    act(() => fake.emit('data.changed', { tables: ['enterprises'] }));

    expect(await screen.findByText('宁夏乙企业有限公司')).toBeTruthy();
    expect(screen.getByText('共 2 家企业')).toBeTruthy();
  });

  it('goes back to the last page with rows when the page shown empties', async () => {
    let total = 25;
    const fake = fakeTransport({
      'enterprise.list': ({ offset = 0 }) => ({
        total,
        items:
          offset === 0
            ? [enterprise({ name: '宁夏甲企业有限公司' })]
            : offset < total
              ? [enterprise({ name: '宁夏乙企业有限公司' })]
              : [],
      }),
    });
    const { container } = renderRegistry(fake);
    await screen.findByText('宁夏甲企业有限公司');

    fireEvent.click(container.querySelector('.ant-pagination-item-2') as HTMLElement);
    expect(await screen.findByText('宁夏乙企业有限公司')).toBeTruthy();
    expect(fake.callsOf('enterprise.list').at(-1)).toEqual({ offset: 20, limit: 20 });

    total = 20;
    act(() => fake.emit('data.changed', { tables: ['enterprises'] }));

    expect(await screen.findByText('宁夏甲企业有限公司')).toBeTruthy();
    expect(fake.callsOf('enterprise.list').at(-1)).toEqual({ offset: 0, limit: 20 });
  });

  it('deletes an enterprise only after showing what goes with it and the user typing its name', async () => {
    const target = enterprise({ name: '宁夏待删除企业有限公司' });
    let items = [target];
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: items.length, items }),
      'enterprise.deletionSummary': () => ({
        name: target.name,
        processes: 1,
        visits: 3,
        finalizedVisits: 2,
        plans: 1,
        photos: 12,
        violations: 1,
        reasonRequired: true,
        refusal: null,
        trashDays: 30,
      }),
      'enterprise.delete': ({ id }) => {
        items = items.filter((e) => e.id !== id);
        return { id };
      },
    });
    renderRegistry(fake);
    const row = (await screen.findByText('宁夏待删除企业有限公司')).closest('tr') as HTMLElement;

    fireEvent.click(within(row).getByRole('button', { name: /删\s*除/ }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('3 次检查，其中 2 次已定稿（签字确认的正式记录）');
    for (const line of [
      '一企一策方案 1 份',
      '照片和扫描件 12 张',
      '违法记录 1 条',
      '行业与工序 1 项',
    ]) {
      expect(within(dialog).getByText(line)).toBeTruthy();
    }
    const remove = within(dialog).getByRole('button', { name: '删除并移入回收站' });
    fireEvent.change(within(dialog).getByLabelText('输入企业全称确认'), {
      target: { value: '宁夏待删除企业' },
    });
    expect(within(dialog).getByText('与企业全称不一致')).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText('输入企业全称确认'), {
      target: { value: target.name },
    });
    // Finalized visits go too: no reason, no delete.
    expect((remove as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('删除原因'), { target: { value: '重复录入' } });
    expect((remove as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(remove);

    await waitFor(() =>
      expect(fake.callsOf('enterprise.delete')).toEqual([
        { id: target.id, confirmName: target.name, reason: '重复录入' },
      ]),
    );
    expect(await screen.findByText('暂无企业，点击“新增企业”添加')).toBeTruthy();
    expect(
      await screen.findByText('已将“宁夏待删除企业有限公司”移入回收站，30 天内可恢复'),
    ).toBeTruthy();
  });

  it('says why an account may not delete an enterprise holding finalized visits, and offers no delete', async () => {
    const target = enterprise({ name: '宁夏有正式记录企业有限公司' });
    const refusal =
      '该企业的 2 次已定稿检查是签字确认的正式记录，帮扶队员账号不能删除；需要市级审核、自治区复审、管理员账号';
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 1, items: [target] }),
      'enterprise.deletionSummary': () => ({
        name: target.name,
        processes: 0,
        visits: 2,
        finalizedVisits: 2,
        plans: 0,
        photos: 0,
        violations: 0,
        reasonRequired: true,
        refusal,
        trashDays: 30,
      }),
    });
    renderRegistry(fake);
    const row = (await screen.findByText(target.name)).closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: /删\s*除/ }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText(refusal)).toBeTruthy();
    const input = within(dialog).getByLabelText<HTMLInputElement>('输入企业全称确认');
    expect(input.disabled).toBe(true);
    const remove = within(dialog).getByRole('button', { name: '删除并移入回收站' });
    expect((remove as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows why the list could not be loaded', async () => {
    renderRegistry(fakeTransport({}));

    expect(await screen.findByText('企业列表加载失败')).toBeTruthy();
    expect(screen.getByText('未知的接口方法：enterprise.list')).toBeTruthy();
  });
});
