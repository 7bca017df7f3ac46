import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { GradeHistory, ReviewAccount } from '../../shared/api/methods/reviews';
import type { GradeEvent } from '../../shared/domain/review';
import { setTransport } from '../../renderer/src/api';
import { EnterpriseGradeDrawer } from '../../renderer/src/components/EnterpriseGradeDrawer';
import { Providers } from '../../renderer/src/Providers';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { renderRegistry } from './render';

const COMPANY = enterprise({
  name: '宁夏瑞泰水泥有限公司',
  official: { grade: 'A', since: '2026-03-01', cause: '审核通过' },
  guarantee: true,
});

function event(over: Partial<GradeEvent>): GradeEvent {
  return {
    id: '00000000-0000-4000-8000-0000000000e1',
    enterpriseId: COMPANY.id,
    processId: null,
    grade: 'B',
    previousGrade: null,
    change: '认定',
    cause: '审核通过',
    reason: '复审通过',
    documentNo: '宁环发〔2025〕3号',
    effectiveDate: '2025-09-01',
    applicationId: null,
    violationId: null,
    inspectionId: null,
    decidedBy: '马自治',
    account: null,
    createdAt: 1,
    ...over,
  };
}

const HISTORY: GradeHistory = {
  official: { grade: 'A', since: '2026-03-01', cause: '审核通过' },
  processes: [],
  guarantee: { since: '2026-04-01', applicationId: null },
  events: [
    event({
      id: '00000000-0000-4000-8000-0000000000e2',
      grade: 'A',
      previousGrade: 'B',
      change: '升级',
      effectiveDate: '2026-03-01',
      documentNo: '宁环发〔2026〕12号',
    }),
    event({}),
  ],
  proposals: [
    {
      enterpriseId: COMPANY.id,
      enterpriseName: COMPANY.name,
      cityCode: '6401',
      processId: null,
      official: 'A',
      found: 'B',
      inspectionId: '00000000-0000-4000-8000-0000000000a1',
      inspectionNumber: '银川-2026-0012-7ZX9',
      inspectionDate: '2026-10-01',
    },
  ],
};

function account(over: Partial<ReviewAccount>): ReviewAccount {
  return {
    account: '王芳（wangfang）',
    role: '市级审核',
    scope: '6401',
    steps: ['市级初审', '市级评定'],
    mayPublishCity: true,
    mayPublishRegion: false,
    mayRecordAPlus: false,
    mayChangeGrade: true,
    why: null,
    ...over,
  };
}

function renderDrawer(fake: ReturnType<typeof fakeTransport>) {
  setTransport(fake.transport);
  render(
    <Providers>
      <EnterpriseGradeDrawer open enterprise={COMPANY} onClose={() => undefined} />
    </Providers>,
  );
}

