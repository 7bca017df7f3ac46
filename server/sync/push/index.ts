/**
 * Applying a device's ops (push, and a relay of another device's ops from a USB bundle), in the
 * order a push goes through them:
 *   validate-envelope.ts  the body read as PushRequestSchema, each op as OpSchema (parsePush)
 *   op-shape.ts           what each op's own content says, before the lock
 *   apply-push.ts         the transaction under the store-wide push lock (applyPush), which:
 *   authorise-device.ts     checks the device is this account's (and a relay's secret hash),
 *   sequence.ts             answers resent ops again and checks the new ones follow without gap,
 *   working-set.ts          loads the rows the ops touch,
 *   check-op.ts             checks each op against the store (scope, role, record rules,
 *                           immutability) and merges it, last writer wins,
 *   write-back.ts           writes the changed rows with new server_seq numbers,
 *   record-outcome.ts       records conflicts, parked ops, op ids and the device's lastSeq.
 */

export { applyPush } from './apply-push';
export { OP_VALUES_MAX_BYTES, UNKNOWN_BYTES_MAX, UNKNOWN_FIELDS_MAX } from './op-shape';
export type { PushContext } from './types';
export { envelopeRefusal, parsePush, type PushInput } from './validate-envelope';
export { storable } from './write-back';
