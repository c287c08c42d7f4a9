/**
 * One pipeline: a request the page sends itself (`send()`) goes through the same steps as a
 * simulated client's — the balancer's choice, its tags, the node's handler, the records and the
 * events — and only skips the waiting. These are behaviours the two used to disagree on.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, readSetCookie, requestSizeBytes, type SimEvent } from '../../src/engine';

const json = { 'content-type': 'application/json' };

describe('one pipeline for simulated clients and the page’s own requests', () => {
  it('a node’s 5xx answer pins nobody to that node, whoever sent the request', () => {
    // Sticky sessions in a shared store that is down: every node answers 503.
    const sim = createSimulation({ mode: 'stateful', sessionStore: 'shared', sticky: true, clients: 20, nodes: 3 });
    sim.advance(5_000);
    sim.apply({ type: 'failStore' });
    const failed: number[] = [];
    const stop = sim.subscribe((event) => {
      if (event.type === 'request.answered' && event.status === 503 && event.node !== null) failed.push(event.id);
    });
    sim.advance(5_000);
    stop();
    const theirs = sim.inspect(failed[0]!)!.response!;
    expect(theirs.status).toBe(503);
    expect(readSetCookie(theirs.headers['set-cookie'], 'lb')).toBeNull();

    const mine = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Student' } });
    expect(mine.status).toBe(503);
    expect(mine.headers['x-served-by']).toMatch(/^server-\d$/);
    expect(readSetCookie(mine.headers['set-cookie'], 'lb')).toBeNull();
  });

  it('the event stream tells the same story for both: sent, routed, started on the node, answered, finished', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 1, nodes: 2, seed: 4 });
    const events: SimEvent[] = [];
    sim.subscribe((event) => events.push(event));
    sim.advance(10_000);
    const steps = (client: string): string[] => {
      const first = events.find((e) => e.type === 'request.sent' && e.client === client) as { id: number };
      return events.filter((e) => 'id' in e && e.id === first.id).map((e) => e.type);
    };
    sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Student' } });
    const story = ['request.sent', 'request.routed', 'request.started', 'request.answered', 'request.finished'];
    expect(steps('c1')).toEqual(story);
    expect(steps('you')).toEqual(story);
  });
});

describe('a simulated request’s size', () => {
  it.each(['stateless', 'stateful'] as const)(
    'in %s mode is what requestSizeBytes counts for the very message sent, for every step of the workflow',
    (mode) => {
      const sim = createSimulation({ mode, clients: 30, nodes: 2, seed: 8, eventLogSize: 5_000 });
      const sizes = new Map<number, number>();
      sim.subscribe((event) => {
        if (event.type === 'request.sent') sizes.set(event.id, event.sizeBytes);
      });
      sim.advance(30_000);
      const paths = new Set<string>();
      for (const [id, sizeBytes] of sizes) {
        const record = sim.inspect(id)!;
        paths.add(`${record.request.method} ${record.request.path}`);
        expect(sizeBytes, `${record.request.method} ${record.request.path}`).toBe(requestSizeBytes(record.request));
      }
      expect(paths.size).toBeGreaterThanOrEqual(6);
    },
  );
});
