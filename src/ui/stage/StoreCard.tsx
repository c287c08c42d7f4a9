/** The shared session store under the nodes (stateful + shared): a button that fails / recovers it. */
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

export function StoreCard({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const store = useSim((s) => selectCluster(s, cluster)?.snapshot.store ?? null);
  const apply = useSim((s) => s.apply);
  if (store === null) return null;
  const up = store.status === 'up';
  return (
    <button
      type="button"
      className="store-card"
      data-state={store.status}
      ref={feed.anchors.ref('store')}
      aria-label={`Session store, ${up ? 'up — click to fail' : 'down — click to recover'}`}
      onClick={() => apply({ type: up ? 'failStore' : 'recoverStore' }, cluster)}
    >
      <span className="store-name">Session store</span>
      <span className="store-state">{up ? `${store.sessions} session${store.sessions === 1 ? '' : 's'}` : <><span aria-hidden="true">✕ </span>DOWN</>}</span>
    </button>
  );
}
