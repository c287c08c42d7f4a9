/**
 * What-ifs computed ahead after a fork in the past: the precomputed run goes back to its last
 * checkpoint before the fork and replays the new branch from there — the same run a replay from the
 * start gives, without starting over (a what-if asked right after a rewind-and-fork late in a lecture
 * is answered in moments, not after a replay of the whole lecture).
 */
import { describe, expect, it } from 'vitest';
import type { Simulation } from '../../src/engine';
import type { ClusterKey } from '../../src/state/clusterKey';
import { createClusters } from '../../src/state/scenario';
import { createSimulationStore } from '../../src/state/simulationStore';
import { timeOf, Timeline } from '../../src/state/timeline';
import { createShadowRuns, firstDifference, type ShadowSource } from '../../src/state/whatIfShadows';

function view(sims: ReadonlyMap<ClusterKey, Simulation>) {
  return [...sims].map(([key, sim]) => [key, sim.time, sim.metrics(), sim.snapshot()]);
}

/** A paused run of 12 users, and the live run as its shadows follow it. */
function pausedRun() {
  const store = createSimulationStore({ mode: 'stateful', store: 'memory', clients: 12, nodes: 3, seed: 9 });
  const state = () => store.getState();
  state().setPlaying(false);
  const source = (): ShadowSource => ({
    scenario: state().scenario,
    createClusters: (scenario) => createClusters(scenario, state().runtime.epochMs),
    marks: state().runtime.timeline.marks,
    headMs: state().runtime.timeline.headMs,
  });
  return { state, source };
}

describe('a what-if computed ahead, after a fork in the past', () => {
  it('goes back to its checkpoint before the fork, and then runs as a replay from the start would', () => {
    const { state, source } = pausedRun();
    const change = { store: 'shared' as const };
    const shadows = state().runtime.shadows;
    state().advance(20_000);
    state().toggleNode('server-1');
    state().advance(40_000);
    expect(shadows.catchUp([change], source(), 10_000)).toBe(false);

    // Rewind to 30 s and fail Server 3 there: the old future (nothing after 20 s) is dropped.
    state().seek(30_000);
    state().toggleNode('server-3');
    const marks = state().runtime.timeline.marks;
    expect(marks.map((mark) => mark.timeMs)).toEqual([20_000, 30_000]);
    const shadow = shadows.take(change, source());
    expect(shadow).toBeDefined();
    expect(timeOf(shadow!.sims)).toBeGreaterThan(20_000);
    expect(timeOf(shadow!.sims)).toBeLessThan(30_000);

    // From there it is the run of the new branch: the same as a replay from the start.
    const replayed = createClusters({ ...state().scenario, ...change }, state().runtime.epochMs);
    const timeline = Timeline.forReplay(replayed, marks, Infinity);
    for (const [sims, line] of [
      [shadow!.sims, shadow!.timeline],
      [replayed, timeline],
    ] as const)
      line.advance(sims, 45_000 - timeOf(sims));
    expect(view(shadow!.sims)).toEqual(view(replayed));
    expect(
      shadow!.sims
        .get('stateful')!
        .snapshot()
        .nodes.map((n) => n.status),
    ).toEqual(['down', 'up', 'down']);
  });

  it('finds where two lists of marks part', () => {
    const a = { timeMs: 10, command: { type: 'addNode' as const } };
    const b = { timeMs: 20, command: { type: 'addNode' as const } };
    const c = { timeMs: 15, command: { type: 'addNode' as const } };
    expect(firstDifference([a, b], [a, b])).toBe(Infinity);
    expect(firstDifference([a, c], [a, b])).toBe(15);
    expect(firstDifference([a], [a, b])).toBe(20);
    expect(firstDifference([a, b], [a])).toBe(20);
    expect(firstDifference([], [a])).toBe(10);
  });
});

describe('how far the what-ifs computed ahead are behind', () => {
  it('is how far the furthest behind lags the head, and unbounded while one is not built', () => {
    const { state, source } = pausedRun();
    const changes = [{ store: 'shared' as const }, { mode: 'stateless' as const }];
    const shadows = createShadowRuns({ packed: true });
    state().advance(20_000);
    expect(shadows.lag(changes, 20_000)).toBe(Infinity);
    expect(shadows.catchUp(changes, source(), 10_000)).toBe(true); // one new shadow per call
    expect(shadows.lag(changes, 20_000)).toBe(Infinity);
    expect(shadows.catchUp(changes, source(), 10_000)).toBe(false);
    expect(shadows.lag(changes, 20_000)).toBe(0);
    // The live run goes on 3 s: both shadows are 3 s behind until the next catch-up.
    state().advance(3_000);
    expect(shadows.lag(changes, state().runtime.timeline.headMs)).toBe(3_000);
    expect(shadows.catchUp(changes, source(), 10_000)).toBe(false);
    expect(shadows.lag(changes, state().runtime.timeline.headMs)).toBe(0);
  });
});
