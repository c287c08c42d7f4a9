/**
 * The blind window: a crashed node keeps receiving traffic until the balancer's health checks
 * notice. With HAProxy's checks (every `inter`, `fall` failures in a row) the window lasts between
 * inter × (fall − 1) and inter × fall, depending on where the crash falls between two checks, and
 * the requests sent into it number about (the node's request rate) × (the window).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimConfig, type SimEvent } from '../../src/engine';

/**
 * Stateless (no session lost, so traffic keeps its shape), no stickiness and the random strategy:
 * every request picks the dead node with probability 1/nodes (round-robin would give it a larger
 * share, as the retry of each refused request moves the rotation past the next node).
 */
const CLUSTER: Partial<SimConfig> = { mode: 'stateless', sticky: false, balancer: 'random', clients: 200, nodes: 4 };

interface BlindRun {
  /** Requests per second the balancer routed to server-2 in the 10 s before the crash. */
  ratePerSecond: number;
  /** When the balancer marked server-2 down, ms after the crash. */
  noticedAfterMs: number;
  sentToDeadNode: number;
}

function crashAt(crashMs: number, config: Partial<SimConfig> = {}): BlindRun {
  const sim = createSimulation({ ...CLUSTER, ...config, eventLogSize: 0 });
  let routed = 0;
  let noticedAt = -1;
  sim.subscribe((event: SimEvent) => {
    if (event.type === 'request.routed' && event.node === 'server-2' && event.time >= crashMs - 10_000) routed++;
    if (event.type === 'node.marked' && event.node === 'server-2' && noticedAt < 0) noticedAt = event.time;
  });
  sim.advance(crashMs);
  const ratePerSecond = routed / 10;
  sim.apply({ type: 'failNode', node: 'server-2' });
  sim.advance(20_000);
  return { ratePerSecond, noticedAfterMs: noticedAt - crashMs, sentToDeadNode: sim.metrics().sentToDeadNode };
}

describe('the blind window (haproxy: checks every 2 s, fall 3)', () => {
  it('a crash just after a check goes unnoticed for interval × fall, and about rate × interval × fall requests go to the dead node', () => {
    // Checks run at 2 s, 4 s, … : a crash 1 ms after the one at 20 s is first seen failing at 22 s,
    // and the third failure in a row (26 s) takes it out: 6 s blind.
    const run = crashAt(20_001);
    expect(run.noticedAfterMs).toBe(2_000 * 3 - 1);
    const expected = run.ratePerSecond * 2 * 3; // ≈ 24 requests/s × 6 s ≈ 150
    expect(expected).toBeGreaterThan(100);
    // Arrivals are close to Poisson: a count near 150 varies by √150 ≈ 12 (8 %); 20 % is 2.5 of those.
    expect(Math.abs(run.sentToDeadNode - expected) / expected).toBeLessThan(0.2);
  });

  it('a crash just before a check is blind for only interval × (fall − 1)', () => {
    const run = crashAt(21_999);
    expect(run.noticedAfterMs).toBe(2_000 * 2 + 1);
    const expected = run.ratePerSecond * 2 * 2;
    expect(Math.abs(run.sentToDeadNode - expected) / expected).toBeLessThan(0.2);
  });

  it('twice the interval, twice the requests sent to the dead node', () => {
    const fast = crashAt(20_001);
    const slow = crashAt(20_001, { healthCheckIntervalMs: 4_000 });
    expect(slow.noticedAfterMs).toBe(4_000 * 3 - 1);
    expect(slow.sentToDeadNode / fast.sentToDeadNode).toBeGreaterThan(1.7);
    expect(slow.sentToDeadNode / fast.sentToDeadNode).toBeLessThan(2.3);
  });

  it("the node's failed checks count up 0/3, 1/3, 2/3, 3/3 — and at 3/3 it is out of the pool", () => {
    const sim = createSimulation({ ...CLUSTER, clients: 12, eventLogSize: 0 });
    sim.advance(20_001);
    sim.apply({ type: 'failNode', node: 'server-2' });
    const seen: string[] = [];
    for (let second = 0; second < 8; second += 2) {
      sim.advance(second === 0 ? 1_000 : 2_000);
      const node = sim.snapshot().nodes[1]!;
      seen.push(`${node.status} ${node.failedChecks}/${node.fall} ${node.health}`);
    }
    expect(seen).toEqual(['down 0/3 up', 'down 1/3 up', 'down 2/3 up', 'down 3/3 down']);
  });

  it('nothing is sent to a dead node while every node is up, and the failed checks start again after a recovery', () => {
    const sim = createSimulation({ ...CLUSTER, clients: 12, eventLogSize: 0 });
    sim.advance(30_000);
    expect(sim.metrics().sentToDeadNode).toBe(0);
    expect(sim.snapshot().nodes.map((n) => n.failedChecks)).toEqual([0, 0, 0, 0]);
    sim.apply({ type: 'failNode', node: 'server-2' });
    sim.advance(10_000);
    sim.apply({ type: 'recoverNode', node: 'server-2' });
    sim.advance(4_000);
    const node = sim.snapshot().nodes[1]!;
    expect([node.failedChecks, node.health]).toEqual([0, 'up']);
  });
});
