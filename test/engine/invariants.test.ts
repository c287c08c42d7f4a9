/**
 * DESIGN.md's engine invariants, checked over generated configurations and command sequences.
 * A sequence that once failed is pinned below as a named regression case.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSimulation, type Command, type SimConfig, type SimEvent, type Simulation } from '../../src/engine';

type Step = {
  waitMs: number;
  command: 'fail' | 'recover' | 'add' | 'remove' | 'failStore' | 'recoverStore';
  pick: number;
};

const configArbitrary = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  mode: fc.constantFrom('stateless' as const, 'stateful' as const),
  sessionStore: fc.constantFrom('memory' as const, 'shared' as const),
  sticky: fc.boolean(),
  denyList: fc.boolean(),
  balancer: fc.constantFrom('round-robin' as const, 'least-connections' as const, 'random' as const),
  nodes: fc.integer({ min: 1, max: 5 }),
  clients: fc.integer({ min: 0, max: 16 }),
  retries: fc.integer({ min: 0, max: 2 }),
  // Slow nodes with few workers keep requests inside (and queued) when a crash comes.
  serviceTimeMs: fc.constantFrom(5, 80, 600),
  workersPerNode: fc.integer({ min: 1, max: 4 }),
});

const stepsArbitrary = fc.array(
  fc.record({
    waitMs: fc.integer({ min: 0, max: 8_000 }),
    command: fc.constantFrom(
      'fail' as const,
      'recover' as const,
      'add' as const,
      'remove' as const,
      'failStore' as const,
      'recoverStore' as const,
    ),
    pick: fc.nat(),
  }),
  { maxLength: 12 },
);

interface Checked {
  sim: Simulation;
  events: SimEvent[];
  commands: Command[];
}

/** Runs a scenario, checking the invariants that must hold around each command as it goes. */
function runChecked(config: Partial<SimConfig>, steps: Step[]): Checked {
  const sim = createSimulation({ ...config, eventLogSize: 0 });
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  const commands: Command[] = [];
  const stateful = sim.config.mode === 'stateful';
  const shared = stateful && sim.config.sessionStore === 'shared';
  const hasStore = sim.snapshot().store !== null;
  for (const step of steps) {
    sim.advance(step.waitMs);
    const nodes = sim.snapshot().nodes;
    const node = nodes[step.pick % nodes.length]!;
    let command: Command | null = null;
    switch (step.command) {
      case 'fail':
        command = { type: 'failNode', node: node.id };
        break;
      case 'recover':
        command = { type: 'recoverNode', node: node.id };
        break;
      case 'add':
        command = nodes.length < 8 ? { type: 'addNode' } : null;
        break;
      case 'remove':
        command = nodes.length > 1 ? { type: 'removeNode', node: node.id } : null;
        break;
      case 'failStore':
        command = hasStore ? { type: 'failStore' } : null;
        break;
      case 'recoverStore':
        command = hasStore ? { type: 'recoverStore' } : null;
        break;
    }
    if (command === null) continue;
    const lostBefore = sim.metrics().sessionsLost;
    const heldByNode = node.status === 'up' ? node.sessions : 0;
    const heldByStore = sim.snapshot().store?.status === 'up' ? sim.snapshot().store!.sessions : 0;
    try {
      sim.apply(command);
    } catch (error) {
      // Only refusals that say why are allowed (e.g. removing the last node that is not draining).
      expect((error as Error).message).toMatch(/removeNode: the last node|no node/);
      continue;
    }
    commands.push(command);
    const lost = sim.metrics().sessionsLost - lostBefore;
    if (command.type === 'failNode') {
      // Memory sessions: exactly what the node held. Shared store or stateless: nothing.
      expect(lost).toBe(stateful && !shared ? heldByNode : 0);
    }
    if (command.type === 'failStore') expect(lost).toBe(heldByStore);
    if (command.type === 'addNode' || command.type === 'recoverNode' || command.type === 'recoverStore')
      expect(lost).toBe(0);
  }
  sim.advance(20_000);
  return { sim, events, commands };
}

function checkInvariants({ sim, events }: Checked): void {
  const metrics = sim.metrics();
  const sent = new Map<number, Extract<SimEvent, { type: 'request.sent' }>>();
  const finished = new Map<number, number>();
  const outstandingByClient = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'request.sent') {
      expect(sent.has(event.id)).toBe(false);
      sent.set(event.id, event);
      // A user waits for an answer before sending the next request.
      expect(outstandingByClient.get(event.client) ?? 0).toBe(0);
      outstandingByClient.set(event.client, 1);
    }
    if (event.type === 'request.finished') {
      expect(sent.has(event.id), `request ${event.id} finished but never started`).toBe(true);
      expect(finished.has(event.id), `request ${event.id} finished twice`).toBe(false);
      finished.set(event.id, event.status);
      outstandingByClient.set(event.client, 0);
    }
  }
  // Every request that starts ends exactly once (those still on the wire end later).
  const open = [...sent.keys()].filter((id) => !finished.has(id));
  expect(open.length).toBeLessThanOrEqual(sim.config.clients);

  // Counters add up.
  expect(metrics.requests.ok + metrics.requests.failed).toBe(metrics.requests.total);
  expect(metrics.requests.total).toBe(finished.size);
  expect(Object.values(metrics.byStatus).reduce((a, b) => a + b, 0)).toBe(metrics.requests.total);
  const perNode = Object.values(metrics.byNode).reduce((a, b) => a + b, 0);
  expect(perNode).toBe(metrics.balancer.forwarded);

  if (sim.config.mode === 'stateless') {
    // No request ever fails for lack of server-side state, and nothing is lost. Two 401s are not
    // about state: a token that expired while an outage kept its renewal failing, and — with a
    // deny-list, which is server state again — a logout retried after its answer was lost.
    const reasons = new Map<number, string | null>();
    for (const event of events) if (event.type === 'request.answered') reasons.set(event.id, event.reason);
    const refused = events
      .filter((e) => e.type === 'request.finished' && e.status === 401)
      .map((e) => {
        const id = (e as { id: number }).id;
        return { path: sent.get(id)!.path, reason: reasons.get(id) ?? '' };
      });
    const explained = (r: { path: string; reason: string }): boolean =>
      ((r.path === '/api/token' || r.path === '/api/logout') && /expired/.test(r.reason)) ||
      (sim.config.denyList && r.path === '/api/logout' && /revoked/.test(r.reason));
    expect(refused.filter((r) => !explained(r))).toEqual([]);
    // A token that expired during an outage means logging in again — but nothing is lost.
    expect(metrics.relogins).toBe(refused.filter((r) => r.path !== '/api/logout').length);
    expect(metrics.sessionsLost).toBe(0);
    expect(metrics.cartItemsLost).toBe(0);
  }

  // A session lost in a failure is never found again: its user's next request with it is refused.
  const lostAt = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'session.lost') for (const client of event.clients) lostAt.set(client, event.time);
    if (event.type === 'request.finished' && lostAt.has(event.client)) {
      const request = sent.get(event.id)!;
      if (request.time < lostAt.get(event.client)!) continue;
      if (request.path === '/api/login' || request.path === '/api/logout') {
        lostAt.delete(event.client);
        continue;
      }
      if (event.status >= 500) continue;
      expect(event.status, `${event.client} reached a lost session with ${request.path}`).toBe(401);
      lostAt.delete(event.client);
    }
  }
}

