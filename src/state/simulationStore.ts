/**
 * The bridge between the engine and React.
 *
 * - The Simulation objects live outside React and zustand state, in `store.running`
 *   (runningClusters.ts), advanced by one animation-frame clock (clock.ts). Moving things read an
 *   engine (`store.running.get(key)`) and the event stream (`store.running.onEvent`) directly, with
 *   no React render per frame.
 * - **One door for time and input**: the clock, Step, lessons, seek and what-if move time only
 *   through `advance` / `seek` (the timeline), and every change to a run — `apply` (the teacher's
 *   commands) and `send` (the page's own HTTP requests) — is recorded on the timeline, so rewind,
 *   fork and what-if replay exactly what the room saw.
 * - The zustand store carries low-frequency facts: the scenario, play/pause, and each cluster's
 *   latest Snapshot and Metrics, published a few times per second (`publish`) and right after a
 *   command. Snapshot objects keep their identity until they change, so selectors stay cheap.
 */
import { createStore } from 'zustand/vanilla';
import {
  type Command,
  type HttpRequest,
  type HttpResponse,
  type Metrics,
  type Simulation,
  type Snapshot,
} from '../engine';
import { clusterModesFor, createClusters, DEFAULT_SCENARIO, SPEED_LIMITS, type Scenario } from './scenario';
import { captionFor } from './captions';
import { timeOf, Timeline, type TimelineMark } from './timeline';
import { apiClusterFor } from './apiCluster';
import { CLUSTER_LABEL, type ClusterKey } from './clusterKey';
import type { SliceScheduler } from './slices';
import { createWhatIfReplayer, type FollowedRun, type WhatIfReplayer } from './whatIfReplay';
import { catchUpInSlices, type ReplayHooks } from './whatIfJobs';
import { createShadowRuns, SHADOW_CLIENT_LIMIT, type ShadowRuns, type ShadowSource } from './whatIfShadows';
import { changeKey, whatIfChoices } from './whatIfChoices';
import { RunningClusters } from './runningClusters';

export { CLUSTER_LABEL, type ClusterKey };

/** A caption as it was shown, at the simulated time of its event: rewinding shows the one of then. */
interface LoggedCaption {
  timeMs: number;
  text: string;
}
/** A rewound stage shows the caption of an event at most this long before the time shown. */
const CAPTION_MEMORY_MS = 20_000;
const CAPTION_LOG_SIZE = 400;

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
  /** A what-if replay in progress (it runs in slices between frames), or null. */
  whatIfProgress: { label: string; fraction: number } | null;
  /** Every what-if on offer is computed ahead: asked now, its answer is on screen at once. */
  whatIfsAhead: boolean;
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
   * and replays the same users, the same commands and the page's own requests up to the current
   * moment — in slices between frames, so a long lecture's replay never freezes the projector.
   * Resolves when the new clusters are on screen (false: superseded by another change).
   */
  whatIf(change: Partial<Scenario>, options?: { label?: string; schedule?: SliceScheduler }): Promise<boolean>;
  /** Starts the same scenario again from time 0. */
  reset(): void;
  /** Starts a new run of `scenario` from time 0, its tokens issued from `epochMs` (a lesson's fixed moment). */
  startRun(scenario: Scenario, epochMs?: number): void;
  setLinkFailures(linked: boolean): void;
  /** Fails a node, or recovers it if it is down. In Compare mode, in both clusters when linked. */
  toggleNode(nodeId: string, cluster?: ClusterKey): void;
  apply(command: Command, cluster?: ClusterKey): void;
  /**
   * One of the page's own HTTP requests ("You"), answered by the cluster the API talks to and
   * recorded on the timeline like a command. Null while a what-if is being replayed: there is no
   * run to record it on (the HTTP adapter answers 503).
   */
  send(request: HttpRequest): HttpResponse | null;
  addNotice(message: string): void;
  dismissNotice(index: number): void;
  /** Copies the engines' latest snapshots and metrics into the store. */
  publish(): void;
  /**
   * Spends at most `budgetMs` of wall time computing the what-ifs on offer ahead of the question
   * (the clock's call, once a frame). Returns true while one of them is still behind the run.
   */
  prepareWhatIfs(budgetMs: number): boolean;
  /** Drops the what-ifs computed ahead, here and in the worker (a benchmark measures a full replay). */
  forgetWhatIfs(): void;
}

