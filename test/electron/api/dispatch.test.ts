import { afterAll, describe, expect, it } from 'vitest';

import { dispatch, handlers } from '../../../electron/api';
import { mergeHandlers } from '../../../electron/api/merge';
import { pendingOpCount } from '../../../db/repositories/device';
import { METHODS } from '../../../shared/api/contract';
import { closeAppContext, createTestContext } from '../../helpers/context';

describe('dispatch()', () => {
  const ctx = createTestContext();
  afterAll(() => closeAppContext(ctx));

  it('has a handler for every method of the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHODS].sort());
  });

  it('refuses a method the contract does not have', async () => {
    expect(await dispatch(ctx, 'enterprise.drop', {})).toEqual({
      ok: false,
      error: { code: 'unknown_method', message: '未知的接口方法：enterprise.drop' },
    });
  });

  it('refuses invalid input before any handler runs, naming every problem in Chinese', async () => {
    const result = await dispatch(ctx, 'enterprise.create', {
      name: '',
      creditCode: '91110000600037341A',
      cityCode: '6401',
      countyCode: '640104',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.issues?.map((i) => i.path)).toEqual(['name', 'creditCode']);
      expect(result.error.message).toContain('企业名称不能为空');
    }
    expect(pendingOpCount(ctx.db)).toBe(0);
  });

  it('answers a valid call with the handler result', async () => {
    const created = await dispatch(ctx, 'enterprise.create', {
      name: '宁夏瑞泰水泥有限公司',
      cityCode: 'NINGDONG',
    });
    expect(created).toMatchObject({
      ok: true,
      value: { name: '宁夏瑞泰水泥有限公司', countyCode: null },
    });
  });

  it('carries a service error as code and message', async () => {
    const result = await dispatch(ctx, 'enterprise.get', {
      id: '01900000-0000-7000-8000-999999999999',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('turns an unexpected failure into an internal error instead of crashing', async () => {
    const broken = createTestContext();
    closeAppContext(broken);
    const result = await dispatch(broken, 'app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('mergeHandlers()', () => {
  it('refuses two domains that define the same method', () => {
    const a = { 'app.info': () => handlers['app.info'] } as never;
    expect(() => mergeHandlers(a, a)).toThrow('API method defined twice: app.info');
  });
});
