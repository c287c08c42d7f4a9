/**
 * Live changes to the running cluster: add / remove a node, fail / recover a shared store (the
 * stateful cluster's session store, or the stateless cluster's token deny-list). These are engine
 * commands at the current simulated time (not a new scenario), because the lesson is what happens
 * to users already logged in — e.g. sticky routing ignores a new node.
 */
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import { PAGE_NODE_LIMIT } from '../../state/scenario';
import type { ClusterKey, SimulationActions, SimulationState } from '../../state/simulationStore';

const selectNodeIds = (s: SimulationState): string[] => s.clusters[0]?.snapshot.nodes.map((n) => n.id) ?? [];
/**
 * The one shared store the top bar offers to fail: the stateful cluster's session store, else the
 * stateless cluster's deny-list store. One button at most keeps the bar to two rows; in Compare
 * mode with both, the deny-list store still has its own button on the stage.
 */
const selectStore = (s: SimulationState): { cluster: ClusterKey; status: 'up' | 'down' } | null => {
  for (const key of ['stateful', 'stateless'] as const) {
    const status = s.clusters.find((c) => c.key === key)?.snapshot.store?.status;
    if (status !== undefined) return { cluster: key, status };
  }
  return null;
};
const selectApply = (s: SimulationActions) => s.apply;

export function NodeControls() {
  const nodeIds = useSim(useShallow(selectNodeIds));
  const apply = useSim(selectApply);
  const last = nodeIds[nodeIds.length - 1];
  return (
    <div className="node-controls" role="group" aria-label="Nodes">
      <button
        type="button"
        onClick={() => apply({ type: 'addNode' })}
        disabled={nodeIds.length >= PAGE_NODE_LIMIT}
        title="Add a server node now; the balancer sends it traffic once it passes its health checks"
      >
        <span aria-hidden="true" className="icon">
          +
        </span>
        Add node
      </button>
      <button
        type="button"
        onClick={() => last !== undefined && apply({ type: 'removeNode', node: last })}
        disabled={nodeIds.length <= 1}
        title={
          last === undefined
            ? 'Remove a node'
            : `Remove ${last.replace('server-', 'Server ')} after it finishes its requests`
        }
      >
        <span aria-hidden="true" className="icon">
          −
        </span>
        Remove node
      </button>
    </div>
  );
}

/** The store's name in the button: the stateful cluster's holds sessions, the stateless one's a deny-list. */
const STORE_NAME: Record<ClusterKey, string> = { stateful: 'session store', stateless: 'deny-list store' };

/** Fail / recover the shared store; shown only while there is one. */
export function StoreControl() {
  const store = useSim(useShallow(selectStore));
  const apply = useSim(selectApply);
  if (store === null) return null;
  const down = store.status === 'down';
  const name = STORE_NAME[store.cluster];
  return (
    <button
      type="button"
      className={down ? 'store-toggle is-down' : 'store-toggle'}
      onClick={() => apply({ type: down ? 'recoverStore' : 'failStore' }, store.cluster)}
    >
      <span aria-hidden="true" className="icon">
        {down ? '↻' : '✕'}
      </span>
      {down ? `Recover ${name}` : `Fail ${name}`}
    </button>
  );
}
