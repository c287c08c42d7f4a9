/** The event log's rows: one per finished request (with the node that answered), filters that combine. */
import { describe, expect, test } from 'vitest';
import { createSimulation } from '../../src/engine';
import { filterRows, NO_FILTER, toRows } from '../../src/ui/inspect/eventRows';

function run() {
  const sim = createSimulation({ mode: 'stateful', seed: 3, clients: 6 });
  sim.advance(8_000);
  sim.apply({ type: 'failNode', node: 'server-1' });
  sim.advance(8_000);
  return sim;
}

describe('event log rows', () => {
  test('one row per finished request, carrying the node from its answer; no intermediate steps', () => {
    const sim = run();
    const events = sim.recentEvents();
    const rows = toRows(events, 'stateful', false, (c) => c);
    const finished = events.filter((e) => e.type === 'request.finished');
    expect(rows.filter((r) => r.type === 'request.finished')).toHaveLength(finished.length);
    expect(rows.some((r) => r.type === 'request.sent' || r.type === 'request.routed')).toBe(false);
    const answered = rows.find((r) => r.type === 'request.finished' && r.status === 200)!;
    expect(answered.node).toMatch(/^server-\d$/);
    expect(rows.some((r) => r.type === 'node.down' && r.text === 'Server 1 crashed')).toBe(true);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  test('every request step on demand, keys still unique', () => {
    const rows = toRows(run().recentEvents(), 'stateful', true, (c) => c);
    expect(rows.some((r) => r.type === 'request.routed')).toBe(true);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  test('filters by client, node and status combine', () => {
    const rows = toRows(run().recentEvents(), 'stateful', false, (c) => c);
    const failed = filterRows(rows, { ...NO_FILTER, status: 'failed' });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.status !== null && r.status >= 400)).toBe(true);
    const c1 = filterRows(rows, { ...NO_FILTER, client: 'c1' });
    expect(c1.every((r) => r.client === 'c1')).toBe(true);
    const onNode = filterRows(rows, { client: 'all', node: 'server-2', status: '2xx' });
    expect(onNode.every((r) => r.node === 'server-2' && r.status! < 300)).toBe(true);
    expect(filterRows(rows, NO_FILTER)).toHaveLength(rows.length);
  });
});
