/**
 * Counters and latency distributions in fixed memory: a run of any length keeps the same few
 * kilobytes (log-bucketed histograms and a 60-slot ring of seconds), never a growing list.
 */
import type { Metrics, MetricsWindowSecond } from './types';

/** Latency histogram with logarithmic buckets: `bucketsPerOctave` per doubling from `minMs`. */
export class LogHistogram {
  private readonly counts: Uint32Array;
  private total = 0;

  constructor(
    private readonly minMs: number,
    private readonly bucketsPerOctave: number,
    octaves: number,
  ) {
    this.counts = new Uint32Array(bucketsPerOctave * octaves + 1);
  }

  record(valueMs: number): void {
    const index =
      valueMs <= this.minMs
        ? 0
        : Math.min(this.counts.length - 1, 1 + Math.floor(Math.log2(valueMs / this.minMs) * this.bucketsPerOctave));
    this.counts[index]!++;
    this.total++;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  get count(): number {
    return this.total;
  }

  /** The q-quantile (0..1), as the geometric middle of its bucket; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let index = 0; index < this.counts.length; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) {
        if (index === 0) return this.minMs;
        const low = this.minMs * 2 ** ((index - 1) / this.bucketsPerOctave);
        return Math.round(low * 2 ** (0.5 / this.bucketsPerOctave) * 10) / 10;
      }
    }
    return Infinity;
  }
}

const WINDOW_SECONDS = 60;

interface SecondSlot {
  second: number;
  ok: number;
  failed: number;
  latency: LogHistogram;
  /** Requests served by node number this second, and the numbers in the order they first served in it. */
  byNode: number[];
  nodesSeen: number[];
}

export class MetricsRecorder {
  total = 0;
  ok = 0;
  failed = 0;
  readonly byStatus = new Map<number, number>();
  sessionsLost = 0;
  cartItemsLost = 0;
  checkoutsCompleted = 0;
  relogins = 0;
  logins = 0;
  requestsSent = 0;
  requestBytes = 0;
  /** Bytes of session copies sent between nodes. */
  replicationBytes = 0;
  /** Orders written by checkouts, and those a retried POST placed a second time. */
  orders = 0;
  duplicateOrders = 0;
  /**
   * Requests served by node number (`server-N` is N - 1): arrays, not maps keyed by id, as every
   * request is counted twice (in the run, and in its second). `nodeIds` names the numbers;
   * `nodesSeen` lists them in the order they first served, which is the order metrics() shows.
   */
  private readonly byNode: number[] = [];
  private readonly nodeIds: string[] = [];
  private readonly nodesSeen: number[] = [];
  forwarded = 0;
  refused = 0;
  retried = 0;
  noHealthyNode = 0;
  /** Requests routed to a crashed node before the balancer noticed. */
  sentToDeadNode = 0;
  /** Tampered tokens that got a 2xx (a lazy node's doing). */
  forgeriesAccepted = 0;
  /** Requests by a banned user answered 2xx after the ban. */
  bannedUserRequestsOk = 0;
  /** Access tokens issued at POST /api/refresh. */
  tokensRefreshed = 0;
  private readonly latency = new LogHistogram(0.1, 32, 20);
  private readonly slots: SecondSlot[] = [];

  constructor() {
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      this.slots.push({
        second: -1,
        ok: 0,
        failed: 0,
        latency: new LogHistogram(0.5, 8, 16),
        byNode: [],
        nodesSeen: [],
      });
    }
  }

  /** The slot last counted in (most counts land in the same second as the one before). */
  private current: SecondSlot | null = null;

  private slot(timeMs: number): SecondSlot {
    const second = Math.floor(timeMs / 1000);
    if (this.current !== null && this.current.second === second) return this.current;
    const slot = this.slots[second % WINDOW_SECONDS]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.ok = 0;
      slot.failed = 0;
      slot.latency.reset();
      for (const index of slot.nodesSeen) slot.byNode[index] = 0;
      slot.nodesSeen.length = 0;
    }
    this.current = slot;
    return slot;
  }

  requestSent(sizeBytes: number): void {
    this.requestsSent++;
    this.requestBytes += sizeBytes;
  }

  requestFinished(timeMs: number, status: number, latencyMs: number): void {
    const ok = status < 400;
    this.total++;
    if (ok) this.ok++;
    else this.failed++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.latency.record(latencyMs);
    const slot = this.slot(timeMs);
    if (ok) slot.ok++;
    else slot.failed++;
    slot.latency.record(latencyMs);
  }

  /** A node finished a request: answered it, or lost it when it crashed. */
  nodeServed(timeMs: number, index: number, id: string): void {
    if (count(this.byNode, this.nodesSeen, index) === 1) this.nodeIds[index] = id;
    const slot = this.slot(timeMs);
    count(slot.byNode, slot.nodesSeen, index);
  }

  /** `{ id: count }` in the order the nodes first served. */
  private named(counts: number[], seen: number[]): Record<string, number> {
    const named: Record<string, number> = {};
    for (const index of seen) named[this.nodeIds[index]!] = counts[index]!;
    return named;
  }

  snapshot(nowMs: number): Metrics {
    const currentSecond = Math.floor(nowMs / 1000);
    const window: MetricsWindowSecond[] = [];
    for (let second = Math.max(0, currentSecond - WINDOW_SECONDS + 1); second <= currentSecond; second++) {
      const slot = this.slots[second % WINDOW_SECONDS]!;
      const fresh = slot.second === second;
      window.push({
        time: second * 1000,
        ok: fresh ? slot.ok : 0,
        failed: fresh ? slot.failed : 0,
        p95Ms: fresh ? slot.latency.quantile(0.95) : 0,
        byNode: fresh ? this.named(slot.byNode, slot.nodesSeen) : {},
      });
    }
    return {
      requests: { total: this.total, ok: this.ok, failed: this.failed },
      byStatus: Object.fromEntries(this.byStatus),
      sessionsLost: this.sessionsLost,
      cartItemsLost: this.cartItemsLost,
      checkoutsCompleted: this.checkoutsCompleted,
      sentToDeadNode: this.sentToDeadNode,
      forgeriesAccepted: this.forgeriesAccepted,
      bannedUserRequestsOk: this.bannedUserRequestsOk,
      tokensRefreshed: this.tokensRefreshed,
      relogins: this.relogins,
      logins: this.logins,
      latencyMs: { p50: this.latency.quantile(0.5), p95: this.latency.quantile(0.95) },
      bytesPerRequest: this.requestsSent === 0 ? 0 : Math.round(this.requestBytes / this.requestsSent),
      replicationBytes: this.replicationBytes,
      orders: this.orders,
      duplicateOrders: this.duplicateOrders,
      byNode: this.named(this.byNode, this.nodesSeen),
      balancer: {
        forwarded: this.forwarded,
        refused: this.refused,
        retried: this.retried,
        noHealthyNode: this.noHealthyNode,
      },
      window,
    };
  }
}

/** Adds one to `counts[index]` (growing the array with zeros), noting the index in `seen` the first time; returns the new count. */
function count(counts: number[], seen: number[], index: number): number {
  while (counts.length <= index) counts.push(0);
  const next = counts[index]! + 1;
  if (next === 1) seen.push(index);
  counts[index] = next;
  return next;
}
