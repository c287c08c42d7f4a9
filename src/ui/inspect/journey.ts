/**
 * A user's requests as a sequence diagram, from the engine's recent events (pure: no React, no DOM).
 * Lanes are the parties a request meets — the user, the balancer, the servers, the shared store —
 * and each request becomes arrows between them, top to bottom in time order: the request to the
 * node that took it (through the balancer), a retry when a dead node refused the connection, the
 * node's call to the store when one holds sessions or the deny-list, and the answer back with its
 * status and size. Crashes, health verdicts and the user's lost sessions are marks on their lanes.
 *
 * The engine keeps its last `eventLogSize` events (a ring), so the diagram covers the recent past;
 * after a rewind the engine is the rewound one, so later requests are simply not there.
 *
 * @example
 * const journey = buildJourney({ events: sim.recentEvents(), client: 'c1', clientName: 'Ada',
 *   nodes: ['server-1', 'server-2'], store: null });
 * journey.items[0]; // { kind: 'request', arrows: [{ from: 'client', to: 'server-1', … }, …] }
 */
import type { CredentialKind, HttpResponse, SimEvent } from '../../engine';
import { nodeLabel } from '../../state/labels';

export type LaneKind = 'client' | 'balancer' | 'node' | 'store';
export interface JourneyLane {
  /** 'client', 'balancer', a node's id ('server-2') or 'store'. */
  id: string;
  label: string;
  kind: LaneKind;
}

/** neutral: a request or a 2xx/3xx answer; fail: an answer ≥ 400; store: a call to the store. */
export type ArrowTone = 'request' | 'retry' | 'store' | 'ok' | 'fail';
export interface JourneyArrow {
  from: string;
  to: string;
  text: string;
  tone: ArrowTone;
  /** Drawn at the arrow's head: the connection was refused (dead node), or the store did not answer. */
  refused: boolean;
  /** A call and its reply on one line (node ⇄ store). */
  both: boolean;
}

export interface JourneyRequest {
  kind: 'request';
  key: string;
  id: number;
  time: number;
  method: string;
  path: string;
  sizeBytes: number;
  credential: CredentialKind;
  /** Nodes the balancer tried, in order; `refused` when the node was dead. */
  attempts: { node: string; refused: boolean }[];
  /** null while the request is on its way. */
  status: number | null;
  reason: string | null;
  /** The node that answered, or 'balancer' for its own 502 / 503; null while on its way. */
  answeredBy: string | null;
  answerBytes: number | null;
  arrows: JourneyArrow[];
  /** What a screen reader (and the button's name) says. */
  summary: string;
}

export type MarkTone = 'crash' | 'recover' | 'notice' | 'lost';
export interface JourneyMark {
  kind: 'mark';
  key: string;
  time: number;
  lane: string;
  text: string;
  tone: MarkTone;
}

export type JourneyItem = JourneyRequest | JourneyMark;

export interface Journey {
  lanes: JourneyLane[];
  items: JourneyItem[];
  /** Servers not drawn because nothing of this user's journey happened on them. */
  hiddenNodes: number;
  /** How many of the user's requests the events still held (before `limit`). */
  requestsKept: number;
}

