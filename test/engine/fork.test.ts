/** A fork continues exactly as the original would: the basis of rewind and "what if". */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Command, type SimEvent, type Simulation } from '../../src/engine';

function record(sim: Simulation): SimEvent[] {
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  return events;
}

describe('fork()', () => {
  it.each(['stateless', 'stateful'] as const)(
    'in %s mode continues with the very same events and numbers as the original',
    (mode) => {
      const original = createSimulation({ mode, seed: 5, clients: 20, sessionStore: 'memory' });
      original.advance(12_345);
      original.apply({ type: 'failNode', node: 'server-1' });
      original.advance(700);
      const copy = original.fork();
      const fromOriginal = record(original);
      const fromCopy = record(copy);
      const commands: [number, Command][] = [
        [3_000, { type: 'recoverNode', node: 'server-1' }],
        [5_000, { type: 'failNode', node: 'server-3' }],
        [9_000, { type: 'addNode' }],
      ];
      for (const sim of [original, copy]) {
        for (const [waitMs, command] of commands) {
          sim.advance(waitMs);
          sim.apply(command);
        }
        sim.advance(20_000);
      }
      expect(fromCopy.length).toBeGreaterThan(100);
      expect(JSON.stringify(fromCopy)).toBe(JSON.stringify(fromOriginal));
      expect(copy.metrics()).toEqual(original.metrics());
      expect(copy.snapshot()).toEqual(original.snapshot());
    },
  );

  it('shares the token service (its signature cache only saves work): a fork run after its original matches a twin never forked', () => {
    const config = { mode: 'stateless' as const, seed: 11, clients: 60, nodes: 4, tokenTtlMs: 20_000 };
    const original = createSimulation(config);
    const twin = createSimulation(config);
    original.advance(15_000);
    twin.advance(15_000);
    const copy = original.fork();
    // The original runs on first and fills the shared cache with the tokens the copy will meet.
    original.advance(45_000);
    const fromCopy = record(copy);
    const fromTwin = record(twin);
    copy.advance(45_000);
    twin.advance(45_000);
    expect(fromCopy.length).toBeGreaterThan(1_000);
    expect(JSON.stringify(fromCopy)).toBe(JSON.stringify(fromTwin));
    expect(copy.metrics()).toEqual(twin.metrics());
  });

  it('is independent: failing a node in the fork leaves the original untouched', () => {
    const original = createSimulation({ mode: 'stateful', seed: 2 });
    original.advance(20_000);
    const copy = original.fork();
    copy.apply({ type: 'failNode', node: 'server-2' });
    copy.advance(10_000);
    original.advance(10_000);
    expect(copy.metrics().sessionsLost).toBeGreaterThan(0);
    expect(original.metrics().sessionsLost).toBe(0);
    expect(original.snapshot().nodes[1]!.status).toBe('up');
  });

  it('keeps the inspector records and the event log', () => {
    const original = createSimulation({ mode: 'stateless', seed: 3 });
    original.advance(10_000);
    const copy = original.fork();
    expect(copy.recentEvents()).toEqual(original.recentEvents());
    const last = original.recentEvents().findLast((e) => e.type === 'request.finished')!;
    expect(copy.inspect((last as { id: number }).id)).toEqual(original.inspect((last as { id: number }).id));
  });
});

describe('fork() of a watched simulation', () => {
  it('does not copy the listeners: the page keeps its own, the fork starts with none', () => {
    const original = createSimulation({ seed: 9 });
    const seen: SimEvent[] = [];
    original.subscribe((event) => seen.push(event));
    original.advance(5_000);
    const copy = original.fork();
    const before = seen.length;
    copy.advance(5_000);
    expect(seen.length).toBe(before);
    original.advance(5_000);
    expect(seen.length).toBeGreaterThan(before);
  });
});
