/**
 * The request pipeline: one request's life from the client's send to the client's receipt, the
 * same steps for the simulated clients and for the page's own requests (`send()`).
 *
 *   open ─▶ route (balancer picks a node) ─▶ arrive (refused by a dead node: route again, or give up)
 *        ─▶ handle (the node's route handler runs; its cost joins the service time) ─▶ served
 *        ─▶ answer (the balancer tags it and sends it back) ─▶ finish (metrics, record, event)
 *
 * A simulated client's request takes each step at its own moment on the agenda, with network
 * latency between them, a queue when the node's workers are busy, and a crash killing it inside a
 * node. `send()` takes the same steps back to back and answers at once: the page needs a real
 * answer now, so its latency is what the steps would cost (network hops, the mean service time
 * and the handler's own cost), not time spent waiting on the agenda.
 */
import { requestSizeBytes, problem, readCookie } from './http';
import { newConnection, serve, type Connection, type RouteContext } from './routes';
import { noHealthyNode, refusedConnection, type Balancer } from './balancer';
import { tokenFingerprint, type TokenService } from './jwt';
import type { SimClient } from './client';
import type { ServerNode } from './node';
import type { Nodes } from './nodes';
import type { OutsideClient } from './outsideClient';
import type { Bill, SessionHome } from './sessions';
import type { SharedStore } from './store';
import { OrdersDb } from './orders';
import { Kind, Lane, type World } from './world';
import type { ClientAction, CredentialKind, HttpRequest, HttpResponse, RequestRecord } from './types';

/** Name of the outside client in events ("You" in the page). */
export const OUTSIDE_CLIENT = 'you';

/** Numbers the nodes' caches of checked tokens for TokenSighting (one per handler, see handlerFor). */
let tokenCaches = 0;

/**
 * Where a simulated user's Flight keeps its connection (see Connection): under a symbol, which
 * fork() does not copy (it copies own string keys), so a fork's users start with fresh ones.
 */
const CONNECTION = Symbol('connection');

/** What an answered Flight holds until its client's next request (see clientReceives). */
const NO_REQUEST: HttpRequest = Object.freeze({ method: 'GET', path: '/', headers: Object.freeze({}) });

/**
 * One request on its way through the cluster. A simulated user's Flight is reused for its next
 * request (see open()): keep no reference to a Flight past its client's receipt of the answer.
 */
export interface Flight {
  id: number;
  /** Who sent it: a simulated client's id, or OUTSIDE_CLIENT. */
  clientId: string;
  /** The simulated client that sent it; null for the page's own request. */
  client: SimClient | null;
  request: HttpRequest;
  /** The step of the client's workflow it was sent for (null for the page's own request). */
  action: ClientAction | null;
  sentAt: number;
  attempt: number;
  /** Nodes that refused this request's connection (not tried again). */
  refusedBy: ServerNode[] | null;
  node: ServerNode | null;
  /** The node its `lb` cookie names (read by the balancer when it routed it; null: none, or not sticky). */
  pinnedTo: string | null;
  /** When it reached its node (for the time it waited in the queue). */
  arrivedAt: number;
  /** Set when the node holding the request crashed: its scheduled completion must do nothing. */
  cancelled: boolean;
  response: HttpResponse | null;
  /** The inspector's copy, when the engine keeps one. */
  record: RequestRecord | null;
  /** A simulated user's connection, made at its first request (not copied by fork). */
  [CONNECTION]?: Connection;
}

/** What one node's route handler is given, built once per node and reused (handlers run one at a time). */
interface Handler {
  route: RouteContext;
  bill: Bill;
}

export class RequestPipeline {
  private nextRequestId = 1;
  /** Per node; a fork starts with an empty map and builds its own (the handlers close over their node). */
  private readonly handlers = new WeakMap<ServerNode, Handler>();
  /** The orders database every node writes (it outlives them all). */
  private readonly orders: OrdersDb;

