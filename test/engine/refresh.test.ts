/**
 * Short expiry plus refresh tokens (`refreshTokens`): the other answer to "a JWT outlives a ban".
 * Access tokens live 15 s; an opaque refresh token, whose record lives in the shared store, buys
 * the next one at POST /api/refresh. Revocation is checked there — once per access lifetime — not on
 * every request: a banned user's stolen access token works at most one short lifetime.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, requestSizeBytes, type HttpResponse, type Simulation } from '../../src/engine';

const json = { 'content-type': 'application/json' };

interface Grant {
  user: string;
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
}

function login(sim: Simulation, user: string): Grant {
  const answer = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user } });
  expect(answer.status).toBe(200);
  return answer.body as Grant;
}

function refresh(sim: Simulation, refreshToken: unknown, headers: Record<string, string> = {}): HttpResponse {
  return sim.send({ method: 'POST', path: '/api/refresh', headers: { ...json, ...headers }, body: { refreshToken } });
}

function profile(sim: Simulation, token: string): HttpResponse {
  return sim.send({ method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${token}` } });
}

function reason(answer: HttpResponse): string {
  return (answer.body as { reason: string }).reason;
}

const ON = { mode: 'stateless', refreshTokens: true, clients: 0, seed: 11 } as const;

describe('refresh tokens (refreshTokens)', () => {
  it('login answers a 15 s access token and an opaque refresh token, never cached; the store keeps its record', () => {
    const sim = createSimulation(ON);
    const answer = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'ada' } });
    expect(answer.headers['cache-control']).toBe('no-store');
    const grant = answer.body as Grant;
    expect(grant.expiresAt - (sim.config.epochMs + sim.time)).toBeLessThanOrEqual(15_000);
    expect(grant.expiresAt - (sim.config.epochMs + sim.time)).toBeGreaterThan(14_000);
    expect(grant.refreshToken).toMatch(/^rt_[0-9a-f]{16}\.[0-9a-f]{16}$/);
    expect(grant.refreshExpiresAt).toBe(sim.config.epochMs + sim.time + 600_000);
    expect(sim.snapshot().store).toMatchObject({ role: 'refresh-tokens', status: 'up', refreshTokens: 1 });
  });

  it('POST /api/refresh trades it for a new access token and a new refresh token; the old one is spent', () => {
    const sim = createSimulation(ON);
    const first = login(sim, 'ada');
    sim.advance(10_000);
    const answer = refresh(sim, first.refreshToken);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const next = answer.body as Grant;
    expect(next.user).toBe('ada');
    expect(next.token).not.toBe(first.token);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(profile(sim, next.token).status).toBe(200);
    expect(sim.metrics().tokensRefreshed).toBe(1);
    expect(sim.snapshot().store!.refreshTokens).toBe(1);

    // The spent token comes back (a copy?): refused, and the whole login's tokens with it.
    const reuse = refresh(sim, first.refreshToken);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant' });
    expect(reason(reuse)).toMatch(/already used/);
    expect(refresh(sim, next.refreshToken).status).toBe(400);
    expect(sim.snapshot().store!.refreshTokens).toBe(0);
  });

  it('each token goes only where it belongs: a refresh token is no access token, nor the other way round', () => {
    const sim = createSimulation(ON);
    const grant = login(sim, 'ada');
    const asAccess = profile(sim, grant.refreshToken);
    expect(asAccess.status).toBe(401);
    expect(asAccess.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(reason(asAccess)).toMatch(/refresh token: it is accepted only at POST \/api\/refresh/);

    const asRefresh = refresh(sim, grant.token);
    expect(asRefresh.status).toBe(400);
    expect(asRefresh.body).toMatchObject({ error: 'invalid_grant' });
    expect(reason(asRefresh)).toMatch(/access token is not a refresh token/);

    expect(refresh(sim, undefined).body).toMatchObject({ error: 'invalid_request' });
    expect(refresh(sim, 'rt_nothex.nothex').body).toMatchObject({ error: 'invalid_grant' });
    // The access token cannot renew itself any more.
    const renewal = sim.send({
      method: 'POST',
      path: '/api/token',
      headers: { authorization: `Bearer ${grant.token}` },
    });
    expect(renewal.status).toBe(400);
    expect(reason(renewal)).toMatch(/POST \/api\/refresh/);
  });

  it('off (the default): no refresh token, /api/refresh is 404, no store', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 11 });
    const grant = login(sim, 'ada');
    expect(grant.refreshToken).toBeUndefined();
    expect(refresh(sim, 'rt_0123456789abcdef.0123456789abcdef').status).toBe(404);
    expect(sim.snapshot().store).toBeNull();
  });

  it('a ban revokes the refresh tokens: the stolen access token works until its short exp, then its refresh is refused', () => {
    const sim = createSimulation(ON);
    const stolen = login(sim, 'ada');
    login(sim, 'bo');
    sim.advance(2_000);
    sim.apply({ type: 'banUser', user: 'ada' });
    expect(sim.snapshot().store!.refreshTokens).toBe(1);
    let ok = 0;
    while (profile(sim, stolen.token).status === 200) {
      ok++;
      sim.advance(1_000);
    }
    // 13 s of the 15 s token were left: 13 answers, one a second (60 s without refresh tokens).
    expect(ok).toBe(13);
    expect(sim.metrics().bannedUserRequestsOk).toBe(13);
    const refused = refresh(sim, stolen.refreshToken);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_grant' });
    expect(reason(refused)).toMatch(/revoked/);
  });

  it('logout revokes the refresh token it is sent', () => {
    const sim = createSimulation(ON);
    const grant = login(sim, 'ada');
    const out = sim.send({
      method: 'POST',
      path: '/api/logout',
      headers: { ...json, authorization: `Bearer ${grant.token}` },
      body: { refreshToken: grant.refreshToken },
    });
    expect(out.status).toBe(200);
    expect(sim.snapshot().store!.refreshTokens).toBe(0);
    expect(refresh(sim, grant.refreshToken).status).toBe(400);
  });

  it('the store is down: refresh answers 503, access tokens keep working (no store on their path); it lost every refresh token', () => {
    const sim = createSimulation(ON);
    const grant = login(sim, 'ada');
    sim.apply({ type: 'failStore' });
    const down = refresh(sim, grant.refreshToken);
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('2');
    expect(reason(down)).toMatch(/token store is down/);
    expect(profile(sim, grant.token).status).toBe(200);
    sim.apply({ type: 'recoverStore' });
    expect(refresh(sim, grant.refreshToken).status).toBe(400);
  });

  it('with a deny-list too, one store holds both and the ban is refused on every request at once', () => {
    const sim = createSimulation({ ...ON, denyList: true });
    const grant = login(sim, 'ada');
    expect(sim.snapshot().store).toMatchObject({ role: 'deny-list', refreshTokens: 1 });
    sim.apply({ type: 'banUser', user: 'ada' });
    expect(profile(sim, grant.token).status).toBe(401);
    expect(sim.snapshot().store).toMatchObject({ bannedUsers: 1, refreshTokens: 0 });
  });

  it('simulated users refresh on their own, a third of a lifetime before expiry, and nobody is sent back to login', () => {
    const sim = createSimulation({ mode: 'stateless', refreshTokens: true, clients: 12, seed: 8 });
    sim.advance(120_000);
    const metrics = sim.metrics();
    // 12 users, 120 s, a refresh every 10–15 s each (logouts start some afresh).
    expect(metrics.tokensRefreshed).toBeGreaterThan(40);
    expect(metrics.relogins).toBe(0);
    expect(metrics.requests.failed).toBe(0);
    const refreshes = sim.recentEvents().filter((e) => e.type === 'request.sent' && e.path === '/api/refresh');
    expect(refreshes.length).toBeGreaterThan(0);
    expect(sim.snapshot().store!.refreshTokens).toBeGreaterThan(0);
    expect(sim.snapshot().store!.refreshTokens).toBeLessThanOrEqual(12);
  });

  it('a thief with a stolen access token: served 58 s after the ban without refresh tokens, 13 s with them', () => {
    // The thief asks once a second with the copy, as long as it works; a ban 2 s after the login.
    const thief = (refreshTokens: boolean) => {
      const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 11, refreshTokens });
      const stolen = login(sim, 'ada');
      sim.advance(2_000);
      sim.apply({ type: 'banUser', user: 'ada' });
      while (profile(sim, stolen.token).status === 200) sim.advance(1_000);
      return sim.metrics().bannedUserRequestsOk;
    };
    const plain = thief(false);
    const refreshing = thief(true);
    expect(plain).toBe(58);
    expect(refreshing).toBe(13);
    console.log(
      `stolen token after a ban: ${plain} answers 200 with a 60 s token, ${refreshing} with a 15 s access token`,
    );
  });

  it('simulated: every banned user is served at most one access lifetime after the ban', () => {
    const run = (refreshTokens: boolean, seed: number) => {
      const sim = createSimulation({ mode: 'stateless', clients: 12, seed, refreshTokens });
      sim.advance(15_000);
      for (let i = 1; i <= 12; i++) sim.apply({ type: 'banUser', user: `c${i}` });
      const at = sim.time;
      let lastOk = at;
      let seen = 0;
      for (let t = 0; t < 90; t++) {
        sim.advance(1_000);
        const now = sim.metrics().bannedUserRequestsOk;
        if (now > seen) lastOk = sim.time;
        seen = now;
      }
      return { ok: seen, servedForMs: lastOk - at, refreshes: sim.metrics().tokensRefreshed };
    };
    for (const seed of [8, 9, 10]) {
      const refreshing = run(true, seed);
      expect(refreshing.servedForMs).toBeLessThanOrEqual(15_000);
      expect(refreshing.ok).toBeGreaterThan(0);
      expect(run(false, seed).ok).toBeGreaterThan(0);
    }
  });

  it("a simulated refresh's and logout's size is what requestSizeBytes counts for the message sent", () => {
    const sim = createSimulation({ mode: 'stateless', refreshTokens: true, clients: 30, seed: 8, eventLogSize: 5_000 });
    const sizes = new Map<number, number>();
    sim.subscribe((event) => {
      if (event.type === 'request.sent') sizes.set(event.id, event.sizeBytes);
    });
    sim.advance(40_000);
    const paths = new Set<string>();
    for (const [id, sizeBytes] of sizes) {
      const record = sim.inspect(id)!;
      paths.add(record.request.path);
      expect(sizeBytes, record.request.path).toBe(requestSizeBytes(record.request));
    }
    expect(paths).toContain('/api/refresh');
    expect(paths).toContain('/api/logout');
  });

  it('a fork keeps the refresh records', () => {
    const sim = createSimulation(ON);
    const grant = login(sim, 'ada');
    const copy = sim.fork();
    expect(refresh(copy, grant.refreshToken).status).toBe(200);
    expect(refresh(sim, grant.refreshToken).status).toBe(200);
  });
});
