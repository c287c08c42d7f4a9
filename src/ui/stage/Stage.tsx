import type { ClusterKey } from '../../state/simulationStore';

/** Placeholder: the stage helper replaces this. */
export function Stage({ cluster }: { cluster: ClusterKey }) {
  return <div className="stage" data-cluster={cluster} />;
}
