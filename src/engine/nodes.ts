/**
 * The cluster's nodes and their lifecycle: created with the next id, crashed (everything inside
 * dies, its memory is wiped), recovered (empty; the health checks must see it pass before the
 * balancer uses it again), and removed by a scale-in — drained first: out of the balancer's pool at
 * once, gone when the requests inside have finished.
 *
 * A rolling deploy (`deploy`) replaces them one at a time, in the order they joined. With drain,
 * the node is drained and, the moment it has left, a fresh node running the new version takes its
 * place and its id (`server-N` stays on the stage; the sticky cookie `lb=server-N` now names the
 * new process). Without drain, the node is restarted in place: a crash (the requests inside fail,
 * its memory is gone), then it comes back on the new version after `restartMs` — interval × fall,
 * long enough that HAProxy's checks always see it down. Either way the next node goes only when
 * the new one is in the balancer's pool (it passed its health checks), as a Kubernetes rolling
 * update waits for the new pod to be ready. The roll moves on after each round of health checks.
 */
import { ServerNode } from './node';
import { createRandom } from './random';
import type { Flight } from './pipeline';
import type { SessionHome } from './sessions';
import type { World } from './world';
import type { SimConfig } from './types';

/** A rolling deploy under way. Plain data, so a fork copies it. */
interface Rollout {
  version: string;
  drain: boolean;
  /** The id of the node being replaced now (a drained node's replacement keeps it), or null between two. */
  current: string | null;
  /** When the current node was restarted (restart deploys). */
  since: number;
}

/** How long a restarted node is down: as long as HAProxy's checks take to mark it down (interval × fall). */
export function restartMs(config: SimConfig): number {
  return config.healthCheckIntervalMs * config.healthCheckFall;
}

export class Nodes {
  /** In the cluster now, in the order they joined (a removed node leaves the list). */
  readonly list: ServerNode[] = [];
  /** Nodes ever created: the next one is `server-${created + 1}`. */
  private created = 0;
  /** The version a node started now runs: 'v1' until a deploy changes it. */
  release = 'v1';
  /** The rolling deploy under way, or null. */
  rollout: Rollout | null = null;

  constructor(
    private readonly world: World,
    private readonly home: SessionHome,
  ) {}

  /** A new node; at the start of a run it is healthy at once, later it waits for its first checks. */
  create(startHealthy: boolean): ServerNode {
    this.created++;
    const id = `server-${this.created}`;
    const node = new ServerNode(id, this.created, createRandom(this.world.config.seed, `node:${id}`), startHealthy);
    node.release = this.release;
    this.list.push(node);
    this.home.nodeJoined(node);
    return node;
  }

  find(id: unknown): ServerNode | undefined {
    return this.list.find((n) => n.id === id);
  }

  /** Nodes still in the balancer's pool or able to rejoin it (not draining). */
  countActive(): number {
    return this.list.filter((n) => !n.draining).length;
  }

  /**
   * The node crashes: returns the requests that were inside it — they die with it — or null when
   * it was already down. The caller has the victims answered, then calls `lost()`.
   */
  crash(node: ServerNode): Flight[] | null {
    if (node.status === 'down') return null;
    node.status = 'down';
    node.version++;
    const { log, now } = this.world;
    if (log.observed) log.emit({ type: 'node.down', time: now, node: node.id, cause: 'crash' });
    const victims = [...node.inService, ...node.queue];
    node.inService.length = 0;
    node.queue.length = 0;
    node.busyWorkers = 0;
    return victims;
  }

  /** After a crash: what the node held in memory is gone; a draining node is now out. */
  lost(node: ServerNode): void {
    this.home.nodeLost(node);
    node.forgetCheckedTokens();
    if (node.draining) this.finishRemoval(node);
  }

  recover(node: ServerNode): void {
    if (node.status === 'up' || node.draining) return;
    node.status = 'up';
    node.consecutiveChecksOk = 0;
    node.version++;
    this.home.nodeJoined(node);
    const { log, now } = this.world;
    if (log.observed) log.emit({ type: 'node.up', time: now, node: node.id });
  }

