/**
 * One door for time and input: the real clock (a fake requestAnimationFrame driving the page's
 * clock, not the store's step()), the teacher's commands and the page's own HTTP requests all go
 * through the timeline, so the scrubber, rewind and what-if agree with what the room saw live.
 */
import { describe, expect, it } from 'vitest';
import { startClock } from '../../src/state/clock';
import { createSimulationStore, type SimulationStore } from '../../src/state/simulationStore';
import { isCommandMark } from '../../src/state/timeline';
import type { Scenario } from '../../src/state/scenario';

function manualFrames() {
  let pending: ((wallMs: number) => void) | null = null;
  let wallMs = 0;
  return {
    frame: (callback: (wallMs: number) => void) => {
      pending = callback;
      return 1;
    },
    cancel: () => {
      pending = null;
    },
    /** Plays `ms` of wall time in 60 Hz frames. */
    play(ms: number) {
      for (const end = wallMs + ms; wallMs < end;) {
        wallMs = Math.min(end, wallMs + 1000 / 60);
        const callback = pending;
        pending = null;
        callback?.(wallMs);
      }
    },
  };
}

function livePage(scenario: Parameters<typeof createSimulationStore>[0] = {}): {
  store: SimulationStore;
  frames: ReturnType<typeof manualFrames>;
} {
  const store = createSimulationStore({ mode: 'stateful', seed: 5, speed: 10, ...scenario });
  const frames = manualFrames();
  startClock(store, frames.frame, frames.cancel);
  frames.play(0);
  return { store, frames };
}

const timeOf = (store: SimulationStore) => store.getState().clusters[0]!.snapshot.time;

/** Asks a what-if, its slices run back to back; returns whether the progress bar came up (a replay). */
async function whatIfShowsProgress(store: SimulationStore, change: Partial<Scenario>): Promise<boolean> {
  let progressShown = false;
  const stop = store.subscribe((state) => {
    if (state.whatIfProgress !== null) progressShown = true;
  });
  await store.getState().whatIf(change, { schedule: (next) => queueMicrotask(next) });
  stop();
  return progressShown;
}

describe('the live clock moves time through the timeline', () => {
  it('the scrubber head follows the run as it plays, and a failure is a mark on it', () => {
    const { store, frames } = livePage();
    frames.play(2_000); // 20 simulated seconds at 10×
    const head = store.getState().timeline.headMs; // as published to the page (4×/s)
    expect(head).toBeGreaterThan(17_000);
    expect(head).toBe(timeOf(store));
    store.getState().toggleNode('server-2');
    frames.play(1_000);
    const { marks, headMs } = store.getState().timeline;
    expect(marks.filter(isCommandMark).map((m) => m.command)).toEqual([{ type: 'failNode', node: 'server-2' }]);
    expect(marks[0]!.timeMs).toBeGreaterThan(19_000);
    expect(marks[0]!.timeMs).toBeLessThanOrEqual(headMs);
    expect(headMs).toBeGreaterThan(marks[0]!.timeMs + 7_000); // 10 s later, as last published
  });

  it('rewinding to before a failure and playing on replays the failure, live', () => {
    const { store, frames } = livePage();
    frames.play(1_500);
    store.getState().toggleNode('server-2');
    const failedAtMs = store.getState().timeline.marks[0]!.timeMs;
    frames.play(1_500);
    const liveLost = store.getState().clusters[0]!.metrics.sessionsLost;
    expect(liveLost).toBeGreaterThan(0);

    store.getState().seek(failedAtMs - 3_000);
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('up');
    expect(store.getState().clusters[0]!.metrics.sessionsLost).toBe(0);
    // Step back is one simulated second from where the room is, not a jump to 0.
    store.getState().seek(timeOf(store) - 1_000);
    expect(timeOf(store)).toBe(failedAtMs - 4_000);

    store.getState().setPlaying(true);
    frames.play(1_000); // 10 s on: past the recorded failure
    expect(store.getState().clusters[0]!.snapshot.nodes[1]!.status).toBe('down');
    expect(store.getState().clusters[0]!.metrics.sessionsLost).toBeGreaterThan(0);
    // Still one mark: replaying is not giving the command again.
    expect(store.getState().timeline.marks).toHaveLength(1);
  });

  it('after a fork in the past, the head follows the new branch', () => {
    const { store, frames } = livePage();
    frames.play(3_000);
    store.getState().seek(10_000);
    store.getState().toggleNode('server-3'); // a new command in the past: the run forks here
    expect(store.getState().timeline.headMs).toBe(10_000);
    store.getState().setPlaying(true);
    frames.play(1_000);
    expect(store.getState().timeline.headMs).toBe(timeOf(store));
    expect(timeOf(store)).toBeGreaterThan(17_000);
  });

  it('Reset while paused leaves no marks from the old run', () => {
    const { store, frames } = livePage();
    frames.play(1_000);
    store.getState().toggleNode('server-1');
    store.getState().setPlaying(false);
    store.getState().reset();
    expect(store.getState().timeline).toEqual({ headMs: 0, marks: [] });
  });
});

