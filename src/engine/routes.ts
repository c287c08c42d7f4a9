/**
 * The shop's server application: the route handlers every node runs. They take and return plain
 * HTTP messages, so the very same code answers the simulated clients and the page's real `fetch`
 * (through Mock Service Worker). A handler never throws: bad input becomes a 4xx with a reason.
 *
 * Stateless mode: identity is a signed JWT in `authorization: Bearer …`; the cart and checkout
 * progress travel with the client (body, or the `x-cart` header on GET). The server keeps nothing.
 * Stateful mode: identity is the `sid` cookie; cart and checkout progress live in the session,
 * which lives in this node's memory or in the shared store.
 */
import { json, problem, readCookie } from './http';
import {
  decodeToken,
  MAX_TOKEN_CHARS,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type OutcomeMemo,
  type TokenClaims,
  type TokenService,
} from './jwt';
import type { HttpRequest, HttpResponse, Mode } from './types';

export interface Session {
  id: string;
  user: string;
  cart: string[];
  checkoutStep: number;
  createdAt: number;
  lastSeenAt: number;
}

/** Where sessions live, as seen from one node: its own memory, or the shared store. */
export interface SessionAccess {
  /** 'server-2' or 'store', for messages. */
  readonly where: string;
  /** null: no such session; 'unavailable': the store cannot be reached. */
  get(id: string): Session | null | 'unavailable';
  create(user: string): Session | 'unavailable';
  destroy(id: string): void;
  /** After an 'unavailable': why (the store is down, or this node's link to it is cut). */
  unavailableReason?(): string;
}

/** The shared deny-list of revoked token ids, when the cluster keeps one. */
export interface RevocationAccess {
  /** 'unavailable': the store holding the list cannot be reached. With `sub`: also whether that user is banned. */
  isRevoked(jti: string, sub?: string): boolean | 'unavailable';
  revoke(jti: string, expiresAtSeconds: number): boolean | 'unavailable';
  /** After an 'unavailable': why (the store is down, or this node's link to it is cut). */
  unavailableReason?(): string;
}

/**
 * One login's refresh tokens (a family): the user, the one token of the family that may be used now
 * (each use rotates it: the old one is spent), and when that token expires (simulated ms since start).
 */
export interface RefreshRecord {
  user: string;
  token: string;
  expiresAtMs: number;
}

/** The refresh tokens' records in the shared store (`refreshTokens`); each call is one round trip. */
export interface RefreshAccess {
  /** The family's record; null: unknown or revoked; 'unavailable': the store cannot be reached. */
  get(family: string): RefreshRecord | null | 'unavailable';
  put(family: string, record: RefreshRecord): true | 'unavailable';
  revoke(family: string): true | 'unavailable';
  /** After an 'unavailable': why (the store is down, or this node's link to it is cut). */
  unavailableReason?(): string;
}

/** What an idempotency key's first request was answered: a retry with the same key gets it again. */
export interface StoredAnswer {
  user: string;
  status: number;
  body: unknown;
}

/** The orders database (orders.ts), which every node writes and which outlives them all. */
export interface OrdersAccess {
  /** The answer stored for this idempotency key, or null when the key is new. */
  answered(key: string): StoredAnswer | null;
  /** Writes an order (and, with a key, the answer it got). */
  place(key: string | null, answer: StoredAnswer): void;
}

/** A node's token keys as its handler sees them (keys.ts: `rotateKey`, `setVerify`). */
export interface KeyAccess {
  /** The key id new tokens are signed with here. */
  readonly signing: string;
  /** The key ids this node can check. */
  readonly accepted: ReadonlySet<string>;
  /** false: a lazy node that decodes a token without checking its signature. */
  readonly verify: boolean;
}

/** What the token routes count for the metrics: what a user (or an attacker) would notice. */
export interface TokenTally {
  /** Tampered tokens that got a 2xx (only a lazy node lets one through). */
  forgeriesAccepted: number;
  /** Requests by a banned user answered 2xx after the ban (a token outlives a ban without a deny-list). */
  bannedUserRequestsOk: number;
  /** Access tokens issued at POST /api/refresh. */
  tokensRefreshed: number;
}

