import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { replaceFile } from '../services/atomic-file';

/**
 * What browser mode keeps in the data folder between starts (`browser-host.json`, 0600): the
 * access token, so a tab left open across a restart keeps working, and the port last served, so
 * a restart asked for "any free port" serves the same address (and the tab's origin) when it can.
 */
export const HOST_STATE_FILE = 'browser-host.json';

export interface HostState {
  token: string;
  port: number | null;
}

const TOKEN = /^[\w-]{32,128}$/;

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

function statePath(dataDir: string): string {
  return path.join(dataDir, HOST_STATE_FILE);
}

/** The kept state, or null when there is none or it is unreadable (a new token is then made). */
export function readHostState(dataDir: string): HostState | null {
  const file = statePath(dataDir);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(raw) as { token?: unknown; port?: unknown };
    if (typeof parsed.token !== 'string' || !TOKEN.test(parsed.token)) return null;
    const port =
      typeof parsed.port === 'number' &&
      Number.isInteger(parsed.port) &&
      parsed.port > 0 &&
      parsed.port <= 65535
        ? parsed.port
        : null;
    // Written 0600; an older or copied file readable by others is tightened before use.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return { token: parsed.token, port };
  } catch {
    return null;
  }
}

/** Writes the state whole (a temporary file renamed over it), readable by the user only. */
export function writeHostState(dataDir: string, state: HostState): void {
  const file = statePath(dataDir);
  replaceFile(file, `${JSON.stringify(state)}\n`, { mode: 0o600, fsync: true });
}

/** The token to serve with: the kept one, or a new one when there is none or `rotate` asks. */
export function tokenFor(dataDir: string, rotate: boolean): { token: string; port: number | null } {
  const kept = rotate ? null : readHostState(dataDir);
  if (kept) return kept;
  const previous = readHostState(dataDir);
  const state = { token: newToken(), port: previous?.port ?? null };
  writeHostState(dataDir, state);
  return state;
}