describe('the registry’s 认定等级 and the 等级认定 drawer', () => {
  beforeEach(() => resetRegistryStore());
  afterEach(() => setTransport(null));

  it('shows the official grade with its date and 保障类 apart from the team’s 核查等级', async () => {
    renderRegistry(
      fakeTransport({
        'enterprise.list': () => ({
          total: 2,
          items: [COMPANY, enterprise({ name: '银川滨河热电有限公司' })],
        }),
      }),
    );

    const row = (await screen.findByText('宁夏瑞泰水泥有限公司')).closest('tr') as HTMLElement;
    expect(within(row).getByText('A级')).toBeTruthy();
    expect(within(row).getByText('2026-03-01')).toBeTruthy();
    expect(within(row).getByText('保障类')).toBeTruthy();
    const other = screen.getByText('银川滨河热电有限公司').closest('tr') as HTMLElement;
    expect(within(other).getByText('未认定')).toBeTruthy();
    expect(within(other).queryByText('保障类')).toBeNull();
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toContain('认定等级');
    expect(headers).toContain('核查等级');
    expect(headers).not.toContain('当前等级');
  });

  it('lists every change newest first with what changed, why, the document and who decided', async () => {
    renderDrawer(
      fakeTransport({
        'grade.history': () => HISTORY,
        'review.account': () => account({}),
      }),
    );

    const table = (await screen.findByText('宁环发〔2026〕12号')).closest('table') as HTMLElement;
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['日期', '变更', '等级', '原因', '文号', '决定人']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['2026-03-01', '升级', 'B级 → A级', '审核通过：复审通过', '宁环发〔2026〕12号', '马自治'],
      ['2025-09-01', '认定', '未认定 → B级', '审核通过：复审通过', '宁环发〔2025〕3号', '马自治'],
    ]);
    expect(
      screen.getByText(
        '2026-10-01 的检查（银川-2026-0012-7ZX9）核查为B级，低于认定等级A级，建议降级',
      ),
    ).toBeTruthy();
  });

  it('confirms a proposed 降级 through grade.change with the visit it rests on', async () => {
    const fake = fakeTransport({
      'grade.history': () => HISTORY,
      'review.account': () => account({}),
      'grade.change': () => event({ grade: 'B', previousGrade: 'A', change: '降级' }),
    });
    renderDrawer(fake);

    const alert = (await screen.findByText(/建议降级/)).closest('.ant-alert') as HTMLElement;
    fireEvent.click(within(alert).getByRole('button', { name: '确认降级' }));
    const title = await screen.findByText('确认降级：宁夏瑞泰水泥有限公司');
    const dialog = title.closest('.ant-modal') as HTMLElement;
    fireEvent.change(within(dialog).getByLabelText('原因'), {
      target: { value: '复核发现无组织排放管控不达标' },
    });
    fireEvent.change(within(dialog).getByLabelText('文号'), {
      target: { value: '银环函〔2026〕8号' },
    });
    fireEvent.change(within(dialog).getByLabelText('决定人'), { target: { value: '王芳' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '确认降级' }));

    await waitFor(() => expect(fake.callsOf('grade.change')).toHaveLength(1));
    expect(fake.callsOf('grade.change')[0]).toMatchObject({
      enterpriseId: COMPANY.id,
      processId: null,
      cause: '复核降级',
      grade: 'B',
      reason: '复核发现无组织排放管控不达标',
      documentNo: '银环函〔2026〕8号',
      inspectionId: '00000000-0000-4000-8000-0000000000a1',
      decidedBy: '王芳',
    });
  });

  it('offers 认定A+ to the region but not for an enterprise below A', async () => {
    renderDrawer(
      fakeTransport({
        'grade.history': () => ({
          ...HISTORY,
          official: { grade: 'B', since: '2025-09-01', cause: '审核通过' },
          proposals: [],
        }),
        'review.account': () =>
          account({ role: '自治区复审', scope: 'region', mayRecordAPlus: true }),
      }),
    );
    const button = await screen.findByRole('button', { name: '认定A+' });
    expect(button.hasAttribute('disabled')).toBe(true);
  });

  it('revokes the official grade through grade.change with the reason given', async () => {
    const fake = fakeTransport({
      'grade.history': () => HISTORY,
      'review.account': () => account({}),
      'grade.change': () => event({ grade: null, previousGrade: 'A', change: '撤销' }),
    });
    renderDrawer(fake);

    fireEvent.click(await screen.findByRole('button', { name: '撤销等级' }));
    const dialog = (await screen.findByText('撤销等级：宁夏瑞泰水泥有限公司')).closest(
      '.ant-modal',
    ) as HTMLElement;
    fireEvent.change(within(dialog).getByLabelText('原因'), { target: { value: '企业已关停' } });
    fireEvent.change(within(dialog).getByLabelText('决定人'), { target: { value: '王芳' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '撤销等级' }));

    await waitFor(() => expect(fake.callsOf('grade.change')).toHaveLength(1));
    expect(fake.callsOf('grade.change')[0]).toMatchObject({
      cause: '撤销等级',
      grade: null,
      processId: null,
      reason: '企业已关停',
      inspectionId: null,
    });
  });

  it('offers 认定A+ to the region for an A-level enterprise', async () => {
    renderDrawer(
      fakeTransport({
        'grade.history': () => HISTORY,
        'review.account': () =>
          account({ role: '自治区复审', scope: 'region', mayRecordAPlus: true }),
      }),
    );
    const button = await screen.findByRole('button', { name: '认定A+' });
    expect(button.hasAttribute('disabled')).toBe(false);
  });

  it('offers no grade change to an account that may not make one, and says why', async () => {
    renderDrawer(
      fakeTransport({
        'grade.history': () => HISTORY,
        'review.account': () =>
          account({
            role: '帮扶队员',
            mayChangeGrade: false,
            why: '帮扶队员账号不能审核或变更认定等级',
          }),
      }),
    );

    expect(await screen.findByText('帮扶队员账号不能审核或变更认定等级')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '确认降级' })).toBeNull();
    expect(screen.queryByRole('button', { name: '撤销等级' })).toBeNull();
    expect(screen.queryByRole('button', { name: '认定A+' })).toBeNull();
  });
});
