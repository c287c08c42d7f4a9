/**
 * Asks for loss receipts: in the engine's Web Worker (engineWorker.ts) where the page can start one, so the
 * replays never take time from the frames the room watches; otherwise (tests in jsdom or Node, a
 * browser that refuses the worker) on this thread, in slices. Either way the same code computes
 * them (receiptJobs.ts) and only the newest request is answered.
 */
import type { Crash, LossReceipt } from './lossReceipt';
import { commonPrefix, createReceiptJobs, type ReceiptAnswer, type ReceiptRequest } from './receiptJobs';
import type { Scenario } from './scenario';
import type { TimelineMark } from './timeline';
import { connectEngineWorker } from './engineWorkerPort';

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
  const port = connectEngineWorker('receipt', {
    receive,
    failed() {
      // The worker could not start or threw: go on without it; the request in flight is asked again.
      sender = onThread();
      sent = [];
      const retry = pending;
      pending = null;
      if (retry !== null) retry.ask().then(retry.resolve, retry.reject);
    },
  });
  return port === null ? onThread() : (request) => port.post(request);
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
