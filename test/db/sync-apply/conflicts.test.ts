/**
 * Tests of db/sync-apply: last writer wins by hybrid clock, and the conflicts recorded when a
 * remote value meets an unsent local edit.
 */

import { describe, expect, it } from 'vitest';

import { writeChanges } from '../../../db/changes';
import { listOutbox } from '../../../db/repositories/device';
import { listOpenConflicts } from '../../../db/repositories/sync';
import { applyPullPage } from '../../../db/sync-apply';
import { stamp } from '../../helpers/sync';
import {
  acknowledgeAll,
  change,
  deviceOpener,
  E1,
  enterprise,
  page,
  REMOTE,
  row,
  T,
} from '../../helpers/sync-apply';

describe('applyPullPage()', () => {
  const { device } = deviceOpener();

  it('lets a newer remote value win over an acknowledged local one, without a conflict', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T + 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('金凤区');
    expect(listOpenConflicts(ctx.db)).toEqual([]);
  });

  it('records the local value as the loser when a newer remote value meets an unsent local edit', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', E1, { address: '兴庆区' }));
    const local = listOutbox(ctx.db).at(-1)!.hlc;
    const remote = stamp(T + 60_000, REMOTE);
    const result = applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, remote)]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('金凤区');
    expect(result.conflicts).toBe(1);
    expect(listOpenConflicts(ctx.db)).toMatchObject([
      {
        table: 'enterprises',
        rowId: E1,
        field: 'address',
        localValue: '兴庆区',
        localClock: local,
        remoteValue: '金凤区',
        remoteClock: remote,
        winner: 'remote',
        source: 'server',
      },
    ]);
  });

  it('keeps a newer unsent local value and records the older remote one as the loser', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', E1, { address: '兴庆区' }));
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.address).toBe('兴庆区');
    expect(listOpenConflicts(ctx.db)).toMatchObject([
      { field: 'address', localValue: '兴庆区', remoteValue: '金凤区', winner: 'local' },
    ]);
    // Seen again (the same pair of clocks), it is still one conflict.
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { address: '金凤区' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(listOpenConflicts(ctx.db)).toHaveLength(1);
  });

  it('ignores an older remote value of a field the local side did not change', () => {
    const ctx = device();
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', E1, enterprise()));
    acknowledgeAll(ctx);
    applyPullPage(
      ctx.db,
      ctx.device,
      page([change('enterprises', E1, { name: '旧名称' }, stamp(T - 60_000, REMOTE))]),
    );
    expect(row(ctx, 'enterprises', E1)?.name).toBe('宁夏瑞泰水泥有限公司');
    expect(listOpenConflicts(ctx.db)).toEqual([]);
  });

  it('breaks a tie of wall time and counter by device id, the same way on every device', () => {
    const low = '0190aaaa-0000-7000-8000-000000000001';
    const high = '0190bbbb-0000-7000-8000-000000000001';
    const base = change('enterprises', E1, enterprise(), stamp(T, low));
    const a = change('enterprises', E1, { address: '甲' }, stamp(T + 5, low));
    const b = change('enterprises', E1, { address: '乙' }, stamp(T + 5, high));
    const one = device(1);
    const two = device(2);
    applyPullPage(one.db, one.device, page([base, a]));
    applyPullPage(one.db, one.device, page([b]));
    applyPullPage(two.db, two.device, page([base, b]));
    applyPullPage(two.db, two.device, page([a]));
    expect(row(one, 'enterprises', E1)?.address).toBe('乙');
    expect(row(two, 'enterprises', E1)?.address).toBe('乙');
  });
});