export interface RouteContext {
  mode: Mode;
  nodeId: string;
  nowMs: number;
  epochMs: number;
  tokenTtlMs: number;
  tokens: TokenService;
  sessions: SessionAccess;
  /** null: tokens cannot be revoked (they stay valid until exp). */
  revocation: RevocationAccess | null;
  /** The refresh tokens' records (`refreshTokens`: `tokenTtlMs` is then the short access lifetime); null when off. */
  refresh?: RefreshAccess | null;
  /** Lifetime of a refresh token (ms), with `refresh`. */
  refreshTtlMs?: number;
  /** This node's token keys and whether it checks signatures. */
  keys: KeyAccess;
  /** Banned users (`banUser`) → when they were banned (simulated ms). Logins and renewals are refused. */
  banned: ReadonlyMap<string, number>;
  tally: TokenTally;
  /** Set by identify() for serve(): the request's token is a forgery / belongs to a banned user. */
  forged?: boolean;
  bannedCaller?: boolean;
  /** Where checkouts write their orders. */
  orders: OrdersAccess;
  /**
   * Charges the simulated CPU cost of checking this token on this node, unless the node checked it
   * before. `sighting` (a parsed header's memo) remembers the node cache that last held the token,
   * so a client that keeps going to the same node is answered without a lookup.
   */
  chargeTokenCheck(token: string, sighting?: TokenSighting): void;
  /** A fresh random id (token ids). */
  newId(): string;
  /** The connection the request came on (a simulated user's), or null for a one-off request. */
  connection: Connection | null;
}

/**
 * What a client's connection remembers of the credentials it last carried, as a keep-alive
 * connection's header table does (HTTP/2's HPACK): a client sends the same `authorization` header
 * string again and again, so its parse is found by comparing it with the last one, without a table
 * lookup. The pipeline keeps one per simulated user. The connection is itself the BearerMemo of its
 * last `authorization` header (filled in again when a new one comes): a repeat request reads one
 * object, not two, and a new token allocates no memo.
 */
export interface Connection extends BearerMemo {
  /** The last `authorization` header (undefined: none parsed yet); `token` and the memo's fields are its. */
  authorization: string | undefined;
  /**
   * The last `cookie` header and its `sid` (undefined: none read yet). Once a session is found,
   * `sid` is the session's own id string, the key its table holds: the next lookup with it needs
   * neither a fresh hash nor a character-by-character comparison.
   */
  cookie: string | undefined;
  sid: string | null | undefined;
}

export function newConnection(): Connection {
  return {
    authorization: undefined,
    token: 'absent',
    refusal: Refusal.Absent,
    checkedBy: 0,
    outcome: null,
    heldBy: 0,
    heldGeneration: 0,
    fingerprint: -1,
    cookie: undefined,
    sid: undefined,
  };
}

/** The `sid` cookie of a request, read once per cookie header a connection carries. */
function sessionIdOf(cookie: string | undefined, connection: Connection | null): string | null {
  if (connection === null || cookie === undefined) return readCookie(cookie, 'sid');
  if (connection.sid !== undefined && connection.cookie === cookie) return connection.sid;
  const sid = readCookie(cookie, 'sid');
  connection.cookie = cookie;
  connection.sid = sid;
  return sid;
}

export const CHECKOUT_STEPS = 3;
const USER_PATTERN = /^[A-Za-z0-9_.@-]{1,40}$/;
const ITEM_PATTERN = /^[A-Za-z0-9 _.-]{1,40}$/;
const MAX_CART_ITEMS = 50;

type Route = (request: HttpRequest, context: RouteContext) => HttpResponse;
const routes = new Map<string, Map<string, Route>>();

function route(method: string, path: string, handler: Route): void {
  let byMethod = routes.get(path);
  if (byMethod === undefined) routes.set(path, (byMethod = new Map()));
  byMethod.set(method, handler);
}

/** Answers one request on one node. */
export function serve(request: HttpRequest, context: RouteContext): HttpResponse {
  const query = request.path.indexOf('?');
  const path = query === -1 ? request.path : request.path.slice(0, query);
  const byMethod = routes.get(path);
  if (byMethod === undefined) {
    const shown = `${request.method.slice(0, 16)} ${path.length > 80 ? `${path.slice(0, 80)}…` : path}`;
    return problem(404, 'not found', `no route ${shown}; see the API table in the README`);
  }
  let handler = byMethod.get(request.method);
  let head = false;
  if (handler === undefined) {
    const method = request.method.toUpperCase();
    // HEAD is GET without the body (RFC 9110 §9.3.2): the same status and headers.
    head = method === 'HEAD' && byMethod.has('GET');
    handler = byMethod.get(head ? 'GET' : method);
  }
  if (handler === undefined) {
    const methods = [...byMethod.keys()];
    const allowed = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
    return problem(405, 'method not allowed', `${path} accepts ${allowed}`, { allow: allowed });
  }
  context.forged = false;
  context.bannedCaller = false;
  const answered = handler(request, context);
  const response = head ? { ...answered, body: null } : answered;
  if (response.status < 300) {
    if (context.forged) context.tally.forgeriesAccepted++;
    if (context.bannedCaller) context.tally.bannedUserRequestsOk++;
  }
  return response;
}

