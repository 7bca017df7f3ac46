import crypto from 'node:crypto';

import { and, eq, isNull, ne } from 'drizzle-orm';

import { AppError } from '../../shared/api/errors';
import { REGION_SCOPE } from '../../shared/sync/protocol';
import { devices, tokens, users } from '../db/schema';
import type { ServerDb } from '../db/store';
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
 *   The bundle carries the hash of the device's secret, so that login must send that secret. A
 *   bundle of an older app carries none: then only an account of the relaying account's scope (or
 *   the region) may claim the device.
 * - An older app sends no secret: it logs in to its own account's devices only, as before.
 * - An administrator can release a device (`uplift device release`): its next login claims it.
 */

export function secretHash(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return crypto.timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}

const TAKEN =
  '这个设备编号已登记在另一个账号名下，不能用它登录；如确是同一台设备，请先升级该设备上的 Uplift，或请管理员处理';
const UPGRADE =
  '这个设备编号的修改已由同步包转交到中心库，只有那台设备上的新版 Uplift 能认领它；请先升级 Uplift 再登录';
const OTHER_SCOPE =
  '这个设备编号的修改已由另一个地区的账号转交到中心库，本账号不能认领它；请用该地区的账号登录，或请管理员处理';
const OTHER_DEVICE =
  '这个设备编号已由另一台设备使用（数据文件夹可能被复制到了这台电脑）；请联系管理员，不要在两台电脑上使用同一个数据文件夹';

/** Registers or checks the device of a login; throws `forbidden` when it is not the user's. */
export async function registerDevice(
  db: ServerDb,
  input: { deviceId: string; deviceSecret?: string | undefined; deviceName: string },
  user: { id: string; scope: string },
  now: number,
): Promise<void> {
  const userId = user.id;
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
    if (!device.claimed && !provenByDevice) {
      // Met only through relays. Its bundle named its secret: only that secret claims it, even
      // for the relaying account.
      if (secretKnown) throw new SyncFailure('forbidden', UPGRADE);
    }
    if (!own && !device.claimed && !provenByDevice) {
      // An older bundle named none: an account of the relaying account's scope may claim it.
      const [relayer] = await tx
        .select({ scope: users.scope })
        .from(users)
        .where(eq(users.id, device.userId));
      if (user.scope !== REGION_SCOPE && relayer?.scope !== user.scope) {
        throw new SyncFailure('forbidden', OTHER_SCOPE);
      }
    }
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

export interface DeviceRecord {
  deviceId: string;
  name: string;
  username: string;
  /** An account has logged in with it (false: met only through relayed bundles, or released). */
  claimed: boolean;
  /** It has proven itself with a secret (an older app's device has none). */
  hasSecret: boolean;
  lastPushAt: string | null;
  lastPullAt: string | null;
}

/** Every device the store knows, newest activity first (`uplift device list`). */
export async function listDevices(db: ServerDb): Promise<DeviceRecord[]> {
  const found = await db
    .select({
      deviceId: devices.deviceId,
      name: devices.name,
      username: users.username,
      claimed: devices.claimed,
      secretHash: devices.secretHash,
      lastPushAt: devices.lastPushAt,
      lastPullAt: devices.lastPullAt,
    })
    .from(devices)
    .innerJoin(users, eq(users.id, devices.userId));
  const last = (d: (typeof found)[number]) =>
    Math.max(d.lastPushAt?.getTime() ?? 0, d.lastPullAt?.getTime() ?? 0);
  return found
    .sort((a, b) => last(b) - last(a) || a.deviceId.localeCompare(b.deviceId))
    .map((d) => ({
      deviceId: d.deviceId,
      name: d.name,
      username: d.username,
      claimed: d.claimed,
      hasSecret: d.secretHash !== null,
      lastPushAt: d.lastPushAt?.toISOString() ?? null,
      lastPullAt: d.lastPullAt?.toISOString() ?? null,
    }));
}

/**
 * Releases a device (`uplift device release`): it forgets the secret and the account, so the next
 * login of an account of the same scope (or the region) claims it, with its own secret. For a
 * laptop locked out after its data folder moved to a new computer with a new secret, or one
 * claimed by the account that relayed its bundles. Its tokens are revoked; its ops stay.
 */
export async function releaseDevice(
  db: ServerDb,
  deviceId: string,
  now: number,
): Promise<{ deviceId: string; revoked: number }> {
  return db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    const released = await tx
      .update(devices)
      .set({ claimed: false, secretHash: null })
      .where(eq(devices.deviceId, deviceId))
      .returning({ deviceId: devices.deviceId });
    if (released.length === 0) {
      throw new AppError('not_found', `中心库没有设备编号为“${deviceId}”的设备`);
    }
    const revoked = await tx
      .update(tokens)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(tokens.deviceId, deviceId), isNull(tokens.revokedAt)))
      .returning({ tokenHash: tokens.tokenHash });
    return { deviceId, revoked: revoked.length };
  });
}
