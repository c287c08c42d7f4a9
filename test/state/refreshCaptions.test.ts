/** The captions of a store that holds only refresh tokens say what the engine does (not "deny-list"). */
import { describe, expect, it } from 'vitest';
import { createSimulation, type HttpRequest } from '../../src/engine';
import { captionFor } from '../../src/state/captions';

const json = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): HttpRequest =>
  ({ method, path, headers: { 'content-type': 'application/json', ...headers }, body }) as HttpRequest;

describe('captions with refresh tokens', () => {
  it('the token store fails: refreshes get 503, access tokens keep working; back empty: refresh refused', () => {
    const sim = createSimulation({ mode: 'stateless', refreshTokens: true, seed: 6, clients: 12 });
    const captions: string[] = [];
    sim.subscribe((event) => {
      const caption = captionFor(event, sim);
      if (caption !== null) captions.push(caption);
    });
    sim.advance(8_000);
    const grant = sim.send(json('POST', '/api/login', { user: 'you' })).body as { token: string; refreshToken: string };
    sim.apply({ type: 'failStore' });
    const down = captions.at(-1)!;
    expect(down).toMatch(/^The token store failed: every refresh gets 503/);
    expect(down).not.toMatch(/deny-list|session/i);
    const bearer = { authorization: `Bearer ${grant.token}` };
    expect(sim.send(json('GET', '/api/profile', undefined, bearer)).status).toBe(200);
    expect(sim.send(json('POST', '/api/refresh', { refreshToken: grant.refreshToken })).status).toBe(503);
    sim.apply({ type: 'failNode', node: 'server-2' });
    expect(captions.at(-1)).toBe('Server 2 crashed: no session lost — every token still verifies on the other nodes');

    sim.apply({ type: 'recoverStore' });
    expect(captions.at(-1)).toMatch(/^The token store is back — empty: every refresh is refused/);
    expect(sim.send(json('POST', '/api/refresh', { refreshToken: grant.refreshToken })).status).toBe(400);
  });
});
