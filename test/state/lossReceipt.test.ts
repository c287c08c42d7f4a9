/** The loss receipt: what a crash cost each user, and what the same users would have lost elsewhere. */
import { describe, expect, it } from 'vitest';
import { createSimulation, type SimEvent } from '../../src/engine';
import { DEFAULT_SCENARIO, simConfigFor, type Scenario } from '../../src/state/scenario';
import {
  isThisRun,
  lastCrashAt,
  lossReceipt,
  LossReceiptReplay,
  receiptSetup,
  type LossReceipt,
  type ReceiptColumnId,
} from '../../src/state/lossReceipt';
import type { TimelineMark } from '../../src/state/timeline';

const EPOCH = 1_700_000_000_000;
const scenario: Scenario = { ...DEFAULT_SCENARIO, seed: 7, clients: 12 };
const failServer2 = { type: 'failNode', node: 'server-2' } as const;
const crashAt20: TimelineMark[] = [{ timeMs: 20_000, command: failServer2 }];

function receipt(marks: TimelineMark[] = crashAt20, of: Scenario = scenario): LossReceipt {
  return lossReceipt({ scenario: of, epochMs: EPOCH, marks }, lastCrashAt(marks, Infinity)!);
}

function column(r: LossReceipt, id: ReceiptColumnId) {
  return r.columns.find((c) => c.id === id)!;
}

