/**
 * The one animation-frame loop: wall time → simulated time (× speed), advancing every cluster
 * together through the store's timeline, and publishing to React at a bounded rate. Nothing else
 * in the page runs a timer against the engine.
 */
import type { SimulationStore } from './simulationStore';

/** React sees new numbers this often (wall ms); motion reads the engine directly every frame. */
export const PUBLISH_INTERVAL_MS = 250;
/** Wall ms per frame spent computing the what-ifs on offer ahead of the question. */
export const WHAT_IF_BUDGET_MS = 3;
/** A frame longer than this (a background tab) is not made up for: time just resumes. */
const MAX_FRAME_MS = 100;

export interface Clock {
  stop(): void;
}

export function startClock(
  store: SimulationStore,
  frame: (callback: (wallMs: number) => void) => number = requestAnimationFrame,
  cancel: (handle: number) => void = cancelAnimationFrame,
): Clock {
  let last: number | null = null;
  let sincePublishMs = 0;
  let handle = 0;
  const tick = (wallMs: number): void => {
    const wallDeltaMs = last === null ? 0 : Math.min(MAX_FRAME_MS, wallMs - last);
    last = wallMs;
    const state = store.getState();
    try {
      if (state.playing && wallDeltaMs > 0) {
        // Through the timeline, like every other move of time: the head, checkpoints and recorded
        // commands (replayed when playing on from the past) follow the live run.
        state.advance(wallDeltaMs * state.scenario.speed);
        sincePublishMs += wallDeltaMs;
        if (sincePublishMs >= PUBLISH_INTERVAL_MS) {
          sincePublishMs = 0;
          state.publish();
        }
      }
      // Spare time in the frame: keep the what-ifs on offer close behind the run.
      if (wallDeltaMs > 0) state.prepareWhatIfs(WHAT_IF_BUDGET_MS);
    } catch (error) {
      // An exception here would end the loop and freeze the page without a word (no error
      // boundary sees it): stop time, say why, and keep the loop alive so Reset can recover.
      state.setPlaying(false);
      state.addNotice(
        `The simulation stopped: ${error instanceof Error ? error.message : String(error)}. Press Reset to start again.`,
      );
    }
    handle = frame(tick);
  };
  handle = frame(tick);
  return { stop: () => cancel(handle) };
}
