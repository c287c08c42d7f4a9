/**
 * The cluster's nodes and their lifecycle: created with the next id, crashed (everything inside
 * dies, its memory is wiped), recovered (empty; the health checks must see it pass before the
 * balancer uses it again), and removed by a scale-in — drained first: out of the balancer's pool at
 * once, gone when the requests inside have finished.
 */
import { ServerNode } from './node';
import { createRandom } from './random';
import type { Flight } from './pipeline';
import type { SessionHome } from './sessions';
import type { World } from './world';

export class Nodes {
  /** In the cluster now, in the order they joined (a removed node leaves the list). */
  readonly list: ServerNode[] = [];
  /** Nodes ever created: the next one is `server-${created + 1}`. */
  private created = 0;

  constructor(
    private readonly world: World,
    private readonly home: SessionHome,
  ) {}

  /** A new node; at the start of a run it is healthy at once, later it waits for its first checks. */
  create(startHealthy: boolean): ServerNode {
    this.created++;
    const id = `server-${this.created}`;
    const node = new ServerNode(id, this.created, createRandom(this.world.config.seed, `node:${id}`), startHealthy);
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
    node.checkedTokens.clear();
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
    this.list.splice(this.list.indexOf(node), 1);
    node.removed = true;
    if (log.observed) log.emit({ type: 'node.removed', time: now, node: node.id });
  }
}
