/**
 * Retries are not free. A checkout's final POST writes an order to the orders database (which
 * outlives every node), then waits on the payment provider (`paymentMs`) before it answers. A node
 * that crashes in that window loses the answer, not the order: the balancer answers 502, the user
 * tries again, and the retried POST places a second order (`duplicateOrders`). With
 * `idempotencyKeys` the POST carries an `idempotency-key` (one per purchase), the database keeps the
 * keys it has seen with their answers, and the retry gets the stored answer: no second order.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, requestSizeBytes, type SimConfig, type SimEvent } from '../../src/engine';

/** Stateless: the cart travels with the request, so nothing on the server tells a retry from a new order. */
const CLUSTER: Partial<SimConfig> = {
  mode: 'stateless',
  sticky: false,
  nodes: 3,
  clients: 30,
  seed: 4,
  paymentMs: 2_000,
};

/** 20 s of shopping, server-2 crashes, 15 s more. */
function crashMidCheckout(config: Partial<SimConfig> = {}) {
  const sim = createSimulation({ ...CLUSTER, ...config, eventLogSize: 5_000 });
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  sim.advance(20_000);
  sim.apply({ type: 'failNode', node: 'server-2' });
  sim.advance(15_000);
  return { sim, events, metrics: sim.metrics() };
}

/** The final checkout POSTs that died inside server-2 when it crashed (the answer lost, the order not). */
function lostAnswers(events: SimEvent[]): number {
  const finalPosts = new Set<number>();
  for (const event of events)
    if (event.type === 'request.sent' && event.path === '/api/checkout') finalPosts.add(event.id);
  return events.filter(
    (e) =>
      e.type === 'request.answered' &&
      e.status === 502 &&
      e.node === 'server-2' &&
      finalPosts.has(e.id) &&
      e.reason?.includes('crashed while handling') === true,
  ).length;
}

describe('a crash mid-checkout, retried (same seed, same crash)', () => {
  const without = crashMidCheckout();
  const withKeys = crashMidCheckout({ idempotencyKeys: true });

  it('without keys: each final POST that died after writing its order is placed again by its retry', () => {
    expect(without.metrics.duplicateOrders).toBeGreaterThan(0);
    // Every duplicate is one answer lost in the crash (a checkout of steps 1–2 places nothing).
    expect(without.metrics.duplicateOrders).toBeLessThanOrEqual(lostAnswers(without.events));
    // Orders: each confirmed checkout, each duplicate, and those still waiting on the payment at the end.
    expect(without.metrics.orders).toBeGreaterThanOrEqual(
      without.metrics.checkoutsCompleted + without.metrics.duplicateOrders,
    );
  });

  it('with idempotency keys: the retry gets the stored answer, and no order is placed twice', () => {
    expect(lostAnswers(withKeys.events)).toBeGreaterThan(0);
    expect(withKeys.metrics.duplicateOrders).toBe(0);
    // The replayed answers are marked as such.
    const replayed = withKeys.events.filter((e) => e.type === 'request.answered' && e.status === 200);
    const marked = replayed
      .map((e) => withKeys.sim.inspect((e as { id: number }).id))
      .filter((r) => r?.response?.headers['idempotent-replayed'] === 'true');
    expect(marked.length).toBe(lostAnswers(withKeys.events));
  });

  it('the key is a header on the final POST only, one per purchase, and counted in the request’s bytes', () => {
    const keys = new Map<string, string>();
    let finals = 0;
    for (const event of withKeys.events) {
      if (event.type !== 'request.sent') continue;
      const record = withKeys.sim.inspect(event.id)!;
      expect(event.sizeBytes).toBe(requestSizeBytes(record.request));
      const key = record.request.headers['idempotency-key'];
      const body = record.request.body as { step?: number } | undefined;
      expect(key !== undefined).toBe(event.path === '/api/checkout' && body?.step === 3);
      if (key === undefined) continue;
      finals++;
      expect(key).toMatch(new RegExp(`^${event.client}-order-\\d+$`));
      keys.set(key, event.client);
    }
    // A few keys were sent twice: the retries.
    expect(finals - keys.size).toBe(lostAnswers(withKeys.events));
    // Without the setting, no request carries one.
    for (const event of without.events)
      if (event.type === 'request.sent')
        expect(without.sim.inspect(event.id)?.request.headers['idempotency-key']).toBeUndefined();
  });

  it('without a payment wait the window is a 5 ms service time: the same crash catches no order', () => {
    const quick = crashMidCheckout({ paymentMs: 0 });
    expect(quick.metrics.duplicateOrders).toBe(0);
  });
});

describe('the orders API with an idempotency key (the page’s own requests)', () => {
  function loggedIn() {
    const sim = createSimulation({ mode: 'stateless', clients: 0 });
    const login = sim.send({
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: { user: 'ada' },
    });
    const authorization = `Bearer ${(login.body as { token: string }).token}`;
    const checkout = (key: string | undefined, cart = ['mug']) =>
      sim.send({
        method: 'POST',
        path: '/api/checkout',
        headers: { authorization, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: { step: 3, cart },
      });
    return { sim, checkout };
  }

  it('the same key twice: one order, the same answer again, marked idempotent-replayed', () => {
    const { sim, checkout } = loggedIn();
    const first = checkout('k-1');
    const again = checkout('k-1');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(sim.metrics().orders).toBe(1);
    checkout('k-2');
    checkout(undefined);
    checkout(undefined);
    expect(sim.metrics().orders).toBe(4);
    // The page's own requests are not numbered purchases: never counted as duplicates.
    expect(sim.metrics().duplicateOrders).toBe(0);
  });

  it('a malformed key is a 400 that says what a key is', () => {
    const { checkout } = loggedIn();
    const answer = checkout('has spaces in it');
    expect(answer.status).toBe(400);
    expect((answer.body as { reason: string }).reason).toMatch(/idempotency-key must be 1–255 printable characters/);
  });

  it('config: idempotencyKeys must be a boolean, paymentMs a whole number of ms up to 10 s', () => {
    expect(() => createSimulation({ idempotencyKeys: 'yes' as unknown as boolean })).toThrow(/idempotencyKeys/);
    expect(() => createSimulation({ paymentMs: 20_000 })).toThrow(/paymentMs must be an integer from 0 to 10000/);
  });
});
