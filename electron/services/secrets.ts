/**
 * Secrets kept in the data folder (the central store's bearer token), sealed by the operating
 * system where it can: whoever copies the data folder must not be able to sync as its user.
 *
 * A stored value says how it was stored: `os:v1:<base64>` is sealed by the OS key store (Electron's
 * safeStorage: DPAPI, Keychain, libsecret/kwallet), for this OS user on this computer; a value
 * without the `os:` prefix is plain text (written before sealing existed, or by the CLI / browser
 * mode, which run in plain Node with no key store). Both boxes read plain values.
 *
 * Only electron/main.ts may import electron: it hands `safeStorage` to secretBoxFromSafeStorage.
 */

export type SecretKind = 'os' | 'none';

export interface SecretBox {
  /** 'os': sealed by the operating system; 'none': kept as plain text. */
  readonly kind: SecretKind;
  /** The form to store. */
  encrypt(plain: string): string;
  /** The secret from its stored form; throws SecretUnreadableError when it cannot. */
  decrypt(stored: string): string;
}

/** A stored value this box cannot open; the message is for the person, in Chinese. */
export class SecretUnreadableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretUnreadableError';
  }
}

export const OS_PREFIX = 'os:v1:';
const OS_FAMILY = 'os:';

export const UNREADABLE_ELSEWHERE =
  '本机保存的登录凭据无法解密（数据目录可能来自另一台电脑或另一个系统用户），请重新登录中心服务器';
export const UNREADABLE_WITHOUT_KEY_STORE =
  '本机保存的登录凭据由桌面应用经操作系统加密保存，当前运行方式（命令行、浏览器模式或没有系统密钥库）无法解密；请在桌面应用中同步，或在此重新登录中心服务器';
export const UNREADABLE_NEWER =
  '本机保存的登录凭据由更新版本的 Uplift 加密保存，本版本无法解密；请重新登录中心服务器';

/** Whether a stored value is sealed (by any version), i.e. not plain text. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(OS_FAMILY);
}

/** Plain text: the CLI, browser mode, and the desktop app where the OS offers no key store. */
export const plainSecretBox: SecretBox = {
  kind: 'none',
  encrypt: (plain) => plain,
  decrypt: (stored) => {
    if (isSealed(stored)) throw new SecretUnreadableError(UNREADABLE_WITHOUT_KEY_STORE);
    return stored;
  },
};

/** What this module needs of Electron's safeStorage (a structural type: no electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only; 'basic_text' means a hard-coded key, which protects nothing. */
  getSelectedStorageBackend?(): string;
}

/** A box sealed by `storage`; callers check that encryption is available (see below). */
export function osSecretBox(storage: SafeStorageLike): SecretBox {
  return {
    kind: 'os',
    encrypt: (plain) => OS_PREFIX + storage.encryptString(plain).toString('base64'),
    decrypt: (stored) => {
      if (!isSealed(stored)) return stored;
      if (!stored.startsWith(OS_PREFIX)) throw new SecretUnreadableError(UNREADABLE_NEWER);
      try {
        return storage.decryptString(Buffer.from(stored.slice(OS_PREFIX.length), 'base64'));
      } catch (e) {
        throw new SecretUnreadableError(UNREADABLE_ELSEWHERE, { cause: e });
      }
    },
  };
}

/**
 * The desktop app's box: sealed by the OS when it offers a real key store (call after the app is
 * ready: on Linux the key store is known only then), plain text otherwise.
 */
export function secretBoxFromSafeStorage(storage: SafeStorageLike): SecretBox {
  let available: boolean;
  try {
    available =
      storage.isEncryptionAvailable() && storage.getSelectedStorageBackend?.() !== 'basic_text';
  } catch {
    available = false;
  }
  return available ? osSecretBox(storage) : plainSecretBox;
}