// --- input ---------------------------------------------------------------------------------

function bodyObject(request: HttpRequest): Record<string, unknown> | null {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
}

function isCart(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length <= MAX_CART_ITEMS &&
    value.every((item) => typeof item === 'string' && ITEM_PATTERN.test(item))
  );
}

/** Stateless carts travel with the request: in the body, or as JSON in `x-cart` on a GET. */
function cartFromRequest(request: HttpRequest): string[] | HttpResponse {
  const fromBody = bodyObject(request)?.cart;
  let cart: unknown = fromBody ?? [];
  const header = request.headers['x-cart'];
  if (fromBody === undefined && header !== undefined) {
    try {
      cart = JSON.parse(header);
    } catch {
      return problem(400, 'bad request', 'x-cart must be a JSON array of item names');
    }
  }
  if (!isCart(cart))
    return problem(400, 'bad request', `cart must be an array of at most ${MAX_CART_ITEMS} item names`);
  return cart;
}

// --- identity ------------------------------------------------------------------------------

type Identity = { user: string; session: Session | null; claims: TokenClaims | null };

/**
 * The identity identify() hands back, one object filled in again for each request: a handler
 * reads it before it returns and keeps nothing of it, and handlers run one at a time.
 */
const caller: Identity = { user: '', session: null, claims: null };

function identified(user: string, session: Session | null, claims: TokenClaims | null): Identity {
  caller.user = user;
  caller.session = session;
  caller.claims = claims;
  return caller;
}

/** Which node token cache last held a token, and that cache's generation then (see chargeTokenCheck). */
export interface TokenSighting {
  /** A number the pipeline gives each node's cache (0: none yet). */
  heldBy: number;
  heldGeneration: number;
  /** The token's tokenFingerprint() (-1: not computed yet), the key of the nodes' caches. */
  fingerprint: number;
}

/**
 * A parsed `authorization` header: its token, and what was found out about it since (see
 * OutcomeMemo and TokenSighting), so a client sending the same header again costs one lookup.
 */
interface BearerMemo extends OutcomeMemo, TokenSighting {
  token: Bearer;
  /**
   * Why the header is refused before any check (Refusal.None: a token to check), found when it is
   * parsed: a repeat request reads this number from the memo instead of its ~300-character token.
   */
  refusal: Refusal;
}

/** What identify() refuses an `authorization` header for before checking a token, in that order. */
const enum Refusal {
  None = 0,
  /** No header, or another scheme. */
  Absent = 1,
  /** Bearer without a b64token. */
  Malformed = 2,
  /** Longer than MAX_TOKEN_CHARS. */
  TooLarge = 3,
}

function refusalOf(token: Bearer): Refusal {
  if (token === 'absent') return Refusal.Absent;
  if (token === 'malformed') return Refusal.Malformed;
  return token.length > MAX_TOKEN_CHARS ? Refusal.TooLarge : Refusal.None;
}

function bearerMemoOf(token: Bearer): BearerMemo {
  return {
    token,
    refusal: refusalOf(token),
    checkedBy: 0,
    outcome: null,
    heldBy: 0,
    heldGeneration: 0,
    fingerprint: -1,
  };
}

/** A request without an `authorization` header (never filled in: it holds no token). */
const NO_AUTHORIZATION = bearerMemoOf('absent');

/**
 * Parsed `authorization` headers, bounded. A client sends the same header string on every request;
 * handing back the same token string object lets V8 reuse its hash in every Map and Set that
 * follows (the verified-token caches), instead of hashing 300 characters again per request.
 * Two small generations, bounded in bytes as well as entries (a thousand users hold one token
 * each): a header in use stays, old ones age out, and the table stays small enough to sit in the
 * CPU's cache. Headers longer than a token can be are answered without being remembered.
 */
let bearerMemo = new Map<string, BearerMemo>();
let bearerMemoOld = new Map<string, BearerMemo>();
let bearerMemoBytes = 0;
const BEARER_MEMO_LIMIT = 4_096;
const BEARER_MEMO_BYTES = 2 * 1024 * 1024;

/**
 * What an `authorization` header holds: a token (its syntax checked, RFC 6750 §2.1), 'absent' (no
 * header, or another scheme: no credentials for this API), or 'malformed' (Bearer, but no b64token).
 */
