/**
 * The loss receipt: at the moment a node crashed, what each user lost (logged out, cart items, the
 * checkout step they were on) — and what the same users would have lost at the same moment had the
 * sessions lived elsewhere. Every column is computed, never asserted: the same scenario (same seed,
 * same users, the same teacher's commands and page requests up to the crash) is replayed with one
 * setting changed, stopped at the crash's time, and its users are read just before and just after
 * the same node fails.
 *
 * Pure of the page: the replays are plain engines and timelines. `LossReceiptReplay` advances them
 * in slices (runInSlices) so a long lecture's receipt never freezes the projector; `lossReceipt`
 * does it all at once (tests). A receipt keeps its columns' runs, stopped at its crash (the crash
 * itself is given to a copy): the next crash's receipt continues them from there when nothing
 * before changed, instead of replaying the whole lecture four times again at every crash.
 */
import { createSimulation, type ClientSnapshot, type Mode, type SessionStoreKind, type Snapshot } from '../engine';
import type { ClusterKey } from './clusterKey';
import { simConfigFor, type Scenario } from './scenario';
import { isCommandMark, timeOf, Timeline, type CommandMark, type TimelineMark } from './timeline';
import { isExtensionOf } from './whatIfShadows';

export type ReceiptColumnId = 'memory' | 'shared' | 'replicated' | 'jwt';

export interface ReceiptColumnSpec {
  id: ReceiptColumnId;
  /** The column's heading, as the room reads it. */
  label: string;
  /** The heading where room is short (the table on the stage). */
  short: string;
  mode: Mode;
  store: SessionStoreKind;
}

/**
 * The setups a receipt compares, in the order the lesson tells them: the stateful cases from "lost
 * with the node" to "kept elsewhere", then tokens. 'replicated' is a column only where the engine
 * knows that session store (otherwise the column says so: `available: false`).
 */
export const RECEIPT_COLUMNS: readonly ReceiptColumnSpec[] = [
  { id: 'memory', label: 'Sessions in node memory', short: 'Node memory', mode: 'stateful', store: 'memory' },
  { id: 'shared', label: 'Shared store', short: 'Shared store', mode: 'stateful', store: 'shared' },
  // Typed through string: the replicated store is newer than some engines this file is built with.
  {
    id: 'replicated',
    label: 'Replicated sessions',
    short: 'Replicated',
    mode: 'stateful',
    store: 'replicated' as string as SessionStoreKind,
  },
  { id: 'jwt', label: 'JWTs (stateless)', short: 'JWTs', mode: 'stateless', store: 'memory' },
];

/** What one user lost when the node failed (all zero / false: nothing). */
export interface UserLoss {
  loggedOut: boolean;
  cartItems: number;
  /** The checkout step (1–3) the user was on and is back before; 0: none lost. */
  checkoutStep: number;
}

export const NO_LOSS: Readonly<UserLoss> = Object.freeze({ loggedOut: false, cartItems: 0, checkoutStep: 0 });

export interface ReceiptTotals {
  loggedOut: number;
  cartItems: number;
  /** Users sent back from a checkout step. */
  checkouts: number;
}

/**
 * A setup's column of the receipt: the setup (whether it is the run on screen is asked of
 * `isThisRun` with the scenario shown now — a what-if that moves the sessions keeps the receipt).
 */
export interface ReceiptColumn extends ReceiptColumnSpec {
  /** False: this engine cannot run the setup (its cells are empty, not zero). */
  available: boolean;
  totals: ReceiptTotals;
}

export interface ReceiptRow {
  client: string;
  name: string;
  /** By column id; absent for a column that is not available. */
  losses: Partial<Record<ReceiptColumnId, UserLoss>>;
}

export interface LossReceipt {
  crashMs: number;
  /** The node(s) that failed at that moment. */
  nodes: readonly string[];
  columns: readonly ReceiptColumn[];
  /** Users who lost something in any column, in the clients' order. */
  rows: readonly ReceiptRow[];
}

/** A crash on the timeline: the failNode commands given at one moment. */
export interface Crash {
  timeMs: number;
  nodes: string[];
}