describe('the stage shows the time shown, never its future', () => {
  it('rewound to before a crash, nobody is flagged lost and the caption does not name the crash', () => {
    const { store, frames } = livePage();
    frames.play(1_500);
    store.getState().toggleNode('server-2');
    frames.play(200);
    expect(store.getState().caption).toMatch(/Server 2/);
    const lostClients = store.getState().clusters[0]!.snapshot.clients.filter((c) => c.lostAtMs !== null);
    expect(lostClients.length).toBeGreaterThan(0);
    store.getState().seek(5_000);
    expect(store.getState().clusters[0]!.snapshot.clients.every((c) => c.lostAtMs === null && !c.sessionLost)).toBe(
      true,
    );
    expect(store.getState().caption ?? '').not.toMatch(/Server 2/);
  });
});

describe("the page's own requests are recorded and replayed", () => {
  const login = {
    method: 'POST',
    path: '/api/login',
    headers: { 'content-type': 'application/json' },
    body: { user: 'Student' },
  };

  it("rewinding past You's login and playing on logs You in again, with the same answer", () => {
    const { store, frames } = livePage({ speed: 1 });
    frames.play(3_000);
    const answer = store.getState().send(login)!;
    expect(answer.status).toBe(200);
    // The browser sends back both cookies: the session and the balancer's sticky one.
    const cookie = ['sid', 'lb']
      .map((name) => `${name}=${new RegExp(`${name}=([^;,]+)`).exec(answer.headers['set-cookie']!)![1]}`)
      .join('; ');
    const addItem = {
      method: 'POST',
      path: '/api/cart/items',
      headers: { 'content-type': 'application/json', cookie },
      body: { item: 'book' },
    };
    frames.play(1_000);
    expect(store.getState().send(addItem)?.status).toBe(200);
    frames.play(2_000);
    const you = () => store.getState().clusters[0]!.snapshot.clients.find((c) => c.id === 'you');
    expect(you()).toMatchObject({ loggedIn: true, cartItems: 1 });

    store.getState().seek(1_000);
    expect(you()).toBeUndefined(); // You had sent nothing yet
    store.getState().setPlaying(true);
    frames.play(5_000);
    expect(you()).toMatchObject({ loggedIn: true, cartItems: 1 });
  });

  it("a what-if replays the teacher's failure and You's requests on the other store", async () => {
    const { store, frames } = livePage({ speed: 1 });
    frames.play(1_000);
    const answer = store.getState().send(login)!;
    const sessionNode = answer.headers['x-served-by']!;
    frames.play(1_000);
    store.getState().toggleNode(sessionNode);
    frames.play(3_000);
    const you = () => store.getState().clusters[0]!.snapshot.clients.find((c) => c.id === 'you');
    expect(you()).toMatchObject({ loggedIn: false });
    const replayed = await store.getState().whatIf({ store: 'shared' }, { schedule: (next) => queueMicrotask(next) });
    expect(replayed).toBe(true);
    expect(store.getState().clusters[0]!.snapshot.nodes.find((n) => n.id === sessionNode)!.status).toBe('down');
    expect(you()).toMatchObject({ loggedIn: true, sessionNode: 'store' });
  });
});

describe('what-if answers are computed ahead of the question', () => {
  /** Two identical pages, one of which never computes ahead: the answers must be the same. */
  async function answer(ahead: boolean) {
    const { store, frames } = livePage({ speed: 10, seed: 9 });
    if (!ahead) store.setState({ prepareWhatIfs: () => false });
    frames.play(1_500);
    const login = store.getState().send({
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: { user: 'Student' },
    })!;
    store.getState().toggleNode(login.headers['x-served-by']!);
    frames.play(2_000);
    const progressShown = await whatIfShowsProgress(store, { store: 'shared' });
    const [cluster] = store.getState().clusters;
    return {
      progressShown,
      metrics: cluster!.metrics,
      time: cluster!.snapshot.time,
      you: cluster!.snapshot.clients.find((c) => c.id === 'you'),
    };
  }

  it('the precomputed answer is the one a full replay gives, and it needs no progress bar', async () => {
    const ahead = await answer(true);
    const replayed = await answer(false);
    expect(ahead.progressShown).toBe(false);
    expect(replayed.progressShown).toBe(true);
    expect(ahead.time).toBe(replayed.time);
    expect(ahead.metrics).toEqual(replayed.metrics);
    expect(ahead.you).toMatchObject({ loggedIn: true, sessionNode: 'store' });
  });

  it('a command given in the past drops the precomputed run and the answer still follows the new branch', async () => {
    const { store, frames } = livePage({ speed: 10, seed: 9 });
    frames.play(2_000);
    store.getState().toggleNode('server-1');
    frames.play(1_000);
    store.getState().seek(8_000);
    store.getState().toggleNode('server-3'); // fork: server-1 never failed on this branch
    store.getState().setPlaying(true);
    frames.play(1_000);
    await store.getState().whatIf({ store: 'shared' }, { schedule: (next) => queueMicrotask(next) });
    const nodes = store.getState().clusters[0]!.snapshot.nodes;
    expect(nodes.find((n) => n.id === 'server-1')!.status).toBe('up');
    expect(nodes.find((n) => n.id === 'server-3')!.status).toBe('down');
  });
});

