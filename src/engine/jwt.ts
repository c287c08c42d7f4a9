/**
 * HS256 JSON Web Tokens (RFC 7519), signed and checked synchronously so the discrete-event loop
 * never waits. The MAC is @noble/hashes' audited HMAC-SHA256 and the encoding @scure/base's
 * base64url: no hand-written crypto. Any standard JWT library verifies these tokens with the same
 * secret (test/engine/jwt.test.ts proves it with `jose`).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64urlnopad } from '@scure/base';

export interface TokenClaims {
  sub: string;
  name: string;
  role: string;
  /** Seconds since the Unix epoch, as RFC 7519 says. */
  iat: number;
  exp: number;
  jti: string;
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: string };

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function encodeJson(value: unknown): string {
  return base64urlnopad.encode(encoder.encode(JSON.stringify(value)));
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(base64urlnopad.decode(segment)));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Reads a token's parts without checking anything: for the inspector, never for a decision. */
export function decodeToken(token: string): DecodedToken | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const header = decodeJsonObject(parts[0]!);
  const payload = decodeJsonObject(parts[1]!);
  if (header === null || payload === null) return null;
  return { header, payload, signature: parts[2]! };
}

/** Compares two strings in time that depends only on their length. */
function equalConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export interface TokenService {
  sign(claims: TokenClaims): string;
  /** Checks structure, algorithm, signature and expiry at `nowSeconds`. */
  verify(token: string, nowSeconds: number): VerifyResult;
}

const HEADER_SEGMENT = encodeJson({ alg: 'HS256', typ: 'JWT' });
/** Verified signatures are remembered (bounded) — signature checks are pure, expiry is not. */
const SIGNATURE_CACHE_LIMIT = 20_000;

/**
 * @example
 * const tokens = createTokenService('secret');
 * const jwt = tokens.sign({ sub: 'ada', name: 'Ada', role: 'student', iat: 0, exp: 60, jti: 'x' });
 * tokens.verify(jwt, 30); // { ok: true, claims: … }
 * tokens.verify(jwt, 61); // { ok: false, reason: 'token expired …' }
 */
export function createTokenService(secret: string): TokenService {
  // The keyed HMAC state is computed once and cloned per message (saves two SHA-256 blocks).
  const keyed = hmac.create(sha256, encoder.encode(secret));
  const mac = (signingInput: string): string => base64urlnopad.encode(keyed.clone().update(encoder.encode(signingInput)).digest());
  let checked = new Map<string, TokenClaims | string>();

  function remember(token: string, outcome: TokenClaims | string): void {
    if (checked.size >= SIGNATURE_CACHE_LIMIT) checked = new Map();
    checked.set(token, outcome);
  }

  function checkSignature(token: string): TokenClaims | string {
    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed token: a JWT has three dot-separated parts';
    const [headerSegment, payloadSegment, signature] = parts as [string, string, string];
    const header = decodeJsonObject(headerSegment);
    const payload = decodeJsonObject(payloadSegment);
    if (header === null || payload === null) return 'malformed token: header and payload must be base64url JSON objects';
    if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none') return 'alg "none" is not accepted: unsigned tokens are refused';
    if (header.alg !== 'HS256') return `alg ${JSON.stringify(header.alg)} is not accepted: only HS256`;
    if (!equalConstantTime(mac(`${headerSegment}.${payloadSegment}`), signature)) {
      return 'signature does not verify: the token was changed or signed with another secret';
    }
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || typeof payload.iat !== 'number') {
      return 'token lacks the sub, iat or exp claim';
    }
    return payload as unknown as TokenClaims;
  }

  return {
    sign(claims) {
      const signingInput = `${HEADER_SEGMENT}.${encodeJson(claims)}`;
      const token = `${signingInput}.${mac(signingInput)}`;
      remember(token, claims);
      return token;
    },
    verify(token, nowSeconds) {
      let outcome = checked.get(token);
      if (outcome === undefined) {
        outcome = checkSignature(token);
        remember(token, outcome);
      }
      if (typeof outcome === 'string') return { ok: false, reason: outcome };
      if (nowSeconds >= outcome.exp) return { ok: false, reason: `token expired ${Math.round(nowSeconds - outcome.exp)} s ago` };
      return { ok: true, claims: outcome };
    },
  };
}
