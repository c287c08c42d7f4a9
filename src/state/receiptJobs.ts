/**
 * Loss receipts computed one at a time, the newest wins: the part of the receipt's work that is the
 * same in a Web Worker (engineWorker.ts) and on the page's own thread (receiptClient.ts, where no
 * worker can run). A job replays in slices (runInSlices) so a newer job or a cancel is read between
 * slices; the last finished job's runs are kept for the next crash to continue (LossReceiptReplay).
 *
 * The marks arrive as a delta (`keep` of the marks sent before, then `add`) so the marks this side
 * keeps stay the same objects from one job to the next: LossReceiptReplay tells "nothing before the
 * crash changed" by identity, and a structured clone would make every mark new.
 */
import { LossReceiptReplay, type Crash, type LossReceipt } from './lossReceipt';
import type { Scenario } from './scenario';
import { runInSlices, type SliceScheduler } from './slices';
import type { TimelineMark } from './timeline';

export interface ReceiptJob {
  /** Numbers jobs: a job is dropped once a newer one (or a cancel of it) arrives. */
  id: number;
  scenario: Scenario;
  epochMs: number;
  /** How many of the marks sent before are still the run's first marks. */
  keep: number;
  /** The marks after those. */
  add: readonly TimelineMark[];
  crash: Crash;
}

/** How many leading marks of `next` are the very marks of `sent` (a job's `keep`). */
export function commonPrefix(next: readonly TimelineMark[], sent: readonly TimelineMark[]): number {
  const length = Math.min(next.length, sent.length);
  let i = 0;
  while (i < length && next[i] === sent[i]) i++;
  return i;
}

export type ReceiptRequest = { type: 'compute'; job: ReceiptJob } | { type: 'cancel'; id: number };

export type ReceiptAnswer =
  | { type: 'receipt'; id: number; receipt: LossReceipt; continued: boolean }
  | { type: 'failed'; id: number; message: string };

/** Runs receipt jobs as they come; `answer` is called once per job that was neither replaced nor cancelled. */
export function createReceiptJobs(answer: (message: ReceiptAnswer) => void, schedule?: SliceScheduler) {
  let marks: readonly TimelineMark[] = [];
  let latest = 0;
  let last: LossReceiptReplay | null = null;

  function compute(job: ReceiptJob): void {
    marks = job.keep === marks.length ? [...marks, ...job.add] : [...marks.slice(0, job.keep), ...job.add];
    latest = job.id;
    let replay: LossReceiptReplay;
    try {
      replay = new LossReceiptReplay({ scenario: job.scenario, epochMs: job.epochMs, marks }, job.crash, last);
    } catch (error) {
      answer({ type: 'failed', id: job.id, message: String(error) });
      return;
    }
    const current = (): boolean => latest === job.id;
    runInSlices((simMs) => !current() || replay.step(simMs), schedule).then(
      () => {
        if (!current()) return;
        last = replay;
        answer({ type: 'receipt', id: job.id, receipt: replay.receipt(), continued: replay.continued });
      },
      (error: unknown) => {
        if (current()) answer({ type: 'failed', id: job.id, message: String(error) });
      },
    );
  }

  return {
    handle(request: ReceiptRequest): void {
      if (request.type === 'compute') compute(request.job);
      else if (request.id === latest) latest = 0;
    },
  };
}
