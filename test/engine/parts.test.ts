/** Unit tests of the engine's parts: configuration, balancer, health checks, nodes, send(). */
import { describe, expect, it } from 'vitest';
import { ConfigError, createSimulation, type HttpRequest } from '../../src/engine';
import { drive } from '../helpers/driver';

const login = (user: string, cookie?: string): HttpRequest => ({
  method: 'POST',
  path: '/api/login',
  headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  body: { user },
});

describe('configuration', () => {
  it('has the contract defaults', () => {
    const { config } = createSimulation();
    expect(config).toMatchObject({
      seed: 1,
      mode: 'stateful',
      sessionStore: 'memory',
      sticky: true,
      balancer: 'round-robin',
      nodes: 3,
      clients: 12,
    });
    expect(config.jwtSecret.length).toBeGreaterThan(0);
  });

  it.each([
    [{ mode: 'stateles' }, /config\.mode must be one of 'stateless', 'stateful'/],
    [{ balancer: 'fastest' }, /config\.balancer must be one of/],
    [{ nodes: 0 }, /config\.nodes must be an integer from 1 to 32/],
    [{ clients: 2.5 }, /config\.clients must be an integer/],
    [{ sticky: 'yes' }, /config\.sticky must be true or false/],
    [{ jwtSecret: '' }, /config\.jwtSecret/],
    [{ colour: 'red' }, /config\.colour is not a setting/],
  ])('refuses %j with a message naming the field', (bad, message) => {
    expect(() => createSimulation(bad as never)).toThrow(ConfigError);
    expect(() => createSimulation(bad as never)).toThrow(message);
  });
});

describe('the balancer', () => {
  it('round-robin spreads stateless requests evenly over the nodes', () => {
    const byNode = drive({ mode: 'stateless', sticky: false, clients: 30, seed: 3 }).for(60_000).sim.metrics().byNode;
    const counts = Object.values(byNode);
    expect(counts).toHaveLength(3);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('random spreads load roughly evenly, and least-connections too', () => {
    for (const balancer of ['random', 'least-connections'] as const) {
      const counts = Object.values(
        drive({ mode: 'stateless', sticky: false, balancer, clients: 30, seed: 3 }).for(60_000).sim.metrics().byNode,
      );
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      for (const count of counts) expect(Math.abs(count - mean) / mean).toBeLessThan(0.15);
    }
  });

  it('least-connections avoids a node that is slow to answer', () => {
    const sim = createSimulation({
      mode: 'stateless',
      sticky: false,
      balancer: 'least-connections',
      clients: 0,
      nodes: 2,
    });
    // Two outside logins in a row: with nothing in flight, ties go round-robin.
    const first = sim.send(login('a')).headers['x-served-by'];
    const second = sim.send(login('b')).headers['x-served-by'];
    expect(new Set([first, second])).toEqual(new Set(['server-1', 'server-2']));
  });

  it('sticky: inserts an lb cookie once, then keeps the client on that node', () => {
    const sim = createSimulation({ mode: 'stateful', clients: 0 });
    const first = sim.send(login('ada'));
    const node = first.headers['x-served-by']!;
    expect(first.headers['set-cookie']).toContain(`lb=${node}`);
    const sid = /sid=([0-9a-f]+)/.exec(first.headers['set-cookie']!)![1]!;
    for (let i = 0; i < 5; i++) {
      const again = sim.send({ method: 'GET', path: '/api/profile', headers: { cookie: `sid=${sid}; lb=${node}` } });
      expect(again.status).toBe(200);
      expect(again.headers['x-served-by']).toBe(node);
      expect(again.headers['set-cookie']).toBeUndefined();
    }
  });

  it('redispatches a sticky client when its node is marked down, and re-pins it', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0 });
    sim.apply({ type: 'failNode', node: 'server-2' });
    sim.advance(6_500);
    const response = sim.send({
      method: 'POST',
      path: '/api/login',
      headers: { cookie: 'lb=server-2' },
      body: { user: 'bo' },
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-served-by']).not.toBe('server-2');
    expect(response.headers['set-cookie']).toContain(`lb=${response.headers['x-served-by']}`);
  });
});

describe('health checks', () => {
  it('mark a crashed node down after 3 failed checks and a recovered one up after 2 passing ones', () => {
    const run = drive({ mode: 'stateless', seed: 1 }, { record: true });
    run.for(1_000).fail('server-1');
    run.for(5_999);
    expect(run.node('server-1').health).toBe('down'); // checks at 2 s, 4 s, 6 s
    run.recover('server-1').for(2_000);
    expect(run.node('server-1').health).toBe('down'); // one pass at 8 s
    run.for(2_000);
    expect(run.node('server-1').health).toBe('up'); // second pass at 10 s
    const marks = run.events
      .filter((e) => e.type === 'node.marked')
      .map((e) => [e.time, e.type === 'node.marked' && e.health]);
    expect(marks).toEqual([
      [6_000, 'down'],
      [10_000, 'up'],
    ]);
  });

  it('until they notice, a refused connection is retried on another node', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, sticky: false });
    sim.apply({ type: 'failNode', node: 'server-1' });
    const response = sim.send(login('cy')); // round-robin starts at server-1
    expect(response.status).toBe(200);
    expect(response.headers['x-served-by']).toBe('server-2');
    expect(sim.metrics().balancer).toMatchObject({ refused: 1, retried: 1 });
  });

  it('with retries off, a dead node not yet detected answers 502', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, sticky: false, retries: 0 });
    sim.apply({ type: 'failNode', node: 'server-1' });
    const response = sim.send(login('cy'));
    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      error: 'bad gateway',
      reason: expect.stringMatching(/server-1 refused the connection/),
    });
    expect(response.headers['x-served-by']).toBeUndefined();
  });
});

