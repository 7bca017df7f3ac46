import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CITIES } from '../../shared/domain/regions';
import type { SyncChange, SyncOp } from '../../shared/sync/protocol';
import type { Store } from '../../server/db/store';
import { startServer, type RunningServer } from '../../server/start';

import { Device, enterprise, makeUser, newId, openTestStore } from './helpers';

/**
 * `npm run test:sync-load`: 50 devices push 1,000 ops each at the same time over loopback HTTP
 * (batches of 100), while a region device keeps pulling. Nothing may be lost: every op accepted
 * once, every device's lastSeq 1000, the final state equal to last-writer-wins over all ops, and
 * the puller — which only ever followed its cursor — ending with exactly that state.
 * Runs on PGlite, or on PostgreSQL when DATABASE_URL is set.
 */

const CLIENTS = 50;
const OPS_PER_CLIENT = 1000;
const BATCH = 100;
const OWN_ROWS = 100;
const HOT_ROWS_PER_CITY = 2;
const FIELDS = ['contactPhone', 'contactPerson', 'address'] as const;

const realClock = { now: () => Date.now() };

describe(`the sync server under load (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let store: Store;
  let server: RunningServer;

  beforeAll(async () => {
    store = await openTestStore(process.env.DATABASE_URL ? 'postgres' : 'pglite');
    server = await startServer({ port: 0, host: '127.0.0.1', store });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
  });

  it(`loses none of ${CLIENTS} × ${OPS_PER_CLIENT} ops pushed concurrently`, async () => {
    const fetcher = (path: string, init: RequestInit) => fetch(`${server.url}${path}`, init);
    await makeUser(store.db, 'load-admin', '管理员', 'region');
    for (const city of CITIES) await makeUser(store.db, `load-${city.code}`, '帮扶队员', city.code);

    // The region admin files a few shared ("hot") enterprises per city that everyone edits.
    const admin = new Device(fetcher, realClock);
    expect((await admin.login('load-admin')).status).toBe(200);
    const hot = new Map<string, string[]>();
    const hotOps: SyncOp[] = [];
    for (const city of CITIES) {
      const ids = Array.from({ length: HOT_ROWS_PER_CITY }, () => newId());
      hot.set(city.code, ids);
      for (const id of ids)
        hotOps.push(admin.op('enterprises', id, enterprise(city.code, `热点${id}`)));
    }
    expect((await admin.push(hotOps)).body.accepted).toHaveLength(hotOps.length);

    const devices = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const city = (CITIES[i % CITIES.length] as (typeof CITIES)[number]).code;
        const d = new Device(fetcher, realClock);
        const login = await d.login(`load-${city}`);
        expect(login.status).toBe(200);
        return { d, city };
      }),
    );

    // Every device's ops: its own enterprises first, then edits of its own and its city's hot rows.
    const plans = devices.map(({ d, city }, i) => {
      const own = Array.from({ length: OWN_ROWS }, () => newId());
      const targets = [...own, ...(hot.get(city) as string[])];
      let n = 0;
      const make = (): SyncOp => {
        n++;
        if (n <= OWN_ROWS) {
          return d.op('enterprises', own[n - 1] as string, enterprise(city, `企业${i}-${n}`));
        }
        const id = targets[(n * 7 + i) % targets.length] as string;
        const field = FIELDS[n % FIELDS.length] as string;
        return d.op('enterprises', id, { [field]: `d${i}-op${n}` });
      };
      return { d, make };
    });

    // A region device follows the cursor all along, applying pages as a client would.
    const watcher = new Device(fetcher, realClock);
    expect((await watcher.login('load-admin')).status).toBe(200);
    const seen = new Map<string, SyncChange>();
    let cursor: string | null = null;
    let pushing = true;
    let pulls = 0;
    const follow = (async () => {
      while (pushing) {
        const page = await watcher.pull(cursor, 500);
        expect(page.status).toBe(200);
        for (const c of page.body.changes) seen.set(c.rowId, c);
        cursor = page.body.cursor;
        pulls++;
        if (!page.body.more) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const stopFollowing = async () => {
      pushing = false;
      await follow;
    };

    const allOps: SyncOp[] = [];
    const started = performance.now();
    const pushed = Promise.all(
      plans.map(async ({ d, make }) => {
        let accepted = 0;
        let lastSeq = 0;
        for (let sent = 0; sent < OPS_PER_CLIENT; sent += BATCH) {
          const batch = Array.from({ length: BATCH }, make);
          allOps.push(...batch);
          const reply = await d.push(batch);
          expect(reply.status).toBe(200);
          expect(reply.body.parked).toEqual([]);
          accepted += reply.body.accepted.length;
          lastSeq = reply.body.lastSeq;
        }
        return { accepted, lastSeq };
      }),
    );
    const results = await pushed.catch(async (e: unknown) => {
      await stopFollowing().catch(() => undefined);
      throw e;
    });
    const elapsed = performance.now() - started;
    await stopFollowing();

    expect(
      results.every((r) => r.accepted === OPS_PER_CLIENT && r.lastSeq === OPS_PER_CLIENT),
    ).toBe(true);
    const total = results.reduce((s, r) => s + r.accepted, 0);
    expect(total).toBe(CLIENTS * OPS_PER_CLIENT);

    // What last-writer-wins over every op gives, field by field.
    const expected = new Map<string, Map<string, { value: unknown; hlc: string }>>();
    for (const op of [...hotOps, ...allOps]) {
      let fields = expected.get(op.rowId);
      if (!fields)
        expected.set(op.rowId, (fields = new Map<string, { value: unknown; hlc: string }>()));
      for (const [field, value] of Object.entries(op.values)) {
        const current = fields.get(field);
        if (!current || op.hlc > current.hlc) fields.set(field, { value, hlc: op.hlc });
      }
    }
    const check = (changes: Map<string, SyncChange>) => {
      expect(changes.size).toBe(expected.size);
      for (const [rowId, fields] of expected) {
        const row = changes.get(rowId);
        for (const [field, want] of fields) {
          expect(row?.values[field], `${rowId}.${field}`).toEqual(want.value);
          expect(row?.clocks[field]).toBe(want.hlc);
        }
      }
    };
    const snapshot = await admin.pullAll(null, 1000);
    check(new Map(snapshot.changes.map((c) => [c.rowId, c])));
    // The watcher catches up from its last cursor and must then hold the same state.
    const rest = await watcher.pullAll(cursor, 1000);
    for (const c of rest.changes) seen.set(c.rowId, c);
    check(seen);

    const seconds = elapsed / 1000;
    const line = `sync load (${store.kind}): ${CLIENTS} clients × ${OPS_PER_CLIENT} ops = ${total} ops in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} ops/s, batches of ${BATCH}); ${expected.size} rows; watcher pulled ${pulls} pages meanwhile`;
    process.stdout.write(`\n${line}\n`);
  });
});
