/**
 * The bridge between the engine and React.
 *
 * - The Simulation objects live outside React state (`runtime`), advanced by one animation-frame
 *   clock (clock.ts). Moving things read `getSimulation(key).time` and the event stream
 *   (`subscribeSimEvents`) directly, with no React render per frame.
 * - The zustand store carries low-frequency facts: the scenario, play/pause, and each cluster's
 *   latest Snapshot and Metrics, published a few times per second (`publish`) and right after a
 *   command. Snapshot objects keep their identity until they change, so selectors stay cheap.
 */
import { createStore } from 'zustand/vanilla';
import { createSimulation, type Command, type Metrics, type SimEvent, type Simulation, type Snapshot } from '../engine';
import { clusterModesFor, DEFAULT_SCENARIO, simConfigFor, SPEED_LIMITS, type Scenario } from './scenario';
import { captionFor } from './captions';
import { Timeline, type TimelineMark } from './timeline';

export type ClusterKey = 'stateless' | 'stateful';

export const CLUSTER_LABEL: Record<ClusterKey, string> = {
  stateless: 'Stateless (JWT)',
  stateful: 'Stateful (sessions)',
};

export interface ClusterView {
  key: ClusterKey;
  label: string;
  snapshot: Snapshot;
  metrics: Metrics;
}

export interface SimulationState {
  scenario: Scenario;
  playing: boolean;
  /** Compare mode: one click fails the node in both clusters. */
  linkFailures: boolean;
  clusters: readonly ClusterView[];
  /** What just happened, in one line for the room. */
  caption: string | null;
  /** Problems to show (bad URL values, refused commands). */
  notices: readonly string[];
  /** The run so far, for the scrubber: how far it got, and the teacher's commands on it. */
  timeline: { headMs: number; marks: readonly TimelineMark[] };
}

export interface SimulationActions {
  /** Changes the scenario; anything but speed rebuilds the clusters from time 0. */
  setScenario(change: Partial<Scenario>): void;
  setPlaying(playing: boolean): void;
  togglePlaying(): void;
  /** Advances every cluster by `ms` simulated milliseconds (the clock's call); nothing is published. */
  advance(ms: number): void;
  /** Advances paused time by `ms` simulated milliseconds (default 1 s). */
  step(ms?: number): void;
  /** Goes to an earlier (or later, up to the head) moment of this run, paused. */
  seek(timeMs: number): void;
  /**
   * What if the settings had been different from the start? Rebuilds the clusters with `change`
   * and replays the same users and the same commands up to the current moment.
   */
  whatIf(change: Partial<Scenario>): void;
  /** Starts the same scenario again from time 0. */
  reset(): void;
  setLinkFailures(linked: boolean): void;
  /** Fails a node, or recovers it if it is down. In Compare mode, in both clusters when linked. */
  toggleNode(nodeId: string, cluster?: ClusterKey): void;
  apply(command: Command, cluster?: ClusterKey): void;
  addNotice(message: string): void;
  dismissNotice(index: number): void;
  /** Copies the engines' latest snapshots and metrics into the store. */
  publish(): void;
  /** Shows clusters built elsewhere (a lesson step replayed, a checkpoint) for `scenario`. */
  adopt(scenario: Scenario, sims: ReadonlyMap<ClusterKey, Simulation>, caption?: string | null): void;
}

export type SimulationStore = ReturnType<typeof createSimulationStore>;

type EventListener = (cluster: ClusterKey, event: SimEvent) => void;

/** The engines themselves and the event fan-out: mutable, outside React. */
export interface SimulationRuntime {
  sims: Map<ClusterKey, Simulation>;
  listeners: Set<EventListener>;
  /** Bumped whenever the clusters are rebuilt, so animations can drop what they were drawing. */
  generation: number;
  /** Commands and checkpoints of this run, for rewinding. */
  timeline: Timeline;
}

/**
 * @example
 * const store = createSimulationStore({ mode: 'stateful', seed: 7 });
 * store.getState().toggleNode('server-2');   // fail it
 * store.getState().clusters[0].metrics.sessionsLost;
 */
