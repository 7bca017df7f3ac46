/**
 * Tests of db/sync-apply: finalized visits: a finalization held back until the last page of a
 * pull.
 */

import { describe, expect, it } from 'vitest';

import { countDeferred } from '../../../db/repositories/sync';
import { applyPullPage } from '../../../db/sync-apply';
import type { AppContext } from '../../../electron/services/context';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../../electron/services/inspections';
import { createSite, startSiteInspection } from '../../helpers/inspections';
import { outboxCount, replicaState, snapshotChanges, stamp } from '../../helpers/sync';
import {
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

  describe('finalized visits', () => {
    function finalizedVisit(ctx: AppContext) {
      const site = createSite(ctx);
      const visit = startSiteInspection(ctx, site).inspection;
      for (const m of getInspectionDetail(ctx, visit.id).members) {
        confirmInspection(ctx, { inspectionId: visit.id, memberId: m.id });
      }
      finalizeInspection(ctx, visit.id);
      return visit;
    }

    it('records a remote change of a finalized visit instead of failing the page', () => {
      const ctx = device();
      const visit = finalizedVisit(ctx);
      const result = applyPullPage(
        ctx.db,
        ctx.device,
        page([
          change('inspections', visit.id, { note: '事后补记' }, stamp(Date.now(), REMOTE)),
          change('enterprises', E1, enterprise(), stamp(T, REMOTE)),
        ]),
      );
      expect(row(ctx, 'inspections', visit.id)?.note).toBeNull();
      expect(row(ctx, 'enterprises', E1)).toBeDefined();
      expect(result.deferred).toBe(1);
      expect(countDeferred(ctx.db).byReason).toEqual({ immutable: 1 });
    });

    it('receives a finalized visit whose rows arrive after it, on later pages', () => {
      const source = device(1);
      const visit = finalizedVisit(source);
      const changes = snapshotChanges(source);
      const target = device(2);
      // The visit first, its members and processes on the next page (as after a city move).
      const visitRows = changes.filter((c) =>
        ['enterprises', 'inspections', 'pinned_rulesets', 'enterprise_processes'].includes(c.table),
      );
      const rest = changes.filter((c) => !visitRows.includes(c));
      applyPullPage(target.db, target.device, page(visitRows, '1', true));
      expect(row(target, 'inspections', visit.id)?.status).toBe('draft');
      applyPullPage(target.db, target.device, page(rest, '2', false));
      expect(row(target, 'inspections', visit.id)?.status).toBe('finalized');
      expect(countDeferred(target.db).total).toBe(0);
      expect(replicaState(target.db)).toEqual(replicaState(source.db));
      expect(outboxCount(target.db)).toBe(0);
    });
  });
});
