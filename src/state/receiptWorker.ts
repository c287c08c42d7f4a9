/**
 * The loss receipt's replays, off the page's thread: four setups replayed from the start of the
 * lecture (or from the last crash) cost seconds of CPU late in a long run, which on the main thread
 * took slices out of every frame the projector drew. The engine runs here unchanged; the page posts
 * jobs and reads answers (receiptClient.ts).
 */
import { createReceiptJobs, type ReceiptAnswer, type ReceiptRequest } from './receiptJobs';
import type { SliceScheduler } from './slices';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ReceiptRequest>) => void) | null;
  postMessage(message: ReceiptAnswer): void;
};

// Slices yield through a message port: a zero-delay task (setTimeout's is clamped to 4 ms once
// nested), so the page's next job or cancel is read between slices at almost no cost.
const channel = new MessageChannel();
const queue: (() => void)[] = [];
channel.port1.onmessage = () => queue.shift()?.();
const schedule: SliceScheduler = (next) => {
  queue.push(next);
  channel.port2.postMessage(0);
};

const jobs = createReceiptJobs((answer) => scope.postMessage(answer), schedule);
scope.onmessage = (event) => jobs.handle(event.data);
