/**
 * The shop's orders database: every node writes the orders its checkouts place, and it outlives any
 * node (a crash loses a node's memory, never an order). It is not the Redis-like session store of
 * store.ts: failing that store, or cutting a node's link to it, leaves the orders alone.
 *
 * It also keeps the idempotency keys it has seen (`idempotency-key`, one per purchase, sent by
 * clients when `idempotencyKeys` is on) with the answer each one got, so a retried POST is
 * answered again instead of placing a second order — the IETF draft "The Idempotency-Key HTTP
 * Header Field" and Stripe's API work this way. Looking a key up costs a round trip.
 *
 * `duplicateOrders` is the simulation's own bookkeeping, which no server could do: each simulated
 * client numbers its purchases, and an order written for a purchase that already has one is a
 * duplicate (the page's own requests are not numbered, so never counted).
 */
import type { ServerNode } from './node';
import type { OrdersAccess, StoredAnswer } from './routes';
import type { Bill } from './sessions';
import type { SimClient } from './client';
import type { MetricsRecorder } from './metrics';
import type { SimConfig } from './types';

/** Keys kept: the newest this many (Stripe keeps a key 24 hours; a bounded table stands in for that). */
export const IDEMPOTENCY_KEYS_KEPT = 10_000;

export class OrdersDb {
  /** Idempotency key → the user who sent it and the answer it got, oldest first. */
  readonly keys = new Map<string, StoredAnswer>();
  /** Per simulated client: the number of its last purchase that has an order. */
  private readonly lastPurchase = new Map<string, number>();
  /** The simulated client whose request a node's handler is running now (set by the pipeline; null: the page's own). */
  current: SimClient | null = null;

  constructor(private readonly recorder: MetricsRecorder) {}

  /** The database as one node's handler sees it; its costs are charged to `bill`. */
  access(node: ServerNode, bill: Bill, config: SimConfig): OrdersAccess {
    void node;
    const roundTrip = 2 * config.clusterLatencyMs;
    return {
      answered: (key) => {
        bill.costMs += roundTrip;
        return this.keys.get(key) ?? null;
      },
      place: (key, answer) => {
        this.recorder.orders++;
        const client = this.current;
        if (client !== null) {
          if (this.lastPurchase.get(client.id) === client.purchases) this.recorder.duplicateOrders++;
          else this.lastPurchase.set(client.id, client.purchases);
        }
        if (key !== null) {
          if (this.keys.size >= IDEMPOTENCY_KEYS_KEPT) this.keys.delete(this.keys.keys().next().value!);
          this.keys.set(key, answer);
        }
        // The payment provider's wait: the order is written, the answer not yet sent.
        bill.costMs += config.paymentMs;
      },
    };
  }
}
