/**
 * A server node: a few workers, a FIFO queue, and — in memory-session mode — the sessions it holds.
 * A crash wipes its memory; a recovered node comes back empty. How nodes join, fail, recover and
 * leave the cluster is in nodes.ts.
 */
import { NodeKeys } from './keys';
import type { Random } from './random';
import type { Flight } from './pipeline';
import type { Session } from './routes';
import type { DeployPhase, NodeStatus } from './types';

export class ServerNode {
  status: NodeStatus = 'up';
  /** The balancer's verdict from health checks. */
  health: NodeStatus;
  consecutiveChecksOk = 0;
  consecutiveChecksFailed = 0;
  /** Passive presets (nginx, envoy): out of the pool until this simulated time, and how often it has been. */
  ejectedUntil = 0;
  ejections = 0;
  /** Taken out of the pool by a scale-in: finishes what is inside, then stops. */
  draining = false;
  /** Gone from the cluster (after draining, or removed while down). */
  removed = false;
  /** The application version it runs ('v1' until a deploy replaces it). */
  release = 'v1';
  /** Where it is in a rolling deploy (null: not part of one). */
  deploy: DeployPhase | null = null;
  busyWorkers = 0;
  readonly queue: Flight[] = [];
  /** In service, oldest first (at most workersPerNode: an array is cheaper than a Set here). */
  readonly inService: Flight[] = [];
  readonly sessions = new Map<string, Session>();
  /** Tokens whose signature this node has already checked (a JWT filter's cache). */
  readonly checkedTokens = new CheckedTokens();
  /** Token keys: which it signs with, which it accepts, whether it checks signatures at all. */
  readonly keys = new NodeKeys();
  served = 0;
  /** Bumped on every visible change, so snapshots can keep unchanged objects. */
  version = 0;

  constructor(
    readonly id: string,
    /** N in `server-N`: nodes are numbered from 1 in the order they were created. */
    readonly number: number,
    readonly random: Random,
    startHealthy: boolean,
  ) {
    this.health = startHealthy ? 'up' : 'down';
  }

  get inFlight(): number {
    return this.inService.length + this.queue.length;
  }

  /**
   * Bumped whenever checkedTokens is emptied: a memo that saw a token in this cache (see
   * RouteContext.chargeTokenCheck) holds only while the generation it saw is current.
   */
  tokenGeneration = 0;
  /** Characters of the tokens in checkedTokens since it was last cleared here (an upper bound). */
  private checkedTokenChars = 0;

  /** A crash wipes the cache of checked tokens (the character count is kept: an upper bound). */
  forgetCheckedTokens(): void {
    this.checkedTokens.clear();
    this.tokenGeneration++;
  }

  /**
   * Remembers a checked token; forgets all when the cache is full, as a bounded cache would:
   * at most 10,000 tokens and 2 M characters (~4 MB), whatever tokens are sent.
   */
  rememberToken(token: string, fingerprint: number): void {
    if (this.checkedTokens.size >= 10_000 || this.checkedTokenChars + token.length > 2_000_000) {
      this.checkedTokens.clear();
      this.tokenGeneration++;
      this.checkedTokenChars = 0;
    }
    this.checkedTokens.add(fingerprint);
    this.checkedTokenChars += token.length;
  }
}

/**
 * The tokens a node has checked, kept as 53-bit fingerprints rather than the ~300-character token
 * strings. The cache is copied into every rewind checkpoint (a fork), and checkpoints far apart hold
 * different tokens: as strings, the 62 checkpoints of a 1,000-client stateless run kept ever more
 * token text alive as the run grew and its checkpoints spread out (43 M characters at 2,500 simulated
 * seconds, 82 M at 6,000, towards ~190 M: the issue-11 soak's heap growth). A fingerprint is a
 * number; only the cost of a check hangs on it (the verdict comes from the token service), and two
 * tokens share one with odds of ~10⁻⁸ per full cache.
 */
export class CheckedTokens {
  private readonly fingerprints = new Set<number>();

  get size(): number {
    return this.fingerprints.size;
  }
  /** Whether the token with this fingerprint (jwt.ts tokenFingerprint) was checked here. */
  has(fingerprint: number): boolean {
    return this.fingerprints.has(fingerprint);
  }
  add(fingerprint: number): void {
    this.fingerprints.add(fingerprint);
  }
  clear(): void {
    this.fingerprints.clear();
  }
}