  constructor(
    private readonly world: World,
    private readonly balancer: Balancer,
    private readonly nodes: Nodes,
    private readonly home: SessionHome,
    private readonly store: SharedStore | null,
    private readonly tokens: TokenService,
    private readonly outside: OutsideClient,
  ) {
    this.orders = new OrdersDb(world.recorder);
  }

  // --- simulated clients: each step at its moment on the agenda ----------------------------

  clientSends(client: SimClient): void {
    const world = this.world;
    const request = client.nextRequest(world.now);
    if (client.action === 'login') client.loginSentAt = world.now;
    const arriveAt = world.now + world.config.clientLatencyMs;
    const flight = this.open(client, client.id, request, client.requestBytes, client.credential, arriveAt);
    world.agenda.push(arriveAt, Kind.BalancerRoutes, flight, Lane.ClientHop);
  }

  balancerRoutes(flight: Flight): void {
    const world = this.world;
    const arriveAt = world.now + world.config.clusterLatencyMs;
    if (this.route(flight, arriveAt) === null) this.balancerAnswers(flight, flight.response!, null);
    else world.agenda.push(arriveAt, Kind.NodeReceives, flight, Lane.ClusterHop);
  }

  nodeReceives(flight: Flight): void {
    const world = this.world;
    const node = flight.node!;
    if (!accepts(node)) {
      const kind = this.refuse(flight, node) ? Kind.BalancerRoutes : Kind.BalancerGivesUp;
      world.agenda.push(world.now + world.config.clusterLatencyMs, kind, flight, Lane.ClusterHop);
      return;
    }
    node.version++;
    flight.arrivedAt = world.now;
    if (node.busyWorkers < world.config.workersPerNode) this.nodeStarts(node, flight);
    else node.queue.push(flight);
  }

  private nodeStarts(node: ServerNode, flight: Flight): void {
    node.busyWorkers++;
    node.inService.push(flight);
    const costMs = this.handle(node, flight);
    // Service time: exponential around the mean, plus what the handler's checks and lookups cost.
    const world = this.world;
    const serviceMs = -Math.log(1 - node.random.next()) * world.config.serviceTimeMs + costMs;
    world.agenda.push(world.now + serviceMs, Kind.NodeCompletes, flight);
  }

  nodeCompletes(flight: Flight): void {
    if (flight.cancelled) return;
    const node = flight.node!;
    node.busyWorkers--;
    removeFrom(node.inService, flight);
    node.version++;
    this.served(node, flight);
    this.balancerAnswers(flight, flight.response!, node);
    const next = node.queue.shift();
    if (next !== undefined) this.nodeStarts(node, next);
    else if (node.draining && node.inFlight === 0) this.nodes.finishRemoval(node);
  }

  /** Every request inside a crashed node dies with it: the balancer sees the connection reset. */
  nodeCrashed(node: ServerNode, victims: Flight[]): void {
    for (const flight of victims) {
      flight.cancelled = true;
      this.countServed(node);
      this.balancerAnswers(flight, problem(502, 'bad gateway', `${node.id} crashed while handling the request`), node);
    }
  }

  balancerGivesUp(flight: Flight): void {
    this.balancerAnswers(flight, flight.response!, null);
  }

  clientReceives(flight: Flight): void {
    const world = this.world;
    const { now, recorder, log, config } = world;
    const response = flight.response!;
    this.finish(flight, now - flight.sentAt);
    const client = flight.client!;
    const outcome = client.receive(flight.action!, response);
    if (outcome.kind === 'relogin') {
      client.noteLoss(now, outcome.cartItemsLost);
      recorder.relogins++;
      recorder.cartItemsLost += outcome.cartItemsLost;
      if (log.observed) {
        log.emit({
          type: 'client.relogin',
          time: now,
          client: client.id,
          cartItemsLost: outcome.cartItemsLost,
          checkoutStep: outcome.checkoutStep,
        });
      }
    } else if (outcome.kind === 'progress') {
      if (flight.action === 'login' && response.status === 200) recorder.logins++;
      if (outcome.checkoutCompleted) {
        recorder.checkoutsCompleted++;
        if (log.observed) log.emit({ type: 'checkout.completed', time: now, client: client.id });
      }
    }
    const thinkMs = client.thinkTimeMs(config.thinkTimeMinMs, config.thinkTimeMaxMs);
    world.agenda.push(now + thinkMs, Kind.ClientSends, client);
    // The Flight now waits on its client for the next request (see open()): it lets go of this
    // one's messages, or every idle user would keep its last request and answer alive for the
    // collector to copy.
    flight.request = NO_REQUEST;
    flight.response = null;
    flight.record = null;
  }

