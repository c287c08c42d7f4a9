/**
 * Engine events → event-log rows. A request makes six events on its way; the log shows one row per
 * finished request (with the node that answered, found in its `request.answered`) plus the events
 * the lesson is about (crashes, health verdicts, lost sessions), unless every step is asked for.
 */
import type { SimEvent } from '../../engine';
import type { ClusterKey } from '../../state/simulationStore';
import { nodeLabel } from './nodeLabel';

export interface LogRow {
  key: string;
  cluster: ClusterKey;
  timeMs: number;
  type: SimEvent['type'];
  client: string | null;
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

const REQUEST_STEPS = new Set<SimEvent['type']>(['request.sent', 'request.routed', 'request.refused', 'request.started', 'request.answered']);

function describe(event: SimEvent, name: (client: string) => string): string {
  switch (event.type) {
    case 'request.sent': return `${name(event.client)} sends ${event.method} ${event.path} (${event.sizeBytes} bytes, ${event.credential})`;
    case 'request.routed': return `balancer → ${nodeLabel(event.node)}${event.sticky ? ' (sticky)' : ''}, attempt ${event.attempt}`;
    case 'request.refused': return `${nodeLabel(event.node)} refused the connection (down)`;
    case 'request.started': return `${nodeLabel(event.node)} starts it after ${Math.round(event.queuedMs)} ms in the queue`;
    case 'request.answered': return `${nodeLabel(event.node)} answers ${event.status}${event.reason === null ? '' : `: ${event.reason}`}`;
    case 'request.finished': return `${name(event.client)} gets ${event.status} in ${Math.round(event.latencyMs)} ms`;
    case 'node.down': return `${nodeLabel(event.node)} ${event.cause === 'crash' ? 'crashed' : 'was removed'}`;
    case 'node.up': return `${nodeLabel(event.node)} is back (empty)`;
    case 'node.added': return `${nodeLabel(event.node)} added`;
    case 'node.removed': return `${nodeLabel(event.node)} removed`;
    case 'node.marked': return `health checks mark ${nodeLabel(event.node)} ${event.health.toUpperCase()}`;
    case 'session.created': return `session for ${name(event.client)} created in ${nodeLabel(event.where)}`;
    case 'session.ended': return `session of ${name(event.client)} ended (${event.cause})`;
    case 'session.lost': return `${event.sessions} sessions lost in ${nodeLabel(event.where)} (${event.cartItems} cart items)`;
    case 'client.relogin': return `${name(event.client)} logged out by a 401: must log in again (${event.cartItemsLost} cart items lost)`;
    case 'checkout.completed': return `${name(event.client)} completed checkout`;
    case 'store.down': return 'the session store failed';
    case 'store.up': return 'the session store is back';
  }
}

function clientOf(event: SimEvent): string | null {
  return 'client' in event ? event.client : null;
}

export function toRows(events: readonly SimEvent[], cluster: ClusterKey, everyStep: boolean, name: (client: string) => string): LogRow[] {
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
    rows.push({
      key: rowKey(`${cluster}:${event.type}:${requestId ?? event.time}:${node ?? ''}:${clientOf(event) ?? ''}`),
      cluster, timeMs: event.time, type: event.type, client: clientOf(event), node,
      status: 'status' in event ? event.status : null, requestId, text: describe(event, name),
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

export function filterRows(rows: readonly LogRow[], filter: LogFilter): LogRow[] {
  return rows.filter((row) =>
    (filter.client === 'all' || row.client === filter.client)
    && (filter.node === 'all' || row.node === filter.node)
    && statusMatches(row.status, filter.status));
}
