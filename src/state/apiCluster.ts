/** Which cluster answers the page's real `/api/*` requests. */
import type { ViewMode } from './scenario';
import type { ClusterKey } from './clusterKey';

/** In Compare mode the "You" client talks to the Stateful cluster: that is where sessions can be lost. */
export function apiClusterFor(mode: ViewMode): ClusterKey {
  return mode === 'compare' ? 'stateful' : mode;
}
