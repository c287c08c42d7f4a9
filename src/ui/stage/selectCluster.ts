import type { ClusterKey, ClusterView, SimulationState } from '../../state/simulationStore';

/** The cluster a stage shows (module-level so selectors stay stable). */
export function selectCluster(state: SimulationState, cluster: ClusterKey): ClusterView | undefined {
  return state.clusters.find((c) => c.key === cluster);
}
