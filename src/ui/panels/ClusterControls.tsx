/**
 * Live changes to the running cluster: add / remove a node, fail / recover the shared session
 * store. These are engine commands at the current simulated time (not a new scenario), because the
 * lesson is what happens to users already logged in — e.g. sticky routing ignores a new node.
 */
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import { PAGE_NODE_LIMIT } from '../../state/scenario';
import type { SimulationActions, SimulationState } from '../../state/simulationStore';

const selectNodeIds = (s: SimulationState): string[] => s.clusters[0]?.snapshot.nodes.map((n) => n.id) ?? [];
/** Only the stateful cluster can have a shared store; null when none is in use. */
const selectStoreStatus = (s: SimulationState) => s.clusters.find((c) => c.key === 'stateful')?.snapshot.store?.status ?? null;
const selectApply = (s: SimulationActions) => s.apply;

export function NodeControls() {
  const nodeIds = useSim(useShallow(selectNodeIds));
  const apply = useSim(selectApply);
  const last = nodeIds[nodeIds.length - 1];
  return (
    <div className="node-controls" role="group" aria-label="Nodes">
      <button type="button" onClick={() => apply({ type: 'addNode' })} disabled={nodeIds.length >= PAGE_NODE_LIMIT}
        title="Add a server node now; the balancer sends it traffic once it passes its health checks">
        <span aria-hidden="true" className="icon">+</span>Add node
      </button>
      <button type="button" onClick={() => last !== undefined && apply({ type: 'removeNode', node: last })} disabled={nodeIds.length <= 1}
        title={last === undefined ? 'Remove a node' : `Remove ${last.replace('server-', 'Server ')} after it finishes its requests`}>
        <span aria-hidden="true" className="icon">−</span>Remove node
      </button>
    </div>
  );
}

export function StoreControl() {
  const status = useSim(selectStoreStatus);
  const apply = useSim(selectApply);
  if (status === null) return null;
  const down = status === 'down';
  return (
    <button type="button" className={down ? 'store-toggle is-down' : 'store-toggle'}
      onClick={() => apply({ type: down ? 'recoverStore' : 'failStore' }, 'stateful')}>
      <span aria-hidden="true" className="icon">{down ? '↻' : '✕'}</span>{down ? 'Recover session store' : 'Fail session store'}
    </button>
  );
}
