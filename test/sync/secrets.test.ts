import fs from 'node:fs';
import path from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { readSyncSettings } from '../../db/repositories/sync';
import type { AppContext } from '../../electron/services/context';
import { createEnterprise, getEnterprise } from '../../electron/services/enterprises';
import {
  osSecretBox,
  UNREADABLE_ELSEWHERE,
  UNREADABLE_WITHOUT_KEY_STORE,
  type SafeStorageLike,
  type SecretBox,
} from '../../electron/services/secrets';
import {
  login,
  logout,
  startBackgroundSync,
  syncNow,
  syncStatus,
  type SyncOptions,
} from '../../electron/services/sync';
import type { FetchLike } from '../../electron/services/sync-http';
import { AppError } from '../../shared/api/errors';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import { PASSWORD, startCentral, type Central } from '../helpers/central';
import { tempDir } from '../helpers/context';
import { closeAppContext, createDevice, SharedClock } from '../helpers/sync';

/**
 * A stand-in for Electron's safeStorage (which needs the Electron runtime): XOR with a key of
 * this "computer and OS user", behind a marker, so a box with another key cannot open it and
 * throws as safeStorage.decryptString does.
 */
function fakeSafeStorage(key: number): SafeStorageLike {
  const MARK = 'fake-os-key:';
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain) => xor(Buffer.from(MARK + plain, 'utf8')),
    decryptString: (sealed) => {
      const text = xor(sealed).toString('utf8');
      if (!text.startsWith(MARK)) {
        throw new Error(
          'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
        );
      }
      return text.slice(MARK.length);
    },
  };
}

const thisComputer = (): SecretBox => osSecretBox(fakeSafeStorage(0x5a));
const anotherComputer = (): SecretBox => osSecretBox(fakeSafeStorage(0x33));

const draft = (name: string) =>
  EnterpriseDraftSchema.parse({ name, cityCode: '6401', countyCode: '640104' });

let central: Central;
let clock: SharedClock;
const opened: AppContext[] = [];
/** Tokens the central store handed out, and the bearer of every authorized request. */
let issued: string[];
let bearers: string[];

beforeAll(async () => {
  central = await startCentral();
});
afterAll(async () => {
  await central?.close();
});
beforeEach(async () => {
  await central.reset();
  await central.addUser('admin', '管理员', 'region');
  clock = new SharedClock();
  issued = [];
  bearers = [];
});
afterEach(() => {
  for (const c of opened.splice(0)) closeAppContext(c);
});

const recording: FetchLike = async (url, init) => {
  const auth = (init.headers as Record<string, string> | undefined)?.authorization;
  if (auth) bearers.push(auth);
  const res = await central.fetch(url, init);
  if (url.endsWith('/sync/login') && res.ok) {
    issued.push(((await res.clone().json()) as { token: string }).token);
  }
  return res;
};

const quick: Pick<SyncOptions, 'sleep' | 'retry' | 'fetch'> = {
  fetch: recording,
  sleep: () => Promise.resolve(),
  retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
};

function open(n: number, file: string | undefined, secrets?: SecretBox): AppContext {
  const ctx = createDevice(n, clock, file, secrets ? { secrets } : {});
  opened.push(ctx);
  return ctx;
}

function close(ctx: AppContext): void {
  opened.splice(opened.indexOf(ctx), 1);
  closeAppContext(ctx);
}

async function logIn(ctx: AppContext): Promise<string> {
  await login(
    ctx,
    { username: 'admin', password: PASSWORD },
    { server: central.url, fetch: recording },
  );
  return issued.at(-1)!;
}

function storedToken(ctx: AppContext): string | undefined {
  const row = ctx.db.sqlite
    .prepare("SELECT value FROM sync_state WHERE key = 'sync.token'")
    .get() as { value: string } | undefined;
  return row?.value;
}

function settingsRows(ctx: AppContext): string {
  return JSON.stringify(ctx.db.sqlite.prepare('SELECT key, value FROM sync_state').all());
}

/** The data folder's database files, as someone copying the folder would get them. */
function databaseBytes(file: string): string {
  return [file, `${file}-wal`]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f).toString('latin1'))
    .join('');
}

