/**
 * A simulated user's Flight (its request on the way) is filled in again for the user's next
 * request (pipeline.ts, a speed rule). A crash cancels the requests inside a node while their
 * completions are still on the agenda: such a Flight must never be reused, or a stale completion
 * would act on the user's next request (or the next request would be skipped as cancelled). These
 * runs crash nodes full of requests and check that every request is answered exactly once, by the
 * node it was sent to, and that no user is left waiting.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimEvent, type SimConfig } from '../../src/engine';

const setups: { name: string; config: Partial<SimConfig> }[] = [
  // One worker and slow service: a crash finds requests in service and queued.
  { name: 'one slow worker', config: { clients: 40, workersPerNode: 1, serviceTimeMs: 80 } },
  // Service longer than a user's pause: users send again while a cancelled request's completion is still due.
  {
    name: 'service longer than the pause',
    config: { clients: 12, workersPerNode: 2, serviceTimeMs: 1_500, thinkTimeMinMs: 200, thinkTimeMaxMs: 400 },
  },
];

function crashWhileBusy(config: Partial<SimConfig>): { events: SimEvent[]; clients: number; endMs: number } {
  const sim = createSimulation({ nodes: 3, seed: 3, ...config });
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  for (const [at, node] of [
    [4_000, 'server-1'],
    [9_000, 'server-2'],
    [14_000, 'server-3'],
  ] as const) {
    sim.advance(at - sim.time);
    // On to a moment when the node has requests inside (the run is seeded: always the same one).
    const inside = (): number => sim.snapshot().nodes.find((n) => n.id === node)!.inFlight;
    for (let step = 0; step < 200 && inside() < 2; step++) sim.advance(10);
    expect(inside()).toBeGreaterThanOrEqual(2);
    sim.apply({ type: 'failNode', node });
    sim.advance(1_500);
    sim.apply({ type: 'recoverNode', node });
  }
  sim.advance(30_000 - sim.time);
  return { events, clients: sim.config.clients, endMs: sim.time };
}

describe('a reused Flight', () => {
  for (const mode of ['stateless', 'stateful'] as const) {
    for (const { name, config } of setups) {
      it(`${mode}, ${name}: after crashes with requests inside, every request is answered once, by its node`, () => {
        const { events, clients, endMs } = crashWhileBusy({ mode, ...config });
        const finished = new Map<number, number>();
        const routedTo = new Map<number, string>();
        const lastSent = new Map<string, number>();
        let sent = 0;
        for (const event of events) {
          if (event.type === 'request.sent') {
            sent++;
            lastSent.set(event.client, event.time);
          }
          if (event.type === 'request.routed') routedTo.set(event.id, event.node);
          // An answer from a node comes from the node the request was sent to.
          if (event.type === 'request.answered' && event.node !== null) expect(event.node).toBe(routedTo.get(event.id));
          if (event.type === 'request.finished') finished.set(event.id, (finished.get(event.id) ?? 0) + 1);
        }
        expect([...finished.values()].every((count) => count === 1)).toBe(true);
        expect(events.some((e) => e.type === 'request.answered' && e.status === 502)).toBe(true);
        // All but the requests still on their way at the end were answered (a user has one at a time)…
        expect(sent - finished.size).toBeLessThanOrEqual(clients);
        // …and no user is stuck waiting for an answer that will never come: each sent one lately.
        expect(lastSent.size).toBe(clients);
        expect(Math.min(...lastSent.values())).toBeGreaterThan(endMs - 10_000);
      });
    }
  }
});
