import { setTimeout as sleep } from 'node:timers/promises';

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
 * Atomic: before its password is checked, an attempt takes a place as `pending` on both keys, by
 * one upsert per key that takes it only while failures + pending stay within the limits (a row
 * lock serializes attempts on one key), both in one transaction. So of 300 parallel guesses only
 * as many as the limits allow are ever checked: the others find those places taken. An attempt
 * refused only because others are still being checked waits for them (they may succeed, and a
 * success gives its place back) — a few parallel logins of one account all get in. The check
 * ends the attempt: a failure counts, a success clears the account's failures (not the address's:
 * a success from an address does not wipe the failures of the other accounts tried from it).
 * A pending place older than STALE_PENDING_MS (a process that died mid-check) no longer counts.
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

/** A password check never takes this long: a place pending for longer was left by a crash. */
const STALE_PENDING_MS = 30_000;
/** How long an attempt waits for others' checks to end before it is refused. */
const WAIT_FOR_PENDING_MS = 5_000;
const POLL_MS = 25;

interface Limits {
  free: number;
  max: number;
}

export type LoginAttempt = { allowed: true } | { allowed: false; waitMs: number };

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

/** Takes a pending place on one key if the limits allow it now; false: refused. */
async function takePlace(
  tx: ServerDb,
  key: string,
  limits: Limits,
  now: number,
  config: ThrottleConfig,
): Promise<boolean> {
  const at = sql`${new Date(now).toISOString()}::timestamptz`;
  const expired = sql`t.first_at <= ${new Date(now - config.windowMs).toISOString()}::timestamptz`;
  const pending = sql`(CASE WHEN t.last_at > ${new Date(now - STALE_PENDING_MS).toISOString()}::timestamptz THEN t.pending ELSE 0 END)`;
  const rows = await query<{ pending: number }>(
    tx,
    sql`INSERT INTO login_throttle AS t (key, failures, pending, first_at, last_at)
      VALUES (${key}, 0, 1, ${at}, ${at})
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN ${expired} THEN 0 ELSE t.failures END,
        pending = CASE WHEN ${expired} THEN 1 ELSE ${pending} + 1 END,
        first_at = CASE WHEN ${expired} THEN ${at} ELSE t.first_at END,
        last_at = ${at}
      WHERE ${expired}
        OR t.failures + ${pending} < ${limits.free}
        OR (t.failures + ${pending} < ${limits.max} AND ${pending} = 0
          AND t.last_at + make_interval(secs => ${config.baseDelayMs} * power(2, t.failures - ${limits.free}) / 1000.0) <= ${at})
      RETURNING pending`,
  );
  return rows.length > 0;
}

interface Held {
  failures: number;
  pending: number;
  firstAt: Date;
  lastAt: Date;
}

/** How long an attempt on this key must wait by its failures alone (0: it may go ahead). */
function waitOf(row: Held | undefined, limits: Limits, now: number, config: ThrottleConfig) {
  if (!row) return 0;
  const windowEnd = row.firstAt.getTime() + config.windowMs;
  if (now >= windowEnd) return 0;
  if (row.failures >= limits.max) return windowEnd - now;
  if (row.failures < limits.free) return 0;
  const next = row.lastAt.getTime() + config.baseDelayMs * 2 ** (row.failures - limits.free);
  return Math.max(0, next - now);
}

/**
 * Takes places for a login attempt on the account and the address before its password is
 * checked: allowed (the caller checks the password, then calls endLoginAttempt), or refused
 * with how long to wait — and then nothing is counted.
 */
export async function beginLoginAttempt(
  db: ServerDb,
  username: string,
  ip: string,
  now: () => number,
  config: ThrottleConfig,
): Promise<LoginAttempt> {
  const limits = limitsOf(config);
  const keys = [accountKey(username), addressKey(ip)];
  const started = Date.now();
  for (;;) {
    const at = now();
    try {
      return await db.transaction(async (txDb) => {
        const tx = txDb as unknown as ServerDb;
        // Always the account first, then the address: two attempts never wait for each other's
        // keys in opposite orders.
        if (!(await takePlace(tx, accountKey(username), limits.account, at, config))) {
          throw new Refused();
        }
        if (!(await takePlace(tx, addressKey(ip), limits.address, at, config))) {
          throw new Refused();
        }
        return { allowed: true as const };
      });
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
    }
    const held = new Map(
      (await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys))).map((r) => [
        r.key,
        r,
      ]),
    );
    const account = held.get(accountKey(username));
    const address = held.get(addressKey(ip));
    const waitMs = Math.max(
      waitOf(account, limits.account, at, config),
      waitOf(address, limits.address, at, config),
    );
    const live = (row: Held | undefined) =>
      row !== undefined && row.pending > 0 && at - row.lastAt.getTime() < STALE_PENDING_MS;
    // Refused only for checks under way: they may succeed and give their places back.
    if ((live(account) || live(address)) && Date.now() - started < WAIT_FOR_PENDING_MS) {
      await sleep(POLL_MS);
      continue;
    }
    // The window may have ended between the two reads: say one second rather than "0 seconds".
    return { allowed: false, waitMs: Math.max(waitMs, 1000) };
  }
}

/**
 * Ends an allowed attempt: `failed` counts on both keys, and the counts after it come back (for
 * the log: the failure that reaches the maximum locks); `succeeded` clears the account's failures;
 * `abandoned` (an error of ours before the password was judged) only gives the places back.
 */
export async function endLoginAttempt(
  db: ServerDb,
  username: string,
  ip: string,
  outcome: 'failed' | 'succeeded' | 'abandoned',
  now: number,
  config: ThrottleConfig,
): Promise<{ accountLocked: boolean; addressLocked: boolean }> {
  const limits = limitsOf(config);
  const at = new Date(now).toISOString();
  const end = async (tx: ServerDb, key: string, clear: boolean) => {
    const failures =
      outcome === 'failed'
        ? sql`failures + 1`
        : outcome === 'succeeded' && clear
          ? sql`0`
          : sql`failures`;
    const lastAt = outcome === 'failed' ? sql`${at}::timestamptz` : sql`last_at`;
    const [row] = await query<{ failures: number }>(
      tx,
      sql`UPDATE login_throttle
        SET pending = greatest(pending - 1, 0), failures = ${failures}, last_at = ${lastAt}
        WHERE key = ${key} RETURNING failures`,
    );
    return Number(row?.failures ?? 0);
  };
  return db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    const account = await end(tx, accountKey(username), true);
    const address = await end(tx, addressKey(ip), false);
    return {
      accountLocked: outcome === 'failed' && account === limits.account.max,
      addressLocked: outcome === 'failed' && address === limits.address.max,
    };
  });
}
