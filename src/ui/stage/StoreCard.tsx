/**
 * The shared store under the nodes: sessions (stateful + shared), or the token deny-list (stateless
 * with revocation — state again), or the refresh tokens' records (stateless with refresh tokens). A button that fails / recovers it. It names the nodes whose link
 * to it is cut (a gray failure: the store is fine, they cannot reach it).
 */
import { useShallow } from 'zustand/react/shallow';
import { useSim } from '../../state/SimulationProvider';
import { nodeLabel } from '../../state/labels';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

export function StoreCard({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const store = useSim((s) => selectCluster(s, cluster)?.snapshot.store ?? null);
  const apply = useSim((s) => s.apply);
  // Nodes whose link to the store is cut (a gray failure): the store is fine, they cannot reach it.
  const cutFrom = useSim(
    useShallow((s) =>
      (selectCluster(s, cluster)?.snapshot.nodes ?? []).filter((n) => n.storeLink === 'cut').map((n) => n.id),
    ),
  );
  if (store === null) return null;
  const up = store.status === 'up';
  const name =
    store.role === 'deny-list' ? 'Deny-list store' : store.role === 'refresh-tokens' ? 'Token store' : 'Session store';
  // Refresh tokens' records (`refreshTokens`): revocation checked at each refresh, not on every request.
  const refresh =
    store.refreshTokens === null ? '' : `${store.refreshTokens} refresh token${store.refreshTokens === 1 ? '' : 's'}`;
  const holds =
    store.role === 'deny-list'
      ? `${store.revokedTokens} revoked token${store.revokedTokens === 1 ? '' : 's'}${store.bannedUsers > 0 ? `, ${store.bannedUsers} banned user${store.bannedUsers === 1 ? '' : 's'}` : ''}${refresh === '' ? '' : `, ${refresh}`}`
      : store.role === 'refresh-tokens'
        ? refresh
        : `${store.sessions} session${store.sessions === 1 ? '' : 's'}`;
  return (
    <button
      type="button"
      className="store-card"
      data-state={store.status}
      data-look-id="store"
      ref={feed.anchors.ref('store')}
      data-cut={cutFrom.length > 0 ? '' : undefined}
      aria-label={`${name}, ${up ? 'up — click to fail' : 'down — click to recover'}${cutFrom.length > 0 ? ` (no link to ${cutFrom.map(nodeLabel).join(', ')})` : ''}`}
      onClick={() => apply({ type: up ? 'failStore' : 'recoverStore' }, cluster)}
    >
      <span className="store-name">{name}</span>
      <span className="store-state">
        {up ? (
          <>
            {holds}
            {cutFrom.length > 0 && (
              <span className="store-cut">
                <span aria-hidden="true">✕ </span>no link to {cutFrom.map(nodeLabel).join(', ')}
              </span>
            )}
          </>
        ) : (
          <>
            <span aria-hidden="true">✕ </span>DOWN
          </>
        )}
      </span>
    </button>
  );
}
