// @vitest-environment jsdom
/**
 * The side panels as a student uses them: log in as "You" over real fetch (msw/node serving the
 * same handlers as the page), open the request in the inspector, read the token, tamper with it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { act, cleanup, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { createApiHandlers } from '../../src/api/handlers';
import type { ApiClient } from '../../src/api/client';
import { SimulationProvider } from '../../src/state/SimulationProvider';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import { SidePanels } from '../../src/ui/inspect/SidePanels';
import { openInspector } from '../../src/ui/inspect/openInspector';

// Real fetches through msw and lazily loaded panels: generous waits so a busy machine is not a failure.
configure({ asyncUtilTimeout: 5_000 });
vi.setConfig({ testTimeout: 30_000 });

let store: SimulationStore | undefined;
// As in the page: requests reach the store, which records them on the timeline.
const server = setupServer(
  ...createApiHandlers(() =>
    store === undefined ? undefined : { send: (request) => store!.getState().send(request) },
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  store = undefined;
});
afterAll(() => server.close());

// jsdom's fetch is Node's, which wants absolute URLs; the page itself fetches '/api/…'.
const api: ApiClient = {
  ready: Promise.resolve({ ok: true }),
  fetch: (path, init) => fetch(new URL(path, location.href).href, init),
};

function renderPanels(mode: 'stateless' | 'stateful') {
  store = createSimulationStore({ mode, seed: 3, clients: 0 });
  store.getState().setPlaying(false);
  render(
    <SimulationProvider store={store}>
      <SidePanels api={api} />
    </SimulationProvider>,
  );
  return { user: userEvent.setup(), sims: store };
}

async function logInAsYou(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'You' }));
  await user.click(await screen.findByRole('button', { name: 'Log in' }));
  return screen.findByText(/served by/);
}

describe('stateless: the inspector takes the token apart', () => {
  test('the login answer shows a decoded token that verifies', async () => {
    const { user } = renderPanels('stateless');
    const served = await logInAsYou(user);
    expect(served.textContent).toMatch(/Log in: 200 · served by Server \d/);
    await user.click(screen.getByRole('button', { name: 'Inspect this request' }));

    const inspector = screen.getByRole('complementary', { name: 'Inspector' });
    expect(await within(inspector).findByText('POST /api/login')).toBeTruthy();
    const token = within(inspector).getByRole('region', { name: /Token issued in the answer/ });
    expect(within(token).getByText(/Signature verifies/).textContent).toMatch(/verifies/);
    expect(within(token).getByText(/"alg": "HS256"/)).toBeTruthy();
    expect(within(token).getByText(/"sub": "you"/)).toBeTruthy();
  });

  test('the tamper box sends an edited payload with the original signature: 401 and the reason', async () => {
    const { user, sims } = renderPanels('stateless');
    await logInAsYou(user);
    await user.click(screen.getByRole('button', { name: 'Inspect this request' }));
    const box = await screen.findByRole('region', { name: 'Tamper box' });
    const payload = within(box).getByRole('textbox', { name: /Token payload/ }) as HTMLTextAreaElement;
    const edited = payload.value.replace('"role": "student"', '"role": "admin"');
    expect(edited).not.toBe(payload.value);
    await user.clear(payload);
    await user.click(payload);
    await user.paste(edited);
    await user.click(within(box).getByRole('button', { name: 'Send edited token' }));

    const result = await within(box).findByRole('status');
    expect(result.textContent).toMatch(/401/);
    expect(result.textContent).toMatch(/signature does not verify/);
    // It was a real request through the cluster: the engine kept it, with the forged token.
    const sim = sims.getState().runtime.sims.get('stateless')!;
    const forged = sim.recentEvents().filter((e) => e.type === 'request.answered' && e.status === 401);
    expect(forged).toHaveLength(1);

    await user.click(within(box).getByRole('button', { name: 'Send alg: none' }));
    expect((await within(box).findByText(/alg "none" is not accepted/)).textContent).toMatch(/401/);
    await user.click(within(box).getByRole('button', { name: 'Send expired token' }));
    expect((await within(box).findByText(/token expired/)).textContent).toMatch(/401/);
  });
});

describe('stateful: the panel says why a request was refused', () => {
  test('the node holding your session crashes: the next request is 401 and the panel explains', async () => {
    const { user, sims } = renderPanels('stateful');
    const served = await logInAsYou(user);
    const holder = /Server (\d)/.exec(served.textContent ?? '')![1]!;
    sims.getState().toggleNode(`server-${holder}`);
    sims.getState().step(10_000); // the balancer's health checks notice the crash
    await user.click(screen.getByRole('button', { name: 'View profile' }));
    const why = await screen.findByText(/died with it/);
    expect(why.textContent).toContain(`Your session lived only in Server ${holder}'s memory. Server ${holder} crashed`);
    expect(screen.getByRole('region', { name: 'Last response' }).textContent).toMatch(/View profile: 401/);
  });

  test('one You: after a rewind past your login, the panel and the browser cookie say what the engine says; playing on brings the login back to all three', async () => {
    const { user, sims } = renderPanels('stateful');
    sims.getState().step(2_000);
    await user.click(screen.getByRole('button', { name: 'You' }));
    await user.click(await screen.findByRole('button', { name: 'Log in' }));
    const served = await screen.findByText(/served by/);
    const holder = /Server (\d)/.exec(served.textContent ?? '')![1]!;
    await user.click(screen.getByRole('button', { name: 'Add to cart' }));
    await screen.findByText(/Cart: book/);
    const sidOf = () => /(?:^|; )sid=([^;]*)/.exec(document.cookie)?.[1] ?? null;
    const engineSid = () => sims.running.get('stateful')!.snapshot().clients[0]!.held?.sid ?? null;
    expect(sidOf()).not.toBeNull();
    expect(sidOf()).toBe(engineSid());
    expect(screen.getByText(/Session: in Server/).textContent).toContain(`Server ${holder}`);

    act(() => sims.getState().seek(1_000)); // before your login
    expect(await screen.findByText(/Session: none/)).toBeTruthy();
    expect(screen.getByText(/Cart: empty/)).toBeTruthy();
    expect(sidOf()).toBeNull();

    act(() => sims.getState().step(5_000)); // play on: the timeline replays your login and your cart
    expect(await screen.findByText(new RegExp(`Session: in Server ${holder}`))).toBeTruthy();
    expect(screen.getByText(/Cart: book/)).toBeTruthy();
    expect(sidOf()).toBe(engineSid());
    await user.click(screen.getByRole('button', { name: 'View profile' }));
    await waitFor(() =>
      expect(screen.getByRole('region', { name: 'Last response' }).textContent).toMatch(/View profile: 200/),
    );
  });

  test('Escape closes the open panel', async () => {
    const { user } = renderPanels('stateful');
    await user.click(screen.getByRole('button', { name: 'Event log' }));
    expect(await screen.findByRole('button', { name: 'Export JSON' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Event log' }).getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: 'Event log' }).getAttribute('aria-expanded')).toBe('false');
  });
});

describe('any request, not only yours', () => {
  test('openInspector() from elsewhere in the page opens a simulated client’s request', async () => {
    store = createSimulationStore({ mode: 'stateless', seed: 3, clients: 3 });
    store.getState().setPlaying(false);
    store.getState().step(5_000);
    const finished = store
      .getState()
      .runtime.sims.get('stateless')!
      .recentEvents()
      .find((e) => e.type === 'request.finished');
    expect(finished).toBeDefined();
    render(
      <SimulationProvider store={store}>
        <SidePanels api={api} />
      </SimulationProvider>,
    );
    act(() => openInspector({ cluster: 'stateless', requestId: (finished as { id: number }).id }));
    const inspector = await screen.findByRole('complementary', { name: 'Inspector' });
    expect((await within(inspector).findByRole('article')).textContent).toMatch(/Served by/);
  });
});

describe('event log', () => {
  test('a request row opens the inspector, and Export JSON downloads the events kept', async () => {
    const { user, sims } = renderPanels('stateful');
    sims.getState().step(1); // let the store publish once
    await logInAsYou(user);
    await user.click(screen.getByRole('button', { name: 'Event log' }));
    const row = await screen.findByRole('button', { name: /You gets 200/ });
    await user.click(row);
    expect(await screen.findByText('POST /api/login')).toBeTruthy();

    const blobs: Blob[] = [];
    const created = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:events';
    });
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await user.click(screen.getByRole('button', { name: 'Event log' }));
    await user.click(await screen.findByRole('button', { name: 'Export JSON' }));
    expect(clicked).toHaveBeenCalledTimes(1);
    const exported = JSON.parse(await blobs[0]!.text()) as {
      scenario: { mode: string };
      events: { stateful: { client?: string }[] };
    };
    expect(exported.scenario.mode).toBe('stateful');
    expect(exported.events.stateful.some((e) => e.client === 'you')).toBe(true);
    created.mockRestore();
    revoked.mockRestore();
    clicked.mockRestore();
  });
});
