// @vitest-environment jsdom
/**
 * The teacher's layer: keyboard shortcuts, the help overlay, and a guided lesson walked from its
 * first step to its last, as a teacher would with a presenter remote.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import { useUi } from '../../src/state/uiStore';
import { findLesson } from '../../src/lessons/lessons';
import { App } from '../../src/ui/App';

afterEach(() => {
  cleanup();
  useUi.setState({ projector: false, blanked: false, helpOpen: false, lessonsOpen: false, lesson: null });
  window.history.replaceState(null, '', '#');
});

function renderApp(): SimulationStore {
  const store = createSimulationStore({ seed: 7 });
  store.getState().setPlaying(false);
  render(
    <SimulationProvider store={store}>
      <App />
    </SimulationProvider>,
  );
  return store;
}

const press = (key: string) =>
  act(() => {
    fireEvent.keyDown(window, { key });
  });

describe('keyboard shortcuts', () => {
  it('fail and recover a server by its number, and play/pause with Space', () => {
    const store = renderApp();
    press('2');
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('down');
    press('2');
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('up');
    press(' ');
    expect(store.getState().playing).toBe(true);
    press(' ');
    expect(store.getState().playing).toBe(false);
  });

  it('step, change speed, switch to Compare, and toggle projector mode', () => {
    const store = renderApp();
    const before = store.getState().runtime.sims.get('stateful')!.time;
    press('ArrowRight');
    expect(store.getState().runtime.sims.get('stateful')!.time).toBe(before + 1_000);
    press('+');
    expect(store.getState().scenario.speed).toBe(2);
    press('-');
    press('-');
    expect(store.getState().scenario.speed).toBe(0.5);
    press('c');
    expect(store.getState().scenario.mode).toBe('compare');
    expect(screen.getByRole('region', { name: 'Stateless (JWT)' })).toBeTruthy();
    press('p');
    expect(document.documentElement.classList.contains('projector')).toBe(true);
  });

  it('? opens the help listing the shortcuts; Escape closes it', () => {
    renderApp();
    press('?');
    const help = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(help).getByText('play / pause')).toBeTruthy();
    press('Escape');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).toBeNull();
  });

  it('B blanks the screen and pauses; B again brings it back', () => {
    const store = renderApp();
    store.getState().setPlaying(true);
    press('b');
    expect(screen.getByRole('status', { name: /Screen blanked/ })).toBeTruthy();
    expect(store.getState().playing).toBe(false);
    press('2'); // ignored while blank
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('up');
    press('B');
    expect(screen.queryByRole('status', { name: /Screen blanked/ })).toBeNull();
    expect(store.getState().playing).toBe(true);
  });

  it('ignore keys typed into a field', () => {
    const store = renderApp();
    const field = document.createElement('input');
    document.body.append(field);
    fireEvent.keyDown(field, { key: '2' });
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('up');
    field.remove();
  });
});

describe('a guided lesson', () => {
  it('is walked from the first step to the last with Page Down, predicting before the crash', () => {
    const store = renderApp();
    press('L');
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Guided lessons' })).getByRole('button', {
        name: /A node fails: stateless vs stateful/,
      }),
    );
    const lesson = findLesson('failure')!;
    const bar = () => screen.getByRole('region', { name: 'Lesson' });
    expect(within(bar()).getByText(/Step 1 of 4/)).toBeTruthy();
    expect(store.getState().scenario.mode).toBe('compare');
    expect(window.location.hash).toContain('lesson=failure');

    press('PageDown'); // step 2 asks for a prediction first, paused, nothing failed yet
    expect(within(bar()).getByText(/Predict: Which side loses sessions/)).toBeTruthy();
    expect(store.getState().playing).toBe(false);
    expect(store.getState().clusters.every((c) => c.snapshot.nodes[1]!.status === 'up')).toBe(true);

    press('PageDown'); // reveal: the crash happens in both clusters
    const stateful = store.getState().clusters.find((c) => c.key === 'stateful')!;
    expect(stateful.snapshot.nodes[1]!.status).toBe('down');
    expect(within(bar()).getByText(new RegExp(`Stateful lost ${stateful.metrics.sessionsLost} sessions`))).toBeTruthy();
    expect(stateful.metrics.sessionsLost).toBeGreaterThan(0);

    press('PageDown');
    press('PageDown');
    expect(within(bar()).getByText(new RegExp(`Step ${lesson.steps.length} of ${lesson.steps.length}`))).toBeTruthy();
    expect(within(bar()).getByText(lesson.steps.at(-1)!.title)).toBeTruthy();
    press('PageUp');
    expect(within(bar()).getByText(/Step 3 of 4/)).toBeTruthy();
    fireEvent.click(within(bar()).getByRole('button', { name: 'Free play' }));
    expect(screen.queryByRole('region', { name: 'Lesson' })).toBeNull();
  });

  it('opens at the step a link names', () => {
    window.history.replaceState(null, '', '#lesson=store&step=3');
    const store = renderApp();
    expect(within(screen.getByRole('region', { name: 'Lesson' })).getByText(/Step 3 of 4/)).toBeTruthy();
    expect(store.getState().scenario.store).toBe('shared');
  });
});

describe('the timeline', () => {
  it('rewinds to before a failure and back to live, with the failure marked', () => {
    const store = renderApp();
    act(() => store.getState().step(12_000));
    press('2');
    act(() => store.getState().step(8_000));
    const lost = store.getState().clusters[0]!.metrics.sessionsLost;
    expect(lost).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: /^Rewind to before Server 2 failed at 12\.0 s/ })).toBeTruthy();

    fireEvent.change(screen.getByRole('slider', { name: 'Timeline' }), { target: { value: '5000' } });
    const rewound = store.getState().clusters[0]!;
    expect(rewound.snapshot.time).toBe(5_000);
    expect(rewound.snapshot.nodes[1]!.status).toBe('up');
    expect(rewound.metrics.sessionsLost).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Back to live' }));
    const live = store.getState().clusters[0]!;
    expect(live.snapshot.time).toBe(20_000);
    expect(live.snapshot.nodes[1]!.status).toBe('down');
    expect(live.metrics.sessionsLost).toBe(lost);
  });

  it('Step back goes one simulated second back', () => {
    const store = renderApp();
    act(() => store.getState().step(10_000));
    fireEvent.click(screen.getByRole('button', { name: 'Step back' }));
    expect(store.getState().clusters[0]!.snapshot.time).toBe(9_000);
  });
});

describe('Compare mode', () => {
  it('one click on Server 2 fails it in both clusters, and the summary puts the outcomes side by side', () => {
    const store = createSimulationStore({ seed: 3, mode: 'compare' });
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <App />
      </SimulationProvider>,
    );
    act(() => store.getState().step(15_000));
    const stateful = screen.getByRole('region', { name: 'Stateful (sessions)' });
    fireEvent.click(within(stateful).getByRole('button', { name: /^Server 2/ }));
    act(() => store.getState().step(10_000));
    for (const name of ['Stateless (JWT)', 'Stateful (sessions)']) {
      expect(
        within(screen.getByRole('region', { name })).getByRole('button', { name: /^Server 2, down/ }),
      ).toBeTruthy();
    }
    const summary = screen.getByRole('table', { name: 'Compare summary' });
    const cells = (row: string) =>
      within(within(summary).getByRole('row', { name: new RegExp(row.replace(/[()]/g, '\\$&')) }))
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(cells('Stateless (JWT)')[0]).toBe('0');
    expect(Number(cells('Stateful (sessions)')[0])).toBeGreaterThan(0);
    expect(Number(cells('Stateless (JWT)')[4])).toBeGreaterThan(Number(cells('Stateful (sessions)')[4]));
  });
});

describe('Compare mode with failures unlinked', () => {
  it('fails the server only in the cluster clicked', () => {
    const store = createSimulationStore({ seed: 3, mode: 'compare' });
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <App />
      </SimulationProvider>,
    );
    fireEvent.click(screen.getByRole('checkbox', { name: 'Link failures' }));
    fireEvent.click(
      within(screen.getByRole('region', { name: 'Stateful (sessions)' })).getByRole('button', { name: /^Server 2/ }),
    );
    expect(
      within(screen.getByRole('region', { name: 'Stateful (sessions)' })).getByRole('button', {
        name: /^Server 2, down/,
      }),
    ).toBeTruthy();
    expect(
      within(screen.getByRole('region', { name: 'Stateless (JWT)' })).getByRole('button', { name: /^Server 2, up/ }),
    ).toBeTruthy();
  });
});

describe('What if', () => {
  it('replays the run with sessions in a shared store: same crash, nothing lost', async () => {
    const store = renderApp();
    act(() => store.getState().step(15_000));
    press('2');
    act(() => store.getState().step(10_000));
    expect(store.getState().clusters[0]!.metrics.sessionsLost).toBeGreaterThan(0);
    const select = screen.getByRole('combobox', { name: 'What if' });
    fireEvent.change(select, {
      target: {
        value: String([...(select as HTMLSelectElement).options].findIndex((o) => /shared store/.test(o.text)) - 1),
      },
    });
    // The replay runs in slices between frames, with a progress bar meanwhile.
    expect(screen.getByRole('progressbar', { name: 'What-if replay' })).toBeTruthy();
    await waitFor(() => expect(store.getState().scenario.store).toBe('shared'));
    const cluster = store.getState().clusters[0]!;
    expect(cluster.snapshot.nodes[1]!.status).toBe('down');
    expect(cluster.metrics.sessionsLost).toBe(0);
  });
});

describe('what a lesson step points at', () => {
  it('is ringed on the page: the node, or the number to watch', () => {
    window.history.replaceState(null, '', '#lesson=failure&step=2');
    renderApp();
    const rule = [...document.querySelectorAll('style')]
      .map((s) => s.textContent)
      .find((t) => t?.includes('data-look-id'));
    expect(rule).toContain('[data-look-id="metric:sessionsLost"]');
    expect(document.querySelectorAll('[data-look-id="metric:sessionsLost"]').length).toBe(2); // one per cluster in Compare
  });
});

describe('keys the way a teacher hits them', () => {
  beforeEach(() => {
    useUi.setState({ previousMode: 'stateful', keyCluster: 'stateful', playingBeforeBlank: true });
  });
  const nodeStatus = (store: SimulationStore, id: string, cluster = 0) =>
    store.getState().clusters[cluster]!.snapshot.nodes.find((n) => n.id === id)?.status;

  it('Space on a focused server button plays / pauses and leaves the server alone; Enter on a focused checkbox ticks it', () => {
    const store = renderApp();
    const button = screen.getByRole('button', { name: /^Server 2, up/ });
    fireEvent.click(button);
    button.focus();
    act(() => {
      fireEvent.keyDown(button, { key: ' ' });
      fireEvent.keyUp(button, { key: ' ' });
    });
    expect(store.getState().playing).toBe(true);
    expect(nodeStatus(store, 'server-2')).toBe('down');
    act(() => {
      store.getState().setScenario({ mode: 'compare' });
    });
    const link = screen.getByRole('checkbox', { name: 'Link failures' });
    act(() => {
      fireEvent.keyDown(link, { key: 'Enter' });
    });
    expect(store.getState().linkFailures).toBe(false);
  });

  it('C twice goes back to the mode it came from, however that mode was chosen', () => {
    const store = renderApp();
    fireEvent.click(screen.getByRole('button', { name: 'Stateless (JWT)' }));
    press('c');
    expect(store.getState().scenario.mode).toBe('compare');
    press('c');
    expect(store.getState().scenario.mode).toBe('stateless');
  });

  it('digits, Space and → do nothing behind an open dialog', () => {
    const store = renderApp();
    const before = store.getState().clusters[0]!.snapshot.time;
    for (const open of ['?', 'l']) {
      press(open);
      press('2');
      press(' ');
      press('ArrowRight');
      press('Escape');
    }
    expect(nodeStatus(store, 'server-2')).toBe('up');
    expect(store.getState().playing).toBe(false);
    expect(store.getState().clusters[0]!.snapshot.time).toBe(before);
  });

  it('leaving the blank screen (B, ., Esc) restores the play state from before', () => {
    const store = renderApp(); // paused
    for (const [blank, back] of [
      ['b', 'B'],
      ['.', '.'],
      ['B', 'Escape'],
    ] as const) {
      press(blank);
      expect(useUi.getState().blanked).toBe(true);
      press(back);
      expect(useUi.getState().blanked).toBe(false);
      expect(store.getState().playing).toBe(false);
    }
    act(() => store.getState().setPlaying(true));
    press('b');
    expect(store.getState().playing).toBe(false);
    press('b');
    expect(store.getState().playing).toBe(true);
  });

  it('a digit names a server by its label: after a removal, 4 says there is none and 5 fails Server 5', () => {
    const store = renderApp();
    act(() => {
      store.getState().apply({ type: 'addNode' });
      store.getState().apply({ type: 'removeNode', node: 'server-4' });
      for (let i = 0; i < 20 && nodeStatus(store, 'server-4') !== undefined; i++) store.getState().step(1_000);
      store.getState().apply({ type: 'addNode' });
    });
    expect(store.getState().clusters[0]!.snapshot.nodes.map((n) => n.id)).toEqual([
      'server-1',
      'server-2',
      'server-3',
      'server-5',
    ]);
    press('4');
    expect(store.getState().notices.at(-1)).toMatch(/There is no Server 4/);
    expect(store.getState().clusters[0]!.snapshot.nodes.every((n) => n.status === 'up')).toBe(true);
    press('5');
    expect(nodeStatus(store, 'server-5')).toBe('down');
  });

  it('Compare, failures unlinked: digits act on the pane last clicked, Stateful (sessions) first', () => {
    const store = createSimulationStore({ seed: 3, mode: 'compare' });
    store.getState().setPlaying(false);
    render(
      <SimulationProvider store={store}>
        <App />
      </SimulationProvider>,
    );
    const statusIn = (key: string, id: string) =>
      store
        .getState()
        .clusters.find((c) => c.key === key)!
        .snapshot.nodes.find((n) => n.id === id)!.status;
    fireEvent.click(screen.getByRole('checkbox', { name: 'Link failures' }));
    press('1');
    expect([statusIn('stateless', 'server-1'), statusIn('stateful', 'server-1')]).toEqual(['up', 'down']);
    fireEvent.pointerDown(
      within(screen.getByRole('region', { name: 'Stateless (JWT)' })).getByRole('heading', { name: 'Stateless (JWT)' }),
    );
    press('3');
    expect([statusIn('stateless', 'server-3'), statusIn('stateful', 'server-3')]).toEqual(['down', 'up']);
    press('?');
    expect(within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).getByText(/Now:/).textContent).toContain(
      'Stateless (JWT)',
    );
  });
});
