import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { PreloadApi } from '../shared/api/contract';

import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipc-channels';

// Exposes { invoke, on } and nothing else: no Node, no ipcRenderer, no channels of its own.
const api = {
  invoke: (method: string, input: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL, method, input),
  on: (event: string, listener: (payload: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies PreloadApi;

contextBridge.exposeInMainWorld('uplift', api);
