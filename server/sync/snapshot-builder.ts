import { parentPort, workerData } from 'node:worker_threads';

import { buildSnapshot, type PullPage } from '../../db/store-shared';

/**
 * Runs in a worker thread (snapshot-worker.mjs): applies the pull pages it is sent to a new
 * device database, as a device would, so the store's event loop never waits on SQLite — a build
 * of 50,000 enterprises spends seconds in single statements (the search index, VACUUM).
 *
 * Messages: `{ page: json }` → `{ ok }`; `{ finish: true }` → `{ ok, rows, cursor }`; any failure
 * → `{ ok: false, error }`, after which the builder is closed.
 */

export type BuilderRequest = { page: string } | { finish: true };
export type BuilderReply =
  { ok: true; rows?: number; cursor?: string | null } | { ok: false; error: string };

const port = parentPort;
if (!port) throw new Error('snapshot-builder.ts runs in a worker thread');
const builder = buildSnapshot((workerData as { file: string }).file);
let open = true;

port.on('message', (request: BuilderRequest) => {
  let reply: BuilderReply;
  try {
    if (!open) throw new Error('the builder is closed');
    if ('page' in request) {
      builder.apply(JSON.parse(request.page) as PullPage);
      reply = { ok: true };
    } else {
      open = false;
      reply = { ok: true, ...builder.finish() };
    }
  } catch (e) {
    if (open) builder.abandon();
    open = false;
    reply = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
