/**
 * What-if runs computed ahead of the question. Each what-if the timeline offers ("…sessions were in
 * a shared store?") is a shadow run: the same users, the same teacher's commands and the page's own
 * requests, replayed on clusters built with that one change, kept a little behind the live run in
 * small slices of spare frame time. When the teacher asks, the answer is (nearly) ready: only the
 * last few simulated seconds remain, instead of the whole lecture replayed while the room waits.
 *
 * A shadow follows the live timeline's marks. Marks added at the live moment extend it; a fork in
 * the past (a command given behind the head) contradicts what it replayed after that moment, so it
 * goes back to its last checkpoint before it and replays the new branch from there (only a change
 * at the very start rebuilds it). After a what-if, the run that was live becomes the shadow of the
 * what-if that undoes it (`adopt`): late in a lecture that saves one whole replay.
 */
import type { Simulation } from '../engine';
import type { ClusterKey } from './clusterKey';
import type { Scenario } from './scenario';
import { timeOf, Timeline, type TimelineMark } from './timeline';
import { changeKey } from './whatIfChoices';

/**
 * Checkpoints a replayed what-if keeps, as a what-if computed ahead does (below): fewer
 * than a live run's 120, so the replay forks (here: packs) less; a jump into its past replays up to
 * a few simulated minutes instead of seconds.
 */
export const REPLAY_CHECKPOINTS = 30;

export interface ShadowRun {
  change: Partial<Scenario>;
  sims: Map<ClusterKey, Simulation>;
  timeline: Timeline;
  /** The live marks it has taken in (identity: the timeline makes a new array on every change). */
  marks: readonly TimelineMark[];
}

export interface ShadowSource {
  /** The run's scenario and its clusters' factory. */
  scenario: Scenario;
  createClusters(scenario: Scenario): Map<ClusterKey, Simulation>;
  marks: readonly TimelineMark[];
  /** How far the live run has been (its timeline's head). */
  headMs: number;
}

/**
 * Checkpoints a shadow keeps: fewer than the live run's 120 (several shadows run at once), so an
 * adopted what-if's jumps replay up to a longer interval — tens of ms instead of a few. As many as
 * a what-if replayed in full keeps.
 */
const SHADOW_CHECKPOINTS = REPLAY_CHECKPOINTS;
/** Simulated ms a shadow advances per call; small, so the frame budget is checked often. */
const SHADOW_STEP_MS = 1_000;
/**
 * Beyond this many clients in all, no what-if is computed ahead: one checkpoint of such a run (a
 * fork) takes longer than a frame's whole budget, so shadows would cost the room smooth frames.
 * A what-if there is replayed in slices with a progress bar instead.
 */
export const SHADOW_CLIENT_LIMIT = 400;

/**
 * The earliest time at which `next` and `taken` differ (a mark added, dropped or changed there), or
 * Infinity (the same marks).
 */
function clientsOf(sims: ReadonlyMap<ClusterKey, Simulation>): number {
  let clients = 0;
  for (const sim of sims.values()) clients += sim.config.clients;
  return clients;
}

export function firstDifference(next: readonly TimelineMark[], taken: readonly TimelineMark[]): number {
  const common = Math.min(next.length, taken.length);
  let i = 0;
  while (i < common && next[i] === taken[i]) i++;
  return Math.min(next[i]?.timeMs ?? Infinity, taken[i]?.timeMs ?? Infinity);
}

/** Whether `next` is `taken` plus marks at or after `fromMs` (nothing the shadow replayed changed). */
export function isExtensionOf(next: readonly TimelineMark[], taken: readonly TimelineMark[], fromMs: number): boolean {
  if (next === taken) return true;
  if (next.length < taken.length) return false;
  for (let i = 0; i < taken.length; i++) if (next[i] !== taken[i]) return false;
  for (let i = taken.length; i < next.length; i++) if (next[i]!.timeMs < fromMs) return false;
  return true;
}

/** What the checkpoints of all shadows may hold together (a checkpoint of 1,000 clients is ~2.7 MB). */
const SHADOW_BUDGET_BYTES = 160 * 2 ** 20;
const CHECKPOINT_BYTES_PER_CLIENT = 2_700;
const MIN_SHADOW_CHECKPOINTS = 10;

/**
 * Checkpoints each of `shadows` shadows of `clients` clients in all keeps: 30 up to ~650 clients,
 * fewer beyond (19 each at 1,000 with three on offer), so they fit in about 160 MB together.
 */
export function shadowCheckpointsFor(clients: number, shadows: number): number {
  const fits = Math.floor(
    SHADOW_BUDGET_BYTES / (Math.max(1, shadows) * CHECKPOINT_BYTES_PER_CLIENT * Math.max(1, clients)),
  );
  return Math.max(MIN_SHADOW_CHECKPOINTS, Math.min(SHADOW_CHECKPOINTS, fits));
}

export interface ShadowOptions {
  /**
   * Checkpoints kept packed instead of forked (in the engine's Web Worker: posted to the page as
   * they are when the what-if is asked), and capped by memory for big runs (shadowCheckpointsFor).
   */
  packed?: boolean;
}

