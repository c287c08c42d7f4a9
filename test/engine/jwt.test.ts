/**
 * Tokens are real HS256 JWTs: a standard library (jose) verifies ours, and we verify jose's.
 */
import { describe, expect, it } from 'vitest';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { createSimulation, createTokenService, decodeToken } from '../../src/engine';

const secret = 'classroom-demo-secret-change-me-256-bits+';
const key = new TextEncoder().encode(secret);
const claims = {
  sub: 'ada',
  name: 'Ada',
  role: 'student',
  iat: 1_700_000_000,
  exp: 1_700_000_060,
  jti: 'abc',
  iss: 'classroom-shop',
  aud: 'classroom-shop-api',
};

function tamperByte(token: string, index: number): string {
  const original = token[index]!;
  const replacement = original === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

describe('HS256 tokens', () => {
  it('made by the engine verify with jose given the same secret', async () => {
    const token = createTokenService(secret).sign(claims);
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      currentDate: new Date(1_700_000_030_000),
    });
    expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual(claims);
  });

  it('made by jose verify in the engine', async () => {
    const token = await new SignJWT({ name: 'Bo', role: 'student', jti: 'x' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bo')
      .setIssuer('classroom-shop')
      .setAudience('classroom-shop-api')
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_000_060)
      .sign(key);
    expect(createTokenService(secret).verify(token, 1_700_000_030)).toMatchObject({ ok: true, claims: { sub: 'bo' } });
  });

  it('signed with another secret are rejected, and jose rejects ours under another secret', async () => {
    const token = createTokenService('another secret').sign(claims);
    expect(createTokenService(secret).verify(token, 1_700_000_030)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/signature/),
    });
    await expect(jwtVerify(token, key, { currentDate: new Date(1_700_000_030_000) })).rejects.toThrow();
  });

  it('of every length and alphabet are standard: Buffer encodes the same segments, jose verifies them', async () => {
    // Names of every length hit every base64 remainder; non-ASCII names take the UTF-8 path.
    const name = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 12 }));
    const samples = fc.sample(
      fc.record({ sub: fc.string({ minLength: 1, maxLength: 30 }), name, jti: fc.string({ maxLength: 20 }) }),
      { seed: 9, numRuns: 150 },
    );
    const service = createTokenService(secret);
    for (const sample of samples) {
      const signed = { ...claims, ...sample };
      const token = service.sign(signed);
      const [header, payload, signature] = token.split('.');
      expect(header).toBe(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'));
      expect(payload).toBe(Buffer.from(JSON.stringify(signed)).toString('base64url'));
      expect(signature).toBe(createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url'));
      expect(createTokenService(secret).verify(token, 1_700_000_030)).toEqual({ ok: true, claims: signed });
      expect(
        (await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(1_700_000_030_000) })).payload,
      ).toEqual(signed);
    }
  });

  it('tampered in any single character are rejected', () => {
    const service = createTokenService(secret);
    const token = service.sign(claims);
    for (let index = 0; index < token.length; index++) {
      if (token[index] === '.') continue;
      const result = service.verify(tamperByte(token, index), 1_700_000_030);
      expect(result.ok, `character ${index} changed`).toBe(false);
    }
  });

  it('with a payload edited to claim admin are rejected with the reason', () => {
    const service = createTokenService(secret);
    const [header, , signature] = service.sign(claims).split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const result = service.verify(`${header}.${forged}.${signature}`, 1_700_000_030);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/signature does not verify/) });
  });

  it('with alg "none" are refused', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    expect(createTokenService(secret).verify(`${header}.${payload}.`, 1_700_000_030)).toEqual({
      ok: false,
      reason: expect.stringMatching(/none/),
    });
  });

  it('expire at exp', () => {
    const service = createTokenService(secret);
    const token = service.sign(claims);
    expect(service.verify(token, claims.exp - 1).ok).toBe(true);
    expect(service.verify(token, claims.exp + 5)).toEqual({ ok: false, reason: 'token expired 5 s ago' });
  });

  it('that are not JWTs get a clear reason', () => {
    const service = createTokenService(secret);
    expect(service.verify('not-a-token', 0)).toEqual({ ok: false, reason: expect.stringMatching(/malformed/) });
    expect(service.verify('a.b.c', 0)).toEqual({ ok: false, reason: expect.stringMatching(/malformed/) });
    expect(decodeToken('a.b')).toBeNull();
  });

  it('issued by the simulated login verify with jose, and carry sub, iat and exp', async () => {
    const sim = createSimulation({ mode: 'stateless', clients: 0, epochMs: 1_700_000_000_000 });
    sim.advance(5_000);
    const response = sim.send({
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: { user: 'ada' },
    });
    expect(response.status).toBe(200);
    const token = (response.body as { token: string }).token;
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(sim.config.jwtSecret), {
      currentDate: new Date(1_700_000_006_000),
    });
    expect(payload).toMatchObject({ sub: 'ada', iat: 1_700_000_005, exp: 1_700_000_065 });
    expect(token.length).toBeGreaterThan(150);
  });
});

