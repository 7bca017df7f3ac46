/**
 * The token, sealed in the data folder with ctx.secrets (electron/services/secrets.ts): reading
 * the stored form (sealing a plain one when the box can), and sealing a new one at login.
 */

import { readSyncSettings, writeSyncSettings } from '../../../db/repositories/sync';
import { AppError } from '../../../shared/api/errors';
import type { AppContext } from '../context';
import { isSealed, SecretUnreadableError, UNREADABLE_ELSEWHERE } from '../secrets';

interface Credential {
  /** The bearer token, or null: none stored, or one this process cannot open. */
  token: string | null;
  /** Why a stored token cannot be used here (Chinese), or null. */
  unreadable: string | null;
  /** How the usable token is stored: sealed by the OS, or plain text. */
  protection: 'os' | 'none' | null;
}

/** The last token opened per context, so the OS key store is not asked on every status read. */
const opened = new WeakMap<AppContext, { stored: string; token: string }>();

/**
 * The token from its stored form. A plain one (stored before sealing, or by the CLI on this data
 * folder) is used, and sealed now when the box can. One the box cannot open (the data folder
 * came from another computer or OS user) counts as logged out: the stored value and everything
 * else stay as they are (a new login replaces it), and the reason is returned.
 */
export function readCredential(ctx: AppContext, stored: string | null): Credential {
  if (!stored) return { token: null, unreadable: null, protection: null };
  const cached = opened.get(ctx);
  let token: string;
  if (cached?.stored === stored) {
    token = cached.token;
  } else {
    try {
      token = ctx.secrets.decrypt(stored);
    } catch (e) {
      const reason = e instanceof SecretUnreadableError ? e.message : UNREADABLE_ELSEWHERE;
      return { token: null, unreadable: reason, protection: null };
    }
    opened.set(ctx, { stored, token });
  }
  if (ctx.secrets.kind === 'os' && !isSealed(stored)) {
    return { token, unreadable: null, protection: reseal(ctx, stored, token) ? 'os' : 'none' };
  }
  return { token, unreadable: null, protection: isSealed(stored) ? 'os' : 'none' };
}

/** Seals a token stored as plain text, unless another process changed it meanwhile. */
function reseal(ctx: AppContext, stored: string, token: string): boolean {
  try {
    const sealed = ctx.secrets.encrypt(token);
    const done = ctx.db.sqlite
      .transaction(() => {
        if (readSyncSettings(ctx.db).token !== stored) return false;
        writeSyncSettings(ctx.db, { token: sealed });
        return true;
      })
      .immediate();
    if (done) opened.set(ctx, { stored: sealed, token });
    return done;
  } catch {
    // The key store or the database is busy: the plain token still works; sealed next time.
    return false;
  }
}

/** The token's stored form: sealed when the box can. */
export function sealToken(ctx: AppContext, token: string): string {
  let sealed: string;
  try {
    sealed = ctx.secrets.encrypt(token);
  } catch (e) {
    throw new AppError(
      'internal',
      `无法用操作系统的密钥库加密保存登录凭据（${e instanceof Error ? e.message : String(e)}）`,
    );
  }
  opened.set(ctx, { stored: sealed, token });
  return sealed;
}
