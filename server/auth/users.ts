import { asc, eq } from 'drizzle-orm';

import { AppError } from '../../shared/api/errors';
import { CITIES, findCity, findCityByName } from '../../shared/domain/regions';
import { REGION_SCOPE, ROLES, type Role } from '../../shared/sync/protocol';
import type { ServerDb } from '../db/store';
import { users } from '../db/schema';

import { hashPassword, passwordProblem } from './passwords';
import { revokeUserTokens, type UserIdentity, userIdentity } from './tokens';

/** Accounts of the central store: who may sync, with which role, over which city (or the region). */

export interface UserRecord extends UserIdentity {
  disabled: boolean;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName?: string;
  role: string;
  scope: string;
  password: string;
}

/** Usernames compare trimmed, with ASCII letters in lower case (张三 and Zhang.San both work). */
export function normalizeUsername(username: string): string {
  return username.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A scope as people write it: region (自治区, 全区) or a city by code or name (6401, 银川市). */
export function parseScope(input: string): string {
  const s = input.trim();
  if (s === REGION_SCOPE || s === '自治区' || s === '全区' || s === '宁夏') return REGION_SCOPE;
  const city = findCity(s) ?? findCityByName(s);
  if (city) return city.code;
  throw new AppError(
    'invalid_input',
    `未知的范围“${input}”：应为 region（全区）或地级市（${CITIES.map((c) => `${c.name} ${c.code}`).join('、')}）`,
  );
}

export function scopeName(scope: string): string {
  return scope === REGION_SCOPE ? '全区' : (findCity(scope)?.name ?? scope);
}

function toRecord(row: typeof users.$inferSelect): UserRecord {
  return { ...userIdentity(row), disabled: row.disabled, createdAt: row.createdAt };
}

export async function findUser(db: ServerDb, username: string): Promise<UserRecord | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.username, normalizeUsername(username)));
  return row ? toRecord(row) : null;
}

async function requireUser(db: ServerDb, username: string): Promise<UserRecord> {
  const user = await findUser(db, username);
  if (!user) throw new AppError('not_found', `没有用户“${username}”`);
  return user;
}

/** Checks a new account's fields without the database; throws `invalid_input` with the reason. */
export function checkNewUser(input: NewUser): NewUser & { role: Role; displayName: string } {
  const username = normalizeUsername(input.username);
  if (!/^[\p{L}\p{N}._@-]{2,50}$/u.test(username)) {
    throw new AppError('invalid_input', '用户名应为 2–50 位的字母、汉字、数字或 . _ @ -');
  }
  if (!isRole(input.role)) {
    throw new AppError('invalid_input', `未知的角色“${input.role}”（可选：${ROLES.join('、')}）`);
  }
  const scope = parseScope(input.scope);
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError('invalid_input', problem);
  const displayName = (input.displayName ?? '').trim() || username;
  if (displayName.length > 50) throw new AppError('invalid_input', '姓名不能超过 50 个字');
  return { username, displayName, role: input.role, scope, password: input.password };
}

export async function addUser(
  db: ServerDb,
  input: NewUser,
  env: { now: () => number; newId: () => string },
): Promise<UserRecord> {
  const { username, displayName, role, scope, password } = checkNewUser(input);
  const passwordHash = await hashPassword(password);
  const inserted = await db
    .insert(users)
    .values({
      id: env.newId(),
      username,
      displayName,
      role,
      scope,
      passwordHash,
      createdAt: new Date(env.now()),
    })
    .onConflictDoNothing()
    .returning();
  const row = inserted[0];
  if (!row) throw new AppError('conflict', `用户名“${username}”已存在`);
  return toRecord(row);
}

export async function listUsers(db: ServerDb): Promise<UserRecord[]> {
  const all = await db.select().from(users).orderBy(asc(users.username));
  return all.map(toRecord);
}

/**
 * Disables (or enables again) an account: a disabled user's login is refused, and disabling
 * revokes every token of theirs, so enabling the account again opens no old device's session.
 */
export async function setUserDisabled(
  db: ServerDb,
  username: string,
  disabled: boolean,
  now: number,
): Promise<{ user: UserRecord; revoked: number }> {
  const user = await requireUser(db, username);
  const revoked = await db.transaction(async (tx) => {
    await tx.update(users).set({ disabled }).where(eq(users.id, user.id));
    return disabled ? revokeUserTokens(tx, user.id, now) : 0;
  });
  return { user: { ...user, disabled }, revoked };
}

/** Sets a new password and revokes every token of the user: each device must log in again. */
export async function resetPassword(
  db: ServerDb,
  username: string,
  password: string,
  now: number,
): Promise<{ user: UserRecord; revoked: number }> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('invalid_input', problem);
  const user = await requireUser(db, username);
  const passwordHash = await hashPassword(password);
  const revoked = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    return revokeUserTokens(tx, user.id, now);
  });
  return { user, revoked };
}

/** Revokes every live token of a user (a lost laptop); returns how many. */
export async function revokeTokens(
  db: ServerDb,
  username: string,
  now: number,
): Promise<{ user: UserRecord; revoked: number }> {
  const user = await requireUser(db, username);
  return { user, revoked: await revokeUserTokens(db, user.id, now) };
}

/** The stored password hash (login only). */
export async function passwordHashOf(
  db: ServerDb,
  username: string,
): Promise<{ user: UserRecord; passwordHash: string } | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.username, normalizeUsername(username)));
  return row ? { user: toRecord(row), passwordHash: row.passwordHash } : null;
}
