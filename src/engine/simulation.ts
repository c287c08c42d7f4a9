/**
 * The simulation's coordinator: it owns the clock and the agenda (through `World`), wires the
 * parts together, and is the one object the rest of the app talks to (`Simulation`).
 *
 *   pipeline.ts  a request's life, for simulated clients and for send()
 *   balancer.ts  which node, stickiness, retries, the balancer's own answers
 *   health.ts    health checks: when the balancer notices a node is down or back
 *   nodes.ts     nodes joining, crashing, recovering, draining and leaving (node.ts: one node)
 *   sessions.ts  where sessions live (each node's memory, or the shared store: store.ts)
 *   eventLog.ts  the event stream and the inspector's request records
 *   snapshots.ts what the page draws
 *
 * Invariants (test/engine/invariants.test.ts): every sent request finishes exactly once;
 * ok + failed = total; per-node totals sum to the balancer's forwarded count; stateless mode never
 * fails for lack of server state; a crashed node's sessions are never found again.
 */
import { createTokenService, FIRST_KEY_ID, FIRST_KEY_ONLY, keyIdOf, MAX_KEY_NUMBER, type TokenService } from './jwt';
import { Balancer } from './balancer';
import { HealthChecks, PassiveHealth } from './health';
import { EventLog, RequestRecords } from './eventLog';
import { EventQueue, Lane as QueueLane } from './eventQueue';
import { LogHistogram, MetricsRecorder } from './metrics';
import { CheckedTokens, ServerNode } from './node';
import { NodeKeys } from './keys';
import { OrdersDb } from './orders';
import { Random } from './random';
import { Nodes } from './nodes';
import { SimClient } from './client';
import { createRandom } from './random';
import { resolveConfig } from './config';
import { deepCopy, pack, unpack, type Packed, type PackOptions } from './fork';
import { OutsideClient } from './outsideClient';
import { RequestPipeline, type Flight } from './pipeline';
import { MemorySessions, ReplicatedSessions, SessionBook, StoreSessions, type SessionHome } from './sessions';
import { SharedStore } from './store';
import { Snapshots } from './snapshots';
import { Kind, World } from './world';
import type {
  Command,
  HttpRequest,
  HttpResponse,
  Metrics,
  RequestRecord,
  SimConfig,
  SimEvent,
  Snapshot,
} from './types';

export { OUTSIDE_CLIENT } from './pipeline';

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
  /**
   * The simulation as it is now as data a `postMessage` can carry; `unpackSimulation` on the other
   * side rebuilds an independent copy that runs on exactly as a fork would (a what-if replayed in a
   * Web Worker and handed to the page).
   */
  pack(): PackedSimulation;
}

/** A simulation packed for another thread (see Simulation.pack). */
export interface PackedSimulation {
  config: SimConfig;
  state: Packed;
}

const SESSION_SWEEP_INTERVAL_MS = 10_000;
const NO_STORE =
  'this cluster has no shared store (stateful mode with sessionStore "shared", or stateless with denyList or refreshTokens)';

class SimulationImpl implements Simulation {
  readonly config: SimConfig;
  private readonly world: World;
  private readonly clients: SimClient[] = [];
  private readonly outside = new OutsideClient();
  private readonly store: SharedStore | null;
  private readonly tokens: TokenService;
  private readonly book: SessionBook;
  private readonly home: SessionHome;
  private readonly nodes: Nodes;
  private readonly balancer: Balancer;
  private readonly health: HealthChecks;
  private readonly pipeline: RequestPipeline;
  private readonly snapshots = new Snapshots();
  /** Keys made by rotateKey so far, and the keys a node joining now is given (the last two made). */
  private keyRotations = 0;
  private keyRing: string[] = [FIRST_KEY_ID];

