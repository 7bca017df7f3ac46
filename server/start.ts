import type http from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAdaptorServer } from '@hono/node-server';

import type { ServerConfig } from './config';
import { openStore, type Store } from './db/store';
import { SyncFailure } from './errors';
import { createSyncApp } from './http/app';

/** Starting the central store as an HTTP service (`uplift serve`, tests, the load test). */

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on: 0.0.0.0 (every interface) unless told otherwise. */
  host?: string;
  /** PGlite's folder (its data in `<dataDir>/pg`) when there is no databaseUrl. */
  dataDir?: string;
  databaseUrl?: string;
  /** An already open store (tests); it is not closed by close(). */
  store?: Store;
  config?: Partial<ServerConfig>;
}

export interface RunningServer {
  /** The base URL clients use, e.g. http://127.0.0.1:4791 (routes are under /sync). */
  url: string;
  port: number;
  store: Store;
  close(): Promise<void>;
}

export const DEFAULT_SERVER_PORT = 4791;

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const own = !options.store;
  const store =
    options.store ??
    (await openStore({ databaseUrl: options.databaseUrl, dataDir: options.dataDir }));
  const app = createSyncApp(store, options.config);
  const server = createAdaptorServer({ fetch: app.fetch }) as http.Server;
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
    if (own) await store.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`,
    port,
    store,
    close: async () => {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      if (own) await store.close();
    },
  };
}
