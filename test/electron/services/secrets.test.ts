import { describe, expect, it } from 'vitest';

import {
  osSecretBox,
  plainSecretBox,
  secretBoxFromSafeStorage,
  SecretUnreadableError,
  UNREADABLE_ELSEWHERE,
  UNREADABLE_NEWER,
  UNREADABLE_WITHOUT_KEY_STORE,
  type SafeStorageLike,
} from '../../../electron/services/secrets';

/** Electron's safeStorage stand-in: reverses the bytes, behind a marker of this key. */
function fakeSafeStorage(key: string, over: Partial<SafeStorageLike> = {}): SafeStorageLike {
  return {
    isEncryptionAvailable: () => true,
    encryptString: (plain: string) => Buffer.from(`${key}|${plain}`, 'utf8').reverse(),
    decryptString: (sealed: Buffer) => {
      const text = Buffer.from(sealed).reverse().toString('utf8');
      if (!text.startsWith(`${key}|`)) throw new Error('Error while decrypting the ciphertext');
      return text.slice(key.length + 1);
    },
    ...over,
  };
}

describe('the OS secret box', () => {
  it('stores a secret as os:v1:<base64> that holds no plain text, and opens it again', () => {
    const box = osSecretBox(fakeSafeStorage('k1'));
    const stored = box.encrypt('token-ABC_123');
    expect(box.kind).toBe('os');
    expect(stored).toMatch(/^os:v1:[A-Za-z0-9+/]+=*$/);
    expect(stored).not.toContain('token-ABC_123');
    expect(box.decrypt(stored)).toBe('token-ABC_123');
  });

  it('reads a value with no prefix as plain text', () => {
    expect(osSecretBox(fakeSafeStorage('k1')).decrypt('plain-token')).toBe('plain-token');
  });

  it('throws a readable error, not the key store’s, when another key sealed the value', () => {
    const stored = osSecretBox(fakeSafeStorage('k1')).encrypt('token');
    const elsewhere = osSecretBox(fakeSafeStorage('k2'));
    expect(() => elsewhere.decrypt(stored)).toThrow(SecretUnreadableError);
    expect(() => elsewhere.decrypt(stored)).toThrow(UNREADABLE_ELSEWHERE);
  });

  it('refuses a value sealed by a newer format it does not know', () => {
    expect(() => osSecretBox(fakeSafeStorage('k1')).decrypt('os:v2:AAAA')).toThrow(
      UNREADABLE_NEWER,
    );
  });
});

describe('the plain secret box', () => {
  it('stores and reads plain text', () => {
    expect(plainSecretBox.kind).toBe('none');
    expect(plainSecretBox.encrypt('token')).toBe('token');
    expect(plainSecretBox.decrypt('token')).toBe('token');
  });

  it('cannot open a sealed value, and says the desktop app sealed it', () => {
    const stored = osSecretBox(fakeSafeStorage('k1')).encrypt('token');
    expect(() => plainSecretBox.decrypt(stored)).toThrow(UNREADABLE_WITHOUT_KEY_STORE);
  });
});

describe('secretBoxFromSafeStorage()', () => {
  it('seals with the OS when encryption is available', () => {
    expect(secretBoxFromSafeStorage(fakeSafeStorage('k1')).kind).toBe('os');
    const linux = fakeSafeStorage('k1', { getSelectedStorageBackend: () => 'gnome_libsecret' });
    expect(secretBoxFromSafeStorage(linux).kind).toBe('os');
  });

  it('falls back to plain text when encryption is not available or protects nothing', () => {
    const unavailable = fakeSafeStorage('k1', { isEncryptionAvailable: () => false });
    expect(secretBoxFromSafeStorage(unavailable)).toBe(plainSecretBox);
    const basic = fakeSafeStorage('k1', { getSelectedStorageBackend: () => 'basic_text' });
    expect(secretBoxFromSafeStorage(basic)).toBe(plainSecretBox);
    const throwing = fakeSafeStorage('k1', {
      isEncryptionAvailable: () => {
        throw new Error('not ready');
      },
    });
    expect(secretBoxFromSafeStorage(throwing)).toBe(plainSecretBox);
  });
});
