/**
 * Chaos harness for the page's state: a store driven like the page drives it (the clock on manual
 * animation frames, what-if slices between frames, lessons through their runner, "You" through
 * `store.send`), a list of every user action — one line each — and the checks run after each one.
 *
 * Add an action: one line in ACTIONS. `n` is a random natural number the action may use to pick a
 * node, a cluster, a time or a lesson.
 */
import { expect } from 'vitest';
import {
  createSimulation,
  OUTSIDE_CLIENT,
  readSetCookie,
  type HttpRequest,
  type Metrics,
  type Simulation,
  type Snapshot,
} from '../../src/engine';
import { startClock } from '../../src/state/clock';
import { createSimulationStore, type ClusterKey, type SimulationStore } from '../../src/state/simulationStore';
import { clusterModesFor, PAGE_NODE_LIMIT, simConfigFor, type Scenario } from '../../src/state/scenario';
import { whatIfChoices } from '../../src/state/whatIfChoices';
import { apiClusterFor } from '../../src/state/apiCluster';
import { isCommandMark, timeOf } from '../../src/state/timeline';
import { createLessonRunner, type LessonRunner } from '../../src/lessons/runner';
import { LESSONS } from '../../src/lessons/lessons';
import { useUi } from '../../src/state/uiStore';

/** "You": the page's own client, holding what a browser would (cookies) and what the page keeps (token, cart). */
interface You {
  sid: string | null;
  lb: string | null;
  token: string | null;
  cart: string[];
  step: number;
}

export interface World {
  store: SimulationStore;
  lessons: LessonRunner;
  /** Plays `ms` of wall time in 60 Hz frames; a pending what-if slice runs between two frames. */
  play(ms: number): void;
  /** Runs every pending what-if slice (the browser's tasks). */
  drainTasks(): void;
  you: You;
  /** The last totals seen per engine object: within one run they only grow. */
  seen: WeakMap<Simulation, { total: number; lost: number; carts: number; time: number }>;
  whatIfs: Promise<boolean>[];
  /** Requests finished, per engine object, from the events the page listens to. */
  finished: WeakMap<Simulation, Set<number>>;
}

export function createWorld(initial: Partial<Scenario>): World {
  const store = createSimulationStore(initial);
  let pending: ((wallMs: number) => void) | null = null;
  let wallMs = 0;
  const tasks: (() => void)[] = [];
  startClock(
    store,
    (callback) => {
      pending = callback;
      return 1;
    },
    () => {
      pending = null;
    },
  );
  useUi.getState().set({ lesson: null });
  const world: World = {
    store,
    lessons: createLessonRunner(store),
    play(ms) {
      for (const end = wallMs + ms; wallMs < end;) {
        wallMs = Math.min(end, wallMs + 1000 / 60);
        const callback = pending;
        pending = null;
        callback?.(wallMs);
        tasks.shift()?.();
      }
    },
    drainTasks() {
      while (tasks.length > 0) tasks.shift()!();
    },
    you: { sid: null, lb: null, token: null, cart: [], step: 0 },
    seen: new WeakMap(),
    whatIfs: [],
    finished: new WeakMap(),
  };
  // Every request that starts ends exactly once: no id finishes twice in one run.
  store.running.onEvent((key, event) => {
    if (event.type !== 'request.finished') return;
    const sim = store.getState().runtime.sims.get(key);
    if (sim === undefined) return;
    const ids = world.finished.get(sim) ?? new Set<number>();
    world.finished.set(sim, ids);
    expect(ids.has(event.id), `${key}: request ${event.id} finished twice`).toBe(false);
    ids.add(event.id);
  });
  // What-if slices are queued like the browser's setTimeout tasks, run between frames.
  (world as World & { schedule: (next: () => void) => void }).schedule = (next) => void tasks.push(next);
  return world;
}

const s = (w: World) => w.store.getState();
const clusterKeys = (w: World): ClusterKey[] => [...s(w).runtime.sims.keys()];
const pickCluster = (w: World, n: number): ClusterKey => clusterKeys(w)[n % clusterKeys(w).length]!;
function nodeIds(w: World, cluster?: ClusterKey): string[] {
  const sim = s(w).runtime.sims.get(cluster ?? clusterKeys(w)[0]!);
  return sim?.snapshot().nodes.map((node) => node.id) ?? [];
}
const pickNode = (w: World, n: number, cluster?: ClusterKey): string => {
  const ids = nodeIds(w, cluster);
  // Now and then a node that does not exist: the store must refuse it with a notice.
  return n % 17 === 16 ? `server-${ids.length + 3}` : ids[n % Math.max(1, ids.length)]!;
};
const schedule = (w: World) => (w as World & { schedule: (next: () => void) => void }).schedule;

