/**
 * UI state of the side panels: which panel is open, which request the inspector shows, and the
 * "You" client (kept here, not in the panel, so closing the panel forgets nothing).
 */
import { createStore } from 'zustand/vanilla';
import type { ClusterKey } from '../../state/simulationStore';

export type PanelId = 'you' | 'inspector' | 'log' | 'journey';

export interface RequestRef {
  cluster: ClusterKey;
  requestId: number;
}

/** What the last "You" request came back with, in the words the panel shows. */
export interface YouOutcome {
  action: string;
  status: number;
  reason: string | null;
  servedBy: string | null;
  requestId: number | null;
  /** Plain words for the room when something went wrong (e.g. why a 401 happened). */
  explanation: string | null;
  /** Where Your session lived when the request left (to say where a refused one was lost). */
  sessionNode: string | null;
}

/**
 * The You panel's own state. What You *hold* (token, session cookie, cart, checkout step, where the
 * session lives) is not kept here: the engine follows it from your requests and their answers, and
 * the page reads it from You's snapshot (`heldYou`), so a rewind or a what-if can never leave the
 * panel, the stage and the browser's cookies disagreeing.
 */
export interface YouState {
  /** The name typed into the login form. */
  user: string;
  /** The last answer was a 401: the session is gone (stateful) or the token refused (stateless). */
  refused: boolean;
  busy: boolean;
  last: YouOutcome | null;
  /** Ids of our own recent requests, newest first. */
  mine: RequestRef[];
}

export interface InspectState {
  panel: PanelId | null;
  selected: RequestRef | null;
  you: YouState;
  open(panel: PanelId | null): void;
  inspect(ref: RequestRef): void;
  updateYou(change: Partial<YouState>): void;
  /** The clusters were replaced (a new run, a rewind, a what-if): the last answer belongs to another run. */
  forgetYou(): void;
}

export const INITIAL_YOU: YouState = {
  user: 'you',
  refused: false,
  busy: false,
  last: null,
  mine: [],
};
const MINE_LIMIT = 20;

export type InspectStore = ReturnType<typeof createInspectStore>;

export function createInspectStore() {
  return createStore<InspectState>()((set, get) => ({
    panel: null,
    selected: null,
    you: INITIAL_YOU,
    open: (panel) => set({ panel }),
    inspect: (ref) => set({ selected: ref, panel: 'inspector' }),
    updateYou: (change) => set({ you: { ...get().you, ...change } }),
    forgetYou: () => set({ you: { ...INITIAL_YOU, user: get().you.user }, selected: null }),
  }));
}

export function rememberMine(mine: RequestRef[], ref: RequestRef): RequestRef[] {
  return [ref, ...mine].slice(0, MINE_LIMIT);
}
