/**
 * Page layout. Ownership: stage/ draws the cluster (clients, balancer, nodes, store, moving
 * requests, caption); panels/ holds the top bar, metrics, notices and the error boundary;
 * inspect/ holds the side panels ("You", request inspector, event log).
 */
import { useEffect, useMemo, useState } from 'react';
import { useSim, useSimulationStore } from '../state/SimulationProvider';
import { createLessonRunner, readLessonLink, writeLessonHash } from '../lessons/runner';
import { useUi } from '../state/uiStore';
import { useShortcuts } from './teach/useShortcuts';
import { LessonBar } from './teach/LessonBar';
import { LessonPicker } from './teach/LessonPicker';
import { HelpOverlay } from './teach/HelpOverlay';
import { BlankScreen } from './teach/BlankScreen';
import { TimelineBar } from './teach/TimelineBar';
import { TeachButtons } from './teach/TeachButtons';
import { CompareSummary } from './teach/CompareSummary';
import { LossReceipt } from './teach/LossReceipt';
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
  // Where the loss receipt's "Loss receipt" button goes while it is closed: among the teaching buttons.
  const [receiptSlot, setReceiptSlot] = useState<HTMLElement | null>(null);
  useShortcuts(store, lessons);
  // The lesson in the link: on load, and whenever a link is pasted into this tab (hashchange; the
  // scenario part is applied by hashSync, whose listener runs first). Bad lesson keys give notices
  // and are corrected in the hash; a pasted link without a lesson leaves the lesson for free play.
  useEffect(() => {
    const followLink = (event?: Event): void => {
      const link = readLessonLink(window.location.hash);
      for (const notice of link.notices) store.getState().addNotice(notice);
      const current = useUi.getState().lesson;
      if (link.lesson === null) {
        if (link.fix) writeLessonHash(null, 0);
        if (event !== undefined && current !== null) lessons.exit();
      } else if (current?.id !== link.lesson.id || current.step !== link.lesson.step) {
        lessons.open(link.lesson.id, link.lesson.step);
      } else if (link.fix) {
        writeLessonHash(link.lesson.id, link.lesson.step);
      }
    };
    followLink();
    window.addEventListener('hashchange', followLink);
    return () => window.removeEventListener('hashchange', followLink);
  }, [lessons, store]);
  useEffect(() => {
    document.documentElement.classList.toggle('projector', projector);
  }, [projector]);
  return (
    <div className="app" data-mode={mode} data-projector={projector ? '' : undefined}>
      <TopBar />
      <Notices />
      <main className="workspace" data-compare={mode === 'compare' ? '' : undefined}>
        {mode === 'compare' ? (
          (['stateless', 'stateful'] as const).map((key) => <ClusterPane key={key} cluster={key} compare />)
        ) : (
          <ClusterPane cluster={mode} compare={false} />
        )}
        <LossReceipt slot={receiptSlot} />
      </main>
      <footer className="app-footer">
        {mode === 'compare' && <CompareSummary />}
        <div className="footer-row">
          <TimelineBar />
          <TeachButtons receiptSlot={setReceiptSlot} />
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
