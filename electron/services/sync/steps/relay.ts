/**
 * Step 3, after the push: relay the ops of other devices that came here on USB bundles, each
 * device's in its own seq order.
 */

import { toSyncOp } from '../../../../db/repositories/device';
import {
  blockRelay,
  nextRelayBatch,
  relaySecretHash,
  settleRelay,
} from '../../../../db/repositories/sync';
import { SyncHttpError } from '../../sync-http';

import { heartbeat, type RunEnv } from '../options';
import { call } from '../retry';

import { fitBatch } from './push';

/**
 * Sends on the ops of other devices imported here from USB bundles (a laptop that never
 * connects), each device's in its own seq order. The store answers them like a push; a refusal of
 * the whole batch (another account's device, a bundle in between missing) blocks that device's
 * ops with the reason until a new bundle of it is imported. Nothing is dropped.
 */
export async function relayAll(run: RunEnv): Promise<void> {
  const { ctx } = run;
  for (;;) {
    const batch = nextRelayBatch(ctx.db, run.batchSize);
    const first = batch[0];
    if (!first) return;
    const sent = fitBatch(batch);
    try {
      const secretHash = relaySecretHash(ctx.db, first.deviceId);
      const answer = await call(run, () =>
        run.transport.relay(first.deviceId, sent.map(toSyncOp), secretHash),
      );
      settleRelay(ctx.db, first.deviceId, answer, ctx.device.now());
      // An op the answer does not mention would be sent again and again: it waits instead, with
      // the device's ops after it (the store takes them only in order), until 重新转交 or a new
      // import of that device. It is not parked: the store never recorded it.
      const answered = new Set([...answer.accepted, ...answer.parked.map((p) => p.opId)]);
      if (sent.some((e) => !answered.has(e.opId))) {
        blockRelay(ctx.db, first.deviceId, '中心库没有确认这些修改', ctx.device.now());
      }
      run.summary.relayed += answer.accepted.length;
    } catch (e) {
      // The network, the server failing or this login no longer valid: the run stops and is
      // retried as for any push. Any other refusal (another account's device, a gap, a server
      // without relay, a body too large…) concerns only this device's ops: kept, with why, and
      // the run goes on to its pull.
      if (
        !(e instanceof SyncHttpError) ||
        e.kind !== 'http' ||
        e.retryable ||
        e.status === 401 ||
        e.status === 426
      ) {
        throw e;
      }
      const reason =
        e.status === 409 && typeof e.detail.lastSeq === 'number' && e.detail.lastSeq < first.seq
          ? `缺少设备 ${first.deviceId} 的第 ${e.detail.lastSeq + 1}–${first.seq - 1} 条修改（可能有一个同步包没有导入）；导入后会继续转交`
          : e.message;
      blockRelay(ctx.db, first.deviceId, reason, ctx.device.now());
    }
    heartbeat(run);
  }
}
