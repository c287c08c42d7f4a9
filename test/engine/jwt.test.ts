/**
 * Tokens are real HS256 JWTs: a standard library (jose) verifies ours, and we verify jose's.
 */
import { describe, expect, it } from 'vitest';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { createSimulation, createTokenService, decodeToken } from '../../src/engine';

const secret = 'classroom-demo-secret-change-me';
const key = new TextEncoder().encode(secret);
const claims = { sub: 'ada', name: 'Ada', role: 'student', iat: 1_700_000_000, exp: 1_700_000_060, jti: 'abc' };

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
