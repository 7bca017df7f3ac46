import path from 'node:path';

import { AppError } from '../../shared/api/errors';
import { closeAppContext, openAppContext } from '../services/context';
import { PROJECT_ROOT } from '../services/paths';
import { backgroundSyncWhenConfigured } from '../services/sync';

import { startHost, type RunningHost } from './server';

export const DEFAULT_PORT = 4790;

export interface BrowserModeOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
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
    host = await startHost({
      ctx,
      port: options.port ?? DEFAULT_PORT,
      rendererDir: options.rendererDir ?? path.join(PROJECT_ROOT, 'dist', 'renderer'),
    });
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
