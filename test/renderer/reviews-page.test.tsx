import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { AppError } from '../../shared/api/errors';
import type { Method } from '../../shared/api/contract';
import { setTransport } from '../../renderer/src/api';
import { ReviewsPage } from '../../renderer/src/pages/ReviewsPage';
import { Providers } from '../../renderer/src/Providers';

import { fakeTransport } from './fake-transport';
import { account, detail, summary } from './review-fixtures';

type Handlers = Parameters<typeof fakeTransport>[0];

const QUEUE = [
  summary({ enterpriseName: '宁夏瑞泰水泥有限公司' }),
  summary({
    enterpriseName: '石嘴山恒达石灰有限公司',
    industries: '石灰窑',
    targetGrade: 'C',
    route: 'city',
    status: '退回补充',
    next: '提交',
    applicant: '赵敏',
  }),
];

function renderPage(handlers: Handlers) {
  const fake = fakeTransport({
    'review.account': () => account({ steps: ['提交'], role: '帮扶队员', why: null }),
    'review.list': (input) => ({
      total: QUEUE.length,
      items: input.status ? QUEUE.filter((a) => a.status === input.status) : QUEUE,
      counts: { 待初审: 1, 退回补充: 1 },
    }),
    'review.get': ({ id }) => detail({ id }),
    ...handlers,
  });
  setTransport(fake.transport);
  render(
    <Providers>
      <ReviewsPage />
    </Providers>,
  );
  return fake;
}

function lastCall(fake: ReturnType<typeof fakeTransport>, method: Method) {
  const calls = fake.callsOf(method);
  return calls[calls.length - 1];
}

async function openFirstApplication() {
  fireEvent.click(await screen.findByText('宁夏瑞泰水泥有限公司'));
  return within(await screen.findByRole('dialog'));
}

describe('the 审核评定 page', () => {
  afterEach(() => setTransport(null));

  it('lists the applications with what they ask for, their route and status, and counts each tab', async () => {
    renderPage({});
    const row = (await screen.findByText('宁夏瑞泰水泥有限公司')).closest('tr') as HTMLElement;
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual([
      '宁夏瑞泰水泥有限公司',
      '水泥',
      '申报B级',
      '市级初审 → 自治区复审',
      '待初审',
      '市级初审',
      '张伟',
      '2026-11-21',
    ]);
    const other = screen.getByText('石嘴山恒达石灰有限公司').closest('tr') as HTMLElement;
    expect(within(other).getByText('待申报人补充后重新提交')).toBeTruthy();
    expect(screen.getByRole('tab', { name: '待初审（1）' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: '待复审（0）' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: '全部（2）' })).toBeTruthy();
  });

  it('asks for one status only when its tab is chosen', async () => {
    const fake = renderPage({});
    await screen.findByText('宁夏瑞泰水泥有限公司');
    fireEvent.click(screen.getByRole('tab', { name: '退回补充（1）' }));
    await waitFor(() =>
      expect(lastCall(fake, 'review.list')).toEqual({ status: '退回补充', offset: 0, limit: 20 }),
    );
    expect(await screen.findByText('石嘴山恒达石灰有限公司')).toBeTruthy();
    expect(screen.queryByText('宁夏瑞泰水泥有限公司')).toBeNull();
  });

  it('says in Chinese when a tab has no applications', async () => {
    renderPage({});
    await screen.findByText('宁夏瑞泰水泥有限公司');
    fireEvent.click(screen.getByRole('tab', { name: '已通过（0）' }));
    expect(await screen.findByText('暂无“已通过”的申报')).toBeTruthy();
  });

  it('shows why a device that never logged in cannot review, and offers no 待我审核 switch', async () => {
    renderPage({
      'review.account': () =>
        account({
          account: null,
          role: null,
          scope: null,
          steps: ['提交'],
          why: '本机未登录同步账号，只能提出申报，不能审核',
        }),
    });
    expect(await screen.findByText('本机未登录同步账号，只能提出申报，不能审核')).toBeTruthy();
    expect(screen.queryByRole('switch', { name: '待我审核' })).toBeNull();
  });

  it('opens a reviewer on the applications waiting for them, and shows all when 待我审核 is turned off', async () => {
    const fake = renderPage({ 'review.account': () => account() });
    const toggle = await screen.findByRole('switch', { name: '待我审核' });
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
    await waitFor(() => expect(fake.callsOf('review.list')).toHaveLength(1));
    // The first list asked is the reviewer's own queue.
    expect(fake.callsOf('review.list')).toEqual([{ mine: true, offset: 0, limit: 20 }]);
    fireEvent.click(toggle);
    await waitFor(() => expect(lastCall(fake, 'review.list')).toEqual({ offset: 0, limit: 20 }));
  });
});

