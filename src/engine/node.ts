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
  readonly checkedTokens = new Set<string>();
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
  rememberToken(token: string): void {
    if (this.checkedTokens.size >= 10_000 || this.checkedTokenChars + token.length > 2_000_000) {
      this.checkedTokens.clear();
      this.tokenGeneration++;
      this.checkedTokenChars = 0;
    }
    this.checkedTokens.add(token);
    this.checkedTokenChars += token.length;
  }
}
