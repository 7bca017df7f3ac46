import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import { login, syncNow } from '../../electron/services/sync';

import { PASSWORD, startCentral, type Central } from './central';
import { closeAppContext, createDevice, NO_WAIT, SharedClock } from './sync';

export interface StoreWithDevices {
  /** The in-process central store, reset before each test with one region account, admin. */
  readonly central: Central;
  /** The clock the devices share, new for each test. */
  readonly clock: SharedClock;
  /** Device `n`, logged in to the store as admin; closed after the test. */
  device(n: number): Promise<AppContext>;
  /** One sync of `ctx` with the store, without waiting between retries. */
  sync(ctx: AppContext): ReturnType<typeof syncNow>;
}

/**
 * Registers the hooks of a sync test file (a store for the file, reset for each test; devices
 * closed after each test) and returns what the tests use.
 */
export function useStoreWithDevices(): StoreWithDevices {
  let central: Central | undefined;
  let clock = new SharedClock();
  const opened: AppContext[] = [];

  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    await central?.close();
  });
  beforeEach(async () => {
    await store().reset();
    await store().addUser('admin', '管理员', 'region');
    clock = new SharedClock();
  });
  afterEach(() => {
    for (const c of opened.splice(0)) closeAppContext(c);
  });

  function store(): Central {
    if (!central) throw new Error('the store is started in beforeAll');
    return central;
  }

  return {
    get central() {
      return store();
    },
    get clock() {
      return clock;
    },
    async device(n) {
      const ctx = createDevice(n, clock);
      opened.push(ctx);
      await login(
        ctx,
        { username: 'admin', password: PASSWORD },
        { server: store().url, fetch: store().fetch },
      );
      return ctx;
    },
    sync: (ctx) => syncNow(ctx, { fetch: store().fetch, ...NO_WAIT }),
  };
}