export function createShadowRuns({ packed = false }: ShadowOptions = {}) {
  let runs = new Map<string, ShadowRun>();

  /** Brings a shadow's marks in line with the live run, or says it cannot (then it is rebuilt). */
  function sync(run: ShadowRun, source: ShadowSource): boolean {
    if (!isExtensionOf(source.marks, run.marks, timeOf(run.sims))) {
      // A fork in the past: what the shadow replayed before the first changed mark still holds, so
      // it goes back to its last checkpoint before then and takes the new branch from there.
      const atMs = run.timeline.checkpointBefore(firstDifference(source.marks, run.marks));
      if (atMs === null) return false;
      run.sims = run.timeline.seek(atMs);
      run.timeline.endAt(atMs);
      let applied = 0;
      while (applied < source.marks.length && source.marks[applied]!.timeMs <= atMs) applied++;
      run.timeline.takeMarks(run.sims, source.marks, applied);
      run.marks = source.marks;
      return true;
    }
    if (source.marks !== run.marks) {
      run.timeline.takeMarks(run.sims, source.marks, run.marks.length);
      run.marks = source.marks;
    }
    return true;
  }

  function start(change: Partial<Scenario>, source: ShadowSource, shadows: number): ShadowRun {
    const scenario = { ...source.scenario, ...change };
    const sims = source.createClusters(scenario);
    const checkpoints = packed ? shadowCheckpointsFor(clientsOf(sims), shadows) : SHADOW_CHECKPOINTS;
    // Spaced for the run so far: catching up on a long lecture takes few forks.
    const timeline = Timeline.forReplay(sims, source.marks, Infinity, checkpoints, source.headMs);
    if (packed) timeline.keepPacked();
    return { change, sims, timeline, marks: source.marks };
  }

  return {
    /** Forgets every shadow (a new run, or the scenario changed). */
    clear(): void {
      runs = new Map();
    },

    /**
     * Advances the shadows of `changes` towards the live head for at most `budgetMs` of wall time.
     * Returns true while any of them is still behind.
     */
    catchUp(
      changes: readonly Partial<Scenario>[],
      source: ShadowSource,
      budgetMs: number,
      wallClock: () => number = () => performance.now(),
    ): boolean {
      const wanted = new Map(changes.map((change) => [changeKey(change), change]));
      for (const key of runs.keys()) if (!wanted.has(key)) runs.delete(key);
      const startedMs = wallClock();
      let behind = false;
      let started = false;
      for (const [key, change] of wanted) {
        let run = runs.get(key);
        if (run === undefined || !sync(run, source)) {
          // Building clusters is the dearest part: one new shadow per frame, and none once the
          // frame's budget is spent (right after a new run is shown, say).
          if (started || wallClock() - startedMs >= budgetMs) {
            runs.delete(key);
            behind = true;
            continue;
          }
          started = true;
          run = start(change, source, wanted.size);
          runs.set(key, run);
        }
        while (timeOf(run.sims) < source.headMs && wallClock() - startedMs < budgetMs) {
          run.timeline.advance(run.sims, Math.min(SHADOW_STEP_MS, source.headMs - timeOf(run.sims)));
        }
        if (timeOf(run.sims) < source.headMs) behind = true;
      }
      return behind;
    },

    /** How far (simulated ms) the furthest behind of the shadows of `changes` is behind `headMs`; Infinity if one is missing. */
    lag(changes: readonly Partial<Scenario>[], headMs: number): number {
      let lag = 0;
      for (const change of changes) {
        const run = runs.get(changeKey(change));
        lag = Math.max(lag, run === undefined ? Infinity : headMs - timeOf(run.sims));
      }
      return lag;
    },

    /**
     * Keeps a run that was live as the shadow for `change` (the what-if that undoes the one just
     * answered): it is the very run a shadow of `change` would replay — the same setup, the same
     * marks — already at the live moment, so nothing has to be replayed for it. Kept only when its
     * marks are exactly the live run's (a request of You's answered in the other mode is not
     * replayed there, so such a run is left to be rebuilt).
     */
    adopt(
      change: Partial<Scenario>,
      sims: Map<ClusterKey, Simulation>,
      timeline: Timeline,
      source: ShadowSource,
    ): boolean {
      const nowMs = timeOf(sims);
      if (nowMs !== source.headMs) return false;
      if (timeline.headMs > nowMs) timeline.endAt(nowMs);
      const kept = timeline.marks;
      if (kept.length !== source.marks.length || !isExtensionOf(source.marks, kept, nowMs)) return false;
      timeline.capCheckpoints(SHADOW_CHECKPOINTS);
      runs.set(changeKey(change), { change, sims, timeline, marks: source.marks });
      return true;
    },

    /** The shadow for `change`, in line with the live run, or undefined. */
    take(change: Partial<Scenario>, source: ShadowSource): ShadowRun | undefined {
      const run = runs.get(changeKey(change));
      if (run === undefined || !sync(run, source)) return undefined;
      runs.delete(changeKey(change));
      return run;
    },
  };
}

export type ShadowRuns = ReturnType<typeof createShadowRuns>;
