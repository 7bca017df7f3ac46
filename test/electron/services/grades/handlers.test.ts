import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../../../../electron/api';
import type { AppContext } from '../../../../electron/services/context';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { createSite, type Site } from '../../../helpers/inspections';

import { approve, logIn } from './support';

describe('the grade.* methods through dispatch', () => {
  let ctx: AppContext;
  let site: Site;

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
  });
  afterEach(() => closeAppContext(ctx));

  it('answers grade.history and grade.proposals, no longer pending', async () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    const history = await dispatch(ctx, 'grade.history', { enterpriseId: site.enterpriseId });
    expect(history).toMatchObject({ ok: true, value: { official: { grade: 'B' } } });
    expect(await dispatch(ctx, 'grade.proposals', { cityCode: '6401' })).toEqual({
      ok: true,
      value: [],
    });
  });

  it('refuses a grade.change without a reason before it reaches the service', async () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    const result = await dispatch(ctx, 'grade.change', {
      enterpriseId: site.enterpriseId,
      cause: '复核降级',
      grade: 'C',
      reason: '',
      effectiveDate: '2026-11-25',
      decidedBy: '王芳',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toContain('变更原因');
    }
  });

  it('makes a grade.change for the account allowed', async () => {
    approve(ctx, site.enterpriseId, 'B', '2026-03-01');
    logIn(ctx, '市级审核', '6401');
    const result = await dispatch(ctx, 'grade.change', {
      enterpriseId: site.enterpriseId,
      cause: '复核降级',
      grade: 'C',
      reason: '复核发现不达标',
      effectiveDate: '2026-11-25',
      decidedBy: '王芳',
    });
    expect(result).toMatchObject({ ok: true, value: { grade: 'C', change: '降级' } });
  });
});