export type SimulationStore = ReturnType<typeof createSimulationStore>;

/** The run's machinery: mutable, outside React (tests and benchmarks look in; the page does not). */
export interface SimulationRuntime {
  /** The engines on screen (the same object as `store.running`). */
  sims: RunningClusters;
  /** Commands and checkpoints of this run, for rewinding. */
  timeline: Timeline;
  /** The wall-clock instant the run's simulated time 0 stands for (tokens' `iat`), kept by what-if. */
  epochMs: number;
  /** Captions shown in this run, for rewinding. */
  captions: LoggedCaption[];
  /** Bumped by every rebuild and what-if: a slower what-if that finishes late is dropped. */
  runToken: number;
  /** The what-ifs on offer, computed ahead in spare frame time (where no worker computes them). */
  shadows: ShadowRuns;
  /** Names the run the what-ifs on offer are computed ahead for: a new run or a what-if's answer gets a new one. */
  runId: number;
  /** Frames left in which no what-if is computed ahead: a new run was just put on screen. */
  quietFrames: number;
  /** The run token of a what-if asked of the worker and not answered yet (the room waits; no progress bar yet). */
  askedToken: number;
  /** The what-if that undoes the last one answered: the worker computes it ahead first ("and now back?"). */
  undo: Partial<Scenario> | null;
}

/**
 * Frames after a new run is put on screen (a what-if's answer, a rewind, a reset) in which the page
 * computes no what-if ahead: the room is watching the new run land, and building the next shadows
 * (new clusters, their first checkpoints) would lengthen exactly those frames.
 */
const QUIET_FRAMES_AFTER_INSTALL = 30;
/** Simulated ms a computed-ahead what-if may still be behind and finish within the click (about a frame's work). */
const CATCH_UP_AT_ONCE_MS = 5_000;
/**
 * Wall ms a what-if asked of the engine worker may take before its progress bar comes up: one
 * computed ahead lands in about a tenth of a second, and a bar flashing up for that long (the
 * menu gone and back) would only cost the frames that show the answer a second layout.
 */
const PROGRESS_AFTER_MS = 250;

/**
 * @example
 * const store = createSimulationStore({ mode: 'stateful', seed: 7 });
 * store.getState().toggleNode('server-2');   // fail it
 * store.getState().clusters[0].metrics.sessionsLost;
 */
/** Replays what-ifs that were not computed ahead (in a Web Worker where there is one); made when first needed. */
let replayer: WhatIfReplayer | null = null;

