/**
 * The loss receipt's job runner, as the Web Worker runs it: requests cross a structured clone, so
 * marks are new objects on the other side; sent as a delta they still let the next crash continue
 * the last receipt's runs. Only the newest request is answered.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, type Scenario } from '../../src/state/scenario';
import { lastCrashAt, lossReceipt } from '../../src/state/lossReceipt';
import { commonPrefix, createReceiptJobs, type ReceiptAnswer, type ReceiptJob } from '../../src/state/receiptJobs';
import type { TimelineMark } from '../../src/state/timeline';

const EPOCH = 1_700_000_000_000;
const scenario: Scenario = { ...DEFAULT_SCENARIO, seed: 7, clients: 12 };
const lecture: TimelineMark[] = [
  { timeMs: 20_000, command: { type: 'failNode', node: 'server-2' } },
  { timeMs: 30_000, command: { type: 'recoverNode', node: 'server-2' } },
  { timeMs: 45_000, command: { type: 'failNode', node: 'server-1' } },
];

/** A runner behind a structured clone, as in the worker; answers collected. */
function worker() {
  const answers: ReceiptAnswer[] = [];
  const waiting: (() => void)[] = [];
  const jobs = createReceiptJobs((answer) => {
    answers.push(answer);
    waiting.splice(0).forEach((wake) => wake());
  });
  let sent: readonly TimelineMark[] = [];
  let id = 0;
  return {
    answers,
    /** Posts the run's marks up to `upTo` as the client does: the marks sent before are kept, the rest added. */
    post(upTo: number, marks: readonly TimelineMark[] = lecture): number {
      const next = marks.filter((mark) => mark.timeMs <= upTo);
      const keep = commonPrefix(next, sent);
      sent = next;
      const job: ReceiptJob = {
        id: ++id,
        scenario,
        epochMs: EPOCH,
        keep,
        add: next.slice(keep),
        crash: lastCrashAt(next, Infinity)!,
      };
      jobs.handle(structuredClone({ type: 'compute', job } as const));
      return id;
    },
    cancel: (which: number) => jobs.handle({ type: 'cancel', id: which }),
    settled: () => new Promise<void>((wake) => waiting.push(wake)),
  };
}

describe('loss receipt jobs (the worker’s side)', () => {
  it('continues the last receipt’s runs across a structured clone, and reads as a replay from the start', async () => {
    const w = worker();
    w.post(20_000);
    await w.settled();
    w.post(45_000);
    await w.settled();
    expect(w.answers.map((a) => a.type === 'receipt' && a.continued)).toEqual([false, true]);
    const last = w.answers[1]!;
    if (last.type !== 'receipt') throw new Error(last.message);
    expect(last.receipt).toEqual(
      lossReceipt({ scenario, epochMs: EPOCH, marks: lecture }, lastCrashAt(lecture, Infinity)!),
    );
  });

  it('answers only the newest request: a replaced or cancelled job is never answered', async () => {
    const w = worker();
    w.post(20_000);
    const newest = w.post(45_000);
    await w.settled();
    expect(w.answers.map((a) => a.id)).toEqual([newest]);
    const cancelled = w.post(20_000, [lecture[0]!]);
    w.cancel(cancelled);
    await new Promise((wait) => setTimeout(wait, 300));
    expect(w.answers.map((a) => a.id)).toEqual([newest]);
  });

  it('a rewind that changed what came before replays from the start', async () => {
    const w = worker();
    w.post(45_000);
    await w.settled();
    // Rewound to 35 s, and Server 3 failed at 40 s instead: the receipt's crash is before the last one's.
    const forked: TimelineMark[] = [lecture[0]!, { timeMs: 40_000, command: { type: 'failNode', node: 'server-3' } }];
    w.post(40_000, forked);
    await w.settled();
    const last = w.answers[1]!;
    expect(last.type === 'receipt' && last.continued).toBe(false);
    if (last.type !== 'receipt') throw new Error(last.message);
    expect(last.receipt).toEqual(
      lossReceipt({ scenario, epochMs: EPOCH, marks: forked }, lastCrashAt(forked, Infinity)!),
    );
  });
});
