/**
 * A what-if replayed in a Web Worker gives the page the very run this thread would have replayed:
 * the same numbers at the moment asked, the same future, and the same past to rewind into. The worker here is the worker's own code (whatIfJobs.ts) with every
 * message carried through structuredClone, as postMessage does.
 */
import { describe, expect, it } from 'vitest';
import type { HttpRequest, Simulation } from '../../src/engine';
import type { ClusterKey } from '../../src/state/clusterKey';
import { createSimulationStore } from '../../src/state/simulationStore';
import { createWhatIfJobs, type WhatIfAnswer, type WhatIfRequest } from '../../src/state/whatIfJobs';
import { createWhatIfReplayer, type ReplayHooks, type WhatIfConnect } from '../../src/state/whatIfReplay';

const microtasks = (next: () => void): void => queueMicrotask(next);
const tasks = (next: () => void): void => void setTimeout(next, 0);

/** A lecture: 12 users, Server 2 failed and recovered, You logged in; 3 simulated minutes. */
function lecture() {
  const store = createSimulationStore({ mode: 'stateful', store: 'memory', clients: 12, nodes: 3, seed: 7 });
  store.getState().setPlaying(false);
  store.getState().advance(40_000);
  store.getState().toggleNode('server-2');
  store.getState().advance(30_000);
  store.getState().toggleNode('server-2');
  const login: HttpRequest = {
    method: 'POST',
    path: '/api/login',
    headers: { 'content-type': 'application/json' },
    body: { user: 'Student' },
  };
  expect(store.getState().send(login)?.status).toBe(200);
  store.getState().advance(110_000);
  const { runtime, scenario } = store.getState();
  return {
    scenario: { ...scenario, store: 'shared' as const },
    epochMs: runtime.epochMs,
    marks: runtime.timeline.marks,
    untilMs: runtime.timeline.headMs,
  };
}

/** The worker's code on this thread, every message cloned; `log` sees what the page posts. */
function inProcessWorker(log: WhatIfRequest[] = []): WhatIfConnect {
  return (receive) => {
    const jobs = createWhatIfJobs((answer: WhatIfAnswer) => {
      const carried = structuredClone(answer);
      setTimeout(() => receive(carried), 0);
    }, tasks);
    return {
      post(request) {
        log.push(request);
        const carried = structuredClone(request);
        setTimeout(() => jobs.handle(carried), 0);
      },
    };
  };
}

const hooks = (over: Partial<ReplayHooks> = {}): ReplayHooks => ({
  onProgress: () => {},
  stillWanted: () => true,
  schedule: microtasks,
  ...over,
});

function view(sims: ReadonlyMap<ClusterKey, Simulation>) {
  return [...sims].map(([key, sim]) => [key, sim.time, sim.metrics(), sim.snapshot()]);
}

describe('a what-if replayed in a worker', () => {
  it('answers with the run this thread replays: the same numbers now, the same future, the same past', async () => {
    const job = lecture();
    const here = await createWhatIfReplayer(() => null).replay(job, hooks());
    const progress: number[] = [];
    const there = await createWhatIfReplayer(inProcessWorker()).replay(
      job,
      hooks({ onProgress: (fraction) => progress.push(fraction) }),
    );
    expect(here).not.toBeNull();
    expect(there).not.toBeNull();
    expect(view(there!.sims)).toEqual(view(here!.sims));
    expect(there!.timeline.marks).toEqual(here!.timeline.marks);
    expect(there!.timeline.headMs).toBe(job.untilMs);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBeGreaterThan(0.9);

    // Its checkpoints came as the worker took them: every moment of the past is the same.
    expect(there!.timeline.checkpointCount).toBeGreaterThan(10);
    expect(there!.timeline.checkpointCount).toBe(here!.timeline.checkpointCount);
    for (const timeMs of [0, 12_345, 40_000, 70_000, 70_001, 150_000]) {
      expect(view(there!.timeline.seek(timeMs))).toEqual(view(here!.timeline.seek(timeMs)));
    }

    // And the future: both runs go on alike.
    for (const run of [here!, there!]) run.timeline.advance(run.sims, 30_000);
    expect(view(there!.sims)).toEqual(view(here!.sims));
  });

  it('drops a replay that is no longer wanted', async () => {
    const job = lecture();
    let wanted = true;
    const posted: WhatIfRequest[] = [];
    const run = await createWhatIfReplayer(inProcessWorker(posted)).replay(
      job,
      hooks({ stillWanted: () => wanted, onProgress: () => (wanted = false) }),
    );
    expect(run).toBeNull();
    expect(posted.map((request) => request.type)).toEqual(['replay', 'stop']);
  });

  it('is replayed on this thread when the worker fails', async () => {
    const job = lecture();
    const failing: WhatIfConnect = (_, failed) => ({ post: () => setTimeout(failed, 0) });
    const run = await createWhatIfReplayer(failing).replay(job, hooks());
    const here = await createWhatIfReplayer(() => null).replay(job, hooks());
    expect(view(run!.sims)).toEqual(view(here!.sims));
  });
});
