// @vitest-environment jsdom
/**
 * The controls and numbers around the stage, found the way a person finds them: by role and name.
 * The clock is not started here; time moves only through the store's step(), so every number is
 * the engine's own and the tests are deterministic.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, getSimulation, type SimulationStore } from '../../src/state/simulationStore';
import { parseScenarioHash, type Scenario } from '../../src/state/scenario';
import { startHashSync } from '../../src/state/hashSync';
import { TopBar } from '../../src/ui/panels/TopBar';
import { MetricsPanel } from '../../src/ui/panels/MetricsPanel';
import { Notices } from '../../src/ui/panels/Notices';
import { ErrorBoundary } from '../../src/ui/panels/ErrorBoundary';
import { App } from '../../src/ui/App';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderWith(store: SimulationStore, ui: ReactNode) {
  return render(<SimulationProvider store={store}>{ui}</SimulationProvider>);
}

/** The panels of one cluster page, without the stage (drawn by another part of the page). */
function renderPanels(initial: Partial<Scenario> = {}) {
  const store = createSimulationStore({ seed: 7, ...initial });
  store.getState().setPlaying(false);
  const cluster = store.getState().scenario.mode === 'stateless' ? 'stateless' : 'stateful';
  renderWith(
    store,
    <>
      <TopBar />
      <Notices />
      <MetricsPanel cluster={cluster} />
    </>,
  );
  return store;
}

/** The number printed after a label in the Metrics region, e.g. "Sessions lost" → 17. */
function metric(label: string, region = screen.getByRole('region', { name: 'Metrics' })): number {
  const term = within(region).getByText(label);
  const value = term.parentElement?.querySelector('dd')?.textContent ?? '';
  return Number(value.replace(/[^\d.]/g, ''));
}

