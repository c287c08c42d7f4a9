/**
 * The discrete-event simulation: one agenda of timed callbacks, driven by advance(ms).
 *
 * A simulated request lives through five scheduled moments:
 *   client sends ──clientLatency──▶ balancer routes ──clusterLatency──▶ node accepts (or refuses)
 *   ──queue + service──▶ node answers ──clusterLatency + clientLatency──▶ client receives.
 * A refused connection (dead node the balancer has not yet noticed) is retried on another node up
 * to `retries` times; a crash fails every request inside the node with a 502 from the balancer.
 *
 * Invariants (test/engine/invariants.test.ts): every sent request finishes exactly once;
 * ok + failed = total; per-node totals sum to the balancer's forwarded count; stateless mode never
 * fails for lack of server state; a crashed node's sessions are never found again.
 */
import { createTokenService, type TokenService } from './jwt';
import { appendSetCookie, problem, readCookie, requestSizeBytes } from './http';
import { EventQueue } from './eventQueue';
import { MetricsRecorder } from './metrics';
import { ServerNode, type Flight } from './node';
import { SimClient } from './client';
import { createRandom, type Random } from './random';
import { serve, type RevocationAccess, type RouteContext, type Session, type SessionAccess } from './routes';
import { resolveConfig } from './config';
import { deepCopy } from './fork';
import { OutsideClient } from './outsideClient';
import type {
  ClientSnapshot,
  Command,
  CredentialKind,
  HttpRequest,
  HttpResponse,
  Metrics,
  NodeSnapshot,
  RequestRecord,
  SimConfig,
  SimEvent,
  Snapshot,
} from './types';

/** Thrown by apply() for a command that cannot be carried out; nothing is changed. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface Simulation {
  readonly config: Readonly<SimConfig>;
  /** Simulated ms since start. */
  readonly time: number;
  advance(ms: number): void;
  apply(command: Command): void;
  send(request: HttpRequest): HttpResponse;
  snapshot(): Snapshot;
  metrics(): Metrics;
  subscribe(listener: (event: SimEvent) => void): () => void;
  /** The most recent events (at most config.eventLogSize), oldest first. */
  recentEvents(): SimEvent[];
  /** Full request and response of one of the last config.eventLogSize requests, or null. */
  inspect(requestId: number): RequestRecord | null;
  /**
   * An independent copy of the simulation as it is now, with no listeners. Advancing the copy with
   * the same commands gives the same events as advancing the original: checkpoints, rewind, and
   * "what if" forks rest on this.
   */
  fork(): Simulation;
}

const SESSION_SWEEP_INTERVAL_MS = 10_000;

/** What happens at a scheduled moment: advance() switches on these (see EventQueue). */
const enum Kind {
  ClientSends,
  BalancerRoutes,
  NodeReceives,
  NodeCompletes,
  ClientReceives,
  BalancerGivesUp,
  HealthChecks,
  SessionSweep,
}
/** FIFO lanes of the agenda, one per fixed delay (events in each arrive in time order). */
const enum Lane {
  ClientHop,
  ClusterHop,
  BackToClient,
}
const NO_STORE =
  'this cluster has no shared store (stateful mode with sessionStore "shared", or stateless with denyList)';
/** Name of the outside client in events ("You" in the page). */
export const OUTSIDE_CLIENT = 'you';

/** The Redis-like store: sessions (stateful, shared) or the token deny-list (stateless). */
class SharedStore {
  status: 'up' | 'down' = 'up';
  readonly sessions = new Map<string, Session>();
  /** Revoked token id → its exp (seconds): an entry is useless once the token has expired. */
  readonly revoked = new Map<string, number>();
  version = 0;

  constructor(readonly role: 'sessions' | 'deny-list') {}
}

class SimulationImpl implements Simulation {
  readonly config: SimConfig;
  private now = 0;
  private readonly agenda = new EventQueue<Flight | SimClient>(3);
  private readonly nodes: ServerNode[] = [];
  private nodeCount = 0;
  private readonly clients: SimClient[] = [];
  private readonly clientsById = new Map<string, SimClient>();
  private readonly outside = new OutsideClient();
  private readonly store: SharedStore | null;
  private readonly tokens: TokenService;
  private readonly recorder = new MetricsRecorder();
  private readonly balancerRandom: Random;
  private readonly idRandom: Random;
  private roundRobinIndex = 0;
  /** Set by chooseNode(): the sticky cookie picked its node. */
  private choseSticky = false;
  private nextRequestId = 1;
  private listeners = new Set<(event: SimEvent) => void>();
  private readonly eventLog: SimEvent[] = [];
  /** The last eventLogSize requests in full, oldest first (Map keeps insertion order). */
  private readonly records = new Map<number, RequestRecord>();
  private eventLogStart = 0;
  /** Events are built only when someone reads them: a benchmark with no listener pays nothing. */
  private observed: boolean;
  private readonly snapshotCache = new WeakMap<object, { version: number; value: NodeSnapshot | ClientSnapshot }>();
  private storeVersionSeen = -1;
  private readonly routeContexts = new WeakMap<ServerNode, { route: RouteContext; costMs: number }>();
  private storeSnapshot: Snapshot['store'] = null;

