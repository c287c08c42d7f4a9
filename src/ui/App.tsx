/**
 * Page layout. Ownership: stage/ draws the cluster (clients, balancer, nodes, store, moving
 * requests, caption); panels/ holds the top bar, metrics, notices and the error boundary;
 * inspect/ holds the side panels ("You", request inspector, event log).
 */
import { useSim } from '../state/SimulationProvider';
import { ClusterPane } from './ClusterPane';
import { TopBar } from './panels/TopBar';
import { Notices } from './panels/Notices';
import { Caption } from './stage/Caption';
import { SidePanels } from './inspect/SidePanels';

export function App() {
  const mode = useSim((s) => s.scenario.mode);
  return (
    <div className="app" data-mode={mode}>
      <TopBar />
      <Notices />
      <main className="workspace" data-compare={mode === 'compare' ? '' : undefined}>
        {mode === 'compare'
          ? (['stateless', 'stateful'] as const).map((key) => <ClusterPane key={key} cluster={key} compare />)
          : <ClusterPane cluster={mode} compare={false} />}
      </main>
      <Caption />
      <SidePanels />
    </div>
  );
}
