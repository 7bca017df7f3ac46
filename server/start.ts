import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { createAdaptorServer } from '@hono/node-server';

import type { ServerConfig } from './config';
import { openStore, type Store } from './db/store';
import { SyncFailure } from './errors';
import { createSyncApp } from './http/app';
import { createSnapshots, type Snapshots } from './sync/snapshot';

/** Starting the central store as an HTTP service (`uplift serve`, tests, the load test). */

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on: 0.0.0.0 (every interface) unless told otherwise. */
  host?: string;
  /** Serve HTTPS with this certificate (chain) and private key, both PEM; plain HTTP without. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** PGlite's folder (its data in `<dataDir>/pg`) when there is no databaseUrl. */
  dataDir?: string;
  databaseUrl?: string;
  /** An already open store (tests); it is not closed by close(). */
  store?: Store;
  config?: Partial<ServerConfig>;
  /**
   * Snapshots for new devices, kept in `<dataDir>/snapshots`: on whenever there is a data folder
   * (`uplift serve` always has one); a scope needs this many rows for one (default 5,000).
   */
  snapshotMinRows?: number;
}

export interface RunningServer {
  /** The base URL clients use, e.g. http://127.0.0.1:4791 (routes are under /sync). */
  url: string;
  /** https (tls given) or http. */
  scheme: 'https' | 'http';
  port: number;
  store: Store;
  /** Its snapshots for new devices, when it has a data folder. */
  snapshots: Snapshots | null;
  close(): Promise<void>;
}

export const DEFAULT_SERVER_PORT = 4791;

/** Whether only this machine can reach an address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(h) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(h)
  );
}
export const DEFAULT_SNAPSHOT_MIN_ROWS = 5000;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const own = !options.store;
  const store =
    options.store ??
    (await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }));
  const snapshots: Snapshots | null =
    options.config?.snapshots ??
    (options.dataDir
      ? createSnapshots(store.db, {
          dir: path.join(options.dataDir, 'snapshots'),
          minRows: options.snapshotMinRows ?? DEFAULT_SNAPSHOT_MIN_ROWS,
          ...(options.config?.logError ? { logError: options.config.logError } : {}),
        })
      : null);
  const app = createSyncApp(store, { ...options.config, snapshots });
  let server: http.Server;
  try {
    server = (
      options.tls
        ? createAdaptorServer({
            fetch: app.fetch,
            createServer: https.createServer,
            serverOptions: { cert: options.tls.cert, key: options.tls.key },
          })
        : createAdaptorServer({ fetch: app.fetch })
    ) as http.Server;
  } catch (e) {
    await snapshots?.close();
    if (own) await store.close();
    throw new SyncFailure(
      'invalid_input',
      `证书或私钥无法使用（应为 PEM 格式、且私钥与证书配对）：${(e as Error).message}`,
    );
  }
  // Idle keep-alive connections stay open longer than the usual proxy idle timeout (60 s), so a
  // proxy or a device never reuses a connection the server is closing at that moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '0.0.0.0';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(
          e.code === 'EADDRINUSE'
            ? new SyncFailure('conflict', `端口 ${options.port} 已被占用，请用 --port 指定其他端口`)
            : new Error(`无法启动中心服务器：${e.message}`),
        );
      });
      server.listen(options.port, host, () => resolve());
    });
  } catch (e) {
    await snapshots?.close();
    if (own) await store.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const scheme = options.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
    scheme,
    port,
    store,
    snapshots,
    close: async () => {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await snapshots?.close();
      if (own) await store.close();
    },
  };
}
