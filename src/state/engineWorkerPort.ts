/**
 * The page's one engine worker (engineWorker.ts), shared by the loss receipt (receiptClient.ts) and
 * what-if replays (whatIfReplay.ts): one thread beside the page's, whose compiled engine code is
 * warm for both — a what-if replayed in a worker that has run the engine before takes about half
 * the time of one in a fresh worker. Each side posts its own requests and hears only its answers.
 *
 * @example
 * const port = connectEngineWorker('whatIf', { receive: (answer) => …, failed: () => replayHere() });
 * port?.post({ type: 'replay', job });
 */
import type { ReceiptAnswer, ReceiptRequest } from './receiptJobs';
import type { WhatIfAnswer, WhatIfRequest } from './whatIfJobs';

/** Who a message is for, on both sides. */
export type EngineWorkerMessage =
  | { to: 'receipt'; message: ReceiptRequest | ReceiptAnswer }
  | { to: 'whatIf'; message: WhatIfRequest | WhatIfAnswer }
  | { to: 'warm' };

interface Listener<A> {
  receive(answer: A): void;
  /** The worker stopped working: what was asked of it must be done elsewhere. */
  failed(): void;
}

type Listeners = { receipt?: Listener<ReceiptAnswer>; whatIf?: Listener<WhatIfAnswer> };

/** undefined: not started; null: no worker here (tests in jsdom or Node, or it failed). */
let worker: Worker | null | undefined;
const listeners: Listeners = {};

function start(): Worker | null {
  if (typeof Worker !== 'function') return null;
  try {
    const started = new Worker(new URL('./engineWorker.ts', import.meta.url), { type: 'module' });
    started.onmessage = (event: MessageEvent<EngineWorkerMessage>) => {
      const data = event.data;
      if (data.to === 'receipt') listeners.receipt?.receive(data.message as ReceiptAnswer);
      else if (data.to === 'whatIf') listeners.whatIf?.receive(data.message as WhatIfAnswer);
    };
    started.onerror = (event) => {
      // It could not start or it threw: everyone goes on without it.
      event.preventDefault();
      started.terminate();
      worker = null;
      listeners.receipt?.failed();
      listeners.whatIf?.failed();
    };
    return started;
  } catch {
    return null;
  }
}

/** Posts to the engine worker on behalf of `to`; null when there is none (do the work on this thread). */
export function connectEngineWorker<K extends keyof Listeners>(
  to: K,
  listener: NonNullable<Listeners[K]>,
): { post(message: K extends 'receipt' ? ReceiptRequest : WhatIfRequest): void } | null {
  if (worker === undefined) worker = start();
  if (worker === null) return null;
  listeners[to] = listener;
  const running = worker;
  return { post: (message) => running.postMessage({ to, message }) };
}

/**
 * Starts the engine worker and has it run the engine briefly, so its code is compiled before a
 * teacher's first what-if is replayed there (the page calls this once it is idle after loading).
 */
export function warmEngineWorker(): void {
  if (worker === undefined) worker = start();
  worker?.postMessage({ to: 'warm' } satisfies EngineWorkerMessage);
}
