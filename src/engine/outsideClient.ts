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
  stickyNode: string | null = null;
  credential: CredentialKind = 'none';
  credentialHeader: string | null = null;
  cartItems = 0;
  checkoutStep = 0;
  sessionLost = false;
  relogins = 0;
  version = 0;

  observe(request: HttpRequest, response: HttpResponse): void {
    this.active = true;
    this.version++;
    const path = request.path.split('?')[0];
    const body = (response.body ?? {}) as Record<string, unknown>;
    const sticky = readSetCookie(response.headers['set-cookie'], 'lb');
    if (sticky !== null) this.stickyNode = sticky === '' ? null : sticky;
    if (request.headers.authorization !== undefined) {
      this.credential = 'token';
      this.credentialHeader = `authorization: ${request.headers.authorization}`;
    } else if (readCookie(request.headers.cookie, 'sid') !== null) {
      this.credential = 'cookie';
      this.credentialHeader = `cookie: ${request.headers.cookie}`;
    }
    if (response.status === 401 && path !== '/api/login') {
      if (this.loggedIn || this.sessionLost) this.relogins++;
      this.loggedIn = false;
      this.sessionLost = false;
      this.cartItems = 0;
      this.checkoutStep = 0;
      return;
    }
    if (response.status >= 300) return;
    if (path === '/api/login') {
      this.loggedIn = true;
      this.sessionLost = false;
      this.user = typeof body.user === 'string' ? body.user : null;
      this.sid = readSetCookie(response.headers['set-cookie'], 'sid');
      if (typeof body.token === 'string') {
        this.credential = 'token';
        this.credentialHeader = `authorization: Bearer ${body.token}`;
      } else if (this.sid !== null) {
        this.credential = 'cookie';
        this.credentialHeader = `cookie: sid=${this.sid}`;
      }
    } else if (path === '/api/logout') {
      this.loggedIn = false;
      this.sid = null;
      this.credential = 'none';
      this.credentialHeader = null;
      this.cartItems = 0;
      this.checkoutStep = 0;
    }
    if (Array.isArray(body.cart)) this.cartItems = body.cart.length;
    if (typeof body.step === 'number') this.checkoutStep = body.done === true ? 0 : body.step;
    if (body.done === true) this.cartItems = 0;
  }

  /** Its session died in a failure. */
  loseSession(): void {
    this.loggedIn = false;
    this.sessionLost = true;
    this.cartItems = 0;
    this.checkoutStep = 0;
    this.version++;
  }
}
