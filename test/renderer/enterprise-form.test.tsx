import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../shared/api/errors';
import { completeCreditCode } from '../../shared/domain/credit-code';
import type { EnterpriseDraft } from '../../shared/domain/enterprise';
import { setTransport } from '../../renderer/src/api';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { choose, fieldHelp, openDrawer, renderRegistry } from './render';

const VALID_CODE = completeCreditCode('91640100MA75X1234');
/** The same code with a wrong check character. */
const WRONG_CODE = VALID_CODE.slice(0, 17) + (VALID_CODE.endsWith('0') ? '1' : '0');

function emptyRegistry() {
  return fakeTransport({ 'enterprise.list': () => ({ total: 0, items: [] }) });
}

describe('the enterprise form', () => {
  beforeEach(() => resetRegistryStore());
  afterEach(() => setTransport(null));

  it('shows the check-digit error under the credit-code field and saves nothing', async () => {
    const fake = emptyRegistry();
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.change(drawer.getByLabelText('企业名称'), {
      target: { value: '宁夏测试化工有限公司' },
    });
    fireEvent.change(drawer.getByLabelText('统一社会信用代码'), { target: { value: WRONG_CODE } });
    await choose(drawer, '地级市', '银川市');
    await choose(drawer, '县（市、区）', '兴庆区');
    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(fieldHelp('creditCode')).toMatch(/^统一社会信用代码.*校验位错误/));
    expect(fieldHelp('name')).toBe('');
    expect(fake.calls.map((c) => c.method)).toEqual(['enterprise.list']);
  });

  it('shows a name holding a control character as a problem under the name field and saves nothing', async () => {
    const fake = emptyRegistry();
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.change(drawer.getByLabelText('企业名称'), {
      target: { value: '宁夏测试\u0007化工有限公司' },
    });
    await choose(drawer, '地级市', '银川市');
    await choose(drawer, '县（市、区）', '兴庆区');
    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() =>
      expect(fieldHelp('name')).toBe('企业名称含有无效字符：第 5 个字符是控制字符（U+0007）'),
    );
    expect(fake.calls.map((c) => c.method)).toEqual(['enterprise.list']);
  });

  it('creates the enterprise with the parsed draft when every field is valid', async () => {
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 0, items: [] }),
      'enterprise.create': (draft) => enterprise({ ...(draft as EnterpriseDraft) }),
    });
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.change(drawer.getByLabelText('企业名称'), {
      target: { value: '  宁夏测试化工有限公司 ' },
    });
    // Typed in lower case: the field upper-cases it.
    fireEvent.change(drawer.getByLabelText('统一社会信用代码'), {
      target: { value: VALID_CODE.toLowerCase() },
    });
    await choose(drawer, '地级市', '银川市');
    await choose(drawer, '县（市、区）', '兴庆区');
    fireEvent.change(drawer.getByLabelText('联系电话'), { target: { value: '0951-1234567' } });
    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(fake.callsOf('enterprise.create')).toHaveLength(1));
    const expected: EnterpriseDraft = {
      name: '宁夏测试化工有限公司',
      creditCode: VALID_CODE,
      cityCode: '6401',
      countyCode: '640104',
      address: null,
      contactPerson: null,
      contactPhone: '0951-1234567',
    };
    expect(fake.callsOf('enterprise.create')[0]).toEqual(expected);
    expect(await screen.findByText('已保存')).toBeTruthy();
    await waitFor(() => expect(fake.callsOf('enterprise.list').length).toBeGreaterThanOrEqual(2));
  });

  it('asks for a name and a city before saving anything', async () => {
    const fake = emptyRegistry();
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(fieldHelp('name')).toBe('企业名称不能为空'));
    expect(fieldHelp('cityCode')).toBe('请选择地级市');
    expect(fake.callsOf('enterprise.create')).toHaveLength(0);
  });

  it('lets 宁东能源化工基地 go without a county and says so', async () => {
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 0, items: [] }),
      'enterprise.create': (draft) => enterprise({ ...(draft as EnterpriseDraft) }),
    });
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.change(drawer.getByLabelText('企业名称'), {
      target: { value: '宁东测试煤化工有限公司' },
    });
    await choose(drawer, '地级市', '宁东能源化工基地');

    expect(await drawer.findByText('宁东基地可不填县区')).toBeTruthy();
    const county = drawer.getByLabelText('县（市、区）');
    expect(county.closest('.ant-select')?.classList.contains('ant-select-disabled')).toBe(true);

    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(fake.callsOf('enterprise.create')).toHaveLength(1));
    expect(fake.callsOf('enterprise.create')[0]).toMatchObject({
      cityCode: 'NINGDONG',
      countyCode: null,
    });
  });

  it('shows the reasons the service refuses a save under their fields', async () => {
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 0, items: [] }),
      'enterprise.create': () => {
        throw new AppError('conflict', '统一社会信用代码已被其他企业使用', [
          { path: 'draft.creditCode', message: '统一社会信用代码已被其他企业使用' },
        ]);
      },
    });
    renderRegistry(fake);
    const drawer = await openDrawer(/新增企业/);

    fireEvent.change(drawer.getByLabelText('企业名称'), {
      target: { value: '宁夏测试化工有限公司' },
    });
    fireEvent.change(drawer.getByLabelText('统一社会信用代码'), { target: { value: VALID_CODE } });
    await choose(drawer, '地级市', '银川市');
    await choose(drawer, '县（市、区）', '兴庆区');
    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(fieldHelp('creditCode')).toBe('统一社会信用代码已被其他企业使用'));
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(screen.queryByText('已保存')).toBeNull();
  });

  it('edits an enterprise through enterprise.update with its id', async () => {
    const existing = enterprise({
      name: '银川滨河热电有限公司',
      cityCode: '6401',
      countyCode: '640104',
      contactPerson: '李强',
    });
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 1, items: [existing] }),
      'enterprise.update': (input) => ({
        ...existing,
        ...(input as { draft: EnterpriseDraft }).draft,
      }),
    });
    renderRegistry(fake);
    await screen.findByText('银川滨河热电有限公司');
    const drawer = await openDrawer(/编\s*辑/);

    expect(drawer.getByText('编辑企业')).toBeTruthy();
    expect(drawer.getByLabelText<HTMLInputElement>('企业名称').value).toBe('银川滨河热电有限公司');
    fireEvent.change(drawer.getByLabelText('联系电话'), { target: { value: '13800000000' } });
    fireEvent.click(drawer.getByRole('button', { name: /保\s*存/ }));

    await waitFor(() => expect(fake.callsOf('enterprise.update')).toHaveLength(1));
    expect(fake.callsOf('enterprise.update')[0]).toEqual({
      id: existing.id,
      draft: {
        name: '银川滨河热电有限公司',
        creditCode: null,
        cityCode: '6401',
        countyCode: '640104',
        address: null,
        contactPerson: '李强',
        contactPhone: '13800000000',
      },
    });
  });
});