  private balancerAnswers(flight: Flight, response: HttpResponse, node: ServerNode | null): void {
    const world = this.world;
    const { clientLatencyMs, clusterLatencyMs } = world.config;
    const arriveAt = world.now + clientLatencyMs + (node !== null ? clusterLatencyMs : 0);
    this.answer(flight, response, node, arriveAt);
    world.agenda.push(arriveAt, Kind.ClientReceives, flight, node !== null ? Lane.BackToClient : Lane.ClientHop);
  }

  // --- the page's own request: the same steps, back to back --------------------------------

  /** Answers at once; never throws (a malformed message gets a 400 that says what is wrong). */
  send(request: HttpRequest): HttpResponse {
    const invalid = checkRequestShape(request);
    if (invalid !== null) return invalid;
    const { now, config } = this.world;
    const flight = this.open(null, OUTSIDE_CLIENT, request, requestSizeBytes(request), credentialOf(request), now);
    let latencyMs = 2 * config.clientLatencyMs;
    let node: ServerNode | null;
    for (;;) {
      node = this.route(flight, now);
      if (node === null) break;
      latencyMs += 2 * config.clusterLatencyMs;
      if (accepts(node)) break;
      if (!this.refuse(flight, node)) {
        node = null;
        break;
      }
    }
    if (node !== null) {
      node.version++;
      flight.arrivedAt = now;
      latencyMs += config.serviceTimeMs + this.handle(node, flight);
      this.served(node, flight);
    }
    const response = flight.response!;
    this.answer(flight, response, node, now);
    this.outside.observe(request, response, now);
    this.finish(flight, latencyMs);
    return response;
  }

  // --- the steps -----------------------------------------------------------------------------

  /** A request leaves its client: counted, recorded, told. */
  private open(
    client: SimClient | null,
    clientId: string,
    request: HttpRequest,
    sizeBytes: number,
    credential: CredentialKind,
    arriveAt: number,
  ): Flight {
    const { now, recorder, records, log } = this.world;
    recorder.requestSent(sizeBytes);
    const id = this.nextRequestId++;
    const record = records.open(id, clientId, request, sizeBytes, credential, now);
    // A simulated user sends its next request only once the last one is answered, so its Flight is
    // filled in again (fewer objects for the garbage collector): nothing else holds a finished
    // Flight, but a cancelled one still has its completion on the agenda, so it is never reused.
    let flight = client?.flight ?? null;
    if (flight !== null && !flight.cancelled) {
      flight.id = id;
      flight.request = request;
      flight.action = client!.action;
      flight.sentAt = now;
      flight.attempt = 1;
      flight.refusedBy = null;
      flight.node = null;
      flight.pinnedTo = null;
      flight.arrivedAt = 0;
      flight.response = null;
      flight.record = record;
    } else {
      flight = {
        id,
        clientId,
        client,
        request,
        action: client === null ? null : client.action,
        sentAt: now,
        attempt: 1,
        refusedBy: null,
        node: null,
        pinnedTo: null,
        arrivedAt: 0,
        cancelled: false,
        response: null,
        record,
      };
      if (client !== null) client.flight = flight;
    }
    if (log.observed) {
      log.emit({
        type: 'request.sent',
        time: now,
        id,
        client: clientId,
        method: request.method,
        path: request.path,
        credential,
        sizeBytes,
        arriveAt,
      });
    }
    return flight;
  }