describe('nodes', () => {
  it('queue requests beyond their workers, and a crash fails everything inside with 502', () => {
    const run = drive(
      { mode: 'stateless', nodes: 1, workersPerNode: 1, serviceTimeMs: 2_000, clients: 6, seed: 2 },
      { record: true },
    );
    run.for(6_000);
    const inside = run.node('server-1').inFlight;
    expect(run.node('server-1').queued).toBeGreaterThan(0);
    const failedBefore = run.sim.metrics().byStatus[502] ?? 0;
    run.fail('server-1').for(100);
    expect(run.node('server-1').inFlight).toBe(0);
    expect((run.sim.metrics().byStatus[502] ?? 0) - failedBefore).toBe(inside);
  });

  it('are added with the next id and removed by id; unknown ids are refused with the list', () => {
    const sim = createSimulation({ clients: 0 });
    sim.apply({ type: 'addNode' });
    sim.apply({ type: 'removeNode', node: 'server-2' });
    expect(sim.snapshot().nodes.map((n) => n.id)).toEqual(['server-1', 'server-3', 'server-4']);
    expect(() => sim.apply({ type: 'failNode', node: 'server-9' })).toThrow(
      /no node "server-9"; nodes are server-1, server-3, server-4/,
    );
    expect(() => sim.apply({ type: 'failStore' })).toThrow(/no shared store/);
    expect(() => sim.apply({ type: 'explode' } as never)).toThrow(/unknown command/);
  });
});

