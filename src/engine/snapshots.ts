/**
 * What the page draws, as plain frozen data: the nodes, the users (You first, once the page has
 * sent something), the store. An object whose owner has not changed since the last snapshot is the
 * same object again (owners bump a `version` on every visible change), so the view re-renders only
 * what changed.
 */
import type { SimClient } from './client';
import type { ServerNode } from './node';
import type { OutsideClient } from './outsideClient';
import { OUTSIDE_CLIENT } from './pipeline';
import type { SessionHome } from './sessions';
import type { SharedStore } from './store';
import { fallOf } from './health';
import type { ClientSnapshot, NodeSnapshot, SimConfig, Snapshot } from './types';

export class Snapshots {
  private readonly cache = new WeakMap<object, { version: number; value: NodeSnapshot | ClientSnapshot }>();
  /** A node's snapshot also names You's session among its chips: it is rebuilt when You's sid changes. */
  private nodeCache = new WeakMap<object, { version: number; value: NodeSnapshot | ClientSnapshot }>();
  private outsideSidSeen: string | null = null;
  private storeVersionSeen = -1;
  private store: Snapshot['store'] = null;

  build(
    now: number,
    config: SimConfig,
    nodes: readonly ServerNode[],
    clients: readonly SimClient[],
    outside: OutsideClient,
    home: SessionHome,
    store: SharedStore | null,
  ): Snapshot {
    const holderOf = (sid: string | null): string | null => (sid === null ? null : home.holderOf(sid, nodes));
    if (outside.sid !== this.outsideSidSeen) {
      this.outsideSidSeen = outside.sid;
      this.nodeCache = new WeakMap();
    }
    const nodeSnapshots = nodes.map((node) =>
      this.cached(
        node,
        node.version,
        () => nodeSnapshot(node, outside.sid, fallOf(config), home, store),
        this.nodeCache,
      ),
    );
    const clientSnapshots = clients.map((client) =>
      this.cached(client, client.version, () =>
        clientSnapshot(client, client.sessionLost ? null : holderOf(client.sid)),
      ),
    );
    if (outside.active)
      clientSnapshots.unshift(
        this.cached(outside, outside.version, () =>
          outsideSnapshot(outside, outside.loggedIn ? holderOf(outside.sid) : null),
        ),
      );
    if (store !== null && store.version !== this.storeVersionSeen) {
      this.storeVersionSeen = store.version;
      this.store = store.snapshot();
    }
    return {
      time: now,
      mode: config.mode,
      sessionStore: config.sessionStore,
      sticky: config.sticky,
      balancerPreset: config.balancerPreset,
      nodes: nodeSnapshots,
      clients: clientSnapshots,
      store: this.store,
    };
  }

  private cached<T extends NodeSnapshot | ClientSnapshot>(
    owner: object,
    version: number,
    build: () => T,
    cache = this.cache,
  ): T {
    const hit = cache.get(owner);
    if (hit !== undefined && hit.version === version) return hit.value as T;
    const value = build();
    Object.freeze(value);
    cache.set(owner, { version, value });
    return value;
  }
}

function nodeSnapshot(
  node: ServerNode,
  outsideSid: string | null,
  fall: number,
  home: SessionHome,
  store: SharedStore | null,
): NodeSnapshot {
  const sessionClients: string[] = [];
  // The page's own session is drawn as You's chip, whatever name You logged in with.
  for (const session of node.sessions.values())
    sessionClients.push(session.id === outsideSid ? OUTSIDE_CLIENT : session.user);
  return {
    id: node.id,
    status: node.status,
    health: node.health,
    sessions: node.sessions.size,
    sessionClients,
    inFlight: node.inFlight,
    queued: node.queue.length,
    served: node.served,
    draining: node.draining,
    sessionCopies: home.copiesOn(node),
    failedChecks: Math.min(node.consecutiveChecksFailed, fall),
    fall,
    storeLink: store !== null && store.cutFrom.has(node.id) ? 'cut' : 'ok',
    keyIds: node.keys.ids,
    verify: node.keys.verify,
    version: node.release,
    deploy: node.deploy,
  };
}

function clientSnapshot(client: SimClient, sessionNode: string | null): ClientSnapshot {
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
    lostCartItems: client.lostCartItems,
  };
}

function outsideSnapshot(you: OutsideClient, sessionNode: string | null): ClientSnapshot {
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
    lostCartItems: you.lostCartItems,
    held: {
      user: you.user,
      token: you.token,
      ...(you.refreshToken !== null ? { refreshToken: you.refreshToken } : {}),
      sid: you.sid,
      lb: you.stickyNode,
      cart: you.cart,
      home: sessionNode ?? (you.sessionLost ? you.lostFrom : null),
    },
  };
}
