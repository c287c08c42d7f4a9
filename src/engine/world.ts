/**
 * What every part of one simulation shares: its settings, the clock and the agenda, the metrics,
 * the event log and the id stream. A plain holder with no behaviour of its own; the coordinator
 * (simulation.ts) owns it and advances the clock, the parts read it and put moments on the agenda.
 */
import { EventQueue } from './eventQueue';
import { EventLog, RequestRecords } from './eventLog';
import { MetricsRecorder } from './metrics';
import { createRandom, type Random } from './random';
import type { SimClient } from './client';
import type { Flight } from './pipeline';
import type { SimConfig } from './types';

/** What happens at a scheduled moment: the coordinator's advance() switches on these. */
export const enum Kind {
  ClientSends,
  BalancerRoutes,
  NodeReceives,
  NodeCompletes,
  ClientReceives,
  BalancerGivesUp,
  HealthChecks,
  SessionSweep,
}

/** FIFO lanes of the agenda, one per fixed delay (events in each arrive in time order; see EventQueue). */
export const enum Lane {
  ClientHop,
  ClusterHop,
  BackToClient,
}

export class World {
  /** Simulated ms since start. */
  now = 0;
  readonly agenda = new EventQueue<Flight | SimClient>(3);
  readonly recorder = new MetricsRecorder();
  readonly log: EventLog;
  readonly records: RequestRecords;
  /** Session and token ids. */
  readonly ids: Random;
  /** Banned users (`banUser`) → when (simulated ms): the user records the login service reads. */
  readonly banned = new Map<string, number>();

  constructor(readonly config: SimConfig) {
    this.log = new EventLog(config.eventLogSize);
    this.records = new RequestRecords(config.eventLogSize);
    this.ids = createRandom(config.seed, 'ids');
  }
}
