/**
 * The shared store under the nodes: sessions (stateful + shared), or the token deny-list (stateless
 * with revocation — state again). A button that fails / recovers it.
 */
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

export function StoreCard({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const store = useSim((s) => selectCluster(s, cluster)?.snapshot.store ?? null);
  const apply = useSim((s) => s.apply);
  if (store === null) return null;
  const up = store.status === 'up';
  const name = store.role === 'deny-list' ? 'Deny-list store' : 'Session store';
  const holds =
    store.role === 'deny-list'
      ? `${store.revokedTokens} revoked token${store.revokedTokens === 1 ? '' : 's'}`
      : `${store.sessions} session${store.sessions === 1 ? '' : 's'}`;
  return (
    <button
      type="button"
      className="store-card"
      data-state={store.status}
      data-look-id="store"
      ref={feed.anchors.ref('store')}
      aria-label={`${name}, ${up ? 'up — click to fail' : 'down — click to recover'}`}
      onClick={() => apply({ type: up ? 'failStore' : 'recoverStore' }, cluster)}
    >
      <span className="store-name">{name}</span>
      <span className="store-state">
        {up ? (
          holds
        ) : (
          <>
            <span aria-hidden="true">✕ </span>DOWN
          </>
        )}
      </span>
    </button>
  );
}
