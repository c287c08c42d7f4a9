// @vitest-environment jsdom
/**
 * The Journey panel as a teacher uses it: pick a user, read their requests as arrows with statuses
 * and bytes; fail the node holding their session (stateful, memory) and read the refused connection,
 * the retry on another node and the 401; rewind and the later arrows are gone.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import { SidePanels } from '../../src/ui/inspect/SidePanels';
import { buildJourney, responseSizeBytes } from '../../src/ui/inspect/journey';
import type { SimEvent } from '../../src/engine';

configure({ asyncUtilTimeout: 5_000 });
vi.setConfig({ testTimeout: 30_000 });

afterEach(cleanup);

function renderPanels(store: SimulationStore) {
  render(
    <SimulationProvider store={store}>
      <SidePanels />
    </SimulationProvider>,
  );
  return userEvent.setup();
}

function requestButtons() {
  const list = screen.getByRole('list', { name: /^Journey of/ });
  return within(list).queryAllByRole('button');
}

async function openJourneyFor(store: SimulationStore, name: string) {
  const user = renderPanels(store);
  await user.click(screen.getByRole('button', { name: 'Journey' }));
  const picker = await screen.findByRole('combobox', { name: 'User' });
  await user.selectOptions(picker, name);
  return user;
}

describe('Journey: a user’s requests as arrows', () => {
  test('each request of the picked user is an arrow to a node, and the answer comes back with its status and bytes', async () => {
    const store = createSimulationStore({ mode: 'stateful', seed: 3, clients: 4, nodes: 3 });
    store.getState().setPlaying(false);
    act(() => store.getState().step(8_000));
    // Not the first user: the panel opens on the first, and the pick must stick.
    const ada = store.getState().clusters[0]!.snapshot.clients.find((c) => c.id === 'c2')!;
    const user = await openJourneyFor(store, ada.name);

    const list = screen.getByRole('list', {
      name: new RegExp(`^Journey of ${ada.name}: lanes ${ada.name}, Balancer, Server 1, Server 2, Server 3`),
    });
    const buttons = requestButtons();
    expect(buttons.length).toBeGreaterThan(1);
    // The first is the login: it goes to a node and comes back 200 with a size.
    expect(buttons[0]!.getAttribute('aria-label')).toMatch(
      /^#\d+ at [\d.]+ s: POST \/api\/login, \d+ bytes; sent to Server \d; Server \d answered 200 OK, \d+ bytes$/,
    );
    // The drawing says the same: the request line, then the answer.
    expect(within(list).getAllByText(/POST \/api\/login · \d+ B/).length).toBeGreaterThan(0);
    expect(within(list).getAllByText(/^200 OK · \d+ B$/).length).toBeGreaterThan(1);
    // Sticky sessions: every request of this user goes to the node holding the session.
    const nodes = new Set(buttons.map((b) => /sent to (Server \d)/.exec(b.getAttribute('aria-label')!)![1]));
    expect(nodes.size).toBe(1);
    // Only this user's requests.
    const others = store.getState().clusters[0]!.snapshot.clients.filter((c) => c.id !== ada.id);
    for (const other of others) expect(list.textContent).not.toContain(other.name);

    // Closing the panel (to click a server on the stage) and opening it again keeps the pick.
    await user.click(screen.getByRole('button', { name: 'Journey' }));
    await waitFor(() => expect(screen.queryByRole('list', { name: /^Journey of/ })).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Journey' }));
    expect(await screen.findByRole('list', { name: new RegExp(`^Journey of ${ada.name}:`) })).toBeTruthy();
  });

  test('stateful memory: the node dies, the connection is refused, the retry lands on a node without the session: 401; rewinding takes it away', async () => {
    const store = createSimulationStore({ mode: 'stateful', seed: 3, clients: 4, nodes: 3 });
    store.getState().setPlaying(false);
    act(() => store.getState().step(8_000));
    const before = store.getState().clusters[0]!.snapshot;
    const ada = before.clients.find((c) => c.id === 'c1')!;
    const home = ada.sessionNode!;
    const homeLabel = home.replace('server-', 'Server ');
    const user = await openJourneyFor(store, ada.name);
    expect(requestButtons().some((b) => /401/.test(b.getAttribute('aria-label')!))).toBe(false);

    act(() => store.getState().apply({ type: 'failNode', node: home }));
    act(() => store.getState().step(6_000));

    const list = screen.getByRole('list', { name: /^Journey of/ });
    // The crash is a mark on the node's lane.
    expect(within(list).getAllByText(new RegExp(`${homeLabel} crashed`)).length).toBeGreaterThan(0);
    // The retry: refused by the dead node, sent on to another one, which answers 401.
    const refused = requestButtons().find((b) =>
      new RegExp(
        `sent to ${homeLabel}, which refused it \\(down\\); retried on Server \\d; Server \\d answered 401 Unauthorized`,
      ).test(b.getAttribute('aria-label')!),
    );
    expect(
      refused,
      requestButtons()
        .map((b) => b.getAttribute('aria-label'))
        .join('\n'),
    ).toBeDefined();
    expect(within(refused!).getByText(/^retry on Server \d$/)).toBeTruthy();
    const answer = within(refused!).getByText(/^401 Unauthorized · \d+ B$/);
    expect(answer.closest('g')!.getAttribute('class')).toContain('journey-fail');

    // Clicking it opens the request in the Inspector.
    const id = /^#(\d+)/.exec(refused!.getAttribute('aria-label')!)![1];
    await user.click(refused!);
    const inspector = await screen.findByRole('complementary', { name: 'Inspector' });
    expect(await within(inspector).findByRole('article', { name: `Request ${id}` })).toBeTruthy();

    // Rewind to before the failure: the 401 and the crash are gone.
    await user.click(screen.getByRole('button', { name: 'Journey' }));
    act(() => store.getState().seek(7_000));
    const rewound = await screen.findByRole('list', { name: /^Journey of/ });
    expect(requestButtons().some((b) => /401|refused/.test(b.getAttribute('aria-label')!))).toBe(false);
    expect(within(rewound).queryByText(/crashed/)).toBeNull();
  });
});

describe('journey.ts', () => {
  const sent = (id: number, time: number, client = 'c1'): SimEvent => ({
    type: 'request.sent',
    time,
    id,
    client,
    method: 'GET',
    path: '/api/profile',
    credential: 'cookie',
    sizeBytes: 300,
    arriveAt: time + 20,
  });
  test('lanes: all servers when few; only those on the path when many, with the count hidden', () => {
    const events: SimEvent[] = [
      sent(1, 0),
      {
        type: 'request.routed',
        time: 20,
        id: 1,
        client: 'c1',
        node: 'server-5',
        attempt: 1,
        sticky: true,
        arriveAt: 21,
      },
      {
        type: 'request.answered',
        time: 30,
        id: 1,
        client: 'c1',
        node: 'server-5',
        status: 200,
        reason: null,
        arriveAt: 50,
      },
    ];
    const nodes = Array.from({ length: 8 }, (_, i) => `server-${i + 1}`);
    const many = buildJourney({ events, client: 'c1', clientName: 'Ada', nodes, store: 'sessions' });
    expect(many.lanes.map((l) => l.label)).toEqual(['Ada', 'Balancer', 'Server 5', 'Session store']);
    expect(many.hiddenNodes).toBe(7);
    const request = many.items[0]!;
    expect(request.kind === 'request' && request.arrows.map((a) => `${a.from}→${a.to} ${a.text}`)).toEqual([
      'client→server-5 0.0 s · GET /api/profile · 300 B',
      'server-5→store reads the session',
      'server-5→client 200 OK',
    ]);
    const few = buildJourney({ events, client: 'c1', clientName: 'Ada', nodes: nodes.slice(0, 3), store: null });
    expect(few.lanes.map((l) => l.label)).toEqual(['Ada', 'Balancer', 'Server 1', 'Server 2', 'Server 3', 'Server 5']);
  });

  test("the balancer's own 503 comes back from the balancer lane", () => {
    const events: SimEvent[] = [
      sent(1, 0),
      {
        type: 'request.answered',
        time: 20,
        id: 1,
        client: 'c1',
        node: null,
        status: 503,
        reason: 'no healthy node',
        arriveAt: 40,
      },
    ];
    const journey = buildJourney({ events, client: 'c1', clientName: 'Ada', nodes: ['server-1'], store: null });
    const request = journey.items[0]!;
    expect(request.kind === 'request' && request.arrows.map((a) => `${a.from}→${a.to} ${a.tone}`)).toEqual([
      'client→balancer request',
      'balancer→client fail',
    ]);
  });

  test('an answer is sized like a request: status line, headers, body', () => {
    const size = responseSizeBytes({ status: 200, headers: { 'content-type': 'application/json' }, body: { a: 1 } });
    expect(size).toBe(
      'HTTP/1.1 200 OK\r\n'.length + 'content-type: application/json\r\n'.length + 2 + '{"a":1}'.length,
    );
  });
});
