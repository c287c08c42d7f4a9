/**
 * A simulated user following the shop's workflow:
 * log in → profile → add 1–3 items → view cart → checkout steps 1..3 → log out → again.
 * Stateless: holds a JWT (renewed before it expires) and carries its own cart.
 * Stateful: holds only the `sid` cookie; cart and checkout progress live in the session.
 * Both keep the balancer's sticky `lb` cookie when it sets one.
 */
import { readSetCookie } from './http';
import type { Random } from './random';
import { CHECKOUT_STEPS } from './routes';
import type { ClientAction, CredentialKind, HttpRequest, HttpResponse, Mode } from './types';

const ITEMS = ['book', 'lamp', 'mug', 'pen', 'shirt', 'plant', 'socks', 'tea', 'cable', 'map'];
const NAMES = ['Ada', 'Bo', 'Cy', 'Di', 'Eve', 'Flo', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kai', 'Lu', 'Max', 'Ned', 'Oz', 'Pam', 'Quin', 'Ray', 'Sam', 'Tia', 'Uma', 'Vic', 'Wes', 'Xi', 'Yan', 'Zoe'];
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
  /** When the last login request left, to tell its session from abandoned ones. */
  loginSentAt = -1;
  version = 0;

  constructor(readonly id: string, index: number, readonly random: Random, private readonly mode: Mode, private readonly epochMs: number) {
    this.name = clientName(index);
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

  /** The next request, built as a browser would send it. */
  nextRequest(nowMs: number): HttpRequest {
    if (this.mode === 'stateless' && this.token !== null && this.action !== 'login' && this.action !== 'refresh' && this.action !== 'logout'
      && this.tokenExpiresAtMs - (this.epochMs + nowMs) < RENEW_MARGIN_MS) {
      this.resumeAction = this.action;
      this.action = 'refresh';
    }
    const headers: Record<string, string> = { host: 'shop.example' };
    const cookies: string[] = [];
    if (this.mode === 'stateful' && this.sid !== null) cookies.push(`sid=${this.sid}`);
    if (this.stickyNode !== null) cookies.push(`lb=${this.stickyNode}`);
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
    if (this.mode === 'stateless' && this.token !== null && this.action !== 'login') headers.authorization = this.authorization;
    const carriesCart = this.mode === 'stateless';
    switch (this.action) {
      case 'login':
        return post('/api/login', headers, { user: this.id });
      case 'refresh':
        return post('/api/token', headers, undefined);
      case 'profile':
        return { method: 'GET', path: '/api/profile', headers };
      case 'addItem': {
        const item = ITEMS[this.random.int(ITEMS.length)]!;
        return post('/api/cart/items', headers, carriesCart ? { item, cart: this.cart } : { item });
      }
      case 'viewCart':
        if (carriesCart) headers['x-cart'] = JSON.stringify(this.cart);
        return { method: 'GET', path: '/api/cart', headers };
      case 'checkout': {
        const step = this.checkoutStep + 1;
        return post('/api/checkout', headers, carriesCart ? { step, cart: this.cart } : { step });
      }
      case 'logout':
        return post('/api/logout', headers, undefined);
    }
  }

  /** Takes the answer to the request built for `action`, and decides what comes next. */
  receive(action: ClientAction, response: HttpResponse): ReceiveOutcome {
    this.version++;
    const stickyCookie = readSetCookie(response.headers['set-cookie'], 'lb');
    if (stickyCookie !== null) this.stickyNode = stickyCookie === '' ? null : stickyCookie;
    const status = response.status;
    if (status >= 500) return { kind: 'retry' };
    if (status === 401 && action !== 'logout' && action !== 'login') return this.sentBackToLogin(action);
    if (status >= 400 && status !== 401) {
      // A 409 at checkout: the server's session says where checkout really is.
      const body = response.body as { checkoutStep?: unknown } | null;
      if (action === 'checkout' && typeof body?.checkoutStep === 'number') {
        this.checkoutStep = body.checkoutStep;
        return { kind: 'progress', checkoutCompleted: false, loggedIn: true };
      }
      return this.sentBackToLogin(action);
    }
    const body = (response.body ?? {}) as Record<string, unknown>;
    let checkoutCompleted = false;
    switch (action) {
      case 'login':
      case 'refresh':
        if (this.mode === 'stateless') {
          this.token = typeof body.token === 'string' ? body.token : null;
          // One header string per token, reused on every request, as a browser's would be.
          this.authorization = `Bearer ${this.token}`;
          this.tokenExpiresAtMs = typeof body.expiresAt === 'number' ? body.expiresAt : 0;
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
        if (Array.isArray(body.cart)) this.cart = body.cart as string[];
        this.action = 'checkout';
        break;
      case 'checkout':
        this.checkoutStep = typeof body.step === 'number' ? body.step : this.checkoutStep + 1;
        if (body.done === true || this.checkoutStep >= CHECKOUT_STEPS) {
          checkoutCompleted = true;
          this.cart = [];
          this.checkoutStep = 0;
          this.action = 'logout';
        }
        break;
      case 'logout':
        break;
    }
    if (action === 'logout') this.forgetLogin();
    return { kind: 'progress', checkoutCompleted, loggedIn: this.loggedIn };
  }

  /** A failure destroyed this user's session: they are logged out and their cart is gone. */
  loseSession(): void {
    this.loggedIn = false;
    this.sessionLost = true;
    this.cart = [];
    this.checkoutStep = 0;
    this.version++;
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
      this.tokenExpiresAtMs = 0;
      this.action = 'login';
      return { kind: 'relogin', cartItemsLost: 0, checkoutStep: this.checkoutStep };
    }
    // After loseSession() the cart is already empty and counted: only what is still held is lost now.
    const outcome: ReceiveOutcome = { kind: 'relogin', cartItemsLost: this.cart.length, checkoutStep: this.checkoutStep };
    this.forgetLogin();
    return outcome;
  }

  private forgetLogin(): void {
    this.loggedIn = false;
    this.token = null;
    this.tokenExpiresAtMs = 0;
    this.sid = null;
    this.cart = [];
    this.checkoutStep = 0;
    this.sessionLost = false;
    this.action = 'login';
  }
}

function post(path: string, headers: Record<string, string>, body: unknown): HttpRequest {
  if (body === undefined) return { method: 'POST', path, headers };
  headers['content-type'] = 'application/json';
  return { method: 'POST', path, headers, body };
}
