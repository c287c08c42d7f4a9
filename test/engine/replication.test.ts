/**
 * Session replication (`sessionStore: 'replicated'`), both ways Tomcat does it: every change copied
 * to every node (`replication: 'all'`, DeltaManager) or to one backup node (`'backup'`,
 * BackupManager). Each test is one sentence a teacher would say, in numbers.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimConfig } from '../../src/engine';
import { drive } from '../helpers/driver';

const all: Partial<SimConfig> = { mode: 'stateful', sessionStore: 'replicated', replication: 'all', seed: 3 };
const backup: Partial<SimConfig> = { mode: 'stateful', sessionStore: 'replicated', replication: 'backup', seed: 3 };
const memory: Partial<SimConfig> = { mode: 'stateful', sessionStore: 'memory', seed: 3 };

/** Sessions held as primary across the cluster, and their copies. */
function census(run: ReturnType<typeof drive>): { primaries: number; copies: number } {
  const nodes = run.sim.snapshot().nodes;
  return {
    primaries: nodes.reduce((sum, n) => sum + n.sessions, 0),
    copies: nodes.reduce((sum, n) => sum + n.sessionCopies, 0),
  };
}

describe('session replication', () => {
  it("with 'all', every node holds a copy of every other node's sessions; with 'backup', one copy each", () => {
    const everywhere = census(drive({ ...all, nodes: 4 }).for(30_000));
    expect(everywhere.primaries).toBeGreaterThan(0);
    expect(everywhere.copies).toBe(everywhere.primaries * 3);
    const once = census(drive({ ...backup, nodes: 4 }).for(30_000));
    expect(once.copies).toBe(once.primaries);
    // Memory and shared sessions have no copies.
    expect(census(drive({ ...memory, nodes: 4 }).for(30_000)).copies).toBe(0);
  });

  it('one crash loses no session while a copy lives: nobody is logged out, no cart is lost', () => {
    for (const config of [all, backup]) {
      const run = drive(config).for(30_000);
      expect(run.node('server-2').sessions).toBeGreaterThan(0);
      run.fail('server-2').for(30_000);
      const metrics = run.sim.metrics();
      expect(metrics.sessionsLost).toBe(0);
      expect(metrics.relogins).toBe(0);
      expect(metrics.cartItemsLost).toBe(0);
      expect(metrics.byStatus[401]).toBeUndefined();
    }
    // The same crash with memory sessions loses what server-2 held.
    const run = drive(memory).for(30_000);
    const held = run.node('server-2').sessions;
    expect(held).toBeGreaterThan(0);
    run.fail('server-2').for(30_000);
    expect(run.sim.metrics().sessionsLost).toBe(held);
  });

  it("a user whose node crashed is served from the copy: with 'backup' the next node fetches it from the backup", () => {
    const run = drive(backup).for(30_000);
    const users = run.sessionsOn('server-2');
    expect(users.length).toBeGreaterThan(0);
    run.fail('server-2').for(30_000);
    const clients = run.sim.snapshot().clients;
    for (const id of users) {
      const client = clients.find((c) => c.id === id)!;
      expect(client.loggedIn).toBe(true);
      expect(client.sessionNode).not.toBe('server-2');
      expect(client.sessionNode).not.toBeNull();
    }
  });

  it("two crashes at once with 'backup' lose the sessions whose only copies they held; 'all' loses none", () => {
    const pair = drive(backup).for(30_000);
    pair.fail('server-1').fail('server-2').for(30_000);
    const lost = pair.sim.metrics().sessionsLost;
    expect(lost).toBeGreaterThan(0);
    expect(pair.sim.metrics().relogins).toBeGreaterThan(0);
    const every = drive(all).for(30_000);
    every.fail('server-1').fail('server-2').for(30_000);
    expect(every.sim.metrics().sessionsLost).toBe(0);
  });

  it("two crashes far apart with 'backup' lose nothing: each session got a new backup when its user came back", () => {
    const run = drive(backup).for(30_000).fail('server-1').for(30_000).fail('server-2').for(30_000);
    expect(run.sim.metrics().sessionsLost).toBe(0);
  });

  it("copying to all nodes costs traffic that grows with the cluster: 'all' sends ~(nodes − 1) × what 'backup' sends", () => {
    const bytes = (config: Partial<SimConfig>, nodes: number): number =>
      drive({ ...config, nodes, clients: 60 })
        .for(30_000)
        .sim.metrics().replicationBytes;
    const backup3 = bytes(backup, 3);
    const backup12 = bytes(backup, 12);
    const all3 = bytes(all, 3);
    const all12 = bytes(all, 12);
    // 'backup' sends one copy per request, whatever the cluster's size.
    expect(backup12 / backup3).toBeGreaterThan(0.9);
    expect(backup12 / backup3).toBeLessThan(1.1);
    // 'all' sends nodes − 1 copies per request.
    expect(all3 / backup3).toBeGreaterThan(1.8);
    expect(all3 / backup3).toBeLessThan(2.2);
    expect(all12 / backup12).toBeGreaterThan(10);
    expect(all12 / backup12).toBeLessThan(12);
    // Memory sessions send nothing between nodes.
    expect(bytes(memory, 3)).toBe(0);
  });

  it('a copy costs: requests on a replicated cluster are slower than with memory sessions', () => {
    const p50 = (config: Partial<SimConfig>): number =>
      drive({ ...config, clients: 100 })
        .for(30_000)
        .sim.metrics().latencyMs.p50;
    expect(p50(all)).toBeGreaterThan(p50(memory));
  });

  it("a node back from a crash is sent every session at once with 'all' (state transfer)", () => {
    const run = drive(all).for(20_000).fail('server-2').for(5_000);
    expect(run.node('server-2').sessionCopies).toBe(0);
    const before = run.sim.metrics().replicationBytes;
    run.recover('server-2');
    const { primaries, copies } = census(run);
    expect(run.node('server-2').sessionCopies).toBeGreaterThan(0);
    expect(copies).toBe(primaries * 2);
    expect(run.sim.metrics().replicationBytes).toBeGreaterThan(before);
  });

  it('counts a copy at the size of its serialised session', () => {
    const sim = createSimulation({ ...backup, clients: 0, nodes: 2 });
    sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'ada' } });
    // One session created on one node, one copy sent to the other: its JSON.
    const bytes = sim.metrics().replicationBytes;
    const expected = JSON.stringify({
      id: 'x'.repeat(24),
      user: 'ada',
      cart: [],
      checkoutStep: 0,
      createdAt: 0,
      lastSeenAt: 0,
    }).length;
    expect(bytes).toBe(expected);
  });

  it('a logout ends the session and every copy of it', () => {
    const sim = createSimulation({ ...all, clients: 0, nodes: 3 });
    const login = sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'ada' } });
    const cookie = login.headers['set-cookie']!.split(', ')[0]!.split(';')[0]!;
    const copies = (): number => sim.snapshot().nodes.reduce((sum, n) => sum + n.sessions + n.sessionCopies, 0);
    expect(copies()).toBe(3);
    sim.send({ method: 'POST', path: '/api/logout', headers: { cookie } });
    expect(copies()).toBe(0);
    expect(sim.send({ method: 'GET', path: '/api/profile', headers: { cookie } }).status).toBe(401);
  });

  it('a fork replays a replicated run exactly', () => {
    const sim = createSimulation({ ...backup, eventLogSize: 0 });
    sim.advance(20_000);
    const copy = sim.fork();
    for (const run of [sim, copy]) {
      run.apply({ type: 'failNode', node: 'server-1' });
      run.advance(20_000);
    }
    expect(copy.metrics()).toEqual(sim.metrics());
    expect(copy.snapshot().nodes).toEqual(sim.snapshot().nodes);
  });
});
