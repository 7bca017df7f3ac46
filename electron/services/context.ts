import { closeDatabase, openDatabase, type Db } from '../../db/client';
import type { Device } from '../../db/changes';
import { ensureDeviceId } from '../../db/repositories/device';
import { newId as defaultNewId, systemClock, type Clock, type IdGenerator } from '../../shared/ids';

import { createEventHub, type EventHub } from './events';
import { databaseFile } from './paths';

export type RunMode = 'electron' | 'browser' | 'cli';

/** What every service receives: no module-level singletons anywhere. */
export interface AppContext {
  readonly db: Db;
  readonly device: Device;
  readonly dataDir: string;
  readonly mode: RunMode;
  readonly events: EventHub;
}

export interface OpenContextOptions {
  dataDir: string;
  mode: RunMode;
  /** ':memory:' for tests that need no file. */
  databaseFile?: string;
  now?: Clock;
  newId?: IdGenerator;
  migrationsFolder?: string;
}

export function openAppContext(options: OpenContextOptions): AppContext {
  const newId = options.newId ?? defaultNewId;
  const db = openDatabase(options.databaseFile ?? databaseFile(options.dataDir), {
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
  });
  const deviceId = ensureDeviceId(db, newId);
  return {
    db,
    device: { deviceId, now: options.now ?? systemClock, newId },
    dataDir: options.dataDir,
    mode: options.mode,
    events: createEventHub(),
  };
}

export function closeAppContext(ctx: AppContext): void {
  closeDatabase(ctx.db);
}
