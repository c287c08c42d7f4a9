import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { SimulationProvider } from './state/SimulationProvider';
import { createSimulationStore } from './state/simulationStore';
import { parseScenarioHash } from './state/scenario';
import { startClock } from './state/clock';
import { apiClusterFor } from './state/apiCluster';
import { startApi } from './api/browser';
import './ui/styles.css';

const { scenario, notices } = parseScenarioHash(window.location.hash);
const store = createSimulationStore(scenario, notices);
startClock(store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SimulationProvider store={store}>
      <App />
    </SimulationProvider>
  </StrictMode>,
);

// Real HTTP for the "You" panel: the worker (and msw's big chunk) loads after the first paint.
startApi(() => {
  const state = store.getState();
  return state.runtime.sims.get(apiClusterFor(state.scenario.mode));
});
