import type { NodeSnapshot } from '../../engine';

/**
 * A node's state as the room should read it. The gap between a crash and the balancer noticing it
 * (health checks) is part of the lesson, so it has its own words.
 */
export type NodeState = 'up' | 'crashed' | 'down' | 'rejoining';

export function nodeState(node: NodeSnapshot): NodeState {
  if (node.status === 'down') return node.health === 'up' ? 'crashed' : 'down';
  return node.health === 'down' ? 'rejoining' : 'up';
}

export const NODE_STATE_TEXT: Record<NodeState, string> = {
  up: 'up',
  crashed: 'crashed — balancer not yet aware',
  down: 'DOWN',
  rejoining: 'restarted — waiting for health checks',
};

/** The button's accessible name (contract §4): "Server 2, up — click to fail". */
export function nodeButtonName(label: string, node: NodeSnapshot): string {
  const state = nodeState(node);
  if (node.status === 'up')
    return `${label}, up${state === 'rejoining' ? ' (waiting for health checks)' : ''} — click to fail`;
  return `${label}, down${state === 'crashed' ? ' (crashed, balancer not yet aware)' : ''} — click to recover`;
}
