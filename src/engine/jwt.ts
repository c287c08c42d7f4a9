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

/** Who issues this service's tokens (`iss`), and the audience they are for (`aud`): the shop's own API. */
export const TOKEN_ISSUER = 'classroom-shop';
export const TOKEN_AUDIENCE = 'classroom-shop-api';
/**
 * Longer tokens are refused before anything is decoded (ours are ~400 characters): half of the 8 KiB
 * common servers take for a whole header line (nginx's large_client_header_buffers).
 */
export const MAX_TOKEN_CHARS = 4_096;

export interface TokenClaims {
  sub: string;
  name: string;
  role: string;
  /** Seconds since the Unix epoch, as RFC 7519 says. */
  iat: number;
  exp: number;
  /** Not valid before (seconds); optional: the shop's tokens are valid from iat. */
  nbf?: number;
  jti: string;
  /** TOKEN_ISSUER. */
  iss: string;
  /** TOKEN_AUDIENCE, or a list that contains it (RFC 7519 §4.1.3). */
  aud: string | string[];
}

/**
 * `kid`: the key id a token names in its header, when it is not the first key (`k1`, whose tokens
 * carry no `kid`, so runs from before key rotation keep their bytes).
 */
export type VerifyResult =
  { ok: true; claims: TokenClaims; kid?: string } | { ok: false; reason: string; kid?: string };

/**
 * Key rotation (`rotateKey`): keys are named k1, k2, … The first key is the configured secret itself
 * and its tokens carry no `kid` header; key N (N ≥ 2) is derived from the secret, so runs stay
 * seeded and any JWT library verifies a token with `keyForKid(secret, kid)`: HMAC-SHA256(secret, "key-N").
 */
export const FIRST_KEY_ID = 'k1';
/**
 * The keys a node accepts until its first rotation: the first key alone. One set shared by every
 * node and never changed (keys.ts replaces a node's set when it rotates), so verify() knows without
 * a lookup that a token signed with the first key is accepted where this set is given.
 */
export const FIRST_KEY_ONLY: ReadonlySet<string> = new Set([FIRST_KEY_ID]);
/** At most this many keys in a run (k1 … k999): kids outside the pattern are refused unread. */
export const MAX_KEY_NUMBER = 999;
const KID_PATTERN = /^k[1-9][0-9]{0,2}$/;

/** The id of key number `n` (1: the configured secret). */
export function keyIdOf(n: number): string {
  return `k${n}`;
}

/** Whether `kid` names a key this service can have (k1 … k999). */
export function isKeyId(kid: unknown): kid is string {
  return typeof kid === 'string' && KID_PATTERN.test(kid);
}

/**
 * The HS256 key bytes for `kid`: the secret's UTF-8 bytes for k1, HMAC-SHA256(secret, "key-N") for
 * kN — what a standard JWT library (jose's `jwtVerify(token, key)`) needs to check a rotated token.
 */
export function keyForKid(secret: string, kid: string): Uint8Array {
  if (!isKeyId(kid)) throw new RangeError(`kid ${JSON.stringify(kid)} is not a key id (k1 … k${MAX_KEY_NUMBER})`);
  const secretBytes = new TextEncoder().encode(secret);
  return kid === FIRST_KEY_ID
    ? secretBytes
    : hmac(sha256, secretBytes, new TextEncoder().encode(`key-${kid.slice(1)}`));
}

export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
}

const encoder = new TextEncoder();
/** For the ASCII this module writes itself. */
const decoder = new TextDecoder();
/** For what a token carries: invalid UTF-8 is an error, not a U+FFFD (RFC 7515 §5.2, RFC 8259 §8.1). */
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const BASE64URL = encoder.encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
/** Output characters (ASCII bytes), grown as needed; filled, then decoded into one flat string. */
let characters = new Uint8Array(256);

