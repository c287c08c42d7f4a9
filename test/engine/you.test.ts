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

describe('what You hold, in the engine: the one source the page builds its requests from', () => {
  const youOf = (sim: ReturnType<typeof createSimulation>) => sim.snapshot().clients.find((c) => c.id === 'you')!.held;

  it('stateless: the token from the login and the cart the answers listed', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 4 });
    const token = (
      sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Ada' } }).body as {
        token: string;
      }
    ).token;
    const bearer = { ...json, authorization: `Bearer ${token}` };
    sim.send({ method: 'POST', path: '/api/cart/items', headers: bearer, body: { item: 'book', cart: [] } });
    sim.send({ method: 'POST', path: '/api/cart/items', headers: bearer, body: { item: 'pen', cart: ['book'] } });
    expect(youOf(sim)).toEqual({
      user: 'Ada',
      token,
      sid: null,
      lb: expect.any(String),
      cart: ['book', 'pen'],
      home: null,
    });
    sim.send({ method: 'POST', path: '/api/logout', headers: bearer });
    expect(youOf(sim)).toMatchObject({ token: null, cart: [] });
  });

  it('stateful: the session cookie the login set; a new login starts an empty cart; a fork holds the same', () => {
    const sim = createSimulation({ mode: 'stateful', clients: 0, seed: 4 });
    const login = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Ada' } });
    const sid = /sid=([^;]+)/.exec(login.headers['set-cookie']!)![1]!;
    const lb = /lb=([^;]+)/.exec(login.headers['set-cookie']!)![1]!;
    const cookie = { ...json, cookie: `sid=${sid}; lb=${lb}` };
    sim.send({ method: 'POST', path: '/api/cart/items', headers: cookie, body: { item: 'book' } });
    expect(youOf(sim)).toMatchObject({ sid, token: null, cart: ['book'] });
    expect(youOf(sim.fork())).toEqual(youOf(sim));
    const again = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Ada' } });
    expect(youOf(sim)).toMatchObject({ sid: /sid=([^;]+)/.exec(again.headers['set-cookie']!)![1], cart: [] });
  });

  it("after a crash destroyed Your session, You's snapshot still says where it lived", () => {
    const sim = createSimulation({ mode: 'stateful', clients: 0, seed: 4 });
    sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'Ada' } });
    const home = youOf(sim)!.home!;
    expect(home).toMatch(/^server-\d$/);
    sim.apply({ type: 'failNode', node: home });
    expect(youOf(sim)).toMatchObject({ home });
    expect(sim.snapshot().clients[0]).toMatchObject({ loggedIn: false, sessionLost: true, sessionNode: null });
  });
});
