import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PublicationPreview, PublicationSummary } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { PublicationRow } from '../../shared/domain/review';
import { setTransport } from '../../renderer/src/api';
import { PublicationsPage } from '../../renderer/src/pages/PublicationsPage';
import { Providers } from '../../renderer/src/Providers';

import { fakeTransport } from './fake-transport';
import { choose } from './render';

const ROWS: PublicationRow[] = [
  {
    enterpriseName: '宁夏甲建材有限公司',
    creditCode: '91640100MA76XXXX0A',
    cityName: '银川市',
    countyName: '兴庆区',
    industries: '水泥、铁合金',
    grade: 'B',
    gradeDate: '2026-03-15',
  },
  {
    enterpriseName: '宁夏乙水泥有限公司',
    creditCode: null,
    cityName: '银川市',
    countyName: '永宁县',
    industries: '水泥',
    grade: 'A',
    gradeDate: '2026-04-02',
  },
];

function previewOf(fields: Partial<PublicationPreview> = {}): PublicationPreview {
  return {
    scope: '6401',
    scopeName: '银川市',
    rows: ROWS,
    nextEdition: 2,
    title: '银川市重污染天气重点行业绩效分级结果公示（第2期）',
    allowed: true,
    why: null,
    sameAs: null,
    accountScope: '6401',
    accountName: '李审',
    ...fields,
  };
}

const FIRST: PublicationSummary = {
  id: '01900000-0000-7000-8000-000000000101',
  scope: '6401',
  edition: 1,
  title: '银川市重污染天气重点行业绩效分级结果公示（第1期）',
  publishedAt: Date.UTC(2026, 9, 1, 2, 0),
  publishedBy: '李审',
  account: '李审（lishen）',
  rowCount: 1,
};

function renderPage(fake: ReturnType<typeof fakeTransport>) {
  setTransport(fake.transport);
  return render(
    <Providers>
      <PublicationsPage />
    </Providers>,
  );
}

describe('the 信息公开 page', () => {
  afterEach(() => {
    setTransport(null);
    vi.restoreAllMocks();
  });

  it('shows the list as it would be published, the editions, and publishes the next edition after confirming', async () => {
    const published: PublicationSummary[] = [FIRST];
    const fake = fakeTransport({
      'publication.preview': () => previewOf(),
      'publication.list': () => [...published],
      'publication.publish': (input) => {
        const second: PublicationSummary = {
          ...FIRST,
          id: '01900000-0000-7000-8000-000000000102',
          edition: 2,
          title: input.title ?? '',
          publishedBy: input.publishedBy,
          rowCount: 2,
        };
        published.unshift(second);
        return second;
      },
    });
    renderPage(fake);

    expect(await screen.findByText('银川市当前可公示的认定结果（共 2 条）')).toBeTruthy();
    const row = screen.getByText('宁夏甲建材有限公司').closest('tr') as HTMLElement;
    expect(within(row).getByText('水泥、铁合金')).toBeTruthy();
    expect(within(row).getByText('2026-03-15')).toBeTruthy();
    const editions = document.querySelector('.publication-editions') as HTMLElement;
    expect(await within(editions).findByText('第1期')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: /发布第2期/ }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByText('发布银川市第2期公示名单？')).toBeTruthy();
    expect(dialog.getByText(/将发布银川市当前的 2 条认定结果/)).toBeTruthy();
    expect(dialog.getByLabelText<HTMLInputElement>('发布人').value).toBe('李审');
    fireEvent.click(dialog.getByRole('button', { name: '发布第2期' }));

    await waitFor(() =>
      expect(fake.callsOf('publication.publish')).toEqual([
        {
          scope: '6401',
          title: '银川市重污染天气重点行业绩效分级结果公示（第2期）',
          publishedBy: '李审',
        },
      ]),
    );
    expect(await within(editions).findByText('第2期')).toBeTruthy();
  });

  it('offers no 发布 when the account may not publish, and says why', async () => {
    const fake = fakeTransport({
      'publication.preview': () =>
        previewOf({
          allowed: false,
          why: '发布银川市的认定结果须登录银川市市级审核账号；本机尚未登录同步账号',
          accountScope: null,
          accountName: null,
        }),
      'publication.list': () => [],
    });
    renderPage(fake);

    expect(
      await screen.findByText(
        '现在不能发布：发布银川市的认定结果须登录银川市市级审核账号；本机尚未登录同步账号',
      ),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: /发布第/ })).toBeNull();
    expect(await screen.findByText('尚未发布过公示名单')).toBeTruthy();
  });

  it('lets a region account choose any city, and reads that city’s list', async () => {
    const fake = fakeTransport({
      'publication.preview': (input) =>
        input.scope === '6402'
          ? previewOf({ scope: '6402', scopeName: '石嘴山市', rows: [], accountScope: 'region' })
          : previewOf({
              scope: 'region',
              scopeName: '宁夏回族自治区',
              accountScope: 'region',
            }),
      'publication.list': () => [],
    });
    renderPage(fake);
    expect(await screen.findByText('宁夏回族自治区当前可公示的认定结果（共 2 条）')).toBeTruthy();

    await choose(screen, '发布范围', '石嘴山市');
    expect(await screen.findByText('石嘴山市当前可公示的认定结果（共 0 条）')).toBeTruthy();
    expect(fake.callsOf('publication.list')).toContainEqual({ scope: '6402' });
  });

  it('downloads an edition as Excel and as PDF', async () => {
    const clicked: string[] = [];
    Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: () => 'blob:x' });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: () => undefined });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this.download);
    });
    const fake = fakeTransport({
      'publication.preview': () => previewOf(),
      'publication.list': () => [FIRST],
      'publication.exportExcel': () => ({
        fileName: '信息公开_银川市_第1期.xlsx',
        dataBase64: 'UEs=',
        rows: 1,
      }),
      'publication.exportPdf': () => {
        throw new AppError('not_found', '未找到该期公示名单（可能尚未同步到本机）');
      },
    });
    renderPage(fake);

    fireEvent.click(await screen.findByRole('button', { name: '导出第1期 Excel' }));
    await waitFor(() => expect(clicked).toEqual(['信息公开_银川市_第1期.xlsx']));
    expect(fake.callsOf('publication.exportExcel')).toMatchObject([{ id: FIRST.id }]);

    fireEvent.click(screen.getByRole('button', { name: '导出第1期 PDF' }));
    expect(
      await screen.findByText('导出失败：未找到该期公示名单（可能尚未同步到本机）'),
    ).toBeTruthy();
    expect(clicked).toHaveLength(1);
  });
});
