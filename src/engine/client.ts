/**
 * A simulated user following the shop's workflow:
 * log in → profile → add 1–3 items → view cart → checkout steps 1..3 → log out → again.
 * Stateless: holds a JWT (renewed before it expires) and carries its own cart.
 * Stateful: holds only the `sid` cookie; cart and checkout progress live in the session.
 * Both keep the balancer's sticky `lb` cookie when it sets one.
 */
import { readSetCookie } from './http';
import type { Random } from './random';
import type { Flight } from './pipeline';
import { CHECKOUT_STEPS } from './routes';
import type { ClientAction, CredentialKind, HttpRequest, HttpResponse, Mode } from './types';

const ITEMS = ['book', 'lamp', 'mug', 'pen', 'shirt', 'plant', 'socks', 'tea', 'cable', 'map'];
const NAMES = [
  'Ada',
  'Bo',
  'Cy',
  'Di',
  'Eve',
  'Flo',
  'Gus',
  'Hal',
  'Ivy',
  'Jo',
  'Kai',
  'Lu',
  'Max',
  'Ned',
  'Oz',
  'Pam',
  'Quin',
  'Ray',
  'Sam',
  'Tia',
  'Uma',
  'Vic',
  'Wes',
  'Xi',
  'Yan',
  'Zoe',
];
/** "host: shop.example\r\n" and "content-type: application/json\r\n" on the wire. */
const HOST_HEADER_BYTES = 4 + 12 + 4;
const CONTENT_TYPE_HEADER_BYTES = 12 + 16 + 4;
/** Renew a token when it has less than this left. */
const RENEW_MARGIN_MS = 10_000;

export function clientName(index: number): string {
  const base = NAMES[index % NAMES.length]!;
  const round = Math.floor(index / NAMES.length);
  return round === 0 ? base : `${base} ${round + 1}`;
}

export type ReceiveOutcome =
  | { kind: 'progress'; checkoutCompleted: boolean; loggedIn: boolean }
  /** A 401 sent the user back to login: what they had in progress is gone. */
  | { kind: 'relogin'; cartItemsLost: number; checkoutStep: number }
  /** A 5xx: try the same thing again after a pause. */
  | { kind: 'retry' };

/** The outcomes that carry no numbers, made once: a client answers hundreds of thousands of times. */
const RETRY: ReceiveOutcome = Object.freeze({ kind: 'retry' });
const PROGRESS: ReceiveOutcome[] = [false, true].flatMap((checkoutCompleted) =>
  [false, true].map((loggedIn) => Object.freeze({ kind: 'progress' as const, checkoutCompleted, loggedIn })),
);
function progress(checkoutCompleted: boolean, loggedIn: boolean): ReceiveOutcome {
  return PROGRESS[(checkoutCompleted ? 2 : 0) + (loggedIn ? 1 : 0)]!;
}

export class SimClient {
  readonly name: string;
  action: ClientAction = 'login';
  /** The action to resume after a token renewal. */
  private resumeAction: ClientAction = 'login';
  /** Stateless: after a forced login, go back to what was interrupted instead of starting over. */
  private resumeAfterLogin = false;
  loggedIn = false;
  token: string | null = null;
  private authorization = '';
  /** authorization's length, kept as a number: sizing a request then reads no string. */
  private authorizationLength = 0;
  tokenExpiresAtMs = 0;
  sid: string | null = null;
  stickyNode: string | null = null;
  cart: string[] = [];
  checkoutStep = 0;
  private itemsWanted = 0;
  /** The session died in a failure; the user does not know until their next request. */
  sessionLost = false;
  relogins = 0;
  /** Simulated ms when a failure last destroyed this user's session or a 401 sent them back to login. */
  lostAtMs: number | null = null;
  /** The items its session held on the server when a failure last destroyed it (read with lostAtMs). */
  lostCartItems = 0;
  /** Stateless with refresh tokens: the opaque refresh token from the last login or refresh. */
  refreshToken: string | null = null;
  /** Renew when the access token has less than this left. */
  private readonly renewMarginMs: number;
  /** Stateless: the last renewal was refused (a ban); the token is used until it expires, not renewed again. */
  private renewalRefused = false;
  /** When the last login request left, to tell its session from abandoned ones. */
  loginSentAt = -1;
  version = 0;
  /** Bytes on the wire of the request nextRequest() built last. */
  requestBytes = 0;
  /**
   * This user's purchases so far, counting the one in progress: it moves on when a checkout is
   * confirmed or the cart is lost. The idempotency key of the final POST names it, so a retry of
   * the same purchase sends the same key.
   */
  purchases = 1;
  /**
   * The Flight of this user's last request, reused for the next one (a user has one request on its
   * way at a time): the pipeline's to fill in, never reused once cancelled (see RequestPipeline.open).
   */
  flight: Flight | null = null;
  // The cookie header and the cookies it was built from (undefined: not built yet).
  private cookie: string | null | undefined = undefined;
  private cookieSid: string | null = null;
  private cookieSticky: string | null = null;
  // The cart's JSON and the cart (and length) it was written from.
  private cartJsonText = '[]';
  private cartJsonOf: string[] | null = null;
  private cartJsonLength = -1;

