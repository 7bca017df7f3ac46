import { inArray, sql } from 'drizzle-orm';

import { loginThrottle } from '../db/schema';
import { query, type ServerDb } from '../db/store';

/**
 * Slowing down password guessing, per account and per client address, in the database so that
 * every server process sharing it counts the same attempts:
 * - the first `freeFailures` failures cost nothing;
 * - after that, each attempt must wait `baseDelayMs · 2^(failures − freeFailures)` after the last
 *   one (1 s, 2 s, 4 s… by default), or it is refused unheard;
 * - after `maxFailures` failures every attempt, even with the right password, is refused until
 *   the window (`windowMs` from the first failure) ends.
 * An address gets `addressFactor` times an account's free and maximum failures: one address may be
 * a whole office behind one NAT. A window that has passed starts a fresh one.
 *
 * Atomic: an attempt is counted as a failure before its password is checked, by one upsert per key
 * that only counts it when the limits allow it (a row lock serializes attempts on one key), both
 * keys in one transaction — so 300 parallel guesses are each counted against the others, and only
 * those the limits allow are ever checked. A success takes its count back: the account's count is
 * cleared, the address's lowered by the one attempt (a success from an address does not wipe the
 * failures of the other accounts tried from it).
 */
export interface ThrottleConfig {
  freeFailures: number;
  baseDelayMs: number;
  maxFailures: number;
  windowMs: number;
  /** An address may fail this many times as often as one account. */
  addressFactor: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  freeFailures: 3,
  baseDelayMs: 1000,
  maxFailures: 10,
  windowMs: 15 * 60 * 1000,
  addressFactor: 5,
};

interface Limits {
  free: number;
  max: number;
}

export type LoginAttempt =
  | {
      allowed: true;
      /** This attempt's count, for the account and for the address (with it, if it fails). */
      accountFailures: number;
      addressFailures: number;
    }
  | { allowed: false; waitMs: number };

const accountKey = (username: string) => `user:${username}`;
const addressKey = (ip: string) => `ip:${ip}`;

function limitsOf(config: ThrottleConfig): { account: Limits; address: Limits } {
  return {
    account: { free: config.freeFailures, max: config.maxFailures },
    address: {
      free: config.freeFailures * config.addressFactor,
      max: config.maxFailures * config.addressFactor,
    },
  };
}

class Refused extends Error {}

/** Counts the attempt on one key if the limits allow it now; its count, or null (refused). */
async function count(
  tx: ServerDb,
  key: string,
  limits: Limits,
  now: number,
  config: ThrottleConfig,
): Promise<number | null> {
  const at = new Date(now).toISOString();
  const windowStart = new Date(now - config.windowMs).toISOString();
  const [row] = await query<{ failures: number }>(
    tx,
    sql`INSERT INTO login_throttle AS t (key, failures, first_at, last_at)
      VALUES (${key}, 1, ${at}::timestamptz, ${at}::timestamptz)
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN t.first_at <= ${windowStart}::timestamptz THEN 1 ELSE t.failures + 1 END,
        first_at = CASE WHEN t.first_at <= ${windowStart}::timestamptz THEN ${at}::timestamptz ELSE t.first_at END,
        last_at = ${at}::timestamptz
      WHERE t.first_at <= ${windowStart}::timestamptz
        OR t.failures < ${limits.free}
        OR (t.failures < ${limits.max}
          AND t.last_at + make_interval(secs => ${config.baseDelayMs} * power(2, t.failures - ${limits.free}) / 1000.0)
            <= ${at}::timestamptz)
      RETURNING failures`,
  );
  return row ? Number(row.failures) : null;
}

/** How long an attempt on this key must still wait (0: it may go ahead). */
function waitOf(
  row: { failures: number; firstAt: Date; lastAt: Date } | undefined,
  limits: Limits,
  now: number,
  config: ThrottleConfig,
): number {
  if (!row) return 0;
  const windowEnd = row.firstAt.getTime() + config.windowMs;
  if (now >= windowEnd) return 0;
  if (row.failures >= limits.max) return windowEnd - now;
  if (row.failures < limits.free) return 0;
  const next = row.lastAt.getTime() + config.baseDelayMs * 2 ** (row.failures - limits.free);
  return Math.max(0, next - now);
}

/**
 * Counts a login attempt against the account and the address before its password is checked:
 * allowed (then the caller checks the password, and calls loginSucceeded when it matches), or
 * refused with how long to wait — and then nothing is counted.
 */
export async function beginLoginAttempt(
  db: ServerDb,
  username: string,
  ip: string,
  now: number,
  config: ThrottleConfig,
): Promise<LoginAttempt> {
  const limits = limitsOf(config);
  try {
    return await db.transaction(async (txDb) => {
      const tx = txDb as unknown as ServerDb;
      // Always the account first, then the address: two attempts never wait for each other's keys
      // in opposite orders.
      const accountFailures = await count(tx, accountKey(username), limits.account, now, config);
      if (accountFailures === null) throw new Refused();
      const addressFailures = await count(tx, addressKey(ip), limits.address, now, config);
      if (addressFailures === null) throw new Refused();
      return { allowed: true as const, accountFailures, addressFailures };
    });
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
  }
  const held = await db
    .select()
    .from(loginThrottle)
    .where(inArray(loginThrottle.key, [accountKey(username), addressKey(ip)]));
  const byKey = new Map(held.map((r) => [r.key, r]));
  const waitMs = Math.max(
    waitOf(byKey.get(accountKey(username)), limits.account, now, config),
    waitOf(byKey.get(addressKey(ip)), limits.address, now, config),
  );
  // The window may have ended between the two reads: say one second rather than "0 seconds".
  return { allowed: false, waitMs: Math.max(waitMs, 1000) };
}

/** The password matched: the account's count is cleared, the address's attempt taken back. */
export async function loginSucceeded(db: ServerDb, username: string, ip: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(inArray(loginThrottle.key, [accountKey(username)]));
    await tx.execute(
      sql`UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = ${addressKey(ip)}`,
    );
  });
}

/** Whether this count is the one that locks the account or the address (for the log). */
export function lockedBy(
  attempt: { accountFailures: number; addressFailures: number },
  config: ThrottleConfig,
): { account: boolean; address: boolean } {
  const limits = limitsOf(config);
  return {
    account: attempt.accountFailures === limits.account.max,
    address: attempt.addressFailures === limits.address.max,
  };
}
