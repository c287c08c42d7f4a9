/**
 * The signer reuses byte buffers between tokens (jwt.ts, for speed) and grows them for long
 * claims: every length still signs exactly what Node's own HMAC and base64url make, and a short
 * token signed after a long one carries nothing of it.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenService, TOKEN_AUDIENCE, TOKEN_ISSUER, type TokenClaims } from '../../src/engine';

const secret = 'a-classroom-secret-of-at-least-32-bytes!';
const claims: TokenClaims = {
  sub: 'ada',
  name: 'Ada',
  role: 'student',
  iat: 1_700_000_000,
  exp: 1_700_000_060,
  jti: '0123456789abcdef',
  iss: TOKEN_ISSUER,
  aud: TOKEN_AUDIENCE,
};

function expected(signed: TokenClaims): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(signed)).toString('base64url');
  return `${header}.${payload}.${createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url')}`;
}

describe('tokens signed in reused buffers', () => {
  it('are standard at every size, growing past the buffers, and after a long one', () => {
    const service = createTokenService(secret);
    for (const length of [1, 500, 700, 1_000, 2_000, 5_000, 1, 3]) {
      for (const name of ['a'.repeat(length), 'é'.repeat(length), '😀'.repeat(Math.ceil(length / 2))]) {
        const signed = { ...claims, name };
        const token = service.sign(signed);
        expect(token).toBe(expected(signed));
        if (token.length <= 4_096)
          expect(createTokenService(secret).verify(token, 1_700_000_030)).toEqual({ ok: true, claims: signed });
      }
    }
  });

  it('write the claims exactly as JSON.stringify does, whatever they hold', () => {
    const service = createTokenService(secret);
    const shapes: Record<string, unknown>[] = [
      { ...claims, sub: 'o"brien' },
      { ...claims, name: 'back\\slash' },
      { ...claims, name: 'tab\there', jti: 'line\nbreak' },
      { ...claims, iat: 0, exp: 9, nbf: 1_700_000_000.5 },
      { ...claims, iat: -5, exp: Number.MAX_SAFE_INTEGER },
      { ...claims, exp: 2 ** 60, nbf: Number.NaN },
      { ...claims, nbf: undefined, role: '' },
      { ...claims, aud: [TOKEN_AUDIENCE, 'other'] },
      { '1': 'one', ...claims, 'we"ird': 'key' },
      { ...claims, extra: { nested: true }, flag: false, nothing: null },
      Object.assign(Object.create({ inherited: 'x' }) as object, claims),
      { ...claims, toJSON: () => ({ sub: 'replaced' }) },
    ];
    for (const shape of shapes)
      expect(service.sign(shape as unknown as TokenClaims)).toBe(expected(shape as unknown as TokenClaims));
  });
});
