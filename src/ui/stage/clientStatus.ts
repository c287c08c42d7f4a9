import type { ClientSnapshot } from '../../engine';

/**
 * What a client row says about login. "lost" is the lesson (a failure destroyed the session, or a
 * 401 sent the user back to login) and is the only state worded "logged out"; for a few seconds
 * after logging back in the row still says the user had to ("relogged"). The routine log-out →
 * log-in of the shop's cycle reads "logging in…", so routine traffic does not look like a loss.
 */
/** How long a user stays flagged after a loss: this many wall ms at the current speed. */
export const LOST_SHOW_MS = 10_000;

/**
 * Whether `client` lost their login within the last few seconds of the time shown. Derived from the
 * snapshot, so a rewound stage shows exactly what was true then — never a loss from its future.
 */
export function isRecentlyLost(client: ClientSnapshot, timeMs: number, speed: number): boolean {
  return (
    client.lostAtMs !== null &&
    client.lostAtMs <= timeMs &&
    timeMs - client.lostAtMs < LOST_SHOW_MS * Math.max(1, speed)
  );
}

export type LoginState = 'in' | 'lost' | 'relogged' | 'logging-in';

export function loginState(client: ClientSnapshot, recentlyLost: boolean): LoginState {
  if (client.sessionLost || (recentlyLost && !client.loggedIn)) return 'lost';
  if (recentlyLost) return 'relogged';
  return client.loggedIn ? 'in' : 'logging-in';
}

export const LOGIN_TEXT: Record<LoginState, string> = {
  in: 'logged in',
  lost: 'logged out',
  relogged: 'session lost, logged in again',
  'logging-in': 'logging in…',
};
