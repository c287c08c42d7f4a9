import { useStore } from 'zustand';
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

/**
 * "5 logged out · 20 logged in again" beside the Clients label: readable even when clients are
 * small tokens, and it keeps the count of a crash on screen after the users have logged back in.
 */
export function LostCount({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const flagged = useStore(feed.losses, (s) => s.lost);
  const counts = useSim((s) => {
    const clients = selectCluster(s, cluster)?.snapshot.clients ?? [];
    let out = 0, again = 0;
    for (const c of clients) {
      if (c.sessionLost || (flagged[c.id] !== undefined && !c.loggedIn)) out++;
      else if (flagged[c.id] !== undefined) again++;
    }
    return out * 100_000 + again;
  });
  const out = Math.floor(counts / 100_000);
  const again = counts % 100_000;
  return (
    <>
      {out > 0 && <span className="lost-count">{out} logged out</span>}
      {again > 0 && <span className="lost-count lost-count-again">{again} logged in again</span>}
    </>
  );
}
