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
import {
  createWhatIfReplayer,
  type FollowedRun,
  type ReplayHooks,
  type WhatIfConnect,
} from '../../src/state/whatIfReplay';
import { timeOf } from '../../src/state/timeline';

const microtasks = (next: () => void): void => queueMicrotask(next);
const tasks = (next: () => void): void => void setTimeout(next, 0);

/** A lecture: 12 users, Server 2 failed and recovered, You logged in; 3 simulated minutes. */
function lecture() {
  return lectureStore().job;
}

function lectureStore() {
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
  return { store, job: jobOf(store) };
}

const change = { store: 'shared' as const };

/** The what-if "…sessions were in a shared store?" asked of the store's run now. */
function jobOf(store: ReturnType<typeof createSimulationStore>) {
  const { runtime, scenario } = store.getState();
  return {
    scenario: { ...scenario, ...change },
    epochMs: runtime.epochMs,
    marks: runtime.timeline.marks,
    untilMs: timeOf(runtime.sims),
    runId: 1,
    change,
  };
}

/** The store's live run as the page tells the worker of it, with `changes` on offer. */
function followed(store: ReturnType<typeof createSimulationStore>): FollowedRun {
  const { runtime, scenario } = store.getState();
  return {
    runId: 1,
    scenario,
    epochMs: runtime.epochMs,
    changes: [change, { mode: 'stateless' }],
    marks: runtime.timeline.marks,
    headMs: runtime.timeline.headMs,
  };
}

/**
 * The worker's code on this thread, every message cloned; `log` sees what the page posts. With
 * `held`, what comes after an answer (a what-if computed ahead sends its past then) waits there
 * until the test lets it through.
 */
function inProcessWorker(log: WhatIfRequest[] = [], held?: (() => void)[]): WhatIfConnect {
  return (receive) => {
    let answered = false;
    const jobs = createWhatIfJobs((answer: WhatIfAnswer) => {
      const carried = structuredClone(answer);
      const deliver = () => receive(carried);
      if (held !== undefined && answered && answer.type === 'checkpoint') held.push(deliver);
      else setTimeout(deliver, 0);
      if (answer.type === 'answer') answered = true;
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
    expect(there!.computedAhead).toBe(false);
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

/** Until the worker has sent a what-if's whole past (it comes one checkpoint at a time after the answer). */
async function allArrived(held: (() => void)[]): Promise<void> {
  await until(() => held.length > 0, 'its past starts to arrive');
  let count: number;
  do {
    count = held.length;
    await new Promise((next) => setTimeout(next, 150));
  } while (held.length !== count);
}

/** Until `done()` holds, letting the worker's tasks run. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2_000 && !done(); i++) await new Promise((next) => setTimeout(next, 1));
  if (!done()) throw new Error(`never: ${what}`);
}

describe('a what-if computed ahead in the worker', () => {
  it('is answered without a replay, with the run a full replay gives: now, in its past and on', async () => {
    const { store, job } = lectureStore();
    const posted: WhatIfRequest[] = [];
    const held: (() => void)[] = [];
    const replayer = createWhatIfReplayer(inProcessWorker(posted, held));
    expect(replayer.inWorker).toBe(true);
    let ahead = false;
    replayer.follow(followed(store), (runId, isAhead) => (ahead = runId === 1 && isAhead));
    await until(() => ahead, 'the what-ifs are computed ahead');

    const progress: number[] = [];
    const there = await replayer.replay(
      job,
      hooks({ onProgress: (fraction) => progress.push(fraction) }),
      followed(store),
    );
    // Its past arrives after the answer; a jump before it has arrived starts from what has.
    const early = there!.timeline.checkpointCount;
    const jumpedEarly = view(there!.timeline.seek(100_000));
    const here = await createWhatIfReplayer(() => null).replay(job, hooks());
    expect(jumpedEarly).toEqual(view(here!.timeline.seek(100_000)));
    // Nothing was left to replay: no progress to show.
    expect(progress).toEqual([]);
    expect(there!.computedAhead).toBe(true);
    expect(posted.filter((request) => request.type === 'replay')).toHaveLength(1);
    expect(view(there!.sims)).toEqual(view(here!.sims));
    expect(there!.timeline.marks).toEqual(here!.timeline.marks);
    expect(there!.timeline.headMs).toBe(job.untilMs);

    expect(early).toBe(1);
    await allArrived(held);
    expect(held.length).toBeGreaterThan(10);
    for (const deliver of held) deliver();
    expect(there!.timeline.checkpointCount).toBe(early + held.length);
    for (const timeMs of [0, 12_345, 40_000, 70_000, 70_001, 150_000])
      expect(view(there!.timeline.seek(timeMs))).toEqual(view(here!.timeline.seek(timeMs)));
    for (const run of [here!, there!]) run.timeline.advance(run.sims, 30_000);
    expect(view(there!.sims)).toEqual(view(here!.sims));
  });

  it('drops the part of its past that arrives after a fork made before it arrived', async () => {
    const { store, job } = lectureStore();
    const held: (() => void)[] = [];
    const replayer = createWhatIfReplayer(inProcessWorker([], held));
    let ahead = false;
    replayer.follow(followed(store), (runId, isAhead) => (ahead = runId === 1 && isAhead));
    await until(() => ahead, 'the what-ifs are computed ahead');
    const there = await replayer.replay(job, hooks(), followed(store));
    // The teacher rewinds to 100 s at once and fails a node: the run after 100 s is another one.
    there!.timeline.endAt(100_000);
    await allArrived(held);
    for (const deliver of held) deliver();
    expect(there!.timeline.checkpointBefore(Infinity)).toBeLessThanOrEqual(100_000);
    expect(there!.timeline.checkpointCount).toBeGreaterThan(5);
  });

  it('follows a fork in the past and a what-if asked of a rewound moment', async () => {
    const { store } = lectureStore();
    const replayer = createWhatIfReplayer(inProcessWorker());
    let ahead = false;
    const heard = (runId: number, isAhead: boolean) => (ahead = runId === 1 && isAhead);
    replayer.follow(followed(store), heard);
    await until(() => ahead, 'the what-ifs are computed ahead');

    // Rewind to 60 s, fail Server 1 there (a fork: the recorded future is dropped), play on.
    store.getState().seek(60_000);
    store.getState().toggleNode('server-1');
    store.getState().advance(50_000);
    replayer.follow(followed(store), heard);
    // Then rewind to 80 s and ask there.
    store.getState().seek(80_000);
    const job = jobOf(store);
    const there = await replayer.replay(job, hooks(), followed(store));
    const here = await createWhatIfReplayer(() => null).replay(job, hooks());
    expect(view(there!.sims)).toEqual(view(here!.sims));
    expect(there!.timeline.marks).toEqual(here!.timeline.marks);
    expect(there!.timeline.headMs).toBe(80_000);
    expect(there!.computedAhead).toBe(true);
    await new Promise((next) => setTimeout(next, 3_000));
    for (const timeMs of [30_000, 60_000, 75_000])
      expect(view(there!.timeline.seek(timeMs))).toEqual(view(here!.timeline.seek(timeMs)));
  });
});
