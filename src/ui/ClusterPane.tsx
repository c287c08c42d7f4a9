/**
 * One cluster: its stage and its Metrics region. In Compare mode it is itself a region named after
 * the cluster ("Stateless (JWT)" / "Stateful (sessions)"), as contract §4 says.
 */
import { CLUSTER_LABEL, type ClusterKey } from '../state/simulationStore';
import { Stage } from './stage/Stage';
import { MetricsPanel } from './panels/MetricsPanel';

export function ClusterPane({ cluster, compare }: { cluster: ClusterKey; compare: boolean }) {
  return (
    <section
      className="cluster-pane"
      role={compare ? 'region' : undefined}
      aria-label={compare ? CLUSTER_LABEL[cluster] : undefined}
    >
      {/* One cluster needs no visible title (the mode buttons say it), but headings stay in order. */}
      <h2 className={compare ? 'cluster-title' : 'visually-hidden'}>{CLUSTER_LABEL[cluster]}</h2>
      <Stage cluster={cluster} />
      <MetricsPanel cluster={cluster} />
    </section>
  );
}
