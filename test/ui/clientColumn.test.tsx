// @vitest-environment jsdom
/**
 * The client column draws a deferred copy of the run (it renders after the nodes and numbers when a
 * whole new run lands): whatever it defers, it must end up showing exactly the run on screen — after
 * a rewind, a what-if's answer and live steps alike.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import { Stage } from '../../src/ui/stage/Stage';
import { LOGIN_TEXT, isRecentlyLost, loginState } from '../../src/ui/stage/clientStatus';

afterEach(cleanup);
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

/** What each user's row should say, read from the store's snapshot of the time shown. */
function expected(store: SimulationStore): string[] {
  const { snapshot } = store.getState().clusters[0]!;
  const speed = store.getState().scenario.speed;
  return snapshot.clients.map((client) => {
    const login = loginState(client, isRecentlyLost(client, snapshot.time, speed));
    return `${client.name}: ${LOGIN_TEXT[login]}, cart ${client.cartItems}`;
  });
}

function shown(): string[] {
  return screen
    .getAllByRole('listitem')
    .filter((item) => item.hasAttribute('data-client'))
    .map((item) => (item.getAttribute('aria-label') ?? '').replace(/, checkout \d+\/\d+$/, ''));
}

describe('the client column', () => {
  test('shows exactly the run on screen after a rewind, a what-if and steps', async () => {
    const store = createSimulationStore({ mode: 'stateful', store: 'memory', seed: 7 });
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <Stage cluster="stateful" />
      </SimulationProvider>,
    );
    act(() => store.getState().step(20_000));
    act(() => store.getState().toggleNode('server-2'));
    act(() => store.getState().step(5_000));
    const afterCrash = expected(store);
    expect(afterCrash.some((label) => label.includes('logged out'))).toBe(true);
    expect(shown()).toEqual(afterCrash);

    // Back to before the crash: nobody is logged out on the stage either.
    act(() => store.getState().seek(15_000));
    expect(shown()).toEqual(expected(store));
    expect(shown().some((label) => label.includes('logged out'))).toBe(false);

    // Forward again, then the same run with a shared store: the column follows the new run.
    act(() => store.getState().seek(25_000));
    expect(shown()).toEqual(afterCrash);
    await act(() => store.getState().whatIf({ store: 'shared' }, { schedule: (next) => queueMicrotask(next) }));
    expect(shown()).toEqual(expected(store));
    expect(shown().some((label) => label.includes('logged out'))).toBe(false);
    act(() => store.getState().step(2_000));
    expect(shown()).toEqual(expected(store));
  });
});
