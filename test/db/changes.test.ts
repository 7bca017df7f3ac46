import { afterAll, afterEach, describe, expect, it } from 'vitest';

import { announceChanged, fieldClock, onTablesChanged, writeChanges } from '../../db/changes';
import { listOutbox, pendingOpCount } from '../../db/repositories/device';
import { parseHlc } from '../../shared/sync/hlc';
import { closeAppContext, createTestContext } from '../helpers/context';

const ROW = { name: '宁夏瑞泰水泥有限公司', cityCode: '6401', countyCode: '640104', createdAt: 1 };

describe('writeChanges()', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));
  afterEach(() => {
    ctx.db.sqlite.exec(
      "DELETE FROM enterprises; DELETE FROM outbox; DELETE FROM sync_state WHERE key <> 'deviceId'",
    );
  });

  it('records an insert as one op carrying every field, in the same transaction', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    const ops = listOutbox(ctx.db);
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({
      seq: 1,
      table: 'enterprises',
      rowId: 'e1',
      deviceId: ctx.device.deviceId,
      values: ROW,
    });
    expect(parseHlc(ops[0]!.hlc).node).toBe(ctx.device.deviceId);
  });

  it('records only the fields an update really changes', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    const changed = writeChanges(ctx.db, ctx.device, (c) =>
      c.update('enterprises', 'e1', { name: ROW.name, address: '金凤区' }),
    );
    expect(changed).toEqual(['address']);
    expect(listOutbox(ctx.db).map((o) => o.values)).toEqual([ROW, { address: '金凤区' }]);
  });

  it('writes no op when nothing changes', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', 'e1', { name: ROW.name }));
    expect(pendingOpCount(ctx.db)).toBe(1);
  });

  it('tombstones a delete instead of removing the row', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    writeChanges(ctx.db, ctx.device, (c) => c.markDeleted('enterprises', 'e1'));
    const row = ctx.db.sqlite.prepare('SELECT deleted FROM enterprises WHERE id = ?').get('e1');
    expect(row).toEqual({ deleted: 1 });
    expect(listOutbox(ctx.db).at(-1)?.values).toEqual({ deleted: true });
  });

  it('gives sequences and clocks that only grow, across transactions', () => {
    writeChanges(ctx.db, ctx.device, (c) => {
      c.insert('enterprises', 'e1', ROW);
      c.insert('enterprises', 'e2', { ...ROW, name: '另一家' });
    });
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', 'e1', { address: 'x' }));
    const ops = listOutbox(ctx.db);
    expect(ops.map((o) => o.seq)).toEqual([1, 2, 3]);
    const clocks = ops.map((o) => o.hlc);
    expect([...clocks].sort()).toEqual(clocks);
    expect(new Set(clocks).size).toBe(3);
  });

  it('keeps each field its own clock for last-writer-wins merges', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', 'e1', { address: 'x' }));
    const { field_clocks: clocks } = ctx.db.sqlite
      .prepare('SELECT field_clocks FROM enterprises WHERE id = ?')
      .get('e1') as { field_clocks: string };
    const [insertOp, updateOp] = listOutbox(ctx.db);
    expect(fieldClock(clocks, 'name')).toBe(insertOp!.hlc);
    expect(fieldClock(clocks, 'address')).toBe(updateOp!.hlc);
  });

  it('rolls back the row and its op together when the write fails', () => {
    expect(() =>
      writeChanges(ctx.db, ctx.device, (c) => {
        c.insert('enterprises', 'e1', ROW);
        throw new Error('power cut');
      }),
    ).toThrow('power cut');
    expect(pendingOpCount(ctx.db)).toBe(0);
    expect(ctx.db.sqlite.prepare('SELECT count(*) AS n FROM enterprises').get()).toEqual({ n: 0 });
    // The sequence did not advance either.
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    expect(listOutbox(ctx.db)[0]?.seq).toBe(1);
  });

  it('refuses an asynchronous callback, since transactions must not await', () => {
    expect(() => writeChanges(ctx.db, ctx.device, async () => Promise.resolve())).toThrow(
      /synchronous/,
    );
  });

  it('refuses a field that is not synced', () => {
    expect(() =>
      writeChanges(ctx.db, ctx.device, (c) =>
        c.insert('enterprises', 'e1', { ...ROW, fieldClocks: '{}' }),
      ),
    ).toThrow(/not a synced field/);
  });
});

describe('the tables a write changed are announced by the chokepoint', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));
  afterEach(() => {
    ctx.db.sqlite.exec(
      "DELETE FROM enterprise_processes; DELETE FROM enterprises; DELETE FROM outbox; DELETE FROM sync_state WHERE key <> 'deviceId'",
    );
  });

  function heard(run: () => void): string[][] {
    const tables: string[][] = [];
    const off = onTablesChanged(ctx.db, (t) => tables.push(t));
    try {
      run();
    } finally {
      off();
    }
    return tables;
  }

  it('announces each table a write touched, once, after it commits', () => {
    let visibleWhenHeard = false;
    const off = onTablesChanged(ctx.db, () => {
      visibleWhenHeard = !ctx.db.sqlite.inTransaction;
    });
    const tables = heard(() =>
      writeChanges(ctx.db, ctx.device, (c) => {
        c.insert('enterprises', 'e1', ROW);
        c.update('enterprises', 'e1', { address: '金凤区' });
      }),
    );
    off();
    expect(tables).toEqual([['enterprises']]);
    expect(visibleWhenHeard).toBe(true);
  });

  it('announces nothing for a write that changed nothing, or one that was rolled back', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    const tables = heard(() => {
      writeChanges(ctx.db, ctx.device, (c) => c.update('enterprises', 'e1', { name: ROW.name }));
      expect(() =>
        writeChanges(ctx.db, ctx.device, (c) => {
          c.update('enterprises', 'e1', { address: '金凤区' });
          throw new Error('refused');
        }),
      ).toThrow('refused');
    });
    expect(tables).toEqual([]);
  });

  it('holds the tables of a write inside another transaction until its owner announces after commit', () => {
    const tables: string[][] = [];
    const off = onTablesChanged(ctx.db, (t) => tables.push(t));
    ctx.db.sqlite.transaction(() => {
      writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    })();
    expect(tables).toEqual([]);
    announceChanged(ctx.db, ['violations']);
    off();
    expect(tables.map((t) => [...t].sort())).toEqual([['enterprises', 'violations']]);
  });

  it('announces the tables a write says it affects without touching them', () => {
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    const tables = heard(() =>
      writeChanges(ctx.db, ctx.device, (c) => {
        c.update('enterprises', 'e1', { address: '金凤区' });
        c.affects('inspections', 'plans');
      }),
    );
    expect(tables.map((t) => [...t].sort())).toEqual([['enterprises', 'inspections', 'plans']]);
  });

  it('reaches the app as data.changed', () => {
    const events: unknown[] = [];
    const off = ctx.events.subscribe((event, payload) => events.push([event, payload]));
    writeChanges(ctx.db, ctx.device, (c) => c.insert('enterprises', 'e1', ROW));
    off();
    expect(events).toEqual([['data.changed', { tables: ['enterprises'] }]]);
  });
});
