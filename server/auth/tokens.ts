import crypto from 'node:crypto';

import { and, eq, isNull } from 'drizzle-orm';

import type { Role } from '../../shared/sync/protocol';
import type { ServerDb } from '../db/store';
import { tokens, users } from '../db/schema';

/**
 * Device tokens: 32 random bytes (base64url) handed out at login, bound to one user and one
 * device. Only their SHA-256 is stored, so a copy of the database does not let anyone sync.
 */

/** Who an account is: as a token authenticates it and as the account list shows it. */
export interface UserIdentity {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scope: string;
}

export interface AuthUser extends UserIdentity {
  /** The device the token was issued to. */
  deviceId: string;
}

/** The identity of a user row (its role as stored, one of ROLES). */
export function userIdentity(row: {
  id: string;
  username: string;
  displayName: string;
  role: string;
  scope: string;
}): UserIdentity {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    scope: row.scope,
  };
}

/** How stale `lastUsedAt` may get before a request writes it again (a write per request is waste). */
const TOUCH_AFTER_MS = 60_000;

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function issueToken(
  db: ServerDb,
  userId: string,
  deviceId: string,
  now: number,
): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.insert(tokens).values({
    tokenHash: tokenHash(token),
    userId,
    deviceId,
    createdAt: new Date(now),
  });
  return token;
}

/** The user behind a live token of an enabled account, or null. */
export async function authenticate(
  db: ServerDb,
  token: string,
  now: number,
): Promise<AuthUser | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const hash = tokenHash(token);
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      scope: users.scope,
      disabled: users.disabled,
      deviceId: tokens.deviceId,
      lastUsedAt: tokens.lastUsedAt,
    })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .where(and(eq(tokens.tokenHash, hash), isNull(tokens.revokedAt)));
  if (!row || row.disabled) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_AFTER_MS) {
    await db
      .update(tokens)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(tokens.tokenHash, hash));
  }
  return { ...userIdentity(row), deviceId: row.deviceId };
}

export async function revokeUserTokens(db: ServerDb, userId: string, now: number): Promise<number> {
  const revoked = await db
    .update(tokens)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(tokens.userId, userId), isNull(tokens.revokedAt)))
    .returning({ hash: tokens.tokenHash });
  return revoked.length;
}
