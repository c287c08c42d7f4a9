import { useSim } from '../../state/SimulationProvider';
import type { ClusterKey } from '../../state/simulationStore';
import { selectCluster } from './selectCluster';
import { isRecentlyLost } from './clientStatus';

/**
 * "5 logged out · 20 logged in again" beside the Clients label: readable even when clients are
 * small tokens, and it keeps the count of a crash on screen after the users have logged back in.
 */
export function LostCount({ cluster }: { cluster: ClusterKey }) {
  const counts = useSim((s) => {
    const snapshot = selectCluster(s, cluster)?.snapshot;
    let out = 0,
      again = 0;
    for (const c of snapshot?.clients ?? []) {
      const recent = isRecentlyLost(c, snapshot!.time, s.scenario.speed);
      if (c.sessionLost || (recent && !c.loggedIn)) out++;
      else if (recent) again++;
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