/** The latest crash at or before `timeMs` (a rewind to before it: none), or null. */
export function lastCrashAt(marks: readonly TimelineMark[], timeMs: number): Crash | null {
  let crash: Crash | null = null;
  for (const mark of marks) {
    if (mark.timeMs > timeMs) break;
    if (!isCommandMark(mark) || mark.command.type !== 'failNode') continue;
    const node = mark.command.node;
    if (crash === null || crash.timeMs !== mark.timeMs) crash = { timeMs: mark.timeMs, nodes: [node] };
    else if (!crash.nodes.includes(node)) crash.nodes.push(node);
  }
  return crash;
}

/** What one user lost between two snapshots taken either side of a crash at `crashMs`. */
export function userLoss(before: ClientSnapshot, after: ClientSnapshot | undefined, crashMs: number): UserLoss {
  const now = after ?? before;
  // A login whose session died before its answer arrived: not logged in yet, but the crash logged them out.
  const lostNow = now.lostAtMs === crashMs && before.lostAtMs !== crashMs;
  return {
    loggedOut: (before.loggedIn && !now.loggedIn) || lostNow,
    // The session's cart on the server is what died with it (the user's own view can be a request behind).
    cartItems: lostNow ? now.lostCartItems : Math.max(0, before.cartItems - now.cartItems),
    checkoutStep: before.checkoutStep > 0 && now.checkoutStep < before.checkoutStep ? before.checkoutStep : 0,
  };
}

function lostAnything(loss: UserLoss): boolean {
  return loss.loggedOut || loss.cartItems > 0 || loss.checkoutStep > 0;
}

/** Each user's loss between two snapshots of one cluster (every client of `before`). */
export function lossesBetween(before: Snapshot, after: Snapshot, crashMs: number): Map<string, UserLoss> {
  const afterById = new Map(after.clients.map((c) => [c.id, c]));
  return new Map(before.clients.map((c) => [c.id, userLoss(c, afterById.get(c.id), crashMs)]));
}

export function totalsOf(losses: Iterable<UserLoss>): ReceiptTotals {
  const totals: ReceiptTotals = { loggedOut: 0, cartItems: 0, checkouts: 0 };
  for (const loss of losses) {
    if (loss.loggedOut) totals.loggedOut++;
    totals.cartItems += loss.cartItems;
    if (loss.checkoutStep > 0) totals.checkouts++;
  }
  return totals;
}

/** The source of a receipt: the run's scenario, its epoch (tokens' iat) and its marks. */
export interface ReceiptSource {
  scenario: Scenario;
  epochMs: number;
  marks: readonly TimelineMark[];
}

/**
 * What a receipt's numbers depend on in a scenario: not its speed, nor where its sessions live (its
 * mode and store): every column sets those for itself. A what-if that only moves the sessions keeps
 * the receipt; only which column is "this run" changes (isThisRun).
 */
export function receiptSetup(scenario: Scenario): Omit<Scenario, 'speed' | 'mode' | 'store'> {
  const { speed: _speed, mode: _mode, store: _store, ...setup } = scenario;
  return setup;
}

/** Whether a column's setup is the run on screen. */
export function isThisRun(column: ReceiptColumnSpec, scenario: Scenario): boolean {
  if (column.mode === 'stateless') return scenario.mode !== 'stateful';
  return scenario.mode !== 'stateless' && scenario.store === column.store;
}

type ColumnSims = Map<ClusterKey, ReturnType<typeof createSimulation>>;

interface ColumnReplay {
  spec: ReceiptColumnSpec;
  sims: ColumnSims | null;
  timeline: Timeline | null;
  losses: Map<string, UserLoss> | null;
  names: Map<string, string>;
}

/**
 * The replays behind one receipt. `step(simMs)` advances every column's replay by at most `simMs`
 * of simulated time and returns true once all have reached the crash (then `receipt()` answers).
 */
export class LossReceiptReplay {
  private readonly replays: ColumnReplay[];
  /** The marks replayed (those before the crash). */
  private readonly before: readonly TimelineMark[];
  /** Per column, its run stopped at the crash (not given it), for the next receipt to continue. */
  private readonly kept: ({ sims: ColumnSims; timeline: Timeline } | null)[];
  /** Whether this receipt continued the last one's runs instead of replaying from the start. */
  readonly continued: boolean;

