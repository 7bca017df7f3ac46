import { defineConfig } from 'vitest/config';

/** `npm run test:sync-load`: the sync server under many concurrent devices; not part of npm test. */
export default defineConfig({
  test: {
    include: ['test/server/**/*.load.ts'],
    environment: 'node',
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
