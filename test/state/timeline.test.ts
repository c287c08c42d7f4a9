/** Rewinding: any moment of a run comes back exactly, quickly, and a new command forks the run. */
import { describe, expect, it, vi } from 'vitest';
import { createSimulation, type Simulation } from '../../src/engine';
import { Timeline } from '../../src/state/timeline';
import type { ClusterKey } from '../../src/state/simulationStore';

function clusters(seed = 4): Map<ClusterKey, Simulation> {
  return new Map<ClusterKey, Simulation>([
    ['stateless', createSimulation({ mode: 'stateless', seed, clients: 20 })],
    ['stateful', createSimulation({ mode: 'stateful', seed, clients: 20 })],
  ]);
}

/** A run with a failure and a recovery, advanced in uneven frames like an animation loop. */
function liveRun(): { sims: Map<ClusterKey, Simulation>; timeline: Timeline } {
  const sims = clusters();
  const timeline = new Timeline(sims);
  const frames = [16.7, 33.4, 250, 1_000, 4_100];
  let frame = 0;
  const play = (untilMs: number) => {
    while (sims.get('stateful')!.time < untilMs)
      timeline.advance(sims, Math.min(frames[frame++ % frames.length]!, untilMs - sims.get('stateful')!.time));
  };
  play(12_000);
  for (const sim of sims.values()) sim.apply({ type: 'failNode', node: 'server-2' });
  timeline.record(sims, { type: 'failNode', node: 'server-2' });
  play(31_000);
  for (const sim of sims.values()) sim.apply({ type: 'recoverNode', node: 'server-2' });
  timeline.record(sims, { type: 'recoverNode', node: 'server-2' });
  play(60_000);
  return { sims, timeline };
}