  /** The balancer picks a node for it; null (and the balancer's own 503 as its answer) when none is usable. */
  private route(flight: Flight, arriveAt: number): ServerNode | null {
    const { now, recorder, log } = this.world;
    const node = this.balancer.choose(this.nodes.list, flight.request, flight.refusedBy);
    if (node === null) {
      recorder.noHealthyNode++;
      flight.response = noHealthyNode();
      return null;
    }
    flight.node = node;
    flight.pinnedTo = this.balancer.pinnedTo;
    if (log.observed) {
      log.emit({
        type: 'request.routed',
        time: now,
        id: flight.id,
        client: flight.clientId,
        node: node.id,
        attempt: flight.attempt,
        sticky: this.balancer.choseSticky,
        arriveAt,
      });
    }
    return node;
  }

  /**
   * The connection to a dead node is refused: nothing reached it, so any method is safe to retry.
   * true: route it again (elsewhere); false: the balancer gives up, with its 502 as the answer.
   */
  private refuse(flight: Flight, node: ServerNode): boolean {
    const { now, recorder, log } = this.world;
    recorder.refused++;
    this.balancer.refused(node);
    if (log.observed)
      log.emit({ type: 'request.refused', time: now, id: flight.id, client: flight.clientId, node: node.id });
    if (this.balancer.retries(flight.attempt)) {
      recorder.retried++;
      flight.attempt++;
      (flight.refusedBy ??= []).push(node);
      return true;
    }
    flight.response = refusedConnection(node);
    return false;
  }

  /** The node's route handler answers it; returns what its checks and lookups cost (ms of CPU or waiting). */
  private handle(node: ServerNode, flight: Flight): number {
    const { now, log } = this.world;
    const handler = this.handlerFor(node);
    handler.bill.costMs = 0;
    handler.route.nowMs = now;
    handler.route.connection = flight.client === null ? null : (flight[CONNECTION] ??= newConnection());
    // Whose purchase an order would be (the orders database counts duplicates by it).
    this.orders.current = flight.client;
    flight.response = serve(flight.request, handler.route);
    this.orders.current = null;
    if (flight.record !== null) {
      flight.record.startedAt = now;
      flight.record.queuedMs = now - flight.arrivedAt;
    }
    if (log.observed) {
      log.emit({
        type: 'request.started',
        time: now,
        id: flight.id,
        client: flight.clientId,
        node: node.id,
        queuedMs: now - flight.arrivedAt,
      });
    }
    return handler.bill.costMs;
  }

  /** The node is done with it: counted, and its answer says which node served it. */
  private served(node: ServerNode, flight: Flight): void {
    this.countServed(node);
    flight.response!.headers['x-served-by'] = node.id;
  }

  private countServed(node: ServerNode): void {
    node.served++;
    this.world.recorder.nodeServed(this.world.now, node.number - 1, node.id);
  }

  /** The balancer answers the client itself (502, 503), or relays a node's answer. */
  private answer(flight: Flight, response: HttpResponse, node: ServerNode | null, arriveAt: number): void {
    const { now, recorder, log } = this.world;
    if (node !== null) recorder.forwarded++;
    this.balancer.tagAnswer(flight.id, flight.pinnedTo, response, node);
    if (log.observed) {
      const body = response.body as { reason?: unknown } | null;
      log.emit({
        type: 'request.answered',
        time: now,
        id: flight.id,
        client: flight.clientId,
        node: node?.id ?? null,
        status: response.status,
        reason: response.status >= 400 && typeof body?.reason === 'string' ? body.reason : null,
        arriveAt,
      });
    }
    flight.response = response;
    if (flight.record !== null) {
      flight.record.response = response;
      flight.record.node = node?.id ?? null;
      flight.record.attempts = flight.attempt;
    }
  }

  /** The answer reached its client: latency and status counted, recorded, told. */
  private finish(flight: Flight, latencyMs: number): void {
    const { now, recorder, log } = this.world;
    const status = flight.response!.status;
    if (flight.record !== null) {
      flight.record.finishedAt = now;
      flight.record.latencyMs = latencyMs;
    }
    recorder.requestFinished(now, status, latencyMs);
    if (log.observed) {
      log.emit({
        type: 'request.finished',
        time: now,
        id: flight.id,
        client: flight.clientId,
        status,
        ok: status < 400,
        latencyMs,
      });
    }
  }

