// @vitest-environment jsdom
/**
 * Notices are a short strip, not a pile: at most three show, the rest wait behind "N more", one
 * button dismisses them all; and a chip box shows what fits, the rest as "+N".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore } from '../../src/state/simulationStore';
import { DEFAULT_SCENARIO } from '../../src/state/scenario';
import { NOTICES_SHOWN, Notices } from '../../src/ui/panels/Notices';
import { chipsShown } from '../../src/ui/stage/SessionChips';

afterEach(cleanup);

describe('notices', () => {
  it('five notices: three shown, "2 more", and Dismiss all clears them', () => {
    const messages = ['one is bad', 'two is bad', 'three is bad', 'four is bad', 'five is bad'];
    const store = createSimulationStore({ ...DEFAULT_SCENARIO }, messages);
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <Notices />
      </SimulationProvider>,
    );
    expect(screen.getAllByRole('button', { name: /^Dismiss notice/ })).toHaveLength(NOTICES_SHOWN);
    expect(screen.getByText('2 more')).toBeTruthy();
    expect(screen.queryByText('four is bad')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss notice: one is bad' }));
    expect(screen.getByText('four is bad')).toBeTruthy();
    expect(screen.getByText('1 more')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss all' }));
    expect(store.getState().notices).toEqual([]);
    expect(screen.queryByRole('button', { name: /Dismiss/ })).toBeNull();
  });

  it('one notice has no "Dismiss all"', () => {
    const store = createSimulationStore({ ...DEFAULT_SCENARIO }, ['only one']);
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <Notices />
      </SimulationProvider>,
    );
    expect(screen.getByRole('button', { name: 'Dismiss notice: only one' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Dismiss all' })).toBeNull();
  });
});

describe('session chips in a box', () => {
  it('all chips when they fit; else two places go to "+N"', () => {
    expect(chipsShown(5, 10)).toBe(5);
    expect(chipsShown(10, 10)).toBe(10);
    expect(chipsShown(11, 10)).toBe(8);
    expect(chipsShown(3, 1)).toBe(0);
    expect(chipsShown(12, null)).toBe(12); // not measured (jsdom): up to the cap
  });
});