/**
 * RFC 7515 (JWS), RFC 7519 (JWT), RFC 7797 (b64), RFC 8725 (JWT best practice): tokens whose MAC
 * is right but which a careful verifier must still refuse. Each is signed here with the real secret,
 * so only the rule under test can refuse it.
 */
describe('HS256 tokens, to the letter', () => {
  const audience = 'classroom-shop-api';
  const issuer = 'classroom-shop';
  const good = { ...claims, iss: issuer, aud: audience };
  const now = 1_700_000_030;
  const segment = (part: unknown): string =>
    Buffer.from(part instanceof Uint8Array ? part : JSON.stringify(part)).toString('base64url');
  /** A token with exactly this header and payload (objects, or raw bytes), correctly signed. */
  function signed(header: unknown, payload: unknown): string {
    const input = `${segment(header)}.${segment(payload)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  }
  const hs256 = { alg: 'HS256', typ: 'JWT' };
  const verify = (token: string, at = now) => createTokenService(secret).verify(token, at);

  it('a correctly made token with iss and aud is accepted (the baseline for the cases below)', () => {
    expect(verify(signed(hs256, good))).toEqual({ ok: true, claims: good });
    expect(verify(signed(hs256, { ...good, aud: ['elsewhere', audience] })).ok).toBe(true);
  });

  it('an unknown crit extension is refused (RFC 7515 §4.1.11)', () => {
    const result = verify(signed({ ...hs256, crit: ['exp-at-dawn'], 'exp-at-dawn': true }, good));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/crit.*exp-at-dawn/) });
    expect(verify(signed({ ...hs256, crit: [] }, good)).ok).toBe(false);
  });

  it('b64: false is refused, with or without crit (RFC 7797)', () => {
    expect(verify(signed({ ...hs256, b64: false, crit: ['b64'] }, good))).toEqual({
      ok: false,
      reason: expect.stringMatching(/b64/),
    });
    expect(verify(signed({ ...hs256, b64: false }, good))).toEqual({
      ok: false,
      reason: expect.stringMatching(/b64/),
    });
  });

  it('invalid UTF-8 in the claims or the header is refused', () => {
    const json = JSON.stringify(good);
    const at = json.indexOf('Ada') + 1;
    const bytes = Buffer.concat([
      Buffer.from(json.slice(0, at)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(json.slice(at)),
    ]);
    expect(verify(signed(hs256, new Uint8Array(bytes)))).toEqual({
      ok: false,
      reason: expect.stringMatching(/UTF-8/),
    });
    const header = Buffer.concat([Buffer.from('{"alg":"HS256","typ":"JW'), Buffer.from([0xc3]), Buffer.from('"}')]);
    expect(verify(signed(new Uint8Array(header), good))).toEqual({ ok: false, reason: expect.stringMatching(/UTF-8/) });
  });

  it('is refused before its nbf, and accepted from it on', () => {
    const token = signed(hs256, { ...good, nbf: now + 10 });
    expect(verify(token)).toEqual({ ok: false, reason: expect.stringMatching(/not valid before|nbf/) });
    expect(verify(token, now + 10).ok).toBe(true);
  });

  it('addressed (aud) to another service, or to none, is refused', () => {
    expect(verify(signed(hs256, { ...good, aud: 'billing-api' }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/aud/),
    });
    expect(verify(signed(hs256, { ...good, aud: ['billing-api'] })).ok).toBe(false);
    const { aud: _unused, ...noAudience } = good;
    expect(verify(signed(hs256, noAudience)).ok).toBe(false);
  });

  it('from another issuer, or with dates that are not numbers, is refused', () => {
    expect(verify(signed(hs256, { ...good, iss: 'someone-else' }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/iss/),
    });
    expect(verify(signed(hs256, { ...good, exp: '1700000060' })).ok).toBe(false);
    expect(verify(signed(hs256, { ...good, nbf: 'soon' })).ok).toBe(false);
  });

  it('an alg outside Latin-1 gets a reason, and the reason stays short', () => {
    const result = verify(signed({ alg: 'HS256\u2603'.repeat(500) }, good));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason.length).toBeLessThan(200);
  });

  it('an oversized token is refused without being decoded', () => {
    const huge = signed(hs256, { ...good, name: 'x'.repeat(1_000_000) });
    expect(verify(huge)).toEqual({ ok: false, reason: expect.stringMatching(/too large|too long/) });
  });

  it('keeps its verified-token cache bounded in bytes, whatever is sent', () => {
    const service = createTokenService(secret);
    // Many tiny junk tokens (the per-entry cost dominates), then big ones (the characters do).
    for (let i = 0; i < 40_000; i++) service.verify(`a.b.${i}`, now);
    expect(service.cacheBytes()).toBeLessThanOrEqual(13 * 1024 * 1024);
    for (let i = 0; i < 400; i++) service.verify(signed(hs256, { ...good, jti: `${i}`, name: 'x'.repeat(5_000) }), now);
    expect(service.cacheBytes()).toBeLessThanOrEqual(13 * 1024 * 1024);
    expect(service.cacheBytes()).toBeGreaterThan(0);
  });
});

describe('the demo secret', () => {
  it('is at least 256 bits by default, and a shorter one is refused with the reason (RFC 7518 §3.2)', () => {
    const sim = createSimulation({ clients: 0 });
    expect(new TextEncoder().encode(sim.config.jwtSecret).length).toBeGreaterThanOrEqual(32);
    expect(sim.config.jwtSecret).toMatch(/demo/);
    expect(() => createSimulation({ jwtSecret: 'short-secret' })).toThrow(/jwtSecret.*32 bytes/);
    expect(() => createSimulation({ jwtSecret: 'x'.repeat(31) })).toThrow(/32 bytes/);
    expect(createSimulation({ jwtSecret: 'x'.repeat(32), clients: 0 }).config.jwtSecret).toHaveLength(32);
    // Bytes, not characters: 11 three-byte characters are 33 bytes.
    expect(createSimulation({ jwtSecret: '秘'.repeat(11), clients: 0 }).config.jwtSecret).toHaveLength(11);
  });

  it('signs the tokens the simulated login issues, which name this service as iss and aud', async () => {
    const jwtSecret = 'another-classroom-demo-secret-of-32-bytes+';
    const sim = createSimulation({ mode: 'stateless', clients: 0, epochMs: 1_700_000_000_000, jwtSecret });
    const response = sim.send({ method: 'POST', path: '/api/login', headers: {}, body: { user: 'ada' } });
    const token = (response.body as { token: string }).token;
    const { payload } = await jwtVerify(token, new TextEncoder().encode(jwtSecret), {
      currentDate: new Date(1_700_000_001_000),
      audience: 'classroom-shop-api',
      issuer: 'classroom-shop',
    });
    expect(payload).toMatchObject({ sub: 'ada', iat: 1_700_000_000, exp: 1_700_000_060 });
  });
});