/** One of You's requests, sent through the store like the page's fetch, and what You keep of the answer. */
function youSend(w: World, what: 'login' | 'profile' | 'add' | 'cart' | 'checkout' | 'logout' | 'forged', n: number) {
  const you = w.you;
  const mode = s(w).runtime.sims.get(apiClusterFor(s(w).scenario.mode))?.config.mode ?? 'stateful';
  const headers: Record<string, string> = {};
  if (mode === 'stateless' && you.token !== null) headers.authorization = `Bearer ${you.token}`;
  if (mode === 'stateful') {
    const cookies = [you.sid && `sid=${you.sid}`, you.lb && `lb=${you.lb}`].filter(Boolean);
    if (cookies.length > 0) headers.cookie = cookies.join('; ');
  }
  const carried = mode === 'stateless' ? { cart: you.cart } : {};
  const requests: Record<typeof what, HttpRequest> = {
    login: { method: 'POST', path: '/api/login', headers: {}, body: { user: `you${n % 3}` } },
    profile: { method: 'GET', path: '/api/profile', headers },
    add: { method: 'POST', path: '/api/cart/items', headers, body: { item: `item-${n % 5}`, ...carried } },
    cart: {
      method: 'GET',
      path: '/api/cart',
      headers: mode === 'stateless' ? { ...headers, 'x-cart': JSON.stringify(you.cart) } : headers,
    },
    checkout: { method: 'POST', path: '/api/checkout', headers, body: { step: Math.min(3, you.step + 1), ...carried } },
    logout: { method: 'POST', path: '/api/logout', headers },
    forged: {
      method: 'GET',
      path: '/api/profile',
      headers: { authorization: `Bearer ${(you.token ?? 'a.b.c').slice(0, -2)}xx`, cookie: 'sid=forged' },
    },
  };
  const response = s(w).send(requests[what]);
  if (response === null) {
    expect(s(w).whatIfProgress, 'send answers null only while a what-if is replayed').not.toBeNull();
    return;
  }
  expect(response.status, `${what}: a status`).toBeGreaterThanOrEqual(200);
  expect(response.status, `${what}: never a 500 with internals`).not.toBe(500);
  const body = (response.body ?? {}) as Record<string, unknown>;
  const sid = readSetCookie(response.headers['set-cookie'], 'sid');
  const lb = readSetCookie(response.headers['set-cookie'], 'lb');
  if (sid !== null) you.sid = sid === '' ? null : sid;
  if (lb !== null) you.lb = lb === '' ? null : lb;
  if (response.status !== 200) return;
  if (typeof body.token === 'string') you.token = body.token;
  if (Array.isArray(body.cart)) you.cart = body.cart.filter((item): item is string => typeof item === 'string');
  if (what === 'checkout') you.step = body.done === true ? 0 : typeof body.step === 'number' ? body.step : you.step;
  if (what === 'logout') Object.assign(you, { token: null, cart: [], step: 0 });
}

/** Fails a node through the store and checks what the room must see lost: exactly the sessions it held in memory. */
function toggleNode(w: World, n: number): void {
  const cluster = pickCluster(w, n >> 3);
  const node = pickNode(w, n, cluster);
  const linked = s(w).linkFailures;
  const before = new Map(
    [...s(w).runtime.sims].map(([key, sim]) => {
      const held = sim.snapshot().nodes.find((x) => x.id === node);
      return [key, { sim, lost: sim.metrics().sessionsLost, held }] as const;
    }),
  );
  s(w).toggleNode(node, cluster);
  for (const [key, { sim, lost, held }] of before) {
    if (held === undefined || held.status !== 'up' || (!linked && key !== cluster)) continue;
    if (s(w).runtime.sims.get(key) !== sim) continue;
    const memory = sim.config.mode === 'stateful' && sim.config.sessionStore === 'memory';
    expect(sim.metrics().sessionsLost - lost, `${key}: failing ${node} loses the sessions it held`).toBe(
      memory ? held.sessions : 0,
    );
  }
}

function whatIf(w: World, n: number, drain: boolean): void {
  const choices = whatIfChoices(s(w).scenario);
  if (choices.length === 0) return;
  const choice = choices[n % choices.length]!;
  w.whatIfs.push(s(w).whatIf(choice.change, { label: choice.label, schedule: schedule(w) }));
  if (drain) w.drainTasks();
}

