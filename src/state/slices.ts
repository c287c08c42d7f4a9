/**
 * Long replays (what-if) run in slices between frames, so the page keeps drawing and answering
 * while a lecture's worth of simulated time is recomputed. Each slice is sized in simulated ms and
 * the size adapts so a slice takes about SLICE_WALL_MS of wall time, whatever the cluster's load.
 */

/** Runs `next` soon, after the browser had a chance to paint (a task, not a microtask). */
export type SliceScheduler = (next: () => void) => void;

/** Wall ms one slice aims at: well inside a 60 Hz frame's budget with room for painting. */
export const SLICE_WALL_MS = 12;
const FIRST_SLICE_SIM_MS = 1_000;
const MIN_SLICE_SIM_MS = 50;
const MAX_SLICE_SIM_MS = 600_000;

const nextTask: SliceScheduler = (next) => {
  setTimeout(next, 0);
};

/**
 * Calls `work(simMs)` once per slice until it returns true (done), yielding between slices.
 * @example
 * await runInSlices((simMs) => { timeline.advance(sims, Math.min(simMs, left)); return done(); });
 */
export function runInSlices(
  work: (simMs: number) => boolean,
  schedule: SliceScheduler = nextTask,
  wallClock: () => number = () => performance.now(),
): Promise<void> {
  let sliceSimMs = FIRST_SLICE_SIM_MS;
  return new Promise((resolve, reject) => {
    const slice = (): void => {
      try {
        const startedMs = wallClock();
        if (work(sliceSimMs)) return resolve();
        const tookMs = Math.max(0.5, wallClock() - startedMs);
        sliceSimMs = Math.min(
          MAX_SLICE_SIM_MS,
          Math.max(MIN_SLICE_SIM_MS, sliceSimMs * Math.min(4, SLICE_WALL_MS / tookMs)),
        );
        schedule(slice);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    schedule(slice);
  });
}
