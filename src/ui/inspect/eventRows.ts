/**
 * Engine events → event-log rows. A request makes six events on its way; the log shows one row per
 * finished request (with the node that answered, found in its `request.answered`) plus the events
 * the lesson is about (crashes, health verdicts, lost sessions), unless every step is asked for.
 */
import type { SimEvent } from '../../engine';
import type { ClusterKey } from '../../state/simulationStore';
import { nodeLabel, YOU_ID, YOU_NAME } from '../../state/labels';

export interface LogRow {
  key: string;
  cluster: ClusterKey;
  timeMs: number;
  type: SimEvent['type'];
  client: string | null;
  /** The client as the log names it ("You", "Ada"): what the client filter offers and matches. */
  clientName: string | null;
  node: string | null;
  status: number | null;
  requestId: number | null;
  text: string;
}

export type StatusFilter = 'all' | '2xx' | '4xx' | '5xx' | 'failed';
export interface LogFilter {
  client: string;
  node: string;
  status: StatusFilter;
}
export const NO_FILTER: LogFilter = { client: 'all', node: 'all', status: 'all' };

/** What the cluster's shared store holds, for the words of its rows. */
export type StoreRole = 'sessions' | 'deny-list' | 'refresh-tokens';
const STORE_NAME: Record<StoreRole, string> = {
  sessions: 'the session store',
  'deny-list': 'the token deny-list store',
  'refresh-tokens': 'the token store (refresh tokens)',
};

function where(place: string): string {
  return place === 'store' ? 'the session store' : nodeLabel(place);
}

const REQUEST_STEPS = new Set<SimEvent['type']>([
  'request.sent',
  'request.routed',
  'request.refused',
  'request.started',
  'request.answered',
]);

function describe(event: SimEvent, name: (client: string) => string, store: StoreRole): string {
  switch (event.type) {
    case 'request.sent':
      return `${name(event.client)} sends ${event.method} ${event.path} (${event.sizeBytes} bytes, ${event.credential})`;
    case 'request.routed':
      return `balancer → ${nodeLabel(event.node)}${event.sticky ? ' (sticky)' : ''}, attempt ${event.attempt}`;
    case 'request.refused':
      return `${nodeLabel(event.node)} refused the connection (down)`;
    case 'request.started':
      return `${nodeLabel(event.node)} starts it after ${Math.round(event.queuedMs)} ms in the queue`;
    case 'request.answered':
      return `${nodeLabel(event.node)} answers ${event.status}${event.reason === null ? '' : `: ${event.reason}`}`;
    case 'request.finished':
      return `${name(event.client)} gets ${event.status} in ${Math.round(event.latencyMs)} ms`;
    case 'node.down':
      return `${nodeLabel(event.node)} ${event.cause === 'crash' ? 'crashed' : 'was removed'}`;
    case 'node.up':
      return `${nodeLabel(event.node)} is back (empty)`;
    case 'node.added':
      return `${nodeLabel(event.node)} added`;
    case 'node.removed':
      return `${nodeLabel(event.node)} removed`;
    case 'node.marked':
      return `health checks mark ${nodeLabel(event.node)} ${event.health.toUpperCase()}`;
    case 'session.created':
      return `session for ${name(event.client)} created in ${where(event.where)}`;
    case 'session.ended':
      return `session of ${name(event.client)} ended (${event.cause})`;
    case 'session.lost':
      return `${event.sessions} session${event.sessions === 1 ? '' : 's'} lost in ${where(event.where)} (${event.cartItems} cart items)`;
    case 'client.relogin':
      return `${name(event.client)} logged out by a 401: must log in again (${event.cartItemsLost} cart items lost)`;
    case 'checkout.completed':
      return `${name(event.client)} completed checkout`;
    case 'store.down':
      return `${STORE_NAME[store]} failed`;
    case 'store.up':
      return `${STORE_NAME[store]} is back`;
  }
}

function clientOf(event: SimEvent): string | null {
  return 'client' in event ? event.client : null;
}

/**
 * `name` names a client id; `store` says what the cluster's shared store holds (a stateless
 * cluster's store is the token deny-list).
 */
export function toRows(
  events: readonly SimEvent[],
  cluster: ClusterKey,
  everyStep: boolean,
  name: (client: string) => string,
  store: StoreRole = cluster === 'stateless' ? 'deny-list' : 'sessions',
): LogRow[] {
  const answeredBy = new Map<number, string | null>();
  for (const event of events) if (event.type === 'request.answered') answeredBy.set(event.id, event.node);
  const rows: LogRow[] = [];
  // Keys stay the same while the engine's ring buffer slides, so React keeps rows instead of
  // remounting them; a repeat (two attempts on one node) gets a counter.
  const seen = new Map<string, number>();
  const rowKey = (base: string) => {
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  };
  for (const event of events) {
    if (!everyStep && REQUEST_STEPS.has(event.type)) continue;
    const requestId = 'id' in event ? event.id : null;
    let node: string | null = 'node' in event ? event.node : 'where' in event ? event.where : null;
    if (event.type === 'request.finished') node = answeredBy.get(event.id) ?? null;
    const client = clientOf(event);
    rows.push({
      key: rowKey(`${cluster}:${event.type}:${requestId ?? event.time}:${node ?? ''}:${client ?? ''}`),
      cluster,
      timeMs: event.time,
      type: event.type,
      client,
      clientName: client === null ? null : name(client),
      node,
      status: 'status' in event ? event.status : null,
      requestId,
      text: describe(event, name, store),
    });
  }
  return rows;
}

function statusMatches(status: number | null, filter: StatusFilter): boolean {
  if (filter === 'all') return true;
  if (status === null) return false;
  if (filter === 'failed') return status >= 400;
  return Math.floor(status / 100) === Number(filter[0]);
}

/**
 * Names the clients of events: simulated users by their names (they log in under their own id);
 * You by the id of its requests ("you") and by any other id — the name You logged in with, which
 * the sessions You create carry — so You is one person in the log, not two.
 */
export function clientNamer(clients: Iterable<{ id: string; name: string }>): (client: string) => string {
  const names = new Map<string, string>([[YOU_ID, YOU_NAME]]);
  for (const client of clients) if (client.id !== YOU_ID) names.set(client.id, client.name);
  return (client) => names.get(client) ?? 'You';
}

/**
 * The client filter's choices: each name once (one person may appear under two ids — You's
 * requests and the sessions made under the name You logged in with), You first, then by name.
 */
export function clientChoices(rows: readonly LogRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) if (row.clientName !== null) names.add(row.clientName);
  return [...names].sort((a, b) => (a === 'You' ? -1 : b === 'You' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
}

/** `filter.client` is a name from clientChoices ('all': every row). */
export function filterRows(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
  return rows.filter(
    (row) =>
      (filter.client === 'all' || row.clientName === filter.client) &&
      (filter.node === 'all' || row.node === filter.node) &&
      statusMatches(row.status, filter.status),
  );
}
