import type { ClusterKey } from '../../state/simulationStore';

/** Placeholder: the panels helper replaces this. */
export function MetricsPanel({ cluster }: { cluster: ClusterKey }) {
  return <aside role="region" aria-label="Metrics" data-cluster={cluster} />;
}
