import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary folders for tests. `tempDir()` makes one under the system's temp folder and remembers
 * it; `removeTempDirs()` removes every folder made so far. test/helpers/temp-cleanup.ts (a vitest
 * setup file of every node project) runs it after each test file, so no test leaves folders behind.
 */

const made = new Set<string>();

export function tempDir(label = 'uplift-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), label));
  made.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  made.clear();
}