  constructor(config: SimConfig) {
    this.config = config;
    this.tokens = createTokenService(config.jwtSecret);
    this.balancerRandom = createRandom(config.seed, 'balancer');
    this.idRandom = createRandom(config.seed, 'ids');
    this.store =
      config.mode === 'stateful' && config.sessionStore === 'shared'
        ? new SharedStore('sessions')
        : config.mode === 'stateless' && config.denyList
          ? new SharedStore('deny-list')
          : null;
    this.observed = config.eventLogSize > 0;
    for (let i = 0; i < config.nodes; i++) this.createNode(true);
    for (let i = 0; i < config.clients; i++) {
      const id = `c${i + 1}`;
      const client = new SimClient(id, i, createRandom(config.seed, `client:${i}`), config.mode, config.epochMs);
      this.clients.push(client);
      this.clientsById.set(id, client);
      // Clients arrive spread over the first think time, not all at once.
      this.agenda.push(client.thinkTimeMs(0, config.thinkTimeMaxMs), Kind.ClientSends, client);
    }
    this.agenda.push(config.healthCheckIntervalMs, Kind.HealthChecks, null);
    this.agenda.push(SESSION_SWEEP_INTERVAL_MS, Kind.SessionSweep, null);
  }

  get time(): number {
    return this.now;
  }

  fork(): Simulation {
    const allowedFunctions = new Set(
      Object.getOwnPropertyNames(SimulationImpl.prototype)
        .map((name) => (SimulationImpl.prototype as unknown as Record<string, unknown>)[name])
        .filter((value) => typeof value === 'function'),
    );
    // Events are immutable and the token service is pure (its caches only save work): shared.
    // Listeners belong to the original's page: the set is shared by the copy step, then replaced.
    const copy = deepCopy(this, {
      share: [this.config, this.tokens, this.listeners, ...this.eventLog],
      allowedFunctions,
    });
    copy.listeners = new Set();
    copy.observed = copy.config.eventLogSize > 0;
    return copy;
  }

