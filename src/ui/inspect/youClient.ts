/**
 * The page's own client, "You": each action is one real `fetch('/api/…')`.
 *
 * Stateful: the browser keeps the `sid` (and sticky `lb`) cookies; we send nothing by hand.
 * Stateless: the page sends the token and the cart on every request — which is exactly what
 * "stateless server" means.
 *
 * What You hold comes from one place: the engine, which follows your requests and their answers
 * (You's snapshot, `held`). A rewind or a what-if replays your requests there, so the panel, the
 * stage and the cookies (youCookies.ts) all show the You of the moment on screen.
 */
import { CHECKOUT_STEPS, type Mode, type Simulation } from '../../engine';
import { REQUEST_ID_HEADER } from '../../api/convert';
import type { ApiClient } from '../../api/client';
import { apiClusterFor } from '../../state/apiCluster';
import type { SimulationStore } from '../../state/simulationStore';
import { heldYou, type HeldYou } from './heldYou';
import { rememberMine, type InspectStore, type YouOutcome, type YouState } from './inspectStore';
import { nodeLabel } from '../../state/labels';

export type YouAction =
  | { type: 'login'; user: string }
  | { type: 'profile' }
  | { type: 'addItem'; item: string }
  | { type: 'viewCart' }
  | { type: 'checkout' }
  | { type: 'logout' }
  | { type: 'refresh' };

interface Plan {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers: Record<string, string>;
}

function plan(action: YouAction, you: HeldYou, mode: Mode): Plan {
  const headers: Record<string, string> = {};
  if (mode === 'stateless' && you.token !== null) headers.authorization = `Bearer ${you.token}`;
  const carried = mode === 'stateless' ? { cart: you.cart } : {};
  switch (action.type) {
    case 'login':
      return { label: 'Log in', method: 'POST', path: '/api/login', body: { user: action.user }, headers: {} };
    case 'profile':
      return { label: 'View profile', method: 'GET', path: '/api/profile', headers };
    case 'addItem':
      return {
        label: 'Add to cart',
        method: 'POST',
        path: '/api/cart/items',
        body: { item: action.item, ...carried },
        headers,
      };
    case 'viewCart':
      // A GET has no body, so a stateless cart rides in a header.
      if (mode === 'stateless') headers['x-cart'] = JSON.stringify(you.cart);
      return { label: 'View cart', method: 'GET', path: '/api/cart', headers };
    case 'checkout':
      return {
        label: `Checkout step ${nextCheckoutStep(you)}`,
        method: 'POST',
        path: '/api/checkout',
        body: { step: nextCheckoutStep(you), ...carried },
        headers,
      };
    case 'logout':
      // With refresh tokens, logout revokes the refresh token You hold.
      return you.refreshToken !== null
        ? { label: 'Log out', method: 'POST', path: '/api/logout', body: { refreshToken: you.refreshToken }, headers }
        : { label: 'Log out', method: 'POST', path: '/api/logout', headers };
    case 'refresh':
      // With refresh tokens: the refresh token in the body, to the one route that takes it (no access token).
      return you.refreshToken !== null
        ? {
            label: 'Refresh token',
            method: 'POST',
            path: '/api/refresh',
            body: { refreshToken: you.refreshToken },
            headers: {},
          }
        : { label: 'Refresh token', method: 'POST', path: '/api/token', headers };
  }
}

export function nextCheckoutStep(you: HeldYou): number {
  return Math.min(CHECKOUT_STEPS, you.checkoutStep + 1);
}

type Body = Record<string, unknown>;

/** Whether the answer says the credential You sent was refused (or You logged in afresh). */
function refusedAfter(action: YouAction, status: number, refused: boolean): boolean {
  if (status === 401) return true;
  if (status === 200 && (action.type === 'login' || action.type === 'refresh' || action.type === 'logout'))
    return false;
  return refused;
}

