/**
 * Health checks, as HAProxy does them: every `healthCheckIntervalMs` the balancer probes each
 * node; `healthCheckFall` failures in a row mark it down (out of the pool), `healthCheckRise`
 * passes in a row mark it up again. Until the checks notice, a dead node still gets requests (its
 * connection is refused, and the balancer retries elsewhere: see balancer.ts).
 */
import type { ServerNode } from './node';
import { Kind, type World } from './world';

export class HealthChecks {
  constructor(private readonly world: World) {}

  /** Puts the first round on the agenda. */
  start(): void {
    this.world.agenda.push(this.world.config.healthCheckIntervalMs, Kind.HealthChecks, null);
  }

  /** One round over every node, then the next round goes on the agenda. */
  run(nodes: readonly ServerNode[]): void {
    for (const node of nodes) this.check(node);
    const world = this.world;
    world.agenda.push(world.now + world.config.healthCheckIntervalMs, Kind.HealthChecks, null);
  }

  private check(node: ServerNode): void {
    const { config, log } = this.world;
    const passed = node.status === 'up';
    if (passed) {
      node.consecutiveChecksFailed = 0;
      node.consecutiveChecksOk++;
    } else {
      node.consecutiveChecksOk = 0;
      node.consecutiveChecksFailed++;
    }
    const next =
      node.health === 'up'
        ? node.consecutiveChecksFailed >= config.healthCheckFall
          ? 'down'
          : 'up'
        : node.consecutiveChecksOk >= config.healthCheckRise
          ? 'up'
          : 'down';
    if (next !== node.health) {
      node.health = next;
      node.version++;
      if (log.observed) log.emit({ type: 'node.marked', time: this.world.now, node: node.id, health: next });
    }
  }
}
