/**
 * Page layout. Ownership: stage/ draws the cluster (clients, balancer, nodes, store, moving
 * requests, caption); panels/ holds the top bar, metrics, notices and the error boundary;
 * inspect/ holds the side panels ("You", request inspector, event log).
 */
import { useEffect, useMemo } from 'react';
import { useSim, useSimulationStore } from '../state/SimulationProvider';
import { createLessonRunner, lessonFromHash } from '../state/lessonRunner';
import { useUi } from '../state/uiStore';
import { useShortcuts } from './teach/useShortcuts';
import { LessonBar } from './teach/LessonBar';
import { LessonPicker } from './teach/LessonPicker';
import { HelpOverlay } from './teach/HelpOverlay';
import { BlankScreen } from './teach/BlankScreen';
import { TimelineBar } from './teach/TimelineBar';
import { TeachButtons } from './teach/TeachButtons';
import { CompareSummary } from './teach/CompareSummary';
import './teach/teach.css';
import { ClusterPane } from './ClusterPane';
import { TopBar } from './panels/TopBar';
import { Notices } from './panels/Notices';
import { Caption } from './stage/Caption';
import { SidePanels } from './inspect/SidePanels';

export function App() {
  const mode = useSim((s) => s.scenario.mode);
  const store = useSimulationStore();
  const lessons = useMemo(() => createLessonRunner(store), [store]);
  const projector = useUi((s) => s.projector);
  useShortcuts(store, lessons);
  useEffect(() => {
    const fromLink = lessonFromHash(window.location.hash);
    if (fromLink !== null) lessons.open(fromLink.id, fromLink.step);
  }, [lessons]);
  useEffect(() => {
    document.documentElement.classList.toggle('projector', projector);
  }, [projector]);
  return (
    <div className="app" data-mode={mode} data-projector={projector ? '' : undefined}>
      <TopBar />
      <Notices />
      <main className="workspace" data-compare={mode === 'compare' ? '' : undefined}>
        {mode === 'compare'
          ? (['stateless', 'stateful'] as const).map((key) => <ClusterPane key={key} cluster={key} compare />)
          : <ClusterPane cluster={mode} compare={false} />}
      </main>
      <footer className="app-footer">
        {mode === 'compare' && <CompareSummary />}
        <div className="footer-row">
          <TimelineBar />
          <TeachButtons />
        </div>
        <LessonBar lessons={lessons} />
        <Caption />
      </footer>
      <SidePanels />
      <LessonPicker lessons={lessons} />
      <HelpOverlay />
      <BlankScreen />
    </div>
  );
}