/** base64url without padding (RFC 4648 §5), the same text as @scure/base's base64urlnopad and Node's Buffer. */
function base64urlEncode(bytes: Uint8Array, length = bytes.length): string {
  const size = Math.ceil((length * 4) / 3);
  if (characters.length < size) characters = new Uint8Array(size * 2);
  const o = base64urlInto(bytes, length, characters, 0);
  // One native call for the whole string (ASCII is valid UTF-8), not a string per character.
  return decoder.decode(characters.subarray(0, o));
}

/** Writes `bytes[0, length)` as base64url characters (ASCII bytes) into `out` from `at`; returns where they end. */
function base64urlInto(bytes: Uint8Array, length: number, out: Uint8Array, at: number): number {
  let o = at;
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
  return o;
}

/** Scratch bytes for UTF-8 text, grown as needed: signing is synchronous, one message at a time. */
let scratch = new Uint8Array(1024);

/** UTF-8 bytes of `text` in the scratch buffer (valid until the next call); returns their count. */
function utf8(text: string): number {
  return utf8At(text, 0);
}

/** UTF-8 bytes of `text` written into the scratch buffer from `at` (grown, keeping what is before); returns where they end. */
function utf8At(text: string, at: number): number {
  const length = text.length;
  if (scratch.length < at + length * 3) {
    const grown = new Uint8Array(2 * (at + length * 3));
    grown.set(scratch.subarray(0, at));
    scratch = grown;
  }
  // One native call: a charCodeAt loop costs ~30 instructions a character (its string's
  // representation is looked at again for each one), the encoder copies a one-byte string's bytes.
  return at + encoder.encodeInto(text, at === 0 ? scratch : scratch.subarray(at)).written;
}

function encodeJson(value: unknown): string {
  return base64urlEncode(scratch, utf8(JSON.stringify(value)));
}

const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

/** A base64url segment's JSON object, or what is wrong with it ('not base64url', …). */
function decodeSegment(segment: string): Record<string, unknown> | string {
  // Checked first: a thrown decoding error costs more than the whole check (junk tokens are common).
  if (!BASE64URL_TEXT.test(segment) || segment.length % 4 === 1) return 'is not base64url';
  let bytes: Uint8Array;
  try {
    bytes = base64urlnopad.decode(segment);
  } catch {
    return 'is not base64url';
  }
  let text: string;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return 'is not valid UTF-8';
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : 'is not a JSON object';
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  const value = decodeSegment(segment);
  return typeof value === 'string' ? null : value;
}

/** A value from a token, quoted for a reason: short, whatever was sent. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const isNumericDate = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

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

/**
 * Where a caller keeps what the checks of one token found, between calls (routes.ts keeps one per
 * parsed `authorization` header): the part of verify() that does not depend on the time is a pure
 * function of the service's secret and the token, so a memo filled by this service is read instead
 * of looking the token up in the cache again. `checkedBy` 0: not filled yet.
 */
export interface OutcomeMemo {
  checkedBy: number;
  outcome: VerifyResult | null;
  /** The token's tokenFingerprint() once computed (-1: not yet): the caches' key, read instead of hashing the token again. */
  fingerprint: number;
}

/**
 * A 53-bit fingerprint of a token: two 32-bit hashes of every character (FNV-1a and a murmur-style
 * mix) folded into a safe integer. The token caches here and the nodes' caches of checked tokens
 * (node.ts) are keyed by it, so a token's ~300 characters are hashed once per sighting rather than
 * once per table; the caches here also compare the token itself, so a shared fingerprint costs a
 * check, never a wrong answer.
 */
export function tokenFingerprint(token: string): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ token.length;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2 ** 21 + (b >>> 11);
}

/** tokenFingerprint() of the ASCII text in `bytes[0, length)`, read from the bytes (the same number). */
function bytesFingerprint(bytes: Uint8Array, length: number): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9 ^ length;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 2 ** 21 + (b >>> 11);
}

/** Each base64url character's six bits by its code (-1: not base64url). */
const BASE64URL_VALUE = new Int8Array(128).fill(-1);
BASE64URL.forEach((code, value) => (BASE64URL_VALUE[code] = value));
/** Characters of an HS256 signature segment: 32 bytes in base64url without padding. */
const SIGNATURE_CHARS = 43;

