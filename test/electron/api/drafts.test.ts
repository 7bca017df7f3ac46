import fs from 'node:fs';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { dispatch } from '../../../electron/api';
import { pendingOpCount } from '../../../db/repositories/device';
import { DRAFTS_FILE } from '../../../db/drafts';
import { closeAppContext, createTestContext } from '../../helpers/context';

const VISIT = '0190a0b0-0000-7000-8000-00000000000a';

describe('draft.write and draft.list', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));

  it('keeps typing in drafts.db beside the database, outside the sync outbox', async () => {
    const before = pendingOpCount(ctx.db);
    const writtenAt = Date.now();
    const written = await dispatch(ctx, 'draft.write', {
      put: [
        {
          scope: 'inspection',
          recordId: VISIT,
          key: 'info:note',
          value: '厂区东侧料场未全封闭',
          base: null,
          writtenAt,
        },
      ],
      clear: [],
    });

    expect(written).toEqual({ ok: true, value: { kept: 1, cleared: 0 } });
    expect(await dispatch(ctx, 'draft.list', { scope: 'inspection', recordId: VISIT })).toEqual({
      ok: true,
      value: [
        {
          scope: 'inspection',
          recordId: VISIT,
          key: 'info:note',
          value: '厂区东侧料场未全封闭',
          base: null,
          writtenAt,
        },
      ],
    });
    expect(pendingOpCount(ctx.db)).toBe(before);
    expect(fs.existsSync(path.join(ctx.dataDir, DRAFTS_FILE))).toBe(true);
  });

  it('refuses a draft of an unknown kind of record or a value that is not text-safe', async () => {
    const bad = await dispatch(ctx, 'draft.write', {
      put: [
        { scope: 'enterprise', recordId: VISIT, key: 'k', value: 1, base: null, writtenAt: 1 },
        { scope: 'plan', recordId: 'not-an-id', key: 'k', value: 1, base: null, writtenAt: 1 },
      ],
      clear: [],
    });

    expect(bad.ok).toBe(false);
    expect(await dispatch(ctx, 'draft.list', { scope: 'plan', recordId: VISIT })).toEqual({
      ok: true,
      value: [],
    });
  });
});
