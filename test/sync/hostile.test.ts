import { describe, expect, it } from 'vitest';

import { writeChanges } from '../../db/changes';
import { listDeferred } from '../../db/repositories/sync';
import {
  createEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../electron/services/enterprises';
import { getInspectionDetail } from '../../electron/services/inspections';
import { syncNow, syncStatus } from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync-http';
import { canonicalJson } from '../../shared/canonical-json';
import { formatHlc } from '../../shared/sync/hlc';
import type { PullResponse, SyncChange } from '../../shared/sync/protocol';
import { answer, createSite, NOX, startSiteInspection, TRUCKS } from '../helpers/inspections';
import { useStoreWithDevices } from '../helpers/store-devices';
import { enterpriseDraft as draft, NO_WAIT as quick } from '../helpers/sync';

/**
 * A device's bad data meeting the store, and the store's (or a hostile server's) bad data meeting
 * a device. What a device does with changes it must never apply, pulled over HTTP from the central store
 * in process: a pinned ruleset whose content is not what its id names, text that is not
 * well-formed. The store refuses such pushes (server/sync/push/); these pages stand for what
 * reaches a device anyway (a store restored from a backup taken before it checked, a device
 * pointed at a hostile server): the changes are added to the store's real pull answer.
 */

const store = useStoreWithDevices();
const { device } = store;

/** The store's own fetch, with `extra` added to the first pull page it answers. */
function servingAlso(extra: () => SyncChange[]): FetchLike {
  let served = false;
  return async (url, init) => {
    const res = await store.central.fetch(url, init);
    if (served || !url.endsWith('/sync/pull') || res.status !== 200) return res;
    served = true;
    const page = (await res.json()) as PullResponse;
    page.changes.push(...extra());
    return new Response(JSON.stringify(page), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  };
}

const HOSTILE = '0190ffff-0000-7000-8000-0000000000ff';

function hostileChange(table: string, rowId: string, values: Record<string, unknown>): SyncChange {
  return {
    table,
    rowId,
    values,
    clocks: { '*': formatHlc({ wallMs: store.clock.t + 60_000, counter: 0, node: HOSTILE }) },
  };
}

describe('a device pulling what it must never apply', () => {
  it('sets aside a pinned ruleset whose content is not what its id names, and the visit keeps its grade', async () => {
    const a = await device(1);
    const b = await device(2);
    const site = createSite(a);
    const visit = startSiteInspection(a, site, { processIds: [site.cementId] });
    answer(a, visit.inspection.id, site.cementId, NOX, { fact: 90 });
    answer(a, visit.inspection.id, site.cementId, TRUCKS, { fact: 85 });
    await syncNow(a, { fetch: store.central.fetch, ...quick });
    const pin = visit.processes[0]!.ruleset;
    expect(pin.ruleset).not.toBeNull();

    // The same id, a content under which 90 mg/m³ of NOx reaches A.
    const forged = structuredClone(pin.ruleset!);
    for (const ind of forged.indicators) {
      for (const g of Object.keys(ind.require)) {
        ind.require[g] = ind.kind === 'max' ? 1000 : ind.kind === 'min' ? 0 : ind.require[g]!;
      }
    }
    const ran = await syncNow(b, {
      fetch: servingAlso(() => [
        hostileChange('pinned_rulesets', pin.hash, { json: canonicalJson(forged) }),
      ]),
      ...quick,
    });
    expect(ran.status.state).toBe('idle');
    const seen = getInspectionDetail(b, visit.inspection.id);
    expect(seen.processes[0]!.ruleset.ruleset).toEqual(pin.ruleset);
    expect(seen.grading.processes[0]!.grade).toBe('B');
    expect(syncStatus(b).deferred).toEqual({ forged: 1 });
    expect(listDeferred(b.db, { limit: 10, offset: 0 }).rows[0]).toMatchObject({
      table: 'pinned_rulesets',
      rowId: pin.hash,
      reasons: ['forged'],
      fields: [expect.objectContaining({ field: 'json', reason: 'forged' })],
    });
  });

  it('sets aside a name that is not well-formed text, and the rest of the pull applies', async () => {
    const a = await device(1);
    const b = await device(2);
    createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    await syncNow(a, { fetch: store.central.fetch, ...quick });
    const ran = await syncNow(b, {
      fetch: servingAlso(() => [
        hostileChange('enterprises', '0190ffff-0000-7000-8000-0000000000e1', {
          name: '宁夏\uD800水泥有限公司',
          cityCode: '6401',
          countyCode: '640104',
          createdAt: store.clock.t,
        }),
      ]),
      ...quick,
    });
    expect(ran.status.state).toBe('idle');
    expect(listEnterprises(b, { offset: 0, limit: 50 }).items.map((e) => e.name)).toEqual([
      '宁夏瑞泰水泥有限公司',
    ]);
    expect(syncStatus(b).deferred).toMatchObject({ bad_text: 1 });
  });
});

describe('a device whose outbox holds text that is not well-formed', () => {
  it('has that op parked with a reason and keeps syncing everything after it', async () => {
    const a = await device(1);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    // As an older app (or a broken file) could have written it, past today's API checks.
    writeChanges(a.db, a.device, (ch) =>
      ch.update('enterprises', e.id, { contactPerson: '马\uD800军' }),
    );
    const first = await syncNow(a, { fetch: store.central.fetch, ...quick });
    expect(first).toMatchObject({ pushed: 1, parked: 1 });
    const parked = syncStatus(a).parked;
    expect(parked).toHaveLength(1);
    expect(parked[0]!.reason).toContain('不是有效文字');
    // Later changes still go through, on this sync and the next.
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', '6401', { address: '兴庆区' }));
    const second = await syncNow(a, { fetch: store.central.fetch, ...quick });
    expect(second.parked).toBe(0);
    expect(syncStatus(a).pendingOps).toBe(0);
    const stored = (await store.central.rows()).find((r) => r.rowId === e.id);
    expect(stored?.values).toMatchObject({ name: '宁夏瑞泰水泥有限公司', address: '兴庆区' });
    expect(stored?.values.contactPerson ?? null).toBeNull();
  });
});
