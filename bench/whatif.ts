/**
 * What-if latency: after a long lecture (200 clients × 8 nodes × 60 simulated minutes, a failure
 * half-way), "What if sessions were in a shared store?" replays the whole run from its start. It
 * runs in slices between frames (src/state/slices.ts); this prints the longest slice — the longest
 * the page's main thread is held at once — and the time until the answer is on screen.
 *
 *   npm run bench:whatif
 */
import { createSimulationStore } from '../src/state/simulationStore';

const SIM_MINUTES = 60;
const store = createSimulationStore({ mode: 'stateful', store: 'memory', clients: 200, nodes: 8, seed: 1 });
store.getState().setPlaying(false);
const lectureStarted = performance.now();
for (let second = 0; second < SIM_MINUTES * 60; second++) {
  if (second === (SIM_MINUTES * 60) / 2) store.getState().toggleNode('server-2');
  if (second === (SIM_MINUTES * 60) / 2 + 120) store.getState().toggleNode('server-2');
  store.getState().advance(1_000);
}
const lectureMs = performance.now() - lectureStarted;
const lost = store.getState().runtime.sims.get('stateful')!.metrics().sessionsLost;

const slices: number[] = [];
let sliceStarted = 0;
const schedule = (next: () => void): void => {
  setTimeout(() => {
    sliceStarted = performance.now();
    next();
    slices.push(performance.now() - sliceStarted);
  }, 0);
};
const started = performance.now();
const done = await store.getState().whatIf({ store: 'shared' }, { schedule });
const answerMs = performance.now() - started;
const shared = store.getState().clusters[0]!.metrics;
slices.sort((a, b) => a - b);
console.log(`what-if bench: 200 clients, 8 nodes, ${SIM_MINUTES} simulated minutes (lecture run with checkpoints: ${lectureMs.toFixed(0)} ms), node ${process.version}`);
console.log(`  memory run: ${lost} sessions lost → what if shared store: ${shared.sessionsLost} lost (${done ? 'replayed' : 'superseded'})`);
console.log(`  answer on screen after ${answerMs.toFixed(0)} ms, in ${slices.length} slices: median ${slices[slices.length >> 1]!.toFixed(1)} ms, p95 ${slices[Math.floor(slices.length * 0.95)]!.toFixed(1)} ms, longest ${slices.at(-1)!.toFixed(1)} ms (load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
