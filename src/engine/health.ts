/**
 * Health checks, as HAProxy does them: every `healthCheckIntervalMs` the balancer probes each
 * node; `healthCheckFall` failures in a row mark it down (out of the pool), `healthCheckRise`
 * passes in a row mark it up again. Until the checks notice, a dead node still gets requests (its
 * connection is refused, and the balancer retries elsewhere: see balancer.ts). That stretch is the
 * blind window; the requests sent into it are counted as `sentToDeadNode`.
 *
 * The 'nginx' and 'envoy' presets probe nothing: `PassiveHealth` judges a node by the requests it
 * fails and ejects it for a while (nginx max_fails / fail_timeout; Envoy outlier detection).
 */
import { BALANCER_PRESETS } from './config';
import type { ServerNode } from './node';
import type { HttpResponse, NodeStatus, SimConfig } from './types';
import { Kind, type World } from './world';

/** How many failures in a row take a node out of the pool under the config's preset. */
export function fallOf(config: SimConfig): number {
  const preset = BALANCER_PRESETS[config.balancerPreset];
  return preset.detection === 'active' ? config.healthCheckFall : preset.failuresToEject;
}

/** The balancer's verdict on a node changes. */
function mark(world: World, node: ServerNode, health: NodeStatus): void {
  node.health = health;
  node.version++;
  if (world.log.observed) world.log.emit({ type: 'node.marked', time: world.now, node: node.id, health });
}

/** Envoy ejects a host for base × times ejected, up to max_ejection_time (300 s by default). */
const ENVOY_MAX_EJECTION_MS = 300_000;
/** Envoy's max_ejection_percent (10 %), though at least one host may always be ejected. */
const ENVOY_MAX_EJECTION_PERCENT = 10;

/** Passive health (nginx, envoy): failures seen in traffic eject a node for a while. */
export class PassiveHealth {
  private readonly failuresToEject: number;
  private readonly ejectionMs: number;
  private readonly envoy: boolean;
  /** The earliest moment an ejected node comes back (Infinity: none is ejected). */
  private nextReadmit = Infinity;

  constructor(
    private readonly world: World,
    preset: 'nginx' | 'envoy',
  ) {
    this.failuresToEject = BALANCER_PRESETS[preset].failuresToEject;
    this.ejectionMs = BALANCER_PRESETS[preset].ejectionMs;
    this.envoy = preset === 'envoy';
  }

  /**
   * A node's connection was refused or reset (nginx: a failed attempt), or (envoy) it answered a
   * 5xx. Enough in a row eject it from `pool`.
   */
  failed(node: ServerNode, pool: readonly ServerNode[]): void {
    if (node.health === 'down') return;
    node.consecutiveChecksFailed++;
    node.version++;
    if (node.consecutiveChecksFailed < this.failuresToEject) return;
    const now = this.world.now;
    if (this.envoy) {
      let ejected = 0;
      for (const other of pool) if (other.health === 'down' && other.ejectedUntil > now) ejected++;
      if (ejected >= Math.max(1, Math.floor((pool.length * ENVOY_MAX_EJECTION_PERCENT) / 100))) return;
    }
    node.ejections++;
    const forMs = this.envoy ? Math.min(ENVOY_MAX_EJECTION_MS, this.ejectionMs * node.ejections) : this.ejectionMs;
    node.ejectedUntil = now + forMs;
    if (node.ejectedUntil < this.nextReadmit) this.nextReadmit = node.ejectedUntil;
    mark(this.world, node, 'down');
  }

  /** A node answered (nginx: any answer; envoy: one below 500): its count of failures starts again. */
  succeeded(node: ServerNode): void {
    if (node.consecutiveChecksFailed === 0) return;
    node.consecutiveChecksFailed = 0;
    node.version++;
  }

  /** What an answer from a node says about it (a crash's reset connection has no `x-served-by`). */
  answered(node: ServerNode, response: HttpResponse, pool: readonly ServerNode[]): void {
    const reset = response.headers['x-served-by'] === undefined;
    if (reset || (this.envoy && response.status >= 500)) this.failed(node, pool);
    else this.succeeded(node);
  }

  /** Ejected nodes whose time is up go back into the pool (still dead: they will fail again). */
  readmit(pool: readonly ServerNode[]): void {
    const now = this.world.now;
    if (now < this.nextReadmit) return;
    this.nextReadmit = readmitExpired(this.world, pool);
  }
}

/** Puts back every ejected node whose time is up; returns when the next one is due (Infinity: none). */
function readmitExpired(world: World, pool: readonly ServerNode[]): number {
  let next = Infinity;
  for (const node of pool) {
    if (node.health !== 'down') continue;
    if (node.ejectedUntil <= world.now) {
      node.consecutiveChecksFailed = 0;
      mark(world, node, 'up');
    } else if (node.ejectedUntil < next) next = node.ejectedUntil;
  }
  return next;
}

export class HealthChecks {
  constructor(private readonly world: World) {}

  /** Puts the first round on the agenda. */
  start(): void {
    this.world.agenda.push(this.world.config.healthCheckIntervalMs, Kind.HealthChecks, null);
  }

  /** One round over every node, then the next round goes on the agenda. */
  run(nodes: readonly ServerNode[]): void {
    if (this.world.config.balancerPreset === 'haproxy') for (const node of nodes) this.check(node);
    else readmitExpired(this.world, nodes);
    const world = this.world;
    world.agenda.push(world.now + world.config.healthCheckIntervalMs, Kind.HealthChecks, null);
  }

  private check(node: ServerNode): void {
    const { config } = this.world;
    const passed = node.status === 'up';
    if (passed) {
      if (node.consecutiveChecksFailed !== 0) node.version++;
      node.consecutiveChecksFailed = 0;
      node.consecutiveChecksOk++;
    } else {
      node.consecutiveChecksOk = 0;
      // The card counts failed checks up to fall (checks failed 1/3, 2/3, 3/3).
      if (node.consecutiveChecksFailed < config.healthCheckFall) node.version++;
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
    if (next !== node.health) mark(this.world, node, next);
  }
}
