/**
 * View preferences and the guided-lesson position: facts about the page, not the cluster.
 * A plain zustand hook store: few fields, changed by clicks and keys, never per frame.
 */
import { create } from 'zustand';

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
  set(change: Partial<Omit<UiState, 'set'>>): void;
}

export const useUi = create<UiState>()((set) => ({
  projector: false,
  blanked: false,
  helpOpen: false,
  lessonsOpen: false,
  lesson: null,
  set: (change) => set(change),
}));
