import crypto from 'node:crypto';

import { and, eq, isNull, ne } from 'drizzle-orm';

import type { ServerDb } from '../db/store';
import { devices, tokens } from '../db/schema';
import { SyncFailure } from '../errors';

/**
 * Who a device id belongs to. A device id is no secret: it names every clock the device stamps,
 * and every account pulls those clocks. So a login that names a device must show it comes from
 * that device, or the login could push ops under the device's sequence — and the device's own
 * later ops under those numbers would be answered as already applied.
 *
 * - A device id belongs to the account that first logged in with it.
 * - The device sends its secret (32 random bytes it made once, kept in its database) at login;
 *   the store keeps the secret's SHA-256. Another account may log in on the same device (a
 *   colleague's laptop, a city account after the region's) only with that secret; the device then
 *   becomes its, and the earlier account's tokens for it are revoked.
 * - A login that names a known device with another secret is refused, whatever the account: it
 *   is another device using the id (a copied data folder) or someone claiming it.
 * - A device met first through a relayed USB bundle is not claimed: its own first login claims it.
 * - An older app sends no secret: it logs in to its own account's devices only, as before.
 */

export function secretHash(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return crypto.timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

const TAKEN =
  '这个设备编号已登记在另一个账号名下，不能用它登录；如确是同一台设备，请先升级该设备上的 Uplift，或请管理员处理';
const OTHER_DEVICE =
  '这个设备编号已由另一台设备使用（数据文件夹可能被复制到了这台电脑）；请联系管理员，不要在两台电脑上使用同一个数据文件夹';

/** Registers or checks the device of a login; throws `forbidden` when it is not the user's. */
export async function registerDevice(
  db: ServerDb,
  input: { deviceId: string; deviceSecret?: string | undefined; deviceName: string },
  userId: string,
  now: number,
): Promise<void> {
  const hash = input.deviceSecret === undefined ? null : secretHash(input.deviceSecret);
  await db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    // Two logins naming a new id at once: the row lock makes the second see the first's row.
    await tx
      .insert(devices)
      .values({
        deviceId: input.deviceId,
        userId,
        name: input.deviceName,
        secretHash: hash,
        claimed: true,
        createdAt: new Date(now),
      })
      .onConflictDoNothing();
    const [device] = await tx
      .select()
      .from(devices)
      .where(eq(devices.deviceId, input.deviceId))
      .for('update');
    if (!device) throw new Error('device row vanished inside its transaction');
    const secretKnown = device.secretHash !== null;
    if (secretKnown && hash !== null && !sameHash(device.secretHash as string, hash)) {
      throw new SyncFailure('forbidden', OTHER_DEVICE);
    }
    const own = device.userId === userId;
    const provenByDevice = secretKnown && hash !== null; // and equal, checked above
    if (!own && device.claimed && !provenByDevice) throw new SyncFailure('forbidden', TAKEN);
    await tx
      .update(devices)
      .set({
        userId,
        name: input.deviceName,
        claimed: true,
        ...(secretKnown || hash === null ? {} : { secretHash: hash }),
      })
      .where(eq(devices.deviceId, input.deviceId));
    if (!own) {
      // The device changed hands: what the earlier account logged in with on it stops working.
      await tx
        .update(tokens)
        .set({ revokedAt: new Date(now) })
        .where(
          and(
            eq(tokens.deviceId, input.deviceId),
            ne(tokens.userId, userId),
            isNull(tokens.revokedAt),
          ),
        );
    }
  });
}
