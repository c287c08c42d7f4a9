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
import { runInSlices } from './slices';
import {
  packClusters,
  timeOf,
  Timeline,
  type PackedCheckpoint,
  type PackedClusters,
  type TimelineMark,
  type TimelineOutline,
} from './timeline';

/**
 * Checkpoints a replayed what-if keeps, as a what-if computed ahead does (whatIfShadows.ts): fewer
 * than a live run's 120, so the replay forks (here: packs) less; a jump into its past replays up to
 * a few simulated minutes instead of seconds.
 */
export const REPLAY_CHECKPOINTS = 30;

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
}

export type WhatIfRequest = { type: 'replay'; job: WhatIfJob } | { type: 'stop'; id: number };

export type WhatIfAnswer =
  | { type: 'progress'; id: number; fraction: number }
  | { type: 'checkpoint'; id: number; checkpoint: PackedCheckpoint }
  | { type: 'answer'; id: number; clusters: PackedClusters; timeline: TimelineOutline }
  | { type: 'failed'; id: number; message: string };

export function isWhatIfRequest(message: { type: string }): message is WhatIfRequest {
  return message.type === 'replay' || message.type === 'stop';
}

/** Replays what-if jobs as they come; `answer` is called with each job's progress, checkpoints and answer. */
export function createWhatIfJobs(answer: (message: WhatIfAnswer) => void, schedule?: SliceScheduler) {
  let latest = 0;

  function replay(job: WhatIfJob): void {
    latest = job.id;
    const current = (): boolean => latest === job.id;
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
    // The same catch-up as on the page's thread (whatIfReplay.ts), its progress posted at whole percents.
    catchUpInSlices(sims, timeline, job.untilMs, {
      stillWanted: current,
      onProgress: (fraction) => answer({ type: 'progress', id: job.id, fraction }),
      schedule,
    }).then(
      (wanted) => {
        if (wanted) answer({ type: 'answer', id: job.id, clusters: packClusters(sims), timeline: timeline.outline() });
      },
      (error: unknown) => {
        if (current()) answer({ type: 'failed', id: job.id, message: String(error) });
      },
    );
  }

  return {
    handle(request: WhatIfRequest): void {
      if (request.type === 'replay') replay(request.job);
      else if (request.id === latest) latest = 0;
    },
  };
}
