/**
 * Engine speed: 1,000 clients on 8 nodes for 10 simulated minutes, in each mode, as fast as the
 * CPU goes. Prints simulated requests per wall second, the speed-up over real time, and heap
 * growth (after a forced GC). Aim (issue 9): ≥ 1,000× real time in both modes, heap growth
 * ≤ 20 MB, with real HMAC-SHA256 tokens and real HTTP messages.
 *
 * On a shared machine the wall clock counts time spent waiting for a core: read the figures
 * against `uptime`'s load average (printed), and the "cpu ×" column, the speed-up over this
 * process's own CPU time (which also counts the garbage collector's helper threads).
 *
 *   npm run bench            (bundled with rolldown, like the page, then node --expose-gc)
 */
import { createSimulation, type SimConfig } from '../src/engine';
import { Timeline } from '../src/state/timeline';
import { loadavg } from 'node:os';

const SIM_MINUTES = 10;
const scenarios: { name: string; config: Partial<SimConfig> }[] = [
  { name: 'stateless (JWT)', config: { mode: 'stateless' } },
  { name: 'stateful, memory, sticky', config: { mode: 'stateful', sessionStore: 'memory', sticky: true } },
  { name: 'stateful, shared store', config: { mode: 'stateful', sessionStore: 'shared', sticky: false } },
  { name: 'stateful, memory, event log on', config: { mode: 'stateful', eventLogSize: 500 } },
];

const gc = (globalThis as { gc?: () => void }).gc;
function heapMb(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

if (gc === undefined) console.warn('run with node --expose-gc for heap figures after GC');
// Warm-up: let the JIT see every mode before anything is timed, so the first row is not penalised.
for (const { config } of scenarios)
  createSimulation({ clients: 1_000, nodes: 8, seed: 2, eventLogSize: 0, ...config }).advance(60_000);
console.log(
  `engine bench: 1000 clients, 8 nodes, ${SIM_MINUTES} simulated minutes per scenario, node ${process.version}, load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}`,
);
console.log(
  'scenario                         requests  wall ms  sim req/wall s  speed-up    cpu ×  heap growth  heap peak',
);
for (const { name, config } of scenarios) {
  const before = heapMb();
  const sim = createSimulation({ clients: 1_000, nodes: 8, seed: 1, eventLogSize: 0, ...config });
  let peak = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let second = 0; second < SIM_MINUTES * 60; second++) {
    sim.advance(1_000);
    if (second % 60 === 59) peak = Math.max(peak, process.memoryUsage().heapUsed / 2 ** 20);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSpeedUp = (SIM_MINUTES * 60_000) / ((cpu.user + cpu.system) / 1000);
  const metrics = sim.metrics();
  const growth = heapMb() - before;
  const speedUp = (SIM_MINUTES * 60_000) / wallMs;
  console.log(
    `${name.padEnd(32)} ${String(metrics.requests.total).padStart(8)} ${wallMs.toFixed(0).padStart(8)} ${Math.round(
      metrics.requests.total / (wallMs / 1000),
    )
      .toLocaleString('en')
      .padStart(
        15,
      )} ${`${speedUp.toFixed(0)}×`.padStart(9)} ${`${cpuSpeedUp.toFixed(0)}×`.padStart(8)} ${`${growth.toFixed(1)} MB`.padStart(12)} ${`${peak.toFixed(0)} MB`.padStart(10)}`,
  );
  if (metrics.requests.failed > 0)
    console.log(`  (failed: ${metrics.requests.failed} ${JSON.stringify(metrics.byStatus)})`);
}

// Fork cost: what one checkpoint costs for the page's largest scenario (200 clients, 8 nodes).
{
  const sim = createSimulation({ clients: 200, nodes: 8, seed: 1, mode: 'stateful' });
  sim.advance(10 * 60_000);
  const rounds = 50;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) sim.fork();
  const forkMs = (performance.now() - started) / rounds;
  const replayStarted = performance.now();
  const copy = sim.fork();
  copy.advance(10_000);
  const replayMs = performance.now() - replayStarted;
  console.log(
    `fork (200 clients, 8 nodes, after 10 simulated minutes): ${forkMs.toFixed(2)} ms each; fork + replay 10 s: ${replayMs.toFixed(1)} ms`,
  );
}

// Rewind: jump cost on the timeline after a long run of the page's largest scenario.
{
  const sims = new Map([
    ['stateful' as const, createSimulation({ clients: 200, nodes: 8, seed: 1, mode: 'stateful' })],
  ]);
  const timeline = new Timeline(sims);
  const runStarted = performance.now();
  for (let second = 0; second < 600; second++) timeline.advance(sims, 1_000);
  const runMs = performance.now() - runStarted;
  const jumps = [37_500, 301_200, 599_900, 4_900, 450_000, 123_456];
  const times: number[] = [];
  for (const at of jumps) {
    const started = performance.now();
    timeline.seek(at);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `timeline (200 clients, 8 nodes, 10 simulated minutes with checkpoints: ${runMs.toFixed(0)} ms): jump median ${times[times.length >> 1]!.toFixed(1)} ms, worst ${times.at(-1)!.toFixed(1)} ms`,
  );
}
