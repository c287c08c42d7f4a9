import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { ErrorBoundary } from './ui/panels/ErrorBoundary';
import { SimulationProvider } from './state/SimulationProvider';
import { createSimulationStore } from './state/simulationStore';
import { parseScenarioHash } from './state/scenario';
import { startHashSync } from './state/hashSync';
import { startClock } from './state/clock';
import { startApi } from './api/browser';
import { warmEngineWorker } from './state/engineWorkerPort';
import './ui/styles.css';

const { scenario, notices } = parseScenarioHash(window.location.hash);
const store = createSimulationStore(scenario, notices);
startClock(store);
startHashSync(store);
// `vite build --mode bench` only (bench/whatif-ui.mjs drives a long lecture through it); the
// production build drops this line.
if (import.meta.env.MODE === 'bench') Object.assign(window, { __simStore: store });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SimulationProvider store={store}>
      <ErrorBoundary onReset={() => store.getState().reset()}>
        <App />
      </ErrorBoundary>
    </SimulationProvider>
  </StrictMode>,
);

// Real HTTP for the "You" panel: the worker (and msw's big chunk) loads after the first paint.
// Requests go through the store, which records them on the timeline (rewind replays them).
// It never rejects: a failure to start is a status the You panel shows.
void startApi(() => ({ send: (request) => store.getState().send(request) }));

// The engine's worker (loss receipts, what-ifs replayed in full) is started once the page is idle
// and runs the engine briefly, so the first replay there runs compiled code.
setTimeout(warmEngineWorker, 2_000);
