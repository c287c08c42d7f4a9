/**
 * Live changes to the running cluster: add / remove a node, fail / recover a shared store (the
 * stateful cluster's session store, or the stateless cluster's token deny-list). These are engine
 * commands at the current simulated time (not a new scenario), because the lesson is what happens
 * to users already logged in — e.g. sticky routing ignores a new node.
 */
import { useId, useRef } from 'react';
import { useDisclosureMenu } from './useDisclosureMenu';
import { useShallow } from 'zustand/react/shallow';
import type { NodeSnapshot } from '../../engine';
import { useSim } from '../../state/SimulationProvider';
import { PAGE_NODE_LIMIT } from '../../state/scenario';
import type { ClusterKey, SimulationActions, SimulationState } from '../../state/simulationStore';
import { selectCluster } from '../stage/selectCluster';
import '../stage/deploy.css';

const selectNodeIds = (s: SimulationState): string[] => s.clusters[0]?.snapshot.nodes.map((n) => n.id) ?? [];
/**
 * The one shared store the top bar offers to fail: the stateful cluster's session store, else the
 * stateless cluster's deny-list store. One button at most keeps the bar to two rows; in Compare
 * mode with both, the deny-list store still has its own button on the stage.
 */
const selectStore = (
  s: SimulationState,
): { cluster: ClusterKey; status: 'up' | 'down'; refreshOnly: boolean } | null => {
  for (const key of ['stateful', 'stateless'] as const) {
    const store = s.clusters.find((c) => c.key === key)?.snapshot.store;
    if (store !== undefined && store !== null)
      return { cluster: key, status: store.status, refreshOnly: store.role === 'refresh-tokens' };
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
  // Refresh tokens without a deny-list: the store holds only their records.
  const name = store.refreshOnly ? 'token store' : STORE_NAME[store.cluster];
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

/** The version after `version` ('v1' → 'v2'); a name that is not vN gets a new number after v1. */
function bump(version: string): string {
  const n = /^v(\d+)$/.exec(version);
  return `v${n === null ? 2 : Number(n[1]) + 1}`;
}

/** The highest vN the nodes run. */
function newest(nodes: readonly NodeSnapshot[]): string {
  let best = 1;
  for (const node of nodes) {
    const n = /^v(\d+)$/.exec(node.version);
    if (n !== null) best = Math.max(best, Number(n[1]));
  }
  return `v${best}`;
}

/** Where a cluster's rolling deploy is: the version a click deploys, or the one rolling and how far. */
export interface DeployView {
  rolling: boolean;
  /** Not rolling: the version the next deploy brings; rolling: the version being rolled out. */
  version: string;
  /** Nodes done (on the new version, in the pool) and in the cluster. */
  done: number;
  total: number;
  /** Nodes in the balancer's pool or able to rejoin it: a drain needs two. */
  active: number;
}

export function deployView(nodes: readonly NodeSnapshot[]): DeployView {
  const old = nodes.find((n) => n.deploy === 'waiting' || n.deploy === 'draining' || n.deploy === 'restarting');
  const starting = nodes.find((n) => n.deploy === 'starting');
  const rolling = old !== undefined || starting !== undefined;
  return {
    rolling,
    version: old !== undefined ? bump(old.version) : starting !== undefined ? starting.version : bump(newest(nodes)),
    done: nodes.filter((n) => n.deploy === null).length,
    total: nodes.length,
    active: nodes.filter((n) => !n.draining).length,
  };
}

const NO_NODES: readonly NodeSnapshot[] = [];

/**
 * "Deploy v2": a menu of two ways to roll the new version over the cluster's nodes, one at a time
 * (engine command `deploy`, through the store, so the timeline marks it): drain each node first, or
 * restart it. While it rolls, the button gives way to its progress; the cards show each node's part.
 * In Compare with Link failures on, one click deploys both clusters, as a click fails a server in both.
 */
export function DeployControl({ cluster }: { cluster: ClusterKey }) {
  const view = useSim(useShallow((s) => deployView(selectCluster(s, cluster)?.snapshot.nodes ?? NO_NODES)));
  const linked = useSim((s) => s.linkFailures && s.scenario.mode === 'compare');
  const apply = useSim(selectApply);
  const details = useRef<HTMLDetailsElement>(null);
  const menu = useDisclosureMenu(details);
  const id = useId();

  if (view.rolling)
    return (
      <span className="deploy-progress" role="status">
        Deploying {view.version}: {view.done}/{view.total}
      </span>
    );
  const { version } = view;
  const deploy = (drain: boolean): void => {
    menu.close();
    apply({ type: 'deploy', version, drain }, linked ? undefined : cluster);
  };
  const canDrain = view.active > 1;
  return (
    <details className="deploy-control" ref={details} onKeyDown={menu.onKeyDown} onToggle={menu.onToggle}>
      <summary title={`Roll ${version} over the nodes, one at a time${linked ? ', in both clusters' : ''}`}>
        Deploy {version}
      </summary>
      {/* Rendered only while open: a closed menu's buttons are no Tab stops, in any browser. */}
      {menu.open && (
        <div className="deploy-menu" role="group" aria-label={`Deploy ${version}`}>
          {linked && <p>In both clusters: Link failures is on.</p>}
          <button type="button" onClick={() => deploy(true)} disabled={!canDrain} aria-describedby={`${id}-drain`}>
            Deploy {version} (drain)
          </button>
          <p id={`${id}-drain`}>
            {canDrain
              ? 'Each node takes no new users, finishes what is inside, leaves; a new one takes its place.'
              : 'A drain needs another node to take the users.'}
          </p>
          <button type="button" onClick={() => deploy(false)} aria-describedby={`${id}-restart`}>
            Deploy {version} (restart)
          </button>
          <p id={`${id}-restart`}>Each node is restarted: what is inside fails, its memory is gone.</p>
        </div>
      )}
    </details>
  );
}