  constructor(config: SimConfig) {
    this.config = config;
    const world = (this.world = new World(config));
    this.tokens = createTokenService(config.jwtSecret);
    this.balancer = new Balancer(config, world);
    const refreshTokens = config.mode === 'stateless' && config.refreshTokens;
    this.store =
      config.mode === 'stateful' && config.sessionStore === 'shared'
        ? new SharedStore('sessions')
        : config.mode === 'stateless' && config.denyList
          ? new SharedStore('deny-list', refreshTokens)
          : refreshTokens
            ? new SharedStore('refresh-tokens', true)
            : null;
    const clientsById = new Map<string, SimClient>();
    this.book = new SessionBook(world, clientsById, this.outside);
    this.home =
      this.store?.role === 'sessions'
        ? new StoreSessions(world, this.book, this.store)
        : config.mode === 'stateful' && config.sessionStore === 'replicated'
          ? new ReplicatedSessions(world, this.book, config.replication)
          : new MemorySessions(world, this.book);
    this.nodes = new Nodes(world, this.home);
    this.health = new HealthChecks(world);
    this.pipeline = new RequestPipeline(
      world,
      this.balancer,
      this.nodes,
      this.home,
      this.store,
      this.tokens,
      this.outside,
    );
    for (let i = 0; i < config.nodes; i++) this.nodes.create(true);
    for (let i = 0; i < config.clients; i++) {
      const id = `c${i + 1}`;
      const random = createRandom(config.seed, `client:${i}`);
      const client = new SimClient(
        id,
        i,
        random,
        config.mode,
        config.epochMs,
        config.idempotencyKeys,
        refreshTokens ? config.accessTtlMs : null,
      );
      this.clients.push(client);
      clientsById.set(id, client);
      // Clients arrive spread over the first think time, not all at once.
      world.agenda.push(client.thinkTimeMs(0, config.thinkTimeMaxMs), Kind.ClientSends, client);
    }
    this.health.start();
    world.agenda.push(SESSION_SWEEP_INTERVAL_MS, Kind.SessionSweep, null);
  }

  get time(): number {
    return this.world.now;
  }

  pack(): PackedSimulation {
    return {
      config: this.config,
      state: pack(this, packOptions(this.config, this.tokens, this.world.log.packShared())),
    };
  }

  fork(): Simulation {
    // Events are immutable, the token service is pure (its caches only save work) and the nodes'
    // first key set is never changed: shared.
    // Listeners belong to the original's page: the set is shared by the copy step, then replaced.
    const copy = deepCopy(this, {
      share: [this.config, this.tokens, FIRST_KEY_ONLY, ...this.world.log.shared()],
      allowedFunctions: new Set(),
    });
    copy.world.log.dropListeners();
    return copy;
  }

  /** Forgets the page's listeners (a fork or an unpacked copy starts with none). */
  dropListeners(): void {
    this.world.log.dropListeners();
  }

