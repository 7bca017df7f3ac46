import { create } from 'zustand';

/**
 * The screen shown in the shell. A state router rather than a URL one: the address's hash carries
 * the browser-mode access token and is left alone.
 */
export type Screen = 'registry' | 'library' | 'settings';

interface NavigationState {
  screen: Screen;
  go: (screen: Screen) => void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  screen: 'registry',
  go: (screen) => set({ screen }),
}));
