import crypto from 'node:crypto';

/**
 * Passwords are stored as `scrypt$N$r$p$<salt>$<key>` (base64), with a random 16-byte salt per
 * user. The parameters travel with the hash, so raising them later keeps old hashes valid.
 */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

export const PASSWORD_MIN_LENGTH = 8;

function scrypt(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    crypto.scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { N: n, r, p, maxmem: 256 * n * r },
      (e, key) => (e ? reject(e) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((x) => Number.isInteger(x) && x > 0)) return false;
  const expected = Buffer.from(parts[5] as string, 'base64');
  const key = await scrypt(password, Buffer.from(parts[4] as string, 'base64'), n, r, p);
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** A hash that matches no password: checked against for unknown users, so timing tells nothing. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_BYTES).toString('base64')}`;

/** Refuses a password too short to be one; the message is for the person choosing it. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少 ${PASSWORD_MIN_LENGTH} 位`;
  if (password.length > 200) return '密码不能超过 200 位';
  return null;
}