  constructor(
    readonly id: string,
    index: number,
    readonly random: Random,
    private readonly mode: Mode,
    private readonly epochMs: number,
    /** Send an `idempotency-key` with the checkout's final POST. */
    private readonly idempotencyKeys = false,
    /**
     * With refresh tokens (`refreshTokens`): the access tokens' lifetime. Renewal is then POST
     * /api/refresh with the refresh token, a third of a lifetime before expiry (at most 10 s).
     */
    private readonly accessTtlMs: number | null = null,
  ) {
    this.name = clientName(index);
    this.renewMarginMs = accessTtlMs === null ? RENEW_MARGIN_MS : Math.min(RENEW_MARGIN_MS, accessTtlMs / 3);
  }

  get credential(): CredentialKind {
    if (this.mode === 'stateless') return this.token === null ? 'none' : 'token';
    return this.sid === null ? 'none' : 'cookie';
  }

  /** What identifies this user on the wire, as a header line. */
  get credentialHeader(): string | null {
    if (this.mode === 'stateless') return this.token === null ? null : `authorization: ${this.authorization}`;
    if (this.sid === null) return null;
    return `cookie: sid=${this.sid}${this.stickyNode === null ? '' : `; lb=${this.stickyNode}`}`;
  }

  thinkTimeMs(minMs: number, maxMs: number): number {
    return this.random.between(minMs, maxMs);
  }

  /** The next request, built as a browser would send it. Its size on the wire is left in `requestBytes`. */
  nextRequest(nowMs: number): HttpRequest {
    if (
      this.mode === 'stateless' &&
      this.token !== null &&
      this.action !== 'login' &&
      this.action !== 'refresh' &&
      this.action !== 'logout' &&
      !this.renewalRefused &&
      this.tokenExpiresAtMs - (this.epochMs + nowMs) < this.renewMarginMs
    ) {
      this.resumeAction = this.action;
      this.action = 'refresh';
    }
    // Headers in the order a browser writes them: host, cookie, authorization, then per request.
    // The size is summed as they are added, as requestSizeBytes() would count them (test/engine/golden.test.ts).
    const headers: Record<string, string> = { host: 'shop.example' };
    let headerBytes = HOST_HEADER_BYTES;
    const cookie = this.cookieHeader();
    if (cookie !== null) {
      headers.cookie = cookie;
      headerBytes += 6 + 4 + cookie.length;
    }
    const refreshGrant = this.accessTtlMs !== null && this.action === 'refresh';
    if (this.mode === 'stateless' && this.token !== null && this.action !== 'login' && !refreshGrant) {
      headers.authorization = this.authorization;
      headerBytes += 13 + 4 + this.authorizationLength;
    }
    const carriesCart = this.mode === 'stateless';
    let request: HttpRequest;
    // The body's JSON length, counted from its shape as JSON.stringify would write it: ids, item
    // names and carts hold nothing that JSON escapes ('{"item":"mug","cart":[…]}' is 19 + 3 + the cart's).
    let bodyBytes = 0;
    switch (this.action) {
      case 'login':
        request = post('/api/login', headers, { user: this.id });
        bodyBytes = 11 + this.id.length;
        break;
      case 'refresh':
        if (refreshGrant) {
          // RFC 6749 §6: the refresh token goes in the body, to the one route that takes it.
          const refreshToken = this.refreshToken ?? '';
          request = post('/api/refresh', headers, { refreshToken });
          bodyBytes = 19 + refreshToken.length;
        } else request = post('/api/token', headers, undefined);
        break;
      case 'profile':
        request = { method: 'GET', path: '/api/profile', headers };
        break;
      case 'addItem': {
        const item = ITEMS[this.random.int(ITEMS.length)]!;
        request = post('/api/cart/items', headers, carriesCart ? { item, cart: this.cart } : { item });
        bodyBytes = carriesCart ? 19 + item.length + this.cartJson().length : 11 + item.length;
        break;
      }
      case 'viewCart':
        if (carriesCart) {
          const cart = this.cartJson();
          headers['x-cart'] = cart;
          headerBytes += 6 + 4 + cart.length;
        }
        request = { method: 'GET', path: '/api/cart', headers };
        break;
      case 'checkout': {
        const step = this.checkoutStep + 1;
        request = post('/api/checkout', headers, carriesCart ? { step, cart: this.cart } : { step });
        const stepBytes = String(step).length;
        bodyBytes = carriesCart ? 17 + stepBytes + this.cartJson().length : 9 + stepBytes;
        if (this.idempotencyKeys && step === CHECKOUT_STEPS) {
          // One key per purchase: a retry of this POST sends the same key again.
          const key = `${this.id}-order-${this.purchases}`;
          headers['idempotency-key'] = key;
          headerBytes += 15 + 4 + key.length;
        }
        break;
      }
      case 'logout':
        if (this.accessTtlMs !== null && this.refreshToken !== null) {
          // Logout revokes the refresh token (RFC 7009): no new access token will follow.
          request = post('/api/logout', headers, { refreshToken: this.refreshToken });
          bodyBytes = 19 + this.refreshToken.length;
        } else request = post('/api/logout', headers, undefined);
        break;
    }
    // "METHOD /path HTTP/1.1\r\n", the headers, the blank line, the JSON body.
    this.requestBytes = request.method.length + request.path.length + 12 + headerBytes + 2;
    if (request.body !== undefined) this.requestBytes += CONTENT_TYPE_HEADER_BYTES + bodyBytes;
    return request;
  }

