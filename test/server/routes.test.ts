import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { routePath, SYNC_ROUTES } from '../../shared/sync/routes';
import { openStore, type Store } from '../../server/db/store';
import { createSyncApp } from '../../server/http/app';

/**
 * The route map (shared/sync/routes.ts) is the one list of the sync protocol's routes: its paths
 * are unique, and the store's app serves exactly its routes, so a route written as a literal path
 * on one side only cannot creep back.
 */

describe('the sync route map', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openStore();
  });
  afterAll(async () => {
    await store.close();
  });

  it('names every method and path once', () => {
    const keys = Object.values(SYNC_ROUTES).map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of Object.values(SYNC_ROUTES)) expect(route.path).toMatch(/^\/sync\//);
  });

  it('is exactly what the store app serves', () => {
    const app = createSyncApp(store);
    // Handlers of a method (middleware is registered for every method, ALL).
    const served = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    const mapped = new Set(Object.values(SYNC_ROUTES).map((r) => `${r.method} ${r.path}`));
    expect([...served].sort()).toEqual([...mapped].sort());
    // Middleware only on the whole tree, never on a path of its own.
    for (const r of app.routes.filter((route) => route.method === 'ALL')) {
      expect(['/*', '/sync/*']).toContain(r.path);
    }
  });

  it('fills in a path parameter and the query', () => {
    const sha = 'a'.repeat(64);
    expect(routePath(SYNC_ROUTES.download, { sha256: sha })).toBe(`/sync/attachments/${sha}`);
    expect(routePath(SYNC_ROUTES.upload, { sha256: sha }, { offset: 0, size: 10 })).toBe(
      `/sync/attachments/${sha}?offset=0&size=10`,
    );
    expect(routePath(SYNC_ROUTES.push, {})).toBe('/sync/push');
  });
});
