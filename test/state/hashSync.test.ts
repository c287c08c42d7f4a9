/**
 * The address bar shows the scenario the page actually shows: after a link with a bad value is
 * opened or pasted, the hash is rewritten to the corrected scenario (so Copy link passes no error
 * on), keeping the keys the scenario does not own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHashSync, type HashWindow } from '../../src/state/hashSync';
import { parseScenarioHash } from '../../src/state/scenario';
import { createSimulationStore } from '../../src/state/simulationStore';

function fakeWindow(hash: string) {
  const listeners = new Map<string, EventListener[]>();
  const location = { hash };
  const win = {
    location,
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, url: string) => {
        location.hash = url;
      },
    },
    addEventListener: (type: string, listener: EventListener) =>
      listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    removeEventListener: (type: string, listener: EventListener) =>
      listeners.set(
        type,
        (listeners.get(type) ?? []).filter((l) => l !== listener),
      ),
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (id: number) => clearTimeout(id),
  } as unknown as HashWindow;
  /** The teacher types or pastes a new hash. */
  const paste = (next: string) => {
    location.hash = next;
    for (const listener of listeners.get('hashchange') ?? []) listener(new Event('hashchange'));
  };
  return { win, location, paste };
}

const stops: (() => void)[] = [];
afterEach(() => {
  while (stops.length > 0) stops.pop()!();
});

function open(hash: string) {
  const { scenario, notices } = parseScenarioHash(hash);
  const store = createSimulationStore(scenario, notices);
  store.getState().setPlaying(false);
  const page = fakeWindow(hash);
  stops.push(startHashSync(store, page.win));
  return { store, ...page };
}

const params = (hash: string) => new URLSearchParams(hash.slice(1));

describe('opening a link with bad values', () => {
  it('rewrites the hash to the clamped values, keeping the lesson and unknown keys', () => {
    const { store, location } = open(
      '#mode=stateless&clients=5000&nodes=0&speed=fast&lesson=failure&step=2&colour=red',
    );
    expect(store.getState().scenario).toMatchObject({ mode: 'stateless', clients: 1000, nodes: 1, speed: 1 });
    const hash = params(location.hash);
    expect(hash.get('clients')).toBe('1000');
    expect(hash.get('nodes')).toBe('1');
    expect(hash.get('speed')).toBe('1');
    expect(hash.get('mode')).toBe('stateless');
    expect(hash.get('lesson')).toBe('failure');
    expect(hash.get('step')).toBe('2');
    expect(hash.get('colour')).toBe('red');
    expect(store.getState().notices).toHaveLength(3);
  });

  it('leaves a bare address bare', () => {
    expect(open('').location.hash).toBe('');
  });
});

describe('pasting a link into the open tab', () => {
  it('applies it clamped, with a notice, and the hash shows the corrected value', () => {
    const { store, location, paste } = open('#mode=stateful&seed=7');
    paste('#mode=stateless&clients=-4&seed=7');
    expect(store.getState().scenario).toMatchObject({ mode: 'stateless', clients: 1 });
    expect(store.getState().notices.at(-1)).toBe(
      '"clients=-4" is below the minimum; using clients=1 (clients goes from 1 to 1000).',
    );
    expect(params(location.hash).get('clients')).toBe('1');
  });

  it('corrects the hash even when the bad value changes nothing on screen', () => {
    const { store, location, paste } = open('#mode=stateful');
    paste('#mode=stateful&lb=fastest');
    expect(store.getState().scenario.lb).toBe('round-robin');
    expect(store.getState().notices.at(-1)).toMatch(/^"lb=fastest" is not valid/);
    expect(params(location.hash).get('lb')).toBe('round-robin');
  });
});