type Bearer = string | 'absent' | 'malformed';

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function parseBearer(header: string): Bearer {
  const text = header.trim();
  if (text.length < 6 || text.slice(0, 6).toLowerCase() !== 'bearer') return 'absent';
  if (text.length === 6) return 'malformed';
  if (text.charCodeAt(6) !== 32) return 'absent'; // 'Bearerfoo': another scheme
  const candidate = text.slice(7).trimStart();
  return B64TOKEN.test(candidate) ? candidate : 'malformed';
}

/** The credentials of an `authorization: Bearer <token>` header, with what is known of them. */
function bearerToken(header: string | undefined, connection: Connection | null): BearerMemo {
  if (header === undefined) return NO_AUTHORIZATION;
  if (connection === null) return rememberedBearer(header);
  // The same string object as last time compares at once; the same text in another string also matches.
  if (connection.authorization === header) return connection;
  // A connection's new header carries a new token (a login or a renewal): parsed at once, not
  // looked up first (its ~330 characters would be hashed and filed for nothing), into the
  // connection's memo, emptied of what it knew of the last token.
  connection.authorization = header;
  connection.token = parseBearer(header);
  connection.refusal = refusalOf(connection.token);
  connection.checkedBy = 0;
  connection.outcome = null;
  connection.heldBy = 0;
  connection.heldGeneration = 0;
  connection.fingerprint = -1;
  return connection;
}

function rememberedBearer(header: string): BearerMemo {
  let token = bearerMemo.get(header);
  if (token !== undefined) return token;
  token = bearerMemoOld.get(header) ?? bearerMemoOf(parseBearer(header));
  if (header.length > MAX_TOKEN_CHARS + 16) return token;
  const bytes = 2 * header.length + 100;
  if (bearerMemo.size >= BEARER_MEMO_LIMIT || bearerMemoBytes + bytes > BEARER_MEMO_BYTES) {
    bearerMemoOld = bearerMemo;
    bearerMemo = new Map();
    bearerMemoBytes = 0;
  }
  bearerMemo.set(header, token);
  bearerMemoBytes += bytes;
  return token;
}

/** The protection space of RFC 6750 §3: every 401 and 400 of stateless mode names it. */
const REALM = 'classroom-shop';
/** The session cookie's challenge (the form of draft-broyer-http-cookie-auth): where to log in, which cookie. */
const COOKIE_CHALLENGE = `Cookie realm="${REALM}", form-action="/api/login", cookie-name="sid"`;
const MAX_DESCRIPTION_CHARS = 200;

/**
 * An `error_description` as RFC 6750 §3 allows it (%x20-21 / %x23-5B / %x5D-7E: printable ASCII
 * but '"' and '\\'), so the header is a valid HTTP field value whatever the token held.
 */
export function headerDescription(reason: string): string {
  let text = '';
  for (let i = 0; i < reason.length && text.length < MAX_DESCRIPTION_CHARS; i++) {
    const code = reason.charCodeAt(i);
    if (code === 0x22) text += "'";
    else if (code === 0x5c) text += '/';
    else if (code >= 0x20 && code <= 0x7e) text += reason[i];
    else if (code === 0x2014 || code === 0x2013) text += '-';
    else if (code === 0x2026) text += '...';
    else if (!(code >= 0xdc00 && code <= 0xdfff)) text += '?'; // one '?' per character, not per UTF-16 unit
  }
  return text;
}

/**
 * A 401 (or, for a malformed request, 400) with the reason. Stateless answers carry the Bearer
 * challenge: no error code when the request had no credentials (RFC 6750 §3.1), else the code and
 * the reason in RFC 6750's characters. Stateful answers carry the session cookie's challenge.
 */
function unauthorized(
  reason: string,
  mode: Mode,
  error: 'invalid_token' | 'invalid_request' | null = 'invalid_token',
): HttpResponse {
  // A 401 must name a challenge (RFC 9110 §11.6.1): log in at /api/login for a session cookie.
  if (mode !== 'stateless') return problem(401, 'unauthorized', reason, { 'www-authenticate': COOKIE_CHALLENGE });
  const challenge =
    error === null
      ? `Bearer realm="${REALM}"`
      : `Bearer realm="${REALM}", error="${error}", error_description="${headerDescription(reason)}"`;
  return error === 'invalid_request'
    ? problem(400, 'bad request', reason, { 'www-authenticate': challenge })
    : problem(401, 'unauthorized', reason, { 'www-authenticate': challenge });
}

/**
 * What a lazy node (`setVerify` false) does with a token: it decodes the payload and believes it —
 * as code calling a JWT library's decode() instead of verify() does — checking only that it is
 * there and not expired. No signature is checked, so any claim (role: admin, another sub) passes.
 */
