/**
 * The words the page uses for the engine's ids, in one place: the stage, captions, the inspector
 * and the event log all say "Server 2", "You", "the session store" the same way.
 */
import { OUTSIDE_CLIENT } from '../engine';

/** The page's own client ("You") in the engine's events and snapshots. */
export const YOU_ID = OUTSIDE_CLIENT;
export const YOU_NAME = 'You';

/** 'server-2' → 'Server 2'; null (no node answered) → 'the balancer'; 'store' → 'the session store'. */
export function nodeLabel(node: string | null): string {
  if (node === null) return 'the balancer';
  if (node === 'store') return 'the session store';
  return node.replace(/^server-/, 'Server ');
}
