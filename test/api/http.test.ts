/**
 * Contract §2 over real HTTP: `fetch` → msw/node → the same handlers the page uses → the simulated
 * balancer and nodes → a real Response. Each test is its own "browser": its own origin, so msw's
 * cookie jar (which keeps mocked Set-Cookie like a browser would) never leaks between tests.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { jwtVerify } from 'jose';
import {
  createSimulation,
  createTokenService,
  decodeToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type SimConfig,
  type Simulation,
} from '../../src/engine';
import { createApiHandlers, REQUEST_ID_HEADER } from '../../src/api/handlers';

let current: Simulation | undefined;
const server = setupServer(...createApiHandlers(() => current));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  current = undefined;
});
afterAll(() => server.close());

let browsers = 0;

/** A fresh cluster with no simulated traffic unless the test advances time, and a fresh origin. */
function cluster(config: Partial<SimConfig>) {
  const sim = createSimulation({ seed: 3, ...config });
  current = sim;
  const origin = `http://browser-${++browsers}.localhost`;
  const call = (
    path: string,
    init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${origin}${path}`, {
      method: init.method ?? (init.body === undefined && init.rawBody === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.rawBody !== undefined
        ? { body: init.rawBody }
        : init.body !== undefined
          ? { body: JSON.stringify(init.body) }
          : {}),
    });
  return { sim, call };
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** `sid=…; lb=…` from a login answer, the way a browser would send them back. */
function cookiesFrom(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

const nowSeconds = (sim: Simulation) => Math.floor((sim.config.epochMs + sim.time) / 1000);

describe('stateful mode: the session lives on a node, the client holds a sid cookie', () => {
  test('login sets sid and the balancer’s lb cookie, and names the node that answered', async () => {
    const { call } = cluster({ mode: 'stateful', sticky: true });
    const login = await call('/api/login', { body: { user: 'you' } });
    expect(login.status).toBe(200);
    expect(await json(login)).toEqual({ user: 'you' });
    const served = login.headers.get('x-served-by');
    expect(served).toMatch(/^server-\d$/);
    const cookies = login.headers.getSetCookie();
    expect(cookies.some((c) => /^sid=[^;]+; Path=\//.test(c))).toBe(true);
    expect(cookies).toContain(`lb=${served}; Path=/; SameSite=Lax`);
  });

  test('profile, cart, checkout and logout work while the session is found', async () => {
    const { call, sim } = cluster({ mode: 'stateful', sticky: true });
    const cookie = cookiesFrom(await call('/api/login', { body: { user: 'you' } }));
    const headers = { cookie };
    const profile = await call('/api/profile', { headers });
    expect(profile.status).toBe(200);
    expect(await json(profile)).toMatchObject({ user: 'you', credential: { kind: 'session' } });
    expect(await json(await call('/api/cart/items', { body: { item: 'book' }, headers }))).toEqual({ cart: ['book'] });
    const cart = await call('/api/cart', { headers });
    expect(await json(cart)).toEqual({ cart: ['book'] });
    expect(cart.headers.get('x-served-by')).toMatch(/^server-\d$/);
    expect(await json(await call('/api/checkout', { body: { step: 1 }, headers }))).toEqual({ step: 1, done: false });
    expect(await json(await call('/api/checkout', { body: { step: 2 }, headers }))).toEqual({ step: 2, done: false });
    expect(await json(await call('/api/checkout', { body: { step: 3 }, headers }))).toEqual({
      step: 3,
      done: true,
      items: 1,
    });
    const logout = await call('/api/logout', { method: 'POST', headers });
    expect(logout.status).toBe(200);
    expect(logout.headers.getSetCookie()).toContain('sid=; Max-Age=0; Path=/; SameSite=Lax');
    const after = await call('/api/profile', { headers });
    expect(after.status).toBe(401);
    expect(sim.metrics().requests.total).toBe(9);
  });

  // msw's Node jar keeps only the first of several Set-Cookie values (sid, not lb), so this uses a
  // shared store, where any node finds the session without stickiness.
  test('msw keeps the sid cookie like a browser: the next request carries it without help', async () => {
    const { call } = cluster({ mode: 'stateful', sessionStore: 'shared' });
    await call('/api/login', { body: { user: 'you' } });
    expect((await call('/api/profile')).status).toBe(200);
  });

  test('POST /api/token is a stateless route: 404 here, and a wrong method is 405', async () => {
    const { call } = cluster({ mode: 'stateful' });
    const token = await call('/api/token', { method: 'POST' });
    expect(token.status).toBe(404);
    expect((await json(token)).reason).toMatch(/only in stateless mode/);
    const wrong = await call('/api/login');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  test('no cookie: 401 with the reason, and the challenge says where to log in for which cookie', async () => {
    const { call } = cluster({ mode: 'stateful' });
    const response = await call('/api/profile');
    expect(response.status).toBe(401);
    expect(await json(response)).toEqual({
      error: 'unauthorized',
      reason: expect.stringContaining('no session cookie'),
    });
    // RFC 9110: a 401 names a challenge. Sessions have no registered scheme; this one names the form and the cookie.
    expect(response.headers.get('www-authenticate')).toBe(
      'Cookie realm="classroom-shop", form-action="/api/login", cookie-name="sid"',
    );
  });

  test('HEAD is GET without the body: the same status and headers, wherever GET is', async () => {
    const { call } = cluster({ mode: 'stateful', sessionStore: 'shared' });
    await call('/api/login', { body: { user: 'you' } });
    const get = await call('/api/profile');
    const head = await call('/api/profile', { method: 'HEAD' });
    expect([head.status, get.status]).toEqual([200, 200]);
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
    expect(await head.text()).toBe('');
    expect((await call('/api/cart', { method: 'HEAD' })).status).toBe(200);
    // Without a session: the same 401 and challenge as GET, no body.
    const refused = await call('/api/profile', { method: 'HEAD', headers: { cookie: 'sid=nope' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Cookie /);
    expect(await refused.text()).toBe('');
  });

  test('the node holding the session fails: the session is lost and the next request gets 401', async () => {
    const { call, sim } = cluster({ mode: 'stateful', sticky: true, clients: 0 });
    const login = await call('/api/login', { body: { user: 'you' } });
    const holder = login.headers.get('x-served-by')!;
    sim.apply({ type: 'failNode', node: holder });
    sim.advance(10_000); // the health checks notice; the balancer redispatches to a live node
    const response = await call('/api/profile', { headers: { cookie: cookiesFrom(login) } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-served-by')).not.toBe(holder);
    expect((await json(response)).reason).toMatch(/no session .* lost/);
    expect(sim.metrics().sessionsLost).toBe(1);
  });
});

describe('stateless mode: identity travels in a signed token, the cart with the client', () => {
  async function loggedIn(config: Partial<SimConfig> = {}) {
    const context = cluster({ mode: 'stateless', ...config });
    const login = await context.call('/api/login', { body: { user: 'you' } });
    const body = await json(login);
    return { ...context, login, token: body.token as string };
  }

  test('login answers a JWT that a standard library verifies with jwtSecret', async () => {
    const { login, token, sim } = await loggedIn();
    expect(login.status).toBe(200);
    expect(login.headers.get('x-served-by')).toMatch(/^server-\d$/);
    const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(sim.config.jwtSecret), {
      currentDate: new Date(sim.config.epochMs + sim.time),
    });
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: 'you' });
    expect(typeof payload.iat).toBe('number');
    expect(typeof payload.exp).toBe('number');
  });

  test('profile, cart, checkout, refresh and logout with Authorization: Bearer', async () => {
    const { call, token } = await loggedIn();
    const headers = { authorization: `Bearer ${token}` };
    expect(await json(await call('/api/profile', { headers }))).toMatchObject({
      user: 'you',
      credential: { kind: 'token' },
    });
    expect(await json(await call('/api/cart/items', { body: { item: 'pen', cart: ['book'] }, headers }))).toEqual({
      cart: ['book', 'pen'],
    });
    expect(await json(await call('/api/cart', { headers: { ...headers, 'x-cart': '["book","pen"]' } }))).toEqual({
      cart: ['book', 'pen'],
    });
    expect(await json(await call('/api/checkout', { body: { step: 3, cart: ['book', 'pen'] }, headers }))).toEqual({
      step: 3,
      done: true,
      items: 2,
    });
    const refreshed = await json(await call('/api/token', { method: 'POST', headers }));
    expect(typeof refreshed.token).toBe('string');
    const logout = await call('/api/logout', { method: 'POST', headers });
    expect(logout.status).toBe(200);
    expect((await json(logout)).note).toMatch(/stays valid/);
  });

  test('401 for a missing token', async () => {
    const { call } = await loggedIn();
    const response = await call('/api/profile');
    expect(response.status).toBe(401);
    expect((await json(response)).reason).toMatch(/missing token/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  test('401 for a token changed in any byte: payload or signature', async () => {
    const { call, token } = await loggedIn();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const changed of [
      `${header}.${flip(payload, 5)}.${signature}`,
      `${header}.${payload}.${flip(signature, 3)}`,
      `${flip(header, 2)}.${payload}.${signature}`,
    ]) {
      const response = await call('/api/profile', { headers: { authorization: `Bearer ${changed}` } });
      expect(response.status).toBe(401);
    }
    const decoded = decodeToken(token)!;
    const admin = Buffer.from(JSON.stringify({ ...decoded.payload, role: 'admin' })).toString('base64url');
    const response = await call('/api/profile', {
      headers: { authorization: `Bearer ${header}.${admin}.${signature}` },
    });
    expect(response.status).toBe(401);
    expect((await json(response)).reason).toMatch(/signature does not verify/);
  });

  test('401 for alg none', async () => {
    const { call, token } = await loggedIn();
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const response = await call('/api/profile', {
      headers: { authorization: `Bearer ${none}.${token.split('.')[1]}.` },
    });
    expect(response.status).toBe(401);
    expect((await json(response)).reason).toMatch(/alg "none"/);
  });

  test('401 for an expired token, correctly signed', async () => {
    const { call, sim } = await loggedIn();
    const now = nowSeconds(sim);
    const expired = createTokenService(sim.config.jwtSecret).sign({
      sub: 'you',
      name: 'You',
      role: 'student',
      iat: now - 600,
      exp: now - 60,
      jti: 'old',
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
    });
    const response = await call('/api/profile', { headers: { authorization: `Bearer ${expired}` } });
    expect(response.status).toBe(401);
    expect((await json(response)).reason).toMatch(/token expired/);
  });

  test('a node crash loses nothing: the same token works on any live node', async () => {
    const { call, sim, token, login } = await loggedIn({ clients: 0 });
    sim.apply({ type: 'failNode', node: login.headers.get('x-served-by')! });
    sim.advance(10_000);
    const response = await call('/api/profile', { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });
});

describe('the balancer and the adapter', () => {
  test('502 when the chosen node is down and not yet detected (no retries)', async () => {
    const { call, sim } = cluster({ mode: 'stateless', retries: 0, sticky: false, clients: 0 });
    sim.apply({ type: 'failNode', node: 'server-2' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call('/api/login', { body: { user: 'you' } });
      statuses.push(response.status);
      if (response.status === 502) {
        expect(response.headers.get('x-served-by')).toBeNull();
        expect((await json(response)).reason).toMatch(/server-2 refused the connection/);
      }
    }
    expect(statuses).toContain(502);
  });

  test('503 when no node is healthy', async () => {
    const { call, sim } = cluster({ mode: 'stateful', clients: 0 });
    for (const node of ['server-1', 'server-2', 'server-3']) sim.apply({ type: 'failNode', node });
    sim.advance(10_000);
    const response = await call('/api/login', { body: { user: 'you' } });
    expect(response.status).toBe(503);
    expect((await json(response)).reason).toMatch(/no healthy node/);
  });

  test('404 for an unknown route, answered by a node', async () => {
    const { call } = cluster({ mode: 'stateful' });
    const response = await call('/api/nope');
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ error: 'not found' });
    expect(response.headers.get('x-served-by')).toMatch(/^server-\d$/);
  });

  test('400 for a body that is not JSON, with the reason', async () => {
    const { call, sim } = cluster({ mode: 'stateful' });
    const response = await call('/api/login', { rawBody: '{"user": you}' });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      error: 'bad request',
      reason: expect.stringMatching(/not valid JSON/),
    });
    expect(sim.metrics().requests.total).toBe(0);
  });

  test('the answer names its request, and the engine keeps it in full for the inspector', async () => {
    const { call, sim } = cluster({ mode: 'stateful' });
    const response = await call('/api/login?from=test', { body: { user: 'you' } });
    const id = Number(response.headers.get(REQUEST_ID_HEADER));
    const record = sim.inspect(id)!;
    expect(record.client).toBe('you');
    expect(record.request).toMatchObject({ method: 'POST', path: '/api/login?from=test', body: { user: 'you' } });
    expect(record.request.headers['content-type']).toBe('application/json');
    expect(record.response?.status).toBe(200);
    expect(record.node).toBe(response.headers.get('x-served-by'));
  });

  test('no simulation yet: 503 that says so', async () => {
    const response = await fetch('http://browser-none.localhost/api/profile');
    expect(response.status).toBe(503);
  });
});
