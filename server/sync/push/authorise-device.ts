import { eq } from 'drizzle-orm';

import { devices } from '../../db/schema';
import type { ServerDb } from '../../db/store';
import { SyncFailure } from '../../errors';

import type { PushContext } from './types';
import type { PushInput } from './validate-envelope';

/**
 * Step 3 of a push, under the lock: the device the ops are of must be this account's (or, for a
 * relay, one the store has not met, noted as this account's), and a relay's device secret hash
 * must be the one the store knows. Answers where the device's sequence stands.
 */

/** The device's sequence as the store has processed it. */
export interface DeviceSeqs {
  /** The highest seq of the device the store has processed (accepted or parked). */
  lastSeq: number;
  /** The store's server_seq up to which the device had pulled (for conflicts). */
  seenSeq: number;
}

export async function authoriseDevice(
  tx: ServerDb,
  input: PushInput,
  ctx: PushContext,
  now: Date,
): Promise<DeviceSeqs> {
  // The device row exists from login (server/auth/devices.ts). A relay may meet a device the
  // store has not: it is noted as this user's, unclaimed, until the device logs in itself, with
  // the hash of the device's secret its bundle carried (only that secret may claim it).
  const relayedHash = ctx.relay ? (input.deviceSecretHash ?? null) : null;
  await tx
    .insert(devices)
    .values({
      deviceId: input.deviceId,
      userId: ctx.user.id,
      claimed: !ctx.relay,
      secretHash: relayedHash,
      createdAt: now,
    })
    .onConflictDoNothing();
  const [device] = await tx.select().from(devices).where(eq(devices.deviceId, input.deviceId));
  if (device && device.userId !== ctx.user.id) {
    throw new SyncFailure(
      'forbidden',
      ctx.relay
        ? `同步包来自设备 ${input.deviceId}，它属于另一个账号；请由该账号在那台设备上登录同步，或用该账号转交`
        : '这台设备已由另一个账号登录；请重新登录',
    );
  }
  if (device && relayedHash !== null) {
    if (device.secretHash === null) {
      // An unclaimed device first relayed from an older bundle: the first hash known wins.
      if (!device.claimed) {
        await tx
          .update(devices)
          .set({ secretHash: relayedHash })
          .where(eq(devices.deviceId, input.deviceId));
      }
    } else if (device.secretHash !== relayedHash) {
      throw new SyncFailure(
        'forbidden',
        `同步包来自另一台使用设备编号 ${input.deviceId} 的电脑（设备密钥不符，数据文件夹可能被复制过）；请联系管理员`,
      );
    }
  }
  const lastSeq = device?.lastSeq ?? 0;
  const seenSeq = device?.seenSeq ?? 0;
  return { lastSeq, seenSeq };
}