describe('the loss receipt', () => {
  it('states the lesson in numbers: seed 7, 12 clients, Server 2 crashed at 20 s', () => {
    const r = receipt();
    expect(r.crashMs).toBe(20_000);
    expect(r.nodes).toEqual(['server-2']);
    // Sessions in node memory (this run): three users logged out, four cart items and a checkout gone.
    expect(isThisRun(column(r, 'memory'), scenario)).toBe(true);
    expect(column(r, 'memory')).toMatchObject({
      available: true,
      totals: { loggedOut: 3, cartItems: 4, checkouts: 1 },
    });
    expect(r.rows.map((row) => [row.name, row.losses.memory])).toEqual([
      ['Bo', { loggedOut: true, cartItems: 0, checkoutStep: 0 }],
      ['Di', { loggedOut: true, cartItems: 3, checkoutStep: 2 }],
      ['Hal', { loggedOut: true, cartItems: 1, checkoutStep: 0 }],
    ]);
    // The same users, the same crash: a shared store and tokens lose nothing.
    for (const id of ['shared', 'jwt'] as const) {
      expect(isThisRun(column(r, id), scenario)).toBe(false);
      expect(column(r, id).available).toBe(true);
      expect(column(r, id).totals).toEqual({ loggedOut: 0, cartItems: 0, checkouts: 0 });
      for (const row of r.rows) expect(row.losses[id]).toEqual({ loggedOut: false, cartItems: 0, checkoutStep: 0 });
    }
  });

  it('is computed, not asserted: the memory column is what the engine itself reports lost at the crash', () => {
    const sim = createSimulation(simConfigFor(scenario, 'stateful', EPOCH));
    const lost: Extract<SimEvent, { type: 'session.lost' }>[] = [];
    sim.subscribe((event) => {
      if (event.type === 'session.lost') lost.push(event);
    });
    sim.advance(20_000);
    sim.apply(failServer2);
    expect(lost).toHaveLength(1);
    const r = receipt();
    const names = new Map(sim.snapshot().clients.map((c) => [c.id, c.name]));
    expect(
      r.rows
        .filter((row) => row.losses.memory!.loggedOut)
        .map((row) => row.name)
        .sort(),
    ).toEqual(lost[0]!.clients.map((id) => names.get(id)).sort());
    expect(column(r, 'memory').totals.cartItems).toBe(lost[0]!.cartItems);
  });

  it('counts the cart the server lost, even while a cart request has not told the user yet', () => {
    // At 17.4 s a cart request is in flight: the server's cart and the user's own view of it differ.
    const at = 17_400;
    const sim = createSimulation(simConfigFor(scenario, 'stateful', EPOCH));
    const lost: Extract<SimEvent, { type: 'session.lost' }>[] = [];
    sim.subscribe((event) => {
      if (event.type === 'session.lost') lost.push(event);
    });
    sim.advance(at);
    const before = sim.snapshot().clients;
    sim.apply(failServer2);
    const users = new Set(lost[0]!.clients);
    const ownView = before.filter((c) => users.has(c.id)).reduce((sum, c) => sum + c.cartItems, 0);
    expect(ownView).not.toBe(lost[0]!.cartItems);
    // The receipt and Metrics agree: what died with the session is the server's cart.
    const marks: TimelineMark[] = [{ timeMs: at, command: failServer2 }];
    expect(column(receipt(marks), 'memory').totals.cartItems).toBe(lost[0]!.cartItems);
    expect(sim.metrics().cartItemsLost).toBe(lost[0]!.cartItems);
  });

  it('marks the column of the run on screen, whichever it is', () => {
    const onShared = { ...scenario, store: 'shared' as const };
    const shared = receipt(crashAt20, onShared);
    expect(shared.columns.filter((c) => isThisRun(c, onShared)).map((c) => c.id)).toEqual(['shared']);
    // The numbers do not depend on which setup the room is watching.
    expect(shared.columns.map((c) => c.totals)).toEqual(receipt().columns.map((c) => c.totals));
    const onCompare = { ...scenario, mode: 'compare' as const };
    const compare = receipt(crashAt20, onCompare);
    expect(compare.columns.filter((c) => isThisRun(c, onCompare)).map((c) => c.id)).toEqual(['memory', 'jwt']);
  });

  it('the next crash continues the last receipt’s runs, and reads exactly as a replay from the start', () => {
    // A lecture: Server 2 crashes at 20 s, recovers at 30 s, Server 1 crashes at 45 s, Server 2 again at 70 s.
    const marks: TimelineMark[] = [
      ...crashAt20,
      { timeMs: 30_000, command: { type: 'recoverNode', node: 'server-2' } },
      { timeMs: 45_000, command: { type: 'failNode', node: 'server-1' } },
      { timeMs: 70_000, command: failServer2 },
    ];
    const source = (upTo: number) => ({ scenario, epochMs: EPOCH, marks: marks.filter((m) => m.timeMs <= upTo) });
    let last: LossReceiptReplay | null = null;
    for (const at of [20_000, 45_000, 70_000]) {
      const crash = lastCrashAt(source(at).marks, Infinity)!;
      const replay: LossReceiptReplay = new LossReceiptReplay(source(at), crash, last);
      expect(replay.continued).toBe(last !== null);
      while (!replay.step(7_000));
      expect(replay.receipt()).toEqual(lossReceipt(source(at), crash));
      last = replay;
    }
    // Something changed before the crash (a rewind that forked the run): it replays from the start.
    const forked = [...marks.slice(0, 2), { timeMs: 40_000, command: { type: 'failNode', node: 'server-3' } } as const];
    const crash = lastCrashAt(forked, Infinity)!;
    const replay = new LossReceiptReplay({ scenario, epochMs: EPOCH, marks: forked }, crash, last);
    expect(replay.continued).toBe(false);
    while (!replay.step(60_000));
    expect(replay.receipt()).toEqual(lossReceipt({ scenario, epochMs: EPOCH, marks: forked }, crash));
  });

  it('a what-if that only moves the sessions keeps the receipt: its runs continue, its numbers are the same', () => {
    const first = new LossReceiptReplay(
      { scenario, epochMs: EPOCH, marks: crashAt20 },
      lastCrashAt(crashAt20, Infinity)!,
    );
    while (!first.step(60_000));
    const later: TimelineMark[] = [...crashAt20, { timeMs: 45_000, command: { type: 'failNode', node: 'server-1' } }];
    const crash = lastCrashAt(later, Infinity)!;
    const fresh = lossReceipt({ scenario, epochMs: EPOCH, marks: later }, crash);
    let last = first;
    for (const moved of [
      { ...scenario, store: 'shared' },
      { ...scenario, mode: 'stateless' },
      { ...scenario, mode: 'compare' },
    ] as Scenario[]) {
      expect(receiptSetup(moved)).toEqual(receiptSetup(scenario));
      const next = new LossReceiptReplay({ scenario: moved, epochMs: EPOCH, marks: later }, crash, last);
      expect(next.continued).toBe(true);
      while (!next.step(60_000));
      expect(next.receipt().columns.map((c) => c.totals)).toEqual(fresh.columns.map((c) => c.totals));
      expect(next.receipt().rows).toEqual(fresh.rows);
      last = next;
    }
    // What the numbers do depend on (here sticky routing) still starts the replay over.
    const sticky = new LossReceiptReplay(
      { scenario: { ...scenario, sticky: !scenario.sticky }, epochMs: EPOCH, marks: later },
      crash,
      last,
    );
    expect(sticky.continued).toBe(false);
  });

  it('replays what happened before the crash: an earlier crash of Server 1 changes who is left to lose', () => {
    const marks: TimelineMark[] = [{ timeMs: 8_000, command: { type: 'failNode', node: 'server-1' } }, ...crashAt20];
    const r = receipt(marks);
    expect(r.crashMs).toBe(20_000);
    expect(column(r, 'memory').totals).not.toEqual(column(receipt(), 'memory').totals);
  });

  it('shows the latest crash at the moment shown, and none before it (a rewind hides it)', () => {
    const marks: TimelineMark[] = [
      { timeMs: 5_000, command: { type: 'addNode' } as never },
      { timeMs: 20_000, command: failServer2 },
      { timeMs: 20_000, command: { type: 'failNode', node: 'server-3' } },
      { timeMs: 30_000, command: { type: 'recoverNode', node: 'server-2' } },
    ];
    expect(lastCrashAt(marks, 19_999)).toBeNull();
    expect(lastCrashAt(marks, 20_000)).toEqual({ timeMs: 20_000, nodes: ['server-2', 'server-3'] });
    expect(lastCrashAt(marks, 45_000)).toEqual({ timeMs: 20_000, nodes: ['server-2', 'server-3'] });
  });
});