/**
 * The first 30 bits of the signature that ends `token` (its last 43 characters, after a '.'), or -1
 * when it does not end in one: the key of the token service's table of tokens just signed.
 */
function issuedKey(token: string): number {
  const at = token.length - SIGNATURE_CHARS;
  if (at < 1 || token.charCodeAt(at - 1) !== 0x2e) return -1;
  let key = 0;
  for (let i = at; i < at + 5; i++) {
    const code = token.charCodeAt(i);
    const value = code < 128 ? BASE64URL_VALUE[code]! : -1;
    if (value < 0) return -1;
    key = (key << 6) | value;
  }
  return key;
}

/** Numbers token services, so a memo knows which one filled it (a service's secret is its own). */
let services = 0;

export interface TokenService {
  /** Signs with key `kid` (default k1: no `kid` header, the configured secret). */
  sign(claims: TokenClaims, kid?: string): string;
  /**
   * Checks structure, header (alg, crit, b64, kid), signature, claims (iss, aud, numeric dates), then
   * exp and nbf at `nowSeconds`. With `keys`, a token signed with a key not in it is refused first:
   * the server holding only those keys could not check it.
   */
  verify(token: string, nowSeconds: number, keys?: ReadonlySet<string>, memo?: OutcomeMemo): VerifyResult;
  /** Whether the token's signature and claims check out, whatever the time (a forgery does not). */
  authentic(token: string): boolean;
  /** An upper estimate of the bytes the verified-token cache holds (bounded, see CACHE_BYTES). */
  cacheBytes(): number;
}

const HEADER_SEGMENT = encodeJson({ alg: 'HS256', typ: 'JWT' });
/** HEADER_SEGMENT and the '.' after it, as the ASCII bytes every signing input starts with. */
const HEADER_PREFIX = encoder.encode(`${HEADER_SEGMENT}.`);
/** A token being signed, as ASCII bytes: header segment, '.', payload segment, '.', signature (grown as needed). */
let tokenBytes = new Uint8Array(1024);
/**
 * Checked signatures are remembered — a signature check is a pure function of (secret, token);
 * expiry is not, and is checked on every call. Every node checks each new token for itself (and
 * is charged its simulated CPU cost for it), but the HMAC is computed once for the whole cluster.
 * Bounded in bytes, whatever is sent: two generations of checked tokens and one of issued ones, each
 * of at most CACHE_BYTES (entryBytes() counts an entry's strings as UTF-16 plus its objects), so the
 * tokens in use (a thousand users hold one each, ~1.5 KB an entry) stay while old ones age out.
 */
const CACHE_BYTES = 4 * 1024 * 1024;
/** A Map entry, its fingerprint key, the Known, the frozen outcome and the claims object around their strings, over-estimated. */
const ENTRY_OVERHEAD_BYTES = 240;

/** A cache entry: the token (compared on a hit) and what its checks found. */
interface Known {
  readonly token: string;
  readonly outcome: VerifyResult;
}

/** A token just signed, until its first check: with its tokenFingerprint(), computed from its bytes. */
interface Issued extends Known {
  readonly fingerprint: number;
}

function entryBytes(token: string, outcome: VerifyResult): number {
  // The claims' strings come from the payload: at most as many characters as the token has.
  return ENTRY_OVERHEAD_BYTES + 2 * token.length + 2 * (outcome.ok ? token.length : outcome.reason.length);
}

/**
 * @example
 * const tokens = createTokenService('secret');
 * const jwt = tokens.sign({ sub: 'ada', name: 'Ada', role: 'student', iat: 0, exp: 60, jti: 'x', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });
 * tokens.verify(jwt, 30); // { ok: true, claims: … }
 * tokens.verify(jwt, 61); // { ok: false, reason: 'token expired …' }
 */