describe('an application’s drawer', () => {
  afterEach(() => setTransport(null));

  it('shows the grades side by side, the visits, the plan, the evidence and every step', async () => {
    renderPage({ 'review.account': () => account() });
    const drawer = await openFirstApplication();
    expect(await drawer.findByText('核查等级（帮扶队核查）')).toBeTruthy();
    expect(drawer.getByText('认定等级（现行，2025-06-01 起）')).toBeTruthy();
    const visitRow = drawer.getByText('银川-2026-0001-K7Q3').closest('tr') as HTMLElement;
    expect([...visitRow.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '银川-2026-0001-K7Q3',
      '2026-11-18',
      '帮扶指导',
      'B',
      '3',
      '12',
    ]);
    expect(drawer.getByText(/银川-2026-0013-P2X8 · 企业确认 · 7 项措施/)).toBeTruthy();
    expect(drawer.getByText(/监测报告\.pdf/)).toBeTruthy();
    expect(drawer.getByText('提交申报')).toBeTruthy();
    expect(drawer.getByText('市级初审：不予通过')).toBeTruthy();
    expect(drawer.getByText('要求现场核查', { selector: '.ant-tag' })).toBeTruthy();
    expect(
      drawer.getByText(
        '未被中心库采纳：该申报第 1 轮的市级初审已由李审核作出决定（通过），不能重复决定',
      ),
    ).toBeTruthy();
    // No ids on the screen.
    expect(document.body.textContent).not.toMatch(/00000000-0000/);
  });

  it('shows a photo of the evidence as its thumbnail, read as the small size', async () => {
    Object.defineProperty(URL, 'createObjectURL', {
      configurable: true,
      value: vi.fn(() => 'blob:uplift-thumb'),
    });
    Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: vi.fn() });
    const photoId = '00000000-0000-4000-8000-00000000b002';
    const fake = renderPage({
      'review.get': ({ id }) => {
        const base = detail({ id });
        return {
          ...base,
          materials: {
            ...base.materials,
            evidence: [
              {
                id: photoId,
                attachmentId: '00000000-0000-4000-8000-00000000b102',
                fileName: '脱硫塔.jpg',
                mimeType: 'image/jpeg',
              },
            ],
          },
        };
      },
      'evidence.read': () => ({
        fileName: '脱硫塔.jpg',
        dataBase64: 'AAAA',
        mimeType: 'image/jpeg',
        photo: null,
      }),
    });
    const drawer = await openFirstApplication();
    const image = await drawer.findByRole('img', { name: '脱硫塔.jpg' });
    expect(image.getAttribute('src')).toBe('blob:uplift-thumb');
    expect(fake.callsOf('evidence.read')).toEqual([{ id: photoId, variant: 'thumb' }]);
  });

  it('offers the decision form only for an allowed step, and says why another is closed', async () => {
    renderPage({
      'review.get': () =>
        detail({
          actions: [
            {
              step: '市级初审',
              allowed: false,
              why: '市级初审须由市级审核账号作出；当前账号是帮扶队员',
            },
          ],
        }),
    });
    const drawer = await openFirstApplication();
    expect(
      await drawer.findByText('市级初审须由市级审核账号作出；当前账号是帮扶队员'),
    ).toBeTruthy();
    expect(drawer.queryByRole('button', { name: /提交市级初审决定/ })).toBeNull();
    expect(drawer.queryByLabelText('审核意见')).toBeNull();
  });

  it('refuses a decision without an opinion, then sends review.decide with the opinion and the reviewer', async () => {
    const fake = renderPage({
      'review.account': () => account(),
      'review.decide': () => detail({ status: '待复审', next: '自治区复审', actions: [] }),
    });
    const drawer = await openFirstApplication();
    fireEvent.click(await drawer.findByRole('radio', { name: '通过' }));
    expect(await drawer.findByLabelText('认定文号（选填）')).toBeTruthy();
    await waitFor(() => expect(drawer.getByLabelText('审核人')).toHaveProperty('value', '李审核'));
    fireEvent.click(drawer.getByRole('button', { name: /提交市级初审决定/ }));
    expect(await drawer.findByText('请填写审核意见')).toBeTruthy();
    expect(fake.callsOf('review.decide')).toEqual([]);

    fireEvent.change(drawer.getByLabelText('审核意见'), {
      target: { value: '材料齐全，同意报自治区复审' },
    });
    fireEvent.click(drawer.getByRole('checkbox', { name: '要求现场核查' }));
    fireEvent.click(drawer.getByRole('button', { name: /提交市级初审决定/ }));
    await waitFor(() => expect(fake.callsOf('review.decide')).toHaveLength(1));
    expect(fake.callsOf('review.decide')[0]).toEqual({
      applicationId: QUEUE[0]?.id,
      step: '市级初审',
      decision: '通过',
      opinion: '材料齐全，同意报自治区复审',
      requestVisit: true,
      decidedBy: '李审核',
    });
  });

  it('shows the store’s refusal of a decision in the form', async () => {
    renderPage({
      'review.account': () => account(),
      'review.decide': () => {
        throw new AppError(
          'conflict',
          '该申报第 1 轮的市级初审已由王审核作出决定（通过），不能重复决定',
        );
      },
    });
    const drawer = await openFirstApplication();
    fireEvent.click(await drawer.findByRole('radio', { name: '退回补充' }));
    fireEvent.change(drawer.getByLabelText('审核意见'), { target: { value: '请补充监测报告' } });
    fireEvent.click(drawer.getByRole('button', { name: /提交市级初审决定/ }));
    // In the drawer's form, not only in the passing toast.
    expect(
      await drawer.findByText('该申报第 1 轮的市级初审已由王审核作出决定（通过），不能重复决定'),
    ).toBeTruthy();
  });

  it('offers a returned application’s applicant a resubmission with the visits chosen again', async () => {
    const returned = detail({
      status: '退回补充',
      next: '提交',
      actions: [{ step: '提交', allowed: true, why: null }],
    });
    const fake = renderPage({
      'review.account': () =>
        account({ account: '张伟（zhangwei）', role: '帮扶队员', steps: ['提交'] }),
      'review.get': () => returned,
      'inspection.list': () => [],
      'plan.list': () => [],
      'review.resubmit': () => ({ ...returned, status: '待初审', next: '市级初审', actions: [] }),
    });
    const drawer = await openFirstApplication();
    fireEvent.change(await drawer.findByLabelText('补充说明'), {
      target: { value: '已补充监测报告' },
    });
    fireEvent.click(drawer.getByRole('button', { name: '重新提交' }));
    await waitFor(() => expect(fake.callsOf('review.resubmit')).toHaveLength(1));
    expect(fake.callsOf('review.resubmit')[0]).toEqual({
      applicationId: returned.id,
      inspectionIds: returned.inspectionIds,
      planId: returned.planId,
      reason: '已补充监测报告',
      applicant: '张伟',
    });
  });
});
