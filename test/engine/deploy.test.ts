/**
 * A rolling "deploy v2" (`deploy`): the nodes are replaced one at a time. Restarted (a crash and a
 * boot) it fails what was inside and loses memory sessions; drained, no request dies but memory
 * sessions still leave with each node; with a shared or replicated store, or tokens, nothing is lost.
 */
import { describe, expect, it } from 'vitest';
import { CommandError, type Command, type SimConfig, type SimEvent } from '../../src/engine';
import { drive } from '../helpers/driver';

/** The lesson's cluster: 12 users on 3 sticky nodes. */
const CLASS: Partial<SimConfig> = { mode: 'stateful', seed: 11, clients: 12, nodes: 3 };
/** Slow requests, so a node always has some inside when it is restarted or drained. */
const BUSY: Partial<SimConfig> = { mode: 'stateful', seed: 4, clients: 300, nodes: 4, serviceTimeMs: 100 };

/** Runs 20 s, deploys, runs until the roll is over plus 10 s; returns the numbers of the deploy alone. */
function deployed(config: Partial<SimConfig>, drain: boolean) {
  const run = drive(config, { record: true }).for(20_000);
  const before = run.sim.metrics();
  const held = run.sim.snapshot().nodes.reduce((sum, n) => sum + n.sessions, 0);
  const loggedIn = run.sim.snapshot().clients.filter((c) => c.loggedIn).length;
  run.sim.apply({ type: 'deploy', version: 'v2', drain });
  let rolledMs = 0;
  while (run.sim.snapshot().nodes.some((n) => n.deploy !== null)) {
    run.for(1_000);
    rolledMs += 1_000;
    if (rolledMs > 120_000) throw new Error('the deploy never finished');
  }
  run.for(10_000);
  const after = run.sim.metrics();
  return {
    run,
    held,
    loggedIn,
    rolledMs,
    sessionsLost: after.sessionsLost - before.sessionsLost,
    failed: after.requests.failed - before.requests.failed,
    status502: (after.byStatus[502] ?? 0) - (before.byStatus[502] ?? 0),
    status401: (after.byStatus[401] ?? 0) - (before.byStatus[401] ?? 0),
    relogins: after.relogins - before.relogins,
    sentToDeadNode: after.sentToDeadNode - before.sentToDeadNode,
  };
}

const phases = (events: SimEvent[]) =>
  events.filter((e) => e.type.startsWith('node.')).map((e) => `${e.type} ${'node' in e ? e.node : ''}`);

describe('a rolling deploy: the lesson in numbers (12 users, 3 nodes, same seed)', () => {
  it('memory sessions, restarted: about every session is lost, and requests fail', () => {
    const r = deployed(CLASS, false);
    expect(r.held).toBeGreaterThan(8);
    // Every session lived on a node that restarted; a login in flight may add one or two.
    expect(r.sessionsLost).toBeGreaterThanOrEqual(r.held);
    expect(r.relogins).toBeGreaterThanOrEqual(r.loggedIn - 1);
    expect(r.failed).toBeGreaterThan(0);
    // Until the checks notice, the balancer still sends the restarting node its share (refused, retried).
    expect(r.sentToDeadNode).toBeGreaterThan(5);
  });

  it('memory sessions, drained: no request dies inside a node, but the sessions still leave with it', () => {
    const r = deployed(CLASS, true);
    expect(r.status502).toBe(0);
    expect(r.sentToDeadNode).toBe(0);
    expect(r.sessionsLost).toBeGreaterThanOrEqual(r.held);
    // What fails is only each logged-out user's next request: a 401, then a new login.
    expect(r.failed).toBe(r.status401);
    expect(r.relogins).toBeGreaterThanOrEqual(r.loggedIn - 1);
  });

  it('a shared store, drained: nothing lost, nothing failed', () => {
    const r = deployed({ ...CLASS, sessionStore: 'shared' }, true);
    expect(r.sessionsLost).toBe(0);
    expect(r.failed).toBe(0);
    expect(r.relogins).toBe(0);
  });

  it('replicated sessions, drained: each node hands its sessions on before it leaves', () => {
    for (const replication of ['all', 'backup'] as const) {
      const r = deployed({ ...CLASS, sessionStore: 'replicated', replication }, true);
      expect(r.sessionsLost, replication).toBe(0);
      expect(r.failed, replication).toBe(0);
    }
  });

  it('stateless, drained: nothing lost, nothing failed', () => {
    const r = deployed({ ...CLASS, mode: 'stateless' }, true);
    expect(r.sessionsLost).toBe(0);
    expect(r.failed).toBe(0);
    expect(r.relogins).toBe(0);
  });
});

