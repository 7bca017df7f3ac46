/**
 * The central store for bench/sync.ts in its own process, as it runs in production (on another
 * machine): the device under test does not pay the store's CPU, and the two can overlap.
 * Prints `{"url": …}` on one line when it listens; stops when its stdin closes. A line `build`
 * on stdin builds the region's snapshot now and answers `{"built": ms, …}`.
 */
import crypto from 'node:crypto';

import { addUser } from '../server/auth/users';
import { startServer } from '../server/start';

const [dataDir, password] = process.argv.slice(2);
if (!dataDir || !password) throw new Error('usage: central.ts DATA_DIR PASSWORD');

const server = await startServer({ port: 0, host: '127.0.0.1', dataDir });
await addUser(
  server.store.db,
  { username: 'admin', role: '管理员', scope: 'region', password },
  { now: () => Date.now(), newId: () => crypto.randomUUID() },
);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
let input = '';
process.stdin.on('data', (chunk: Buffer) => {
  input += chunk.toString();
  while (input.includes('\n')) {
    const line = input.slice(0, input.indexOf('\n')).trim();
    input = input.slice(input.indexOf('\n') + 1);
    if (line !== 'build') continue;
    const t0 = performance.now();
    void server.snapshots?.build('region').then((s) => {
      const built = performance.now() - t0;
      process.stdout.write(`${JSON.stringify({ built, bytes: s?.bytes, size: s?.size })}\n`);
    });
  }
});
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
