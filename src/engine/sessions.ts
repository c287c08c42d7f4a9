/**
 * Where sessions live. One interface, `SessionHome`, with one implementation per `sessionStore`:
 * - `memory`: each node keeps its own sessions in memory: fast, but a session exists only on the
 *   node that created it, and dies with it (the balancer's stickiness must bring the user back).
 * - `shared`: one store (store.ts) holds every session: any node finds it, each access is a round
 *   trip, and the store is the single point of failure.
 * A home answers what a node's handler asks (get / create / destroy, each charged its simulated
 * cost), where a session is (for the stage), what a lost node takes with it, and expiry.
 *
 * `SessionBook` does the bookkeeping common to every home: ids, events, and — when a failure
 * destroys sessions — which users are logged out and what they lose.
 */
import type { OutsideClient } from './outsideClient';
import type { SimClient } from './client';
import type { ServerNode } from './node';
import type { Session, SessionAccess } from './routes';
import { SharedStore } from './store';
import type { World } from './world';
import type { SessionStoreKind } from './types';

/** The simulated cost of what one request's handler did so far, in ms (added to its service time). */
export interface Bill {
  costMs: number;
}

export interface SessionHome {
  readonly kind: SessionStoreKind;
  /** Sessions as one node's handler sees them; each call adds its cost to `bill`. */
  access(node: ServerNode, bill: Bill): SessionAccess;
  /** Where the session `sid` lives now: a node id, 'store', or null (nowhere). */
  holderOf(sid: string, nodes: readonly ServerNode[]): string | null;
  /** A node's memory is gone (it crashed, or left the cluster): what only it held is lost. */
  nodeLost(node: ServerNode): void;
  /** Ends the sessions idle since before `expiredBefore`. */
  sweep(nodes: readonly ServerNode[], expiredBefore: number): void;
}

/** Creating, ending and losing sessions, wherever they live. */
export class SessionBook {
  constructor(
    private readonly world: World,
    private readonly clientsById: ReadonlyMap<string, SimClient>,
    private readonly outside: OutsideClient,
  ) {}

  create(sessions: Map<string, Session>, user: string, where: string): Session {
    const { now, log } = this.world;
    const session: Session = {
      id: this.world.ids.hex(24),
      user,
      cart: [],
      checkoutStep: 0,
      createdAt: now,
      lastSeenAt: now,
    };
    sessions.set(session.id, session);
    if (log.observed) log.emit({ type: 'session.created', time: now, client: user, where });
    return session;
  }

  /** Ends one session; false when there was none. */
  end(sessions: Map<string, Session>, id: string, where: string, cause: 'logout' | 'expired'): boolean {
    const session = sessions.get(id);
    if (session === undefined) return false;
    sessions.delete(id);
    // You's snapshot says where Your session lives: it changed.
    if (id === this.outside.sid) this.outside.version++;
    const log = this.world.log;
    if (log.observed) log.emit({ type: 'session.ended', time: this.world.now, client: session.user, where, cause });
    return true;
  }

  /** Ends every session idle since before `expiredBefore`; true when any ended. */
  sweep(sessions: Map<string, Session>, where: string, expiredBefore: number): boolean {
    let ended = false;
    for (const session of [...sessions.values()]) {
      if (session.lastSeenAt < expiredBefore) ended = this.end(sessions, session.id, where, 'expired') || ended;
    }
    return ended;
  }

  /** Sessions destroyed by a failure. The users whose current session it was are logged out. */
  lose(where: string, sessions: Map<string, Session>): void {
    if (sessions.size === 0) return;
    const { now, recorder, log } = this.world;
    const affected: string[] = [];
    let cartItems = 0;
    for (const session of sessions.values()) {
      const client = this.clientsById.get(session.user);
      if (this.outside.sid === session.id) {
        cartItems += session.cart.length;
        this.outside.loseSession(where);
        this.outside.lostAtMs = now;
        affected.push(this.outside.id);
      } else if (client === undefined || client.sid === session.id) {
        cartItems += session.cart.length;
        if (client !== undefined) {
          client.loseSession();
          client.lostAtMs = now;
        }
        affected.push(session.user);
      } else if (client.action === 'login' && session.createdAt >= client.loginSentAt) {
        // Created by a login whose answer is still on its way: the user will find it gone.
        client.lostAtMs = now;
        client.version++;
        affected.push(session.user);
      }
    }
    const count = sessions.size;
    recorder.sessionsLost += count;
    recorder.cartItemsLost += cartItems;
    sessions.clear();
    if (log.observed)
      log.emit({ type: 'session.lost', time: now, where, sessions: count, clients: affected, cartItems });
  }
}

/** `sessionStore: 'memory'`: each node's own sessions, in its memory. */
export class MemorySessions implements SessionHome {
  readonly kind = 'memory';

  constructor(
    private readonly world: World,
    private readonly book: SessionBook,
  ) {}

  access(node: ServerNode, bill: Bill): SessionAccess {
    const config = this.world.config;
    return {
      where: node.id,
      get: (id) => {
        bill.costMs += config.sessionLookupCostMs;
        return node.sessions.get(id) ?? null;
      },
      create: (user) => this.book.create(node.sessions, user, node.id),
      destroy: (id) => void this.book.end(node.sessions, id, node.id, 'logout'),
    };
  }

  holderOf(sid: string, nodes: readonly ServerNode[]): string | null {
    return nodes.find((n) => n.sessions.has(sid))?.id ?? null;
  }

  nodeLost(node: ServerNode): void {
    this.book.lose(node.id, node.sessions);
  }

  sweep(nodes: readonly ServerNode[], expiredBefore: number): void {
    for (const node of nodes) {
      if (this.book.sweep(node.sessions, node.id, expiredBefore)) node.version++;
    }
  }
}

/** `sessionStore: 'shared'`: every session in the shared store, one round trip away from any node. */
export class StoreSessions implements SessionHome {
  readonly kind = 'shared';

  constructor(
    private readonly world: World,
    private readonly book: SessionBook,
    readonly store: SharedStore,
  ) {}

  access(node: ServerNode, bill: Bill): SessionAccess {
    const store = this.store;
    const cost = SharedStore.roundTripMs(this.world.config);
    return {
      where: 'store',
      get: (id) => {
        bill.costMs += cost;
        if (!store.reachableFrom(node)) return 'unavailable';
        return store.sessions.get(id) ?? null;
      },
      create: (user) => {
        bill.costMs += cost;
        if (!store.reachableFrom(node)) return 'unavailable';
        const session = this.book.create(store.sessions, user, 'store');
        store.version++;
        return session;
      },
      destroy: (id) => {
        bill.costMs += cost;
        if (store.reachableFrom(node) && this.book.end(store.sessions, id, 'store', 'logout')) store.version++;
      },
    };
  }

  holderOf(): string | null {
    return 'store';
  }

  nodeLost(): void {
    // The node held no session: they are all in the store.
  }

  sweep(_nodes: readonly ServerNode[], expiredBefore: number): void {
    if (this.book.sweep(this.store.sessions, 'store', expiredBefore)) this.store.version++;
  }
}
