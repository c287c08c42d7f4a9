/**
 * A gray failure (`cutStoreLink`): a node whose network link to the shared store is cut keeps
 * running and keeps passing the balancer's health checks (they ask a health endpoint that never
 * touches the store), but every request it gets that needs the store fails there with a 503 that
 * says why. The balancer sees nothing wrong, so with sticky routing the users pinned to that node
 * fail for the whole cut; without stickiness about 1 request in N fails.
 */
import { describe, expect, it } from 'vitest';
import { CommandError, createSimulation, type Metrics, type SimConfig, type Simulation } from '../../src/engine';

const CLUSTER: Partial<SimConfig> = { mode: 'stateful', sessionStore: 'shared', nodes: 3, clients: 30, seed: 4 };

interface Cut {
  sim: Simulation;
  before: Metrics;
  after: Metrics;
  failed: number;
  total: number;
  /** Requests answered by server-2 during the cut. */
  byServer2: number;
}

/** 10 s of traffic, then server-2's store link is cut for 20 s. */
function cutFor20s(config: Partial<SimConfig>): Cut {
  const sim = createSimulation({ ...CLUSTER, ...config });
  sim.advance(10_000);
  const before = sim.metrics();
  sim.apply({ type: 'cutStoreLink', node: 'server-2' });
  sim.advance(20_000);
  const after = sim.metrics();
  return {
    sim,
    before,
    after,
    failed: after.requests.failed - before.requests.failed,
    total: after.requests.total - before.requests.total,
    byServer2: after.byNode['server-2']! - before.byNode['server-2']!,
  };
}

describe('a cut store link (stateful, sessions in the shared store)', () => {
  it('the node stays up in the balancer’s view: every node is in the pool, and its card says the link is cut', () => {
    const { sim, after } = cutFor20s({ sticky: true });
    const nodes = sim.snapshot().nodes;
    expect(nodes.map((n) => [n.id, n.status, n.health, n.failedChecks, n.storeLink])).toEqual([
      ['server-1', 'up', 'up', 0, 'ok'],
      ['server-2', 'up', 'up', 0, 'cut'],
      ['server-3', 'up', 'up', 0, 'ok'],
    ]);
    // Nothing was refused or sent to a dead node: to the balancer this is a healthy cluster.
    expect(after.balancer.refused).toBe(0);
    expect(after.balancer.noHealthyNode).toBe(0);
  });

  it('sticky: the users pinned to the node fail for the whole cut — failed requests ≈ that node’s share', () => {
    const { sim, failed, total, byServer2, after } = cutFor20s({ sticky: true });
    // Every request server-2 answered during the cut failed, and no other node failed one.
    expect(failed).toBe(byServer2);
    expect(failed / total).toBeGreaterThan(0.25);
    expect(failed / total).toBeLessThan(0.45);
    expect(Object.keys(after.byStatus).sort()).toEqual(['200', '503']);
    // The users pinned to server-2 are still pinned there at the end, and still failing.
    const pinned = sim.snapshot().clients.filter((c) => c.stickyNode === 'server-2');
    expect(pinned.length).toBeGreaterThanOrEqual(5);
    const last = new Map<string, number>();
    for (const event of sim.recentEvents()) if (event.type === 'request.finished') last.set(event.client, event.status);
    for (const client of pinned) if (last.has(client.id)) expect(last.get(client.id)).toBe(503);
  });

  it('the 503 says what happened: this node cannot reach the store; the node is up', () => {
    const { sim } = cutFor20s({ sticky: true });
    const answer = sim.recentEvents().find((e) => e.type === 'request.answered' && e.status === 503);
    expect(answer?.type === 'request.answered' && answer.node).toBe('server-2');
    expect(answer?.type === 'request.answered' && answer.reason).toBe(
      'server-2 cannot reach the session store: its network link is cut (the node itself is up and passes its health checks): no session can be read or written',
    );
  });

  it('not sticky: about 1 request in 3 fails, spread over every user', () => {
    const { sim, failed, total } = cutFor20s({ sticky: false });
    expect(failed / total).toBeGreaterThan(0.25);
    expect(failed / total).toBeLessThan(0.42);
    const failedUsers = new Set<string>();
    for (const event of sim.recentEvents())
      if (event.type === 'request.finished' && !event.ok) failedUsers.add(event.client);
    expect(failedUsers.size).toBeGreaterThan(15);
  });

  it('restoring the link ends the failures; the other nodes never noticed', () => {
    const { sim } = cutFor20s({ sticky: true });
    sim.apply({ type: 'restoreStoreLink', node: 'server-2' });
    sim.advance(5_000);
    const settled = sim.metrics();
    sim.advance(10_000);
    const later = sim.metrics();
    expect(later.requests.failed - settled.requests.failed).toBe(0);
    expect(later.requests.total - settled.requests.total).toBeGreaterThan(100);
    expect(sim.snapshot().nodes[1]!.storeLink).toBe('ok');
  });

  it('Envoy’s outlier detection counts the 503s and ejects the node: passive health sees what checks do not', () => {
    const { sim, failed, total } = cutFor20s({ sticky: false, balancerPreset: 'envoy' });
    expect(sim.snapshot().nodes[1]!.health).toBe('down');
    // Ejected after 5 errors in a row, for 30 s: only a handful failed.
    expect(failed).toBeLessThan(15);
    expect(failed / total).toBeLessThan(0.05);
  });
});

