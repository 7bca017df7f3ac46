import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppInfo } from '../../shared/api/contract';
import { setTransport } from '../../renderer/src/api';
import { AppShell } from '../../renderer/src/AppShell';
import { MissingToken } from '../../renderer/src/components/MissingToken';
import { Providers } from '../../renderer/src/Providers';
import { useAppInfo } from '../../renderer/src/stores/app-info';
import { useConnection } from '../../renderer/src/stores/connection';
import { useNavigation } from '../../renderer/src/stores/navigation';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { fakeTransport } from './fake-transport';
import { CATALOG } from './fixtures';

const INFO: AppInfo = {
  name: 'Uplift',
  version: '0.1.0',
  mode: 'browser',
  dataDir: '/home/user/.uplift',
  databaseFile: '/home/user/.uplift/uplift.db',
  deviceId: 'd2f1c0de-0000-4000-8000-000000000001',
  pendingOps: 3,
  enterpriseCount: 0,
};

function renderShell(info: () => AppInfo) {
  const fake = fakeTransport({
    'app.info': info,
    'enterprise.list': () => ({ total: 0, items: [] }),
    'catalog.get': () => CATALOG,
    'ruleset.list': () => [],
  });
  setTransport(fake.transport);
  render(
    <Providers>
      <AppShell />
    </Providers>,
  );
  return fake;
}

describe('the app shell', () => {
  beforeEach(() => {
    resetRegistryStore();
    useAppInfo.setState({ info: null, error: null });
    useNavigation.setState({ screen: 'registry' });
  });
  afterEach(() => setTransport(null));

  it('lists only the working screens, 企业台账 first, and opens on the registry', async () => {
    renderShell(() => INFO);

    const menu = screen.getByRole('menu');
    const labels = within(menu)
      .getAllByRole('menuitem')
      .map((item) => item.textContent);
    expect(labels).toEqual([
      '企业台账',
      '现场检查',
      '提升方案',
      '审核评定',
      '信息公开',
      '分级指标库',
      '回收站',
      '同步',
      '设置',
    ]);
    expect(screen.getByRole('heading', { name: 'Uplift 环保绩效提级帮扶助手' })).toBeTruthy();
    expect(await screen.findByText('暂无企业，点击“新增企业”添加')).toBeTruthy();
  });

  it('shows the pending changes and refreshes them after data.changed', async () => {
    let pendingOps = 3;
    const fake = renderShell(() => ({ ...INFO, pendingOps }));
    expect(await screen.findByText('待同步 3 条修改')).toBeTruthy();

    pendingOps = 4;
    act(() => fake.emit('data.changed', { tables: ['enterprises'] }));

    expect(await screen.findByText('待同步 4 条修改')).toBeTruthy();
  });

  it('opens 分级指标库 from the menu', async () => {
    const fake = renderShell(() => INFO);

    fireEvent.click(screen.getByRole('menuitem', { name: /分级指标库/ }));

    expect(await screen.findByRole('button', { name: /导入指标体系/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /下载模板/ })).toBeTruthy();
    await waitFor(() => expect(fake.callsOf('ruleset.list')).toHaveLength(1));
  });

  it('shows what app.info says on the 设置 page', async () => {
    renderShell(() => INFO);

    fireEvent.click(screen.getByRole('menuitem', { name: /设置/ }));

    expect(await screen.findByText('浏览器模式')).toBeTruthy();
    for (const label of ['版本', '运行方式', '待同步的修改', '企业数量']) {
      expect(screen.getByText(label)).toBeTruthy();
    }
    // Paths and the device's id are folded under 技术信息 until asked for.
    expect(screen.queryByText('/home/user/.uplift/uplift.db')).toBeNull();
    fireEvent.click(screen.getByText(/技术信息/));
    for (const label of ['数据目录', '数据文件', '设备编号']) {
      expect(await screen.findByText(label)).toBeTruthy();
    }
    expect(screen.getByText('/home/user/.uplift/uplift.db')).toBeTruthy();
    expect(screen.getByText('3 条')).toBeTruthy();
    expect(screen.getByText('0 家')).toBeTruthy();
  });
});

describe('browser mode without a token', () => {
  it('tells the user to open the address Uplift showed when it started, without naming npm', () => {
    const { container } = render(
      <Providers>
        <MissingToken />
      </Providers>,
    );

    expect(screen.getByText('这个地址缺少访问令牌，无法连接 Uplift')).toBeTruthy();
    expect(screen.getByText('http://127.0.0.1:端口/#token=…')).toBeTruthy();
    expect(container.textContent).not.toMatch(/npm/);
  });
});

describe('browser mode after the token was changed', () => {
  it('replaces the app with a Chinese page saying what happened and how to reopen', async () => {
    useConnection.setState({ tokenRejected: false });
    renderShell(() => INFO);
    expect(await screen.findByText('企业台账')).toBeTruthy();
    act(() => useConnection.getState().rejectToken());

    expect(await screen.findByText('Uplift 已更换访问令牌，这个页面不能再使用')).toBeTruthy();
    expect(document.body.textContent).toContain('请在浏览器中打开');
    expect(document.body.textContent).not.toMatch(/npm|缺少或错误的访问令牌/);
    expect(screen.queryByText('企业台账')).toBeNull();
    useConnection.setState({ tokenRejected: false });
  });
});
