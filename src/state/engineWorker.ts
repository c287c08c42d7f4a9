/**
 * The engine off the page's thread: a loss receipt's four setups (receiptJobs.ts), a what-if's whole
 * run, and the what-ifs on offer computed ahead as the lecture goes (whatIfJobs.ts). Replaying a
 * lecture costs seconds of CPU late in a long run, which on the main thread took slices out of every
 * frame the projector drew. The engine runs here unchanged; the page posts jobs and reads answers
 * (engineWorkerPort.ts).
 */
import { createSimulation } from '../engine';
import { createReceiptJobs } from './receiptJobs';
import { createWhatIfJobs } from './whatIfJobs';
import type { EngineWorkerMessage } from './engineWorkerPort';
import type { SliceScheduler } from './slices';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EngineWorkerMessage>) => void) | null;
  postMessage(message: EngineWorkerMessage): void;
};

// Slices yield through a message port: a zero-delay task (setTimeout's is clamped to 4 ms once
// nested), so the page's next job or cancel is read between slices at almost no cost. Three queues:
// a what-if asked comes first, then a loss receipt (the room reads it after a crash), then keeping
// the what-ifs on offer computed ahead (following a live run needs little; catching up after a new
// run can wait a few seconds).
const channel = new MessageChannel();
const urgent: (() => void)[] = [];
const ahead: (() => void)[] = [];
const receipts: (() => void)[] = [];
channel.port1.onmessage = () => (urgent.shift() ?? receipts.shift() ?? ahead.shift())?.();
const scheduler =
  (queue: (() => void)[]): SliceScheduler =>
  (next) => {
    queue.push(next);
    channel.port2.postMessage(0);
  };

const receiptJobs = createReceiptJobs((message) => scope.postMessage({ to: 'receipt', message }), scheduler(receipts));
const whatIfs = createWhatIfJobs(
  (message) => scope.postMessage({ to: 'whatIf', message }),
  scheduler(urgent),
  scheduler(ahead),
);

/** Runs the engine briefly in each mode (about 0.2 s), so the code a replay runs is compiled. */
function warm(): void {
  const setups = [
    { mode: 'stateless' as const },
    { mode: 'stateful' as const, sessionStore: 'memory' as const },
    { mode: 'stateful' as const, sessionStore: 'shared' as const },
  ];
  for (const setup of setups)
    scheduler(ahead)(() => {
      const sim = createSimulation({ ...setup, clients: 100, nodes: 4, seed: 1 });
      sim.advance(60_000);
      sim.pack();
    });
}

scope.onmessage = (event) => {
  const data = event.data;
  if (data.to === 'whatIf') whatIfs.handle(data.message as Parameters<typeof whatIfs.handle>[0]);
  else if (data.to === 'receipt') receiptJobs.handle(data.message as Parameters<typeof receiptJobs.handle>[0]);
  else warm();
};