export function createSimulationStore(initial: Partial<Scenario> = {}, notices: string[] = []) {
  const runtime: SimulationRuntime = {
    sims: new RunningClusters(),
    timeline: new Timeline(new Map()),
    epochMs: Date.now(),
    captions: [],
    runToken: 0,
    shadows: createShadowRuns(),
    runId: 0,
    quietFrames: 0,
    askedToken: -1,
    undo: null,
  };

  /** Shows a caption to the room and logs it for rewinding (Compare: the stateful side speaks). */
  function onCaption(key: ClusterKey, scenario: Scenario, timeMs: number, text: string): void {
    if (key !== 'stateful' && scenario.mode === 'compare') return;
    const last = runtime.captions.at(-1);
    // Played forward from the past, the run says again what it said: log it once.
    if (last === undefined || timeMs > last.timeMs || (timeMs === last.timeMs && text !== last.text)) {
      runtime.captions.push({ timeMs, text });
      if (runtime.captions.length > CAPTION_LOG_SIZE)
        runtime.captions.splice(0, runtime.captions.length - CAPTION_LOG_SIZE);
    }
    store.setState({ caption: text });
  }

  /** The caption the room saw at `timeMs` (an event shortly before), or null. */
  function captionAt(timeMs: number): string | null {
    for (let i = runtime.captions.length - 1; i >= 0; i--) {
      const logged = runtime.captions[i]!;
      if (logged.timeMs <= timeMs) return timeMs - logged.timeMs <= CAPTION_MEMORY_MS ? logged.text : null;
    }
    return null;
  }

  /**
   * Installs clusters. `timeline` given: the same run goes on (a seek, a what-if's replayed run);
   * none: a new run with a new timeline and an empty caption log. The caller's one `set` says the
   * what-ifs are no longer computed ahead (`whatIfsAhead: false`): one store change, one render.
   */
  function install(scenario: Scenario, sims: ReadonlyMap<ClusterKey, Simulation>, timeline?: Timeline): ClusterView[] {
    runtime.runToken++;
    runtime.quietFrames = QUIET_FRAMES_AFTER_INSTALL;
    runtime.sims.replace(sims, (key, event) => {
      const caption = captionFor(event, sims.get(key)!);
      if (caption !== null) onCaption(key, scenario, event.time, caption);
    });
    if (timeline === undefined) {
      runtime.timeline = new Timeline(runtime.sims);
      runtime.captions = [];
      runtime.shadows.clear();
      runtime.runId++;
      runtime.undo = null;
    } else {
      runtime.timeline = timeline;
    }
    return views();
  }

  /** A new run of `scenario` from time 0: new clusters, timeline, captions. */
  function freshRun(
    scenario: Scenario,
    epochMs = Date.now(),
  ): Pick<SimulationState, 'clusters' | 'timeline' | 'caption' | 'whatIfProgress' | 'whatIfsAhead'> {
    runtime.epochMs = epochMs;
    const clusters = install(scenario, createClusters(scenario, runtime.epochMs));
    return { clusters, timeline: timelineView(), caption: null, whatIfProgress: null, whatIfsAhead: false };
  }

  function timelineView(): SimulationState['timeline'] {
    return { headMs: runtime.timeline.headMs, marks: runtime.timeline.marks };
  }

  function nowMs(): number {
    return timeOf(runtime.sims);
  }

  function shadowSource(): ShadowSource {
    return {
      scenario: store.getState().scenario,
      createClusters: (scenario) => createClusters(scenario, runtime.epochMs),
      marks: runtime.timeline.marks,
      headMs: runtime.timeline.headMs,
    };
  }

  /** The live run as the engine worker computes its what-ifs ahead (whatIfJobs.ts `follow`). */
  function followedRun(): FollowedRun {
    const scenario = store.getState().scenario;
    return {
      runId: runtime.runId,
      scenario,
      epochMs: runtime.epochMs,
      changes: undoFirst(whatIfChoices(scenario).map((choice) => choice.change)),
      marks: runtime.timeline.marks,
      headMs: runtime.timeline.headMs,
    };
  }

  /**
   * The what-ifs on offer, the one that undoes the last what-if first: the worker builds them one at
   * a time after a what-if, and "and now back?" is the question most often asked next.
   */
  function undoFirst(changes: Partial<Scenario>[]): Partial<Scenario>[] {
    const undo = runtime.undo === null ? null : changeKey(runtime.undo);
    return [...changes].sort((a, b) => Number(changeKey(b) === undo) - Number(changeKey(a) === undo));
  }

  /** A what-if is being answered: the run stands still, the page's own requests wait. */
  function whatIfBusy(): boolean {
    return store.getState().whatIfProgress !== null || runtime.askedToken === runtime.runToken;
  }

  function whatIfReplayer(): WhatIfReplayer {
    return (replayer ??= createWhatIfReplayer());
  }

  function views(): ClusterView[] {
    return [...runtime.sims].map(([key, sim]) => ({
      key,
      label: CLUSTER_LABEL[key],
      snapshot: sim.snapshot(),
      metrics: sim.metrics(),
    }));
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
    whatIfProgress: null,
    whatIfsAhead: false,

    setScenario(change) {
      const next = { ...get().scenario, ...change };
      next.speed = Math.min(SPEED_LIMITS.max, Math.max(SPEED_LIMITS.min, next.speed));
      const structural = (Object.keys(change) as (keyof Scenario)[]).some(
        (key) => key !== 'speed' && change[key] !== get().scenario[key],
      );
      set(structural ? { scenario: next, ...freshRun(next) } : { scenario: next });
    },
    // While a what-if is being replayed the old run stands still; it ends by restoring the play state.
    setPlaying: (playing) => {
      if (!whatIfBusy()) set({ playing });
    },
    togglePlaying: () => get().setPlaying(!get().playing),
    advance(ms) {
      runtime.timeline.advance(runtime.sims, ms);
    },
    step(ms = 1_000) {
      get().advance(ms);
      get().publish();
    },
    async whatIf(change, options = {}) {
      const untilMs = nowMs();
      const next = { ...get().scenario, ...change };
      // Computed ahead (the usual case): only the last moments remain. Else the whole run, replayed.
      // Where the engine worker runs, it keeps the what-ifs computed ahead and answers them.
      const inWorker = whatIfReplayer().inWorker;
      const shadow = inWorker ? undefined : runtime.shadows.take(change, shadowSource());
      runtime.shadows.clear();
      const token = ++runtime.runToken;
      const label = options.label ?? 'What if…';
      const wasPlaying = get().playing;
      let percent = 0;
      const hooks: ReplayHooks = {
        stillWanted: () => token === runtime.runToken,
        // The bar shows whole percents: the page re-renders when one more is done, not every step.
        onProgress: (fraction) => {
          if (Math.floor(fraction * 100) <= percent) return;
          percent = Math.floor(fraction * 100);
          if (get().whatIfProgress !== null) set({ whatIfProgress: { label, fraction } });
        },
        schedule: options.schedule,
      };
      // The room watches the old run stand still while the new one is computed, with a progress bar.
      // Asked of the worker, the bar comes up only if the answer takes a while (PROGRESS_AFTER_MS).
      const showProgress = (): void => {
        if (!inWorker) return set({ playing: false, whatIfProgress: { label, fraction: 0 } });
        runtime.askedToken = token;
        set({ playing: false });
        setTimeout(() => {
          if (token === runtime.runToken) set({ whatIfProgress: { label, fraction: percent / 100 } });
        }, PROGRESS_AFTER_MS);
      };
      let sims: Map<ClusterKey, Simulation>;
      let timeline: Timeline;
      if (shadow !== undefined) {
        timeline = shadow.timeline;
        sims = shadow.sims;
        if (timeOf(sims) > untilMs) {
          // Asked of a rewound moment: the answer is the run up to then, as a full replay gives it.
          sims = timeline.seek(untilMs);
          timeline.endAt(untilMs);
        }
        // A shadow a frame or two behind finishes at once: no progress bar flashing up for a few ms.
        if (untilMs - timeOf(sims) <= CATCH_UP_AT_ONCE_MS) timeline.advance(sims, untilMs - timeOf(sims));
        if (timeOf(sims) < untilMs) {
          showProgress();
          if (!(await catchUpInSlices(sims, timeline, untilMs, hooks))) return false;
        }
        // Up to the moment asked, as a full replay keeps it: the recorded future is not replayed.
        timeline.endAt(untilMs);
      } else {
        showProgress();
        const run = await whatIfReplayer().replay(
          {
            scenario: next,
            epochMs: runtime.epochMs,
            marks: runtime.timeline.marks,
            untilMs,
            runId: runtime.runId,
            change,
          },
          hooks,
          inWorker ? followedRun() : undefined,
        );
        if (run === null || token !== runtime.runToken) return false;
        ({ sims, timeline } = run);
      }
      const before = { scenario: get().scenario, sims: new Map(runtime.sims), timeline: runtime.timeline };
      const clusters = install(next, sims, timeline);
      runtime.runId++;
      // The run left behind answers the what-if that undoes this one, without a replay (on this
      // thread; the worker computes it afresh).
      const undo = Object.fromEntries(
        Object.keys(change).map((key) => [key, before.scenario[key as keyof Scenario]]),
      ) as Partial<Scenario>;
      if (!inWorker) runtime.shadows.adopt(undo, before.sims, before.timeline, shadowSource());
      runtime.undo = undo;
      set({
        scenario: next,
        clusters,
        timeline: timelineView(),
        caption: null,
        playing: wasPlaying,
        whatIfProgress: null,
        whatIfsAhead: false,
      });
      return true;
    },
    seek(timeMs) {
      const sims = runtime.timeline.seek(timeMs);
      const timeline = runtime.timeline;
      const clusters = install(get().scenario, sims, timeline);
      set({
        playing: false,
        clusters,
        timeline: timelineView(),
        caption: captionAt(nowMs()),
        whatIfProgress: null,
        whatIfsAhead: false,
      });
    },
    reset() {
      set(freshRun(get().scenario));
    },
    startRun(next, epochMs) {
      set({ scenario: next, ...freshRun(next, epochMs) });
    },
    setLinkFailures: (linkFailures) => set({ linkFailures }),
    toggleNode(nodeId, cluster) {
      const keys = cluster === undefined || get().linkFailures ? [...runtime.sims.keys()] : [cluster];
      // The clicked cluster decides the direction, so linked clusters never drift apart.
      const reference = runtime.sims
        .get(cluster ?? keys[0]!)
        ?.snapshot()
        .nodes.find((n) => n.id === nodeId);
      if (reference === undefined) return get().addNotice(`There is no ${nodeId.replace('server-', 'Server ')}.`);
      const type = reference.status === 'up' ? 'failNode' : 'recoverNode';
      const holders = keys.filter((key) =>
        runtime.sims
          .get(key)
          ?.snapshot()
          .nodes.some((n) => n.id === nodeId),
      );
      // A linked failure of a node every cluster has is one command, one mark on the timeline.
      if (holders.length === runtime.sims.size) return get().apply({ type, node: nodeId });
      for (const key of holders) get().apply({ type, node: nodeId }, key);
    },
    apply(command, cluster) {
      const targets =
        cluster === undefined ? [...runtime.sims.values()] : [runtime.sims.get(cluster)].filter((s) => s !== undefined);
      try {
        for (const sim of targets) sim.apply(command);
        runtime.timeline.record(runtime.sims, command, cluster);
      } catch (error) {
        get().addNotice(error instanceof Error ? error.message : String(error));
      }
      get().publish();
    },
    send(request) {
      const cluster = apiClusterFor(get().scenario.mode);
      const sim = runtime.sims.get(cluster);
      if (sim === undefined || whatIfBusy()) return null;
      const response = sim.send(request);
      runtime.timeline.recordRequest(runtime.sims, request, cluster);
      get().publish();
      return response;
    },
    addNotice: (message) => set({ notices: [...get().notices, message].slice(-5) }),
    dismissNotice: (index) => set({ notices: get().notices.filter((_, i) => i !== index) }),
    publish: () => set({ clusters: views(), timeline: timelineView() }),
    forgetWhatIfs() {
      runtime.shadows.clear();
      whatIfReplayer().forget();
      set({ whatIfsAhead: false });
    },
    prepareWhatIfs(budgetMs) {
      if (whatIfBusy()) return false;
      const scenario = get().scenario;
      if (runtime.quietFrames > 0) {
        runtime.quietFrames--;
        return true;
      }
      if (whatIfReplayer().inWorker) {
        if (whatIfChoices(scenario).length === 0) return false;
        whatIfReplayer().follow(followedRun(), (runId, ahead) => {
          if (runId === runtime.runId && get().whatIfsAhead !== ahead) set({ whatIfsAhead: ahead });
        });
        return !get().whatIfsAhead;
      }
      if (scenario.clients * clusterModesFor(scenario).length > SHADOW_CLIENT_LIMIT) return false;
      const changes = whatIfChoices(get().scenario).map((choice) => choice.change);
      const behind = runtime.shadows.catchUp(changes, shadowSource(), budgetMs);
      if (get().whatIfsAhead === behind) set({ whatIfsAhead: !behind });
      return behind;
    },
  }));
  store.setState({ ...freshRun(scenario) });
  return Object.assign(store, { running: runtime.sims });
}

/** The engine of `cluster` running now, or undefined. */
export function getSimulation(store: SimulationStore, cluster: ClusterKey): Simulation | undefined {
  return store.running.get(cluster);
}
