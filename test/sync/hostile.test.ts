import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import type { AppContext } from '../../electron/services/context';
import { createEnterprise, updateEnterprise } from '../../electron/services/enterprises';
import { login, syncNow, syncStatus } from '../../electron/services/sync';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import {
  closeAppContext,
  createDevice,
  enterpriseDraft as draft,
  NO_WAIT,
  SharedClock,
} from '../helpers/sync';

/**
 * What one device's bad data does to the store and to the device itself, through the device's
 * own sync client against the store in process.
 */

let central: Central;
const opened: AppContext[] = [];
let clock: SharedClock;

beforeAll(async () => {
  central = await startCentral();
});
afterAll(async () => {
  await central?.close();
});
beforeEach(async () => {
  await central.reset();
  await central.addUser('admin', '管理员', 'region');
  clock = new SharedClock();
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

async function device(n: number): Promise<AppContext> {
  const ctx = createDevice(n, clock);
  opened.push(ctx);
  await login(
    ctx,
    { username: 'admin', password: PASSWORD },
    { server: central.url, fetch: central.fetch },
  );
  return ctx;
}

const sync = (ctx: AppContext) => syncNow(ctx, { fetch: central.fetch, ...NO_WAIT });

describe('a device whose outbox holds text that is not well-formed', () => {
  it('has that op parked with a reason and keeps syncing everything after it', async () => {
    const a = await device(1);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    // As an older app (or a broken file) could have written it, past today's API checks.
    writeChanges(a.db, a.device, (ch) =>
      ch.update('enterprises', e.id, { contactPerson: '马\uD800军' }),
    );
    const first = await sync(a);
    expect(first).toMatchObject({ pushed: 1, parked: 1 });
    const parked = syncStatus(a).parked;
    expect(parked).toHaveLength(1);
    expect(parked[0]!.reason).toContain('不是有效文字');
    // Later changes still go through, on this sync and the next.
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', '6401', { address: '兴庆区' }));
    const second = await sync(a);
    expect(second.parked).toBe(0);
    expect(syncStatus(a).pendingOps).toBe(0);
    const stored = (await central.rows()).find((r) => r.rowId === e.id);
    expect(stored?.values).toMatchObject({ name: '宁夏瑞泰水泥有限公司', address: '兴庆区' });
    expect(stored?.values.contactPerson ?? null).toBeNull();
  });
});