describe('the mode chooser', () => {
  it('switches the scenario and shows which mode is on', () => {
    const store = renderPanels();
    const stateless = screen.getByRole('button', { name: 'Stateless (JWT)' });
    expect(screen.getByRole('button', { name: 'Stateful (sessions)' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(stateless);
    expect(store.getState().scenario.mode).toBe('stateless');
    expect(stateless.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(store.getState().scenario.mode).toBe('compare');
    expect(store.getState().clusters.map((c) => c.key)).toEqual(['stateless', 'stateful']);
  });
});

describe('playback', () => {
  it('Play and Pause swap names and toggle the store', () => {
    const store = renderPanels();
    fireEvent.click(screen.getByRole('button', { name: 'Play' }));
    expect(store.getState().playing).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(store.getState().playing).toBe(false);
    expect(screen.getByRole('button', { name: 'Play' })).toBeTruthy();
  });

  it('Step advances one simulated second, pausing first if needed', () => {
    const store = renderPanels();
    const step = screen.getByRole('button', { name: 'Step' });
    fireEvent.click(step);
    expect(store.getState().clusters[0]?.snapshot.time).toBe(1_000);
    act(() => store.getState().setPlaying(true));
    fireEvent.click(step);
    expect(store.getState().playing).toBe(false);
    expect(store.getState().clusters[0]?.snapshot.time).toBe(2_000);
  });

  it('Reset starts again from 0 s', () => {
    const store = renderPanels();
    act(() => store.getState().step(5_000));
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(store.getState().clusters[0]?.snapshot.time).toBe(0);
  });

  it('the Speed slider sets the speed and shows it', () => {
    const store = renderPanels();
    const slider = screen.getByRole('slider', { name: 'Speed' }) as HTMLInputElement;
    expect(slider.min).toBe('0.25');
    expect(slider.max).toBe('20');
    fireEvent.change(slider, { target: { value: '5' } });
    expect(store.getState().scenario.speed).toBe(5);
    expect(screen.getByText('5×')).toBeTruthy();
    expect(slider.getAttribute('aria-valuetext')).toBe('5×');
  });
});

describe('cluster controls', () => {
  it('Add node adds Server 4 and Remove node takes it away again', () => {
    const store = renderPanels();
    fireEvent.click(screen.getByRole('button', { name: 'Add node' }));
    const ids = () => store.getState().clusters[0]?.snapshot.nodes.map((n) => n.id);
    expect(ids()).toEqual(['server-1', 'server-2', 'server-3', 'server-4']);
    expect(
      within(screen.getByRole('region', { name: 'Metrics' })).getByRole('rowheader', { name: 'Server 4' }),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove node' }));
    act(() => store.getState().step(1_000));
    expect(ids()).toEqual(['server-1', 'server-2', 'server-3']);
  });

  it('offers Fail / Recover session store only with a shared store', () => {
    const store = renderPanels();
    expect(screen.queryByRole('button', { name: 'Fail session store' })).toBeNull();
    act(() => store.getState().setScenario({ store: 'shared' }));
    fireEvent.click(screen.getByRole('button', { name: 'Fail session store' }));
    expect(store.getState().clusters[0]?.snapshot.store?.status).toBe('down');
    fireEvent.click(screen.getByRole('button', { name: 'Recover session store' }));
    expect(store.getState().clusters[0]?.snapshot.store?.status).toBe('up');
  });

  it('a stateless deny-list brings its own store, which can fail too', () => {
    const store = renderPanels({ mode: 'stateless' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Token deny-list' }));
    expect(store.getState().scenario.deny).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Fail deny-list store' }));
    expect(store.getState().clusters[0]?.snapshot.store?.status).toBe('down');
    expect(screen.queryByRole('button', { name: 'Fail session store' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Recover deny-list store' }));
    expect(store.getState().clusters[0]?.snapshot.store?.status).toBe('up');
  });

  it('the Settings change the scenario: store, sticky, balancer, clients, seed', () => {
    const store = renderPanels();
    fireEvent.click(screen.getByText('Settings'));
    fireEvent.change(screen.getByRole('combobox', { name: 'Session store' }), { target: { value: 'shared' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Sticky sessions' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Balancer' }), { target: { value: 'least-connections' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Clients' }), { target: { value: '30' } });
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Seed' }), { target: { value: '42' } });
    expect(store.getState().scenario).toMatchObject({
      store: 'shared',
      sticky: false,
      lb: 'least-connections',
      clients: 30,
      seed: 42,
    });
    expect(store.getState().clusters[0]?.snapshot.clients).toHaveLength(30);
  });

  it('the Settings menu closes with Escape and with a click elsewhere', async () => {
    renderPanels();
    const menu = screen.getByText('Settings').closest('details')!;
    fireEvent.click(screen.getByText('Settings'));
    await waitFor(() => expect(menu.open).toBe(true));
    fireEvent.keyDown(screen.getByRole('checkbox', { name: 'Sticky sessions' }), { key: 'Escape' });
    expect(menu.open).toBe(false);
    fireEvent.click(screen.getByText('Settings'));
    await waitFor(() => expect(menu.open).toBe(true));
    fireEvent.pointerDown(document.body);
    expect(menu.open).toBe(false);
  });

  it('a half-typed number is not applied until it is valid, and a number out of range is clamped with a notice', () => {
    const store = renderPanels();
    const clients = screen.getByRole('spinbutton', { name: 'Clients' });
    fireEvent.change(clients, { target: { value: '' } });
    expect(clients.getAttribute('aria-invalid')).toBe('true');
    fireEvent.blur(clients);
    expect((clients as HTMLInputElement).value).toBe('12');
    fireEvent.change(clients, { target: { value: '5000' } });
    expect(store.getState().scenario.clients).toBe(12); // not while typing
    fireEvent.blur(clients);
    expect(store.getState().scenario.clients).toBe(1000);
    expect((clients as HTMLInputElement).value).toBe('1000');
    expect(store.getState().notices.at(-1)).toBe('Clients 5000 is out of range; using 1000 (1 to 1000).');
  });
});

describe('the Metrics region', () => {
  it("shows the engine's sessions lost after Server 2 fails in stateful mode", () => {
    const store = renderPanels({ mode: 'stateful' });
    act(() => store.getState().step(20_000));
    expect(metric('Sessions lost')).toBe(0);
    act(() => store.getState().toggleNode('server-2'));
    act(() => store.getState().step(5_000));
    const engine = getSimulation(store, 'stateful')!.metrics();
    expect(engine.sessionsLost).toBeGreaterThan(0);
    expect(metric('Sessions lost')).toBe(engine.sessionsLost);
    expect(metric('Failed requests')).toBe(engine.requests.failed);
    expect(metric('Sent back to login')).toBe(engine.relogins);
    expect(metric('Cart items lost')).toBe(engine.cartItemsLost);
    expect(metric('Checkouts completed')).toBe(engine.checkoutsCompleted);
    // Printed label first, then the number: what a screen reader and a text match both read.
    expect(screen.getByRole('region', { name: 'Metrics' }).textContent).toContain(
      `Sessions lost${engine.sessionsLost}`,
    );
    const row = screen.getByRole('rowheader', { name: 'Server 2' }).closest('tr')!;
    expect(within(row).getByText('DOWN')).toBeTruthy();
  });

  it('stays at zero sessions lost in stateless mode', () => {
    const store = renderPanels({ mode: 'stateless' });
    act(() => store.getState().step(20_000));
    act(() => store.getState().toggleNode('server-2'));
    act(() => store.getState().step(5_000));
    expect(metric('Sessions lost')).toBe(0);
    expect(getSimulation(store, 'stateless')!.metrics().sessionsLost).toBe(0);
  });

  it('lists 401, 502 and 503 even at zero, and plots the last 60 s', () => {
    const store = renderPanels();
    act(() => store.getState().step(90_000));
    const region = screen.getByRole('region', { name: 'Metrics' });
    for (const status of ['401', '502', '503']) expect(within(region).getByText(status)).toBeTruthy();
    const charts = within(region).getAllByRole('img');
    expect(charts.length).toBe(2 + 3);
    const successPath = charts[0]!.querySelector('path')!.getAttribute('d')!;
    expect(successPath.startsWith('M0 ')).toBe(true); // a full window reaches the left edge
  });
});

describe('notices and robustness', () => {
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('a bad hash shows a notice naming the value, and the page still renders', () => {
    window.history.replaceState(null, '', '/#nodes=banana&mode=stateless');
    const { scenario, notices } = parseScenarioHash(window.location.hash);
    const store = createSimulationStore(scenario, notices);
    store.getState().setPlaying(false);
    renderWith(
      store,
      <ErrorBoundary onReset={() => store.getState().reset()}>
        <App />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('heading', { name: 'Stateless vs Stateful' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toMatch(/nodes=banana/);
    expect(store.getState().clusters[0]?.snapshot.nodes).toHaveLength(3);
    expect(screen.getByRole('region', { name: 'Metrics' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Dismiss notice/ }));
    expect(screen.queryByText(/nodes=banana/)).toBeNull();
  });

  it('a refused command shows a notice', () => {
    const store = renderPanels();
    act(() => store.getState().apply({ type: 'removeNode', node: 'server-9' }));
    expect(screen.getByRole('status').textContent).toMatch(/server-9/);
  });

  it('the error boundary catches a throwing child and Reset brings it back', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const onReset = vi.fn();
    let broken = true;
    function Fragile() {
      if (broken) throw new Error('the stage tripped');
      return <p>Stage is fine</p>;
    }
    render(
      <ErrorBoundary
        onReset={() => {
          onReset();
          broken = false;
        }}
      >
        <Fragile />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toContain('the stage tripped');
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect(onReset).toHaveBeenCalledOnce();
    expect(screen.getByText('Stage is fine')).toBeTruthy();
  });
});

describe('the URL hash', () => {
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('follows the controls and keeps keys it does not own', async () => {
    window.history.replaceState(null, '', '/#mode=stateful&lesson=crash');
    const store = createSimulationStore(parseScenarioHash(window.location.hash).scenario);
    const stop = startHashSync(store);
    renderWith(store, <TopBar />);
    fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
    expect(window.location.hash.startsWith('#mode=compare&store=memory&sticky=1&')).toBe(true);
    expect(window.location.hash.endsWith('&seed=1&speed=1&lesson=crash')).toBe(true);
    fireEvent.change(screen.getByRole('slider', { name: 'Speed' }), { target: { value: '2' } });
    await waitFor(() => expect(new URLSearchParams(window.location.hash.slice(1)).get('speed')).toBe('2'));
    stop();
  });

  it('a slider drag rewrites the hash a few times, not once per step, and ends on the last value', async () => {
    const store = createSimulationStore();
    const replaceState = vi.spyOn(window.history, 'replaceState');
    const stop = startHashSync(store);
    renderWith(store, <TopBar />);
    const slider = screen.getByRole('slider', { name: 'Speed' });
    for (let i = 1; i <= 40; i++) fireEvent.change(slider, { target: { value: String(i * 0.25) } });
    await waitFor(() => expect(new URLSearchParams(window.location.hash.slice(1)).get('speed')).toBe('10'));
    // One write per 200 ms at most: however slow this machine renders 40 changes, far fewer than 40.
    expect(replaceState.mock.calls.length).toBeLessThan(10);
    stop();
  });

  it('applies a hash edited by hand, with a notice for a bad value', async () => {
    const store = createSimulationStore({ seed: 7 });
    const stop = startHashSync(store);
    renderWith(
      store,
      <>
        <TopBar />
        <Notices />
      </>,
    );
    window.location.hash = '#mode=stateless&seed=9&lb=fastest';
    await waitFor(() => expect(store.getState().scenario.mode).toBe('stateless'));
    expect(store.getState().scenario.seed).toBe(9);
    expect(store.getState().scenario.lb).toBe('round-robin');
    expect(screen.getByRole('button', { name: 'Stateless (JWT)' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByRole('status').textContent).toMatch(/lb=fastest/);
    stop();
  });
});
