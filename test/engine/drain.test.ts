/**
 * Graceful drain (`drainNode`) vs a hard crash: a draining node takes no new users, finishes what
 * is inside, and leaves; its users' sessions move (shared / replicated) or are lost (memory).
 */
import { describe, expect, it } from 'vitest';
import { CommandError, type SimConfig } from '../../src/engine';
import { drive } from '../helpers/driver';

// Slow requests, so a node always has some inside when it drains or crashes.
const busy: Partial<SimConfig> = { mode: 'stateful', seed: 4, clients: 300, nodes: 4, serviceTimeMs: 100 };

function afterDrain(config: Partial<SimConfig>) {
  const run = drive({ ...busy, ...config }).for(20_000);
  const inside = run.node('server-2').inFlight;
  const held = run.node('server-2').sessions;
  run.sim.apply({ type: 'drainNode', node: 'server-2' });
  return { run, inside, held };
}

function afterCrash(config: Partial<SimConfig>) {
  const run = drive({ ...busy, ...config }).for(20_000);
  const held = run.node('server-2').sessions;
  run.fail('server-2');
  return { run, held };
}

describe('graceful drain vs hard crash', () => {
  it('a draining node is marked draining, finishes the requests inside, then leaves the cluster', () => {
    const { run, inside } = afterDrain({ sessionStore: 'shared' });
    expect(inside).toBeGreaterThan(0);
    expect(run.node('server-2').draining).toBe(true);
    const servedBefore = run.node('server-2').served;
    run.for(1_000);
    expect(run.sim.snapshot().nodes.map((n) => n.id)).not.toContain('server-2');
    // It answered what was inside: its served count in the metrics grew by at least that.
    expect(run.sim.metrics().byNode['server-2']).toBeGreaterThanOrEqual(servedBefore + inside);
  });

  it('takes no new users: no request is routed to it once it drains', () => {
    const { run } = afterDrain({ sessionStore: 'shared' });
    const routed: number[] = [];
    run.sim.subscribe((e) => {
      if (e.type === 'request.routed' && e.node === 'server-2') routed.push(e.id);
    });
    run.for(10_000);
    expect(routed).toEqual([]);
  });

  it('drain fails no request where a crash fails the ones inside (shared store)', () => {
    const drained = afterDrain({ sessionStore: 'shared' }).run.for(20_000).sim.metrics();
    const crashed = afterCrash({ sessionStore: 'shared' }).run.for(20_000).sim.metrics();
    expect(drained.requests.failed).toBe(0);
    expect(drained.sessionsLost).toBe(0);
    expect(crashed.requests.failed).toBeGreaterThan(0);
    expect(crashed.byStatus[502]).toBeGreaterThan(0);
  });

  it('with replicated sessions, drain moves them: nothing lost, nobody logged out', () => {
    for (const replication of ['all', 'backup'] as const) {
      const { run, held } = afterDrain({ sessionStore: 'replicated', replication });
      expect(held).toBeGreaterThan(0);
      run.for(20_000);
      const metrics = run.sim.metrics();
      expect(metrics.sessionsLost).toBe(0);
      expect(metrics.relogins).toBe(0);
      expect(metrics.requests.failed).toBe(0);
    }
  });

  it('with memory sessions, drain still loses the sessions the node held (but no request in flight)', () => {
    const { run, held, inside } = afterDrain({ sessionStore: 'memory' });
    expect(held).toBeGreaterThan(0);
    run.for(20_000);
    const drained = run.sim.metrics();
    // What it held, and any a login still inside it was creating.
    expect(drained.sessionsLost).toBeGreaterThanOrEqual(held);
    expect(drained.sessionsLost).toBeLessThanOrEqual(held + inside);
    // Its users are logged out (401) — but no 502: nothing inside it died.
    expect(drained.byStatus[502]).toBeUndefined();
    const crashed = afterCrash({ sessionStore: 'memory' }).run.for(20_000).sim.metrics();
    expect(crashed.byStatus[502]).toBeGreaterThan(0);
  });

  it('the last node cannot be drained, and an unknown node is named in the error', () => {
    const run = drive({ mode: 'stateful', nodes: 1 });
    expect(() => run.sim.apply({ type: 'drainNode', node: 'server-1' })).toThrow(CommandError);
    expect(() => run.sim.apply({ type: 'drainNode', node: 'server-9' })).toThrow(/server-9/);
  });
});
