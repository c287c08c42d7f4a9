/**
 * The secondary panels ("You", request inspector, event log): closed by default so the stage stays
 * big; a tab opens one, sliding in over the right side (a fade only with prefers-reduced-motion);
 * Escape or the tab again closes it.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { AnimatePresence, LazyMotion, MotionConfig, m } from 'framer-motion';
import type { ApiClient } from '../../api/client';
import { useSimulationStore } from '../../state/SimulationProvider';
import { createInspectStore, type InspectStore, type PanelId } from './inspectStore';
import { InspectProvider, useInspect, useInspectContext } from './InspectContext';
import { createCookieFollower } from './youCookies';
import { apiView, heldFrom, youSnapshot } from './heldYou';
import { onOpenInspector } from './openInspector';
import './inspect.css';

const loadFeatures = () => import('./motionFeatures').then((module) => module.default);
// The panels are closed on first paint: their code (and the JWT tools) loads on first open.
const YouPanel = lazy(() => import('./YouPanel').then((module) => ({ default: module.YouPanel })));
const Inspector = lazy(() => import('./Inspector').then((module) => ({ default: module.Inspector })));
const EventLog = lazy(() => import('./EventLog').then((module) => ({ default: module.EventLog })));
const Journey = lazy(() => import('./Journey').then((module) => ({ default: module.Journey })));

const PANELS: { id: PanelId; label: string; body: () => ReactNode }[] = [
  { id: 'you', label: 'You', body: () => <YouPanel /> },
  { id: 'inspector', label: 'Inspector', body: () => <Inspector /> },
  { id: 'log', label: 'Event log', body: () => <EventLog /> },
  { id: 'journey', label: 'Journey', body: () => <Journey /> },
];

/**
 * Keeps the browser's cookies on the engine's You (youCookies.ts), and forgets the last answer
 * whenever the clusters are replaced (it belongs to another run).
 */
function useYouFollowsEngine(inspect: InspectStore): void {
  const sims = useSimulationStore();
  useEffect(() => {
    const cookies = createCookieFollower();
    const follow = (state: ReturnType<typeof sims.getState>) =>
      cookies.follow(heldFrom(youSnapshot(apiView(state.clusters, state.scenario.mode)?.snapshot.clients)));
    follow(sims.getState());
    const stopRebuild = sims.running.onRebuild(() => inspect.getState().forgetYou());
    const stopState = sims.subscribe(follow);
    return () => {
      stopRebuild();
      stopState();
    };
  }, [sims, inspect]);
}

function Panels() {
  const { store } = useInspectContext();
  const panel = useInspect((s) => s.panel);
  const tabs = useRef(new Map<PanelId, HTMLButtonElement>());
  useYouFollowsEngine(store);
  useEffect(() => onOpenInspector((ref) => store.getState().inspect(ref)), [store]);

  useEffect(() => {
    if (panel === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      store.getState().open(null);
      tabs.current.get(panel)?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [panel, store]);

  // "Inspect this request" swaps the panel under the focused button: keep keyboard users in the panel.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (panel !== null && (document.activeElement === document.body || document.activeElement === null))
      heading.current?.focus();
  }, [panel]);

  const current = PANELS.find((p) => p.id === panel);
  return (
    <div className="side-panels">
      <div className="side-tabs" role="group" aria-label="Side panels">
        {PANELS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            ref={(el) => {
              if (el !== null) tabs.current.set(id, el);
            }}
            aria-expanded={panel === id}
            aria-controls={`side-panel-${id}`}
            onClick={() => store.getState().open(panel === id ? null : id)}
          >
            {label}
          </button>
        ))}
      </div>
      <AnimatePresence initial={false}>
        {current !== undefined && (
          <m.aside
            key="side-panel"
            id={`side-panel-${current.id}`}
            className="side-panel"
            aria-label={current.label}
            initial={{ x: '100%', opacity: 0 }}
            animate={{ x: 0, opacity: 1 }}
            exit={{ x: '100%', opacity: 0 }}
            transition={{ type: 'tween', duration: 0.22, ease: 'easeOut' }}
          >
            <header className="side-panel-head">
              <h2 ref={heading} tabIndex={-1}>
                {current.label}
              </h2>
              <button
                type="button"
                className="side-close"
                aria-label={`Close ${current.label}`}
                onClick={() => store.getState().open(null)}
              >
                ×
              </button>
            </header>
            <div className="side-panel-body">
              <Suspense fallback={<p>Loading…</p>}>{current.body()}</Suspense>
            </div>
          </m.aside>
        )}
      </AnimatePresence>
    </div>
  );
}

/** `api` and `store` are for tests; the page uses the browser's worker and a fresh store. */
export function SidePanels({ api, store }: { api?: ApiClient; store?: InspectStore }) {
  const inspect = useMemo(() => store ?? createInspectStore(), [store]);
  return (
    // reducedMotion="user": with prefers-reduced-motion the slide becomes a fade.
    <MotionConfig reducedMotion="user">
      <LazyMotion features={loadFeatures} strict>
        <InspectProvider store={inspect} {...(api === undefined ? {} : { api })}>
          <Panels />
        </InspectProvider>
      </LazyMotion>
    </MotionConfig>
  );
}