  /** The cart as JSON (the `x-cart` header, and its size in a body): one string while the cart stays the same. */
  private cartJson(): string {
    const cart = this.cart;
    if (cart !== this.cartJsonOf || cart.length !== this.cartJsonLength) {
      this.cartJsonOf = cart;
      this.cartJsonLength = cart.length;
      this.cartJsonText = JSON.stringify(cart);
    }
    return this.cartJsonText;
  }

  /**
   * The `cookie` header, or null: one string kept while the cookies stay the same, as a browser
   * sends the same header again (the balancer and nodes then read a string they have seen).
   */
  private cookieHeader(): string | null {
    const sid = this.mode === 'stateful' ? this.sid : null;
    if (sid !== this.cookieSid || this.stickyNode !== this.cookieSticky || this.cookie === undefined) {
      this.cookieSid = sid;
      this.cookieSticky = this.stickyNode;
      const parts: string[] = [];
      if (sid !== null) parts.push(`sid=${sid}`);
      if (this.stickyNode !== null) parts.push(`lb=${this.stickyNode}`);
      this.cookie = parts.length > 0 ? parts.join('; ') : null;
    }
    return this.cookie;
  }

  /** Takes the answer to the request built for `action`, and decides what comes next. */
  receive(action: ClientAction, response: HttpResponse): ReceiveOutcome {
    this.version++;
    const stickyCookie = readSetCookie(response.headers['set-cookie'], 'lb');
    if (stickyCookie !== null) this.stickyNode = stickyCookie === '' ? null : stickyCookie;
    const status = response.status;
    if (status >= 500) return RETRY;
    if (status === 401 && action !== 'logout' && action !== 'login') return this.sentBackToLogin(action);
    if ((status === 403 || (status === 400 && this.accessTtlMs !== null)) && action === 'refresh') {
      // With refresh tokens a 400 invalid_grant says the same: revoked (a ban, or the store lost it).
      // Renewal refused (the user is banned): the token held still works until it expires, so carry on with it.
      this.renewalRefused = true;
      this.action = this.resumeAction;
      return progress(false, this.loggedIn);
    }
    if (status >= 400 && status !== 401) {
      // A 409 at checkout: the server's session says where checkout really is.
      const body = response.body as { checkoutStep?: unknown } | null;
      if (action === 'checkout' && typeof body?.checkoutStep === 'number') {
        this.checkoutStep = body.checkoutStep;
        return progress(false, true);
      }
      return this.sentBackToLogin(action);
    }
    const body = (response.body ?? {}) as Record<string, unknown>;
    let checkoutCompleted = false;
    switch (action) {
      case 'login':
      case 'refresh':
        if (this.mode === 'stateless') {
          const token = typeof body.token === 'string' ? body.token : null;
          // One header string per token, reused on every request, as a browser's would be. The
          // token held is read back out of it: one copy of its text lives on (in the header), not
          // two, and the answer's copy goes when the token service lets go of it.
          this.authorization = `Bearer ${token}`;
          this.authorizationLength = this.authorization.length;
          this.token = token === null ? null : this.authorization.slice(7);
          this.tokenExpiresAtMs = typeof body.expiresAt === 'number' ? body.expiresAt : 0;
          this.renewalRefused = false;
          if (this.accessTtlMs !== null)
            this.refreshToken = typeof body.refreshToken === 'string' ? body.refreshToken : null;
        } else {
          this.sid = readSetCookie(response.headers['set-cookie'], 'sid');
        }
        this.loggedIn = true;
        this.sessionLost = false;
        this.action = action === 'login' && !this.resumeAfterLogin ? 'profile' : this.resumeAction;
        this.resumeAfterLogin = false;
        break;
      case 'profile':
        this.itemsWanted = 1 + this.random.int(3);
        this.action = 'addItem';
        break;
      case 'addItem':
        if (Array.isArray(body.cart)) this.cart = body.cart as string[];
        if (this.cart.length >= this.itemsWanted) this.action = 'viewCart';
        break;
      case 'viewCart':
        // The cart sent comes back: the one held (and its JSON) is kept when the items are the same.
        if (Array.isArray(body.cart) && !sameItems(this.cart, body.cart)) this.cart = body.cart as string[];
        this.action = 'checkout';
        break;
      case 'checkout':
        this.checkoutStep = typeof body.step === 'number' ? body.step : this.checkoutStep + 1;
        if (body.done === true || this.checkoutStep >= CHECKOUT_STEPS) {
          checkoutCompleted = true;
          this.purchases++;
          this.cart = [];
          this.checkoutStep = 0;
          this.action = 'logout';
        }
        break;
      case 'logout':
        break;
    }
    if (action === 'logout') this.forgetLogin();
    return progress(checkoutCompleted, this.loggedIn);
  }

