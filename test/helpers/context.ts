import path from 'node:path';

import { closeAppContext, openAppContext, type AppContext } from '../../electron/services/context';

import { tempDir } from './temp-dir';

/** A fixed clock that moves forward 1 ms each time it is read. */
export function steppingClock(start = Date.UTC(2026, 10, 28, 3, 0, 0)): () => number {
  let t = start;
  return () => t++;
}

/** Sequential, valid UUIDv7-shaped ids, so tests can predict them. */
export function sequentialIds(prefix = '01900000-0000-7000-8000-'): () => string {
  let n = 0;
  return () => `${prefix}${String(++n).padStart(12, '0')}`;
}

/** A temporary folder, removed when the test file is done (test/helpers/temp-dir.ts). */
export { tempDir };

/** Small reference data (a catalogue and two rulesets) that tests can rely on. */
export const FIXTURE_RESOURCES = path.resolve('test', 'fixtures', 'resources');

/**
 * A fresh, migrated in-memory database behind a full app context. By default it reads the
 * fixture resources; `resources: 'shipped'` reads the app's own resources/.
 */
export function createTestContext(
  options: { file?: string; resources?: 'fixtures' | 'shipped' } = {},
): AppContext {
  return openAppContext({
    dataDir: tempDir(),
    mode: 'cli',
    databaseFile: options.file ?? ':memory:',
    now: steppingClock(),
    newId: sequentialIds(),
    ...(options.resources === 'shipped' ? {} : { resourcesDir: FIXTURE_RESOURCES }),
  });
}

export { closeAppContext };