describe('after a what-if, the run left behind answers the what-if that undoes it', () => {
  /** A page that never builds a shadow itself: only the run a what-if leaves behind can answer ahead. */
  function page(seed: number) {
    const { store, frames } = livePage({ speed: 10, seed });
    store.setState({ prepareWhatIfs: () => false });
    return { store, frames };
  }
  const microtasks = { schedule: (next: () => void) => queueMicrotask(next) };

  it('undone at once, with no progress bar, and the same run a full replay gives', async () => {
    const { store, frames } = page(9);
    frames.play(2_000);
    store.getState().toggleNode('server-2');
    frames.play(1_000);
    const original = store.getState().runtime.sims.get('stateful')!;
    const before = { snapshot: original.snapshot(), metrics: original.metrics() };
    await store.getState().whatIf({ store: 'shared' }, microtasks);
    expect(await whatIfShowsProgress(store, { store: 'memory' })).toBe(false);
    const undone = store.getState().clusters[0]!;
    expect(undone.snapshot).toEqual(before.snapshot);
    expect(undone.metrics).toEqual(before.metrics);
    // And played on, it is the run a replay from the start gives.
    frames.play(1_500);
    const fresh = page(9);
    fresh.frames.play(2_000);
    fresh.store.getState().toggleNode('server-2');
    fresh.frames.play(2_500);
    const engine = (of: SimulationStore) => of.getState().runtime.sims.get('stateful')!;
    expect(engine(store).time).toBe(engine(fresh.store).time);
    expect(engine(store).metrics()).toEqual(engine(fresh.store).metrics());
  });

  it('a command given in the past since then drops it, and the undo follows the new branch', async () => {
    const { store, frames } = page(9);
    frames.play(2_000);
    await store.getState().whatIf({ store: 'shared' }, microtasks);
    store.getState().seek(10_000);
    store.getState().toggleNode('server-3'); // a fork: the run left behind never saw it
    store.getState().setPlaying(true);
    frames.play(500);
    expect(await whatIfShowsProgress(store, { store: 'memory' })).toBe(true);
    const nodes = store.getState().clusters[0]!.snapshot.nodes;
    expect(nodes.find((n) => n.id === 'server-3')!.status).toBe('down');
  });
});

describe('a lesson is a run on the timeline', () => {
  it("opened at a step, its commands are marks and rewinding reaches back to the step's start", async () => {
    const { createLessonRunner } = await import('../../src/lessons/runner');
    const store = createSimulationStore();
    createLessonRunner(store).open('failure', 2); // "The balancer notices": after the crash
    const { marks, headMs } = store.getState().timeline;
    expect(marks.filter(isCommandMark).map((m) => [m.timeMs, m.command])).toEqual([
      [15_000, { type: 'failNode', node: 'server-2' }],
    ]);
    expect(headMs).toBe(23_000);
    expect(store.getState().clusters.every((c) => c.snapshot.time === 23_000)).toBe(true);
    store.getState().seek(10_000);
    for (const cluster of store.getState().clusters) {
      expect(cluster.snapshot.nodes[1]!.status).toBe('up');
      expect(cluster.metrics.sessionsLost).toBe(0);
    }
  });
});

describe('Compare', () => {
  it('a linked failure is one mark on the timeline, not one per cluster', () => {
    const { store, frames } = livePage({ mode: 'compare' });
    frames.play(1_000);
    store.getState().toggleNode('server-2', 'stateful');
    expect(store.getState().timeline.marks).toHaveLength(1);
    expect(store.getState().clusters.map((c) => c.snapshot.nodes[1]!.status)).toEqual(['down', 'down']);
    store.getState().setLinkFailures(false);
    store.getState().toggleNode('server-3', 'stateless');
    expect(store.getState().timeline.marks.map((m) => m.cluster)).toEqual([undefined, 'stateless']);
  });
});

describe('while a what-if is replayed', () => {
  it("the page's own request is not answered (the HTTP adapter says 503) and nothing is recorded", () => {
    const { store, frames } = livePage({ seed: 9 });
    store.setState({ prepareWhatIfs: () => false }); // nothing computed ahead: a full replay
    frames.play(1_000);
    void store.getState().whatIf({ store: 'shared' }, { schedule: () => {} }); // slices never run: still replaying
    expect(store.getState().whatIfProgress).not.toBeNull();
    expect(
      store.getState().send({
        method: 'POST',
        path: '/api/login',
        headers: { 'content-type': 'application/json' },
        body: { user: 'Student' },
      }),
    ).toBeNull();
    expect(store.getState().timeline.marks).toHaveLength(0);
  });
});