describe('restart vs drain under load (requests always inside the nodes)', () => {
  it('a restart kills the requests inside each node (502); a drain lets them finish', () => {
    const restarted = deployed({ ...BUSY, sessionStore: 'shared' }, false);
    expect(restarted.status502).toBeGreaterThan(0);
    expect(restarted.sessionsLost).toBe(0);
    const drained = deployed({ ...BUSY, sessionStore: 'shared' }, true);
    expect(drained.failed).toBe(0);
    expect(drained.sessionsLost).toBe(0);
  });
});

describe('how the roll proceeds', () => {
  it('every node ends on v2 under its own id and in the pool; v1 is the default', () => {
    for (const drain of [true, false]) {
      const run = drive(CLASS).for(5_000);
      expect(run.sim.snapshot().nodes.map((n) => [n.id, n.version, n.deploy])).toEqual([
        ['server-1', 'v1', null],
        ['server-2', 'v1', null],
        ['server-3', 'v1', null],
      ]);
      run.sim.apply({ type: 'deploy', drain });
      run.for(60_000);
      expect(run.sim.snapshot().nodes.map((n) => [n.id, n.version, n.deploy, n.status, n.health])).toEqual(
        ['server-1', 'server-2', 'server-3'].map((id) => [id, 'v2', null, 'up', 'up']),
      );
    }
  });

  it('drain: one node at a time leaves and its replacement starts; the next goes once it passed its checks', () => {
    const run = drive(CLASS, { record: true }).for(5_000);
    run.events.length = 0;
    run.sim.apply({ type: 'deploy', version: 'v2', drain: true });
    // The first node is draining (or already replaced, if it had nothing inside); the others wait.
    expect(run.sim.snapshot().nodes.map((n) => n.deploy)).toEqual([
      expect.stringMatching(/draining|starting/),
      'waiting',
      'waiting',
    ]);
    const outOfPool: number[] = [];
    for (let t = 0; t < 30_000; t += 100) {
      run.for(100);
      const nodes = run.sim.snapshot().nodes;
      outOfPool.push(nodes.filter((n) => n.health !== 'up' || n.draining).length);
      expect(nodes).toHaveLength(3);
    }
    // Never more than one node out of the pool at once: the room keeps two thirds of the cluster.
    expect(Math.max(...outOfPool)).toBe(1);
    expect(phases(run.events)).toEqual([
      'node.down server-1',
      'node.removed server-1',
      'node.added server-1',
      'node.marked server-1',
      'node.down server-2',
      'node.removed server-2',
      'node.added server-2',
      'node.marked server-2',
      'node.down server-3',
      'node.removed server-3',
      'node.added server-3',
      'node.marked server-3',
    ]);
    // The next node goes at the very moment its predecessor's replacement is marked up.
    const at = (text: string) => run.events.find((e) => `${e.type} ${'node' in e ? e.node : ''}` === text)!.time;
    expect(at('node.down server-2')).toBe(at('node.marked server-1'));
    expect(at('node.down server-3')).toBe(at('node.marked server-2'));
  });

  it('restart: the balancer marks each node down before it comes back, then it passes its checks before the next', () => {
    const run = drive(CLASS, { record: true }).for(5_000);
    run.events.length = 0;
    run.sim.apply({ type: 'deploy', version: 'v2', drain: false });
    expect(run.sim.snapshot().nodes.map((n) => n.deploy)).toEqual(['restarting', 'waiting', 'waiting']);
    run.for(60_000);
    const per = (node: string) =>
      run.events
        .filter((e) => 'node' in e && e.node === node && e.type.startsWith('node.'))
        .map((e) => (e.type === 'node.marked' ? `marked ${e.health}` : e.type));
    for (const node of ['server-1', 'server-2', 'server-3'])
      expect(per(node)).toEqual(['node.down', 'marked down', 'node.up', 'marked up']);
    // One at a time: server-2 crashes the moment server-1 is back in the pool, not before.
    const at = (type: string, node: string, health?: string) =>
      run.events.find(
        (e) =>
          e.type === type &&
          'node' in e &&
          e.node === node &&
          (health === undefined || ('health' in e && e.health === health)),
      )!.time;
    expect(at('node.down', 'server-2')).toBe(at('node.marked', 'server-1', 'up'));
    expect(at('node.down', 'server-3')).toBe(at('node.marked', 'server-2', 'up'));
  });

  it('takes about interval × (fall + rise + 1) per node restarted, and interval × rise per node drained', () => {
    const restart = deployed(CLASS, false).rolledMs;
    const drain = deployed(CLASS, true).rolledMs;
    // 3 nodes: a restart ≈ 12 s each (6 s down, one round to boot, two passing checks), a drain ≈ 4 s each.
    expect(restart).toBeGreaterThanOrEqual(30_000);
    expect(restart).toBeLessThanOrEqual(42_000);
    expect(drain).toBeGreaterThanOrEqual(8_000);
    expect(drain).toBeLessThanOrEqual(15_000);
  });

  it('the next deploy goes to v3; a node added during or after a deploy runs the new version', () => {
    const run = drive(CLASS).for(5_000);
    run.sim.apply({ type: 'deploy', drain: true });
    run.sim.apply({ type: 'addNode' });
    expect(run.node('server-4').version).toBe('v2');
    expect(run.node('server-4').deploy).toBeNull();
    run.for(30_000);
    run.sim.apply({ type: 'deploy', drain: false });
    expect(run.sim.snapshot().nodes.filter((n) => n.deploy === 'waiting')).toHaveLength(3);
    run.for(80_000);
    expect(run.sim.snapshot().nodes.map((n) => n.version)).toEqual(['v3', 'v3', 'v3', 'v3']);
  });

  it('a node crashed or drained by the teacher during a roll does not stop it', () => {
    const run = drive(CLASS).for(5_000);
    run.sim.apply({ type: 'deploy', version: 'v2', drain: true });
    run.fail('server-3');
    run.sim.apply({ type: 'drainNode', node: 'server-2' });
    run.for(40_000);
    // server-2 left for good (a scale-in); server-3 was down when its turn came, and was replaced.
    expect(run.sim.snapshot().nodes.map((n) => [n.id, n.version, n.status, n.deploy])).toEqual([
      ['server-1', 'v2', 'up', null],
      ['server-3', 'v2', 'up', null],
    ]);
  });

  it('a fork in the middle of a roll rolls on exactly as the original', () => {
    const run = drive(CLASS).for(5_000);
    run.sim.apply({ type: 'deploy', drain: false });
    run.for(9_000);
    const copy = run.sim.fork();
    run.for(40_000);
    copy.advance(40_000);
    expect(copy.metrics()).toEqual(run.sim.metrics());
    expect(copy.snapshot().nodes).toEqual(run.sim.snapshot().nodes);
  });
});

describe('what a deploy refuses', () => {
  it('a second deploy while one rolls, a bad version, a version every node runs, draining a lone node', () => {
    const run = drive(CLASS);
    const apply = (command: Command) => () => run.sim.apply(command);
    run.sim.apply({ type: 'deploy', drain: true });
    expect(apply({ type: 'deploy', drain: true })).toThrow(/still rolling/);
    run.for(30_000);
    expect(apply({ type: 'deploy', version: 'v2', drain: true })).toThrow(/already runs v2/);
    expect(apply({ type: 'deploy', version: '', drain: true })).toThrow(CommandError);
    expect(apply({ type: 'deploy', version: 'v 3; drop', drain: true })).toThrow(/version/);
    expect(apply({ type: 'deploy', drain: 'yes' } as unknown as Command)).toThrow(/drain/);
    const lone = drive({ ...CLASS, nodes: 1 });
    expect(() => lone.sim.apply({ type: 'deploy', drain: true })).toThrow(/another node/);
    // Restarting the only node is allowed: the room sees the outage.
    lone.sim.apply({ type: 'deploy', drain: false });
    lone.for(30_000);
    expect(lone.node('server-1').version).toBe('v2');
  });
});
