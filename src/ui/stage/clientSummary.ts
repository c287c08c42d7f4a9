/**
 * What the stage says about the clients it does not draw one by one (a big hall: 1,000 users
 * cannot each get a readable token). Pure counting over snapshots, so it rewinds with the timeline.
 */
import type { ClientSnapshot } from '../../engine';
import { isRecentlyLost, loginState, type LoginState } from './clientStatus';

/** The most clients drawn one by one; the rest are summed up in one block. */
export const DRAWN_CLIENTS_MAX = 200;

export interface ClientTally {
  /** How many clients the tally covers; the login counts add up to it. */
  total: number;
  login: Record<LoginState, number>;
  cartItems: number;
  /** Clients somewhere in the checkout steps. */
  inCheckout: number;
}

/**
 * Counts `clients[from..]` by what their row would say.
 * @example
 * tallyClients(snapshot.clients, 200, snapshot.time, 1) // → { total: 800, login: { in: 790, … }, … }
 */
export function tallyClients(
  clients: readonly ClientSnapshot[],
  from: number,
  timeMs: number,
  speed: number,
): ClientTally {
  const login: Record<LoginState, number> = { in: 0, 'logging-in': 0, lost: 0, relogged: 0 };
  let cartItems = 0;
  let inCheckout = 0;
  for (let i = from; i < clients.length; i++) {
    const client = clients[i]!;
    login[loginState(client, isRecentlyLost(client, timeMs, speed))]++;
    cartItems += client.cartItems;
    if (client.checkoutStep > 0) inCheckout++;
  }
  return { total: Math.max(0, clients.length - from), login, cartItems, inCheckout };
}

/** The order and words of the summary's parts (the same words as a client's row). */
export const TALLY_PARTS: readonly { state: LoginState; words: string }[] = [
  { state: 'in', words: 'logged in' },
  { state: 'logging-in', words: 'logging in' },
  { state: 'lost', words: 'logged out' },
  { state: 'relogged', words: 'logged in again' },
];

const number = new Intl.NumberFormat('en');
export const formatCount = (n: number): string => number.format(n);

/** One sentence for assistive technology, e.g. "800 more clients: 790 logged in, 10 logged out; 1,532 cart items, 12 at checkout". */
export function describeTally(tally: ClientTally): string {
  const parts = TALLY_PARTS.filter((p) => tally.login[p.state] > 0).map(
    (p) => `${formatCount(tally.login[p.state])} ${p.words}`,
  );
  return `${formatCount(tally.total)} more clients: ${parts.join(', ')}; ${formatCount(tally.cartItems)} cart items, ${formatCount(tally.inCheckout)} at checkout`;
}
