import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
} from 'electron';

import { dispatch } from './api';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels';
import { closeAppContext, openAppContext, type AppContext } from './services/context';
import { resolveDataDir } from './services/paths';
import { secretBoxFromSafeStorage } from './services/secrets';
import { backgroundSyncWhenConfigured } from './services/sync';

/**
 * The desktop app's main process: opens the data folder (migrating it before any window exists),
 * binds the API contract to IPC, and shows one hardened window.
 * Built by scripts/build.js into dist/electron/main.mjs, beside preload.cjs, renderer/ and migrations/.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

function dataDirFlag(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length);
}

let ctx: AppContext | null = null;
let mainWindow: BrowserWindow | null = null;
let stopSync: (() => void) | null = null;

/** Only our own window, showing our own page, may call the API. */
function trustedSender(event: IpcMainInvokeEvent): boolean {
  return (
    mainWindow !== null &&
    BrowserWindow.fromWebContents(event.sender) === mainWindow &&
    event.senderFrame?.url.startsWith(rendererUrl.replace(/index\.html$/, '')) === true
  );
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: 'Uplift 环保绩效提级帮扶助手',
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== rendererUrl) e.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(rendererIndex);
  return win;
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = resolveDataDir(dataDirFlag(process.argv), process.env);
  try {
    ctx = openAppContext({
      dataDir,
      mode: 'electron',
      migrationsFolder: path.join(here, 'migrations'),
      // The sync token is sealed by the OS key store (after ready: Linux knows it only then).
      secrets: secretBoxFromSafeStorage(safeStorage),
    });
  } catch (e) {
    dialog.showErrorBox('Uplift 无法打开数据', (e as Error).message);
    app.exit(1);
    return;
  }
  const appCtx = ctx;
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  // An exported file (a list, a PDF) is saved where the person picks in the save dialog, and its
  // folder opens once it is written, ready to hand over or attach.
  session.defaultSession.on('will-download', (_e, item) => {
    item.once('done', (_done, state) => {
      if (state === 'completed') shell.showItemInFolder(item.getSavePath());
    });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault());
  });
  ipcMain.handle(INVOKE_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!trustedSender(event)) {
      return { ok: false, error: { code: 'forbidden', message: '拒绝来自未知页面的调用' } };
    }
    return dispatch(appCtx, String(method), input);
  });
  appCtx.events.subscribe((name, payload) => {
    mainWindow?.webContents.send(EVENT_CHANNEL, name, payload);
  });
  // Sync with the central store in the background once one is configured (backing off while it
  // cannot be reached), as browser mode does.
  stopSync = backgroundSyncWhenConfigured(appCtx);
  mainWindow = createWindow();
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

app.on('window-all-closed', () => {
  stopSync?.();
  stopSync = null;
  if (ctx) closeAppContext(ctx);
  ctx = null;
  app.quit();
});

start().catch((e: unknown) => {
  dialog.showErrorBox('Uplift 启动失败', e instanceof Error ? e.message : String(e));
  app.exit(1);
});
