import { create } from 'zustand';

/**
 * Whether the loopback host refused this tab's access token (browser mode): Uplift was started
 * again with a new token (`--new-token`), so this tab cannot reach it any more and must be
 * reopened at the address Uplift printed.
 */
interface ConnectionState {
  tokenRejected: boolean;
  rejectToken: () => void;
}

export const useConnection = create<ConnectionState>()((set) => ({
  tokenRejected: false,
  rejectToken: () => set({ tokenRejected: true }),
}));