type Action = (w: World, n: number) => void;

/** Every user action that exists, one line each. */
export const ACTIONS = {
  play: (w, n) => w.play(16 + (n % 4_000)),
  playLong: (w, n) => w.play(5_000 + (n % 20_000)),
  pause: (w) => s(w).togglePlaying(),
  step: (w) => s(w).step(),
  toggleNode: (w, n) => toggleNode(w, n),
  addNode: (w) => nodeIds(w).length < PAGE_NODE_LIMIT && s(w).apply({ type: 'addNode' }),
  removeNode: (w, n) => s(w).apply({ type: 'removeNode', node: pickNode(w, n) }),
  failStore: (w, n) => s(w).apply({ type: 'failStore' }, pickCluster(w, n)),
  recoverStore: (w, n) => s(w).apply({ type: 'recoverStore' }, pickCluster(w, n)),
  unlink: (w) => s(w).setLinkFailures(!s(w).linkFailures),
  mode: (w, n) => s(w).setScenario({ mode: (['stateless', 'stateful', 'compare'] as const)[n % 3]! }),
  store: (w, n) => s(w).setScenario({ store: (['memory', 'shared', 'replicated'] as const)[n % 3]! }),
  replication: (w, n) => s(w).setScenario({ replication: n % 2 === 0 ? 'all' : 'backup' }),
  preset: (w, n) => s(w).setScenario({ preset: (['haproxy', 'nginx', 'envoy'] as const)[n % 3]! }),
  drain: (w, n) => s(w).apply({ type: 'drainNode', node: pickNode(w, n) }),
  cutLink: (w, n) => s(w).apply({ type: 'cutStoreLink', node: pickNode(w, n) }, pickCluster(w, n)),
  restoreLink: (w, n) => s(w).apply({ type: 'restoreStoreLink', node: pickNode(w, n) }, pickCluster(w, n)),
  idem: (w) => s(w).setScenario({ idem: !s(w).scenario.idem }),
  deploy: (w, n) => s(w).apply({ type: 'deploy', drain: n % 2 === 0 }, pickCluster(w, n)),
  rotateKey: (w, n) =>
    s(w).apply(
      n % 2 === 0 ? { type: 'rotateKey' } : { type: 'rotateKey', nodes: nodeIds(w).slice(0, -1) },
      pickCluster(w, n),
    ),
  lazy: (w, n) => s(w).apply({ type: 'setVerify', node: pickNode(w, n), verify: n % 3 === 0 }, pickCluster(w, n)),
  ban: (w, n) => s(w).apply({ type: 'banUser', user: `c${1 + (n % 12)}` }, pickCluster(w, n)),
  pay: (w, n) => s(w).setScenario({ pay: [0, 2_000, 10_000][n % 3]! }),
  sticky: (w) => s(w).setScenario({ sticky: !s(w).scenario.sticky }),
  deny: (w) => s(w).setScenario({ deny: !s(w).scenario.deny }),
  refresh: (w) => s(w).setScenario({ refresh: !s(w).scenario.refresh }),
  balancer: (w, n) => s(w).setScenario({ lb: (['round-robin', 'least-connections', 'random'] as const)[n % 3]! }),
  nodes: (w, n) => s(w).setScenario({ nodes: 1 + (n % 6) }),
  clients: (w, n) => s(w).setScenario({ clients: 1 + (n % 24) }),
  speed: (w, n) => s(w).setScenario({ speed: [0.25, 1, 2, 5, 20, 1000, -3][n % 7]! }),
  reset: (w) => s(w).reset(),
  seek: (w, n) => s(w).seek((n % 1_000) * (s(w).timeline.headMs / 999)),
  seekStart: (w) => s(w).seek(0),
  whatIf: (w, n) => whatIf(w, n, true),
  whatIfThenAct: (w, n) => whatIf(w, n, false),
  lessonOpen: (w, n) => w.lessons.open(LESSONS[n % LESSONS.length]!.id, n % 7),
  lessonNext: (w) => w.lessons.next(),
  lessonBack: (w) => w.lessons.back(),
  lessonExit: (w) => w.lessons.exit(),
  youLogin: (w, n) => youSend(w, 'login', n),
  youProfile: (w, n) => youSend(w, 'profile', n),
  youAdd: (w, n) => youSend(w, 'add', n),
  youCart: (w, n) => youSend(w, 'cart', n),
  youCheckout: (w, n) => youSend(w, 'checkout', n),
  youLogout: (w, n) => youSend(w, 'logout', n),
  youForged: (w, n) => youSend(w, 'forged', n),
  dismiss: (w) => s(w).dismissNotice(0),
} satisfies Record<string, Action>;

