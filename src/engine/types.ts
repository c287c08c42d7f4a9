/**
 * The engine's public vocabulary: configuration, commands, HTTP messages, events, snapshots and
 * metrics. Everything here is plain data (no classes, no functions) so it can cross into the view,
 * the HTTP adapter and tests unchanged. Times are simulated milliseconds since the start of the run.
 */

export type Mode = 'stateless' | 'stateful';
export type SessionStoreKind = 'memory' | 'shared' | 'replicated';
/** With `sessionStore: 'replicated'`: copy every session to every node, or to one backup node. */
export type ReplicationKind = 'all' | 'backup';
export type BalancerStrategy = 'round-robin' | 'least-connections' | 'random';
/** Which product's defaults the balancer follows when a node dies (see BALANCER_PRESETS). */
export type BalancerPreset = 'haproxy' | 'nginx' | 'envoy';

export interface SimConfig {
  /** Seed of every random stream in the run. Same seed + same commands ⇒ same run. */
  seed: number;
  mode: Mode;
  /** Where stateful sessions live: in each node's memory, or in one shared (Redis-like) store. */
  sessionStore: SessionStoreKind;
  /**
   * With `sessionStore: 'replicated'`: every change copied to every other node (Tomcat's
   * DeltaManager), or to one backup node per session (BackupManager).
   */
  replication: ReplicationKind;
  /** Balancer affinity: it inserts an `lb` cookie naming the node and keeps the client there. */
  sticky: boolean;
  /**
   * Stateless only: logout revokes the token by putting its id on a deny-list in a shared store,
   * which every node must then read on every request — server-side state again.
   */
  denyList: boolean;
  balancer: BalancerStrategy;
  nodes: number;
  clients: number;
  /** HS256 secret shared by every node. A visible demo value: this is a teaching tool. */
  jwtSecret: string;
  /** Lifetime of an issued token. Short on purpose so that expiry and renewal are visible. */
  tokenTtlMs: number;
  /**
   * Stateless only: login also answers an opaque refresh token whose record lives in a shared store;
   * access tokens then live `accessTtlMs` (not `tokenTtlMs`) and are renewed at `POST /api/refresh`
   * (the refresh token rotated, single-use). A ban or logout revokes the refresh tokens: a stolen
   * access token works at most one short lifetime. Default false.
   */
  refreshTokens: boolean;
  /** With `refreshTokens`: lifetime of an access token (default 15 s). */
  accessTtlMs: number;
  /** With `refreshTokens`: lifetime of a refresh token (default 10 min), renewed on each rotation. */
  refreshTtlMs: number;
  /** Idle lifetime of a server-side session. */
  sessionTtlMs: number;
  /** Health checks (HAProxy's inter / fall / rise). */
  healthCheckIntervalMs: number;
  healthCheckFall: number;
  healthCheckRise: number;
  /** How many times the balancer retries a refused connection on another node (HAProxy `retries` + `redispatch`). */
  retries: number;
  /**
   * Health checking, retries and ejection as a product's defaults do them: 'haproxy' (active
   * checks, the settings above), 'nginx' (passive: max_fails 1, fail_timeout 10 s) or 'envoy'
   * (outlier ejection: 5 consecutive 5xx, 30 s base ejection, no retries).
   */
  balancerPreset: BalancerPreset;
  /**
   * The checkout's final POST carries an `idempotency-key` header (one key per purchase); the
   * server keeps the keys it has seen in its database and answers a retried POST with the stored
   * result instead of placing a second order. Default false.
   */
  idempotencyKeys: boolean;
  /**
   * How long the checkout's final POST waits on the payment provider after the order is written,
   * before it answers (ms, added to that request's service time). A crash in this window loses the
   * answer, not the order. Default 0 (not modelled).
   */
  paymentMs: number;
  /** Worker slots per node; requests beyond them wait in the node's queue. */
  workersPerNode: number;
  /** One-way network latency between a client and the balancer. */
  clientLatencyMs: number;
  /** One-way network latency between the balancer and a node, and between a node and the store. */
  clusterLatencyMs: number;
  /** Mean service time of a request at a node, before credential checks. */
  serviceTimeMs: number;
  /** Simulated CPU cost of checking a JWT signature the node has not seen before. */
  jwtVerifyCostMs: number;
  /** Simulated cost of reading a session from the node's own memory. */
  sessionLookupCostMs: number;
  /** Client think time between two requests: uniform in [min, max]. */
  thinkTimeMinMs: number;
  thinkTimeMaxMs: number;
  /** Wall-clock epoch that simulated time 0 maps to, for the `iat` / `exp` claims of tokens. */
  epochMs: number;
  /** How many recent events the engine keeps for inspection (a ring buffer). */
  eventLogSize: number;
}

