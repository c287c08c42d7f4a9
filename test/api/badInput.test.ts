/**
 * Bad input on every route (issue 11), as a student sends it from the console: forged, truncated,
 * oversized and non-JSON tokens and bodies, unknown routes, wrong methods. Over real HTTP (fetch →
 * msw/node → the page's adapter → the simulated cluster) and straight into the engine's routes.
 * Every answer is a 4xx with a JSON `{ error, reason }` and valid headers — never a 5xx — and the
 * cluster keeps working afterwards.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { setupServer } from 'msw/node';
import { createHmac } from 'node:crypto';
import {
  createSimulation,
  DEFAULT_CONFIG,
  MAX_TOKEN_CHARS,
  type HttpRequest,
  type HttpResponse,
  type Mode,
  type Simulation,
} from '../../src/engine';
import { createApiHandlers, type ApiTarget } from '../../src/api/handlers';
import { REQUEST_LIMITS } from '../../src/api/convert';

let current: ApiTarget | undefined;
const server = setupServer(...createApiHandlers(() => current));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  current = undefined;
});
afterAll(() => server.close());

let browsers = 0;
type Init = { method?: string; headers?: Record<string, string>; body?: BodyInit };

/** A fresh cluster with no simulated traffic, and a fresh origin (its own cookie jar). */
function cluster(mode: Mode) {
  // A shared store: msw's jar keeps only the sid cookie (not lb), so any node must find the session.
  const sim = createSimulation({ seed: 11, mode, clients: 0, denyList: mode === 'stateless', sessionStore: 'shared' });
  current = sim;
  const origin = `http://bad-input-${++browsers}.localhost`;
  const call = (path: string, init: Init = {}) =>
    fetch(`${origin}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
  return { sim, call };
}

/** Logged in: stateless answers a token (sent by hand), stateful a sid cookie (msw's jar keeps it). */
async function loggedIn(mode: Mode) {
  const context = cluster(mode);
  const login = await context.call('/api/login', { body: JSON.stringify({ user: 'you' }) });
  expect(login.status).toBe(200);
  const token = ((await login.json()) as { token?: string }).token;
  const credential: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  return { ...context, token: token ?? '', credential };
}

/** RFC 6750 §3: a Bearer challenge; error_description in %x20-21 / %x23-5B / %x5D-7E. */
const CHALLENGE =
  /^(Bearer realm="[\x20\x21\x23-\x5b\x5d-\x7e]*"(, error="(invalid_token|invalid_request)", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]*")?|Cookie realm="classroom-shop", form-action="\/api\/login", cookie-name="sid")$/;

/** What every refusal must look like: the status, JSON { error, reason }, valid headers, no internals. */
async function expectRefusal(response: Response, statuses: number[], what: string): Promise<Record<string, unknown>> {
  expect(statuses, `${what}: status ${response.status}`).toContain(response.status);
  expect(response.headers.get('content-type'), what).toMatch(/application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body, what).toEqual({ error: expect.any(String), reason: expect.any(String) });
  expect(String(body.reason), what).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  const challenge = response.headers.get('www-authenticate');
  if (challenge !== null) expect(challenge, what).toMatch(CHALLENGE);
  return body;
}

const segment = (value: unknown): string =>
  Buffer.from(value instanceof Uint8Array ? value : JSON.stringify(value)).toString('base64url');
/** A token with this header and payload, correctly signed with the cluster's secret. */
function signed(header: unknown, payload: unknown): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${createHmac('sha256', DEFAULT_CONFIG.jwtSecret).update(input).digest('base64url')}`;
}

/** Authorization headers a student might send, made from a real token; and the statuses allowed. */
function badAuthorizations(token: string): { name: string; authorization: string; status: number[] }[] {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return [
    {
      name: 'forged: role admin under the old signature',
      authorization: `Bearer ${header}.${segment({ ...claims, role: 'admin' })}.${signature}`,
      status: [401],
    },
    {
      name: 'forged: signed with a guessed secret',
      authorization: `Bearer ${header}.${payload}.${createHmac('sha256', 'secret').update(`${header}.${payload}`).digest('base64url')}`,
      status: [401],
    },
    { name: 'truncated signature', authorization: `Bearer ${token.slice(0, -10)}`, status: [401] },
    { name: 'truncated to two parts', authorization: `Bearer ${header}.${payload}`, status: [401] },
    { name: 'truncated to 20 characters', authorization: `Bearer ${token.slice(0, 20)}`, status: [401] },
    { name: 'alg none', authorization: `Bearer ${segment({ alg: 'none' })}.${payload}.`, status: [401] },
    {
      name: 'non-JSON parts',
      authorization: `Bearer ${segment(new TextEncoder().encode('not json'))}.${segment(new TextEncoder().encode('{oops'))}.${signature}`,
      status: [401],
    },
    {
      name: 'an alg outside Latin-1',
      authorization: `Bearer ${signed({ alg: 'HS256\u2603\u{1F600}', typ: 'JWT' }, claims)}`,
      status: [401],
    },
    {
      name: 'quotes and backslashes in the alg',
      authorization: `Bearer ${signed({ alg: 'a"b\\c\r\nx' }, claims)}`,
      status: [401],
    },
    {
      name: 'an unknown crit extension',
      authorization: `Bearer ${signed({ alg: 'HS256', crit: ['x'] }, claims)}`,
      status: [401],
    },
    {
      name: 'aud for another service',
      authorization: `Bearer ${signed({ alg: 'HS256' }, { ...claims, aud: 'billing' })}`,
      status: [401],
    },
    {
      name: `a token just over ${MAX_TOKEN_CHARS} characters`,
      authorization: `Bearer ${'A'.repeat(MAX_TOKEN_CHARS + 1)}`,
      status: [401],
    },
    { name: 'a 1 MB token', authorization: `Bearer ${'A'.repeat(1_000_000)}`, status: [400] },
    { name: 'Bearer and nothing', authorization: 'Bearer', status: [400] },
    { name: 'two tokens', authorization: `Bearer ${token} ${token}`, status: [400] },
    { name: 'Latin-1 letters in the token', authorization: 'Bearer é.é.é', status: [400] },
    { name: 'another scheme', authorization: 'Basic eW91OnB3', status: [401] },
    { name: 'JSON instead of a token', authorization: 'Bearer {"sub":"you"}', status: [400] },
  ];
}

/** Routes that need the caller's identity, with a body each would otherwise accept. */
const AUTHENTICATED: { method: string; path: string; body?: unknown; headers?: Record<string, string> }[] = [
  { method: 'POST', path: '/api/token' },
  { method: 'GET', path: '/api/profile' },
  { method: 'GET', path: '/api/cart', headers: { 'x-cart': '["book"]' } },
  { method: 'POST', path: '/api/cart/items', body: { item: 'pen', cart: [] } },
  { method: 'POST', path: '/api/checkout', body: { step: 1, cart: ['book'] } },
  { method: 'POST', path: '/api/logout' },
];

describe('tokens: forged, truncated, oversized, non-JSON — on every route that checks one', () => {
  test('each is refused with 400/401, a JSON reason and a valid RFC 6750 challenge; never a 5xx', async () => {
    const { call, token, credential } = await loggedIn('stateless');
    for (const bad of badAuthorizations(token)) {
      for (const route of AUTHENTICATED) {
        const response = await call(route.path, {
          method: route.method,
          headers: { ...route.headers, authorization: bad.authorization },
          ...(route.body !== undefined ? { body: JSON.stringify(route.body) } : {}),
        });
        await expectRefusal(response, bad.status, `${bad.name} → ${route.method} ${route.path}`);
      }
    }
    // Nothing disturbed: the real token still works everywhere.
    for (const route of AUTHENTICATED.filter((r) => r.path !== '/api/logout')) {
      const response = await call(route.path, {
        method: route.method,
        headers: { ...route.headers, ...credential },
        ...(route.body !== undefined ? { body: JSON.stringify(route.body) } : {}),
      });
      expect(response.status, `${route.method} ${route.path} with the real token`).toBe(200);
    }
  }, 60_000);

  test('an alg outside Latin-1 is a 401 whose challenge is a valid header, not a 500 with a stack', async () => {
    const { call, token } = await loggedIn('stateless');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as unknown;
    const response = await call('/api/profile', {
      headers: { authorization: `Bearer ${signed({ alg: '\u{1F600}HS256' }, claims)}` },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(CHALLENGE);
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token", error_description="alg '\?HS256'/);
    expect(((await response.json()) as { reason: string }).reason).toMatch(/alg "\u{1F600}HS256" is not accepted/u);
  });

  test('no credentials: 401 with the realm and no error code (RFC 6750 §3.1)', async () => {
    const { call } = await loggedIn('stateless');
    for (const headers of [{}, { authorization: 'Basic eW91OnB3' }]) {
      const response = await call('/api/profile', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="classroom-shop"');
    }
  });

  test('a malformed Bearer header is invalid_request (400); a bad token is invalid_token (401)', async () => {
    const { call } = await loggedIn('stateless');
    const malformed = await call('/api/profile', { headers: { authorization: 'Bearer a b' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="classroom-shop", error="invalid_request"/,
    );
    const invalid = await call('/api/profile', { headers: { authorization: 'Bearer a.b.c' } });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toMatch(/^Bearer realm="classroom-shop", error="invalid_token"/);
  });
});

const encoder = new TextEncoder();
/** Bodies that are not what any route takes; every POST route must refuse them the same way. */
const BAD_BODIES: { name: string; body: BodyInit; status: number[] }[] = [
  { name: 'not JSON', body: '{"user": you}', status: [400] },
  { name: 'a form', body: 'user=you&item=pen', status: [400] },
  { name: 'truncated JSON', body: '{"user":"yo', status: [400] },
  { name: 'XML', body: '<user>you</user>', status: [400] },
  {
    name: 'invalid UTF-8',
    body: new Uint8Array([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    status: [400],
  },
  { name: 'nested 10,000 deep', body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`, status: [400] },
  { name: '1 MB of JSON', body: JSON.stringify({ user: 'x'.repeat(1_000_000), item: 'x', step: 1 }), status: [413] },
  { name: '1 MB of junk', body: encoder.encode('\u0000'.repeat(1_000_000)), status: [413] },
  { name: 'just over the body limit', body: `"${'x'.repeat(REQUEST_LIMITS.bodyBytes - 1)}"`, status: [413] },
];
const POSTS = ['/api/login', '/api/token', '/api/cart/items', '/api/checkout', '/api/logout'];

/** JSON bodies of the wrong shape, per route that reads its body: 400 with a reason. */
const WRONG_SHAPES: Record<string, unknown[]> = {
  '/api/login': [
    null,
    [],
    'you',
    42,
    {},
    { user: 42 },
    { user: '' },
    { user: 'x'.repeat(41) },
    { user: 'a b' },
    { user: ['you'] },
    { user: '<script>' },
  ],
  '/api/cart/items': [
    null,
    [],
    {},
    { item: 7 },
    { item: '' },
    { item: 'x'.repeat(41) },
    { item: {} },
    { item: 'pen', cart: 'book' },
    { item: 'pen', cart: Array(51).fill('a') },
    { item: 'pen', cart: [1] },
  ],
  '/api/checkout': [
    null,
    [],
    {},
    { step: '1' },
    { step: 0 },
    { step: 4 },
    { step: 1.5 },
    { step: Number.MAX_VALUE * 2 },
    { step: 1, cart: {} },
  ],
};

describe('bodies: non-JSON, truncated, oversized, wrong shapes — on every POST route, both modes', () => {
  for (const mode of ['stateless', 'stateful'] as Mode[]) {
    test(`${mode}: 400 or 413 with a reason, never a 5xx, and the cluster works afterwards`, async () => {
      const { call, credential, sim } = await loggedIn(mode);
      for (const path of POSTS) {
        for (const bad of BAD_BODIES) {
          const response = await call(path, { headers: credential, body: bad.body });
          await expectRefusal(response, bad.status, `${mode}: ${bad.name} → POST ${path}`);
        }
      }
      for (const [path, bodies] of Object.entries(WRONG_SHAPES)) {
        for (const body of bodies) {
          // Stateful carts live in the session: the cart field is ignored there, not refused.
          if (mode === 'stateful' && typeof body === 'object' && body !== null && 'cart' in body) continue;
          const response = await call(path, { headers: credential, body: JSON.stringify(body) ?? 'null' });
          await expectRefusal(response, [400], `${mode}: ${JSON.stringify(body).slice(0, 60)} → POST ${path}`);
        }
      }
      const profile = await call('/api/profile', { headers: credential });
      expect(profile.status).toBe(200);
      sim.advance(5_000);
      expect(Object.keys(sim.metrics().byStatus).filter((status) => Number(status) >= 500)).toEqual([]);
    }, 60_000);
  }

  test('stateless: an x-cart header that is not a cart is a 400', async () => {
    const { call, credential } = await loggedIn('stateless');
    for (const cart of ['not json', '{"a":1}', '[1,2]', '"book"', JSON.stringify(Array(51).fill('a')), '[[[[]]]]']) {
      const response = await call('/api/cart', { headers: { ...credential, 'x-cart': cart } });
      await expectRefusal(response, [400], `x-cart: ${cart.slice(0, 30)}`);
    }
  });

  test('a header or cookie over the limits is a 400 from the adapter, and the engine never sees it', async () => {
    const { call, sim } = cluster('stateful');
    const before = sim.metrics().requests.total;
    const oneBig = await call('/api/profile', { headers: { 'x-junk': 'x'.repeat(REQUEST_LIMITS.headerBytes) } });
    const body = await expectRefusal(oneBig, [400], 'one header over 8 KiB');
    expect(body.reason).toMatch(/header or cookie too large/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 8; i++) many[`x-junk-${i}`] = 'x'.repeat(5_000);
    await expectRefusal(await call('/api/profile', { headers: many }), [400], 'headers over 32 KiB in all');
    expect(sim.metrics().requests.total).toBe(before);
  });
});

describe('routes and methods', () => {
  test('unknown routes are 404 with a reason, answered by a node', async () => {
    const { call } = cluster('stateless');
    for (const path of [
      '/api/nope',
      '/api/login/',
      '/api/LOGIN',
      '/api/cart/items/1',
      '/api/%00',
      `/api/${'x'.repeat(5_000)}`,
      '/api/profile%2f..',
    ]) {
      const shown = path.slice(0, 40);
      const response = await call(path);
      const body = await expectRefusal(response, [404], shown);
      expect(String(body.reason).length, shown).toBeLessThan(300);
      expect(response.headers.get('x-served-by'), shown).toMatch(/^server-\d$/);
    }
  });

  test('a wrong method is 405 with allow naming the route’s methods (HEAD wherever GET is)', async () => {
    const { call } = cluster('stateless');
    const cases: [string, string, string][] = [
      ['GET', '/api/login', 'POST'],
      ['PUT', '/api/cart', 'GET, HEAD'],
      ['DELETE', '/api/profile', 'GET, HEAD'],
      ['PATCH', '/api/checkout', 'POST'],
      ['OPTIONS', '/api/logout', 'POST'],
      ['GET', '/api/cart/items', 'POST'],
      ['FOO', '/api/token', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await call(path, { method });
      await expectRefusal(response, [405], `${method} ${path}`);
      expect(response.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
    const head = await call('/api/login', { method: 'HEAD' });
    expect(head.status).toBe(405);
    expect(head.headers.get('allow')).toBe('POST');
  });
});

describe('the adapter never answers 500 with internals', () => {
  const internals = 'TypeError: secret detail at /src/engine/simulation.ts:123';

  test('a target that throws: a generic 500 { error, reason } without a stack or the message', async () => {
    current = {
      send: () => {
        throw new TypeError(internals);
      },
    };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const response = await fetch('http://adapter-bug.localhost/api/profile');
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal server error', reason: expect.any(String) });
      expect(text).not.toMatch(/secret detail|simulation\.ts|\bat\b.*:\d+/);
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1); // the detail goes to the console, for whoever debugs the page
  });

  test('an answer with a header that is not a valid field value: the same generic 500', async () => {
    current = {
      send: (): HttpResponse => ({ status: 200, headers: { 'x-note': 'caf\u00e9 \u2603' }, body: { ok: true } }),
    };
    const original = console.error;
    console.error = () => {};
    try {
      const response = await fetch('http://adapter-header.localhost/api/profile');
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: 'internal server error', reason: expect.any(String) });
    } finally {
      console.error = original;
    }
  });
});

describe('the engine routes, without the adapter', () => {
  function send(sim: Simulation, request: Partial<HttpRequest>): HttpResponse {
    return sim.send({ method: 'GET', path: '/api/profile', headers: {}, ...request });
  }
  function expectEngineRefusal(response: HttpResponse, statuses: number[], what: string): void {
    expect(statuses, `${what}: status ${response.status}`).toContain(response.status);
    expect(response.body, what).toEqual({ error: expect.any(String), reason: expect.any(String) });
    const challenge = response.headers['www-authenticate'];
    if (challenge !== undefined) expect(challenge, what).toMatch(CHALLENGE);
    for (const [name, value] of Object.entries(response.headers)) {
      expect(() => new Headers([[name, value]]), `${what}: header ${name}`).not.toThrow();
    }
  }

  test('every bad token on every authenticated route: 400/401 with a reason and valid headers', () => {
    const sim = createSimulation({ seed: 5, mode: 'stateless', clients: 0, denyList: true });
    const login = sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'you' } });
    const token = (login.body as { token: string }).token;
    const extra = [
      { name: 'a 1 MB token', authorization: `Bearer ${'A'.repeat(1_000_000)}`, status: [401] },
      { name: 'a 1 MB header of spaces', authorization: `Bearer ${' '.repeat(1_000_000)}x y`, status: [400] },
      { name: 'characters outside Latin-1', authorization: 'Bearer \u2603.\u{1F600}.x', status: [400] },
    ];
    for (const bad of [...badAuthorizations(token).filter((b) => b.name !== 'a 1 MB token'), ...extra]) {
      for (const route of AUTHENTICATED) {
        const response = send(sim, {
          method: route.method,
          path: route.path,
          headers: { ...route.headers, authorization: bad.authorization },
          ...(route.body !== undefined ? { body: route.body } : {}),
        });
        expectEngineRefusal(response, bad.status, `${bad.name} → ${route.method} ${route.path}`);
      }
    }
    expect(send(sim, { headers: { authorization: `Bearer ${token}` } }).status).toBe(200);
  }, 60_000);

  test('bodies of every wrong shape and size on every POST route: 400, and the session is untouched', () => {
    for (const mode of ['stateless', 'stateful'] as Mode[]) {
      const sim = createSimulation({ seed: 5, mode, clients: 0, sessionStore: 'shared' });
      const login = sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'you' } });
      const token = (login.body as { token?: string }).token;
      const headers: Record<string, string> =
        token !== undefined
          ? { authorization: `Bearer ${token}` }
          : { cookie: login.headers['set-cookie']!.split(',')[0]!.split(';')[0]! };
      const big = {
        user: 'x'.repeat(1_000_000),
        item: 'x'.repeat(1_000_000),
        step: 1e308,
        cart: Array(100_000).fill('a'),
      };
      for (const [path, bodies] of Object.entries(WRONG_SHAPES)) {
        for (const body of [...bodies, big, 'x'.repeat(1_000_000), Array(100_000).fill(0)]) {
          if (mode === 'stateful' && typeof body === 'object' && body !== null && 'cart' in body && body !== big)
            continue;
          const response = send(sim, { method: 'POST', path, headers, body });
          expectEngineRefusal(response, [400], `${mode}: ${JSON.stringify(body).slice(0, 40)} → POST ${path}`);
        }
      }
      expect(send(sim, { path: '/api/cart', headers }).body).toEqual({ cart: [] });
    }
  }, 60_000);
});
