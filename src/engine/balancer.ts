/**
 * The load balancer's decisions: which node gets a request (round-robin, least-connections or
 * random among the healthy nodes), stickiness (the `lb` cookie names the node and keeps the client
 * there), whether a refused connection is retried on another node, the headers it adds to an
 * answer, and the answers it gives itself when no node can.
 *
 * Its settings come from the config (strategy, `sticky`, `retries`); a product preset (HAProxy,
 * nginx, Envoy) is a set of those settings. Health checks, which decide what "healthy" means,
 * are in health.ts.
 */
import { appendSetCookie, problem, readCookie } from './http';
import { createRandom, type Random } from './random';
import { PassiveHealth } from './health';
import type { ServerNode } from './node';
import type { HttpRequest, HttpResponse, SimConfig } from './types';
import type { World } from './world';

/** nginx tries every server once (`proxy_next_upstream_tries 0`): as many as a cluster can have. */
const EVERY_SERVER = 32;

export class Balancer {
  private roundRobinIndex = 0;
  private readonly random: Random;
  /** Set by choose(): the sticky cookie picked its node (an answer without an object per request). */
  choseSticky = false;
  /** Set by choose(): the node the request's `lb` cookie names, or null (read once per request, kept on its Flight). */
  pinnedTo: string | null = null;

  /** Passive health (the nginx and envoy presets); null with haproxy's active checks. */
  private readonly passive: PassiveHealth | null;
  /** The nodes it chose among last (the cluster's list): the pool passive health ejects from. */
  private pool: readonly ServerNode[] = [];
  private readonly world: World | null;

  /** `world` gives it the clock and the metrics; without one (unit tests) it follows haproxy's rules. */
  constructor(
    private readonly config: SimConfig,
    world: World | null = null,
  ) {
    this.random = createRandom(config.seed, 'balancer');
    this.world = world;
    this.passive =
      world === null || config.balancerPreset === 'haproxy' ? null : new PassiveHealth(world, config.balancerPreset);
  }

  /**
   * Picks a node: the sticky node if the request names a healthy one, else by strategy among
   * healthy nodes not already refused. null when none is left.
   */
  choose(nodes: readonly ServerNode[], request: HttpRequest, refusedBy: ServerNode[] | null): ServerNode | null {
    this.choseSticky = false;
    this.pinnedTo = null;
    if (this.passive !== null) {
      this.pool = nodes;
      this.passive.readmit(nodes);
    }
    if (this.config.sticky) {
      const stickyId = (this.pinnedTo = readCookie(request.headers.cookie, 'lb'));
      if (stickyId !== null) {
        for (const node of nodes) {
          if (node.id !== stickyId) continue;
          if (usable(node, refusedBy)) {
            this.choseSticky = true;
            return node;
          }
          break;
        }
      }
    }
    const count = nodes.length;
    if (count === 0) return null;
    switch (this.config.balancer) {
      case 'round-robin':
        for (let i = 0; i < count; i++) {
          const node = nodes[(this.roundRobinIndex + i) % count]!;
          if (usable(node, refusedBy)) {
            this.roundRobinIndex = (this.roundRobinIndex + i + 1) % count;
            return node;
          }
        }
        return null;
      case 'least-connections': {
        // Ties go round-robin, as HAProxy's leastconn does.
        let best: ServerNode | null = null;
        let bestIndex = 0;
        for (let i = 0; i < count; i++) {
          const index = (this.roundRobinIndex + i) % count;
          const node = nodes[index]!;
          if (usable(node, refusedBy) && (best === null || node.inFlight < best.inFlight)) {
            best = node;
            bestIndex = index;
          }
        }
        if (best === null) return null;
        this.roundRobinIndex = (bestIndex + 1) % count;
        return best;
      }
      case 'random': {
        const candidates: ServerNode[] = [];
        for (const node of nodes) if (usable(node, refusedBy)) candidates.push(node);
        if (candidates.length === 0) return null;
        return candidates[this.random.int(candidates.length)]!;
      }
    }
  }

  /**
   * Whether a connection refused on attempt `attempt` is tried again on another node: haproxy
   * `retries` + `redispatch`; nginx the next server until each was tried once; envoy never (a route
   * has no retry policy unless one is configured).
   */
  retries(attempt: number): boolean {
    switch (this.config.balancerPreset) {
      case 'haproxy':
        return attempt <= this.config.retries;
      case 'nginx':
        return attempt < EVERY_SERVER;
      case 'envoy':
        return false;
    }
  }

  /**
   * A node refused a request's connection: it crashed and the balancer still thought it up (the
   * blind window: counted as `sentToDeadNode`). Passive health counts it as a failure.
   */
  refused(node: ServerNode): void {
    if (this.world !== null) this.world.recorder.sentToDeadNode++;
    this.passive?.failed(node, this.pool);
  }

  /**
   * Tags an answer on its way back: the request's id always (HAProxy's unique-id-header: the page's
   * inspector finds the engine's record by it), and for a node's answer that is not an error, the
   * sticky cookie when the client is not yet pinned to that node. (`x-served-by` is set by the
   * node that answered: see RequestPipeline.served.)
   */
  tagAnswer(requestId: number, pinnedTo: string | null, response: HttpResponse, node: ServerNode | null): void {
    response.headers['x-request-id'] = String(requestId);
    if (node !== null) this.passive?.answered(node, response, this.pool);
    if (node === null || response.status >= 500) return;
    if (this.config.sticky && pinnedTo !== node.id) appendSetCookie(response, `lb=${node.id}; Path=/; SameSite=Lax`);
  }
}

/** In the balancer's pool: marked up by the health checks and not being removed. */
function isUsable(node: ServerNode): boolean {
  return node.health === 'up' && !node.draining;
}

/**
 * Usable for this request: in the pool and not one that refused it already. A plain function, not
 * a closure over `refusedBy` in choose(): a captured parameter costs an object on every call.
 */
function usable(node: ServerNode, refusedBy: ServerNode[] | null): boolean {
  return isUsable(node) && (refusedBy === null || !refusedBy.includes(node));
}

/** The balancer's own answer when no node is left to try. */
export function noHealthyNode(): HttpResponse {
  return problem(503, 'service unavailable', 'no healthy node: the balancer has nowhere to send the request', {
    'retry-after': '2',
  });
}

/** The balancer's own answer when the last node it tried refused the connection. */
export function refusedConnection(node: ServerNode): HttpResponse {
  return problem(
    502,
    'bad gateway',
    `${node.id} refused the connection: it is down and the health checks have not noticed yet`,
  );
}
