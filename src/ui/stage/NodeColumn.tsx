import { useShallow } from 'zustand/react/shallow';
import { useSim, useSimulationStore } from '../../state/SimulationProvider';
import { getSimulation, type ClusterKey } from '../../state/simulationStore';
import { NodeCard, type SessionsAt } from './NodeCard';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';
import { StoreCard } from './StoreCard';
import { DeployControl } from '../panels/ClusterControls';

/** More nodes than this are laid out in two columns, so each card keeps room for its chips. */
const DENSE_AFTER = 4;

/** The server nodes on the right (re-rendered only when nodes are added or removed), the store under them. */
export function NodeColumn({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const ids = useSim(useShallow((s) => selectCluster(s, cluster)?.snapshot.nodes.map((n) => n.id) ?? []));
  const sessionsAt = useSim((s): SessionsAt => {
    const snapshot = selectCluster(s, cluster)?.snapshot;
    return snapshot?.mode !== 'stateful' ? 'none' : snapshot.sessionStore === 'shared' ? 'store' : 'node';
  });
  const dense = ids.length > DENSE_AFTER;
  const store = useSimulationStore();
  const workers = getSimulation(store, cluster)?.config.workersPerNode ?? 4;
  return (
    <div className="stage-nodes">
      <div className="stage-nodes-head">
        <h3 className="stage-label">
          {/* Compare's narrow column says "Nodes", so its Deploy menu fits beside the heading. */}
          <span className="label-wide">Server nodes</span>
          <span className="label-narrow">Nodes</span>
        </h3>
        <DeployControl cluster={cluster} />
      </div>
      <div className="node-list" data-count={ids.length} data-dense={dense ? '' : undefined}>
        {ids.map((id, index) => (
          <NodeCard key={id} cluster={cluster} index={index} feed={feed} workers={workers} sessionsAt={sessionsAt} />
        ))}
      </div>
      <StoreCard cluster={cluster} feed={feed} />
    </div>
  );
}
