/**
 * One line for the room about what just happened, from an engine event (null: nothing to say).
 * Each line says what the engine really does: the shared store is the session store in stateful
 * mode and the token deny-list in stateless mode, and the two fail differently.
 */
import type { SimEvent, Simulation } from '../engine';
import { nodeLabel, YOU_ID, YOU_NAME } from './labels';

function names(sim: Simulation, ids: readonly string[], limit = 4): string {
  const byId = new Map(sim.snapshot().clients.map((c) => [c.id, c.name]));
  const list = ids.map((id) => byId.get(id) ?? (id === YOU_ID ? YOU_NAME : id));
  return list.length <= limit ? list.join(', ') : `${list.slice(0, limit).join(', ')} and ${list.length - limit} more`;
}

/**
 * Nodes each simulation has announced as removed: the engine reports a removal's lost sessions
 * right after its `node.down` (cause "removed"), so the loss is worded as a scale-in, not a crash.
 */
const removedNodes = new WeakMap<Simulation, Set<string>>();
/** Nodes added and not yet in the pool: their first passing health checks put them in, not back. */
const joiningNodes = new WeakMap<Simulation, Set<string>>();

function nodesOf(map: WeakMap<Simulation, Set<string>>, sim: Simulation): Set<string> {
  let nodes = map.get(sim);
  if (nodes === undefined) map.set(sim, (nodes = new Set()));
  return nodes;
}

/** The shared store: the token deny-list in stateless mode (`deny=1`), else the session store. */
function storeIsDenyList(sim: Simulation): boolean {
  return sim.config.mode === 'stateless';
}

/** Refresh tokens without a deny-list: the store holds only the refresh tokens' records. */
function refreshOnly(sim: Simulation): boolean {
  return sim.config.mode === 'stateless' && sim.config.refreshTokens && !sim.config.denyList;
}

function storeDown(sim: Simulation): boolean {
  return sim.snapshot().store?.status === 'down';
}

export function captionFor(event: SimEvent, sim: Simulation): string | null {
  const stateless = sim.config.mode === 'stateless';
  switch (event.type) {
    case 'node.down':
      if (event.cause === 'removed') {
        nodesOf(removedNodes, sim).add(event.node);
        return stateless
          ? `${nodeLabel(event.node)} removed: no session lost — the tokens live in the clients`
          : `${nodeLabel(event.node)} removed`;
      }
      if (!stateless) return `${nodeLabel(event.node)} crashed`;
      return storeDown(sim) && !refreshOnly(sim)
        ? `${nodeLabel(event.node)} crashed: no session lost — but with the deny-list store down, no node can check a token`
        : `${nodeLabel(event.node)} crashed: no session lost — every token still verifies on the other nodes`;
    case 'session.lost': {
      const where =
        event.where === 'store'
          ? 'The session store failed'
          : removedNodes.get(sim)?.has(event.where) === true
            ? `${nodeLabel(event.where)} was removed`
            : `${nodeLabel(event.where)} went down`;
      const count = event.sessions;
      const lost = `${count} session${count === 1 ? '' : 's'} lost`;
      if (event.clients.length === 0) return `${where}: ${lost}, all abandoned — nobody was using them`;
      return `${where}: ${lost} — ${names(sim, event.clients)} must log in again`;
    }
    case 'node.marked':
      // nginx and Envoy probe nothing: they take a node out for the requests that failed on it.
      if (sim.config.balancerPreset === 'nginx')
        return event.health === 'down'
          ? `The balancer took ${nodeLabel(event.node)} out for 10 s after a failed request (NGINX max_fails 1)`
          : `${nodeLabel(event.node)}'s 10 s are up: the balancer tries it again`;
      if (sim.config.balancerPreset === 'envoy')
        return event.health === 'down'
          ? `The balancer ejected ${nodeLabel(event.node)} after 5 errors in a row (Envoy outlier detection)`
          : `${nodeLabel(event.node)}'s ejection is over: back in the pool`;
      if (event.health === 'down')
        return `The balancer marked ${nodeLabel(event.node)} down after ${sim.config.healthCheckFall} failed health checks`;
      return nodesOf(joiningNodes, sim).delete(event.node)
        ? `${nodeLabel(event.node)} passed ${sim.config.healthCheckRise} health checks: now in the pool`
        : `${nodeLabel(event.node)} passed ${sim.config.healthCheckRise} health checks: back in the pool`;
    case 'node.up':
      if (stateless)
        return `${nodeLabel(event.node)} restarted — empty: nothing to restore, tokens live in the clients`;
      return sim.config.sessionStore === 'shared'
        ? `${nodeLabel(event.node)} restarted — empty, and nothing lost: the sessions live in the store`
        : `${nodeLabel(event.node)} restarted — empty: no session came back`;
    case 'node.added':
      // A deploy's new node takes the id of the one that left: a later loss there is a crash again.
      nodesOf(removedNodes, sim).delete(event.node);
      nodesOf(joiningNodes, sim).add(event.node);
      return `${nodeLabel(event.node)} added: it joins the pool after ${sim.config.healthCheckRise} passing health checks`;
    case 'store.down':
      // The engine answers 503 to every request that needs the store; what the store held is gone.
      if (refreshOnly(sim))
        return 'The token store failed: every refresh gets 503 until it is back, but access tokens keep working (no node asks the store for them) — and every refresh token in it is gone';
      return storeIsDenyList(sim)
        ? 'The token deny-list store failed: no node can check a token against it, so every request with a token gets 503 until it is back — and the list of revoked tokens is gone'
        : 'The session store failed: no node can read or create a session, so logins and every request that needs one get 503 until it is back — and every session in it is gone';
    case 'store.up':
      if (refreshOnly(sim))
        return 'The token store is back — empty: every refresh is refused, so each user logs in again when their short access token runs out';
      return storeIsDenyList(sim)
        ? 'The token deny-list store is back — empty: tokens revoked before it failed are valid again until they expire'
        : 'The session store is back — empty: every user must log in again';
    default:
      return null;
  }
}