  // --- driving ---------------------------------------------------------------------------

  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance(ms) needs a finite number ≥ 0, got ${ms}`);
    const world = this.world;
    const until = world.now + ms;
    const agenda = world.agenda;
    const pipeline = this.pipeline;
    while (agenda.pop(until)) {
      world.now = agenda.time;
      const subject = agenda.subject;
      // A switch of direct calls, which the JIT can inline, rather than calling stored functions.
      switch (agenda.kind as Kind) {
        case Kind.ClientSends:
          pipeline.clientSends(subject as SimClient);
          break;
        case Kind.BalancerRoutes:
          pipeline.balancerRoutes(subject as Flight);
          break;
        case Kind.NodeReceives:
          pipeline.nodeReceives(subject as Flight);
          break;
        case Kind.NodeCompletes:
          pipeline.nodeCompletes(subject as Flight);
          break;
        case Kind.ClientReceives:
          pipeline.clientReceives(subject as Flight);
          break;
        case Kind.BalancerGivesUp:
          pipeline.balancerGivesUp(subject as Flight);
          break;
        case Kind.HealthChecks:
          this.health.run(this.nodes.list);
          if (this.nodes.rollout !== null) this.rollOn();
          break;
        case Kind.SessionSweep:
          this.sweepSessions();
          break;
      }
    }
    agenda.subject = null;
    world.now = until;
  }

  send(request: HttpRequest): HttpResponse {
    return this.pipeline.send(request);
  }

  // --- commands --------------------------------------------------------------------------

  apply(command: Command): void {
    const { log, now } = this.world;
    switch (command?.type) {
      case 'failNode':
        return this.failNode(this.findNode(command.node));
      case 'recoverNode':
        return this.nodes.recover(this.findNode(command.node));
      case 'addNode': {
        if (this.nodes.list.length >= 32) throw new CommandError('addNode: a cluster has at most 32 nodes');
        const node = this.nodes.create(false);
        if (this.keyRotations > 0) node.keys.adopt(this.keyRing);
        if (log.observed) log.emit({ type: 'node.added', time: now, node: node.id });
        return;
      }
      case 'removeNode': {
        const node = this.findNode(command.node);
        if (node.draining) return;
        if (this.nodes.countActive() <= 1) throw new CommandError('removeNode: the last node cannot be removed');
        return this.nodes.drain(node);
      }
      case 'drainNode': {
        const node = this.findNode(command.node);
        if (node.draining) return;
        if (this.nodes.countActive() <= 1) throw new CommandError('drainNode: the last node cannot be drained');
        return this.nodes.drain(node);
      }
      case 'deploy':
        return this.deploy(command.version, command.drain);
      case 'failStore':
        return this.failStore();
      case 'recoverStore': {
        const store = this.store;
        if (store === null) throw new CommandError(`recoverStore: ${NO_STORE}`);
        if (store.status === 'up') return;
        store.status = 'up';
        store.version++;
        if (log.observed) log.emit({ type: 'store.up', time: now });
        return;
      }
      case 'cutStoreLink':
      case 'restoreStoreLink':
        return this.storeLink(command.type, this.findNode(command.node));
      case 'rotateKey':
        return this.rotateKey(command.nodes);
      case 'setVerify': {
        const node = this.findNode(command.node);
        if (typeof command.verify !== 'boolean')
          throw new CommandError(`setVerify: verify must be true or false, got ${JSON.stringify(command.verify)}`);
        if (node.keys.verify === command.verify) return;
        node.keys.verify = command.verify;
        node.version++;
        return;
      }
      case 'banUser':
        return this.banUser(command.user);
      default:
        throw new CommandError(
          `unknown command ${JSON.stringify(command)}; commands are failNode, recoverNode, addNode, removeNode, drainNode, deploy, failStore, recoverStore, cutStoreLink, restoreStoreLink, rotateKey, setVerify, banUser`,
        );
    }
  }

  /** A new key (k2, k3, …) on the listed nodes, or on all; see keys.ts for the overlap. */
  private rotateKey(ids: unknown): void {
    if (ids !== undefined && !Array.isArray(ids))
      throw new CommandError(`rotateKey: nodes must be a list of node ids, got ${JSON.stringify(ids)}`);
    const targets = ids === undefined ? this.nodes.list : ids.map((id) => this.findNode(id));
    if (this.keyRotations + 2 > MAX_KEY_NUMBER)
      throw new CommandError(`rotateKey: a run has at most ${MAX_KEY_NUMBER} keys`);
    this.keyRotations++;
    const kid = keyIdOf(this.keyRotations + 1);
    this.keyRing = [this.keyRing[this.keyRing.length - 1]!, kid];
    for (const node of new Set(targets)) {
      node.keys.rotate(kid);
      node.version++;
    }
  }

  /**
   * The user may log in and renew no more. Without a deny-list nothing else changes: every node
   * checks a token by its signature alone, so a token already issued (or a stolen copy) works on
   * until exp. With one, the ban goes on the list until the last token issued before it expires.
   */
  private banUser(user: unknown): void {
    if (typeof user !== 'string' || user === '')
      throw new CommandError(`banUser: user must be a user name, got ${JSON.stringify(user)}`);
    const { banned, now, config } = this.world;
    if (banned.has(user)) return;
    banned.set(user, now);
    const store = this.store;
    if (store?.role === 'deny-list' && store.status === 'up') {
      const ttlMs = config.refreshTokens ? config.accessTtlMs : config.tokenTtlMs;
      store.bannedUsers.set(user, Math.ceil((config.epochMs + now + ttlMs) / 1000));
      store.version++;
    }
    // With refresh tokens the ban revokes them: the access tokens held work until their short exp.
    if (store?.keepsRefreshTokens === true && store.status === 'up') store.revokeRefreshTokensOf(user);
  }

  private findNode(id: unknown): ServerNode {
    const node = this.nodes.find(id);
    if (node === undefined) {
      const ids = this.nodes.list.map((n) => n.id).join(', ');
      throw new CommandError(`no node ${JSON.stringify(id)}; nodes are ${ids || 'none'}`);
    }
    return node;
  }

  private failNode(node: ServerNode): void {
    const victims = this.nodes.crash(node);
    if (victims === null) return;
    this.pipeline.nodeCrashed(node, victims);
    this.nodes.lost(node);
  }

  /** A rolling deploy (nodes.ts): checked here, then the first node goes at once. */
  private deploy(version: unknown, drain: unknown): void {
    const nodes = this.nodes;
    if (typeof drain !== 'boolean')
      throw new CommandError(`deploy: drain must be true or false, got ${JSON.stringify(drain)}`);
    if (nodes.rollout !== null)
      throw new CommandError(`deploy: the deploy of ${nodes.rollout.version} is still rolling; wait until it is done`);
    const next = /^v(\d{1,6})$/.exec(nodes.release);
    const target = version ?? (next === null ? undefined : `v${Number(next[1]) + 1}`);
    if (typeof target !== 'string' || !/^[\w.-]{1,16}$/.test(target))
      throw new CommandError(
        `deploy: version must be 1–16 letters, digits, '.', '_' or '-' (e.g. "v2"), got ${JSON.stringify(target)}`,
      );
    if (nodes.list.every((n) => n.draining || n.release === target))
      throw new CommandError(`deploy: every node already runs ${target}`);
    if (drain && nodes.countActive() <= 1)
      throw new CommandError(
        'deploy: draining needs another node to take the users; with one node, restart it (drain: false)',
      );
    nodes.deploy(target, drain);
    this.rollOn();
  }

  /** Moves a rolling deploy on; a restart deploy's next node crashes now. */
  private rollOn(): void {
    const restart = this.nodes.rollOn();
    if (restart !== null) this.failNode(restart);
  }

  /** A gray failure: the node's network link to the store is cut (or mended); the node itself runs on. */
  private storeLink(type: 'cutStoreLink' | 'restoreStoreLink', node: ServerNode): void {
    const store = this.store;
    if (store === null) throw new CommandError(`${type}: ${NO_STORE}`);
    const cut = type === 'cutStoreLink';
    if (store.cutFrom.has(node.id) === cut) return;
    if (cut) store.cutFrom.add(node.id);
    else store.cutFrom.delete(node.id);
    node.version++;
    store.version++;
  }

  private failStore(): void {
    const store = this.store;
    if (store === null) throw new CommandError(`failStore: ${NO_STORE}`);
    if (store.status === 'down') return;
    store.status = 'down';
    store.version++;
    const { log, now } = this.world;
    if (log.observed) log.emit({ type: 'store.down', time: now });
    // The store keeps nothing on disk: what it held is gone, not just out of reach. A lost
    // deny-list un-revokes every token on it.
    this.book.lose('store', store.sessions);
    store.revoked.clear();
    store.bannedUsers.clear();
    store.refreshFamilies.clear();
  }

  private sweepSessions(): void {
    const { config, now, agenda } = this.world;
    this.home.sweep(this.nodes.list, now - config.sessionTtlMs);
    this.store?.sweepRevoked((config.epochMs + now) / 1000);
    if (this.store?.keepsRefreshTokens === true) this.store.sweepRefresh(now);
    agenda.push(now + SESSION_SWEEP_INTERVAL_MS, Kind.SessionSweep, null);
  }

  // --- reading ---------------------------------------------------------------------------

  subscribe(listener: (event: SimEvent) => void): () => void {
    return this.world.log.subscribe(listener);
  }

  recentEvents(): SimEvent[] {
    return this.world.log.recent();
  }

  inspect(requestId: number): RequestRecord | null {
    return this.world.records.get(requestId);
  }

  metrics(): Metrics {
    return this.world.recorder.snapshot(this.world.now);
  }

  snapshot(): Snapshot {
    const { now, config } = this.world;
    return this.snapshots.build(now, config, this.nodes.list, this.clients, this.outside, this.home, this.store);
  }
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

/**
 * What a packed simulation does not carry, in the same order on both sides: its configuration
 * (sent beside it), its token service (pure; the receiver makes one from the same secret, with
 * empty caches), the first key's set (compared by identity) and the event listeners (the page's).
 * And every class the state holds instances of: a class added to the engine's state goes here too,
 * or `pack` says so.
 */
function packOptions(config: SimConfig, tokens: TokenService, listeners: object): PackOptions {
  return {
    share: [config, tokens, FIRST_KEY_ONLY, listeners],
    classes: [
      SimulationImpl,
      World,
      EventQueue,
      QueueLane,
      EventLog,
      RequestRecords,
      MetricsRecorder,
      LogHistogram,
      Random,
      Balancer,
      SimClient,
      OutsideClient,
      SharedStore,
      SessionBook,
      MemorySessions,
      StoreSessions,
      ReplicatedSessions,
      Nodes,
      ServerNode,
      CheckedTokens,
      NodeKeys,
      HealthChecks,
      PassiveHealth,
      RequestPipeline,
      OrdersDb,
      Snapshots,
    ],
  };
}

/** The simulation `packed` describes, rebuilt on this side (see Simulation.pack). */
export function unpackSimulation(packed: PackedSimulation): Simulation {
  const { config } = packed;
  const sim = unpack<SimulationImpl>(
    packed.state,
    packOptions(config, createTokenService(config.jwtSecret), new Set()),
  );
  sim.dropListeners();
  return sim;
}