/**
 * CI runs a fixed seed so a red build is always reproducible; explore new ground locally with
 * FC_SEED=<any> FC_RUNS=2000 npx vitest run test/engine/invariants.test.ts and pin what fails below.
 */
const FC = { seed: Number(process.env.FC_SEED ?? 20_261_123), numRuns: Number(process.env.FC_RUNS ?? 120) };

function eventLog(config: Partial<SimConfig>, steps: Step[]): string {
  return JSON.stringify(runChecked(config, steps).events);
}

describe('engine invariants over generated runs', () => {
  it('hold for random configurations and command sequences', () => {
    fc.assert(
      fc.property(configArbitrary, stepsArbitrary, (config, steps) => checkInvariants(runChecked(config, steps))),
      { ...FC },
    );
  }, 120_000);

  it('same seed and commands give a byte-identical event log', () => {
    fc.assert(
      fc.property(configArbitrary, stepsArbitrary, (config, steps) => {
        expect(eventLog(config, steps)).toBe(eventLog(config, steps));
      }),
      { seed: FC.seed, numRuns: 25 },
    );
  }, 120_000);

  it('another seed gives another run', () => {
    expect(eventLog({ seed: 1 }, [])).not.toBe(eventLog({ seed: 2 }, []));
  });
});

describe('pinned regression cases', () => {
  const stateless1 = {
    seed: 0,
    mode: 'stateless' as const,
    denyList: true,
    sticky: false,
    nodes: 1,
    clients: 1,
    retries: 0,
    serviceTimeMs: 5,
    workersPerNode: 1,
  };

  it('a token that expired while the only node was down: one login again, nothing lost', () => {
    checkInvariants(
      runChecked(stateless1, [
        { waitMs: 5841, command: 'recover', pick: 0 },
        { waitMs: 5480, command: 'fail', pick: 0 },
        { waitMs: 6619, command: 'fail', pick: 0 },
        { waitMs: 2276, command: 'fail', pick: 0 },
        { waitMs: 3935, command: 'fail', pick: 0 },
        { waitMs: 2443, command: 'fail', pick: 0 },
        { waitMs: 4739, command: 'fail', pick: 0 },
        { waitMs: 880, command: 'failStore', pick: 0 },
        { waitMs: 7832, command: 'recover', pick: 0 },
      ]),
    );
  });

  it('a logout whose token expired during an outage is refused, and is no reason to log in again', () => {
    checkInvariants(
      runChecked(stateless1, [
        { waitMs: 1984, command: 'recoverStore', pick: 0 },
        { waitMs: 5437, command: 'recoverStore', pick: 0 },
        { waitMs: 3090, command: 'recover', pick: 0 },
        { waitMs: 6776, command: 'failStore', pick: 0 },
        { waitMs: 2789, command: 'fail', pick: 0 },
        { waitMs: 7890, command: 'fail', pick: 0 },
        { waitMs: 6980, command: 'fail', pick: 0 },
        { waitMs: 540, command: 'fail', pick: 0 },
        { waitMs: 4598, command: 'recover', pick: 0 },
      ]),
    );
  });

  it('a node failed, removed while down, then the last node failed: 503s, nothing finishes twice', () => {
    checkInvariants(
      runChecked({ seed: 42, mode: 'stateful', nodes: 2, clients: 10 }, [
        { waitMs: 5_000, command: 'fail', pick: 0 },
        { waitMs: 100, command: 'remove', pick: 0 },
        { waitMs: 3_000, command: 'fail', pick: 0 },
        { waitMs: 8_000, command: 'recover', pick: 0 },
      ]),
    );
  });

  it('the store failing while a node is down loses only the store sessions', () => {
    checkInvariants(
      runChecked({ seed: 7, mode: 'stateful', sessionStore: 'shared', nodes: 3, clients: 12 }, [
        { waitMs: 8_000, command: 'fail', pick: 1 },
        { waitMs: 1_000, command: 'failStore', pick: 0 },
        { waitMs: 4_000, command: 'recoverStore', pick: 0 },
        { waitMs: 1_000, command: 'recover', pick: 1 },
      ]),
    );
  });
});