describe('the sync token in the data folder', () => {
  it('is sealed by the OS box after logging in, and sync still works with it', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const a = open(1, file, thisComputer());
    const token = await logIn(a);
    expect(token.length).toBeGreaterThan(20);

    expect(storedToken(a)).toMatch(/^os:v1:/);
    expect(settingsRows(a)).not.toContain(token);
    expect(syncStatus(a)).toMatchObject({
      user: { username: 'admin' },
      credentialProtection: 'os',
      lastError: null,
    });

    const e = createEnterprise(a, draft('宁夏瑞泰水泥有限公司'));
    const ran = await syncNow(a, quick);
    expect(ran).toMatchObject({ pushed: 1 });
    expect(ran.status.upToDate).toBe(true);
    // The server was sent the token itself, never its sealed form.
    expect(bearers.length).toBeGreaterThan(0);
    expect(new Set(bearers)).toEqual(new Set([`Bearer ${token}`]));

    const b = open(2, undefined);
    await logIn(b);
    await syncNow(b, quick);
    expect(getEnterprise(b, e.id).name).toBe('宁夏瑞泰水泥有限公司');

    close(a);
    expect(databaseBytes(file)).not.toContain(token);
  });

  it('is kept as plain text by the default box, which the CLI and browser mode use', async () => {
    const ctx = open(1, undefined);
    const token = await logIn(ctx);
    expect(storedToken(ctx)).toBe(token);
    expect(syncStatus(ctx).credentialProtection).toBe('none');
    logout(ctx);
    expect(storedToken(ctx)).toBeUndefined();
    expect(syncStatus(ctx).credentialProtection).toBeNull();
  });

  it('is still used when stored as plain text before, and sealed on the next read', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const before = open(1, file);
    const token = await logIn(before);
    createEnterprise(before, draft('宁夏瑞泰水泥有限公司'));
    close(before);

    const after = open(1, file, thisComputer());
    expect(storedToken(after)).toBe(token);
    expect(syncStatus(after)).toMatchObject({
      user: { username: 'admin' },
      credentialProtection: 'os',
      lastError: null,
    });
    expect(storedToken(after)).toMatch(/^os:v1:/);
    expect(settingsRows(after)).not.toContain(token);

    const ran = await syncNow(after, quick);
    expect(ran).toMatchObject({ pushed: 1 });
    expect(new Set(bearers)).toEqual(new Set([`Bearer ${token}`]));
    expect(issued).toHaveLength(1);
  });

  it('is sealed on the next sync run too, when no status was read before', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const before = open(1, file);
    const token = await logIn(before);
    close(before);

    const after = open(1, file, thisComputer());
    await syncNow(after, quick);
    expect(storedToken(after)).toMatch(/^os:v1:/);
    expect(settingsRows(after)).not.toContain(token);
  });

  it('counts as logged out when it cannot be decrypted, says why in Chinese, and keeps the rest', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const mine = open(1, file, thisComputer());
    await logIn(mine);
    createEnterprise(mine, draft('宁夏瑞泰水泥有限公司'));
    await syncNow(mine, quick);
    createEnterprise(mine, draft('宁夏新材料有限公司'));
    const settings = readSyncSettings(mine.db);
    expect(settings.cursor).not.toBeNull();
    close(mine);

    // The data folder copied to another computer (or opened by another OS user).
    const copied = open(1, file, anotherComputer());
    let status!: ReturnType<typeof syncStatus>;
    expect(() => {
      status = syncStatus(copied);
    }).not.toThrow();
    expect(status).toMatchObject({
      server: central.url,
      user: null,
      credentialProtection: null,
      lastError: UNREADABLE_ELSEWHERE,
      pendingOps: 1,
      upToDate: false,
    });
    expect(UNREADABLE_ELSEWHERE).toBe(
      '本机保存的登录凭据无法解密（数据目录可能来自另一台电脑或另一个系统用户），请重新登录中心服务器',
    );

    bearers = [];
    const refused = await syncNow(copied, quick).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'unauthorized', message: UNREADABLE_ELSEWHERE });
    expect(bearers).toHaveLength(0);

    // Nothing else about sync is lost: server, account, cursor, pushed seq, last success.
    const kept = readSyncSettings(copied.db);
    expect(kept).toMatchObject({
      server: settings.server,
      user: settings.user,
      cursor: settings.cursor,
      pushedSeq: settings.pushedSeq,
      lastSuccessAt: settings.lastSuccessAt,
    });

    // Logging in again replaces it; the same account keeps its cursor, and sync goes on.
    const token = await logIn(copied);
    expect(syncStatus(copied)).toMatchObject({
      user: { username: 'admin' },
      credentialProtection: 'os',
      lastError: null,
    });
    expect(readSyncSettings(copied.db).cursor).toBe(settings.cursor);
    expect(settingsRows(copied)).not.toContain(token);
    expect(await syncNow(copied, quick)).toMatchObject({ pushed: 1 });
  });

  it('is not tried by background sync while it cannot be decrypted', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const mine = open(1, file, thisComputer());
    await logIn(mine);
    close(mine);

    const copied = open(1, file, anotherComputer());
    const log: string[] = [];
    // The background sync's first run is due at once: let the clock pass it, then look.
    vi.useFakeTimers();
    try {
      const stop = startBackgroundSync(copied, {
        fetch: recording,
        initialDelayMs: 0,
        log: (line) => log.push(line),
      });
      await vi.advanceTimersByTimeAsync(50);
      stop();
    } finally {
      vi.useRealTimers();
    }
    expect(bearers).toHaveLength(0);
    expect(log).toEqual([]);
    expect(syncStatus(copied).lastError).toBe(UNREADABLE_ELSEWHERE);
  });

  it('sealed by the desktop app is left in place by the CLI, which cannot open it', async () => {
    const file = path.join(tempDir('uplift-secrets-'), 'uplift.db');
    const desktop = open(1, file, thisComputer());
    await logIn(desktop);
    const sealed = storedToken(desktop);
    close(desktop);

    const cli = open(1, file);
    expect(syncStatus(cli)).toMatchObject({
      user: null,
      lastError: UNREADABLE_WITHOUT_KEY_STORE,
    });
    await expect(syncNow(cli, quick)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(storedToken(cli)).toBe(sealed);
    close(cli);

    const again = open(1, file, thisComputer());
    expect(syncStatus(again)).toMatchObject({ user: { username: 'admin' }, lastError: null });
    expect((await syncNow(again, quick)).status.upToDate).toBe(true);
  });
});
