/**
 * Long replays (what-if, the loss receipt) run in slices between frames, so the page keeps drawing
 * and answering while a lecture's worth of simulated time is recomputed. A slice is a few short
 * steps, each sized in simulated ms so it takes about STEP_WALL_MS of wall time whatever the
 * cluster's load, and the slice ends once SLICE_WALL_MS is spent: a dear stretch (a checkpoint, a
 * crash's relogins, a garbage collection) overruns it by one step, never by a whole slice grown on
 * cheap stretches before it.
 */

/** Runs `next` soon, after the browser had a chance to paint (a task, not a microtask). */
export type SliceScheduler = (next: () => void) => void;

/** Wall ms one slice aims at: well inside a 60 Hz frame's budget with room for painting. */
export const SLICE_WALL_MS = 12;
/** Wall ms one step of a slice aims at: the most a slice overruns by when a step is dearer than the last. */
const STEP_WALL_MS = 3;
const FIRST_STEP_SIM_MS = 250;
const MIN_STEP_SIM_MS = 50;
const MAX_STEP_SIM_MS = 60_000;

const nextTask: SliceScheduler = (next) => {
  setTimeout(next, 0);
};

/**
 * Calls `work(simMs)` step by step until it returns true (done), yielding between slices.
 * @example
 * await runInSlices((simMs) => { timeline.advance(sims, Math.min(simMs, left)); return done(); });
 */
export function runInSlices(
  work: (simMs: number) => boolean,
  schedule: SliceScheduler = nextTask,
  wallClock: () => number = () => performance.now(),
): Promise<void> {
  let stepSimMs = FIRST_STEP_SIM_MS;
  return new Promise((resolve, reject) => {
    const slice = (): void => {
      try {
        const startedMs = wallClock();
        for (;;) {
          const stepStartedMs = wallClock();
          if (work(stepSimMs)) return resolve();
          const nowMs = wallClock();
          // Grows gently (a cheap step says little about the next), shrinks at once.
          const tookMs = Math.max(0.25, nowMs - stepStartedMs);
          stepSimMs = Math.min(
            MAX_STEP_SIM_MS,
            Math.max(MIN_STEP_SIM_MS, stepSimMs * Math.min(2, STEP_WALL_MS / tookMs)),
          );
          if (nowMs - startedMs >= SLICE_WALL_MS) break;
        }
        schedule(slice);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    schedule(slice);
  });
}
