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
  type ReplayHooks,
  type ShadowFollow,
  type WhatIfAnswer,
  type WhatIfJob,
  type WhatIfRequest,
} from './whatIfJobs';
import type { TimelineMark } from './timeline';
import { REPLAY_CHECKPOINTS } from './whatIfShadows';

export type { ReplayHooks };

export interface ReplayedRun {
  sims: Map<ClusterKey, Simulation>;
  timeline: Timeline;
  /** Taken from a what-if the worker computed ahead, not replayed from the start. */
  computedAhead?: boolean;
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

/** What the page tells the worker of its live run (whatIfJobs.ts `follow`), marks whole. */
export type FollowedRun = Omit<ShadowFollow, 'type' | 'keep' | 'added'> & { marks: readonly TimelineMark[] };

/** The head is sent at most this often (wall ms) while nothing else changes: the worker keeps up in steps. */
const FOLLOW_HEAD_EVERY_MS = 100;

/**
 * Replays what-if runs, one at a time: a newer replay drops the one before (it resolves null).
 * Where a worker runs, it also computes the what-ifs on offer ahead (`follow`), and answers those at once.
 */
export function createWhatIfReplayer(connect: WhatIfConnect = connectWorker, wallClock = () => performance.now()) {
  /** undefined: not started yet; null: this thread does the work. */
  let port: WhatIfPort | null | undefined;
  let nextId = 1;
  /** The run answered last, while its past (checkpoints) still arrives. */
  let delivered: { id: number; timeline: Timeline } | null = null;
  /** What the worker was last told of the live run. */
  let told: (FollowedRun & { sentAt: number }) | null = null;
  let onAhead: ((runId: number, ahead: boolean) => void) | null = null;

  function connected(): WhatIfPort | null {
    if (port === undefined) port = connect(receive, fallBack);
    return port;
  }
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
    told = null;
    const retry = pending;
    pending = null;
    if (retry !== null) replayOnThread(retry.job, retry.hooks).then(retry.resolve, () => retry.resolve(null));
  }

  function receive(answer: WhatIfAnswer): void {
    if (answer.type === 'ahead') return onAhead?.(answer.runId, answer.ahead);
    if (answer.type === 'checkpoint' && delivered?.id === answer.id)
      return delivered.timeline.receiveCheckpoint(answer.checkpoint);
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
    const run = {
      sims: unpackClusters(answer.clusters),
      timeline: Timeline.fromOutline(answer.timeline, checkpoints),
      computedAhead: answer.computedAhead,
    };
    // A what-if computed ahead sends its past after the answer.
    delivered = { id: answer.id, timeline: run.timeline };
    // Reading and unpacking the answer is one task, showing the new run the next: a frame can be
    // drawn between the two. Its first snapshot (the dearest: new objects the page's code has not
    // met yet) is taken here, so the task that shows it reuses it.
    for (const sim of run.sims.values()) {
      sim.snapshot();
      sim.metrics();
    }
    setTimeout(() => resolve(hooks.stillWanted() ? run : null), 0);
  }

  /** Tells the worker of the live run: what changed since last time (marks as a change to the last list). */
  function tell(run: FollowedRun, force: boolean): void {
    // Within one run only what leaves the engine alone changes (the speed, say): what the engine
    // depends on makes a new run, with a new id.
    const sameRun = told !== null && told.runId === run.runId;
    const before = sameRun ? told!.marks : [];
    if (sameRun && before === run.marks && !force) {
      if (run.headMs === told!.headMs || wallClock() - told!.sentAt < FOLLOW_HEAD_EVERY_MS) return;
    }
    let keep = 0;
    const common = Math.min(before.length, run.marks.length);
    while (keep < common && before[keep] === run.marks[keep]) keep++;
    const { marks, ...rest } = run;
    port!.post({ type: 'follow', ...rest, keep, added: marks.slice(keep) });
    told = { ...run, sentAt: wallClock() };
  }

  return {
    /** Whether a worker does the work (and computes what-ifs ahead); false: this thread does. */
    get inWorker(): boolean {
      return connected() !== null;
    },

    /** Has the worker compute the what-ifs on offer ahead of the live run; `ahead` hears how far they are. */
    follow(run: FollowedRun, ahead: (runId: number, ahead: boolean) => void): void {
      if (connected() === null) return;
      onAhead = ahead;
      tell(run, false);
    },

    /** Drops the what-ifs computed ahead in the worker (a benchmark of the full replay). */
    forget(): void {
      connected()?.post({ type: 'forget' });
    },

    /**
     * The run of `job.scenario` with `job.marks`, replayed from time 0 to `job.untilMs` — or, in the
     * worker, taken from the what-if computed ahead for `followed` and `job.change`; null if dropped.
     */
    replay(job: Omit<WhatIfJob, 'id'>, hooks: ReplayHooks, followed?: FollowedRun): Promise<ReplayedRun | null> {
      connected();
      // The worker's shadows take in the very marks the job is asked of before it is answered.
      if (port !== null && followed !== undefined) tell(followed, true);
      pending?.resolve(null);
      pending = null;
      delivered = null;
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
