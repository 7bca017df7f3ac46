import { and, eq, sql } from 'drizzle-orm';

import type { ServerDb } from '../db/store';
import { loginAttempts } from '../db/schema';

/**
 * Slowing down password guessing, per (username, client address), in the database so that every
 * server process sharing it counts the same failures:
 * - the first `freeFailures` failures cost nothing;
 * - after that, each attempt must wait `baseDelayMs · 2^(failures − freeFailures)` after the last
 *   failure (1 s, 2 s, 4 s… by default), or it is refused unheard;
 * - after `maxFailures` failures every attempt, even with the right password, is refused until
 *   the window (`windowMs` from the first failure) ends.
 * A successful login clears the count; a window that has passed starts a fresh one.
 */
export interface ThrottleConfig {
  freeFailures: number;
  baseDelayMs: number;
  maxFailures: number;
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  freeFailures: 3,
  baseDelayMs: 1000,
  maxFailures: 10,
  windowMs: 15 * 60 * 1000,
};

/** How long this attempt must still wait (0: it may go ahead). */
export async function loginWaitMs(
  db: ServerDb,
  username: string,
  ip: string,
  now: number,
  config: ThrottleConfig,
): Promise<number> {
  const [row] = await db
    .select()
    .from(loginAttempts)
    .where(and(eq(loginAttempts.username, username), eq(loginAttempts.ip, ip)));
  if (!row) return 0;
  const windowEnd = row.firstAt.getTime() + config.windowMs;
  if (now >= windowEnd) return 0;
  if (row.failures >= config.maxFailures) return windowEnd - now;
  if (row.failures < config.freeFailures) return 0;
  const next =
    row.lastAt.getTime() + config.baseDelayMs * 2 ** (row.failures - config.freeFailures);
  return Math.max(0, next - now);
}

export async function recordLoginFailure(
  db: ServerDb,
  username: string,
  ip: string,
  now: number,
  config: ThrottleConfig,
): Promise<void> {
  const at = new Date(now);
  const iso = at.toISOString();
  const windowStart = new Date(now - config.windowMs).toISOString();
  await db
    .insert(loginAttempts)
    .values({ username, ip, failures: 1, firstAt: at, lastAt: at })
    .onConflictDoUpdate({
      target: [loginAttempts.username, loginAttempts.ip],
      set: {
        failures: sql`case when ${loginAttempts.firstAt} <= ${windowStart}::timestamptz then 1 else ${loginAttempts.failures} + 1 end`,
        firstAt: sql`case when ${loginAttempts.firstAt} <= ${windowStart}::timestamptz then ${iso}::timestamptz else ${loginAttempts.firstAt} end`,
        lastAt: at,
      },
    });
}

export async function clearLoginFailures(
  db: ServerDb,
  username: string,
  ip: string,
): Promise<void> {
  await db
    .delete(loginAttempts)
    .where(and(eq(loginAttempts.username, username), eq(loginAttempts.ip, ip)));
}