function decodeUnchecked(token: string, nowSeconds: number): TokenClaims | string {
  const decoded = decodeToken(token);
  if (decoded === null) return 'malformed token: a JWT has three dot-separated base64url JSON parts';
  const payload = decoded.payload;
  if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number')
    return 'token lacks the sub or exp claim (exp is a number of seconds)';
  if (nowSeconds >= payload.exp) return `token expired ${Math.round(nowSeconds - payload.exp)} s ago`;
  return {
    sub: payload.sub,
    name: typeof payload.name === 'string' ? payload.name : payload.sub,
    role: typeof payload.role === 'string' ? payload.role : 'student',
    iat: typeof payload.iat === 'number' ? payload.iat : 0,
    exp: payload.exp,
    jti: typeof payload.jti === 'string' ? payload.jti : '',
    iss: typeof payload.iss === 'string' ? payload.iss : '',
    aud: typeof payload.aud === 'string' ? payload.aud : '',
  };
}

/** Who is asking: a verified token in stateless mode, a live session in stateful mode. */
function identify(request: HttpRequest, context: RouteContext): Identity | HttpResponse {
  if (context.mode === 'stateless') {
    const bearer = bearerToken(request.headers.authorization, context.connection);
    const token = bearer.token;
    // Read from the memo: a repeat request does not touch its token's text (1,000 users' tokens
    // are rarely in the CPU's cache).
    const refusal = bearer.refusal;
    if (refusal !== Refusal.None) {
      if (refusal === Refusal.Absent)
        return unauthorized('missing token: send authorization: Bearer <jwt> (log in first)', 'stateless', null);
      if (refusal === Refusal.Malformed)
        return unauthorized(
          'malformed authorization header: send Bearer, one space, then the token (base64url characters and dots; RFC 6750 §2.1)',
          'stateless',
          'invalid_request',
        );
      // Refused before any check is charged or cached: no node spends time or memory on it.
      return unauthorized(
        `token too large: ${token.length} characters; at most ${MAX_TOKEN_CHARS} are accepted`,
        'stateless',
      );
    }
    const nowSeconds = (context.epochMs + context.nowMs) / 1000;
    let claims: TokenClaims;
    if (context.keys.verify) {
      // Checked first, then charged: the check leaves the token's fingerprint in the memo (brought
      // by a token just signed, else hashed once per parsed header), the key of the nodes' caches.
      const result = context.tokens.verify(token, nowSeconds, context.keys.accepted, bearer);
      context.chargeTokenCheck(token, bearer);
      if (!result.ok) return unauthorized(isRefreshToken(token) ? REFRESH_AS_ACCESS : result.reason, 'stateless');
      claims = result.claims;
    } else {
      const lazy = decodeUnchecked(token, nowSeconds);
      if (typeof lazy === 'string') return unauthorized(isRefreshToken(token) ? REFRESH_AS_ACCESS : lazy, 'stateless');
      claims = lazy;
      // Whether it was a forgery is known to the simulation (for the metrics), not to the lazy node.
      context.forged = !context.tokens.authentic(token);
    }
    if (context.banned.size !== 0 && context.banned.has(claims.sub)) context.bannedCaller = true;
    if (context.revocation !== null) {
      const revoked = context.revocation.isRevoked(claims.jti, claims.sub);
      if (revoked === 'unavailable')
        return storeUnavailable(`${denyListProblem(context.revocation)}: no token can be checked against it`);
      if (revoked)
        return unauthorized(
          context.bannedCaller
            ? `user ${claims.sub} is banned: the deny-list refuses every token issued to them`
            : 'token was revoked (its user logged out): it is on the deny-list',
          'stateless',
        );
    }
    return identified(claims.sub, null, claims);
  }
  const connection = context.connection;
  const sid = sessionIdOf(request.headers.cookie, connection);
  if (sid === null || sid === '') return unauthorized('no session cookie: log in first', 'stateful');
  const session = context.sessions.get(sid);
  if (session === 'unavailable') return storeUnavailable(sessionStoreProblem(context.sessions));
  if (session === null) {
    const where = context.sessions.where === 'store' ? 'in the session store' : `on ${context.sessions.where}`;
    return unauthorized(
      `no session ${sid.slice(0, 8)}… ${where}: it was lost, expired, or lives on another node`,
      'stateful',
    );
  }
  session.lastSeenAt = context.nowMs;
  if (connection !== null && connection.sid === sid && session.id === sid) connection.sid = session.id;
  return identified(session.user, session, null);
}

/** Why the session store could not be used: it is down, or this node's link to it is cut. */
function sessionStoreProblem(sessions: SessionAccess): string {
  return `${sessions.unavailableReason?.() ?? 'the session store is down'}: no session can be read or written`;
}