  // --- driving ---------------------------------------------------------------------------

  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(ms) needs a finite number ≥ 0, got ${ms}`);
    const until = this.now + ms;
    const agenda = this.agenda;
    while (agenda.pop(until)) {
      this.now = agenda.time;
      const subject = agenda.subject;
      // A switch of direct calls, which the JIT can inline, rather than calling stored functions.
      switch (agenda.kind as Kind) {
        case Kind.ClientSends:
          this.clientSends(subject as SimClient);
          break;
        case Kind.BalancerRoutes:
          this.balancerRoutes(subject as Flight);
          break;
        case Kind.NodeReceives:
          this.nodeReceives(subject as Flight);
          break;
        case Kind.NodeCompletes:
          this.nodeCompletes(subject as Flight);
          break;
        case Kind.ClientReceives:
          this.clientReceives(subject as Flight);
          break;
        case Kind.BalancerGivesUp:
          this.balancerGivesUp(subject as Flight);
          break;
        case Kind.HealthChecks:
          this.runHealthChecks();
          break;
        case Kind.SessionSweep:
          this.sweepSessions();
          break;
      }
    }
    agenda.subject = null;
    this.now = until;
  }

  subscribe(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    this.observed = true;
    return () => {
      this.listeners.delete(listener);
      this.observed = this.listeners.size > 0 || this.config.eventLogSize > 0;
    };
  }

  inspect(requestId: number): RequestRecord | null {
    const record = this.records.get(requestId);
    return record === undefined ? null : structuredCloneRecord(record);
  }

  private openRecord(
    id: number,
    client: string,
    request: HttpRequest,
    sizeBytes: number,
    credential: CredentialKind,
  ): RequestRecord | null {
    if (this.config.eventLogSize === 0) return null;
    const record: RequestRecord = {
      id,
      client,
      request,
      response: null,
      sizeBytes,
      credential,
      node: null,
      attempts: 1,
      sentAt: this.now,
      startedAt: null,
      finishedAt: null,
      queuedMs: null,
      latencyMs: null,
    };
    this.records.set(id, record);
    if (this.records.size > this.config.eventLogSize) this.records.delete(this.records.keys().next().value!);
    return record;
  }

  recentEvents(): SimEvent[] {
    return [...this.eventLog.slice(this.eventLogStart), ...this.eventLog.slice(0, this.eventLogStart)];
  }

  private emit(event: SimEvent): void {
    const size = this.config.eventLogSize;
    if (size > 0) {
      if (this.eventLog.length < size) this.eventLog.push(event);
      else {
        this.eventLog[this.eventLogStart] = event;
        this.eventLogStart = (this.eventLogStart + 1) % size;
      }
    }
    for (const listener of this.listeners) listener(event);
  }

  // --- commands --------------------------------------------------------------------------

  apply(command: Command): void {
    switch (command?.type) {
      case 'failNode':
        return this.failNode(this.findNode(command.node), 'crash');
      case 'recoverNode':
        return this.recoverNode(this.findNode(command.node));
      case 'addNode': {
        if (this.nodes.length >= 32) throw new CommandError('addNode: a cluster has at most 32 nodes');
        const node = this.createNode(false);
        if (this.observed) this.emit({ type: 'node.added', time: this.now, node: node.id });
        return;
      }
      case 'removeNode': {
        const node = this.findNode(command.node);
        if (node.draining) return;
        if (this.nodes.filter((n) => !n.draining).length <= 1)
          throw new CommandError('removeNode: the last node cannot be removed');
        node.draining = true;
        node.version++;
        if (node.status === 'down' || node.inFlight === 0) this.finishRemoval(node);
        return;
      }
      case 'failStore':
        return this.failStore();
      case 'recoverStore':
        if (this.store === null) throw new CommandError(`recoverStore: ${NO_STORE}`);
        if (this.store.status === 'up') return;
        this.store.status = 'up';
        this.store.version++;
        if (this.observed) this.emit({ type: 'store.up', time: this.now });
        return;
      default:
        throw new CommandError(
          `unknown command ${JSON.stringify(command)}; commands are failNode, recoverNode, addNode, removeNode, failStore, recoverStore`,
        );
    }
  }

  private findNode(id: unknown): ServerNode {
    const node = this.nodes.find((n) => n.id === id);
    if (node === undefined) {
      throw new CommandError(
        `no node ${JSON.stringify(id)}; nodes are ${this.nodes.map((n) => n.id).join(', ') || 'none'}`,
      );
    }
    return node;
  }

  private createNode(startHealthy: boolean): ServerNode {
    this.nodeCount++;
    const id = `server-${this.nodeCount}`;
    const node = new ServerNode(id, createRandom(this.config.seed, `node:${id}`), startHealthy);
    this.nodes.push(node);
    return node;
  }

  private failNode(node: ServerNode, cause: 'crash' | 'removed'): void {
    if (node.status === 'down') return;
    node.status = 'down';
    node.version++;
    if (this.observed) this.emit({ type: 'node.down', time: this.now, node: node.id, cause });
    // Every request inside the node dies with it; the balancer sees the connection reset.
    const victims = [...node.inService, ...node.queue];
    node.inService.length = 0;
    node.queue.length = 0;
    node.busyWorkers = 0;
    for (const flight of victims) {
      flight.cancelled = true;
      this.nodeFinished(node);
      this.balancerAnswers(flight, problem(502, 'bad gateway', `${node.id} crashed while handling the request`), node);
    }
    this.loseSessions(node.id, node.sessions);
    node.checkedTokens.clear();
    if (node.draining) this.finishRemoval(node);
  }

  private recoverNode(node: ServerNode): void {
    if (node.status === 'up' || node.draining) return;
    node.status = 'up';
    node.consecutiveChecksOk = 0;
    node.version++;
    if (this.observed) this.emit({ type: 'node.up', time: this.now, node: node.id });
  }

  private finishRemoval(node: ServerNode): void {
    if (node.status === 'up') {
      node.status = 'down';
      if (this.observed) this.emit({ type: 'node.down', time: this.now, node: node.id, cause: 'removed' });
      this.loseSessions(node.id, node.sessions);
    }
    this.nodes.splice(this.nodes.indexOf(node), 1);
    node.removed = true;
    if (this.observed) this.emit({ type: 'node.removed', time: this.now, node: node.id });
  }

  private failStore(): void {
    if (this.store === null) throw new CommandError(`failStore: ${NO_STORE}`);
    if (this.store.status === 'down') return;
    this.store.status = 'down';
    this.store.version++;
    if (this.observed) this.emit({ type: 'store.down', time: this.now });
    // The store keeps nothing on disk: what it held is gone, not just out of reach. A lost
    // deny-list un-revokes every token on it.
    this.loseSessions('store', this.store.sessions);
    this.store.revoked.clear();
  }

  /** Sessions destroyed by a failure. The users whose current session it was are logged out. */
  private loseSessions(where: string, sessions: Map<string, Session>): void {
    if (sessions.size === 0) return;
    const affected: string[] = [];
    let cartItems = 0;
    for (const session of sessions.values()) {
      const client = this.clientsById.get(session.user);
      if (this.outside.sid === session.id) {
        cartItems += session.cart.length;
        this.outside.loseSession();
        this.outside.lostAtMs = this.now;
        affected.push(this.outside.id);
      } else if (client === undefined || client.sid === session.id) {
        cartItems += session.cart.length;
        if (client !== undefined) {
          client.loseSession();
          client.lostAtMs = this.now;
        }
        affected.push(session.user);
      } else if (client.action === 'login' && session.createdAt >= client.loginSentAt) {
        // Created by a login whose answer is still on its way: the user will find it gone.
        client.lostAtMs = this.now;
        client.version++;
        affected.push(session.user);
      }
    }
    const count = sessions.size;
    this.recorder.sessionsLost += count;
    this.recorder.cartItemsLost += cartItems;
    sessions.clear();
    if (this.observed)
      this.emit({ type: 'session.lost', time: this.now, where, sessions: count, clients: affected, cartItems });
  }

  // --- clients ---------------------------------------------------------------------------

  private clientSends(client: SimClient): void {
    const request = client.nextRequest(this.now);
    if (client.action === 'login') client.loginSentAt = this.now;
    const sizeBytes = client.requestBytes;
    this.recorder.requestSent(sizeBytes);
    const flight: Flight = {
      id: this.nextRequestId++,
      clientId: client.id,
      client,
      request,
      action: client.action,
      sentAt: this.now,
      attempt: 1,
      refusedBy: null,
      node: null,
      arrivedAt: 0,
      cancelled: false,
      response: null,
      record: null,
    };
    const arriveAt = this.now + this.config.clientLatencyMs;
    flight.record = this.openRecord(flight.id, client.id, request, sizeBytes, client.credential);
    if (this.observed) {
      this.emit({
        type: 'request.sent',
        time: this.now,
        id: flight.id,
        client: client.id,
        method: request.method,
        path: request.path,
        credential: client.credential,
        sizeBytes,
        arriveAt,
      });
    }
    this.agenda.push(arriveAt, Kind.BalancerRoutes, flight, Lane.ClientHop);
  }

  private clientReceives(flight: Flight): void {
    const response = flight.response!;
    const latencyMs = this.now - flight.sentAt;
    if (flight.record !== null) {
      flight.record.finishedAt = this.now;
      flight.record.latencyMs = latencyMs;
    }
    this.recorder.requestFinished(this.now, response.status, latencyMs);
    const client = flight.client;
    if (this.observed) {
      this.emit({
        type: 'request.finished',
        time: this.now,
        id: flight.id,
        client: client.id,
        status: response.status,
        ok: response.status < 400,
        latencyMs,
      });
    }
    const outcome = client.receive(flight.action, response);
    if (outcome.kind === 'relogin') {
      client.lostAtMs = this.now;
      client.version++;
      this.recorder.relogins++;
      this.recorder.cartItemsLost += outcome.cartItemsLost;
      if (this.observed) {
        this.emit({
          type: 'client.relogin',
          time: this.now,
          client: client.id,
          cartItemsLost: outcome.cartItemsLost,
          checkoutStep: outcome.checkoutStep,
        });
      }
    } else if (outcome.kind === 'progress') {
      if (flight.action === 'login' && response.status === 200) this.recorder.logins++;
      if (outcome.checkoutCompleted) {
        this.recorder.checkoutsCompleted++;
        if (this.observed) this.emit({ type: 'checkout.completed', time: this.now, client: client.id });
      }
    }
    const thinkMs = client.thinkTimeMs(this.config.thinkTimeMinMs, this.config.thinkTimeMaxMs);
    this.agenda.push(this.now + thinkMs, Kind.ClientSends, client);
  }

  // --- balancer --------------------------------------------------------------------------

  /**
   * Picks a node: the sticky node if the request names a healthy one, else by strategy among
   * healthy nodes not already refused. null when none is left.
   */
  private chooseNode(request: HttpRequest, refusedBy: ServerNode[] | null): ServerNode | null {
    // The answer is a node, and whether stickiness chose it in `choseSticky` (no object per request).
    this.choseSticky = false;
    const usable =
      refusedBy === null ? isUsable : (node: ServerNode): boolean => isUsable(node) && !refusedBy.includes(node);
    if (this.config.sticky) {
      const stickyId = readCookie(request.headers.cookie, 'lb');
      if (stickyId !== null) {
        for (const node of this.nodes) {
          if (node.id !== stickyId) continue;
          if (usable(node)) {
            this.choseSticky = true;
            return node;
          }
          break;
        }
      }
    }
    const nodes = this.nodes;
    const count = nodes.length;
    if (count === 0) return null;
    switch (this.config.balancer) {
      case 'round-robin':
        for (let i = 0; i < count; i++) {
          const node = nodes[(this.roundRobinIndex + i) % count]!;
          if (usable(node)) {
            this.roundRobinIndex = (this.roundRobinIndex + i + 1) % count;
            return node;
          }
        }
        return null;
      case 'least-connections': {
        // Ties go round-robin, as HAProxy's leastconn does.
        let best: ServerNode | null = null;
        let bestIndex = 0;
        for (let i = 0; i < count; i++) {
          const index = (this.roundRobinIndex + i) % count;
          const node = nodes[index]!;
          if (usable(node) && (best === null || node.inFlight < best.inFlight)) {
            best = node;
            bestIndex = index;
          }
        }
        if (best === null) return null;
        this.roundRobinIndex = (bestIndex + 1) % count;
        return best;
      }
      case 'random': {
        const candidates = nodes.filter(usable);
        if (candidates.length === 0) return null;
        return candidates[this.balancerRandom.int(candidates.length)]!;
      }
    }
  }

  private balancerRoutes(flight: Flight): void {
    const node = this.chooseNode(flight.request, flight.refusedBy);
    if (node === null) {
      this.recorder.noHealthyNode++;
      this.balancerAnswers(flight, noHealthyNode(), null);
      return;
    }
    flight.node = node;
    const arriveAt = this.now + this.config.clusterLatencyMs;
    if (this.observed) {
      this.emit({
        type: 'request.routed',
        time: this.now,
        id: flight.id,
        client: flight.clientId,
        node: node.id,
        attempt: flight.attempt,
        sticky: this.choseSticky,
        arriveAt,
      });
    }
    this.agenda.push(arriveAt, Kind.NodeReceives, flight, Lane.ClusterHop);
  }

  /** The balancer answers the client itself (502, 503), or relays a node's answer. */
  private balancerAnswers(flight: Flight, response: HttpResponse, node: ServerNode | null): void {
    if (node !== null) this.recorder.forwarded++;
    response.headers['x-request-id'] = String(flight.id);
    if (node !== null && response.status < 500) this.addBalancerHeaders(flight.request, response, node);
    const arriveAt = this.now + this.config.clientLatencyMs + (node !== null ? this.config.clusterLatencyMs : 0);
    if (this.observed) {
      const body = response.body as { reason?: unknown } | null;
      this.emit({
        type: 'request.answered',
        time: this.now,
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
    this.agenda.push(arriveAt, Kind.ClientReceives, flight, node !== null ? Lane.BackToClient : Lane.ClientHop);
  }

  /** `x-served-by`, and the sticky cookie when the client is not yet pinned to this node. */
  private addBalancerHeaders(request: HttpRequest, response: HttpResponse, node: ServerNode): void {
    response.headers['x-served-by'] = node.id;
    if (this.config.sticky && readCookie(request.headers.cookie, 'lb') !== node.id)
      appendSetCookie(response, `lb=${node.id}; Path=/; SameSite=Lax`);
  }

  private balancerGivesUp(flight: Flight): void {
    this.balancerAnswers(flight, flight.response!, null);
  }

  /** The connection to a dead node is refused: nothing reached it, so any method is safe to retry. */
  private refused(flight: Flight, node: ServerNode): void {
    this.recorder.refused++;
    if (this.observed)
      this.emit({ type: 'request.refused', time: this.now, id: flight.id, client: flight.clientId, node: node.id });
    if (flight.attempt <= this.config.retries) {
      this.recorder.retried++;
      flight.attempt++;
      (flight.refusedBy ??= []).push(node);
      this.agenda.push(this.now + this.config.clusterLatencyMs, Kind.BalancerRoutes, flight, Lane.ClusterHop);
      return;
    }
    flight.response = refusedConnection(node);
    this.agenda.push(this.now + this.config.clusterLatencyMs, Kind.BalancerGivesUp, flight, Lane.ClusterHop);
  }

  // --- nodes -----------------------------------------------------------------------------

  private nodeReceives(flight: Flight): void {
    const node = flight.node!;
    if (node.status === 'down' || node.removed) {
      this.refused(flight, node);
      return;
    }
    node.version++;
    flight.arrivedAt = this.now;
    if (node.busyWorkers < this.config.workersPerNode) this.nodeStarts(node, flight);
    else node.queue.push(flight);
  }

  private nodeStarts(node: ServerNode, flight: Flight): void {
    node.busyWorkers++;
    node.inService.push(flight);
    const context = this.routeContext(node);
    const response = serve(flight.request, context.route);
    // Service time: exponential around the mean, plus what the credential check cost.
    const serviceMs = -Math.log(1 - node.random.next()) * this.config.serviceTimeMs + context.costMs;
    if (flight.record !== null) {
      flight.record.startedAt = this.now;
      flight.record.queuedMs = this.now - flight.arrivedAt;
    }
    if (this.observed) {
      this.emit({
        type: 'request.started',
        time: this.now,
        id: flight.id,
        client: flight.clientId,
        node: node.id,
        queuedMs: this.now - flight.arrivedAt,
      });
    }
    flight.response = response;
    this.agenda.push(this.now + serviceMs, Kind.NodeCompletes, flight);
  }

  private nodeCompletes(flight: Flight): void {
    if (flight.cancelled) return;
    const node = flight.node!;
    const response = flight.response!;
    node.busyWorkers--;
    removeFrom(node.inService, flight);
    node.version++;
    this.nodeFinished(node);
    response.headers['x-served-by'] = node.id;
    this.balancerAnswers(flight, response, node);
    const next = node.queue.shift();
    if (next !== undefined) this.nodeStarts(node, next);
    else if (node.draining && node.inFlight === 0) this.finishRemoval(node);
  }

  private nodeFinished(node: ServerNode): void {
    node.served++;
    this.recorder.nodeServed(this.now, node.id);
  }

  /**
   * What a node's request handler sees: the clock, the token service, and where sessions live.
   * Session access charges its simulated cost (memory lookup, or a round trip to the store).
   */
  private routeContext(node: ServerNode): { route: RouteContext; costMs: number } {
    // Built once per node and reused: handlers run synchronously, one at a time.
    let holder = this.routeContexts.get(node);
    if (holder !== undefined) {
      holder.costMs = 0;
      holder.route.nowMs = this.now;
      return holder;
    }
    const config = this.config;
    holder = { route: null as unknown as RouteContext, costMs: 0 };
    const costs = holder;
    const store = this.store;
    const sessions: SessionAccess =
      store === null
        ? {
            where: node.id,
            get: (id) => {
              costs.costMs += config.sessionLookupCostMs;
              return node.sessions.get(id) ?? null;
            },
            create: (user) => this.createSession(node.sessions, user, node.id),
            destroy: (id) => this.endSession(node.sessions, id, node.id, 'logout'),
          }
        : {
            where: 'store',
            get: (id) => {
              costs.costMs += 2 * config.clusterLatencyMs;
              if (store.status === 'down') return 'unavailable';
              return store.sessions.get(id) ?? null;
            },
            create: (user) => {
              costs.costMs += 2 * config.clusterLatencyMs;
              return store.status === 'down' ? 'unavailable' : this.createSession(store.sessions, user, 'store');
            },
            destroy: (id) => {
              costs.costMs += 2 * config.clusterLatencyMs;
              if (store.status === 'up') this.endSession(store.sessions, id, 'store', 'logout');
            },
          };
    const revocation: RevocationAccess | null =
      store === null || store.role !== 'deny-list'
        ? null
        : {
            isRevoked: (jti) => {
              costs.costMs += 2 * config.clusterLatencyMs;
              return store.status === 'down' ? 'unavailable' : store.revoked.has(jti);
            },
            revoke: (jti, expiresAtSeconds) => {
              costs.costMs += 2 * config.clusterLatencyMs;
              if (store.status === 'down') return 'unavailable';
              store.revoked.set(jti, expiresAtSeconds);
              store.version++;
              return true;
            },
          };
    holder.route = {
      mode: config.mode,
      nodeId: node.id,
      nowMs: this.now,
      epochMs: config.epochMs,
      tokenTtlMs: config.tokenTtlMs,
      tokens: this.tokens,
      sessions,
      revocation,
      chargeTokenCheck: (token) => {
        if (node.checkedTokens.has(token)) return;
        costs.costMs += config.jwtVerifyCostMs;
        node.rememberToken(token);
      },
      newId: () => this.idRandom.hex(16),
    };
    this.routeContexts.set(node, holder);
    return holder;
  }

  private createSession(sessions: Map<string, Session>, user: string, where: string): Session {
    const session: Session = {
      id: this.idRandom.hex(24),
      user,
      cart: [],
      checkoutStep: 0,
      createdAt: this.now,
      lastSeenAt: this.now,
    };
    sessions.set(session.id, session);
    if (where === 'store') this.store!.version++;
    if (this.observed) this.emit({ type: 'session.created', time: this.now, client: user, where });
    return session;
  }

  private endSession(sessions: Map<string, Session>, id: string, where: string, cause: 'logout' | 'expired'): void {
    const session = sessions.get(id);
    if (session === undefined) return;
    sessions.delete(id);
    if (where === 'store') this.store!.version++;
    if (this.observed) this.emit({ type: 'session.ended', time: this.now, client: session.user, where, cause });
  }

  private sweepSessions(): void {
    const expiredBefore = this.now - this.config.sessionTtlMs;
    const sweep = (sessions: Map<string, Session>, where: string): void => {
      for (const session of [...sessions.values()]) {
        if (session.lastSeenAt < expiredBefore) this.endSession(sessions, session.id, where, 'expired');
      }
    };
    for (const node of this.nodes) {
      const before = node.sessions.size;
      sweep(node.sessions, node.id);
      if (node.sessions.size !== before) node.version++;
    }
    if (this.store !== null) {
      sweep(this.store.sessions, 'store');
      const nowSeconds = (this.config.epochMs + this.now) / 1000;
      for (const [jti, exp] of [...this.store.revoked]) {
        if (exp <= nowSeconds) {
          this.store.revoked.delete(jti);
          this.store.version++;
        }
      }
    }
    this.agenda.push(this.now + SESSION_SWEEP_INTERVAL_MS, Kind.SessionSweep, null);
  }

  // --- health checks ---------------------------------------------------------------------

  private runHealthChecks(): void {
    for (const node of this.nodes) this.healthCheck(node);
    this.agenda.push(this.now + this.config.healthCheckIntervalMs, Kind.HealthChecks, null);
  }

  private healthCheck(node: ServerNode): void {
    const passed = node.status === 'up';
    if (passed) {
      node.consecutiveChecksFailed = 0;
      node.consecutiveChecksOk++;
    } else {
      node.consecutiveChecksOk = 0;
      node.consecutiveChecksFailed++;
    }
    const next =
      node.health === 'up'
        ? node.consecutiveChecksFailed >= this.config.healthCheckFall
          ? 'down'
          : 'up'
        : node.consecutiveChecksOk >= this.config.healthCheckRise
          ? 'up'
          : 'down';
    if (next !== node.health) {
      node.health = next;
      node.version++;
      if (this.observed) this.emit({ type: 'node.marked', time: this.now, node: node.id, health: next });
    }
  }

  // --- outside requests ------------------------------------------------------------------

  send(request: HttpRequest): HttpResponse {
    const invalid = checkRequestShape(request);
    if (invalid !== null) return invalid;
    const config = this.config;
    const sizeBytes = requestSizeBytes(request);
    this.recorder.requestSent(sizeBytes);
    const id = this.nextRequestId++;
    const credential: CredentialKind =
      request.headers.authorization !== undefined
        ? 'token'
        : readCookie(request.headers.cookie, 'sid') !== null
          ? 'cookie'
          : 'none';
    const record = this.openRecord(id, OUTSIDE_CLIENT, request, sizeBytes, credential);
    if (this.observed) {
      this.emit({
        type: 'request.sent',
        time: this.now,
        id,
        client: OUTSIDE_CLIENT,
        method: request.method,
        path: request.path,
        credential,
        sizeBytes,
        arriveAt: this.now,
      });
    }
    let latencyMs = 2 * config.clientLatencyMs;
    let refusedBy: ServerNode[] | null = null;
    let response: HttpResponse | null = null;
    let answeredBy: ServerNode | null = null;
    for (let attempt = 1; response === null; attempt++) {
      const node = this.chooseNode(request, refusedBy);
      if (node === null) {
        this.recorder.noHealthyNode++;
        response = noHealthyNode();
        break;
      }
      latencyMs += 2 * config.clusterLatencyMs;
      if (this.observed) {
        this.emit({
          type: 'request.routed',
          time: this.now,
          id,
          client: OUTSIDE_CLIENT,
          node: node.id,
          attempt,
          sticky: this.choseSticky,
          arriveAt: this.now,
        });
      }
      if (node.status === 'down') {
        this.recorder.refused++;
        if (this.observed)
          this.emit({ type: 'request.refused', time: this.now, id, client: OUTSIDE_CLIENT, node: node.id });
        if (attempt > config.retries) {
          response = refusedConnection(node);
          break;
        }
        this.recorder.retried++;
        (refusedBy ??= []).push(node);
        continue;
      }
      const context = this.routeContext(node);
      response = serve(request, context.route);
      latencyMs += config.serviceTimeMs + context.costMs;
      answeredBy = node;
      node.version++;
      this.nodeFinished(node);
      this.recorder.forwarded++;
      response.headers['x-served-by'] = node.id;
      this.addBalancerHeaders(request, response, node);
    }
    // The balancer tags every answer with the request's id (HAProxy's unique-id-header): the page's
    // inspector finds the engine's full record by it.
    response.headers['x-request-id'] = String(id);
    this.outside.observe(request, response, this.now);
    this.recorder.requestFinished(this.now, response.status, latencyMs);
    if (record !== null) {
      Object.assign(record, {
        response,
        node: answeredBy?.id ?? null,
        attempts: (refusedBy?.length ?? 0) + 1,
        startedAt: this.now,
        finishedAt: this.now,
        queuedMs: 0,
        latencyMs,
      });
    }
    if (this.observed) {
      const body = response.body as { reason?: unknown } | null;
      this.emit({
        type: 'request.answered',
        time: this.now,
        id,
        client: OUTSIDE_CLIENT,
        node: answeredBy?.id ?? null,
        status: response.status,
        reason: response.status >= 400 && typeof body?.reason === 'string' ? body.reason : null,
        arriveAt: this.now,
      });
      this.emit({
        type: 'request.finished',
        time: this.now,
        id,
        client: OUTSIDE_CLIENT,
        status: response.status,
        ok: response.status < 400,
        latencyMs,
      });
    }
    return response;
  }

  // --- reading ---------------------------------------------------------------------------

  metrics(): Metrics {
    return this.recorder.snapshot(this.now);
  }

  snapshot(): Snapshot {
    const nodes = this.nodes.map((node) => this.cached(node, node.version, () => nodeSnapshot(node, this.outside.sid)));
    const clients = this.clients.map((client) =>
      this.cached(client, client.version, () => this.clientSnapshot(client)),
    );
    // "You" joins the users on the stage once the page has sent a request.
    if (this.outside.active)
      clients.unshift(this.cached(this.outside, this.outside.version, () => this.outsideSnapshot()));
    if (this.store !== null && this.store.version !== this.storeVersionSeen) {
      this.storeVersionSeen = this.store.version;
      this.storeSnapshot = {
        status: this.store.status,
        role: this.store.role,
        sessions: this.store.sessions.size,
        revokedTokens: this.store.revoked.size,
      };
    }
    return {
      time: this.now,
      mode: this.config.mode,
      sessionStore: this.config.sessionStore,
      sticky: this.config.sticky,
      nodes,
      clients,
      store: this.storeSnapshot,
    };
  }

  private cached<T extends NodeSnapshot | ClientSnapshot>(owner: object, version: number, build: () => T): T {
    const hit = this.snapshotCache.get(owner);
    if (hit !== undefined && hit.version === version) return hit.value as T;
    const value = build();
    Object.freeze(value);
    this.snapshotCache.set(owner, { version, value });
    return value;
  }

  private outsideSnapshot(): ClientSnapshot {
    const you = this.outside;
    const sessionNode = you.loggedIn ? this.sessionHolder(you.sid) : null;
    return {
      id: you.id,
      name: you.name,
      loggedIn: you.loggedIn,
      cartItems: you.cartItems,
      checkoutStep: you.checkoutStep,
      action: you.loggedIn ? 'profile' : 'login',
      credential: you.credential,
      credentialHeader: you.credentialHeader,
      sessionNode,
      stickyNode: you.stickyNode,
      sessionLost: you.sessionLost,
      relogins: you.relogins,
      lostAtMs: you.lostAtMs,
    };
  }

  /** Where the session `sid` lives: 'store', the node holding it, or null. */
  private sessionHolder(sid: string | null): string | null {
    if (sid === null) return null;
    return this.store?.role === 'sessions' ? 'store' : (this.nodes.find((n) => n.sessions.has(sid))?.id ?? null);
  }

  private clientSnapshot(client: SimClient): ClientSnapshot {
    const sessionNode = client.sessionLost ? null : this.sessionHolder(client.sid);
    return {
      id: client.id,
      name: client.name,
      loggedIn: client.loggedIn,
      cartItems: client.cart.length,
      checkoutStep: client.checkoutStep,
      action: client.action,
      credential: client.credential,
      credentialHeader: client.credentialHeader,
      sessionNode,
      stickyNode: client.stickyNode,
      sessionLost: client.sessionLost,
      relogins: client.relogins,
      lostAtMs: client.lostAtMs,
    };
  }
}

/** The balancer's own answers, the same for simulated clients and send(). */
function noHealthyNode(): HttpResponse {
  return problem(503, 'service unavailable', 'no healthy node: the balancer has nowhere to send the request', {
    'retry-after': '2',
  });
}

function refusedConnection(node: ServerNode): HttpResponse {
  return problem(
    502,
    'bad gateway',
    `${node.id} refused the connection: it is down and the health checks have not noticed yet`,
  );
}

/** Removes one item, keeping the order (splice would allocate an array of what it removed). */
function removeFrom<T>(items: T[], item: T): void {
  const index = items.indexOf(item);
  for (let i = index; i < items.length - 1; i++) items[i] = items[i + 1]!;
  items.pop();
}

/** In the balancer's pool: marked up by the health checks and not being removed. */
function isUsable(node: ServerNode): boolean {
  return node.health === 'up' && !node.draining;
}

function nodeSnapshot(node: ServerNode, outsideSid: string | null): NodeSnapshot {
  const sessionClients: string[] = [];
  // The page's own session is drawn as You's chip, whatever name You logged in with.
  for (const session of node.sessions.values()) sessionClients.push(session.id === outsideSid ? 'you' : session.user);
  return {
    id: node.id,
    status: node.status,
    health: node.health,
    sessions: node.sessions.size,
    sessionClients,
    inFlight: node.inFlight,
    queued: node.queue.length,
    served: node.served,
  };
}

function structuredCloneRecord(record: RequestRecord): RequestRecord {
  return JSON.parse(JSON.stringify(record)) as RequestRecord;
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

/**
 * Creates a simulation. Throws a ConfigError naming the field for an invalid configuration.
 * @example
 * const sim = createSimulation({ mode: 'stateful', seed: 7 });
 * sim.advance(10_000);
 * sim.apply({ type: 'failNode', node: 'server-2' });
 * sim.advance(5_000);
 * sim.metrics().sessionsLost; // the sessions server-2 held
 */
export function createSimulation(config: Partial<SimConfig> = {}): Simulation {
  return new SimulationImpl(resolveConfig(config));
}
