import crypto from 'node:crypto';

import { DEFAULT_THROTTLE, type ThrottleConfig } from './auth/throttle';
import type { Snapshots } from './sync/snapshot';

/** What a sync server is configured with; tests inject the clock and ids. */
export interface ServerConfig {
  /** Apps older than this are refused with 426 (semver; UPLIFT_MIN_APP_VERSION). */
  minAppVersion: string;
  now: () => number;
  newId: () => string;
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  throttle: ThrottleConfig;
  /** Largest JSON body (login, push, pull, missing). */
  maxJsonBytes: number;
  /** Written to for errors of ours (500s). */
  logError: (message: string) => void;
  /**
   * Written to for what an administrator should know of: failed logins and lockouts (the username
   * and address, never a password).
   */
  logEvent: (message: string) => void;
  /** Snapshots for new devices (server/sync/snapshot.ts); null: every device pulls page by page. */
  snapshots: Snapshots | null;
}

export const DEFAULT_MIN_APP_VERSION = '0.1.0';

export function serverConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    minAppVersion: DEFAULT_MIN_APP_VERSION,
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    trustProxy: false,
    throttle: DEFAULT_THROTTLE,
    maxJsonBytes: 10 * 1024 * 1024,
    logError: (message) => console.error(message),
    logEvent: (message) => console.warn(`${new Date().toISOString()} ${message}`),
    snapshots: null,
    ...overrides,
  };
}

/** Semver `a.b.c` (a pre-release or build suffix is ignored), or null. */
export function parseVersion(version: string): [number, number, number] | null {
  const m = /^v?(\d{1,6})\.(\d{1,6})\.(\d{1,6})(?:[-+].*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** a < b, comparing parsed versions. */
export function versionBelow(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return (a[i] as number) < (b[i] as number);
  }
  return false;
}
