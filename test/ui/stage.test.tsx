// @vitest-environment jsdom
/**
 * The stage as a teacher uses it: click a server to fail it, click again to recover it, or do the
 * same from the keyboard; in a stateful cluster the users whose sessions lived there are logged out.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import type { Scenario } from '../../src/state/scenario';
import { Stage } from '../../src/ui/stage/Stage';
import { Caption } from '../../src/ui/stage/Caption';
import { bestGrid } from '../../src/ui/stage/useGridFit';
import { createPacketTracker, packetPosition } from '../../src/ui/stage/packetTracker';

afterEach(cleanup);
// jsdom has no 2D canvas (it would log "not implemented"): the stage must cope with getContext() → null.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

function renderStage(
  scenario: Partial<Scenario>,
  warmUpMs = 15_000,
): { store: SimulationStore; user: ReturnType<typeof userEvent.setup> } {
  const store = createSimulationStore({ seed: 7, ...scenario });
  store.getState().setPlaying(false);
  const cluster = scenario.mode === 'stateless' ? 'stateless' : 'stateful';
  render(
    <SimulationProvider store={store}>
      <Stage cluster={cluster} />
      <Caption />
    </SimulationProvider>,
  );
  act(() => store.getState().step(warmUpMs));
  return { store, user: userEvent.setup() };
}

function node(store: SimulationStore, id: string) {
  return store.getState().clusters[0]!.snapshot.nodes.find((n) => n.id === id)!;
}

describe('the stage', () => {
  test('clicking Server 2 fails it and clicking again recovers it', async () => {
    const { store, user } = renderStage({ mode: 'stateful' });
    const button = screen.getByRole('button', { name: /^Server 2, up/ });
    expect(button.getAttribute('aria-label')).toBe('Server 2, up — click to fail');

    await user.click(button);
    expect(node(store, 'server-2').status).toBe('down');
    expect(screen.getByRole('button', { name: /^Server 2, down/ }).getAttribute('aria-label')).toMatch(
      /click to recover$/,
    );

    await user.click(screen.getByRole('button', { name: /^Server 2, down/ }));
    expect(node(store, 'server-2').status).toBe('up');
    expect(screen.getByRole('button', { name: /^Server 2, up/ })).toBeTruthy();
  });

  test('Enter on a focused server fails it, Space recovers it', async () => {
    const { store, user } = renderStage({ mode: 'stateless' });
    screen.getByRole('button', { name: /^Server 1,/ }).focus();
    await user.keyboard('{Enter}');
    expect(node(store, 'server-1').status).toBe('down');
    await user.keyboard(' ');
    expect(node(store, 'server-1').status).toBe('up');
  });

  test('a stateful crash logs out the users whose sessions the node held, and their carts empty', async () => {
    const { store, user } = renderStage({ mode: 'stateful' });
    const held = [...node(store, 'server-2').sessionClients];
    expect(held.length).toBeGreaterThan(0);
    await user.click(screen.getByRole('button', { name: /^Server 2,/ }));

    const clients = store.getState().clusters[0]!.snapshot.clients.filter((c) => held.includes(c.id));
    for (const client of clients) {
      const row = screen.getByRole('listitem', { name: new RegExp(`^${client.name}:`) });
      expect(row.getAttribute('aria-label')).toMatch(/logged out, cart 0/);
      expect(within(row).getByText('logged out')).toBeTruthy();
    }
    expect(screen.getByText(`${clients.length} logged out`)).toBeTruthy();
    expect(screen.getByText(/Server 2 went down: \d+ sessions? lost/)).toBeTruthy();
  });

  test('a stateless crash logs nobody out', async () => {
    const { store, user } = renderStage({ mode: 'stateless' });
    await user.click(screen.getByRole('button', { name: /^Server 2,/ }));
    act(() => store.getState().step(10_000));
    expect(screen.queryAllByText('logged out')).toEqual([]);
    expect(screen.queryByText(/\d+ logged out/)).toBeNull();
  });

  test('the shared session store has its own fail / recover button', async () => {
    const { user } = renderStage({ mode: 'stateful', store: 'shared' });
    await user.click(screen.getByRole('button', { name: 'Session store, up — click to fail' }));
    expect(screen.getByRole('button', { name: 'Session store, down — click to recover' })).toBeTruthy();
  });

  test('the client list is one Tab stop; arrows move between users and focus shows the credential', async () => {
    const { store, user } = renderStage({ mode: 'stateless' });
    const [ada, bo] = store.getState().clusters[0]!.snapshot.clients;
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(new RegExp(`^${ada!.name}:`));
    expect(screen.getByRole('tooltip').textContent).toMatch(
      /sends: Token \(JWT\).*bytes of credential on every request/,
    );
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(new RegExp(`^${bo!.name}:`));
    // Then the node column: its heading's Deploy menu, then the first server.
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Deploy v2');
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Server 1, up/);
  });

  test('a stateless deny-list store is named for what it holds, and fails like the session store', async () => {
    const { user } = renderStage({ mode: 'stateless', deny: true });
    await user.click(screen.getByRole('button', { name: 'Deny-list store, up — click to fail' }));
    expect(screen.getByRole('button', { name: 'Deny-list store, down — click to recover' })).toBeTruthy();
  });

  test('200 clients render as compact tokens, each still named for assistive technology', () => {
    renderStage({ mode: 'stateful', clients: 200, nodes: 8 }, 5_000);
    expect(screen.getAllByRole('listitem', { name: /: (logged in|logging in…|logged out)/ }).length).toBe(200);
    expect(screen.getAllByRole('button', { name: /^Server \d+,/ }).length).toBe(8);
  });
});

describe('packets and layout helpers', () => {
  test('a packet stays on screen at least the minimum hop time at any speed', () => {
    const tracker = createPacketTracker({ maxPackets: 10, maxBursts: 5 });
    tracker.handle(
      {
        type: 'request.sent',
        time: 0,
        id: 1,
        client: 'c1',
        method: 'GET',
        path: '/api/profile',
        credential: 'token',
        sizeBytes: 300,
        arriveAt: 20,
      },
      1_000,
      20,
    );
    const packet = tracker.packets.get(1)!;
    expect(packet.segments[0]!.endMs - packet.segments[0]!.startMs).toBeGreaterThanOrEqual(300);
    expect(packetPosition(packet, 1_150)?.progress).toBeCloseTo(150 / 320);
  });

  test('beyond the cap, requests are counted, not drawn; failures still burst', () => {
    const tracker = createPacketTracker({ maxPackets: 1, maxBursts: 5 });
    for (const id of [1, 2])
      tracker.handle(
        {
          type: 'request.sent',
          time: 0,
          id,
          client: 'c1',
          method: 'GET',
          path: '/',
          credential: 'cookie',
          sizeBytes: 60,
          arriveAt: 20,
        },
        0,
        1,
      );
    expect(tracker.packets.size).toBe(1);
    expect(tracker.skipped).toBe(1);
    tracker.handle(
      {
        type: 'request.answered',
        time: 30,
        id: 2,
        client: 'c1',
        node: null,
        status: 503,
        reason: 'no healthy node',
        arriveAt: 50,
      },
      10,
      1,
    );
    expect(tracker.bursts.map((b) => b.status)).toEqual([503]);
  });

  test('the compact grid picks the column count that gives the biggest tokens', () => {
    expect(bestGrid(200, 400, 500)).toEqual({ columns: 13, cellPx: 400 / 13 });
  });
});
