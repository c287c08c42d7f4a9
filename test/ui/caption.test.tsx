// @vitest-environment jsdom
/**
 * The caption during a lesson: the step's text stays the first line while the step is shown; what
 * the engine just did goes to a second line. Outside a lesson the caption is the event line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore } from '../../src/state/simulationStore';
import { useUi } from '../../src/state/uiStore';
import { findLesson } from '../../src/lessons/lessons';
import { App } from '../../src/ui/App';

afterEach(() => {
  cleanup();
  useUi.setState({ projector: false, blanked: false, helpOpen: false, lessonsOpen: false, lesson: null });
  window.history.replaceState(null, '', '#');
});

const press = (key: string) =>
  act(() => {
    fireEvent.keyDown(window, { key });
  });

function lines() {
  const paragraphs = screen.getByRole('group', { name: 'Caption' }).querySelectorAll('p');
  return [...paragraphs].map((p) => p.textContent ?? '');
}

describe('the caption', () => {
  it('keeps the step text while engine events arrive on a second line, and is the event line again in free play', () => {
    const store = createSimulationStore({ seed: 7 });
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <App />
      </SimulationProvider>,
    );
    press('L');
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Guided lessons' })).getByRole('button', {
        name: /A node fails: stateless vs stateful/,
      }),
    );
    const steps = findLesson('failure')!.steps;
    // Opened: the step's text, and no event yet (the step text is not repeated below).
    expect(lines()[0]).toBe(steps[0]!.caption);
    expect(lines()[1]!.trim()).toBe('');

    press('PageDown');
    press('PageDown'); // reveal: Server 2 fails in both clusters
    expect(lines()[0]).toBe(steps[1]!.caption);
    expect(lines()[1]).toMatch(/^Server 2 went down: \d+ sessions? lost — .+ must log in again$/);

    act(() => store.getState().step(8_000)); // the balancer notices: a new event
    expect(lines()[0]).toBe(steps[1]!.caption);
    expect(lines()[1]).toBe('The balancer marked Server 2 down after 3 failed health checks');

    press('PageDown'); // the next step: its text; the last event stays below until the next one
    expect(lines()[0]).toBe(steps[2]!.caption);
    expect(lines()[1]).toBe('The balancer marked Server 2 down after 3 failed health checks');

    fireEvent.click(within(screen.getByRole('region', { name: 'Lesson' })).getByRole('button', { name: 'Free play' }));
    expect(screen.queryByRole('group', { name: 'Caption' })).toBeNull();
    expect(screen.getByText('The balancer marked Server 2 down after 3 failed health checks')).toBeTruthy();
  });
});