export type Command =
  | { type: 'failNode'; node: string }
  | { type: 'recoverNode'; node: string }
  | { type: 'addNode' }
  | { type: 'removeNode'; node: string }
  /** Graceful: out of the pool at once, what is inside finishes, then it exits; its sessions move (shared / replicated) or are lost (memory). */
  | { type: 'drainNode'; node: string }
  /**
   * A rolling deploy: the nodes are replaced one at a time by nodes running `version` (default: the
   * next after the cluster's, 'v1' → 'v2'). With `drain`, each is drained and a fresh node takes its
   * place and id when it has left; without, each is restarted (a crash: what is inside fails, its
   * memory is gone) and comes back after interval × fall. The next starts once the last is in the
   * balancer's pool again (passed its health checks).
   */
  | { type: 'deploy'; version?: string; drain: boolean }
  /**
   * A new HS256 key with a new `kid` (k2, k3, …) on the listed nodes (default: all): they sign with it
   * and still accept the key they signed with before (the overlap; the one before that is retired).
   * Nodes not listed keep their keys and answer 401 to tokens signed with the new one.
   */
  | { type: 'rotateKey'; nodes?: string[] }
  /** verify false: a "lazy" node that decodes a JWT without checking its signature (accepts forgeries). */
  | { type: 'setVerify'; node: string; verify: boolean }
  /**
   * Bans a user (the name they log in with): no new login or token renewal. Tokens already issued
   * work on until exp — unless the cluster keeps a deny-list (`denyList`), where the ban refuses them all.
   */
  | { type: 'banUser'; user: string }
  | { type: 'failStore' }
  | { type: 'recoverStore' }
  /** A gray failure: the node's network link to the shared store is cut; it still passes its health checks. */
  | { type: 'cutStoreLink'; node: string }
  | { type: 'restoreStoreLink'; node: string };

/**
 * Where a node is in a rolling deploy: next in line on the old version ('waiting'), being drained
 * or restarted, or running the new version until the balancer takes it into its pool ('starting').
 */
export type DeployPhase = 'waiting' | 'draining' | 'restarting' | 'starting';

export interface HttpRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** A JSON value, not a string. */
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /**
   * Lower-case header names. Several `set-cookie` values are joined with ', ' (our cookies carry no
   * `Expires`, so the join is unambiguous); the HTTP adapter splits them again.
   */
  headers: Record<string, string>;
  body: unknown;
}

export type CredentialKind = 'token' | 'cookie' | 'none';
export type NodeStatus = 'up' | 'down';

export type SimEvent =
  /** A client put a request on the wire towards the balancer. */
  | {
      type: 'request.sent';
      time: number;
      id: number;
      client: string;
      method: string;
      path: string;
      credential: CredentialKind;
      sizeBytes: number;
      arriveAt: number;
    }
  /** The balancer forwarded the request to a node (attempt 1, or a retry after a refused connection). */
  | {
      type: 'request.routed';
      time: number;
      id: number;
      client: string;
      node: string;
      attempt: number;
      sticky: boolean;
      arriveAt: number;
    }
  /** The chosen node was dead: the connection was refused before anything reached it. */
  | { type: 'request.refused'; time: number; id: number; client: string; node: string }
  /** The node started working on the request (it may have waited in the node's queue). */
  | { type: 'request.started'; time: number; id: number; client: string; node: string; queuedMs: number }
  /** An answer left for the client: from a node, or from the balancer itself (502 / 503). */
  | {
      type: 'request.answered';
      time: number;
      id: number;
      client: string;
      node: string | null;
      status: number;
      reason: string | null;
      arriveAt: number;
    }
  /** The answer reached the client: the request is over. */
  | {
      type: 'request.finished';
      time: number;
      id: number;
      client: string;
      status: number;
      ok: boolean;
      latencyMs: number;
    }
  | { type: 'node.down'; time: number; node: string; cause: 'crash' | 'removed' }
  | { type: 'node.up'; time: number; node: string }
  | { type: 'node.added'; time: number; node: string }
  | { type: 'node.removed'; time: number; node: string }
  /** The balancer's health checks changed their verdict on a node. */
  | { type: 'node.marked'; time: number; node: string; health: NodeStatus }
  | { type: 'session.created'; time: number; client: string; where: string }
  | { type: 'session.ended'; time: number; client: string; where: string; cause: 'logout' | 'expired' }
  /**
   * Sessions destroyed by a failure: a node crash or removal, or the store's failure. `clients` are
   * the users who must log in again (their current session, or one their login was still creating);
   * `sessions` counts every session destroyed, abandoned ones included.
   */
  | { type: 'session.lost'; time: number; where: string; sessions: number; clients: string[]; cartItems: number }
  /** A user had to log in again after a 401, and lost what they had in progress. */
  | { type: 'client.relogin'; time: number; client: string; cartItemsLost: number; checkoutStep: number }
  | { type: 'checkout.completed'; time: number; client: string }
  | { type: 'store.down'; time: number }
  | { type: 'store.up'; time: number };