export interface JourneyInput {
  events: readonly SimEvent[];
  /** The user's client id ('c3', or 'you'). */
  client: string;
  clientName: string;
  /** The cluster's nodes now, in order (server-1 …). */
  nodes: readonly string[];
  /** What the cluster's shared store holds, or null when it has none. */
  store: 'sessions' | 'deny-list' | 'refresh-tokens' | null;
  /** The answer's size in bytes, when the engine still keeps the request's record. */
  answerBytes?: (requestId: number) => number | null;
  /** At most this many of the user's most recent requests (default 12). */
  limit?: number;
  /** Draw every server when there are at most this many; else only those on the user's path (default 4). */
  maxNodeLanes?: number;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(status: number): string {
  const text = STATUS_TEXT[status];
  return text === undefined ? String(status) : `${status} ${text}`;
}

/**
 * An answer's size as it would go over the wire, counted like the engine counts a request
 * (`requestSizeBytes`): status line, headers, blank line, JSON body. The engine records the request's
 * size but not the answer's, so the page counts it here from the kept record.
 */
export function responseSizeBytes(response: HttpResponse): number {
  let size = `HTTP/1.1 ${response.status} \r\n`.length + (STATUS_TEXT[response.status]?.length ?? 0);
  for (const name in response.headers) size += name.length + response.headers[name]!.length + 4;
  size += 2;
  if (response.body !== undefined) size += new TextEncoder().encode(JSON.stringify(response.body)).length;
  return size;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Shorter, for the drawing: a user's requests are seconds apart. */
function shortSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function bytes(count: number): string {
  return `${count.toLocaleString('en')} B`;
}

function byNodeNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** What the node asks the store for this request, or null when it does not call the store. */
function storeCall(store: JourneyInput['store'], credential: CredentialKind, path: string): string | null {
  if (store === 'sessions') {
    if (path === '/api/login') return 'writes the session';
    if (path === '/api/logout' && credential === 'cookie') return 'deletes the session';
    return credential === 'cookie' ? 'reads the session' : null;
  }
  if (path === '/api/refresh') return store === null ? null : 'looks up the refresh token';
  if (path === '/api/logout' && store === 'refresh-tokens') return 'revokes the refresh token';
  if (store === 'deny-list') {
    if (credential !== 'token') return null;
    return path === '/api/logout' ? 'adds the token to the deny-list' : 'checks the deny-list';
  }
  return null;
}

interface Open {
  id: number;
  time: number;
  method: string;
  path: string;
  sizeBytes: number;
  credential: CredentialKind;
  attempts: { node: string; refused: boolean }[];
  status: number | null;
  reason: string | null;
  answeredBy: string | null;
}

function toRequest(open: Open, input: JourneyInput): JourneyRequest {
  const arrows: JourneyArrow[] = [];
  const first = open.attempts[0];
  const head = `${shortSeconds(open.time)} · ${open.method} ${open.path} · ${bytes(open.sizeBytes)}`;
  arrows.push({
    from: 'client',
    to: first?.node ?? 'balancer',
    text: head,
    tone: 'request',
    refused: first?.refused ?? false,
    both: false,
  });
  for (let i = 1; i < open.attempts.length; i++) {
    const attempt = open.attempts[i]!;
    arrows.push({
      from: 'balancer',
      to: attempt.node,
      text: `retry on ${nodeLabel(attempt.node)}`,
      tone: 'retry',
      refused: attempt.refused,
      both: false,
    });
  }
  const answerBytes = open.status === null ? null : (input.answerBytes?.(open.id) ?? null);
  const node = open.answeredBy !== null && open.answeredBy !== 'balancer' ? open.answeredBy : null;
  const call = node === null ? null : storeCall(input.store, open.credential, open.path);
  const storeFailed = open.status === 503 && /store/.test(open.reason ?? '');
  if (node !== null && call !== null) {
    arrows.push({
      from: node,
      to: 'store',
      text: storeFailed ? 'store down: no answer' : call,
      tone: 'store',
      refused: storeFailed,
      both: !storeFailed,
    });
  }
  if (open.status !== null && open.answeredBy !== null) {
    arrows.push({
      from: open.answeredBy,
      to: 'client',
      text: `${statusText(open.status)}${answerBytes === null ? '' : ` · ${bytes(answerBytes)}`}`,
      tone: open.status >= 400 ? 'fail' : 'ok',
      refused: false,
      both: false,
    });
  }

  const parts = [`#${open.id} at ${seconds(open.time)}: ${open.method} ${open.path}, ${open.sizeBytes} bytes`];
  open.attempts.forEach((attempt, i) => {
    const to = nodeLabel(attempt.node);
    parts.push(
      attempt.refused
        ? `${i === 0 ? 'sent to' : 'retried on'} ${to}, which refused it (down)`
        : `${i === 0 ? 'sent to' : 'retried on'} ${to}`,
    );
  });
  if (call !== null && node !== null) parts.push(storeFailed ? 'the store did not answer' : `${call} in the store`);
  if (open.status === null) parts.push('on its way');
  else {
    const from = open.answeredBy === 'balancer' ? 'the balancer' : nodeLabel(open.answeredBy);
    parts.push(
      `${from} answered ${statusText(open.status)}${open.reason === null ? '' : ` (${open.reason})`}` +
        (answerBytes === null ? '' : `, ${answerBytes} bytes`),
    );
  }

  return {
    kind: 'request',
    key: `r${open.id}`,
    id: open.id,
    time: open.time,
    method: open.method,
    path: open.path,
    sizeBytes: open.sizeBytes,
    credential: open.credential,
    attempts: open.attempts,
    status: open.status,
    reason: open.reason,
    answeredBy: open.answeredBy,
    answerBytes,
    arrows,
    summary: parts.join('; '),
  };
}

function where(place: string): string {
  return place === 'store' ? 'the store' : nodeLabel(place);
}

/** Marks on the lanes: what happened around the user's requests, and to the user. */
function toMark(event: SimEvent, input: JourneyInput, index: number): JourneyMark | null {
  const at = shortSeconds(event.time);
  const mark = (lane: string, text: string, tone: MarkTone): JourneyMark => ({
    kind: 'mark',
    key: `m${index}:${event.type}:${event.time}`,
    time: event.time,
    lane,
    text: `${at} · ${text}`,
    tone,
  });
  switch (event.type) {
    case 'node.down':
      return mark(event.node, `${nodeLabel(event.node)} ${event.cause === 'crash' ? 'crashed' : 'removed'}`, 'crash');
    case 'node.up':
      return mark(event.node, `${nodeLabel(event.node)} is back (empty)`, 'recover');
    case 'node.marked':
      return mark('balancer', `health checks mark ${nodeLabel(event.node)} ${event.health.toUpperCase()}`, 'notice');
    case 'store.down':
      return input.store === null ? null : mark('store', 'the store failed', 'crash');
    case 'store.up':
      return input.store === null ? null : mark('store', 'the store is back', 'recover');
    case 'session.lost':
      return event.clients.includes(input.client)
        ? mark(event.where, `${input.clientName}'s session lost with ${where(event.where)}`, 'lost')
        : null;
    case 'client.relogin':
      return event.client === input.client
        ? mark(
            'client',
            `${input.clientName} must log in again` +
              (event.cartItemsLost > 0 ? ` (${event.cartItemsLost} cart items lost)` : ''),
            'lost',
          )
        : null;
    default:
      return null;
  }
}

export function buildJourney(input: JourneyInput): Journey {
  const limit = input.limit ?? 12;
  const open = new Map<number, Open>();
  const order: Open[] = [];
  const marks: JourneyMark[] = [];
  input.events.forEach((event, index) => {
    switch (event.type) {
      case 'request.sent': {
        if (event.client !== input.client) return;
        const request: Open = {
          id: event.id,
          time: event.time,
          method: event.method,
          path: event.path,
          sizeBytes: event.sizeBytes,
          credential: event.credential,
          attempts: [],
          status: null,
          reason: null,
          answeredBy: null,
        };
        open.set(event.id, request);
        order.push(request);
        return;
      }
      case 'request.routed':
        open.get(event.id)?.attempts.push({ node: event.node, refused: false });
        return;
      case 'request.refused': {
        const request = open.get(event.id);
        const attempt = request?.attempts.findLast((a) => a.node === event.node);
        if (attempt !== undefined) attempt.refused = true;
        return;
      }
      case 'request.answered': {
        const request = open.get(event.id);
        if (request === undefined) return;
        request.status = event.status;
        request.reason = event.reason;
        request.answeredBy = event.node ?? 'balancer';
        return;
      }
      default: {
        const mark = toMark(event, input, index);
        if (mark !== null) marks.push(mark);
      }
    }
  });

  const kept = order.slice(-limit).map((request) => toRequest(request, input));
  const since = kept[0]?.time ?? -Infinity;
  const items: JourneyItem[] = [...kept, ...marks.filter((mark) => mark.time >= since)];
  // Stable: a mark and a request at the same moment keep the event stream's order.
  items.sort((a, b) => a.time - b.time);

  // Servers: all of them when few; else the ones this journey touched.
  const touched = new Set<string>();
  for (const item of items) {
    if (item.kind === 'mark') touched.add(item.lane);
    else for (const arrow of item.arrows) touched.add(arrow.from).add(arrow.to);
  }
  const known = [...input.nodes];
  for (const lane of touched)
    if (lane !== 'client' && lane !== 'balancer' && lane !== 'store' && !known.includes(lane)) known.push(lane);
  known.sort(byNodeNumber);
  const maxNodeLanes = input.maxNodeLanes ?? 4;
  const shownNodes = known.length <= maxNodeLanes ? known : known.filter((node) => touched.has(node));

  const lanes: JourneyLane[] = [
    { id: 'client', label: input.clientName, kind: 'client' },
    { id: 'balancer', label: 'Balancer', kind: 'balancer' },
    ...shownNodes.map((node) => ({ id: node, label: nodeLabel(node), kind: 'node' as const })),
  ];
  if (input.store !== null)
    lanes.push({
      id: 'store',
      label:
        input.store === 'sessions'
          ? 'Session store'
          : input.store === 'refresh-tokens'
            ? 'Token store'
            : 'Deny-list store',
      kind: 'store',
    });

  return { lanes, items, hiddenNodes: known.length - shownNodes.length, requestsKept: order.length };
}
