/**
 * Keeps the scenario and the URL hash in step (contract §3), both ways:
 * - the store's scenario changes → the hash is rewritten with history.replaceState (no reload, no
 *   history entry per slider move, and replaceState fires no hashchange, so there is no loop);
 * - the hash is edited by hand (hashchange) → the parsed scenario is applied, bad values fall back to
 *   their defaults with a notice.
 * Keys that are not part of the scenario (a lesson step, say) are carried over untouched.
 */
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, type Scenario } from './scenario';
import type { SimulationStore } from './simulationStore';

const SCENARIO_KEYS = new Set<string>(Object.keys(DEFAULT_SCENARIO));

/** The hash's keys that the scenario does not own, in their original order. */
export function extraHashParams(hash: string): Record<string, string> {
  const extra: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash)) {
    if (!SCENARIO_KEYS.has(key)) extra[key] = value;
  }
  return extra;
}

/** The keys whose values differ between two scenarios, with the values of `next`. */
export function scenarioChanges(current: Scenario, next: Scenario): Partial<Scenario> {
  const changes: Partial<Scenario> = {};
  for (const key of Object.keys(next) as (keyof Scenario)[]) {
    if (next[key] !== current[key]) (changes as Record<string, unknown>)[key] = next[key];
  }
  return changes;
}

/** The window parts the sync needs, so tests can pass a fake. */
export type HashWindow = Pick<Window, 'location' | 'history' | 'addEventListener' | 'removeEventListener'>;

/**
 * Starts syncing; returns the function that stops it.
 * @example
 * const stop = startHashSync(store);   // in main.tsx, after creating the store from the hash
 */
export function startHashSync(store: SimulationStore, win: HashWindow = window): () => void {
  const writeHash = (scenario: Scenario): void => {
    const hash = formatScenarioHash(scenario, extraHashParams(win.location.hash));
    if (hash !== win.location.hash) win.history.replaceState(win.history.state, '', hash);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.scenario !== previous.scenario) writeHash(state.scenario);
  });

  const onHashChange = (): void => {
    const { scenario, notices } = parseScenarioHash(win.location.hash);
    const state = store.getState();
    for (const notice of notices) state.addNotice(notice);
    const changes = scenarioChanges(state.scenario, scenario);
    if (Object.keys(changes).length > 0) state.setScenario(changes);
  };
  win.addEventListener('hashchange', onHashChange);

  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onHashChange);
  };
}
