import { render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { InspectionGrading, InspectionSummary } from '../../shared/domain/inspection';
import { setTransport } from '../../renderer/src/api';
import { lockText } from '../../renderer/src/components/EnterpriseVisitsDrawer';
import { GradingPanel } from '../../renderer/src/components/visit/GradingPanel';
import { InspectionsPage } from '../../renderer/src/pages/InspectionsPage';
import { Providers } from '../../renderer/src/Providers';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { renderRegistry } from './render';

function grading(over: Partial<InspectionGrading> = {}): InspectionGrading {
  return {
    asOf: '2026-11-20',
    grade: 'C',
    lockedUntil: null,
    unverified: false,
    answered: 1,
    open: 1,
    frozen: false,
    laterViolation: null,
    processes: [
      {
        inspectionProcessId: 'vp1',
        processId: 'p1',
        judged: false,
        label: '1#熟料线',
        rulesetId: 'cement-clinker',
        edition: '2020',
        rulesetName: '水泥熟料分级指标',
        summary: null,
        unverified: false,
        grade: 'C',
        factsGrade: null,
        targetGrade: null,
        reachesTarget: null,
        gapsToTarget: null,
        gaps: {},
        answered: 1,
        indicators: 2,
        problem: null,
      },
    ],
    ...over,
  };
}

function renderPanel(g: InspectionGrading) {
  return render(
    <Providers>
      <GradingPanel grading={g} onShow={() => undefined} />
    </Providers>,
  );
}

describe('the grading panel of a visit', () => {
  it('says 未评定 for the enterprise and the process while nothing is answered', () => {
    const g = grading({ grade: 'D', answered: 0, open: 2 });
    g.processes[0] = { ...g.processes[0]!, grade: 'D', answered: 0 };
    renderPanel(g);
    expect(screen.getAllByText('未评定')).toHaveLength(2);
    expect(screen.queryByText('D级')).toBeNull();
    expect(screen.getByText('评级结果（实时）')).toBeTruthy();
  });

  it('says 暂评 with the count still open while some indicators are unanswered', () => {
    renderPanel(grading());
    expect(screen.getAllByText('暂评 C级（尚有 1 项未填）')).toHaveLength(2);
  });

  it('shows a finalized visit’s stored grade, and a later violation as the enterprise’s lock beside it', () => {
    const g = grading({
      frozen: true,
      grade: 'B',
      answered: 2,
      open: 0,
      laterViolation: { date: '2026-11-02', kind: '超标排放', lockedUntil: '2027-11-02' },
    });
    g.processes[0] = { ...g.processes[0]!, grade: 'B', answered: 2 };
    renderPanel(g);
    expect(screen.getByText('评级结果（定稿时）')).toBeTruthy();
    expect(screen.getAllByText('B级')).toHaveLength(2);
    expect(
      screen.getByText('违法记录（2026-11-02，超标排放）：企业当前锁定至 2027-11-02'),
    ).toBeTruthy();
    expect(
      screen.getByText('该违法记录未计入本记录；本记录的评级为定稿时的结果，不因此改变。'),
    ).toBeTruthy();
  });
});

function summary(over: Partial<InspectionSummary>): InspectionSummary {
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    number: '银川-2026-0001-K7Q3',
    judged: false,
    enterpriseId: '00000000-0000-4000-8000-0000000000b1',
    date: '2026-11-20',
    type: '帮扶指导',
    status: 'draft',
    note: null,
    revisionOf: null,
    correctionReason: null,
    finalizedAt: null,
    createdAt: 1,
    updatedAt: '0000000001700000000000-0000-device',
    enterpriseName: '宁夏瑞泰水泥有限公司',
    grade: 'D',
    unverified: false,
    lockedUntil: null,
    members: ['张伟'],
    processCount: 1,
    answered: 0,
    open: 2,
    frozen: false,
    revisedBy: null,
    ...over,
  };
}

describe('the visit list', () => {
  afterEach(() => setTransport(null));

  it('reads every visit’s grade by the same rule', async () => {
    const fake = fakeTransport({
      'inspection.list': () => [
        summary({ enterpriseName: '甲水泥有限公司' }),
        summary({
          id: '00000000-0000-4000-8000-0000000000a2',
          enterpriseName: '乙水泥有限公司',
          grade: 'C',
          answered: 1,
          open: 1,
        }),
        summary({
          id: '00000000-0000-4000-8000-0000000000a3',
          enterpriseName: '丙水泥有限公司',
          status: 'finalized',
          grade: 'B',
          answered: 2,
          open: 0,
          frozen: true,
        }),
      ],
    });
    setTransport(fake.transport);
    render(
      <Providers>
        <InspectionsPage />
      </Providers>,
    );
    const row = async (name: string) =>
      within((await screen.findByText(name)).closest('tr') as HTMLElement);
    expect((await row('甲水泥有限公司')).getByText('未评定')).toBeTruthy();
    expect((await row('乙水泥有限公司')).getByText('暂评 C级（尚有 1 项未填）')).toBeTruthy();
    expect((await row('丙水泥有限公司')).getByText('B级')).toBeTruthy();
  });
});

describe('the registry’s current grade', () => {
  beforeEach(() => resetRegistryStore());
  afterEach(() => setTransport(null));

  it('shows the latest finalized visit’s grade, and a later violation with its date and lock', async () => {
    const visit = {
      id: 'v',
      date: '2026-11-20',
      grade: 'B',
      lockedUntil: null,
      answered: 2,
      open: 0,
      frozen: true,
    };
    renderRegistry(
      fakeTransport({
        'enterprise.list': () => ({
          total: 3,
          items: [
            enterprise({ name: '甲水泥有限公司' }),
            enterprise({
              name: '乙水泥有限公司',
              currentGrade: {
                grade: 'C',
                visit: { ...visit, grade: 'C', answered: 1, open: 1 },
                violation: null,
              },
            }),
            enterprise({
              name: '丙水泥有限公司',
              lockedUntil: '2027-11-02',
              currentGrade: {
                grade: 'D',
                visit,
                violation: { date: '2026-11-02', kind: '超标排放', lockedUntil: '2027-11-02' },
              },
            }),
          ],
        }),
      }),
    );
    const row = async (name: string) =>
      within((await screen.findByText(name)).closest('tr') as HTMLElement);
    expect((await row('甲水泥有限公司')).getByText('未评定')).toBeTruthy();
    expect((await row('乙水泥有限公司')).getByText('暂评 C级（定稿时尚有 1 项未填）')).toBeTruthy();
    const locked = await row('丙水泥有限公司');
    expect(locked.getByText('D级')).toBeTruthy();
    expect(locked.getByText('违法记录（2026-11-02）：锁定至 2027-11-02')).toBeTruthy();
  });
});

describe('an enterprise’s lock in its visits drawer', () => {
  it('names the violation that set it, with its date', () => {
    const v = (date: string, kind: string) => ({
      id: date,
      enterpriseId: 'e',
      date,
      kind,
      note: null,
      inspectionId: null,
      withdrawal: null,
      createdAt: 1,
      evidence: [],
    });
    expect(lockText([v('2026-03-01', '弄虚作假'), v('2026-11-02', '超标排放')], '2027-11-02')).toBe(
      '违法记录（2026-11-02，超标排放）：锁定至 2027-11-02，此前不得申请提级',
    );
    expect(lockText([], '2027-11-02')).toBe('存在违法情形，2027-11-02 前不得申请提级');
  });
});
