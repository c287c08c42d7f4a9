/**
 * Everything a stage learns from the engine's event stream between two React publishes, kept
 * outside React: the packets to draw, the visual clock they run on, and where things sit. What the
 * stage *says* (who is logged out, counts) is derived from snapshots, never from this stream, so a
 * rewound stage cannot show a loss from its future.
 */
import type { ClusterKey, SimulationStore } from '../../state/simulationStore';
import { createAnchorRegistry, type AnchorRegistry } from './anchors';
import { createPacketTracker, type PacketTracker } from './packetTracker';

/** Packets drawn at once; beyond this, traffic shows only as flows on the edges. */
export const MAX_PACKETS = 160;
const MAX_BURSTS = 40;

export interface StageFeed {
  tracker: PacketTracker;
  anchors: AnchorRegistry;
  /** Wall ms that only advance while the simulation plays; packets are scheduled on it. */
  clock: { visualMs: number };
}

export function createStageFeed(): StageFeed {
  const clock = { visualMs: 0 };
  return {
    tracker: createPacketTracker({ maxPackets: MAX_PACKETS, maxBursts: MAX_BURSTS }),
    anchors: createAnchorRegistry(),
    clock,
  };
}

/** Feeds one cluster's events into the stage feed; returns the unsubscribe function. */
export function connectStageFeed(feed: StageFeed, store: SimulationStore, cluster: ClusterKey): () => void {
  // The clusters were rebuilt (a new run, a rewind, a what-if): what was on screen belongs to the old run.
  const stopRebuild = store.running.onRebuild(() => feed.tracker.clear());
  const stopEvents = store.running.onEvent((key, event) => {
    if (key === cluster) feed.tracker.handle(event, feed.clock.visualMs, store.getState().scenario.speed);
  });
  return () => {
    stopRebuild();
    stopEvents();
  };
}
