/**
 * Everything a stage learns from the engine's event stream between two React publishes, kept
 * outside React: the packets to draw, the visual clock they run on, where things sit, and which
 * users just lost their session (a tiny zustand store, so only the affected client rows re-render).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { subscribeSimEvents, type ClusterKey, type SimulationStore } from '../../state/simulationStore';
import { createAnchorRegistry, type AnchorRegistry } from './anchors';
import { createPacketTracker, type PacketTracker } from './packetTracker';

/** How long a user stays flagged "logged out" after losing a session, visual ms. */
export const LOST_SHOW_MS = 10_000;
/** Packets drawn at once; beyond this, traffic shows only as flows on the edges. */
export const MAX_PACKETS = 160;
const MAX_BURSTS = 40;

export interface LossState {
  /** Client id → visual time its session was lost (or it was sent back to login). */
  lost: Readonly<Record<string, number>>;
}

export interface StageFeed {
  tracker: PacketTracker;
  anchors: AnchorRegistry;
  losses: StoreApi<LossState>;
  /** Wall ms that only advance while the simulation plays; packets are scheduled on it. */
  clock: { visualMs: number };
  /** Forgets flagged users whose flag has been shown long enough. */
  expireLosses(): void;
}

export function createStageFeed(): StageFeed {
  const losses = createStore<LossState>()(() => ({ lost: {} }));
  const clock = { visualMs: 0 };
  return {
    tracker: createPacketTracker({ maxPackets: MAX_PACKETS, maxBursts: MAX_BURSTS }),
    anchors: createAnchorRegistry(),
    losses,
    clock,
    expireLosses() {
      const { lost } = losses.getState();
      const keep = Object.entries(lost).filter(([, atMs]) => atMs + LOST_SHOW_MS > clock.visualMs);
      if (keep.length !== Object.keys(lost).length) losses.setState({ lost: Object.fromEntries(keep) });
    },
  };
}

/** Feeds one cluster's events into the stage feed; returns the unsubscribe function. */
export function connectStageFeed(feed: StageFeed, store: SimulationStore, cluster: ClusterKey): () => void {
  let generation = store.getState().runtime.generation;
  const flag = (clients: readonly string[]): void => {
    if (clients.length === 0) return;
    const lost = { ...feed.losses.getState().lost };
    for (const client of clients) lost[client] = feed.clock.visualMs;
    feed.losses.setState({ lost });
  };
  return subscribeSimEvents(store, (key, event) => {
    if (key !== cluster) return;
    const state = store.getState();
    if (state.runtime.generation !== generation) {
      // The clusters were rebuilt (reset, new scenario): what was on screen belongs to the old run.
      generation = state.runtime.generation;
      feed.tracker.clear();
      feed.losses.setState({ lost: {} });
    }
    if (event.type === 'session.lost') flag(event.clients);
    else if (event.type === 'client.relogin') flag([event.client]);
    feed.tracker.handle(event, feed.clock.visualMs, state.scenario.speed);
  });
}