function denyListProblem(revocation: RevocationAccess): string {
  return revocation.unavailableReason?.() ?? 'the deny-list store is down';
}

/** A banned user's login or renewal: the user record says no. */
function bannedAnswer(user: string): HttpResponse {
  return problem(403, 'forbidden', `user ${user} is banned: no new token or session is issued to them`);
}

function storeUnavailable(reason: string): HttpResponse {
  return problem(503, 'service unavailable', reason, { 'retry-after': '2' });
}

const SID_COOKIE_ATTRIBUTES = 'Path=/; SameSite=Lax';

/** A login's or renewal's answer: the user, a fresh token and when it expires (ms), in that order. */
function issueToken(user: string, context: RouteContext): { user: string; token: string; expiresAt: number } {
  const issuedAtMs = context.epochMs + context.nowMs;
  const iat = Math.floor(issuedAtMs / 1000);
  const exp = Math.floor((issuedAtMs + context.tokenTtlMs) / 1000);
  const claims: TokenClaims = {
    sub: user,
    name: user.charAt(0).toUpperCase() + user.slice(1),
    role: 'student',
    iat,
    exp,
    jti: context.newId(),
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
  };
  return { user, token: context.tokens.sign(claims, context.keys.signing), expiresAt: exp * 1000 };
}

// --- refresh tokens (RFC 6749 §1.5, §6; OAuth 2.0 Security BCP §4.14) -----------------------

/**
 * A refresh token is opaque: `rt_<family>.<secret>`, 16 hex digits each. Its record lives in the
 * shared store (so it can be revoked); it is sent only to POST /api/refresh, in the JSON body.
 */
const REFRESH_TOKEN = /^rt_([0-9a-f]{16})\.([0-9a-f]{16})$/;
const REFRESH_AS_ACCESS =
  'this is a refresh token: it is accepted only at POST /api/refresh; send the access token here';

function isRefreshToken(token: string): boolean {
  return token.startsWith('rt_');
}

/** The token endpoint's errors (RFC 6749 §5.2): 400 with `invalid_request` or `invalid_grant`, never cached. */
function grantError(error: 'invalid_request' | 'invalid_grant', reason: string): HttpResponse {
  return problem(400, error, reason, { 'cache-control': 'no-store' });
}

function refreshStoreProblem(refresh: RefreshAccess): string {
  return refresh.unavailableReason?.() ?? 'the token store is down';
}

type Issued = ReturnType<typeof issueToken> & { refreshToken?: string; refreshExpiresAt?: number };

/** A new refresh token of `family` for `user`, written to the store: false when the store cannot be reached. */
function issueRefresh(issued: Issued, family: string, refresh: RefreshAccess, context: RouteContext): boolean {
  const token = `rt_${family}.${context.newId()}`;
  const expiresAtMs = context.nowMs + (context.refreshTtlMs ?? 600_000);
  if (refresh.put(family, { user: issued.user, token, expiresAtMs }) !== true) return false;
  issued.refreshToken = token;
  issued.refreshExpiresAt = context.epochMs + expiresAtMs;
  return true;
}

/** Token responses are never cached (RFC 6749 §5.1). */
const TOKEN_HEADERS = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

// --- routes --------------------------------------------------------------------------------

route('POST', '/api/login', (request, context) => {
  const user = bodyObject(request)?.user;
  if (typeof user !== 'string' || !USER_PATTERN.test(user)) {
    return problem(400, 'bad request', 'body must be JSON { "user": "name" } with 1–40 letters, digits or _.@-');
  }
  if (context.banned.size !== 0 && context.banned.has(user)) return bannedAnswer(user);
  if (context.mode === 'stateless') {
    const refresh = context.refresh ?? null;
    if (refresh === null) return json(200, issueToken(user, context), { 'cache-control': 'no-store' });
    const issued: Issued = issueToken(user, context);
    if (!issueRefresh(issued, context.newId(), refresh, context))
      return storeUnavailable(`${refreshStoreProblem(refresh)}: no refresh token can be stored, so no login`);
    return json(200, issued, { ...TOKEN_HEADERS });
  }
  const session = context.sessions.create(user);
  if (session === 'unavailable') return storeUnavailable(sessionStoreProblem(context.sessions));
  return json(
    200,
    { user },
    { 'set-cookie': `sid=${session.id}; ${SID_COOKIE_ATTRIBUTES}`, 'cache-control': 'no-store' },
  );
});

