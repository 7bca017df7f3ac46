import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../shared/api/errors';
import { setTransport } from '../../renderer/src/api';
import { ApplyDrawer } from '../../renderer/src/components/review/ApplyDrawer';
import { Providers } from '../../renderer/src/Providers';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { CATALOG, process } from './fixtures';
import { choose, renderRegistry } from './render';
import {
  ENTERPRISE_ID,
  OLD_VISIT_ID,
  PLAN_ID,
  VISIT_ID,
  account,
  detail,
  finalizedVisit,
  plan,
} from './review-fixtures';

type Handlers = Parameters<typeof fakeTransport>[0];

const KILN = process({
  enterpriseId: ENTERPRISE_ID,
  industryCode: 'cement',
  branch: '水泥熟料',
  name: '1#熟料线',
});

function renderDrawer(handlers: Handlers = {}) {
  const fake = fakeTransport({
    'review.account': () =>
      account({ account: '张伟（zhangwei）', role: '帮扶队员', steps: ['提交'] }),
    'process.list': () => [KILN],
    'catalog.get': () => CATALOG,
    'inspection.list': () => [
      finalizedVisit({}),
      finalizedVisit({
        id: OLD_VISIT_ID,
        number: '银川-2025-0040-AB12',
        date: '2025-05-10',
        grade: 'C',
      }),
    ],
    'plan.list': () => [plan()],
    'review.apply': (input) => detail({ targetGrade: input.targetGrade ?? null }),
    ...handlers,
  });
  setTransport(fake.transport);
  render(
    <Providers>
      <ApplyDrawer
        open
        enterprise={{ id: ENTERPRISE_ID, name: '宁夏瑞泰水泥有限公司' }}
        onClose={() => undefined}
      />
    </Providers>,
  );
  return { fake, drawer: within(screen.getByRole('dialog')) };
}

describe('the 申报 drawer', () => {
  afterEach(() => setTransport(null));

  it('sends review.apply with the chosen visits, plan and grade, and says the route it will take', async () => {
    const { fake, drawer } = renderDrawer();
    await choose(drawer, '申报等级', 'B');
    expect(await drawer.findByText('将报市级初审、自治区复审')).toBeTruthy();
    await choose(
      drawer,
      '依据的现场检查（已定稿）',
      '银川-2026-0001-K7Q3 · 2026-11-18 · 核查等级 B',
    );
    await waitFor(() =>
      expect(drawer.getByLabelText('核查等级（帮扶队核查结论）')).toHaveProperty('value', 'B'),
    );
    await choose(drawer, '提升方案', '银川-2026-0013-P2X8 · 企业确认 · 7 项措施');
    await waitFor(() => expect(drawer.getByLabelText('申报人')).toHaveProperty('value', '张伟'));
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    await waitFor(() => expect(fake.callsOf('review.apply')).toHaveLength(1));
    expect(fake.callsOf('review.apply')[0]).toEqual({
      enterpriseId: ENTERPRISE_ID,
      processId: null,
      kind: '等级',
      targetGrade: 'B',
      inspectionIds: [VISIT_ID],
      planId: PLAN_ID,
      basisGrade: 'B',
      applicant: '张伟',
    });
  });

  it('offers the enterprise’s processes by industry name and says a C application is decided by the city', async () => {
    const { fake, drawer } = renderDrawer();
    await choose(drawer, '申报对象', '水泥 · 1#熟料线');
    await choose(drawer, '申报等级', 'C');
    expect(await drawer.findByText('将报市级评定')).toBeTruthy();
    await choose(
      drawer,
      '依据的现场检查（已定稿）',
      '银川-2025-0040-AB12 · 2025-05-10 · 核查等级 C',
    );
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    await waitFor(() => expect(fake.callsOf('review.apply')).toHaveLength(1));
    expect(fake.callsOf('review.apply')[0]).toMatchObject({
      processId: KILN.id,
      targetGrade: 'C',
      inspectionIds: [OLD_VISIT_ID],
      basisGrade: 'C',
    });
  });

  it('asks for a finalized visit before applying for a grade', async () => {
    const { fake, drawer } = renderDrawer();
    await choose(drawer, '申报等级', 'A');
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    expect(await drawer.findByText('申报等级须关联至少一次定稿的现场检查')).toBeTruthy();
    expect(fake.callsOf('review.apply')).toEqual([]);
  });

  it('hides the grade for 保障类 and asks for its reason', async () => {
    const { fake, drawer } = renderDrawer();
    fireEvent.click(drawer.getByRole('radio', { name: '保障类' }));
    await waitFor(() => expect(drawer.queryByLabelText('申报等级')).toBeNull());
    expect(drawer.getByText('将报市级评定')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    expect(await drawer.findByText('申报保障类须写明理由')).toBeTruthy();
    fireEvent.change(drawer.getByLabelText('保障类理由'), {
      target: { value: '承担城市集中供热，民生保障' },
    });
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    await waitFor(() => expect(fake.callsOf('review.apply')).toHaveLength(1));
    expect(fake.callsOf('review.apply')[0]).toMatchObject({
      kind: '保障类',
      targetGrade: null,
      reason: '承担城市集中供热，民生保障',
    });
  });

  it('shows the refusal of an enterprise under a violation lock in the form, with the day it ends', async () => {
    const refusal = '该企业存在违法违规记录，2027-03-01 前不得申请提级';
    const { drawer } = renderDrawer({
      'review.apply': () => {
        throw new AppError('conflict', refusal);
      },
    });
    await choose(drawer, '申报等级', 'B');
    await choose(
      drawer,
      '依据的现场检查（已定稿）',
      '银川-2026-0001-K7Q3 · 2026-11-18 · 核查等级 B',
    );
    fireEvent.click(screen.getByRole('button', { name: '提交申报' }));
    expect(await drawer.findByText(refusal)).toBeTruthy();
  });
});

describe('the registry’s 申报 action', () => {
  beforeEach(() => resetRegistryStore());
  afterEach(() => setTransport(null));

  it('opens the 申报 drawer for the enterprise of its row, with that enterprise’s visits', async () => {
    const company = enterprise({ name: '宁夏瑞泰水泥有限公司', id: ENTERPRISE_ID });
    const fake = fakeTransport({
      'enterprise.list': () => ({ total: 1, items: [company] }),
      'catalog.get': () => CATALOG,
      'ruleset.list': () => [],
      'review.account': () => account(),
      'process.list': () => [],
      'inspection.list': () => [finalizedVisit({})],
      'plan.list': () => [],
    });
    renderRegistry(fake);
    fireEvent.click(await screen.findByRole('button', { name: '申报' }));
    expect(await screen.findByText('申报：宁夏瑞泰水泥有限公司')).toBeTruthy();
    await waitFor(() =>
      expect(fake.callsOf('inspection.list')).toEqual([
        { enterpriseId: ENTERPRISE_ID, status: 'finalized' },
      ]),
    );
  });
});