  /**
   * What a node's request handler sees: the clock, the token service, where sessions live, the
   * deny-list. Session and store access charge their simulated cost to the handler's bill.
   */
  private handlerFor(node: ServerNode): Handler {
    let handler = this.handlers.get(node);
    if (handler !== undefined) return handler;
    const world = this.world;
    const config = world.config;
    const bill: Bill = { costMs: 0 };
    // This node's cache of checked tokens, as a sighting names it: a number per handler, so a fork
    // (which builds its own handlers) never takes a sighting in the original's cache for its own.
    const cache = ++tokenCaches;
    const route: RouteContext = {
      mode: config.mode,
      nodeId: node.id,
      nowMs: world.now,
      epochMs: config.epochMs,
      tokenTtlMs: config.mode === 'stateless' && config.refreshTokens ? config.accessTtlMs : config.tokenTtlMs,
      tokens: this.tokens,
      sessions: this.home.access(node, bill),
      revocation: this.store?.role === 'deny-list' ? this.store.revocation(node, bill, config) : null,
      refresh: this.store?.keepsRefreshTokens === true ? this.store.refresh(node, bill, config) : null,
      refreshTtlMs: config.refreshTtlMs,
      orders: this.orders.access(node, bill, config),
      keys: node.keys,
      banned: world.banned,
      tally: world.recorder,
      chargeTokenCheck: (token, sighting) => {
        if (sighting !== undefined && sighting.heldBy === cache && sighting.heldGeneration === node.tokenGeneration)
          return;
        const fingerprint =
          sighting === undefined || sighting.fingerprint < 0 ? tokenFingerprint(token) : sighting.fingerprint;
        if (!node.checkedTokens.has(fingerprint)) {
          bill.costMs += config.jwtVerifyCostMs;
          node.rememberToken(token, fingerprint);
        }
        if (sighting !== undefined) {
          sighting.heldBy = cache;
          sighting.heldGeneration = node.tokenGeneration;
        }
      },
      newId: () => world.ids.hex(16),
      connection: null,
    };
    handler = { route, bill };
    this.handlers.set(node, handler);
    return handler;
  }
}

/** A node takes the connection: it is running and still in the cluster. */
function accepts(node: ServerNode): boolean {
  return node.status === 'up' && !node.removed;
}

/** What identifies the sender of a request the page wrote itself. */
function credentialOf(request: HttpRequest): CredentialKind {
  if (request.headers.authorization !== undefined) return 'token';
  return readCookie(request.headers.cookie, 'sid') !== null ? 'cookie' : 'none';
}

/** Removes one item, keeping the order (splice would allocate an array of what it removed). */
function removeFrom<T>(items: T[], item: T): void {
  const index = items.indexOf(item);
  for (let i = index; i < items.length - 1; i++) items[i] = items[i + 1]!;
  items.pop();
}

/** `send()` never throws: a malformed message gets a 400 that says what is wrong. */
function checkRequestShape(request: unknown): HttpResponse | null {
  const r = request as Partial<HttpRequest> | null;
  if (r === null || typeof r !== 'object')
    return problem(400, 'bad request', 'a request is an object { method, path, headers, body? }');
  if (typeof r.method !== 'string' || !/^[A-Z]+$/i.test(r.method))
    return problem(400, 'bad request', 'method must be an HTTP method such as GET or POST');
  if (typeof r.path !== 'string' || !r.path.startsWith('/'))
    return problem(400, 'bad request', 'path must start with /');
  if (r.headers === null || typeof r.headers !== 'object')
    return problem(400, 'bad request', 'headers must be an object of lower-case names');
  for (const [name, value] of Object.entries(r.headers)) {
    if (typeof value !== 'string') return problem(400, 'bad request', `header ${name} must be a string`);
    if (name !== name.toLowerCase()) return problem(400, 'bad request', `header names are lower-case: ${name}`);
  }
  return null;
}