describe('the timeline', () => {
  it('brings back any earlier moment exactly as it was', () => {
    const { sims, timeline } = liveRun();
    // The same run straight through, for the reference picture at 40 s.
    const reference = clusters();
    for (const sim of reference.values()) {
      sim.advance(12_000 - sim.time);
      sim.apply({ type: 'failNode', node: 'server-2' });
    }
    for (const sim of reference.values()) {
      sim.advance(31_000 - sim.time);
      sim.apply({ type: 'recoverNode', node: 'server-2' });
      sim.advance(40_000 - sim.time);
    }
    const rewound = timeline.seek(40_000);
    for (const key of ['stateless', 'stateful'] as const) {
      expect(rewound.get(key)!.time).toBe(40_000);
      expect(rewound.get(key)!.metrics()).toEqual(reference.get(key)!.metrics());
      expect(rewound.get(key)!.snapshot()).toEqual(reference.get(key)!.snapshot());
    }
    // Seeking back never disturbs the live run.
    expect(sims.get('stateful')!.time).toBe(60_000);
  });

  it('replays recorded commands when played forward from the past, like a video', () => {
    const { sims, timeline } = liveRun();
    const rewound = timeline.seek(10_000);
    expect(rewound.get('stateful')!.snapshot().nodes[1]!.status).toBe('up');
    timeline.advance(rewound, 5_000);
    expect(rewound.get('stateful')!.snapshot().nodes[1]!.status).toBe('down');
    timeline.advance(rewound, 45_000);
    expect(rewound.get('stateful')!.metrics()).toEqual(sims.get('stateful')!.metrics());
  });

  it('forks when a new command is given in the past: the recorded future is dropped', () => {
    const { timeline } = liveRun();
    const rewound = timeline.seek(20_000);
    for (const sim of rewound.values()) sim.apply({ type: 'failNode', node: 'server-3' });
    timeline.record(rewound, { type: 'failNode', node: 'server-3' });
    expect(timeline.headMs).toBe(20_000);
    expect(timeline.marks.map((m) => `${'command' in m ? m.command.type : 'request'}@${m.timeMs}`)).toEqual([
      'failNode@12000',
      'failNode@20000',
    ]);
    timeline.advance(rewound, 20_000);
    expect(rewound.get('stateful')!.snapshot().nodes[1]!.status).toBe('down'); // the recovery at 31 s is gone
  });

  it('keeps checkpoints bounded on a long run and still lands on any moment', () => {
    const sims = new Map<ClusterKey, Simulation>([
      ['stateful', createSimulation({ mode: 'stateful', clients: 4, nodes: 2, eventLogSize: 0 })],
    ]);
    const timeline = new Timeline(sims, 20);
    const counts: number[] = [];
    for (let second = 0; second < 1_800; second++) {
      timeline.advance(sims, 1_000);
      counts.push(timeline.checkpointCount);
    }
    // Once full, the count stays at its cap (memory level: no halving and refilling).
    expect(Math.max(...counts)).toBe(20);
    expect(counts.slice(counts.indexOf(20))).toEqual(counts.slice(counts.indexOf(20)).map(() => 20));
    for (const at of [37_500, 901_200, 1_799_900, 4_900, 0]) expect(timeline.seek(at).get('stateful')!.time).toBe(at);
    expect(timeline.seek(5_000_000).get('stateful')!.time).toBe(1_800_000);
  });

  it('takes checkpoints less often as the run grows, and still lands on any moment', () => {
    const sim = createSimulation({ mode: 'stateful', clients: 4, nodes: 2, eventLogSize: 0 });
    // Every checkpoint is a fork of the running engine (counted on its class: a fork copies the instance).
    const forkSpy = vi.spyOn(Object.getPrototypeOf(sim) as Simulation, 'fork');
    const sims = new Map<ClusterKey, Simulation>([['stateful', sim]]);
    const timeline = new Timeline(sims, 20);
    const forksDuring = (seconds: number): number => {
      const before = forkSpy.mock.calls.length;
      for (let second = 0; second < seconds; second++) timeline.advance(sims, 1_000);
      return forkSpy.mock.calls.length - before;
    };
    // The first 200 s: every 5 s, as before (the run holds fewer than twice the cap).
    expect(forksDuring(200)).toBe(40);
    forksDuring(3_400);
    // An hour in, a 10-minute stretch takes 4 checkpoints, not 120 soon dropped again.
    expect(forksDuring(600)).toBeLessThanOrEqual(8);
    expect(timeline.checkpointCount).toBe(20);
    for (const at of [37_500, 2_901_200, 4_199_900, 4_900]) expect(timeline.seek(at).get('stateful')!.time).toBe(at);
    forkSpy.mockRestore();
  });
});

/** Runs what-if slices back to back (no frames to wait for in a unit test). */
const now = (next: () => void): void => {
  queueMicrotask(next);
};

