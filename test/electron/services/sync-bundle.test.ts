import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../db/repositories/device';
import { listAllConflicts, recordPushOutcome } from '../../../db/repositories/sync';
import type { AppContext } from '../../../electron/services/context';
import {
  createEnterprise,
  getEnterprise,
  updateEnterprise,
} from '../../../electron/services/enterprises';
import { addEvidence, readEvidence } from '../../../electron/services/inspections';
import {
  BUNDLE_FORMAT_VERSION,
  buildBundle,
  exportBundle,
  importBundle,
  importBundleFile,
} from '../../../electron/services/sync-bundle';
import { syncStatus } from '../../../electron/services/sync';
import { EnterpriseDraftSchema } from '../../../shared/domain/enterprise';
import { tempDir } from '../../helpers/context';
import { thrown } from '../../helpers/errors';
import { createSite, startSiteInspection } from '../../helpers/inspections';
import { closeAppContext, createDevice, replicaState, SharedClock } from '../../helpers/sync';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)]);

function draft(name: string, over: Record<string, unknown> = {}) {
  return EnterpriseDraftSchema.parse({ name, cityCode: '6401', countyCode: '640104', ...over });
}

function bundleState(ctx: AppContext) {
  return {
    rows: replicaState(ctx.db),
    conflicts: listAllConflicts(ctx.db),
    imported: ctx.db.sqlite.prepare('SELECT count(*) AS n FROM sync_bundle_ops').get(),
    outbox: listOutbox(ctx.db, 0, 1_000_000).length,
  };
}

describe('sync bundles (USB)', () => {
  const opened: AppContext[] = [];
  const clock = new SharedClock();
  const device = (n: number) => {
    const ctx = createDevice(n, clock);
    opened.push(ctx);
    return ctx;
  };
  afterEach(() => {
    for (const c of opened.splice(0)) closeAppContext(c);
  });

  it('carries the unsent ops and their photos to another device, once', () => {
    const a = device(1);
    const b = device(2);
    const site = createSite(a);
    const visit = startSiteInspection(a, site).inspection;
    const use = addEvidence(a, { inspectionId: visit.id, fileName: '现场.jpg', data: JPEG });
    const file = path.join(tempDir(), 'a.uplift-sync');
    const written = exportBundle(a, file);
    expect(written).toMatchObject({ ops: listOutbox(a.db, 0, 1_000_000).length, attachments: 1 });

    const first = importBundleFile(b, file);
    expect(first).toMatchObject({
      fromDevice: a.device.deviceId,
      applied: written.ops,
      skipped: 0,
      attachments: 1,
    });
    expect(replicaState(b.db)).toEqual(replicaState(a.db));
    expect(Buffer.from(readEvidence(b, use.id).data).equals(JPEG)).toBe(true);
    // Imported changes are not this device's edits: nothing to push from here.
    expect(syncStatus(b).pendingOps).toBe(0);

    const before = bundleState(b);
    const second = importBundleFile(b, file);
    expect(second).toMatchObject({ applied: 0, skipped: written.ops, rows: 0, conflicts: 0 });
    expect(bundleState(b)).toEqual(before);
  });

  it('holds only what the central store has not acknowledged', () => {
    const a = device(1);
    createEnterprise(a, draft('宁夏一号水泥有限公司'));
    const sent = listOutbox(a.db);
    recordPushOutcome(
      a.db,
      { sent, accepted: sent.map((o) => o.opId), parked: [], lastSeq: sent.at(-1)!.seq },
      0,
    );
    const e2 = createEnterprise(a, draft('宁夏二号建材有限公司'));
    const bundle = buildBundle(a);
    expect(bundle.ops).toBe(1);
    const b = device(2);
    importBundle(b, bundle.data, bundle.fileName);
    expect(getEnterprise(b, e2.id).name).toBe('宁夏二号建材有限公司');
  });

  it('records a conflict with an unsent local edit of the same field, last writer winning', () => {
    const a = device(1);
    const b = device(2);
    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    importBundle(b, buildBundle(a).data, 'first');
    updateEnterprise(b, e.id, draft('宁夏瑞泰水泥有限公司', { address: '乙地址' }));
    updateEnterprise(a, e.id, draft('宁夏瑞泰水泥有限公司', { address: '甲地址' }));
    const summary = importBundle(b, buildBundle(a).data, 'second');
    expect(summary.conflicts).toBe(1);
    expect(getEnterprise(b, e.id).address).toBe('甲地址');
    expect(syncStatus(b).conflicts).toMatchObject([
      {
        field: 'address',
        localValue: '乙地址',
        remoteValue: '甲地址',
        winner: 'remote',
        source: `bundle:${a.device.deviceId}`,
      },
    ]);
  });

  describe('refuses a bad bundle, naming the problem, and changes nothing', () => {
    function setup() {
      const a = device(1);
      const b = device(2);
      createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
      createEnterprise(b, draft('本机企业'));
      return { a, b, bundle: buildBundle(a).data };
    }

    it('with a changed byte (wrong hash)', () => {
      const { b, bundle } = setup();
      const before = bundleState(b);
      const bad = Buffer.from(bundle);
      bad[bad.length - 10] = (bad[bad.length - 10] as number) ^ 0xff;
      expect(thrown(() => importBundle(b, bad, 'u.uplift-sync')).message).toMatch(/校验失败/);
      expect(bundleState(b)).toEqual(before);
    });

    it('cut short', () => {
      const { b, bundle } = setup();
      const before = bundleState(b);
      expect(
        thrown(() => importBundle(b, bundle.subarray(0, bundle.length - 20), 'u')).message,
      ).toMatch(/不完整/);
      expect(thrown(() => importBundle(b, bundle.subarray(0, 30), 'u')).message).toMatch(/不完整/);
      expect(bundleState(b)).toEqual(before);
    });

    it('from a newer format', () => {
      const { b, bundle } = setup();
      const newer = Buffer.from(
        bundle
          .toString('latin1')
          .replace(
            `UPLIFT-SYNC-BUNDLE ${BUNDLE_FORMAT_VERSION}`,
            `UPLIFT-SYNC-BUNDLE ${BUNDLE_FORMAT_VERSION + 1}`,
          ),
        'latin1',
      );
      expect(thrown(() => importBundle(b, newer, 'u')).message).toMatch(/更新版本.*升级/);
    });

    it('that is not a bundle at all', () => {
      const { b } = setup();
      expect(
        thrown(() => importBundle(b, Buffer.from('PK\u0003\u0004 not ours'), 'x.zip')).message,
      ).toMatch(/不是 Uplift 同步包/);
    });

    it('written by this very device', () => {
      const { a, bundle } = setup();
      const before = bundleState(a);
      expect(thrown(() => importBundle(a, bundle, 'mine')).message).toMatch(/本机导出/);
      expect(bundleState(a)).toEqual(before);
    });

    it('whose file cannot be read', () => {
      const { b } = setup();
      expect(
        thrown(() => importBundleFile(b, path.join(tempDir(), 'missing.uplift-sync'))).message,
      ).toMatch(/文件不存在/);
    });
  });

  it('writes the file whole, through a temporary file', () => {
    const a = device(1);
    createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    const dir = tempDir();
    const file = path.join(dir, 'x.uplift-sync');
    exportBundle(a, file);
    expect(fs.readdirSync(dir)).toEqual(['x.uplift-sync']);
    expect(fs.readFileSync(file).subarray(0, 19).toString()).toBe('UPLIFT-SYNC-BUNDLE ');
  });
});
