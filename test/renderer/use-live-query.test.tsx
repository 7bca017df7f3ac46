import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { setTransport } from '../../renderer/src/api';
import { useLiveQuery } from '../../renderer/src/use-live-query';

import { fakeTransport } from './fake-transport';

/** A fetch whose answers the test hands out, in any order. */
function controlledFetch() {
  const pending: ((value: string) => void)[] = [];
  const fetch = () => new Promise<string>((resolve) => pending.push(resolve));
  return { fetch, pending };
}

function Shown({ fetch }: { fetch: () => Promise<string> }) {
  const { data } = useLiveQuery(fetch, (t) => t === 'enterprises');
  return <p>{data ?? '加载中'}</p>;
}

describe('useLiveQuery', () => {
  afterEach(() => setTransport(null));

  it('shows the answer of the latest run when an earlier one lands after it', async () => {
    const fake = fakeTransport({});
    setTransport(fake.transport);
    const { fetch, pending } = controlledFetch();
    render(<Shown fetch={fetch} />);
    await act(async () => {
      pending[0]?.('第一次');
      await Promise.resolve();
    });
    expect(screen.getByText('第一次')).toBeTruthy();

    // Two changes in a row start two runs; the first run's answer comes back last.
    act(() => fake.emit('data.changed', { tables: ['enterprises'] }));
    act(() => fake.emit('data.changed', { tables: ['enterprises'] }));
    expect(pending).toHaveLength(3);
    await act(async () => {
      pending[2]?.('最新');
      await Promise.resolve();
    });
    await act(async () => {
      pending[1]?.('较早');
      await Promise.resolve();
    });
    expect(screen.getByText('最新')).toBeTruthy();
    expect(screen.queryByText('较早')).toBeNull();
  });

  it('does not run again for a change to a table it does not watch', () => {
    const fake = fakeTransport({});
    setTransport(fake.transport);
    const { fetch, pending } = controlledFetch();
    render(<Shown fetch={fetch} />);
    act(() => fake.emit('data.changed', { tables: ['plans'] }));
    expect(pending).toHaveLength(1);
  });
});