  /**
   * What the user lost at `atMs`: a failure destroyed their session, a login's session died before
   * its answer arrived, or a 401 sent them back to login. `cartItems` is what the server lost, which
   * the user's own view can be a request behind.
   */
  noteLoss(atMs: number, cartItems: number): void {
    this.lostAtMs = atMs;
    this.lostCartItems = cartItems;
    this.version++;
  }

  /** A failure destroyed this user's session, holding `cartItems`: they are logged out and their cart is gone. */
  loseSession(atMs: number, cartItems: number): void {
    this.purchases++;
    this.loggedIn = false;
    this.sessionLost = true;
    this.cart = [];
    this.checkoutStep = 0;
    this.noteLoss(atMs, cartItems);
  }

  private sentBackToLogin(failed: ClientAction): ReceiveOutcome {
    this.relogins++;
    if (this.mode === 'stateless') {
      // The cart and checkout progress live in the client: a new login (say, after the token
      // expired during an outage) loses nothing, and the user carries on where they were.
      if (failed !== 'refresh') this.resumeAction = failed;
      this.resumeAfterLogin = true;
      this.loggedIn = false;
      this.token = null;
      this.refreshToken = null;
      this.tokenExpiresAtMs = 0;
      this.action = 'login';
      return { kind: 'relogin', cartItemsLost: 0, checkoutStep: this.checkoutStep };
    }
    // After loseSession() the cart is already empty and counted: only what is still held is lost now.
    const outcome: ReceiveOutcome = {
      kind: 'relogin',
      cartItemsLost: this.cart.length,
      checkoutStep: this.checkoutStep,
    };
    this.forgetLogin();
    return outcome;
  }

  private forgetLogin(): void {
    if (this.cart.length > 0 || this.checkoutStep > 0) this.purchases++;
    this.loggedIn = false;
    this.token = null;
    this.refreshToken = null;
    this.tokenExpiresAtMs = 0;
    this.sid = null;
    this.cart = [];
    this.checkoutStep = 0;
    this.sessionLost = false;
    this.action = 'login';
  }
}

function sameItems(held: readonly string[], answered: readonly unknown[]): boolean {
  if (held.length !== answered.length) return false;
  for (let i = 0; i < held.length; i++) if (held[i] !== answered[i]) return false;
  return true;
}

function post(path: string, headers: Record<string, string>, body: unknown): HttpRequest {
  if (body === undefined) return { method: 'POST', path, headers };
  headers['content-type'] = 'application/json';
  return { method: 'POST', path, headers, body };
}
