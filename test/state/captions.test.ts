/**
 * The caption line says what the engine really does: each caption is checked against the engine's
 * own answers (a deny-list store is not a session store; a removal is not a crash).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type HttpRequest, type Simulation, type SimConfig } from '../../src/engine';
import { captionFor } from '../../src/state/captions';

function captioned(config: Partial<SimConfig>) {
  const sim = createSimulation({ seed: 6, clients: 12, ...config });
  const captions: string[] = [];
  sim.subscribe((event) => {
    const caption = captionFor(event, sim);
    if (caption !== null) captions.push(caption);
  });
  return { sim, captions };
}

const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest =>
  ({ method, path, headers: { 'content-type': 'application/json', ...headers }, body }) as HttpRequest;

function loginToken(sim: Simulation): string {
  const response = sim.send(json('POST', '/api/login', { user: 'you' }));
  expect(response.status).toBe(200);
  return (response.body as { token: string }).token;
}

describe('captions', () => {
  it('a deploy replaces a drained node under its id: a later crash of the new one is worded as a crash', () => {
    const { sim, captions } = captioned({ mode: 'stateful', sessionStore: 'memory' });
    sim.advance(15_000);
    sim.apply({ type: 'deploy', version: 'v2', drain: true });
    sim.advance(20_000);
    expect(captions.some((c) => /^Server 1 was removed: \d+ sessions? lost/.test(c))).toBe(true);
    sim.apply({ type: 'failNode', node: 'server-1' });
    expect(captions.at(-1)).toMatch(/^Server 1 went down: \d+ sessions? lost/);
  });

  it('a failed deny-list store is named as such, and what it says is what the engine does', () => {
    const { sim, captions } = captioned({ mode: 'stateless', denyList: true });
    sim.advance(20_000);
    const token = loginToken(sim);
    expect(sim.send(json('POST', '/api/logout', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    // Revoked: on the list.
    expect(sim.send(json('GET', '/api/profile', undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
    sim.apply({ type: 'failStore' });
    const down = captions.at(-1)!;
    expect(down).toMatch(/^The token deny-list store failed/);
    expect(down).not.toMatch(/session/i);
    expect(down).toMatch(/every request with a token gets 503/);
    // True: a valid token is refused with 503, a login (no token) still works.
    const fresh = loginToken(sim);
    const refused = sim.send(json('GET', '/api/profile', undefined, { authorization: `Bearer ${fresh}` }));
    expect(refused.status).toBe(503);
    sim.advance(3_000);
    expect(sim.metrics().byStatus[503]).toBeGreaterThan(0);
    expect(captions.some((c) => /session store/i.test(c))).toBe(false);

    sim.apply({ type: 'recoverStore' });
    expect(captions.at(-1)).toBe(
      'The token deny-list store is back — empty: tokens revoked before it failed are valid again until they expire',
    );
    // True: the token revoked before the failure works again.
    expect(sim.send(json('GET', '/api/profile', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('a failed session store loses its sessions and answers 503; back, it is empty', () => {
    const { sim, captions } = captioned({ mode: 'stateful', sessionStore: 'shared' });
    sim.advance(12_000);
    const before = sim.snapshot().store!.sessions;
    expect(before).toBeGreaterThan(0);
    sim.apply({ type: 'failStore' });
    expect(captions).toContain(
      'The session store failed: no node can read or create a session, so logins and every request that needs one get 503 until it is back — and every session in it is gone',
    );
    expect(captions.at(-1)).toMatch(new RegExp(`^The session store failed: ${before} sessions lost — `));
    expect(sim.send(json('POST', '/api/login', { user: 'you' })).status).toBe(503);
    sim.apply({ type: 'recoverStore' });
    expect(captions.at(-1)).toBe('The session store is back — empty: every user must log in again');
    expect(sim.snapshot().store!.sessions).toBe(0);
  });

  it('a restarted node with a shared store lost nothing; with sessions in memory nothing came back', () => {
    const shared = captioned({ mode: 'stateful', sessionStore: 'shared' });
    shared.sim.advance(10_000);
    shared.sim.apply({ type: 'failNode', node: 'server-2' });
    shared.sim.advance(2_000);
    expect(shared.captions.some((c) => /sessions lost/.test(c))).toBe(false);
    expect(shared.sim.metrics().sessionsLost).toBe(0);
    shared.sim.apply({ type: 'recoverNode', node: 'server-2' });
    expect(shared.captions.at(-1)).toBe('Server 2 restarted — empty, and nothing lost: the sessions live in the store');

    const memory = captioned({ mode: 'stateful', sessionStore: 'memory' });
    memory.sim.advance(10_000);
    memory.sim.apply({ type: 'failNode', node: 'server-2' });
    expect(memory.captions.at(-1)).toMatch(/^Server 2 went down: \d+ sessions? lost/);
    memory.sim.apply({ type: 'recoverNode', node: 'server-2' });
    expect(memory.captions.at(-1)).toBe('Server 2 restarted — empty: no session came back');
  });

  it('a removed node is worded as a removal, not a crash', () => {
    const { sim, captions } = captioned({ mode: 'stateful', sessionStore: 'memory', sticky: true });
    sim.advance(12_000);
    const held = sim.snapshot().nodes[0]!.sessions;
    expect(held).toBeGreaterThan(0);
    sim.apply({ type: 'removeNode', node: 'server-1' });
    sim.advance(2_000);
    expect(captions).toContain('Server 1 removed');
    expect(captions.some((c) => /^Server 1 was removed: \d+ sessions? lost/.test(c))).toBe(true);
    expect(captions.some((c) => /Server 1 (crashed|went down)/.test(c))).toBe(false);
  });

  it('a stateless crash loses nothing; with the deny-list store down the caption says no token can be checked', () => {
    const { sim, captions } = captioned({ mode: 'stateless', denyList: true });
    sim.advance(8_000);
    sim.apply({ type: 'failNode', node: 'server-2' });
    expect(captions.at(-1)).toBe('Server 2 crashed: no session lost — every token still verifies on the other nodes');
    sim.apply({ type: 'failStore' });
    sim.apply({ type: 'failNode', node: 'server-3' });
    expect(captions.at(-1)).toBe(
      'Server 3 crashed: no session lost — but with the deny-list store down, no node can check a token',
    );
    expect(sim.metrics().sessionsLost).toBe(0);
  });

  it('a new node joins the pool; a recovered one is back in it', () => {
    const { sim, captions } = captioned({ mode: 'stateless' });
    sim.advance(4_000);
    sim.apply({ type: 'addNode' });
    expect(captions.at(-1)).toBe('Server 4 added: it joins the pool after 2 passing health checks');
    sim.advance(6_000);
    expect(captions).toContain('Server 4 passed 2 health checks: now in the pool');
    sim.apply({ type: 'failNode', node: 'server-4' });
    sim.advance(8_000);
    sim.apply({ type: 'recoverNode', node: 'server-4' });
    sim.advance(6_000);
    expect(captions.at(-1)).toBe('Server 4 passed 2 health checks: back in the pool');
    expect(sim.snapshot().nodes.find((n) => n.id === 'server-4')).toMatchObject({ status: 'up', health: 'up' });
  });
});
