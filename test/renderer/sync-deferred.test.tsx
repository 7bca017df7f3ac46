import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { setTransport } from '../../renderer/src/api';
import { SyncPage } from '../../renderer/src/pages/SyncPage';
import { Providers } from '../../renderer/src/Providers';
import { formatHlc } from '../../shared/sync/hlc';
import type { DeferredPage, DeferredRowInfo, SyncStatus } from '../../shared/sync/status';

import { syncStatusOf } from '../helpers/sync-status';

import { fakeTransport } from './fake-transport';

const T = Date.UTC(2026, 10, 28, 3, 0, 0);
const REMOTE = '0190ffff-0000-7000-8000-000000000001';
const OTHER = '0190eeee-0000-7000-8000-000000000009';

function status(deferred: Record<string, number>): SyncStatus {
  return syncStatusOf({ deferred });
}

function row(over: Partial<DeferredRowInfo> & Pick<DeferredRowInfo, 'rowId'>): DeferredRowInfo {
  const clock = formatHlc({ wallMs: T, counter: 0, node: REMOTE });
  return {
    table: 'enterprises',
    label: null,
    fields: [
      {
        field: 'gradeLevel',
        value: 'A',
        clock,
        reason: 'unknown_field',
        source: 'server',
        createdAt: T,
      },
    ],
    clock,
    reasons: ['unknown_field'],
    sources: ['server'],
    createdAt: T,
    ...over,
  };
}

const LONG = '依据《重污染天气重点行业应急减排措施制定技术指南》补充的差异化指标说明，'.repeat(4);

function renderSync(deferred: Record<string, number>, pages: (offset: number) => DeferredPage) {
  const fake = fakeTransport({
    'sync.status': () => status(deferred),
    'sync.listDeferred': ({ offset }) => pages(offset ?? 0),
  });
  setTransport(fake.transport);
  render(
    <Providers>
      <SyncPage />
    </Providers>,
  );
  return fake;
}

async function openList() {
  fireEvent.click(await screen.findByRole('button', { name: /查\s*看/ }));
  return within(await screen.findByRole('dialog'));
}

describe('the list of data set aside on the 同步 page', () => {
  afterEach(() => setTransport(null));

  it('says why values wait, and opens the list of them by record', async () => {
    const fake = renderSync({ unknown_field: 2, parent_missing: 4 }, () => ({
      total: 2,
      values: 6,
      rows: [
        row({
          rowId: '0190ffff-0000-7000-8000-0000000000e1',
          label: '宁夏瑞泰水泥有限公司',
          fields: [
            {
              field: 'gradeLevel',
              value: 'A',
              clock: '',
              reason: 'unknown_field',
              source: 'server',
              createdAt: T,
            },
            {
              field: 'gradeNote',
              value: LONG,
              clock: '',
              reason: 'unknown_field',
              source: 'server',
              createdAt: T,
            },
          ],
        }),
        row({
          table: 'enterprise_processes',
          rowId: '0190ffff-0000-7000-8000-0000000000a1',
          reasons: ['parent_missing'],
          sources: [`bundle:${OTHER}`],
        }),
      ],
    }));
    expect(await screen.findByText('有 6 项收到的数据暂未应用，已保存在本机')).toBeTruthy();
    expect(
      screen.getByText('较新版本的字段，升级后生效（2 项）；等待所属记录到达（4 项）'),
    ).toBeTruthy();

    const list = await openList();
    expect(await list.findByText('暂未应用的数据（2 条记录，6 项）')).toBeTruthy();
    const first = list.getByText('宁夏瑞泰水泥有限公司').closest('tr') as HTMLElement;
    expect(within(first).getByText('企业')).toBeTruthy();
    expect(within(first).getByText('较新版本的字段，升级后生效')).toBeTruthy();
    expect(within(first).getByText('中心服务器')).toBeTruthy();
    expect(within(first).getByText(/^2026-11-28 \d{2}:00:00$/)).toBeTruthy();
    // A long value is shortened; the whole of it is one hover away.
    const short = within(first).getByText(/^依据《重污染天气.*…$/);
    expect(short.textContent).toHaveLength(41);

    // No label: the table's name and the start of the id.
    const second = list.getByText('行业与工序', { selector: '.deferred-label' }).closest('tr');
    expect(within(second as HTMLElement).getByText('等待所属记录到达')).toBeTruthy();
    expect(within(second as HTMLElement).getByText('U盘数据包')).toBeTruthy();
    expect(within(second as HTMLElement).getByText('0190ffff…00a1')).toBeTruthy();
    expect(fake.callsOf('sync.listDeferred')).toEqual([{ limit: 50, offset: 0 }]);
  });

  it('asks for the next page of rows when the list is paged', async () => {
    const fake = renderSync({ unknown_table: 60 }, (offset) => ({
      total: 60,
      values: 60,
      rows: Array.from({ length: offset === 0 ? 50 : 10 }, (_, i) =>
        row({
          table: 'reviews',
          rowId: `0190ffff-0000-7000-8000-${String(offset + i).padStart(12, '0')}`,
          reasons: ['unknown_table'],
        }),
      ),
    }));
    const list = await openList();
    expect(await list.findByText('共 60 条记录')).toBeTruthy();
    expect(list.getAllByText('reviews', { selector: '.deferred-label' })).toHaveLength(50);
    fireEvent.click(list.getByTitle('2'));
    await waitFor(() =>
      expect(list.getAllByText('reviews', { selector: '.deferred-label' })).toHaveLength(10),
    );
    expect(fake.callsOf('sync.listDeferred')).toEqual([
      { limit: 50, offset: 0 },
      { limit: 50, offset: 50 },
    ]);
  });

  it('says so when nothing is set aside any more', async () => {
    renderSync({ unknown_field: 1 }, () => ({ total: 0, values: 0, rows: [] }));
    const list = await openList();
    expect(await list.findByText('没有暂未应用的数据')).toBeTruthy();
  });

  it('shows nothing about set-aside values when there are none', async () => {
    renderSync({}, () => ({ total: 0, values: 0, rows: [] }));
    await screen.findByText('同步状态');
    expect(screen.queryByText(/暂未应用/)).toBeNull();
  });
});
