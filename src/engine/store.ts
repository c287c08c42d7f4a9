/**
 * The shared, Redis-like store: it holds the sessions (stateful mode, `sessionStore: 'shared'`)
 * or the deny-list of revoked token ids (stateless mode with `denyList`), and the refresh tokens'
 * records (stateless mode with `refreshTokens`: revocation is checked at each refresh, not on
 * every request). Every node reaches it
 * over the cluster network: each call costs a round trip. It keeps nothing on disk: when it fails,
 * what it held is gone.
 */
import type { RefreshAccess, RefreshRecord, RevocationAccess, Session } from './routes';
import type { ServerNode } from './node';
import type { Bill } from './sessions';
import type { Snapshot, SimConfig } from './types';

export class SharedStore {
  status: 'up' | 'down' = 'up';
  readonly sessions = new Map<string, Session>();
  /** Revoked token id → its exp (seconds): an entry is useless once the token has expired. */
  readonly revoked = new Map<string, number>();
  /**
   * Banned users → when the last token issued to them before the ban expires (seconds): every token
   * of theirs is refused until then (`banUser` with a deny-list), without knowing its id.
   */
  readonly bannedUsers = new Map<string, number>();
  /**
   * Nodes whose network link to the store is cut (`cutStoreLink`): a gray failure. The node runs
   * and passes the balancer's health checks (they ask a health endpoint that never touches the
   * store), but every call it makes to the store fails.
   */
  readonly cutFrom = new Set<string>();
  /**
   * Refresh tokens (`refreshTokens`), one record per login (a family, RFC 6749 §10.4 / OAuth 2.0
   * Security BCP §4.14): family id → the user, the one token of the family that may be used now
   * (rotation makes the others spent), and when it expires (simulated ms since start).
   */
  readonly refreshFamilies = new Map<string, RefreshRecord>();
  /** Bumped on every visible change, so snapshots can keep an unchanged object. */
  version = 0;

  constructor(
    readonly role: 'sessions' | 'deny-list' | 'refresh-tokens',
    /** Whether it keeps refresh tokens' records (`refreshTokens`). */
    readonly keepsRefreshTokens = false,
  ) {}

  /** Whether `node` can talk to the store now: the store is up and the node's link to it is not cut. */
  reachableFrom(node: ServerNode): boolean {
    return this.status === 'up' && (this.cutFrom.size === 0 || !this.cutFrom.has(node.id));
  }

  /** Why a call from `node` failed (for the 503's reason): the store is down, or this node's link is cut. */
  unreachableReason(node: ServerNode): string {
    const what =
      this.role === 'deny-list' ? 'deny-list store' : this.role === 'refresh-tokens' ? 'token store' : 'session store';
    return this.status === 'up'
      ? `${node.id} cannot reach the ${what}: its network link is cut (the node itself is up and passes its health checks)`
      : `the ${what} is down`;
  }

  /** What one call from a node costs: a round trip on the cluster network. */
  static roundTripMs(config: SimConfig): number {
    return 2 * config.clusterLatencyMs;
  }

  /** The deny-list as one node's handler sees it; each call is charged to `bill`. */
  revocation(node: ServerNode, bill: Bill, config: SimConfig): RevocationAccess {
    const cost = SharedStore.roundTripMs(config);
    return {
      unavailableReason: () => this.unreachableReason(node),
      isRevoked: (jti, sub) => {
        bill.costMs += cost;
        if (!this.reachableFrom(node)) return 'unavailable';
        // One round trip reads both entries (as a Redis MGET would).
        return this.revoked.has(jti) || (this.bannedUsers.size !== 0 && sub !== undefined && this.bannedUsers.has(sub));
      },
      revoke: (jti, expiresAtSeconds) => {
        bill.costMs += cost;
        if (!this.reachableFrom(node)) return 'unavailable';
        this.revoked.set(jti, expiresAtSeconds);
        this.version++;
        return true;
      },
    };
  }

  /** The refresh tokens' records as one node's handler sees them; each call is one round trip, charged to `bill`. */
  refresh(node: ServerNode, bill: Bill, config: SimConfig): RefreshAccess {
    const cost = SharedStore.roundTripMs(config);
    const families = this.refreshFamilies;
    return {
      unavailableReason: () => this.unreachableReason(node),
      get: (family) => {
        bill.costMs += cost;
        if (!this.reachableFrom(node)) return 'unavailable';
        return families.get(family) ?? null;
      },
      put: (family, record) => {
        bill.costMs += cost;
        if (!this.reachableFrom(node)) return 'unavailable';
        families.set(family, record);
        this.version++;
        return true;
      },
      revoke: (family) => {
        bill.costMs += cost;
        if (!this.reachableFrom(node)) return 'unavailable';
        if (families.delete(family)) this.version++;
        return true;
      },
    };
  }

  /** Revokes every refresh token of `user` (a ban); how many families went. */
  revokeRefreshTokensOf(user: string): number {
    let count = 0;
    for (const [family, record] of [...this.refreshFamilies]) {
      if (record.user !== user) continue;
      this.refreshFamilies.delete(family);
      count++;
    }
    if (count > 0) this.version++;
    return count;
  }

  /** Forgets refresh tokens past their expiry. */
  sweepRefresh(nowMs: number): void {
    for (const [family, record] of [...this.refreshFamilies]) {
      if (record.expiresAtMs <= nowMs) {
        this.refreshFamilies.delete(family);
        this.version++;
      }
    }
  }

  /** Forgets revoked ids whose tokens have expired anyway. */
  sweepRevoked(nowSeconds: number): void {
    for (const [jti, exp] of [...this.revoked]) {
      if (exp <= nowSeconds) {
        this.revoked.delete(jti);
        this.version++;
      }
    }
    for (const [user, exp] of [...this.bannedUsers]) {
      if (exp <= nowSeconds) {
        this.bannedUsers.delete(user);
        this.version++;
      }
    }
  }

  snapshot(): NonNullable<Snapshot['store']> {
    return {
      status: this.status,
      role: this.role,
      sessions: this.sessions.size,
      revokedTokens: this.revoked.size,
      bannedUsers: this.bannedUsers.size,
      refreshTokens: this.keepsRefreshTokens ? this.refreshFamilies.size : null,
    };
  }
}
