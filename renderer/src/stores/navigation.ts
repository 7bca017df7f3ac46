import { create } from 'zustand';

/**
 * The screen shown in the shell. A state router rather than a URL one: the address's hash carries
 * the browser-mode access token and is left alone.
 */
export type Screen =
  | 'registry'
  | 'inspections'
  | 'plans'
  | 'reviews'
  | 'publications'
  | 'library'
  | 'trash'
  | 'sync'
  | 'settings';

/** A plan to show: by its id or its enterprise's. */
export type PlanTarget = { id: string } | { enterpriseId: string };

interface NavigationState {
  screen: Screen;
  /** The visit open on the 现场检查 screen; null shows the list of visits. */
  visitId: string | null;
  /** The plan open on the 提升方案 screen; null shows the list of plans. */
  plan: PlanTarget | null;
  go: (screen: Screen) => void;
  /** Opens a visit (null: back to the list). */
  openVisit: (visitId: string | null) => void;
  /** Opens a plan (null: back to the list). */
  openPlan: (plan: PlanTarget | null) => void;
}

export const useNavigation = create<NavigationState>()((set) => ({
  screen: 'registry',
  visitId: null,
  plan: null,
  go: (screen) => set({ screen, visitId: null, plan: null }),
  openVisit: (visitId) => set({ screen: 'inspections', visitId }),
  openPlan: (plan) => set({ screen: 'plans', plan }),
}));
