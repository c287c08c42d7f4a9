/**
 * A parsed `authorization` header remembers what was found out about its token (routes.ts, a speed
 * rule): the signature check's outcome, and the node cache that last held the token, so a client
 * that keeps going to the same node costs one lookup. Each node must still be charged its own
 * check: the first time it sees a token, again after a crash wiped its memory, and in a fork whose
 * node never saw the token (the memo is shared by every simulation on the page).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, createTokenService, type HttpRequest, type Simulation } from '../../src/engine';

const CHECK_MS = 400;

function login(sim: Simulation): string {
  const response = sim.send({
    method: 'POST',
    path: '/api/login',
    headers: { 'content-type': 'application/json' },
    body: { user: 'ada' },
  });
  expect(response.status).toBe(200);
  return (response.body as { token: string }).token;
}

/** The latency of one profile request with the token (its node's check is part of it). */
function profileLatency(sim: Simulation, token: string): number {
  const request: HttpRequest = { method: 'GET', path: '/api/profile', headers: { authorization: `Bearer ${token}` } };
  const response = sim.send(request);
  expect(response.status).toBe(200);
  return sim.inspect(Number(response.headers['x-request-id']))!.latencyMs!;
}

function cluster(): Simulation {
  return createSimulation({ mode: 'stateless', nodes: 1, clients: 0, seed: 5, jwtVerifyCostMs: CHECK_MS });
}

describe('a token check is charged to each node that has not seen the token', () => {
  it('the first time, not the second', () => {
    const sim = cluster();
    const token = login(sim);
    const first = profileLatency(sim, token);
    const second = profileLatency(sim, token);
    expect(first - second).toBeCloseTo(CHECK_MS);
  });

  it('again after a crash wiped the node', () => {
    const sim = cluster();
    const token = login(sim);
    profileLatency(sim, token);
    const remembered = profileLatency(sim, token);
    sim.apply({ type: 'failNode', node: 'server-1' });
    sim.advance(1_000);
    sim.apply({ type: 'recoverNode', node: 'server-1' });
    sim.advance(10_000);
    expect(profileLatency(sim, token) - remembered).toBeCloseTo(CHECK_MS);
    expect(profileLatency(sim, token)).toBeCloseTo(remembered);
  });

  it('in a fork whose node never saw the token, even after the original checked it', () => {
    const sim = cluster();
    const token = login(sim);
    const copy = sim.fork();
    const first = profileLatency(sim, token);
    const second = profileLatency(sim, token);
    expect(profileLatency(copy, token)).toBeCloseTo(first);
    expect(profileLatency(copy, token)).toBeCloseTo(second);
    expect(profileLatency(sim, token)).toBeCloseTo(second);
  });
});

describe('a token just signed brings its fingerprint to its first check', () => {
  const claims = {
    sub: 'ada',
    name: 'Ada',
    role: 'student',
    iat: 1_767_225_600,
    exp: 1_767_225_660,
    jti: '0123456789abcdef',
    iss: 'classroom-shop',
    aud: 'classroom-shop-api',
  };
  const memo = () => ({ checkedBy: 0, outcome: null, fingerprint: -1 });

  it('the same number its text hashes to, for every key', () => {
    // The first check takes the fingerprint computed from the signed bytes; the second, with the
    // token no longer among those just signed, hashes the text. The nodes' caches key on it.
    const tokens = createTokenService('a-secret-of-the-demo-that-is-long-enough-for-hs256');
    for (const kid of ['k1', 'k2']) {
      const token = tokens.sign({ ...claims, sub: `ada-${kid}` }, kid);
      const first = memo();
      const second = memo();
      expect(tokens.verify(token, claims.iat, undefined, first).ok).toBe(true);
      expect(tokens.verify(token, claims.iat, undefined, second).ok).toBe(true);
      expect(first.fingerprint).toBeGreaterThanOrEqual(0);
      expect(first.fingerprint).toBe(second.fingerprint);
    }
  });
});