describe('what if', () => {
  it('replays the same run with sessions in a shared store: the same crash loses nothing', async () => {
    const { createSimulationStore } = await import('../../src/state/simulationStore');
    const store = createSimulationStore({ mode: 'stateful', store: 'memory', seed: 7 });
    store.getState().step(15_000);
    store.getState().toggleNode('server-2', 'stateful');
    store.getState().step(10_000);
    const memory = store.getState().clusters[0]!;
    expect(memory.metrics.sessionsLost).toBeGreaterThan(0);
    await store.getState().whatIf({ store: 'shared' }, { schedule: now });
    const shared = store.getState().clusters[0]!;
    expect(store.getState().scenario.store).toBe('shared');
    expect(shared.snapshot.time).toBe(25_000);
    expect(shared.snapshot.nodes[1]!.status).toBe('down');
    expect(shared.metrics.sessionsLost).toBe(0);
    expect(shared.metrics.relogins).toBe(0);
    // And back: the memory run is reproduced exactly.
    await store.getState().whatIf({ store: 'memory' }, { schedule: now });
    expect(store.getState().clusters[0]!.metrics).toEqual(memory.metrics);
  });

  it('asked of a rewound moment, the answer is the same whether it was computed ahead or replayed: the run up to then', async () => {
    const { createSimulationStore } = await import('../../src/state/simulationStore');
    const asked = (ahead: boolean) => {
      const store = createSimulationStore({ mode: 'stateful', store: 'memory', seed: 7 });
      store.getState().setPlaying(false);
      for (let t = 0; t < 40_000; t += 250) {
        store.getState().advance(250);
        if (t === 15_000) store.getState().toggleNode('server-2');
        if (t === 30_000) store.getState().toggleNode('server-2');
        if (ahead) store.getState().prepareWhatIfs(1_000);
      }
      store.getState().seek(20_000); // between the failure and the recovery
      return store;
    };
    const ahead = asked(true);
    const replayed = asked(false);
    await ahead.getState().whatIf({ store: 'shared' }, { schedule: now });
    await replayed.getState().whatIf({ store: 'shared' }, { schedule: now });
    for (const store of [ahead, replayed]) expect(store.getState().timeline.headMs).toBe(20_000);
    expect(ahead.getState().timeline.marks.map((m) => m.timeMs)).toEqual(
      replayed.getState().timeline.marks.map((m) => m.timeMs),
    );
    expect(ahead.getState().clusters[0]!.metrics).toEqual(replayed.getState().clusters[0]!.metrics);
  });

  it('says when the what-ifs are computed ahead; one answered at once lands as one change of the page', async () => {
    const { createSimulationStore } = await import('../../src/state/simulationStore');
    const store = createSimulationStore({ mode: 'stateful', store: 'memory', seed: 7 });
    store.getState().setPlaying(false);
    const catchUp = () => {
      for (let frame = 0; frame < 200 && !store.getState().whatIfsAhead; frame++)
        store.getState().prepareWhatIfs(1_000);
    };
    for (let t = 0; t < 20_000; t += 250) store.getState().advance(250);
    expect(store.getState().whatIfsAhead).toBe(false);
    catchUp();
    expect(store.getState().whatIfsAhead).toBe(true);
    let changes = 0;
    const stop = store.subscribe(() => changes++);
    await store.getState().whatIf({ store: 'shared' }, { schedule: () => {} });
    stop();
    // The new run, its scenario and "not computed ahead any more" in one render of the page.
    expect(changes).toBe(1);
    expect(store.getState()).toMatchObject({
      scenario: { store: 'shared' },
      whatIfProgress: null,
      whatIfsAhead: false,
    });
    catchUp();
    expect(store.getState().whatIfsAhead).toBe(true);
  });

  it('a big hall keeps its checkpoints further apart and computes no what-if ahead (a fork would cost more than a frame)', async () => {
    const { createSimulationStore } = await import('../../src/state/simulationStore');
    const { checkpointSpacingFor } = await import('../../src/state/timeline');
    const sized = (clients: number) =>
      checkpointSpacingFor(new Map([['stateful', createSimulation({ mode: 'stateful', seed: 1, clients })]]));
    expect([sized(12), sized(200), sized(201), sized(1_000)]).toEqual([5_000, 5_000, 10_000, 40_000]);
    // …and keeps fewer of them, so its rewind history stays within ~160 MB (a fork of 1,000 clients is ~2.6 MB).
    const { checkpointCapFor } = await import('../../src/state/timeline');
    const cap = (...clients: number[]) =>
      checkpointCapFor(
        new Map(clients.map((n, i) => [i === 0 ? 'stateful' : 'stateless', createSimulation({ seed: 1, clients: n })])),
      );
    expect([cap(200), cap(500), cap(1_000), cap(1_000, 1_000)]).toEqual([120, 120, 62, 31]);
    const asked = (clients: number) => {
      const store = createSimulationStore({ mode: 'stateful', seed: 1, clients });
      store.getState().setPlaying(false);
      for (let frame = 0; frame < 60; frame++) {
        store.getState().advance(100);
        store.getState().prepareWhatIfs(1_000);
      }
      // Slices that never run: only an answer computed ahead can land.
      void store.getState().whatIf({ store: 'shared' }, { schedule: () => {} });
      return store.getState();
    };
    expect(asked(200)).toMatchObject({ whatIfProgress: null, scenario: { store: 'shared' } });
    expect(asked(1_000).whatIfProgress).not.toBeNull();
  });
});
