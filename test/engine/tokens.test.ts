/**
 * "Tokens, honestly": key rotation with a `kid`, the lazy node that skips the signature check, and
 * a ban that a JWT outlives until exp unless every node reads a deny-list.
 */
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { createSimulation, keyForKid, type HttpResponse, type Simulation } from '../../src/engine';

const json = { 'content-type': 'application/json' };

/** A request pinned to one node by the balancer's sticky cookie. */
function on(node: string, headers: Record<string, string> = {}): Record<string, string> {
  return { ...headers, cookie: `lb=${node}` };
}

function login(sim: Simulation, user: string, node: string): string {
  const answer = sim.send({ method: 'POST', path: '/api/login', headers: on(node, json), body: { user } });
  expect(answer.status).toBe(200);
  return (answer.body as { token: string }).token;
}

function profile(sim: Simulation, token: string, node: string): HttpResponse {
  return sim.send({ method: 'GET', path: '/api/profile', headers: on(node, { authorization: `Bearer ${token}` }) });
}

const NODES = ['server-1', 'server-2', 'server-3'];

describe('key rotation (rotateKey)', () => {
  it('a rotated node signs with the new kid and still accepts the old key; a node left out answers 401 naming the kid', async () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 3 });
    const old = login(sim, 'ada', 'server-1');
    expect(decodeProtectedHeader(old)).toEqual({ alg: 'HS256', typ: 'JWT' });
    sim.apply({ type: 'rotateKey', nodes: ['server-1', 'server-2'] });
    expect(sim.snapshot().nodes.map((n) => n.keyIds)).toEqual([['k1', 'k2'], ['k1', 'k2'], ['k1']]);

    const fresh = login(sim, 'bo', 'server-1');
    expect(decodeProtectedHeader(fresh)).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'k2' });
    // Any JWT library checks it with the key derived for its kid.
    const secret = sim.config.jwtSecret;
    const { payload } = await jwtVerify(fresh, keyForKid(secret, 'k2'), {
      currentDate: new Date(sim.config.epochMs + sim.time),
    });
    expect(payload.sub).toBe('bo');
    await expect(
      jwtVerify(fresh, keyForKid(secret, 'k1'), { currentDate: new Date(sim.config.epochMs + sim.time) }),
    ).rejects.toThrow();

    expect(NODES.map((node) => profile(sim, old, node).status)).toEqual([200, 200, 200]);
    const answers = NODES.map((node) => profile(sim, fresh, node));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 401]);
    expect(answers[2]!.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    expect(answers[2]!.headers['www-authenticate']).toMatch(/unknown kid 'k2'/);
    expect((answers[2]!.body as { reason: string }).reason).toMatch(/unknown kid "k2".*k1/);
  });

  it('the overlap ends at the next rotation: a node keeps the key it signed with and the new one', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 3 });
    const k1 = login(sim, 'ada', 'server-1');
    sim.apply({ type: 'rotateKey' });
    const k2 = login(sim, 'bo', 'server-2');
    sim.apply({ type: 'rotateKey', nodes: ['server-1'] });
    expect(sim.snapshot().nodes.map((n) => n.keyIds)).toEqual([
      ['k2', 'k3'],
      ['k1', 'k2'],
      ['k1', 'k2'],
    ]);
    expect(NODES.map((node) => profile(sim, k1, node).status)).toEqual([401, 200, 200]);
    expect(NODES.map((node) => profile(sim, k2, node).status)).toEqual([200, 200, 200]);
    // A node added now is given the newest two keys.
    sim.apply({ type: 'addNode' });
    expect(sim.snapshot().nodes[3]!.keyIds).toEqual(['k2', 'k3']);
  });

  it('a run of simulated users across a rotation of all nodes sees no 401: renewals move them to the new key', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 30, seed: 4 });
    sim.advance(20_000);
    sim.apply({ type: 'rotateKey' });
    sim.advance(90_000);
    expect(sim.metrics().byStatus[401] ?? 0).toBe(0);
    expect(sim.metrics().relogins).toBe(0);
  });

  it('rotating all but one node sends users who land there back to log in', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 30, seed: 4, sticky: false });
    sim.advance(20_000);
    sim.apply({ type: 'rotateKey', nodes: ['server-1', 'server-2'] });
    sim.advance(60_000);
    expect(sim.metrics().byStatus[401]).toBeGreaterThan(0);
  });

  it('refuses a kid it cannot have, and commands naming no node', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 3 });
    const token = login(sim, 'ada', 'server-1');
    const [, payload, signature] = token.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: '../etc/passwd' })).toString(
      'base64url',
    );
    const answer = profile(sim, `${header}.${payload}.${signature}`, 'server-1');
    expect(answer.status).toBe(401);
    expect((answer.body as { reason: string }).reason).toMatch(/unknown kid/);
    expect(() => sim.apply({ type: 'rotateKey', nodes: ['server-9'] })).toThrow(/no node "server-9"/);
  });
});

