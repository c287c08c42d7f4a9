/**
 * A what-if's whole run replayed off the page's thread (engineWorker.ts): the setup with the one
 * change, from time 0 to the moment it was asked, with the teacher's commands and You's requests
 * at their times. After a long lecture that is a second or more of CPU; on the main thread it took
 * slices out of every frame the projector drew while the room waited. Here it runs at full speed on
 * the other core. Each checkpoint is sent to the page as it is taken (a small message the page reads
 * between two frames), and the answer at the end: the clusters packed (Simulation.pack) and the
 * run's timeline in outline.
 *
 * One job at a time, the newest wins: a newer job or a stop is read between slices.
 */
import { createClusters, type Scenario } from './scenario';
import type { SliceScheduler } from './slices';
import type { Simulation } from '../engine';
import type { ClusterKey } from './clusterKey';
import { runInSlices, SLICE_WALL_MS } from './slices';
import { createShadowRuns, REPLAY_CHECKPOINTS, type ShadowRun, type ShadowSource } from './whatIfShadows';
import {
  packClusters,
  timeOf,
  Timeline,
  type PackedCheckpoint,
  type PackedClusters,
  type TimelineMark,
  type TimelineOutline,
} from './timeline';

/** Simulated ms a shadow may be behind the head and still count as computed ahead. */
const AHEAD_WITHIN_MS = 5_000;

/** Wall ms after its answer that a what-if computed ahead starts sending its past, and between two checkpoints. */
const LATE_CHECKPOINTS_AFTER_MS = 500;
const LATE_CHECKPOINT_EVERY_MS = 40;

export interface ReplayHooks {
  /** How far the replay is, 0–1: called at each whole percent. */
  onProgress(fraction: number): void;
  /** Asked as the replay goes: false drops it (a new run was started meanwhile, say). */
  stillWanted(): boolean;
  /** How slices on this thread yield (tests pass their own). */
  schedule?: SliceScheduler | undefined;
}

/**
 * Advances `sims` along `timeline` to `untilMs` on this thread, in slices between frames.
 * Resolves false if the replay was no longer wanted.
 */
export async function catchUpInSlices(
  sims: ReadonlyMap<ClusterKey, Simulation>,
  timeline: Timeline,
  untilMs: number,
  hooks: ReplayHooks,
): Promise<boolean> {
  const fromMs = timeOf(sims);
  let percent = 0;
  let wanted = true;
  await runInSlices((budgetMs) => {
    wanted = hooks.stillWanted();
    const remainingMs = untilMs - timeOf(sims);
    if (!wanted || remainingMs <= 0) return true;
    timeline.advance(sims, Math.min(remainingMs, budgetMs));
    // Whole percents: the page re-renders when one more is done, not every step.
    const fraction = (timeOf(sims) - fromMs) / (untilMs - fromMs);
    if (Math.floor(fraction * 100) > percent) {
      percent = Math.floor(fraction * 100);
      hooks.onProgress(fraction);
    }
    return false;
  }, hooks.schedule);
  return wanted;
}

export interface WhatIfJob {
  /** Numbers jobs: a job is dropped once a newer one (or a stop of it) arrives. */
  id: number;
  scenario: Scenario;
  epochMs: number;
  marks: readonly TimelineMark[];
  untilMs: number;
  /** The run asked of and the one change (its what-if may be computed ahead here: `follow`). */
  runId?: number;
  change?: Partial<Scenario>;
}

/**
 * The live run, for the what-ifs on offer to be computed ahead here (whatIfShadows.ts): sent by the
 * page as its run goes on. Marks go as a change to the last list sent (the first `keep` of it, then
 * `added`), so the ones already taken in keep their identity and a shadow sees what is new.
 */
export interface ShadowFollow {
  type: 'follow';
  /** A new run (a reset, a what-if's answer) has a new id: its shadows start afresh. */
  runId: number;
  scenario: Scenario;
  epochMs: number;
  changes: Partial<Scenario>[];
  keep: number;
  added: TimelineMark[];
  headMs: number;
}

