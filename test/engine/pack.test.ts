/**
 * A simulation handed from one thread to another (a what-if replayed in a Web Worker): packed,
 * carried by the structured clone a postMessage makes, unpacked — and it runs on exactly as the
 * original does, as a fork would.
 */
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  unpackSimulation,
  type Command,
  type SimConfig,
  type SimEvent,
  type Simulation,
} from '../../src/engine';

function record(sim: Simulation): SimEvent[] {
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  return events;
}

/** What postMessage does to a message. */
const carried = <T>(value: T): T => structuredClone(value);

const SETUPS: [string, Partial<SimConfig>, Command[]][] = [
  [
    'stateful, sessions in memory',
    { mode: 'stateful', sessionStore: 'memory' },
    [{ type: 'failNode', node: 'server-2' }],
  ],
  ['stateful, shared store', { mode: 'stateful', sessionStore: 'shared' }, [{ type: 'failStore' }]],
  ['stateful, replicated', { mode: 'stateful', sessionStore: 'replicated' }, [{ type: 'failNode', node: 'server-1' }]],
  ['stateful, sticky', { mode: 'stateful', sessionStore: 'memory', sticky: true }, [{ type: 'addNode' }]],
  ['stateless', { mode: 'stateless' }, [{ type: 'rotateKey' }, { type: 'failNode', node: 'server-3' }]],
  ['stateless, deny-list', { mode: 'stateless', denyList: true }, [{ type: 'banUser', user: 'c3' }]],
  ['stateless, refresh tokens', { mode: 'stateless', refreshTokens: true }, [{ type: 'drainNode', node: 'server-2' }]],
];

describe('pack() and unpackSimulation()', () => {
  it.each(SETUPS)('%s: the unpacked copy continues with the very same events and numbers', (_, config, commands) => {
    const original = createSimulation({ ...config, seed: 8, clients: 24, nodes: 4 });
    original.advance(14_321);
    original.apply(commands[0]!);
    // You too: a login answered by the cluster before the hand-over.
    original.send({
      method: 'POST',
      path: '/api/login',
      headers: {},
      body: { user: 'Ada' },
    });
    original.advance(900);
    const copy = unpackSimulation(carried(original.pack()));
    const fromOriginal = record(original);
    const fromCopy = record(copy);
    for (const sim of [original, copy]) {
      sim.advance(4_000);
      for (const command of commands.slice(1)) sim.apply(command);
      sim.advance(25_000);
    }
    expect(fromCopy.length).toBeGreaterThan(300);
    expect(JSON.stringify(fromCopy)).toBe(JSON.stringify(fromOriginal));
    expect(copy.metrics()).toEqual(original.metrics());
    expect(copy.snapshot()).toEqual(original.snapshot());
    expect(copy.recentEvents()).toEqual(original.recentEvents());
  });

  it('leaves the packed data as it was: unpacked twice, two independent runs', () => {
    const original = createSimulation({ mode: 'stateful', seed: 4, clients: 12 });
    original.advance(10_000);
    const packed = carried(original.pack());
    const first = unpackSimulation(packed);
    first.apply({ type: 'failNode', node: 'server-2' });
    first.advance(10_000);
    const second = unpackSimulation(packed);
    second.advance(10_000);
    original.advance(10_000);
    expect(first.metrics().sessionsLost).toBeGreaterThan(0);
    expect(second.metrics()).toEqual(original.metrics());
  });

  it('carries no listener of the page: the copy starts with none', () => {
    const original = createSimulation({ seed: 9 });
    const seen: SimEvent[] = [];
    original.subscribe((event) => seen.push(event));
    original.advance(5_000);
    const copy = unpackSimulation(carried(original.pack()));
    const before = seen.length;
    copy.advance(5_000);
    expect(seen.length).toBe(before);
  });
});
