/**
 * What-if latency after a long lecture: 200 clients × 8 nodes × 60 simulated minutes, a failure
 * half-way, then "What if sessions were in a shared store?".
 * - computed ahead (the page): the clock spends ≤ 3 ms a frame keeping each what-if on offer close
 *   behind the run (src/state/whatIfShadows.ts), so the answer needs only the last moments;
 * - replayed (the fallback, e.g. right after a fork in the past): the whole run again, in slices
 *   between frames (src/state/slices.ts).
 * Prints the time until the answer is on screen and the longest slice (the longest the main thread
 * is held at once), and what computing ahead costs per frame.
 *
 *   npm run bench:whatif
 */
import { loadavg } from 'node:os';
import { createSimulationStore } from '../src/state/simulationStore';
import { WHAT_IF_BUDGET_MS } from '../src/state/clock';

const SIM_MINUTES = 60;
/** Simulated ms per frame at 20× (the page's top speed): 60 Hz × 20. */
const FRAME_SIM_MS = (1000 / 60) * 20;

async function lecture(ahead: boolean) {
  const store = createSimulationStore({ mode: 'stateful', store: 'memory', clients: 200, nodes: 8, seed: 1 });
  store.getState().setPlaying(false);
  const failAt = (SIM_MINUTES * 60_000) / 2;
  let failed = false,
    recovered = false,
    aheadMs = 0,
    frames = 0;
  const started = performance.now();
  while (store.getState().runtime.timeline.headMs < SIM_MINUTES * 60_000) {
    store.getState().advance(FRAME_SIM_MS);
    const nowMs = store.getState().runtime.timeline.headMs;
    if (!failed && nowMs >= failAt) {
      failed = true;
      store.getState().toggleNode('server-2');
    }
    if (!recovered && nowMs >= failAt + 120_000) {
      recovered = true;
      store.getState().toggleNode('server-2');
    }
    if (ahead) {
      const frameStarted = performance.now();
      store.getState().prepareWhatIfs(WHAT_IF_BUDGET_MS);
      aheadMs += performance.now() - frameStarted;
      frames++;
    }
  }
  const lectureMs = performance.now() - started;
  const slices: number[] = [];
  const schedule = (next: () => void): void => {
    setTimeout(() => {
      const sliceStarted = performance.now();
      next();
      slices.push(performance.now() - sliceStarted);
    }, 0);
  };
  const lost = store.getState().runtime.sims.get('stateful')!.metrics().sessionsLost;
  const asked = performance.now();
  await store.getState().whatIf({ store: 'shared' }, { schedule });
  const answerMs = performance.now() - asked;
  slices.sort((a, b) => a - b);
  return {
    lectureMs,
    lost,
    answerMs,
    slices,
    shared: store.getState().clusters[0]!.metrics.sessionsLost,
    aheadPerFrameMs: frames === 0 ? 0 : aheadMs / frames,
  };
}

console.log(
  `what-if bench: 200 clients, 8 nodes, ${SIM_MINUTES} simulated minutes at 20× frames, Server 2 failed half-way; node ${process.version}`,
);
for (const ahead of [true, false]) {
  const r = await lecture(ahead);
  const slices =
    r.slices.length === 0
      ? 'no slice needed'
      : `${r.slices.length} slices, median ${r.slices[r.slices.length >> 1]!.toFixed(1)} ms, longest ${r.slices.at(-1)!.toFixed(1)} ms`;
  console.log(
    `  ${ahead ? 'computed ahead' : 'replayed     '}: answer on screen after ${r.answerMs.toFixed(0)} ms (${slices}); ${r.lost} sessions lost in memory → ${r.shared} with a shared store` +
      (ahead ? `; computing ahead cost ${r.aheadPerFrameMs.toFixed(2)} ms per frame` : '') +
      ` (lecture ${(r.lectureMs / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)})`,
  );
}
