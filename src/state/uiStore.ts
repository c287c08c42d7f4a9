/**
 * View preferences and the guided-lesson position: facts about the page, not the cluster.
 * A plain zustand hook store: few fields, changed by clicks and keys, never per frame.
 */
import { create } from 'zustand';

/** A cluster of the page (kept here as a plain union so this store needs nothing from the simulation's). */
export type UiCluster = 'stateless' | 'stateful';

export interface LessonPosition {
  id: string;
  step: number;
  /** The step asked the room to predict; true once its commands ran and the answer shows. */
  revealed: boolean;
}

export interface UiState {
  /** Larger type, thicker lines, secondary panels hidden. */
  projector: boolean;
  /** The screen is blanked (presenter remote's "B" / "."): the simulation pauses behind it. */
  blanked: boolean;
  helpOpen: boolean;
  lessonsOpen: boolean;
  lesson: LessonPosition | null;
  /** Whether the run was playing when the screen was blanked: leaving the blank screen restores it. */
  playingBeforeBlank: boolean;
  /** The last single-cluster mode shown, so `C` twice goes back to it from Compare. */
  previousMode: UiCluster;
  /**
   * Compare with failures unlinked: the cluster the digit keys act on — the pane the teacher last
   * clicked or focused (Stateful (sessions) until then).
   */
  keyCluster: UiCluster;
  set(change: Partial<Omit<UiState, 'set'>>): void;
}

export const useUi = create<UiState>()((set) => ({
  projector: false,
  blanked: false,
  helpOpen: false,
  lessonsOpen: false,
  lesson: null,
  playingBeforeBlank: true,
  previousMode: 'stateful',
  keyCluster: 'stateful',
  set: (change) => set(change),
}));