/** Stateless only: trade a still-valid token for a fresh one before it expires. */
route('POST', '/api/token', (request, context) => {
  if (context.mode !== 'stateless')
    return problem(404, 'not found', 'tokens are issued only in stateless mode; stateful mode uses the sid cookie');
  if ((context.refresh ?? null) !== null)
    return problem(
      400,
      'bad request',
      'this cluster renews with refresh tokens: POST /api/refresh with JSON { "refreshToken": "rt_…" }; an access token cannot renew itself',
      { 'cache-control': 'no-store' },
    );
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  // Issuing a token reads the user's record, as a login does: a banned user gets no new one.
  if (context.banned.size !== 0 && context.banned.has(identity.user)) return bannedAnswer(identity.user);
  return json(200, issueToken(identity.user, context), { 'cache-control': 'no-store' });
});

/**
 * Stateless with `refreshTokens`: trade a refresh token (JSON body `{ "refreshToken": "rt_…" }`)
 * for a new access token and a new refresh token of the same family; the one sent is spent. The
 * store is read once here — per access lifetime — rather than on every request: that is where a
 * logout or a ban takes effect. A spent token sent again revokes its family (it was copied).
 */
route('POST', '/api/refresh', (request, context) => {
  const refresh = context.refresh ?? null;
  if (context.mode !== 'stateless' || refresh === null)
    return problem(
      404,
      'not found',
      'refresh tokens are off: turn on Settings → Tokens → Refresh tokens (stateless mode, config refreshTokens)',
    );
  const sent = bodyObject(request)?.refreshToken;
  if (typeof sent !== 'string' || sent === '')
    return grantError('invalid_request', 'body must be JSON { "refreshToken": "rt_…" } (the login answer holds it)');
  if (sent.split('.').length === 3)
    return grantError(
      'invalid_grant',
      'an access token is not a refresh token: send the refreshToken from the login answer',
    );
  const parts = REFRESH_TOKEN.exec(sent);
  if (parts === null)
    return grantError('invalid_grant', 'malformed refresh token: rt_, 16 hex digits, a dot, 16 hex digits');
  const family = parts[1]!;
  const record = refresh.get(family);
  if (record === 'unavailable')
    return storeUnavailable(
      `${refreshStoreProblem(refresh)}: no refresh token can be checked (access tokens still work)`,
    );
  if (record === null)
    return grantError(
      'invalid_grant',
      'refresh token unknown or revoked (a logout or a ban revoked it, or the store lost it): log in again',
    );
  if (record.token !== sent) {
    refresh.revoke(family);
    return grantError(
      'invalid_grant',
      'refresh token already used: a spent one came back (copied?), so every token of this login is revoked',
    );
  }
  if (record.expiresAtMs <= context.nowMs) {
    refresh.revoke(family);
    return grantError('invalid_grant', 'refresh token expired: log in again');
  }
  if (context.banned.size !== 0 && context.banned.has(record.user)) {
    refresh.revoke(family);
    return grantError('invalid_grant', `user ${record.user} is banned: their refresh tokens are revoked`);
  }
  const issued: Issued = issueToken(record.user, context);
  if (!issueRefresh(issued, family, refresh, context))
    return storeUnavailable(`${refreshStoreProblem(refresh)}: the new refresh token cannot be stored`);
  context.tally.tokensRefreshed++;
  return json(200, issued, { ...TOKEN_HEADERS });
});

/** Only a token whose role claim says admin may look: the claim is trusted because its signature was checked. */
route('GET', '/api/admin', (request, context) => {
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  if (identity.claims === null || identity.claims.role !== 'admin')
    return problem(403, 'forbidden', 'admins only: the role claim of this token is not "admin"');
  return json(200, { admin: true, user: identity.user, servedBy: context.nodeId });
});

route('GET', '/api/profile', (request, context) => {
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  const credential =
    identity.claims !== null
      ? { kind: 'token', expiresAt: identity.claims.exp * 1000 }
      : { kind: 'session', where: context.sessions.where };
  return json(200, { user: identity.user, servedBy: context.nodeId, credential });
});

route('GET', '/api/cart', (request, context) => {
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  if (identity.session !== null) return json(200, { cart: identity.session.cart });
  const cart = cartFromRequest(request);
  return Array.isArray(cart) ? json(200, { cart }) : cart;
});

route('POST', '/api/cart/items', (request, context) => {
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  const item = bodyObject(request)?.item;
  if (typeof item !== 'string' || !ITEM_PATTERN.test(item)) {
    return problem(400, 'bad request', 'body must be JSON { "item": "name" } with 1–40 letters, digits, spaces or _.-');
  }
  if (identity.session !== null) {
    if (identity.session.cart.length >= MAX_CART_ITEMS)
      return problem(409, 'conflict', `a cart holds at most ${MAX_CART_ITEMS} items`);
    identity.session.cart.push(item);
    return json(200, { cart: identity.session.cart });
  }
  const cart = cartFromRequest(request);
  if (!Array.isArray(cart)) return cart;
  if (cart.length >= MAX_CART_ITEMS) return problem(409, 'conflict', `a cart holds at most ${MAX_CART_ITEMS} items`);
  return json(200, { cart: [...cart, item] });
});

