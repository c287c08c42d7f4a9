/**
 * HS256 JSON Web Tokens (RFC 7519), signed and checked synchronously so the discrete-event loop
 * never waits. The MAC is @noble/hashes' audited HMAC-SHA256 and decoding is @scure/base's
 * base64url: no hand-written crypto. Any standard JWT library verifies these tokens with the same
 * secret (test/engine/jwt.test.ts proves it with `jose`).
 *
 * Signing runs for every login and renewal of a thousand simulated users, so its plumbing is made
 * cheap: the keyed HMAC state is computed once and copied into one reused instance per message,
 * ASCII text is turned into bytes without a TextEncoder call, and base64url encoding is a table
 * loop (tokens of every length and alphabet are checked against Buffer and jose in test/engine/jwt.test.ts).
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

export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: string };

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const BASE64URL = encoder.encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
/** Output characters (ASCII bytes), grown as needed; filled, then decoded into one flat string. */
let characters = new Uint8Array(256);

/** base64url without padding (RFC 4648 §5), the same text as @scure/base's base64urlnopad and Node's Buffer. */
function base64urlEncode(bytes: Uint8Array, length = bytes.length): string {
  const size = Math.ceil((length * 4) / 3);
  if (characters.length < size) characters = new Uint8Array(size * 2);
  const out = characters;
  let o = 0;
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = BASE64URL[n >>> 18]!;
    out[o++] = BASE64URL[(n >>> 12) & 63]!;
    out[o++] = BASE64URL[(n >>> 6) & 63]!;
    out[o++] = BASE64URL[n & 63]!;
  }
  if (i < length) {
    const n = (bytes[i]! << 16) | (i + 1 < length ? bytes[i + 1]! << 8 : 0);
    out[o++] = BASE64URL[n >>> 18]!;
    out[o++] = BASE64URL[(n >>> 12) & 63]!;
    if (i + 1 < length) out[o++] = BASE64URL[(n >>> 6) & 63]!;
  }
  // One native call for the whole string (ASCII is valid UTF-8), not a string per character.
  return decoder.decode(out.subarray(0, o));
}

/** Scratch bytes for UTF-8 text, grown as needed: signing is synchronous, one message at a time. */
let scratch = new Uint8Array(1024);

/** UTF-8 bytes of `text` in the scratch buffer (valid until the next call); returns their count. */
function utf8(text: string): number {
  const length = text.length;
  if (scratch.length < length * 3) scratch = new Uint8Array(length * 3);
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return encoder.encodeInto(text, scratch).written;
    scratch[i] = code;
  }
  return length;
}

function encodeJson(value: unknown): string {
  return base64urlEncode(scratch, utf8(JSON.stringify(value)));
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(decoder.decode(base64urlnopad.decode(segment)));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
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
/**
 * Checked signatures are remembered — a signature check is a pure function of (secret, token);
 * expiry is not, and is checked on every call. Every node checks each new token for itself (and
 * is charged its simulated CPU cost for it), but the HMAC is computed once for the whole cluster.
 * Bounded by the characters of the tokens held: two generations of at most this many each, so
 * the tokens in use (a thousand users hold one each) stay while old ones age out.
 */
const SIGNATURE_CACHE_CHARS = 1_000_000;

/**
 * @example
 * const tokens = createTokenService('secret');
 * const jwt = tokens.sign({ sub: 'ada', name: 'Ada', role: 'student', iat: 0, exp: 60, jti: 'x' });
 * tokens.verify(jwt, 30); // { ok: true, claims: … }
 * tokens.verify(jwt, 61); // { ok: false, reason: 'token expired …' }
 */
export function createTokenService(secret: string): TokenService {
  // The keyed HMAC state (the key's inner and outer pads, two SHA-256 blocks) is computed once,
  // and copied into one reused instance per message.
  const keyed = hmac.create(sha256, encoder.encode(secret));
  const working = keyed.clone();
  const digest = new Uint8Array(32);
  const mac = (signingInput: string): string => {
    const length = utf8(signingInput);
    keyed._cloneInto(working).update(scratch.subarray(0, length)).digestInto(digest);
    return base64urlEncode(digest);
  };
  // Outcomes are kept as the (frozen) result verify() returns, so a hit allocates nothing.
  let checked = new Map<string, VerifyResult>();
  let older = new Map<string, VerifyResult>();
  let checkedChars = 0;
  /**
   * Tokens just signed, until first verified. They are kept apart because a Map compares a key
   * with a different string object of the same text character by character (~100 ns for a JWT):
   * `checked` is keyed by the string verify() is called with — the one a node parsed from the
   * header, which every later check of that token passes again.
   */
  let issued = new Map<string, VerifyResult>();
  let issuedChars = 0;

  function remember(token: string, outcome: VerifyResult): void {
    if (checkedChars >= SIGNATURE_CACHE_CHARS) {
      older = checked;
      checked = new Map();
      checkedChars = 0;
    }
    checked.set(token, outcome);
    checkedChars += token.length;
  }

  function recall(token: string): VerifyResult | undefined {
    const outcome = checked.get(token);
    if (outcome !== undefined) return outcome;
    const known = older.get(token) ?? issued.get(token);
    if (known !== undefined) remember(token, known);
    return known;
  }

  function checkSignature(token: string): VerifyResult {
    const outcome = checkSignatureOf(token);
    return Object.freeze(typeof outcome === 'string' ? { ok: false, reason: outcome } : { ok: true, claims: outcome });
  }

  function checkSignatureOf(token: string): TokenClaims | string {
    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed token: a JWT has three dot-separated parts';
    const [headerSegment, payloadSegment, signature] = parts as [string, string, string];
    const header = decodeJsonObject(headerSegment);
    const payload = decodeJsonObject(payloadSegment);
    if (header === null || payload === null)
      return 'malformed token: header and payload must be base64url JSON objects';
    if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none')
      return 'alg "none" is not accepted: unsigned tokens are refused';
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
      const signingInput = HEADER_SEGMENT + '.' + encodeJson(claims);
      const token = `${signingInput}.${mac(signingInput)}`;
      if (issuedChars >= SIGNATURE_CACHE_CHARS) {
        issued = new Map();
        issuedChars = 0;
      }
      issued.set(token, Object.freeze({ ok: true, claims }));
      issuedChars += token.length;
      return token;
    },
    verify(token, nowSeconds) {
      let outcome = recall(token);
      if (outcome === undefined) {
        outcome = checkSignature(token);
        remember(token, outcome);
      }
      if (!outcome.ok) return outcome;
      if (nowSeconds >= outcome.claims.exp)
        return { ok: false, reason: `token expired ${Math.round(nowSeconds - outcome.claims.exp)} s ago` };
      return outcome;
    },
  };
}
