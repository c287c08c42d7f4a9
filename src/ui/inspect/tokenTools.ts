/**
 * JWT helpers for the inspector: find a token in a message, check it the way a node would, and
 * forge the three classic bad tokens for the tamper box.
 */
import { base64urlnopad } from '@scure/base';
import {
  createTokenService,
  decodeToken,
  type DecodedToken,
  type HttpRequest,
  type HttpResponse,
  type Simulation,
  type TokenClaims,
} from '../../engine';

export interface TokenReport {
  /** Where the token was found: 'request' (Authorization) or 'response' (issued at login). */
  origin: 'request' | 'response';
  token: string;
  decoded: DecodedToken | null;
  verdict: { ok: true } | { ok: false; reason: string };
}

const BEARER = /^Bearer\s+(\S+)$/i;

export function nowSeconds(sim: Simulation): number {
  return (sim.config.epochMs + sim.time) / 1000;
}

/** Checks a token exactly as the nodes do: same secret, same clock. */
export function verifyToken(token: string, sim: Simulation): TokenReport['verdict'] {
  const result = createTokenService(sim.config.jwtSecret).verify(token, nowSeconds(sim));
  return result.ok ? { ok: true } : { ok: false, reason: result.reason };
}

export function tokensIn(request: HttpRequest, response: HttpResponse | null, sim: Simulation): TokenReport[] {
  const found: { origin: TokenReport['origin']; token: string }[] = [];
  const bearer = BEARER.exec(request.headers.authorization ?? '');
  if (bearer !== null) found.push({ origin: 'request', token: bearer[1]! });
  const issued = (response?.body as { token?: unknown } | null | undefined)?.token;
  if (typeof issued === 'string') found.push({ origin: 'response', token: issued });
  return found.map(({ origin, token }) => ({
    origin,
    token,
    decoded: decodeToken(token),
    verdict: verifyToken(token, sim),
  }));
}

function encodeSegment(value: unknown): string {
  return base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(value)));
}

/** The edited payload under the ORIGINAL header and signature: what an attacker can do without the secret. */
export function withEditedPayload(token: string, payloadJson: string): string {
  const payload: unknown = JSON.parse(payloadJson);
  const [header = '', , signature = ''] = token.split('.');
  return `${header}.${encodeSegment(payload)}.${signature}`;
}

/** Same payload, header says "alg": "none", no signature. */
export function withAlgNone(token: string): string {
  const [, payload = ''] = token.split('.');
  return `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${payload}.`;
}

/** A correctly signed token whose exp has passed: only the expiry check can refuse it. */
export function expiredLike(decoded: DecodedToken, sim: Simulation): string {
  const now = Math.floor(nowSeconds(sim));
  const claims = { ...decoded.payload, iat: now - 600, exp: now - 60 } as unknown as TokenClaims;
  return createTokenService(sim.config.jwtSecret).sign(claims);
}