/** An `idempotency-key` is 1–255 printable ASCII characters (no spaces). */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The checkout's final POST with an `idempotency-key` the database has seen: the stored answer
 * again (marked `idempotent-replayed`), and no second order. null: a new key, or none.
 */
function replayed(request: HttpRequest, context: RouteContext, user: string): HttpResponse | null {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(key))
    return problem(400, 'bad request', 'idempotency-key must be 1–255 printable characters without spaces');
  const stored = context.orders.answered(key);
  if (stored === null) return null;
  if (stored.user !== user)
    return problem(422, 'unprocessable content', 'this idempotency-key was already used for another request');
  return json(stored.status, { ...(stored.body as object) }, { 'idempotent-replayed': 'true' });
}

/** The order is written (with its key, if the request sent one), then answered. */
function placeOrder(request: HttpRequest, context: RouteContext, user: string, body: object): HttpResponse {
  context.orders.place(request.headers['idempotency-key'] ?? null, { user, status: 200, body });
  return json(200, body);
}

route('POST', '/api/checkout', (request, context) => {
  const identity = identify(request, context);
  if (!('user' in identity)) return identity;
  const step = bodyObject(request)?.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 1 || step > CHECKOUT_STEPS) {
    return problem(400, 'bad request', `body must be JSON { "step": 1–${CHECKOUT_STEPS} }`);
  }
  const user = identity.user;
  if (step === CHECKOUT_STEPS) {
    const again = replayed(request, context, user);
    if (again !== null) return again;
  }
  const session = identity.session;
  if (session !== null) {
    if (session.cart.length === 0) return problem(409, 'conflict', 'the cart in this session is empty', {});
    // A repeated step is answered again (a retry after a lost answer); a skipped one is refused.
    if (step > session.checkoutStep + 1) {
      return json(409, {
        error: 'conflict',
        reason: `checkout is at step ${session.checkoutStep}; step ${step} comes later`,
        checkoutStep: session.checkoutStep,
      });
    }
    session.checkoutStep = Math.max(session.checkoutStep, step);
    if (step < CHECKOUT_STEPS) return json(200, { step, done: false });
    const items = session.cart.length;
    session.cart = [];
    session.checkoutStep = 0;
    return placeOrder(request, context, user, { step, done: true, items });
  }
  const cart = cartFromRequest(request);
  if (!Array.isArray(cart)) return cart;
  if (cart.length === 0) return problem(409, 'conflict', 'the cart sent with this request is empty');
  if (step < CHECKOUT_STEPS) return json(200, { step, done: false });
  return placeOrder(request, context, user, { step, done: true, items: cart.length });
});

route('POST', '/api/logout', (request, context) => {
  if (context.mode === 'stateless') {
    // With refresh tokens, logout revokes the one it is sent (RFC 7009): no new access token follows.
    const refresh = context.refresh ?? null;
    const sent = refresh === null ? undefined : bodyObject(request)?.refreshToken;
    const parts = typeof sent === 'string' ? REFRESH_TOKEN.exec(sent) : null;
    if (refresh !== null && parts !== null) {
      const record = refresh.get(parts[1]!);
      if (record === 'unavailable')
        return storeUnavailable(`${refreshStoreProblem(refresh)}: the refresh token cannot be revoked`);
      if (record !== null && record.token === sent) refresh.revoke(parts[1]!);
    }
    // The server holds nothing to destroy: the token stays valid until it expires. Taking it back
    // early needs a deny-list every node reads — which is server-side state again.
    if (context.revocation === null) {
      return json(200, { ok: true, note: 'the client forgets its token; the token itself stays valid until exp' });
    }
    const identity = identify(request, context);
    if (!('user' in identity)) return identity;
    const revoked = context.revocation.revoke(identity.claims!.jti, identity.claims!.exp);
    if (revoked === 'unavailable')
      return storeUnavailable(`${denyListProblem(context.revocation)}: the token cannot be revoked`);
    return json(200, {
      ok: true,
      note: 'the token is on the deny-list until it expires; every node checks the list on every request',
    });
  }
  const sid = readCookie(request.headers.cookie, 'sid');
  if (sid !== null && sid !== '') context.sessions.destroy(sid);
  return json(200, { ok: true }, { 'set-cookie': `sid=; Max-Age=0; ${SID_COOKIE_ATTRIBUTES}` });
});
