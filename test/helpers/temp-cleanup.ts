import { afterAll } from 'vitest';

import { removeTempDirs } from './temp-dir';

/**
 * A vitest setup file (vitest.config.ts): removes the folders tempDir() made once the test file
 * is done. Registered before the file's own hooks, it runs after them (vitest runs after-hooks in
 * reverse order), so apps and databases a test opened there are closed first.
 */
afterAll(removeTempDirs);
