import path from 'node:path';

import { AppError } from '../../shared/api/errors';
import { closeAppContext, openAppContext } from '../services/context';
import { PROJECT_ROOT } from '../services/paths';
import { backgroundSyncWhenConfigured } from '../services/sync';

import { startHost, type RunningHost } from './server';
import { tokenFor, writeHostState } from './state';

export const DEFAULT_PORT = 4790;

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Makes a new access token (tabs opened with the old one are told to reopen). */
  newToken?: boolean;
  log?: (line: string) => void;
}

/** Parses UPLIFT_PORT; an unusable value is refused with the reason. */
export function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('invalid_input', `端口“${value}”不是有效的端口号（0–65535）`);
  }
  return port;
}

/** Opens the data folder and serves the app on 127.0.0.1 until the process is stopped. */
export async function runBrowserMode(options: BrowserModeOptions): Promise<RunningHost> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ctx = openAppContext({ dataDir: options.dataDir, mode: 'browser' });
  let host: RunningHost;
  try {
    // The token is kept per data folder, so a tab left open across a restart keeps working.
    const kept = tokenFor(options.dataDir, options.newToken === true);
    const requested = options.port ?? DEFAULT_PORT;
    const rendererDir = options.rendererDir ?? path.join(PROJECT_ROOT, 'dist', 'renderer');
    const start = (port: number) => startHost({ ctx, port, rendererDir, token: kept.token });
    if (requested === 0 && kept.port !== null) {
      // "Any free port": the one this folder was served on last, if it is still free, so the
      // address (and what the tab keeps for it) stays the same.
      host = await start(kept.port).catch(() => start(0));
    } else {
      host = await start(requested);
    }
    if (host.port !== kept.port)
      writeHostState(options.dataDir, { token: kept.token, port: host.port });
  } catch (e) {
    closeAppContext(ctx);
    throw e;
  }
  log(`Uplift 浏览器模式已启动，数据目录：${options.dataDir}`);
  log(`请在浏览器中打开：${host.openUrl}`);
  // Sync with the central store in the background once one is configured (with backoff while
  // it cannot be reached), unless UPLIFT_BACKGROUND_SYNC=0 asks for syncing by hand only.
  const stopSync =
    process.env.UPLIFT_BACKGROUND_SYNC === '0'
      ? () => undefined
      : backgroundSyncWhenConfigured(ctx, { log });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopSync();
    void host.close().then(() => {
      closeAppContext(ctx);
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return host;
}
