/**
 * Lessons are data: a few steps, each with a caption, the scenario it needs, how long to let
 * traffic run, the commands it performs, and what to look at. A step is reproducible from a link
 * because the engine is deterministic: replaying steps 0..k gives the same cluster every time.
 */
import type { Command, Metrics } from '../engine';
import type { Scenario } from '../state/scenario';

/** What the room should look at during a step. */
export type LookAt =
  | { kind: 'node'; node: string }
  | {
      kind: 'metric';
      metric:
        | keyof Pick<
            Metrics,
            | 'sessionsLost'
            | 'relogins'
            | 'cartItemsLost'
            | 'bytesPerRequest'
            | 'checkoutsCompleted'
            | 'sentToDeadNode'
            | 'duplicateOrders'
          >
        | 'failed'
        | 'p95';
    }
  | { kind: 'store' }
  | { kind: 'clients' }
  | { kind: 'balancer' }
  /** The loss receipt (src/ui/teach/LossReceipt.tsx), or its "Loss receipt" button where it waits behind one. */
  | { kind: 'receipt' };

export interface LessonStep {
  title: string;
  /** What the narrator says: one or two short sentences in the words of DESIGN.md. */
  caption: string;
  /** Scenario for this step. Any change but speed starts the cluster afresh at time 0. */
  scenario?: Partial<Scenario>;
  /** Commands performed when the step begins (after a predict pause, if any). */
  commands?: Command[];
  /** Simulated ms of traffic after the commands, so their effect shows (or, on a first step, so the cluster has something to lose). */
  runMs?: number;
  lookAt?: LookAt;
  /**
   * Pause before the commands and ask the room; `reveal` is shown once the commands ran.
   * `{metric}` placeholders are filled from the cluster's metrics (e.g. `{sessionsLost}`).
   */
  predict?: {
    question: string;
    reveal: string;
    /** What to look at while the room predicts, when the step's `lookAt` exists only once its commands ran (a node being added). */
    lookAt?: LookAt;
  };
}

export interface Lesson {
  id: string;
  title: string;
  /** One line for the lesson picker. */
  summary: string;
  steps: LessonStep[];
}