describe('send() from an outside client', () => {
  it('answers every route of the API in stateful mode with a real session cookie', () => {
    const sim = createSimulation({ mode: 'stateful', clients: 0 });
    const loggedIn = sim.send(login('you'));
    expect(loggedIn.status).toBe(200);
    const cookies = loggedIn.headers['set-cookie']!;
    const cookie = ['sid', 'lb'].map((name) => new RegExp(`${name}=[^;,]+`).exec(cookies)![0]).join('; ');
    const call = (method: string, path: string, body?: unknown) =>
      sim.send({ method, path, headers: { cookie, 'content-type': 'application/json' }, body });
    expect(call('GET', '/api/profile')).toMatchObject({ status: 200, body: { user: 'you' } });
    expect(call('POST', '/api/cart/items', { item: 'book' })).toMatchObject({ status: 200, body: { cart: ['book'] } });
    expect(call('GET', '/api/cart')).toMatchObject({ status: 200, body: { cart: ['book'] } });
    expect(call('POST', '/api/checkout', { step: 2 })).toMatchObject({ status: 409 });
    for (const step of [1, 2])
      expect(call('POST', '/api/checkout', { step })).toMatchObject({ status: 200, body: { step, done: false } });
    expect(call('POST', '/api/checkout', { step: 3 })).toMatchObject({ status: 200, body: { done: true, items: 1 } });
    expect(call('POST', '/api/logout').headers['set-cookie']).toMatch(/sid=; Max-Age=0/);
    expect(call('GET', '/api/profile')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  it('answers the stateless API with the cart carried by the client', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0 });
    const token = (sim.send(login('you')).body as { token: string }).token;
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      sim.send({ method, path, headers: { authorization: `Bearer ${token}`, ...headers }, body });
    expect(call('POST', '/api/cart/items', { item: 'mug', cart: ['pen'] })).toMatchObject({
      status: 200,
      body: { cart: ['pen', 'mug'] },
    });
    expect(call('GET', '/api/cart', undefined, { 'x-cart': '["pen","mug"]' })).toMatchObject({
      status: 200,
      body: { cart: ['pen', 'mug'] },
    });
    expect(call('POST', '/api/checkout', { step: 3, cart: ['pen'] })).toMatchObject({
      status: 200,
      body: { done: true },
    });
    expect(call('POST', '/api/token').status).toBe(200);
    expect(call('POST', '/api/logout')).toMatchObject({ status: 200, body: { ok: true } });
    // Logging out does not revoke a token: that would need a deny-list, which is state.
    expect(call('GET', '/api/profile').status).toBe(200);
  });

  it('never throws: unknown routes get 404, bad bodies 400, bad methods 405, bad shapes 400', () => {
    const sim = createSimulation({ clients: 0 });
    expect(sim.send({ method: 'GET', path: '/api/nothing', headers: {} })).toMatchObject({
      status: 404,
      body: { error: 'not found' },
    });
    expect(sim.send({ method: 'POST', path: '/api/login', headers: {}, body: 'ada' })).toMatchObject({
      status: 400,
      body: { reason: expect.any(String) },
    });
    expect(sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: '<script>' } })).toMatchObject({
      status: 400,
    });
    expect(sim.send({ method: 'DELETE', path: '/api/login', headers: {} })).toMatchObject({
      status: 405,
      headers: { allow: 'POST' },
    });
    expect(sim.send(null as never)).toMatchObject({ status: 400 });
    expect(sim.send({ method: 'GET', path: 'api', headers: {} })).toMatchObject({ status: 400 });
    expect(sim.send({ method: 'GET', path: '/api/profile', headers: { Cookie: 'x' } })).toMatchObject({ status: 400 });
  });

  it('is kept in full for the inspector, with its size in bytes', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0 });
    const events: number[] = [];
    sim.subscribe((event) => {
      if (event.type === 'request.finished') events.push(event.id);
    });
    sim.send(login('you'));
    const response = sim.send(login('you2'));
    expect(sim.inspect(Number(response.headers['x-request-id']))!.request.body).toEqual({ user: 'you2' });
    const record = sim.inspect(events[0]!)!;
    expect(record).toMatchObject({
      client: 'you',
      request: { path: '/api/login' },
      response: { status: 200 },
      node: 'server-1',
      attempts: 1,
    });
    expect(record.sizeBytes).toBe(
      'POST /api/login HTTP/1.1\r\ncontent-type: application/json\r\n\r\n{"user":"you"}'.length,
    );
  });

  it('is kept for the last eventLogSize requests only: older ones, unknown and future ids give null', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, eventLogSize: 5 });
    const ids = Array.from({ length: 12 }, (_, i) => Number(sim.send(login(`you${i}`)).headers['x-request-id']));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(ids.map((id) => sim.inspect(id)?.request.body ?? null)).toEqual([
      ...Array.from({ length: 7 }, () => null),
      ...[7, 8, 9, 10, 11].map((i) => ({ user: `you${i}` })),
    ]);
    for (const id of [0, -3, 13, 2.5, Number.NaN]) expect(sim.inspect(id)).toBeNull();
  });
});

describe('"You", the outside client', () => {
  it('joins the users once it sends a request, and loses its session with its node like anyone', () => {
    const sim = createSimulation({ mode: 'stateful', seed: 3 });
    sim.advance(5_000);
    expect(sim.snapshot().clients.some((c) => c.id === 'you')).toBe(false);
    const login = sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'alice' } });
    const cookie = (login.headers['set-cookie'] ?? '')
      .split(', ')
      .map((c) => c.split(';')[0])
      .join('; ');
    sim.send({ method: 'POST', path: '/api/cart/items', headers: { cookie }, body: { item: 'book' } });
    const you = sim.snapshot().clients[0]!;
    const node = login.headers['x-served-by']!;
    expect(you).toMatchObject({
      id: 'you',
      name: 'You',
      loggedIn: true,
      cartItems: 1,
      credential: 'cookie',
      sessionNode: node,
    });
    expect(sim.snapshot().nodes.find((n) => n.id === node)!.sessionClients).toContain('you');

    const events: string[][] = [];
    sim.subscribe((event) => {
      if (event.type === 'session.lost') events.push(event.clients);
    });
    sim.apply({ type: 'failNode', node });
    expect(events[0]).toContain('you');
    expect(sim.snapshot().clients[0]).toMatchObject({ loggedIn: false, sessionLost: true, cartItems: 0 });
    sim.advance(7_000);
    expect(sim.send({ method: 'GET', path: '/api/profile', headers: { cookie } }).status).toBe(401);
    expect(sim.snapshot().clients[0]).toMatchObject({ loggedIn: false, sessionLost: false, relogins: 1 });
  });
});