export interface NodeSnapshot {
  id: string;
  /** Whether the node is really running. */
  status: NodeStatus;
  /** What the balancer's health checks believe. A crashed node stays 'up' here until detected. */
  health: NodeStatus;
  /** Sessions held in this node's memory (0 in stateless mode and with a shared store). */
  sessions: number;
  /** Ids of the clients whose sessions this node holds, in creation order. */
  sessionClients: readonly string[];
  /** Requests inside the node: in service plus queued. */
  inFlight: number;
  queued: number;
  /** Requests this node has finished (answered, or lost when it crashed). */
  served: number;
  /** Taken out of the pool (drained or being removed): finishing what is inside, then it exits. */
  draining: boolean;
  /** Copies of other nodes' sessions this node holds (replicated sessions only; else 0). */
  sessionCopies: number;
  /**
   * The balancer's count of this node's failures in a row, up to `fall`: failed health checks
   * (haproxy), failed attempts (nginx) or 5xx answers (envoy). At `fall` the node is out of the pool.
   */
  failedChecks: number;
  /** How many failures in a row take the node out of the pool (haproxy: healthCheckFall; nginx 1; envoy 5). */
  fall: number;
  /** Its network link to the shared store: 'cut' by `cutStoreLink` (a gray failure); 'ok' otherwise, or with no store. */
  storeLink: 'ok' | 'cut';
  /** The token keys this node can check, oldest first ('k1' until a `rotateKey`); it signs with the last. */
  keyIds: string[];
  /** false: a lazy node that decodes tokens without checking their signature (`setVerify`). */
  verify: boolean;
  /** The application version it runs: 'v1', until a `deploy` replaces it. */
  version: string;
  /** Where it is in a rolling deploy, or null: not part of one (see `DeployPhase`). */
  deploy: DeployPhase | null;
}

export interface ClientSnapshot {
  id: string;
  name: string;
  /** Whether the user holds a working login right now (false as soon as their session is lost). */
  loggedIn: boolean;
  cartItems: number;
  /** 0 before checkout, 1–3 while checking out. */
  checkoutStep: number;
  /** What the client's next request is. */
  action: ClientAction;
  credential: CredentialKind;
  /**
   * The credential header the client sends, as sent: `authorization: Bearer <jwt>` or
   * `cookie: sid=…; lb=…` (null before login). Its length is what it costs on every request.
   */
  credentialHeader: string | null;
  /** The node holding this user's session in memory, if any. */
  sessionNode: string | null;
  /** The node the balancer's sticky cookie names, if any. */
  stickyNode: string | null;
  /** True between a failure destroying the user's session and the user's next request finding out. */
  sessionLost: boolean;
  relogins: number;
  /**
   * Simulated ms when a failure last destroyed this user's session, or a 401 sent them back to
   * login (null: never). The stage derives "logged out" / "session lost" from it and the time shown.
   */
  lostAtMs: number | null;
  /**
   * The cart items the user's session held on the server when a failure last destroyed it (with
   * `lostAtMs`). It can differ from `cartItems` just before: a cart request in flight has changed the
   * server's cart and not yet told the user. What a crash loses is the server's cart.
   */
  lostCartItems: number;
  /** "You" only: what the page's client holds — the one source the page builds its requests from. */
  held?: YouHeld;
}

