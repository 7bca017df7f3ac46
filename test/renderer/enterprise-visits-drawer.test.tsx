import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { setTransport } from '../../renderer/src/api';
import { EnterpriseVisitsDrawer } from '../../renderer/src/components/EnterpriseVisitsDrawer';
import { Providers } from '../../renderer/src/Providers';
import type { InspectionSummary } from '../../shared/domain/inspection';

import { enterprise, fakeTransport } from './fake-transport';

const COMPANY = enterprise({ name: '宁夏瑞泰水泥有限公司' });

function visit(over: Partial<InspectionSummary>): InspectionSummary {
  return {
    id: '00000000-0000-4000-8000-0000000000a1',
    number: '银川-2026-0001-K7Q3',
    judged: false,
    enterpriseId: COMPANY.id,
    date: '2026-11-20',
    type: '帮扶指导',
    status: 'finalized',
    note: null,
    revisionOf: null,
    correctionReason: null,
    finalizedAt: 2,
    createdAt: 1,
    updatedAt: '0000000001700000000000-0000-device',
    enterpriseName: COMPANY.name,
    grade: 'B',
    unverified: false,
    lockedUntil: null,
    members: ['张伟'],
    processCount: 1,
    answered: 2,
    open: 0,
    frozen: true,
    revisedBy: null,
    ...over,
  };
}

describe('an enterprise’s visits drawer', () => {
  afterEach(() => setTransport(null));

  it('shows every visit’s record number, so a printed page can be matched to its visit', async () => {
    const fake = fakeTransport({
      'inspection.list': () => [
        visit({}),
        visit({
          id: '00000000-0000-4000-8000-0000000000a2',
          number: '银川-2026-0012-7ZX9',
          date: '2026-12-01',
          type: '复核',
          status: 'draft',
          finalizedAt: null,
          frozen: false,
        }),
        // A visit made before numbers existed reads by its derived number.
        visit({
          id: '00000000-0000-4000-8000-0000000000a3',
          number: '宁夏-2025-3F9A0C',
          date: '2025-06-01',
        }),
      ],
      'violation.list': () => ({ violations: [], lockedUntil: null, asOf: '2026-12-05' }),
    });
    setTransport(fake.transport);
    render(
      <Providers>
        <EnterpriseVisitsDrawer open enterprise={COMPANY} onClose={() => undefined} />
      </Providers>,
    );
    const table = (await screen.findByText('2026-12-01')).closest('table') as HTMLElement;
    const header = within(table).getAllByRole('columnheader')[0];
    expect(header?.textContent).toBe('编号');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0]?.textContent)).toEqual([
      '银川-2026-0001-K7Q3',
      '银川-2026-0012-7ZX9',
      '宁夏-2025-3F9A0C',
    ]);
    // Each row's 打开 says which record it opens.
    expect(screen.getByRole('button', { name: '打开 银川-2026-0012-7ZX9' })).toBeTruthy();
  });
});
