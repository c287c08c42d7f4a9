import { useStore } from 'zustand';
import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import type { StageFeed } from './stageFeed';
import { selectCluster } from './selectCluster';

/** "5 logged out" beside the Clients label: readable even when clients are small tokens. */
export function LostCount({ cluster, feed }: { cluster: ClusterKey; feed: StageFeed }) {
  const flagged = useStore(feed.losses, (s) => s.lost);
  const lost = useSim((s) => {
    const clients = selectCluster(s, cluster)?.snapshot.clients ?? [];
    let n = 0;
    for (const c of clients) if (c.sessionLost || (flagged[c.id] !== undefined && !c.loggedIn)) n++;
    return n;
  });
  if (lost === 0) return null;
  return <span className="lost-count">{lost} logged out</span>;
}