/** The token with its payload changed (role: admin), the signature left as it was. */
function forge(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...changes };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('the lazy node (setVerify false)', () => {
  it('a forged role: admin gets a 2xx on the lazy node only; forgeriesAccepted counts it', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 5 });
    const token = login(sim, 'eve', 'server-1');
    sim.apply({ type: 'setVerify', node: 'server-2', verify: false });
    expect(sim.snapshot().nodes.map((n) => n.verify)).toEqual([true, false, true]);
    const forged = forge(token, { role: 'admin' });
    const admin = (node: string, t: string) =>
      sim.send({ method: 'GET', path: '/api/admin', headers: on(node, { authorization: `Bearer ${t}` }) });
    // The genuine token: a student, refused everywhere.
    expect(NODES.map((node) => admin(node, token).status)).toEqual([403, 403, 403]);
    const answers = NODES.map((node) => admin(node, forged));
    expect(answers.map((a) => a.status)).toEqual([401, 200, 401]);
    expect((answers[0]!.body as { reason: string }).reason).toMatch(/signature does not verify/);
    expect(answers[1]!.body).toMatchObject({ admin: true, user: 'eve', servedBy: 'server-2' });
    expect(sim.metrics().forgeriesAccepted).toBe(1);
    // A genuine token on the lazy node is no forgery.
    expect(profile(sim, token, 'server-2').status).toBe(200);
    expect(sim.metrics().forgeriesAccepted).toBe(1);
    // Checking again: the same forgery is refused there too.
    sim.apply({ type: 'setVerify', node: 'server-2', verify: true });
    expect(admin('server-2', forged).status).toBe(401);
    expect(sim.metrics().forgeriesAccepted).toBe(1);
  });

  it('a forged sub (someone else) and an unsigned token pass the lazy node; an expired one does not', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 5 });
    const token = login(sim, 'eve', 'server-1');
    sim.apply({ type: 'setVerify', node: 'server-3', verify: false });
    const asAda = profile(sim, forge(token, { sub: 'ada' }), 'server-3');
    expect(asAda.status).toBe(200);
    expect(asAda.body).toMatchObject({ user: 'ada' });
    const [, payload] = token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(profile(sim, none, 'server-3').status).toBe(200);
    expect(profile(sim, none, 'server-1').status).toBe(401);
    expect(sim.metrics().forgeriesAccepted).toBe(2);
    sim.advance(sim.config.tokenTtlMs + 1_000);
    expect(profile(sim, forge(token, { role: 'admin' }), 'server-3').status).toBe(401);
  });

  it('a lazy node skips the check that costs CPU: simulated users are served, nothing is forged', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 20, seed: 6 });
    sim.apply({ type: 'setVerify', node: 'server-1', verify: false });
    sim.advance(30_000);
    expect(sim.metrics().byNode['server-1']).toBeGreaterThan(0);
    expect(sim.metrics().forgeriesAccepted).toBe(0);
    expect(sim.metrics().byStatus[401] ?? 0).toBe(0);
  });
});

