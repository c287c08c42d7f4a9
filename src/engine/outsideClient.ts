/**
 * "You": the page's own client, whose requests arrive through send(). The engine has no think
 * time or workflow for it; it follows what its requests and answers say, so the stage can draw You
 * like any other user — logged in or not, cart, checkout step, where its session lives.
 */
import { readCookie, readSetCookie } from './http';
import type { CredentialKind, HttpRequest, HttpResponse } from './types';

export class OutsideClient {
  readonly id = 'you';
  readonly name = 'You';
  /** Shown on the stage once it has sent something. */
  active = false;
  loggedIn = false;
  /** The name it logged in with (its sessions carry that name). */
  user: string | null = null;
  sid: string | null = null;
  /** `Bearer <token>` from the last login or renewal (stateless). */
  heldAuthorization: string | null = null;
  /** The refresh token from the last login or refresh (stateless with `refreshTokens`). */
  refreshToken: string | null = null;
  stickyNode: string | null = null;
  credential: CredentialKind = 'none';
  credentialHeader: string | null = null;
  cartItems = 0;
  /** The items the last answer to its held login listed (a stateless cart travels with each request). */
  cart: readonly string[] = [];
  checkoutStep = 0;
  sessionLost = false;
  /** Where the session a failure destroyed lived (a node's id, or 'store'), until You log in again. */
  lostFrom: string | null = null;
  relogins = 0;
  /** Simulated ms when a failure last destroyed its session or a 401 sent it back to login. */
  lostAtMs: number | null = null;
  /** The items its session held on the server when a failure last destroyed it (read with lostAtMs). */
  lostCartItems = 0;
  version = 0;

  observe(request: HttpRequest, response: HttpResponse, nowMs: number): void {
    this.active = true;
    this.version++;
    const path = request.path.split('?')[0];
    const body = (response.body ?? {}) as Record<string, unknown>;
    const sticky = readSetCookie(response.headers['set-cookie'], 'lb');
    if (sticky !== null) this.stickyNode = sticky === '' ? null : sticky;
    if (this.credential === 'none') {
      // Before a login, what You send is all there is to show.
      if (request.headers.authorization !== undefined) {
        this.credential = 'token';
        this.credentialHeader = `authorization: ${request.headers.authorization}`;
      } else if (readCookie(request.headers.cookie, 'sid') !== null) {
        this.credential = 'cookie';
        this.credentialHeader = `cookie: ${request.headers.cookie}`;
      }
    }
    if (response.status === 401 && path !== '/api/login') {
      // A forged, stale or missing credential sent by hand says nothing about the login You hold.
      if (!this.sentHeldCredential(request)) return;
      if (this.loggedIn || this.sessionLost) {
        this.relogins++;
        this.lostAtMs = nowMs;
        this.lostCartItems = this.cart.length;
      }
      this.loggedIn = false;
      this.sessionLost = false;
      this.setCart([]);
      this.checkoutStep = 0;
      return;
    }
    if (response.status >= 300) return;
    if (
      path === '/api/login' ||
      ((path === '/api/token' || path === '/api/refresh') && typeof body.token === 'string')
    ) {
      this.refreshToken = typeof body.refreshToken === 'string' ? body.refreshToken : null;
      this.loggedIn = true;
      this.sessionLost = false;
      this.lostFrom = null;
      if (typeof body.user === 'string') this.user = body.user;
      this.sid = readSetCookie(response.headers['set-cookie'], 'sid');
      this.heldAuthorization = typeof body.token === 'string' ? `Bearer ${body.token}` : null;
      if (this.heldAuthorization !== null) {
        this.credential = 'token';
        this.credentialHeader = `authorization: ${this.heldAuthorization}`;
      } else if (this.sid !== null) {
        this.credential = 'cookie';
        this.credentialHeader = `cookie: sid=${this.sid}`;
        // A new session starts empty (a stateless cart is the page's, and a new token keeps it).
        this.setCart([]);
        this.checkoutStep = 0;
      }
    } else if (path === '/api/logout' && this.sentHeldCredential(request)) {
      this.loggedIn = false;
      this.sid = null;
      this.heldAuthorization = null;
      this.refreshToken = null;
      this.credential = 'none';
      this.credentialHeader = null;
      this.setCart([]);
      this.checkoutStep = 0;
    }
    if (!this.sentHeldCredential(request)) return;
    if (Array.isArray(body.cart)) this.setCart(body.cart.filter((item): item is string => typeof item === 'string'));
    if (typeof body.step === 'number') this.checkoutStep = body.done === true ? 0 : body.step;
    if (body.done === true) this.setCart([]);
  }

  /** The token it holds (stateless), without the `Bearer ` prefix. */
  get token(): string | null {
    return this.heldAuthorization?.slice('Bearer '.length) ?? null;
  }

  private setCart(cart: readonly string[]): void {
    this.cart = cart;
    this.cartItems = cart.length;
  }

  /** Whether `request` carried the login You hold (its token, or its session cookie). */
  private sentHeldCredential(request: HttpRequest): boolean {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return authorization === this.heldAuthorization;
    const sid = readCookie(request.headers.cookie, 'sid');
    return sid !== null && sid === this.sid;
  }

  /** Its session died in a failure of `where` (a node's id, or 'store'). */
  loseSession(where: string, atMs: number, cartItems: number): void {
    this.lostAtMs = atMs;
    this.lostCartItems = cartItems;
    this.loggedIn = false;
    this.sessionLost = true;
    this.lostFrom = where;
    this.setCart([]);
    this.checkoutStep = 0;
    this.version++;
  }
}