describe('a cut link to the deny-list store (stateless)', () => {
  it('every request that needs a token checked fails on that node; logins (no store) still work there', () => {
    const sim = createSimulation({ mode: 'stateless', denyList: true, sticky: false, nodes: 3, clients: 30, seed: 4 });
    sim.advance(10_000);
    sim.apply({ type: 'cutStoreLink', node: 'server-2' });
    const failedOn = new Map<string, number>();
    sim.subscribe((event) => {
      if (event.type === 'request.answered' && event.status >= 500)
        failedOn.set(event.node ?? 'balancer', (failedOn.get(event.node ?? 'balancer') ?? 0) + 1);
    });
    const before = sim.metrics();
    sim.advance(20_000);
    const after = sim.metrics();
    const failed = after.requests.failed - before.requests.failed;
    const total = after.requests.total - before.requests.total;
    expect([...failedOn.keys()]).toEqual(['server-2']);
    expect(failed / total).toBeGreaterThan(0.2);
    expect(failed / total).toBeLessThan(0.4);
    expect(sim.snapshot().nodes.every((n) => n.health === 'up')).toBe(true);
    const answer = sim.recentEvents().find((e) => e.type === 'request.answered' && e.status === 503);
    expect(answer?.type === 'request.answered' && answer.reason).toMatch(
      /^server-2 cannot reach the deny-list store: its network link is cut/,
    );
  });
});

describe('the commands', () => {
  it('need a store, and a node that exists', () => {
    const memory = createSimulation({ mode: 'stateful', sessionStore: 'memory' });
    expect(() => memory.apply({ type: 'cutStoreLink', node: 'server-1' })).toThrow(CommandError);
    expect(() => memory.apply({ type: 'cutStoreLink', node: 'server-1' })).toThrow(/no shared store/);
    const shared = createSimulation({ mode: 'stateful', sessionStore: 'shared' });
    expect(() => shared.apply({ type: 'cutStoreLink', node: 'server-9' })).toThrow(/no node "server-9"/);
  });

  it('are idempotent, and a fork keeps the cut', () => {
    const sim = createSimulation({ ...CLUSTER });
    sim.apply({ type: 'cutStoreLink', node: 'server-3' });
    sim.apply({ type: 'cutStoreLink', node: 'server-3' });
    const fork = sim.fork();
    expect(fork.snapshot().nodes[2]!.storeLink).toBe('cut');
    sim.apply({ type: 'restoreStoreLink', node: 'server-3' });
    sim.apply({ type: 'restoreStoreLink', node: 'server-3' });
    expect(sim.snapshot().nodes[2]!.storeLink).toBe('ok');
    expect(fork.snapshot().nodes[2]!.storeLink).toBe('cut');
  });

  it('the store going down is still a store down, not a cut link', () => {
    const sim = createSimulation({ ...CLUSTER, sticky: false });
    sim.advance(5_000);
    sim.apply({ type: 'failStore' });
    sim.advance(3_000);
    const answer = sim.recentEvents().find((e) => e.type === 'request.answered' && e.status === 503 && e.node !== null);
    expect(answer?.type === 'request.answered' && answer.reason).toBe(
      'the session store is down: no session can be read or written',
    );
  });
});