export function createSimulationStore(initial: Partial<Scenario> = {}, notices: string[] = []) {
  const runtime: SimulationRuntime = { sims: new Map(), listeners: new Set(), generation: 0, timeline: new Timeline(new Map()) };

  /** Installs clusters (new ones, or given ones); a new run gets a new timeline unless it is a seek. */
  function build(scenario: Scenario, existing?: ReadonlyMap<ClusterKey, Simulation>, sameRun = false): ClusterView[] {
    runtime.sims.clear();
    runtime.generation++;
    const epochMs = Date.now();
    const installed = clusterModesFor(scenario).map((key) => {
      const sim = existing?.get(key) ?? createSimulation(simConfigFor(scenario, key, epochMs));
      sim.subscribe((event) => {
        for (const listener of runtime.listeners) listener(key, event);
        const caption = captionFor(event, sim);
        if (caption !== null) store.setState({ caption: key === 'stateful' || scenario.mode !== 'compare' ? caption : store.getState().caption });
      });
      runtime.sims.set(key, sim);
      return { key, label: CLUSTER_LABEL[key], snapshot: sim.snapshot(), metrics: sim.metrics() };
    });
    if (!sameRun) runtime.timeline = new Timeline(runtime.sims);
    return installed;
  }

  function timelineView(): SimulationState['timeline'] {
    return { headMs: runtime.timeline.headMs, marks: runtime.timeline.marks };
  }

  function views(): ClusterView[] {
    return [...runtime.sims].map(([key, sim]) => ({ key, label: CLUSTER_LABEL[key], snapshot: sim.snapshot(), metrics: sim.metrics() }));
  }

  const scenario: Scenario = { ...DEFAULT_SCENARIO, ...initial };
  const store = createStore<SimulationState & SimulationActions & { runtime: SimulationRuntime }>()((set, get) => ({
    runtime,
    scenario,
    playing: true,
    linkFailures: true,
    clusters: [],
    caption: null,
    notices,
    timeline: { headMs: 0, marks: [] },

    setScenario(change) {
      const next = { ...get().scenario, ...change };
      next.speed = Math.min(SPEED_LIMITS.max, Math.max(SPEED_LIMITS.min, next.speed));
      const structural = (Object.keys(change) as (keyof Scenario)[]).some((key) => key !== 'speed' && change[key] !== get().scenario[key]);
      set(structural ? { scenario: next, clusters: build(next), caption: null } : { scenario: next });
    },
    setPlaying: (playing) => set({ playing }),
    togglePlaying: () => set({ playing: !get().playing }),
    advance(ms) {
      runtime.timeline.advance(runtime.sims, ms);
    },
    step(ms = 1_000) {
      get().advance(ms);
      get().publish();
    },
    whatIf(change) {
      const nowMs = runtime.sims.values().next().value?.time ?? 0;
      const marks = runtime.timeline.marks;
      const next = { ...get().scenario, ...change };
      const clusters = build(next);
      runtime.timeline.replayOnto(runtime.sims, marks, nowMs);
      set({ scenario: next, clusters, caption: null });
      get().publish();
    },
    seek(timeMs) {
      const sims = runtime.timeline.seek(timeMs);
      set({ playing: false, clusters: build(get().scenario, sims, true), timeline: timelineView() });
    },
    reset() {
      set({ clusters: build(get().scenario), caption: null });
    },
    setLinkFailures: (linkFailures) => set({ linkFailures }),
    toggleNode(nodeId, cluster) {
      const keys = cluster === undefined || get().linkFailures ? [...runtime.sims.keys()] : [cluster];
      // The clicked cluster decides the direction, so linked clusters never drift apart.
      const reference = runtime.sims.get(cluster ?? keys[0]!)?.snapshot().nodes.find((n) => n.id === nodeId);
      if (reference === undefined) return get().addNotice(`There is no ${nodeId.replace('server-', 'Server ')}.`);
      const type = reference.status === 'up' ? 'failNode' : 'recoverNode';
      for (const key of keys) {
        if (runtime.sims.get(key)?.snapshot().nodes.some((n) => n.id === nodeId)) get().apply({ type, node: nodeId }, key);
      }
    },
    apply(command, cluster) {
      const targets = cluster === undefined ? [...runtime.sims.values()] : [runtime.sims.get(cluster)].filter((s) => s !== undefined);
      try {
        for (const sim of targets) sim.apply(command);
        runtime.timeline.record(runtime.sims, command, cluster);
      } catch (error) {
        get().addNotice(error instanceof Error ? error.message : String(error));
      }
      get().publish();
    },
    addNotice: (message) => set({ notices: [...get().notices, message].slice(-5) }),
    dismissNotice: (index) => set({ notices: get().notices.filter((_, i) => i !== index) }),
    publish: () => set({ clusters: views(), timeline: timelineView() }),
    adopt(nextScenario, sims, caption = null) {
      set({ scenario: nextScenario, clusters: build(nextScenario, sims), caption });
    },
  }));
  store.setState({ clusters: build(scenario), timeline: timelineView() });
  return store;
}

/** Listens to every engine event of every cluster; returns the unsubscribe function. */
export function subscribeSimEvents(store: SimulationStore, listener: EventListener): () => void {
  const { runtime } = store.getState();
  runtime.listeners.add(listener);
  return () => runtime.listeners.delete(listener);
}

export function getSimulation(store: SimulationStore, cluster: ClusterKey): Simulation | undefined {
  return store.getState().runtime.sims.get(cluster);
}
