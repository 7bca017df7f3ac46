import { z } from 'zod';

import { OpSchema, type PushRequestSchema, type SyncOp } from '../../../shared/sync/protocol';
import { SyncFailure } from '../../errors';

/**
 * Step 1 of a push: its body read as an envelope (shared/sync/protocol.ts's PushRequestSchema, the
 * one schema of a push and a relay) and each op in it read against OpSchema. An op that cannot be
 * read but carries a seq is kept, to be parked with its reason; an envelope that cannot be read,
 * an op without a seq, ops out of order or an op of another device refuse the whole push.
 */

const SeqOnly = z.object({ seq: z.number().int().min(1), opId: z.string().max(100).optional() });

/** One op of a push as received: parsed when it could be, always with its seq. */
export interface Candidate {
  seq: number;
  opId: string;
  raw: unknown;
  op: SyncOp | null;
  problem: string | null;
}

export interface PushInput {
  deviceId: string;
  ops: Candidate[];
  deviceSecretHash?: string | undefined;
}

/** The refusal of a push body that is not a PushRequestSchema envelope. */
export function envelopeRefusal(issues: { message: string }[]): SyncFailure {
  return new SyncFailure(
    'invalid_input',
    `推送内容格式不正确：${issues.map((i) => i.message).join('；')}`,
  );
}

/**
 * Checks a push body's envelope (the route's request schema, refused by envelopeRefusal) and
 * reads its ops. An op that breaks OpSchema but carries a seq is kept, to be parked; one without a
 * usable seq, ops out of order or an op of another device refuse the push.
 */
export function parsePush(envelope: z.output<typeof PushRequestSchema>): PushInput {
  const { deviceId } = envelope;
  const ops: Candidate[] = envelope.ops.map((raw, i) => {
    const parsed = OpSchema.safeParse(raw);
    if (parsed.success) {
      if (parsed.data.deviceId !== deviceId) {
        throw new SyncFailure('forbidden', `第 ${i + 1} 条操作属于另一台设备，不能代为推送`);
      }
      return { seq: parsed.data.seq, opId: parsed.data.opId, raw, op: parsed.data, problem: null };
    }
    const seq = SeqOnly.safeParse(raw);
    if (!seq.success) {
      throw new SyncFailure('invalid_input', `第 ${i + 1} 条操作缺少有效的序号（seq）`);
    }
    const problem = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '操作'}：${issue.message}`)
      .join('；');
    return { seq: seq.data.seq, opId: seq.data.opId ?? '', raw, op: null, problem };
  });
  for (let i = 1; i < ops.length; i++) {
    if ((ops[i] as Candidate).seq <= (ops[i - 1] as Candidate).seq) {
      throw new SyncFailure('invalid_input', '操作应按序号（seq）从小到大发送，且不能重复');
    }
  }
  return { deviceId, ops, deviceSecretHash: envelope.deviceSecretHash };
}