/** Plain words for a failed answer; null when the engine's own reason says it all. */
export function explain(
  status: number,
  reason: string | null,
  servedBy: string | null,
  you: HeldYou,
  sim: Simulation,
): string | null {
  if (status === 401 && sim.config.mode === 'stateless') {
    return you.token === null
      ? 'You hold no token: log in first.'
      : `Your token was refused (${reason ?? 'no reason'}). Log in again for a fresh one.`;
  }
  if (status === 401) {
    if (reason?.startsWith('no session cookie') === true) return 'Your browser holds no session cookie: log in first.';
    const home = you.home;
    if (home === null)
      return 'The server has no session for your cookie (it is from an earlier run, or you logged out). Log in again.';
    if (home === 'store')
      return 'The session store does not have your session any more: it was lost when the store failed, or it expired. Log in again.';
    const node = sim.snapshot().nodes.find((n) => n.id === home);
    const answeredBy = nodeLabel(servedBy);
    if (node === undefined || node.status === 'down') {
      return `Your session lived only in ${nodeLabel(home)}'s memory. ${nodeLabel(home)} ${node === undefined ? 'was removed' : 'crashed'}, and your session and cart died with it. The balancer sent you to ${answeredBy}, which has never heard of you. Log in again.`;
    }
    if (servedBy !== home) {
      return `Your session lives in ${nodeLabel(home)}'s memory, but the balancer sent you to ${answeredBy}, which does not have it (no sticky routing, or ${nodeLabel(home)} was marked down).`;
    }
    return `${nodeLabel(home)} no longer has your session: it crashed and came back empty, or the session expired. Log in again.`;
  }
  if (status === 502)
    return 'The balancer picked a node that is down but not yet detected by its health checks: the connection was refused. Try again in a moment.';
  if (status === 503)
    return reason?.includes('store') === true
      ? 'The session store is down: no node can read any session.'
      : 'No node is healthy: the balancer has nowhere to send you.';
  return null;
}

export interface YouDeps {
  api: ApiClient;
  inspect: InspectStore;
  sims: SimulationStore;
}

/** Runs one action; never throws (a network failure becomes the panel's message). */
export async function runYouAction(action: YouAction, { api, inspect, sims }: YouDeps): Promise<void> {
  const cluster = apiClusterFor(sims.getState().scenario.mode);
  const sim = sims.running.get(cluster);
  if (sim === undefined) return;
  // What You held when you sent it: it builds the request, and explains a refusal afterwards.
  const held = heldYou(sims);
  const request = plan(action, held, sim.config.mode);
  inspect.getState().updateYou({ busy: true });
  let outcome: YouOutcome;
  const change: Partial<YouState> = {};
  try {
    const headers =
      request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers };
    const response = await api.fetch(request.path, {
      method: request.method,
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const body = ((await response.json().catch(() => ({}))) ?? {}) as Body;
    const servedBy = response.headers.get('x-served-by');
    const idHeader = response.headers.get(REQUEST_ID_HEADER);
    const requestId = idHeader === null ? null : Number(idHeader);
    const reason = typeof body.reason === 'string' ? body.reason : null;
    change.refused = refusedAfter(action, response.status, inspect.getState().you.refused);
    outcome = {
      action: request.label,
      status: response.status,
      reason,
      servedBy,
      requestId,
      explanation: response.ok ? null : explain(response.status, reason, servedBy, held, sim),
      sessionNode: held.home,
    };
    if (requestId !== null) change.mine = rememberMine(inspect.getState().you.mine, { cluster, requestId });
  } catch (error) {
    outcome = {
      action: request.label,
      status: 0,
      reason: error instanceof Error ? error.message : String(error),
      servedBy: null,
      requestId: null,
      explanation: null,
      sessionNode: held.home,
    };
  }
  inspect.getState().updateYou({ ...change, busy: false, last: outcome });
  // Metrics and the stage show our request at once, even while the simulation is paused.
  sims.getState().publish();
}
