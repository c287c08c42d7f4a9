/**
 * Keeps the scenario and the URL hash in step (contract §3), both ways:
 * - the store's scenario changes → the hash is rewritten with history.replaceState (no reload, no
 *   history entry per slider move, and replaceState fires no hashchange, so there is no loop);
 * - the hash is edited by hand (hashchange) → the parsed scenario is applied, bad values are clamped
 *   or fall back to their defaults with a notice;
 * - after a link is read (the page opened with a hash, or a hash typed or pasted), the hash is
 *   rewritten at once to the scenario actually shown, so the address bar (and Copy link) never keeps
 *   a bad value: `clients=1000` becomes `clients=200`.
 * Keys that are not part of the scenario (a lesson step, say) are carried over untouched; the lesson
 * keys are checked by the lesson runner (lessons/runner.ts).
 * Writes are throttled (first at once, then at most one per HASH_WRITE_INTERVAL_MS, the last one
 * always lands): dragging the Speed slider would otherwise call replaceState dozens of times a
 * second, and browsers throttle (and complain about) that.
 */
import { DEFAULT_SCENARIO, formatScenarioHash, parseScenarioHash, type Scenario } from './scenario';
import type { SimulationStore } from './simulationStore';

const SCENARIO_KEYS = new Set<string>(Object.keys(DEFAULT_SCENARIO));

export const HASH_WRITE_INTERVAL_MS = 200;

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
export type HashWindow = Pick<
  Window,
  'location' | 'history' | 'addEventListener' | 'removeEventListener' | 'setTimeout' | 'clearTimeout'
>;

/**
 * Starts syncing; returns the function that stops it.
 * @example
 * const stop = startHashSync(store);   // in main.tsx, after creating the store from the hash
 */
export function startHashSync(store: SimulationStore, win: HashWindow = window): () => void {
  let lastWriteMs = -Infinity;
  let pending: number | null = null;

  /** Writes the scenario into the hash now (no throttle of its own: corrections are rare). */
  const correctHash = (): void => {
    const hash = formatScenarioHash(store.getState().scenario, extraHashParams(win.location.hash));
    if (hash !== win.location.hash) win.history.replaceState(win.history.state, '', hash);
  };

  const writeHash = (): void => {
    if (pending !== null) win.clearTimeout(pending);
    pending = null;
    lastWriteMs = Date.now();
    correctHash();
  };

  const scheduleWrite = (): void => {
    const waitMs = lastWriteMs + HASH_WRITE_INTERVAL_MS - Date.now();
    if (waitMs <= 0) writeHash();
    else pending ??= win.setTimeout(writeHash, waitMs);
  };

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.scenario !== previous.scenario) scheduleWrite();
  });
  // A reload right after a drag must still find the last value in the hash.
  const flush = (): void => {
    if (pending !== null) writeHash();
  };
  win.addEventListener('pagehide', flush);

  const onHashChange = (): void => {
    const { scenario, notices } = parseScenarioHash(win.location.hash);
    const state = store.getState();
    for (const notice of notices) state.addNotice(notice);
    const changes = scenarioChanges(state.scenario, scenario);
    // A write still waiting would put back the old scenario over the one typed by hand.
    if (pending !== null) win.clearTimeout(pending);
    pending = null;
    if (Object.keys(changes).length > 0) state.setScenario(changes);
    // The hash as corrected, even when nothing changed (a bad value that fell back to what was shown).
    correctHash();
  };
  win.addEventListener('hashchange', onHashChange);
  // A page opened from a link shows the link as corrected; a bare address stays bare until a change.
  if (win.location.hash.length > 1) correctHash();

  return () => {
    unsubscribe();
    flush();
    win.removeEventListener('hashchange', onHashChange);
    win.removeEventListener('pagehide', flush);
  };
}
