/**
 * A what-if's run, replayed while the room watches a progress bar: in a Web Worker where the page
 * can start one (whatIfJobs.ts runs there), so the projector keeps drawing smoothly and the replay
 * has a core of its own; otherwise (tests in jsdom or Node, a browser that refuses the worker, a
 * worker that failed) on this thread in slices between frames. Both give the same run: the engine
 * is deterministic and a packed simulation runs on exactly as the original (Simulation.pack).
 *
 * @example
 * const replayer = createWhatIfReplayer();
 * const run = await replayer.replay({ scenario, epochMs, marks, untilMs }, { onProgress, stillWanted });
 * if (run !== null) install(run.sims, run.timeline);
 */
import type { Simulation } from '../engine';
import type { ClusterKey } from './clusterKey';
import { createClusters } from './scenario';
import { Timeline, unpackClusters, type PackedCheckpoint } from './timeline';
import { connectEngineWorker } from './engineWorkerPort';
import {
  catchUpInSlices,
  REPLAY_CHECKPOINTS,
  type ReplayHooks,
  type WhatIfAnswer,
  type WhatIfJob,
  type WhatIfRequest,
} from './whatIfJobs';

export type { ReplayHooks };

export interface ReplayedRun {
  sims: Map<ClusterKey, Simulation>;
  timeline: Timeline;
}

/** The worker's side of the conversation; `null` from WhatIfConnect: no worker here. */
export interface WhatIfPort {
  post(request: WhatIfRequest): void;
}

/** Starts a worker that answers on `receive`; `failed` is called if it stops working. */
export type WhatIfConnect = (receive: (answer: WhatIfAnswer) => void, failed: () => void) => WhatIfPort | null;

async function replayOnThread(job: Omit<WhatIfJob, 'id'>, hooks: ReplayHooks): Promise<ReplayedRun | null> {
  const sims = createClusters(job.scenario, job.epochMs);
  const timeline = Timeline.forReplay(sims, job.marks, job.untilMs, REPLAY_CHECKPOINTS);
  return (await catchUpInSlices(sims, timeline, job.untilMs, hooks)) ? { sims, timeline } : null;
}

const connectWorker: WhatIfConnect = (receive, failed) => connectEngineWorker('whatIf', { receive, failed });

/** Replays what-if runs, one at a time: a newer replay drops the one before (it resolves null). */
export function createWhatIfReplayer(connect: WhatIfConnect = connectWorker) {
  /** undefined: not started yet; null: this thread does the work. */
  let port: WhatIfPort | null | undefined;
  let nextId = 1;
  let pending: {
    id: number;
    job: Omit<WhatIfJob, 'id'>;
    hooks: ReplayHooks;
    resolve: (run: ReplayedRun | null) => void;
    /** The checkpoints the worker sent so far, in order. */
    checkpoints: PackedCheckpoint[];
  } | null = null;

  function stop(id: number): void {
    port?.post({ type: 'stop', id });
  }

  /** The worker failed: what it was doing is done here instead. */
  function fallBack(): void {
    port = null;
    const retry = pending;
    pending = null;
    if (retry !== null) replayOnThread(retry.job, retry.hooks).then(retry.resolve, () => retry.resolve(null));
  }

  function receive(answer: WhatIfAnswer): void {
    if (pending === null || pending.id !== answer.id) return;
    const { hooks, resolve, checkpoints } = pending;
    if (answer.type === 'failed') return fallBack();
    if (!hooks.stillWanted()) {
      stop(answer.id);
      pending = null;
      return resolve(null);
    }
    if (answer.type === 'checkpoint') return void checkpoints.push(answer.checkpoint);
    if (answer.type === 'progress') return hooks.onProgress(answer.fraction);
    pending = null;
    const run = { sims: unpackClusters(answer.clusters), timeline: Timeline.fromOutline(answer.timeline, checkpoints) };
    // Reading and unpacking the answer is one task, showing the new run the next: a frame can be
    // drawn between the two.
    setTimeout(() => resolve(hooks.stillWanted() ? run : null), 0);
  }

  return {
    /** The run of `job.scenario` with `job.marks`, replayed from time 0 to `job.untilMs`; null if dropped. */
    replay(job: Omit<WhatIfJob, 'id'>, hooks: ReplayHooks): Promise<ReplayedRun | null> {
      if (port === undefined) port = connect(receive, fallBack);
      pending?.resolve(null);
      pending = null;
      if (port === null) return replayOnThread(job, hooks);
      const id = nextId++;
      return new Promise((resolve) => {
        pending = { id, job, hooks, resolve, checkpoints: [] };
        port!.post({ type: 'replay', job: { ...job, id } });
      });
    },
  };
}

export type WhatIfReplayer = ReturnType<typeof createWhatIfReplayer>;
