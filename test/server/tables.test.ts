import { describe, expect, it } from 'vitest';

import { syncedTables } from '../../db/synced-tables';
import { allServerTables, serverTable } from '../../server/sync/tables';

describe('the central store’s view of the synced tables', () => {
  it('knows every synced table of the app, and no other', () => {
    expect(
      allServerTables()
        .map((t) => t.name)
        .sort(),
    ).toEqual(Object.keys(syncedTables).sort());
    expect(serverTable('outbox')).toBeUndefined();
    expect(serverTable('__proto__')).toBeUndefined();
  });

  it('finds every row under an enterprise through foreign keys of the app’s schema', () => {
    for (const table of allServerTables()) {
      if (table.scope.kind !== 'child') continue;
      for (const parent of table.scope.parents) {
        const target = serverTable(table.references.get(parent) as string);
        expect(target?.scope.kind, `${table.name}.${parent}`).not.toBe('shared');
      }
    }
    expect(serverTable('inspection_answers')?.references.get('inspectionId')).toBe('inspections');
    expect(serverTable('plan_versions')?.scope).toEqual({ kind: 'child', parents: ['planId'] });
  });

  it('reads field types and required fields from the schema, and keeps bookkeeping out of ops', () => {
    const enterprises = serverTable('enterprises');
    expect(enterprises?.fields.get('cityCode')).toEqual({
      kind: 'text',
      required: true,
      notNull: true,
    });
    expect(enterprises?.fields.get('deleted')).toEqual({
      kind: 'boolean',
      required: false,
      notNull: true,
    });
    expect(enterprises?.fields.get('createdAt')?.kind).toBe('integer');
    expect(enterprises?.fields.has('fieldClocks')).toBe(false);
    expect(enterprises?.reserved.has('updatedBy')).toBe(true);
    expect(serverTable('attachments')?.rowId.test('a'.repeat(64))).toBe(true);
    expect(serverTable('enterprises')?.rowId.test('../x')).toBe(false);
  });
});
