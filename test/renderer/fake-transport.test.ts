import { describe, expect, it } from 'vitest';

import { fakeTransport } from './fake-transport';

/**
 * The renderer tests' stand-in for the host checks each call against the API contract, as the
 * real host does: a call of the wrong shape is refused and reaches no handler.
 */
describe('the fake transport', () => {
  it('refuses a call whose input does not fit the contract, as the real host would', async () => {
    let reached = false;
    const fake = fakeTransport({
      'enterprise.get': () => {
        reached = true;
        throw new Error('not reached');
      },
    });
    const result = await fake.transport.invoke('enterprise.get', { id: 'x', extra: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(reached).toBe(false);
  });

  it('passes a call of the right shape to its handler, and refuses stray fields', async () => {
    const info = {
      name: 'uplift',
      version: '0.0.0',
      mode: 'browser' as const,
      dataDir: '/data',
      databaseFile: '/data/uplift.db',
      deviceId: 'device',
      pendingOps: 0,
      enterpriseCount: 0,
    };
    const fake = fakeTransport({ 'app.info': () => info });
    expect(await fake.transport.invoke('app.info', undefined)).toEqual({ ok: true, value: info });
    expect(await fake.transport.invoke('app.info', { stray: 1 })).toMatchObject({ ok: false });
  });
});
