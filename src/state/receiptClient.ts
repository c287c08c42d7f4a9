/**
 * Asks for loss receipts: in a Web Worker (receiptWorker.ts) where the page can start one, so the
 * replays never take time from the frames the room watches; otherwise (tests in jsdom or Node, a
 * browser that refuses the worker) on this thread, in slices. Either way the same code computes
 * them (receiptJobs.ts) and only the newest request is answered.
 */
import type { Crash, LossReceipt } from './lossReceipt';
import { commonPrefix, createReceiptJobs, type ReceiptAnswer, type ReceiptRequest } from './receiptJobs';
import type { Scenario } from './scenario';
import type { TimelineMark } from './timeline';

/** The request awaiting its answer, and how to ask it again (of the page's thread, if the worker fails). */
type Pending = {
  id: number;
  resolve: (receipt: LossReceipt) => void;
  reject: (error: Error) => void;
  ask: () => Promise<LossReceipt>;
};

let sender: ((request: ReceiptRequest) => void) | null = null;
let pending: Pending | null = null;
let nextId = 1;
/** The marks sent last (the other side keeps the same list). */
let sent: readonly TimelineMark[] = [];

function receive(answer: ReceiptAnswer): void {
  if (pending === null || pending.id !== answer.id) return;
  const { resolve, reject } = pending;
  pending = null;
  if (answer.type === 'receipt') resolve(answer.receipt);
  else reject(new Error(answer.message));
}

function onThread(): (request: ReceiptRequest) => void {
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
      if (retry !== null) retry.ask().then(retry.resolve, retry.reject);
    };
    return (request) => worker.postMessage(request);
  } catch {
    return onThread();
  }
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
): Promise<LossReceipt> {
  const ask = (): Promise<LossReceipt> => {
    sender ??= connect();
    const id = nextId++;
    const keep = commonPrefix(marks, sent);
    sent = marks;
    return new Promise<LossReceipt>((resolve, reject) => {
      pending = { id, resolve, reject, ask };
      sender!({ type: 'compute', job: { id, scenario, epochMs, keep, add: marks.slice(keep), crash } });
    });
  };
  return ask();
}

/** Stops the receipt being computed, if any (a what-if took over the page). */
export function cancelReceipt(): void {
  if (pending === null) return;
  sender?.({ type: 'cancel', id: pending.id });
  pending = null;
}