  constructor(
    private readonly source: ReceiptSource,
    readonly crash: Crash,
    previous: LossReceiptReplay | null = null,
  ) {
    const { scenario, epochMs, marks } = source;
    // The run up to the crash, the crash itself left out: it is given to every column by hand (a
    // failure given to one Compare cluster only is still the crash every column is asked about).
    const before = marks.filter((mark) => mark.timeMs < crash.timeMs);
    this.before = before;
    this.continued = previous !== null && previous.continuesTo(source, crash, before);
    const from = this.continued ? previous! : null;
    this.kept = RECEIPT_COLUMNS.map(() => null);
    this.replays = RECEIPT_COLUMNS.map((spec, column) => {
      const kept = from?.kept[column] ?? null;
      if (from !== null && kept !== null) {
        // The last receipt's run of this column, stopped at its crash: take the marks since then.
        kept.timeline.takeMarks(kept.sims, before, from.before.length);
        from.kept[column] = null;
        return { spec, sims: kept.sims, timeline: kept.timeline, losses: null, names: new Map() };
      }
      const setup: Scenario = { ...scenario, mode: spec.mode, store: spec.store };
      try {
        const sims = new Map([[spec.mode, createSimulation(simConfigFor(setup, spec.mode, epochMs))]]);
        // One checkpoint: nothing seeks in a receipt's run; it only goes forward.
        const timeline = Timeline.forReplay(sims, before, crash.timeMs, 1);
        return { spec, sims, timeline, losses: null, names: new Map() };
      } catch {
        // This engine does not know the setup (its config validation refused it): an empty column.
        return { spec, sims: null, timeline: null, losses: null, names: new Map() };
      }
    });
  }

  /** Whether this receipt's kept runs can go on to `crash` of `source`: the same run, nothing before changed. */
  private continuesTo(source: ReceiptSource, crash: Crash, before: readonly TimelineMark[]): boolean {
    if (source.epochMs !== this.source.epochMs || crash.timeMs < this.crash.timeMs) return false;
    if (this.kept.every((kept) => kept === null)) return false;
    if (JSON.stringify(receiptSetup(source.scenario)) !== JSON.stringify(receiptSetup(this.source.scenario)))
      return false;
    return isExtensionOf(before, this.before, this.crash.timeMs);
  }

  step(simMs: number): boolean {
    let done = true;
    for (const [column, replay] of this.replays.entries()) {
      const { sims, timeline } = replay;
      if (sims === null || timeline === null || replay.losses !== null) continue;
      const left = this.crash.timeMs - timeOf(sims);
      if (left > 0) timeline.advance(sims, Math.min(left, simMs));
      if (timeOf(sims) < this.crash.timeMs) {
        done = false;
        continue;
      }
      // The run is kept as it stands for the next receipt; the crash is given to a copy.
      this.kept[column] = { sims, timeline };
      const sim = sims.values().next().value!.fork();
      const before = sim.snapshot();
      for (const node of this.crash.nodes) {
        try {
          sim.apply({ type: 'failNode', node } satisfies CommandMark['command']);
        } catch {
          // No such node in this setup (or already down): nothing more lost.
        }
      }
      replay.losses = lossesBetween(before, sim.snapshot(), this.crash.timeMs);
      for (const client of before.clients) replay.names.set(client.id, client.name);
      replay.sims = null;
      replay.timeline = null;
    }
    return done;
  }

  /** The receipt, once `step` returned true. */
  receipt(): LossReceipt {
    const order: string[] = [];
    const names = new Map<string, string>();
    for (const replay of this.replays)
      for (const [id, name] of replay.names) {
        if (!names.has(id)) order.push(id);
        names.set(id, name);
      }
    const rows: ReceiptRow[] = [];
    for (const id of order) {
      const losses: ReceiptRow['losses'] = {};
      let any = false;
      for (const replay of this.replays) {
        if (replay.losses === null) continue;
        const loss = replay.losses.get(id) ?? NO_LOSS;
        losses[replay.spec.id] = loss;
        any ||= lostAnything(loss);
      }
      if (any) rows.push({ client: id, name: names.get(id) ?? id, losses });
    }
    return {
      crashMs: this.crash.timeMs,
      nodes: [...this.crash.nodes],
      rows,
      columns: this.replays.map(({ spec, losses }) => ({
        ...spec,
        available: losses !== null,
        totals: totalsOf(losses?.values() ?? []),
      })),
    };
  }
}

/** The receipt of `crash` in one go (tests; the page uses LossReceiptReplay in slices). */
export function lossReceipt(source: ReceiptSource, crash: Crash): LossReceipt {
  const replay = new LossReceiptReplay(source, crash);
  while (!replay.step(60_000));
  return replay.receipt();
}
