import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'test/shared/**/*.test.ts',
            'test/electron/**/*.test.ts',
            'test/db/**/*.test.ts',
            'test/resources/**/*.test.ts',
          ],
          environment: 'node',
          setupFiles: ['test/helpers/temp-cleanup.ts'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/temp-cleanup.ts'],
          // PGlite starts in seconds, once per file; a real PostgreSQL may be slower to reach.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The device's sync against the in-process central store: integration, property and
          // fault tests (npm run test:sync-faults runs the fault test at length).
          name: 'sync',
          include: ['test/sync/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/temp-cleanup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.tsx', 'test/renderer/**/*.test.ts'],
          environment: 'jsdom',
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/temp-cleanup.ts'],
          // A busy 2-core machine can take more than poll's default second to re-render.
          expect: { poll: { timeout: 10_000 } },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
