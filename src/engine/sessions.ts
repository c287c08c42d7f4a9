/**
 * Where sessions live. One interface, `SessionHome`, with one implementation per `sessionStore`:
 * - `memory`: each node keeps its own sessions in memory: fast, but a session exists only on the
 *   node that created it, and dies with it (the balancer's stickiness must bring the user back).
 * - `shared`: one store (store.ts) holds every session: any node finds it, each access is a round
 *   trip, and the store is the single point of failure.
 * - `replicated`: each session lives in the memory of the node that serves it (its primary) and
 *   is copied to other nodes after every request that touches it: to every node (`replication:
 *   'all'`, Tomcat's DeltaManager) or to one backup node (`'backup'`, Tomcat's BackupManager).
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
import type { ReplicationKind, SessionStoreKind } from './types';

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
  /** A node joined the cluster, or came back up after a crash (its memory is empty). */
  nodeJoined(node: ServerNode): void;
  /** A node leaves gracefully (drained): it may hand what only it holds to another node first. */
  nodeLeaving(node: ServerNode): void;
  /** How many copies of other nodes' sessions `node` holds (0 unless sessions are replicated). */
  copiesOn(node: ServerNode): number;
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
        this.outside.loseSession(where, now, session.cart.length);
        affected.push(this.outside.id);
      } else if (client === undefined || client.sid === session.id) {
        cartItems += session.cart.length;
        client?.loseSession(now, session.cart.length);
        affected.push(session.user);
      } else if (client.action === 'login' && session.createdAt >= client.loginSentAt) {
        // Created by a login whose answer is still on its way: the user will find it gone.
        client.noteLoss(now, session.cart.length);
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

  nodeJoined(): void {}

  nodeLeaving(): void {
    // Nothing can take the sessions: they die with the node's memory when it exits.
  }

  copiesOn(): number {
    return 0;
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
      unavailableReason: () => store.unreachableReason(node),
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

  nodeJoined(): void {}

  nodeLeaving(): void {}

  copiesOn(): number {
    return 0;
  }

  sweep(_nodes: readonly ServerNode[], expiredBefore: number): void {
    if (this.book.sweep(this.store.sessions, 'store', expiredBefore)) this.store.version++;
  }
}

/**
 * `sessionStore: 'replicated'`: a session lives in the memory of the node that serves it (its
 * primary, `node.sessions`) and, after every request that reads or creates it, is copied to other
 * nodes — every other node (`replication: 'all'`, Tomcat's DeltaManager) or one backup node
 * (`'backup'`, BackupManager). A copy is sent in full and counted in `replicationBytes` at the size
 * of the serialised session; the sender waits for the copies' acknowledgement (one round trip) and
 * pays a lookup's CPU per copy.
 *
 * How a user reaches a copy: the balancer is not told anything (its sticky cookie names one node,
 * as before). A node asked for a session it does not hold as primary looks for it: its own copy
 * (always there with 'all'), else — with 'backup' — it fetches it from the node that holds it
 * (each node knows where every session lives, as Tomcat's replicated map does: one round trip, the
 * copy counted in bytes). Either way that node becomes the session's primary and the next copy goes
 * to a backup again. A session whose backup died gets a new backup the next time a request
 * touches it; until then its primary's memory is all there is, so two crashes close together lose
 * the sessions whose primary and backup they were. A node that leaves gracefully (drained) first
 * hands the sessions only it holds to another node.
 */
export class ReplicatedSessions implements SessionHome {
  readonly kind = 'replicated';
  /** The cluster's members in the order they joined (a removed node stays, flagged `removed`). */
  private readonly members: ServerNode[] = [];
  /** Copies each node holds of sessions whose primary is another node (or gone): node id → sid → session. */
  private readonly copies = new Map<string, Map<string, Session>>();

  constructor(
    private readonly world: World,
    private readonly book: SessionBook,
    readonly replication: ReplicationKind,
  ) {}

  access(node: ServerNode, bill: Bill): SessionAccess {
    const config = this.world.config;
    return {
      where: node.id,
      get: (id) => {
        bill.costMs += config.sessionLookupCostMs;
        let session = node.sessions.get(id);
        if (session === undefined) {
          session = this.copiesMap(node).get(id);
          if (session === undefined) {
            const holder = this.replication === 'backup' ? this.holderNode(id, node) : null;
            if (holder === null) return null;
            // Fetched from the node that holds it: one round trip, one copy on the wire.
            session = (holder.sessions.get(id) ?? this.copiesMap(holder).get(id))!;
            bill.costMs += 2 * config.clusterLatencyMs;
            this.world.recorder.replicationBytes += sessionBytes(session);
          }
          this.promote(node, session);
        }
        this.replicate(node, session, bill);
        return session;
      },
      create: (user) => {
        const session = this.book.create(node.sessions, user, node.id);
        node.version++;
        this.replicate(node, session, bill);
        return session;
      },
      destroy: (id) => {
        let ended = false;
        for (const member of this.members) {
          const maps = [member.sessions, this.copiesMap(member)];
          for (const map of maps) {
            if (!map.has(id)) continue;
            if (ended) map.delete(id);
            else ended = this.book.end(map, id, member.id, 'logout');
            member.version++;
          }
        }
        // The other holders are told: one round trip.
        if (ended) bill.costMs += 2 * config.clusterLatencyMs;
      },
    };
  }

  holderOf(sid: string): string | null {
    for (const member of this.members) if (member.sessions.has(sid)) return member.id;
    for (const member of this.members) if (this.copiesMap(member).has(sid)) return member.id;
    return null;
  }

  copiesOn(node: ServerNode): number {
    return this.copies.get(node.id)?.size ?? 0;
  }

  nodeJoined(node: ServerNode): void {
    if (!this.members.includes(node)) this.members.push(node);
    const mine = this.copiesMap(node);
    if (this.replication !== 'all') return;
    // DeltaManager's state transfer: a node joining (or back from a crash) is sent every session.
    let bytes = 0;
    for (const member of this.members) {
      if (member === node || !alive(member)) continue;
      for (const map of [member.sessions, this.copiesMap(member)]) {
        for (const [id, session] of map) {
          if (mine.has(id)) continue;
          mine.set(id, session);
          bytes += sessionBytes(session);
        }
      }
    }
    this.world.recorder.replicationBytes += bytes;
    if (bytes > 0) node.version++;
  }

  nodeLeaving(node: ServerNode): void {
    const target = this.members.find((m) => m !== node && alive(m) && !m.draining);
    if (target === undefined) return;
    const theirs = this.copiesMap(target);
    let bytes = 0;
    for (const map of [node.sessions, this.copiesMap(node)]) {
      for (const [id, session] of map) {
        if (theirs.has(id) || this.heldElsewhere(node, id)) continue;
        theirs.set(id, session);
        bytes += sessionBytes(session);
      }
    }
    this.world.recorder.replicationBytes += bytes;
    if (bytes > 0) target.version++;
  }

  nodeLost(node: ServerNode): void {
    const lost = new Map<string, Session>();
    const mine = this.copiesMap(node);
    for (const map of [node.sessions, mine]) {
      for (const [id, session] of map) if (!this.heldElsewhere(node, id)) lost.set(id, session);
    }
    if (node.sessions.size + mine.size > 0) node.version++;
    node.sessions.clear();
    mine.clear();
    this.book.lose(node.id, lost);
  }

  sweep(_nodes: readonly ServerNode[], expiredBefore: number): void {
    const ended = new Set<string>();
    for (const member of this.members) {
      for (const map of [member.sessions, this.copiesMap(member)]) {
        for (const session of [...map.values()]) {
          if (session.lastSeenAt >= expiredBefore) continue;
          if (ended.has(session.id)) map.delete(session.id);
          else if (this.book.end(map, session.id, member.id, 'expired')) ended.add(session.id);
          member.version++;
        }
      }
    }
  }

  // --- inside ----------------------------------------------------------------------------

  private copiesMap(node: ServerNode): Map<string, Session> {
    let map = this.copies.get(node.id);
    if (map === undefined) this.copies.set(node.id, (map = new Map()));
    return map;
  }

  /** Whether a member other than `node`, still running, holds `id` (as primary or copy). */
  private heldElsewhere(node: ServerNode, id: string): boolean {
    for (const member of this.members) {
      if (member === node || !alive(member)) continue;
      if (member.sessions.has(id) || this.copiesMap(member).has(id)) return true;
    }
    return false;
  }

  /** A running member other than `asking` holding `id`, primary first. */
  private holderNode(id: string, asking: ServerNode): ServerNode | null {
    let copyHolder: ServerNode | null = null;
    for (const member of this.members) {
      if (member === asking || !alive(member)) continue;
      if (member.sessions.has(id)) return member;
      if (copyHolder === null && this.copiesMap(member).has(id)) copyHolder = member;
    }
    return copyHolder;
  }

  /** `node` becomes the session's primary; a former primary keeps what it had as a copy. */
  private promote(node: ServerNode, session: Session): void {
    const id = session.id;
    for (const member of this.members) {
      if (member === node || !member.sessions.has(id)) continue;
      member.sessions.delete(id);
      this.copiesMap(member).set(id, session);
      member.version++;
    }
    this.copiesMap(node).delete(id);
    node.sessions.set(id, session);
    node.version++;
  }

  /** After a request touched the session on its primary `node`: the copies go out. */
  private replicate(node: ServerNode, session: Session, bill: Bill): void {
    const id = session.id;
    let sent = 0;
    if (this.replication === 'all') {
      for (const member of this.members) {
        if (member === node || !alive(member) || member.draining) continue;
        const map = this.copiesMap(member);
        if (!map.has(id)) {
          map.set(id, session);
          member.version++;
        }
        sent++;
      }
    } else {
      // One backup: keep the running one, drop any other copy, or pick the next node after the primary.
      let backup: ServerNode | null = null;
      for (const member of this.members) {
        if (member === node) continue;
        const map = this.copiesMap(member);
        if (!map.has(id)) continue;
        if (backup === null && alive(member) && !member.draining) backup = member;
        else {
          map.delete(id);
          member.version++;
        }
      }
      if (backup === null) {
        const start = this.members.indexOf(node);
        for (let i = 1; i < this.members.length; i++) {
          const member = this.members[(start + i) % this.members.length]!;
          if (!alive(member) || member.draining) continue;
          backup = member;
          this.copiesMap(member).set(id, session);
          member.version++;
          break;
        }
      }
      if (backup !== null) sent = 1;
    }
    if (sent === 0) return;
    this.world.recorder.replicationBytes += sent * sessionBytes(session);
    bill.costMs += 2 * this.world.config.clusterLatencyMs + sent * this.world.config.sessionLookupCostMs;
  }
}

/** Running and still in the cluster. */
function alive(node: ServerNode): boolean {
  return node.status === 'up' && !node.removed;
}

/** The size of a session serialised as JSON, in bytes (ids, names and items are ASCII). */
export function sessionBytes(session: Session): number {
  return JSON.stringify(session).length;
}
