/**
 * What "You" hold — token, session and sticky cookies, cart, checkout step, where the session
 * lives — read from the one place that knows: the engine's snapshot of You, which follows your
 * requests and their answers and is replayed on a rewind or a what-if.
 */
import type { ClientSnapshot, Mode } from '../../engine';
import { apiClusterFor } from '../../state/apiCluster';
import { YOU_ID } from '../../state/labels';
import type { ClusterView, SimulationStore } from '../../state/simulationStore';

/** What You hold right now, as the engine followed it. */
export interface HeldYou {
  loggedIn: boolean;
  token: string | null;
  /** With refresh tokens: what You send to POST /api/refresh (and revoke at logout). */
  refreshToken: string | null;
  sid: string | null;
  lb: string | null;
  cart: readonly string[];
  checkoutStep: number;
  /** Where the session lives: a node's id, 'store', or null. */
  sessionNode: string | null;
  /** Where it lives, or lived until a failure destroyed it. */
  home: string | null;
}

export const NOBODY: HeldYou = {
  loggedIn: false,
  token: null,
  refreshToken: null,
  sid: null,
  lb: null,
  cart: [],
  checkoutStep: 0,
  sessionNode: null,
  home: null,
};

/** You's snapshot in a cluster's snapshot (first among the clients once You sent anything). */
export function youSnapshot(clients: readonly ClientSnapshot[] | undefined): ClientSnapshot | undefined {
  const first = clients?.[0];
  return first?.id === YOU_ID ? first : undefined;
}

export function heldFrom(you: ClientSnapshot | undefined): HeldYou {
  if (you?.held === undefined) return NOBODY;
  return {
    loggedIn: you.loggedIn,
    token: you.held.token,
    refreshToken: you.held.refreshToken ?? null,
    sid: you.held.sid,
    lb: you.held.lb,
    cart: you.held.cart,
    checkoutStep: you.checkoutStep,
    sessionNode: you.sessionNode,
    home: you.held.home,
  };
}

/** The cluster Your requests go to, as published to the page. */
export function apiView(clusters: readonly ClusterView[], mode: Mode | 'compare'): ClusterView | undefined {
  const key = apiClusterFor(mode);
  return clusters.find((view) => view.key === key);
}

/** What You hold in the engine right now (read from the engine, not from the last publish). */
export function heldYou(sims: SimulationStore): HeldYou {
  const sim = sims.running.get(apiClusterFor(sims.getState().scenario.mode));
  return heldFrom(youSnapshot(sim?.snapshot().clients));
}