export type ActionName = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];
export type ChaosStep = [ActionName, number];

/** Every number in a snapshot or metrics: finite and not negative. */
function checkNumbers(value: unknown, path: string): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
    expect(value, `${path} is negative`).toBeGreaterThanOrEqual(0);
  } else if (Array.isArray(value)) value.forEach((item, i) => checkNumbers(item, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) checkNumbers(item, `${path}.${key}`);
}

function checkCluster(
  key: ClusterKey,
  snapshot: Snapshot,
  metrics: Metrics,
  scenario: Scenario,
  state: Snapshot,
): void {
  checkNumbers(snapshot, `${key}.snapshot`);
  checkNumbers(metrics, `${key}.metrics`);
  const { requests } = metrics;
  expect(requests.ok + requests.failed, `${key}: ok + failed = finished`).toBe(requests.total);
  expect(
    Object.values(metrics.byStatus).reduce((a, b) => a + b, 0),
    `${key}: statuses add up`,
  ).toBe(requests.total);
  const simulated = snapshot.clients.filter((client) => client.id !== OUTSIDE_CLIENT);
  expect(simulated.length, `${key}: every user drawn`).toBe(scenario.clients);
  for (const node of snapshot.nodes) {
    expect(node.sessionClients.length, `${key} ${node.id}: sessions counted`).toBe(node.sessions);
    expect(node.queued, `${key} ${node.id}: queued ≤ inside`).toBeLessThanOrEqual(node.inFlight);
    if (node.status === 'down') expect(node.sessions, `${key} ${node.id}: a dead node holds nothing`).toBe(0);
    if (snapshot.mode === 'stateless' || snapshot.sessionStore === 'shared')
      expect(node.sessions, `${key} ${node.id}: no sessions in node memory`).toBe(0);
  }
  for (const client of snapshot.clients)
    expect(client.checkoutStep, `${key} ${client.id}: checkout step`).toBeLessThanOrEqual(3);
  // Users and nodes agree on where sessions live — in the run's state (a fork: the live snapshot's
  // cache can be stale, a pending engine bug, see pending/staleSnapshot.test.ts).
  for (const client of state.clients) {
    if (client.sessionNode !== null && state.sessionStore === 'memory' && state.mode === 'stateful') {
      const home = state.nodes.find((node) => node.id === client.sessionNode);
      expect(home?.sessionClients, `${key} ${client.id}: its session is where it says`).toContain(client.id);
    }
  }
  if (snapshot.mode === 'stateless') {
    expect(metrics.sessionsLost, `${key}: stateless loses no session`).toBe(0);
    expect(metrics.cartItemsLost, `${key}: stateless loses no cart`).toBe(0);
  }
}

/** The cheap checks, after every action. */
export function checkWorld(w: World): void {
  const state = s(w);
  const { runtime, scenario } = state;
  expect([...runtime.sims.keys()].sort(), 'the clusters of the scenario').toEqual(clusterModesFor(scenario).sort());
  const now = timeOf(runtime.sims);
  for (const sim of runtime.sims.values()) expect(sim.time, 'clusters move together').toBe(now);
  expect(scenario.speed).toBeGreaterThanOrEqual(0.25);
  expect(scenario.speed).toBeLessThanOrEqual(20);
  // The timeline: now ≤ head, marks in time order.
  const { timeline } = runtime;
  expect(now, 'the time shown is within the run').toBeLessThanOrEqual(timeline.headMs);
  const marks = timeline.marks;
  for (let i = 1; i < marks.length; i++)
    expect(marks[i]!.timeMs, 'marks in time order').toBeGreaterThanOrEqual(marks[i - 1]!.timeMs);
  for (const mark of marks) expect(mark.timeMs, 'no mark past the head').toBeLessThanOrEqual(timeline.headMs);
  expect(state.notices.length).toBeLessThanOrEqual(5);
  if (state.whatIfProgress !== null) {
    expect(state.playing).toBe(false);
    expect(state.whatIfProgress.fraction).toBeGreaterThanOrEqual(0);
    expect(state.whatIfProgress.fraction).toBeLessThanOrEqual(1);
  }
  // What the page shows, once published.
  state.publish();
  const published = s(w);
  expect(published.timeline.headMs).toBe(timeline.headMs);
  for (const view of published.clusters) {
    expect(view.snapshot.time).toBe(now);
    const sim = runtime.sims.get(view.key)!;
    checkCluster(view.key, view.snapshot, view.metrics, scenario, sim.fork().snapshot());
    const last = w.seen.get(sim);
    const m = view.metrics;
    if (last !== undefined) {
      // The same run, later: nothing finished un-finishes, nothing lost comes back.
      expect(m.requests.total, `${view.key}: finished requests only grow`).toBeGreaterThanOrEqual(last.total);
      expect(m.sessionsLost, `${view.key}: sessions lost only grow`).toBeGreaterThanOrEqual(last.lost);
      expect(m.cartItemsLost).toBeGreaterThanOrEqual(last.carts);
      expect(sim.time).toBeGreaterThanOrEqual(last.time);
    }
    w.seen.set(sim, { total: m.requests.total, lost: m.sessionsLost, carts: m.cartItemsLost, time: sim.time });
  }
}