  /**
   * Scale-in or a graceful drain (`removeNode`, `drainNode`): out of the pool now, so no new user
   * comes; gone once the requests inside are done (at once if none, or if it is down). On its way
   * out it hands its sessions over where the session home can (replicated); memory sessions are lost.
   */
  drain(node: ServerNode): void {
    if (node.draining) return;
    node.draining = true;
    node.version++;
    if (node.status === 'down' || node.inFlight === 0) this.finishRemoval(node);
  }

  /** A drained node leaves the cluster. */
  finishRemoval(node: ServerNode): void {
    const { log, now } = this.world;
    if (node.status === 'up') {
      node.status = 'down';
      if (log.observed) log.emit({ type: 'node.down', time: now, node: node.id, cause: 'removed' });
      this.home.nodeLeaving(node);
      this.home.nodeLost(node);
    }
    const index = this.list.indexOf(node);
    node.removed = true;
    if (node.deploy !== 'draining') {
      this.list.splice(index, 1);
      if (log.observed) log.emit({ type: 'node.removed', time: now, node: node.id });
      return;
    }
    // A deploy's drained node: the new version takes its place and its id, and waits for its checks.
    const fresh = new ServerNode(
      node.id,
      node.number,
      createRandom(this.world.config.seed, `node:${node.id}@${this.release}`),
      false,
    );
    fresh.release = this.release;
    fresh.deploy = 'starting';
    this.list.splice(index, 1, fresh);
    if (log.observed) log.emit({ type: 'node.removed', time: now, node: node.id });
    this.home.nodeJoined(fresh);
    if (log.observed) log.emit({ type: 'node.added', time: now, node: fresh.id });
  }

  /** Starts a rolling deploy of `version` over every node not on it (the caller then calls `rollOn`). */
  deploy(version: string, drain: boolean): void {
    this.release = version;
    for (const node of this.list) {
      if (node.draining || node.release === version) continue;
      node.deploy = 'waiting';
      node.version++;
    }
    this.rollout = { version, drain, current: null, since: 0 };
  }

  /**
   * Moves the rolling deploy on: at its start and after every round of health checks. Returns the
   * node the caller must crash now (a restart deploy's next node), or null.
   */
  rollOn(): ServerNode | null {
    const rollout = this.rollout;
    if (rollout === null) return null;
    if (rollout.current !== null) {
      const node = this.find(rollout.current);
      if (node !== undefined && !this.replaced(node, rollout)) return null;
      rollout.current = null;
    }
    // A node someone else is draining leaves as it is (a scale-in), not replaced.
    const next = this.list.find((n) => n.deploy === 'waiting' && !n.draining);
    if (next === undefined) {
      this.rollout = null;
      return null;
    }
    rollout.current = next.id;
    next.version++;
    if (rollout.drain) {
      next.deploy = 'draining';
      // A node with nothing inside (or down) leaves at once, and its replacement starts.
      this.drain(next);
      return null;
    }
    next.deploy = 'restarting';
    rollout.since = this.world.now;
    return next;
  }

  /** Whether the deploy is done with `node` (the one it is replacing now): back up and in the pool. */
  private replaced(node: ServerNode, rollout: Rollout): boolean {
    if (node.deploy === 'draining') return false;
    if (node.deploy === 'restarting') {
      // Still booting (unless someone recovered it by hand): it comes back running the new version.
      if (node.status === 'down' && this.world.now - rollout.since < restartMs(this.world.config)) return false;
      node.release = rollout.version;
      node.deploy = 'starting';
      node.version++;
      this.recover(node);
    }
    if (node.deploy === 'starting' && !(node.status === 'up' && node.health === 'up')) return false;
    if (node.deploy !== null) {
      node.deploy = null;
      node.version++;
    }
    return true;
  }
}