/** What "You" hold, as the engine followed it from your requests and their answers. */
export interface YouHeld {
  /** The name You logged in with. */
  user: string | null;
  /** Stateless: the token You send (`authorization: Bearer …`). */
  token: string | null;
  /** Stateless with `refreshTokens`: the refresh token You send to POST /api/refresh. */
  refreshToken?: string | null;
  /** Stateful: the session cookie and the balancer's sticky cookie (the browser sends them). */
  sid: string | null;
  lb: string | null;
  /** The cart's items, as the last answer listed them (stateless: the page sends them along). */
  cart: readonly string[];
  /** Where Your session lives — or lived, until a failure destroyed it: a node's id, 'store', or null. */
  home: string | null;
}

export type ClientAction = 'login' | 'profile' | 'addItem' | 'viewCart' | 'checkout' | 'logout' | 'refresh';

export interface StoreSnapshot {
  status: NodeStatus;
  /**
   * What the store is for: sessions (stateful), or the token deny-list (stateless), or only the
   * refresh tokens' records (stateless with `refreshTokens` and no deny-list).
   */
  role: 'sessions' | 'deny-list' | 'refresh-tokens';
  sessions: number;
  /** Token ids on the deny-list that have not yet expired. */
  revokedTokens: number;
  /** Banned users on the deny-list (`banUser` with `denyList`): all their tokens are refused. */
  bannedUsers: number;
  /** Live refresh tokens whose records the store keeps (`refreshTokens`); null when the option is off. */
  refreshTokens: number | null;
}

export interface Snapshot {
  time: number;
  mode: Mode;
  sessionStore: SessionStoreKind;
  sticky: boolean;
  balancerPreset: BalancerPreset;
  nodes: readonly NodeSnapshot[];
  clients: readonly ClientSnapshot[];
  /** Present when sessions live in a shared store, or a stateless cluster keeps a deny-list. */
  store: StoreSnapshot | null;
}

/** One simulated second of traffic, for charts over the last 60 s. */
export interface MetricsWindowSecond {
  /** Start of the second, simulated ms. */
  time: number;
  ok: number;
  failed: number;
  p95Ms: number;
  /** Requests finished by each node in this second. */
  byNode: Record<string, number>;
}

export interface Metrics {
  requests: { total: number; ok: number; failed: number };
  byStatus: Record<number, number>;
  sessionsLost: number;
  cartItemsLost: number;
  checkoutsCompleted: number;
  /** Requests routed to a crashed node before the balancer noticed (each one refused). */
  sentToDeadNode: number;
  /** Tampered tokens that got a 2xx: only a lazy node (`setVerify` false) lets one through. */
  forgeriesAccepted: number;
  /** Requests by a banned user (`banUser`) answered 2xx after the ban: a JWT outlives a ban until exp without a deny-list. */
  bannedUserRequestsOk: number;
  /** Access tokens issued at `POST /api/refresh` for a valid refresh token (`refreshTokens`). */
  tokensRefreshed: number;
  /** Users sent back to the login page by a 401. */
  relogins: number;
  logins: number;
  latencyMs: { p50: number; p95: number };
  bytesPerRequest: number;
  /** Bytes of session copies sent between nodes (replicated sessions: copies, fetches, state transfers). */
  replicationBytes: number;
  /** Orders written to the orders database by checkouts' final POSTs (duplicates included). */
  orders: number;
  /** Orders placed twice: a retried checkout POST whose first attempt had already placed the order. */
  duplicateOrders: number;
  /** Requests finished per node since the start, removed nodes included. */
  byNode: Record<string, number>;
  balancer: { forwarded: number; refused: number; retried: number; noHealthyNode: number };
  /** The last 60 simulated seconds, oldest first; the current (partial) second last. */
  window: MetricsWindowSecond[];
}

/** Everything about one recent request, for the inspector. Times are simulated ms. */
export interface RequestRecord {
  id: number;
  client: string;
  request: HttpRequest;
  /** null while the request is still on its way. */
  response: HttpResponse | null;
  sizeBytes: number;
  credential: CredentialKind;
  /** The node that answered (or held it when it crashed); null for the balancer's own 502/503. */
  node: string | null;
  /** Connection attempts: more than 1 when a dead node refused it and the balancer retried. */
  attempts: number;
  sentAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  queuedMs: number | null;
  latencyMs: number | null;
}
