/** "You", the page's own client, as the stage draws it: only the login You hold decides "logged in". */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../src/engine';

const json = { 'content-type': 'application/json' };

describe('You on the stage', () => {
  it('a tampered token answered 401 does not log You out: You still hold a valid token and its cart', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 2 });
    const login = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Student' } });
    const token = (login.body as { token: string }).token;
    const bearer = { ...json, authorization: `Bearer ${token}` };
    expect(
      sim.send({ method: 'POST', path: '/api/cart/items', headers: bearer, body: { item: 'book', cart: [] } }).status,
    ).toBe(200);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const refused = sim.send({ method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${forged}` } });
    expect(refused.status).toBe(401);
    const you = sim.snapshot().clients.find((c) => c.id === 'you')!;
    expect(you).toMatchObject({
      loggedIn: true,
      cartItems: 1,
      credentialHeader: `authorization: Bearer ${token}`,
      lostAtMs: null,
    });
  });

  it('a 401 for the token You hold (it expired) does log You out, and says when', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 2 });
    const login = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Student' } });
    const token = (login.body as { token: string }).token;
    sim.advance(sim.config.tokenTtlMs + 1_000);
    expect(
      sim.send({ method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${token}` } }).status,
    ).toBe(401);
    expect(sim.snapshot().clients.find((c) => c.id === 'you')).toMatchObject({ loggedIn: false, lostAtMs: sim.time });
  });
});
