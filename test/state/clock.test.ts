/**
 * The animation-frame clock, driven by hand: a throwing engine must not freeze the page silently.
 */
import { describe, expect, it } from 'vitest';
import { startClock } from '../../src/state/clock';
import { createSimulationStore } from '../../src/state/simulationStore';

function manualFrames() {
  let pending: ((wallMs: number) => void) | null = null;
  return {
    frame: (callback: (wallMs: number) => void) => {
      pending = callback;
      return 1;
    },
    cancel: () => {
      pending = null;
    },
    run(wallMs: number) {
      const callback = pending;
      pending = null;
      callback?.(wallMs);
    },
    get scheduled() {
      return pending !== null;
    },
  };
}

describe('the clock', () => {
  it('advances every cluster by wall time × speed', () => {
    const store = createSimulationStore({ mode: 'compare', speed: 2 });
    const frames = manualFrames();
    startClock(store, frames.frame, frames.cancel);
    frames.run(1_000);
    frames.run(1_050);
    for (const sim of store.getState().runtime.sims.values()) expect(sim.time).toBe(100);
  });

  it('stops time with a notice when the engine throws, and keeps running for Reset', () => {
    const store = createSimulationStore({ mode: 'stateful' });
    const sim = store.getState().runtime.sims.get('stateful')!;
    sim.advance = () => {
      throw new Error('boom');
    };
    const frames = manualFrames();
    startClock(store, frames.frame, frames.cancel);
    frames.run(1_000);
    frames.run(1_016);
    expect(store.getState().playing).toBe(false);
    expect(store.getState().notices.at(-1)).toMatch(/The simulation stopped: boom/);
    expect(frames.scheduled).toBe(true);
  });
});
