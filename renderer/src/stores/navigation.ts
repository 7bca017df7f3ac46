import { create } from 'zustand';

/**
 * The screen shown in the shell. A state router rather than a URL one: the address's hash carries
 * the browser-mode access token and is left alone.
 */
export type Screen = 'registry' | 'inspections' | 'library' | 'settings';

interface NavigationState {
  screen: Screen;
  /** The visit open on the 现场检查 screen; null shows the list of visits. */
  visitId: string | null;
  go: (screen: Screen) => void;
  /** Opens a visit (null: back to the list). */
  openVisit: (visitId: string | null) => void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  screen: 'registry',
  visitId: null,
  go: (screen) => set({ screen, visitId: null }),
  openVisit: (visitId) => set({ screen: 'inspections', visitId }),
}));