describe('banning a user (banUser)', () => {
  it('without a deny-list the stolen token keeps getting 200 until exp; no new login or renewal', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 7 });
    const stolen = login(sim, 'ada', 'server-1');
    const exp = JSON.parse(Buffer.from(stolen.split('.')[1]!, 'base64url').toString()).exp as number;
    sim.advance(10_000);
    sim.apply({ type: 'banUser', user: 'ada' });
    let ok = 0;
    while ((sim.config.epochMs + sim.time) / 1000 < exp) {
      if (profile(sim, stolen, NODES[ok % 3]!).status === 200) ok++;
      sim.advance(1_000);
    }
    // 50 s of the 60 s token were left: 50 answers, one a second, all 200.
    expect(ok).toBe(50);
    expect(sim.metrics().bannedUserRequestsOk).toBe(50);
    expect(profile(sim, stolen, 'server-1').status).toBe(401);
    const again = sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'ada' } });
    expect(again.status).toBe(403);
  });

  it('renewal is refused at once: the token cannot be stretched past its exp', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 7 });
    const stolen = login(sim, 'ada', 'server-1');
    sim.apply({ type: 'banUser', user: 'ada' });
    const renewal = sim.send({
      method: 'POST',
      path: '/api/token',
      headers: on('server-2', { authorization: `Bearer ${stolen}` }),
    });
    expect(renewal.status).toBe(403);
    expect((renewal.body as { reason: string }).reason).toMatch(/ada is banned/);
  });

  it('with a deny-list the ban refuses every token of the user at once, on every node', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 7, denyList: true });
    const stolen = login(sim, 'ada', 'server-1');
    const other = login(sim, 'bo', 'server-2');
    sim.apply({ type: 'banUser', user: 'ada' });
    const answers = NODES.map((node) => profile(sim, stolen, node));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401]);
    expect((answers[0]!.body as { reason: string }).reason).toMatch(/ada is banned.*deny-list/);
    expect(profile(sim, other, 'server-3').status).toBe(200);
    expect(sim.metrics().bannedUserRequestsOk).toBe(0);
    expect(sim.snapshot().store).toMatchObject({ role: 'deny-list', bannedUsers: 1 });
    // The entry goes once every token issued before the ban has expired; the ban itself stays.
    sim.advance(sim.config.tokenTtlMs + 10_000);
    expect(sim.snapshot().store!.bannedUsers).toBe(0);
    expect(sim.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'ada' } }).status).toBe(403);
  });

  it('simulated: a banned user keeps being served until the token expires, then is refused; with a deny-list, never', () => {
    const run = (denyList: boolean) => {
      const sim = createSimulation({ mode: 'stateless', clients: 12, seed: 8, denyList });
      sim.advance(15_000);
      sim.apply({ type: 'banUser', user: 'c1' });
      const afterBan = sim.metrics().bannedUserRequestsOk;
      sim.advance(sim.config.tokenTtlMs);
      const atExp = sim.metrics().bannedUserRequestsOk;
      sim.advance(60_000);
      return { afterBan, atExp, later: sim.metrics().bannedUserRequestsOk };
    };
    const plain = run(false);
    expect(plain.afterBan).toBe(0);
    expect(plain.atExp).toBeGreaterThan(0);
    expect(plain.later).toBe(plain.atExp);
    expect(run(true)).toEqual({ afterBan: 0, atExp: 0, later: 0 });
  });

  it('a fork keeps the keys, the lazy node and the ban', () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, seed: 9 });
    sim.apply({ type: 'rotateKey', nodes: ['server-2'] });
    sim.apply({ type: 'setVerify', node: 'server-3', verify: false });
    sim.apply({ type: 'banUser', user: 'ada' });
    const copy = sim.fork();
    expect(copy.snapshot().nodes.map((n) => [n.keyIds, n.verify])).toEqual([
      [['k1'], true],
      [['k1', 'k2'], true],
      [['k1'], false],
    ]);
    expect(copy.send({ method: 'POST', path: '/api/login', headers: json, body: { user: 'ada' } }).status).toBe(403);
  });
});