export type WhatIfRequest =
  | { type: 'replay'; job: WhatIfJob }
  | { type: 'stop'; id: number }
  | ShadowFollow
  /** Drops the what-ifs computed ahead (a benchmark measures the replay without them). */
  | { type: 'forget' };

export type WhatIfAnswer =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'checkpoint'; id: number; checkpoint: PackedCheckpoint }
  | {
      type: 'answer';
      id: number;
      clusters: PackedClusters;
      timeline: TimelineOutline;
      /** Taken from the what-if computed ahead (else replayed from the start). */
      computedAhead: boolean;
    }
  | { type: 'failed'; id: number; message: string }
  /** Whether every what-if on offer for run `runId` is computed ahead up to the head last heard of. */
  | { type: 'ahead'; runId: number; ahead: boolean };

/**
 * Replays what-if jobs as they come, and computes the what-ifs on offer ahead as the page's live run
 * goes on (`follow`): a what-if computed ahead is answered at once, its past (checkpoints) sent after
 * the answer. `answer` is called with each job's progress, checkpoints and answer. `shadowSchedule`
 * runs the slices that keep the shadows up (in the worker: after a what-if's and a loss receipt's).
 */
export function createWhatIfJobs(
  answer: (message: WhatIfAnswer) => void,
  schedule?: SliceScheduler,
  shadowSchedule: SliceScheduler = schedule ?? ((next) => void setTimeout(next, 0)),
) {
  let latest = 0;
  const shadows = createShadowRuns({ packed: true });
  let followed: Omit<ShadowFollow, 'type' | 'keep' | 'added'> & { marks: readonly TimelineMark[] } = {
    runId: -1,
    scenario: {} as Scenario,
    epochMs: 0,
    changes: [],
    marks: [],
    headMs: 0,
  };
  let catchingUp = false;
  let ahead: boolean | null = null;
  /** Told to forget: none computed ahead until the next what-if is asked. */
  let forgotten = false;

  function source(): ShadowSource {
    const { scenario, epochMs, marks, headMs } = followed;
    return { scenario, createClusters: (next) => createClusters(next, epochMs), marks, headMs };
  }

  function follow(message: ShadowFollow): void {
    const sameRun = message.runId === followed.runId;
    if (!sameRun) {
      shadows.clear();
      ahead = null;
    }
    const before = sameRun ? followed.marks : [];
    const marks =
      message.keep === before.length && message.added.length === 0
        ? before
        : [...before.slice(0, message.keep), ...message.added];
    followed = { ...message, marks };
    keepUp();
  }

  function keepUp(): void {
    if (catchingUp || forgotten || followed.changes.length === 0) return;
    catchingUp = true;
    shadowSchedule(catchUpSlice);
  }

  function catchUpSlice(): void {
    catchingUp = false;
    let behind: boolean;
    try {
      behind = shadows.catchUp(followed.changes, source(), SLICE_WALL_MS);
    } catch (error) {
      // A what-if asked will be replayed in full instead; the page hears they are not ahead.
      console.error('what-ifs could not be computed ahead:', error);
      shadows.clear();
      followed = { ...followed, changes: [] };
      behind = true;
    }
    // Ahead: every shadow within a few simulated seconds of the head (the page sends the head in
    // steps; a shadow a step behind is caught up within the answer's first slice). Strictly "level"
    // would flip back and forth as each step arrives.
    const isAhead =
      followed.changes.length > 0 && (!behind || shadows.lag(followed.changes, followed.headMs) <= AHEAD_WITHIN_MS);
    if (ahead !== isAhead) {
      ahead = isAhead;
      answer({ type: 'ahead', runId: followed.runId, ahead });
    }
    if (behind) keepUp();
  }

  /** The shadow of `job` (its run followed here, its change on offer), in line with the live marks. */
  function shadowFor(job: WhatIfJob): ShadowRun | undefined {
    if (job.change === undefined || job.runId !== followed.runId) return undefined;
    return shadows.take(job.change, source());
  }

  /**
   * Advances `sims` along `timeline` to the job's moment in slices, its progress posted at whole
   * percents (the same catch-up as on the page's thread, whatIfReplay.ts); `done` runs if still wanted.
   */
  function catchUp(job: WhatIfJob, sims: Map<ClusterKey, Simulation>, timeline: Timeline, done: () => void): void {
    const current = (): boolean => latest === job.id;
    catchUpInSlices(sims, timeline, job.untilMs, {
      stillWanted: current,
      onProgress: (fraction) => answer({ type: 'progress', id: job.id, fraction }),
      schedule,
    }).then(
      (wanted) => {
        if (wanted) done();
      },
      (error: unknown) => {
        if (current()) answer({ type: 'failed', id: job.id, message: String(error) });
      },
    );
  }

  function answerWith(job: WhatIfJob, sims: Map<ClusterKey, Simulation>, timeline: Timeline, computedAhead: boolean) {
    answer({ type: 'answer', id: job.id, clusters: packClusters(sims), timeline: timeline.outline(), computedAhead });
  }

  /** A what-if computed ahead: the last moments replayed, then the answer, then its past. */
  function answerFromShadow(job: WhatIfJob, run: ShadowRun): void {
    let { sims } = run;
    const { timeline } = run;
    // Asked of a rewound moment: the answer is the run up to then, as a full replay gives it.
    if (timeOf(sims) > job.untilMs) sims = timeline.seek(job.untilMs);
    catchUp(job, sims, timeline, () => {
      // Up to the moment asked, as a full replay (forReplay) keeps it: the recorded future is not replayed.
      timeline.endAt(job.untilMs);
      const [first, ...rest] = timeline.packedCheckpoints();
      answer({ type: 'checkpoint', id: job.id, checkpoint: first! });
      answerWith(job, sims, timeline, true);
      // Newest first (a jump soon after the answer is most likely a short one back), once the
      // answer has landed, one every LATE_CHECKPOINT_EVERY_MS: reading one costs the page's thread
      // several ms (more at 1,000 clients), and the frames that show the answer have enough to do.
      const later = rest.reverse();
      const next = (): void => {
        const checkpoint = later.shift();
        if (checkpoint === undefined || latest !== job.id) return;
        answer({ type: 'checkpoint', id: job.id, checkpoint });
        setTimeout(next, LATE_CHECKPOINT_EVERY_MS);
      };
      setTimeout(next, LATE_CHECKPOINTS_AFTER_MS);
    });
  }

  function replay(job: WhatIfJob): void {
    latest = job.id;
    const shadow = forgotten ? undefined : shadowFor(job);
    forgotten = false;
    if (shadow !== undefined) return answerFromShadow(job, shadow);
    let sims: ReturnType<typeof createClusters>;
    let timeline: Timeline;
    try {
      sims = createClusters(job.scenario, job.epochMs);
      timeline = Timeline.forReplay(sims, job.marks, job.untilMs, REPLAY_CHECKPOINTS, job.untilMs, (checkpoint) =>
        answer({ type: 'checkpoint', id: job.id, checkpoint }),
      );
    } catch (error) {
      answer({ type: 'failed', id: job.id, message: String(error) });
      return;
    }
    catchUp(job, sims, timeline, () => answerWith(job, sims, timeline, false));
  }

  return {
    handle(request: WhatIfRequest): void {
      if (request.type === 'replay') replay(request.job);
      else if (request.type === 'follow') follow(request);
      else if (request.type === 'forget') {
        shadows.clear();
        ahead = null;
        forgotten = true;
      } else if (request.id === latest) latest = 0;
    },
  };
}