export function createTokenService(secret: string): TokenService {
  const serviceId = ++services;
  // The keyed HMAC state (the key's inner and outer pads, two SHA-256 blocks) is computed once,
  // and copied into one reused instance per message.
  const keyed = hmac.create(sha256, encoder.encode(secret));
  const working = keyed.clone();
  const digest = new Uint8Array(32);
  /** Rotated keys (k2 …), made when first used: their keyed state and the header bytes their tokens start with. */
  const rotated = new Map<string, { keyed: typeof keyed; prefix: Uint8Array }>();
  const firstKey = { keyed, prefix: HEADER_PREFIX };
  const keyOf = (kid: string): { keyed: typeof keyed; prefix: Uint8Array } => {
    if (kid === FIRST_KEY_ID) return firstKey;
    let key = rotated.get(kid);
    if (key === undefined) {
      const header = encodeJson({ alg: 'HS256', typ: 'JWT', kid });
      key = { keyed: hmac.create(sha256, keyForKid(secret, kid)), prefix: encoder.encode(`${header}.`) };
      rotated.set(kid, key);
    }
    return key;
  };
  /** The signature of `${headerSegment}.${payloadSegment}`, base64url; the input is written as bytes (no joined string). */
  const mac = (headerSegment: string, payloadSegment: string, kid: string): string => {
    const dot = utf8At(headerSegment, 0);
    scratch[dot] = 0x2e; // '.'
    const length = utf8At(payloadSegment, dot + 1);
    keyOf(kid).keyed._cloneInto(working).update(scratch.subarray(0, length)).digestInto(digest);
    return base64urlEncode(digest);
  };
  /**
   * A token for `claims`, built as bytes: the claims' JSON as UTF-8, base64url after the header
   * segment, the MAC of those bytes, its base64url; then one decode into one flat string (cheap
   * to hash in the caches that follow, unlike a string joined from parts).
   */
  /** issuedKey() of the token signToken() made last, read from its MAC's bytes, and its tokenFingerprint() read from its bytes. */
  let signedKey = 0;
  let signedFingerprint = 0;
  const signToken = (claims: TokenClaims, kid: string): string => {
    const key = keyOf(kid);
    const jsonLength = utf8(JSON.stringify(claims));
    const start = key.prefix.length;
    const size = start + Math.ceil((jsonLength * 4) / 3) + 1 + 43;
    if (tokenBytes.length < size) tokenBytes = new Uint8Array(size * 2);
    tokenBytes.set(key.prefix);
    const signed = base64urlInto(scratch, jsonLength, tokenBytes, start);
    key.keyed._cloneInto(working).update(tokenBytes.subarray(0, signed)).digestInto(digest);
    tokenBytes[signed] = 0x2e; // '.'
    const end = base64urlInto(digest, digest.length, tokenBytes, signed + 1);
    // The signature's first 30 bits: what issuedKey() reads back from the token's text.
    signedKey = (digest[0]! << 22) | (digest[1]! << 14) | (digest[2]! << 6) | (digest[3]! >>> 2);
    signedFingerprint = bytesFingerprint(tokenBytes, end);
    return decoder.decode(tokenBytes.subarray(0, end));
  };
  /**
   * The caches are keyed by the token's fingerprint and hold the token with its outcome: a hit is a
   * number's lookup and one comparison of the token with the one kept (a string of another object
   * with the same text compares as one block of memory), instead of hashing ~300 characters per table.
   * Outcomes are kept as the (frozen) result verify() returns, so a hit allocates nothing.
   */
  let checked = new Map<number, Known>();
  let older = new Map<number, Known>();
  let checkedBytes = 0;
  let olderBytes = 0;
  /**
   * Tokens just signed, until first verified (then moved to `checked`, with the string the verifier
   * holds), keyed by issuedKey(): the signature's first 30 bits, a small integer read from five
   * characters, so signing hashes none of the token's ~300 (a token is still only found with its text).
   */
  let issued = new Map<number, Issued>();
  let issuedBytes = 0;

  function remember(token: string, fingerprint: number, outcome: VerifyResult): void {
    if (token.length > MAX_TOKEN_CHARS) return;
    const bytes = entryBytes(token, outcome);
    if (checkedBytes + bytes > CACHE_BYTES) {
      older = checked;
      olderBytes = checkedBytes;
      checked = new Map();
      checkedBytes = 0;
    }
    checked.set(fingerprint, { token, outcome });
    checkedBytes += bytes;
  }

  /**
   * A token just signed, taken out of `issued` (undefined: not there). A client's connection memo
   * (routes.ts) verifies each new token once, so that is where most first lookups find it; its
   * fingerprint comes with it, computed from the signed bytes, so the token's text is not hashed.
   */
  function takeIssued(token: string): Issued | undefined {
    const key = issued.size === 0 ? -1 : issuedKey(token);
    const fresh = key < 0 ? undefined : issued.get(key);
    if (fresh === undefined || fresh.token !== token) return undefined;
    // From now on the token is known as the string its verifier holds: the one signed is let go,
    // so a token's ~300 characters are kept once (in the header its client sends), not twice.
    issued.delete(key);
    issuedBytes -= entryBytes(fresh.token, fresh.outcome);
    remember(token, fresh.fingerprint, fresh.outcome);
    return fresh;
  }

  function recall(token: string, fingerprint: number): VerifyResult | undefined {
    // A token just signed is looked for first. The tables hold the same outcome for the same text,
    // so the order changes only how soon it is found.
    const fresh = takeIssued(token);
    if (fresh !== undefined) return fresh.outcome;
    const known = checked.get(fingerprint);
    if (known !== undefined && known.token === token) return known.outcome;
    const old = older.get(fingerprint);
    if (old === undefined || old.token !== token) return undefined;
    remember(token, fingerprint, old.outcome);
    return old.outcome;
  }

  /** The outcome of the checks that do not depend on the time, from the caches or computed (and kept). */
  function outcomeOf(token: string, fingerprint: number): VerifyResult {
    let outcome = recall(token, fingerprint);
    if (outcome === undefined) {
      outcome = checkSignature(token);
      remember(token, fingerprint, outcome);
    }
    return outcome;
  }

  /** The key id checkSignatureOf() last read from a header (undefined: none could be read). */
  let kidRead: string | undefined;

  function checkSignature(token: string): VerifyResult {
    kidRead = undefined;
    const outcome = checkSignatureOf(token);
    const kid = kidRead === undefined || kidRead === FIRST_KEY_ID ? undefined : kidRead;
    const result: VerifyResult =
      typeof outcome === 'string' ? { ok: false, reason: outcome } : { ok: true, claims: outcome };
    if (kid !== undefined) result.kid = kid;
    return Object.freeze(result);
  }

  /** The checks that depend on the token alone (not on the time): claims, or why it is refused. */
  function checkSignatureOf(token: string): TokenClaims | string {
    if (token.length > MAX_TOKEN_CHARS)
      return `token too large: ${token.length} characters; at most ${MAX_TOKEN_CHARS} are accepted`;
    const parts = token.split('.');
    if (parts.length !== 3) return 'malformed token: a JWT has three dot-separated parts';
    const [headerSegment, payloadSegment, signature] = parts as [string, string, string];
    const header = decodeSegment(headerSegment);
    if (typeof header === 'string')
      return `malformed token: the header ${header}; header and payload must be base64url JSON objects`;
    if (typeof header.alg === 'string' && header.alg.toLowerCase() === 'none')
      return 'alg "none" is not accepted: unsigned tokens are refused';
    if (header.alg !== 'HS256') return `alg ${quote(header.alg)} is not accepted: only HS256`;
    // RFC 7797: an unencoded payload (b64: false) changes what the MAC covers; JWTs never use it.
    if ('b64' in header && header.b64 !== true)
      return `b64 ${quote(header.b64)} is not accepted: the payload must be base64url-encoded (RFC 7797)`;
    // RFC 7515 §4.1.11: extensions listed in crit must be understood, and this service knows none.
    if ('crit' in header)
      return `crit ${quote(header.crit)} lists extensions this service does not understand, so the token is refused (RFC 7515)`;
    // RFC 7515 §4.1.4: the key a token was signed with; none is the first key.
    if ('kid' in header && !isKeyId(header.kid))
      return `unknown kid ${quote(header.kid)}: this service's keys are named k1, k2, … (k${MAX_KEY_NUMBER} at most)`;
    const kid = 'kid' in header ? (header.kid as string) : FIRST_KEY_ID;
    kidRead = kid;
    if (!equalConstantTime(mac(headerSegment, payloadSegment, kid), signature)) {
      return 'signature does not verify: the token was changed or signed with another secret';
    }
    const payload = decodeSegment(payloadSegment);
    if (typeof payload === 'string')
      return `malformed token: the payload ${payload}; header and payload must be base64url JSON objects`;
    if (typeof payload.sub !== 'string' || !isNumericDate(payload.exp) || !isNumericDate(payload.iat)) {
      return 'token lacks the sub, iat or exp claim (exp and iat are numbers of seconds)';
    }
    if ('nbf' in payload && !isNumericDate(payload.nbf)) return 'the nbf claim must be a number of seconds';
    if (payload.iss !== TOKEN_ISSUER) return `iss ${quote(payload.iss)} is not this service's issuer "${TOKEN_ISSUER}"`;
    const aud = payload.aud;
    if (!(aud === TOKEN_AUDIENCE || (Array.isArray(aud) && aud.includes(TOKEN_AUDIENCE))))
      return `aud ${quote(aud)} does not name this service ("${TOKEN_AUDIENCE}"): the token is meant for another`;
    return payload as unknown as TokenClaims;
  }

  return {
    sign(claims, kid = FIRST_KEY_ID) {
      const token = signToken(claims, kid);
      const outcome: VerifyResult = Object.freeze(
        kid === FIRST_KEY_ID ? { ok: true, claims } : { ok: true, claims, kid },
      );
      const bytes = entryBytes(token, outcome);
      if (issuedBytes + bytes > CACHE_BYTES) {
        issued = new Map();
        issuedBytes = 0;
      }
      issued.set(signedKey, { token, outcome, fingerprint: signedFingerprint });
      issuedBytes += bytes;
      return token;
    },
    verify(token, nowSeconds, keys, memo) {
      let outcome: VerifyResult;
      if (memo === undefined) outcome = outcomeOf(token, tokenFingerprint(token));
      else if (memo.checkedBy === serviceId) outcome = memo.outcome!;
      else {
        // A token just signed brings its fingerprint (the memo's from now on); another is hashed.
        const fresh = takeIssued(token);
        if (fresh !== undefined) {
          outcome = fresh.outcome;
          memo.fingerprint = fresh.fingerprint;
        } else {
          if (memo.fingerprint < 0) memo.fingerprint = tokenFingerprint(token);
          outcome = outcomeOf(token, memo.fingerprint);
        }
        memo.checkedBy = serviceId;
        memo.outcome = outcome;
      }
      // A token of the first key where only the first key is accepted: nothing to look up (every request's case).
      if (keys !== undefined && (keys !== FIRST_KEY_ONLY || outcome.kid !== undefined)) {
        const kid = outcome.kid ?? FIRST_KEY_ID;
        // A token whose header could not be read names no key: its own reason says what is wrong.
        if (!keys.has(kid) && (outcome.ok || outcome.kid !== undefined))
          return {
            ok: false,
            kid,
            reason: `unknown kid "${kid}": this server holds only the keys ${[...keys].join(', ')} and cannot check a token signed with another`,
          };
      }
      if (!outcome.ok) return outcome;
      const claims = outcome.claims;
      if (nowSeconds >= claims.exp)
        return { ok: false, reason: `token expired ${Math.round(nowSeconds - claims.exp)} s ago` };
      if (claims.nbf !== undefined && nowSeconds < claims.nbf)
        return {
          ok: false,
          reason: `token not valid before nbf: that is ${Math.ceil(claims.nbf - nowSeconds)} s from now`,
        };
      return outcome;
    },
    authentic(token) {
      return outcomeOf(token, tokenFingerprint(token)).ok;
    },
    cacheBytes: () => checkedBytes + olderBytes + issuedBytes,
  };
}
