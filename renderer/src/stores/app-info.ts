import { create } from 'zustand';

import type { AppInfo } from '../../../shared/api/contract';
import { api } from '../api';
import { errorText } from '../errors';

/** `app.info`, shared by the header's pending-changes indicator and the settings page. */
interface AppInfoState {
  info: AppInfo | null;
  error: string | null;
  refresh: () => Promise<void>;
}

let latest = 0;

export const useAppInfo = create<AppInfoState>()((set) => ({
  info: null,
  error: null,
  async refresh() {
    const request = ++latest;
    try {
      const info = await api.call('app.info', {});
      if (request === latest) set({ info, error: null });
    } catch (e) {
      if (request === latest) set({ error: errorText(e) });
    }
  },
}));
