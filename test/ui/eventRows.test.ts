/** The event log's rows: one per finished request (with the node that answered), filters that combine. */
import { describe, expect, test } from 'vitest';
import { createSimulation } from '../../src/engine';
import { clientChoices, clientNamer, filterRows, NO_FILTER, toRows } from '../../src/ui/inspect/eventRows';

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

  test('the client filter lists each person once: You under its id and under the name it logged in with', () => {
    const sim = createSimulation({ mode: 'stateful', seed: 3, clients: 3 });
    sim.advance(4_000);
    // You log in as "You": its requests carry the id "you", the session it creates the name "You".
    const login = sim.send({
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: { user: 'You' },
    });
    expect(login.status).toBe(200);
    sim.advance(2_000);
    const events = sim.recentEvents();
    const ids = new Set(events.map((e) => ('client' in e ? e.client : null)));
    expect(ids.has('you') && ids.has('You')).toBe(true);
    // The page's naming: simulated users by their names, any other id is You.
    const rows = toRows(events, 'stateful', false, clientNamer(sim.snapshot().clients));
    const choices = clientChoices(rows);
    expect(choices.filter((c) => c === 'You')).toHaveLength(1);
    expect(choices[0]).toBe('You');
    expect(new Set(choices).size).toBe(choices.length);
    // Choosing You shows both its requests and its session.
    const mine = filterRows(rows, { ...NO_FILTER, client: 'You' });
    expect(mine.some((r) => r.type === 'request.finished' && r.client === 'you')).toBe(true);
    expect(mine.some((r) => r.type === 'session.created' && r.client === 'You')).toBe(true);
    // Natural order after You: Ada, Bo, Cy.
    expect(choices.slice(1)).toEqual(['Ada', 'Bo', 'Cy']);
  });

  test("a stateless cluster's store is the token deny-list; a session store row names the session store", () => {
    const denied = createSimulation({ mode: 'stateless', denyList: true, seed: 6, clients: 4 });
    denied.advance(5_000);
    denied.apply({ type: 'failStore' });
    denied.apply({ type: 'recoverStore' });
    const texts = toRows(denied.recentEvents(), 'stateless', false, (c) => c).map((r) => r.text);
    expect(texts).toContain('the token deny-list store failed');
    expect(texts).toContain('the token deny-list store is back');
    expect(texts.some((t) => /session store/.test(t))).toBe(false);

    const shared = createSimulation({ mode: 'stateful', sessionStore: 'shared', seed: 6, clients: 4 });
    shared.advance(8_000);
    shared.apply({ type: 'failStore' });
    const rows = toRows(shared.recentEvents(), 'stateful', false, (c) => c);
    expect(rows.map((r) => r.text)).toContain('the session store failed');
    expect(rows.find((r) => r.type === 'session.lost')!.text).toMatch(
      /^\d+ sessions? lost in the session store \(\d+ cart items\)$/,
    );
  });
});