const fingerprint = (sim: Simulation): string => JSON.stringify({ snapshot: sim.snapshot(), metrics: sim.metrics() });

/**
 * A run's state, read from a fork: a fork has no snapshot cache, so this compares what the run *is*.
 * (Whether the live snapshot is stale is checkSnapshotsFresh's question: see engineBugs.ts.)
 */
const stateOf = (sim: Simulation): string => fingerprint(sim.fork());

/** The snapshot the page shows is the run's state now, not a cached one from before. */
export function checkSnapshotsFresh(w: World, label: string): void {
  for (const [key, sim] of s(w).runtime.sims)
    expect(fingerprint(sim), `${label}: ${key}'s snapshot is up to date`).toBe(stateOf(sim));
}

/**
 * The run rebuilt from nothing — the scenario, its epoch and the timeline's marks, applied at their
 * times on fresh clusters — with none of the timeline's checkpoints, forks or shadows.
 */
export function replayFromScratch(w: World, untilMs: number): Map<ClusterKey, Simulation> {
  const { scenario, runtime } = s(w);
  const sims = new Map(
    clusterModesFor(scenario).map((key) => [key, createSimulation(simConfigFor(scenario, key, runtime.epochMs))]),
  );
  const advanceTo = (t: number) => {
    for (const sim of sims.values()) if (t > sim.time) sim.advance(t - sim.time);
  };
  for (const mark of runtime.timeline.marks) {
    if (mark.timeMs > untilMs) break;
    advanceTo(mark.timeMs);
    for (const [key, sim] of sims) {
      if (mark.cluster !== undefined && mark.cluster !== key) continue;
      try {
        if (isCommandMark(mark)) sim.apply(mark.command);
        else if (sim.config.mode === mark.mode) sim.send(mark.request);
      } catch {
        // Refused live too.
      }
    }
  }
  advanceTo(untilMs);
  return sims;
}

/** The expensive check: what is on screen is what a replay from scratch gives. */
export function checkReplay(w: World, label: string): void {
  const { runtime } = s(w);
  const now = timeOf(runtime.sims);
  const fresh = replayFromScratch(w, now);
  for (const [key, sim] of runtime.sims) {
    expect(stateOf(sim), `${label}: ${key} at ${now} ms equals a replay from scratch`).toBe(stateOf(fresh.get(key)!));
  }
}

/** Runs a chaos sequence, checking after each action; the replay check after seeks, what-ifs and every few steps. */
export async function runChaos(initial: Partial<Scenario>, steps: readonly ChaosStep[]): Promise<void> {
  const w = createWorld(initial);
  checkWorld(w);
  for (const [index, [name, n]] of steps.entries()) {
    const wasProgress = s(w).whatIfProgress !== null;
    ACTIONS[name](w, n);
    // Let a finished what-if install its run (a microtask after its last slice).
    await settle();
    checkWorld(w);
    if (name === 'seek' || name === 'seekStart' || name === 'whatIf' || index % 6 === 5 || wasProgress)
      if (s(w).whatIfProgress === null) checkReplay(w, `after step ${index} (${name} ${n})`);
  }
  w.drainTasks();
  await settle();
  await Promise.all(w.whatIfs);
  checkWorld(w);
  checkReplay(w, 'at the end');
  // A seek to any moment shows what a replay to that moment shows.
  const head = s(w).timeline.headMs;
  for (const t of [0, head / 3, head / 2, head]) {
    s(w).seek(t);
    checkWorld(w);
    checkReplay(w, `seek(${t})`);
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
