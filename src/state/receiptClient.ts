/**
 * Asks for loss receipts: in a Web Worker (receiptWorker.ts) where the page can start one, so the
 * replays never take time from the frames the room watches; otherwise (tests in jsdom or Node, a
 * browser that refuses the worker) on this thread, in slices. Either way the same code computes
 * them (receiptJobs.ts) and only the newest request is answered.
 */
import type { Crash, LossReceipt } from './lossReceipt';
import { createReceiptJobs, type ReceiptAnswer, type ReceiptRequest } from './receiptJobs';
import type { Scenario } from './scenario';
import type { TimelineMark } from './timeline';

export interface ReceiptResult {
  receipt: LossReceipt;
  /** The replays went on from the last receipt's crash instead of the start of the run. */
  continued: boolean;
  /** Computed in a Web Worker. */
  offThread: boolean;
}

type Pending = { id: number; resolve: (result: ReceiptResult) => void; reject: (error: Error) => void };

let sender: ((request: ReceiptRequest) => void) | null = null;
let offThread = false;
let pending: Pending | null = null;
let nextId = 1;
/** The marks sent last (the other side keeps the same list). */
let sent: readonly TimelineMark[] = [];

function receive(answer: ReceiptAnswer): void {
  if (pending === null || pending.id !== answer.id) return;
  const { resolve, reject } = pending;
  pending = null;
  if (answer.type === 'receipt') resolve({ receipt: answer.receipt, continued: answer.continued, offThread });
  else reject(new Error(answer.message));
}

function onThread(): (request: ReceiptRequest) => void {
  offThread = false;
  const jobs = createReceiptJobs(receive);
  return (request) => jobs.handle(request);
}

function connect(): (request: ReceiptRequest) => void {
  if (typeof Worker !== 'function') return onThread();
  try {
    const worker = new Worker(new URL('./receiptWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ReceiptAnswer>) => receive(event.data);
    worker.onerror = (event) => {
      // The worker could not start or threw: go on without it; the request in flight is asked again.
      event.preventDefault();
      worker.terminate();
      sender = onThread();
      sent = [];
      const retry = pending;
      pending = null;
      if (retry !== null) lastRequest?.().then(retry.resolve, retry.reject);
    };
    offThread = true;
    return (request) => worker.postMessage(request);
  } catch {
    return onThread();
  }
}

let lastRequest: (() => Promise<ReceiptResult>) | null = null;

/** How many leading marks of `next` are the very marks of `last`. */
function commonPrefix(next: readonly TimelineMark[], last: readonly TimelineMark[]): number {
  const length = Math.min(next.length, last.length);
  let i = 0;
  while (i < length && next[i] === last[i]) i++;
  return i;
}

/**
 * The receipt of `crash` in the run of `scenario` with `marks`. A newer request (or `cancelReceipt`)
 * leaves this one unanswered: its promise never settles.
 */
export function requestReceipt(
  scenario: Scenario,
  epochMs: number,
  marks: readonly TimelineMark[],
  crash: Crash,
): Promise<ReceiptResult> {
  const ask = (): Promise<ReceiptResult> => {
    sender ??= connect();
    const id = nextId++;
    const keep = commonPrefix(marks, sent);
    sent = marks;
    return new Promise<ReceiptResult>((resolve, reject) => {
      pending = { id, resolve, reject };
      sender!({ type: 'compute', job: { id, scenario, epochMs, keep, add: marks.slice(keep), crash } });
    });
  };
  lastRequest = ask;
  return ask();
}

/** Stops the receipt being computed, if any (a what-if took over the page). */
export function cancelReceipt(): void {
  if (pending === null) return;
  sender?.({ type: 'cancel', id: pending.id });
  pending = null;
}
