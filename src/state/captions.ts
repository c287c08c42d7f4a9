/** One line for the room about what just happened, from an engine event (null: nothing to say). */
import type { SimEvent, Simulation } from '../engine';

export function nodeLabel(id: string): string {
  return id.replace(/^server-/, 'Server ');
}

function names(sim: Simulation, ids: readonly string[], limit = 4): string {
  const byId = new Map(sim.snapshot().clients.map((c) => [c.id, c.name]));
  const list = ids.map((id) => byId.get(id) ?? (id === 'you' ? 'You' : id));
  return list.length <= limit ? list.join(', ') : `${list.slice(0, limit).join(', ')} and ${list.length - limit} more`;
}

export function captionFor(event: SimEvent, sim: Simulation): string | null {
  const stateless = sim.config.mode === 'stateless';
  switch (event.type) {
    case 'node.down':
      if (event.cause === 'removed') return `${nodeLabel(event.node)} removed`;
      return stateless
        ? `${nodeLabel(event.node)} crashed: no session lost — every token still verifies on the other nodes`
        : `${nodeLabel(event.node)} crashed`;
    case 'session.lost': {
      const where = event.where === 'store' ? 'The session store failed' : `${nodeLabel(event.where)} went down`;
      const count = event.sessions;
      const lost = `${count} session${count === 1 ? '' : 's'} lost`;
      if (event.clients.length === 0) return `${where}: ${lost}, all abandoned — nobody was using them`;
      return `${where}: ${lost} — ${names(sim, event.clients)} must log in again`;
    }
    case 'node.marked':
      return event.health === 'down'
        ? `The balancer marked ${nodeLabel(event.node)} down after ${sim.config.healthCheckFall} failed health checks`
        : `${nodeLabel(event.node)} passed ${sim.config.healthCheckRise} health checks: back in the pool`;
    case 'node.up':
      return `${nodeLabel(event.node)} restarted — empty: ${stateless ? 'nothing to restore' : 'no session came back'}`;
    case 'node.added':
      return `${nodeLabel(event.node)} added: it gets traffic after ${sim.config.healthCheckRise} passing health checks`;
    case 'store.down':
      return 'The session store failed';
    case 'store.up':
      return 'The session store is back — empty';
    default:
      return null;
  }
}
