/**
 * Time you can rewind. The engine is deterministic, so a run is fully described by its start and
 * the teacher's commands at their simulated times. The timeline keeps that log plus periodic
 * checkpoints (forks of every cluster); jumping to any moment forks the nearest earlier checkpoint
 * and replays at most one checkpoint interval, so a jump costs about the same however long the run.
 *
 * Behind the head of the run, playing replays the recorded commands at their times, like a video.
 * A new command there forks the run: the recorded future is dropped and the new branch continues.
 *
 * Everything that changes a run is recorded here: the teacher's commands *and* the page's own HTTP
 * requests ("You"), so rewind, fork and what-if replay exactly what the room saw.
 */
import {
  unpackSimulation,
  type Command,
  type HttpRequest,
  type Mode,
  type PackedSimulation,
  type Simulation,
} from '../engine';
import type { ClusterKey } from './clusterKey';

/** A teacher's command (fail a node, add one…), shown as a mark on the scrubber. */
export interface CommandMark {
  timeMs: number;
  command: Command;
  /** undefined: every cluster (a linked failure, or a single cluster). */
  cluster?: ClusterKey;
}

/** One of the page's own requests (the "You" client), replayed through `send()`. */
export interface RequestMark {
  timeMs: number;
  request: HttpRequest;
  cluster?: ClusterKey;
  /** The mode that answered it: a what-if in the other mode does not replay it (its cookie or token means nothing there). */
  mode: Mode;
}

export type TimelineMark = CommandMark | RequestMark;

export function isCommandMark(mark: TimelineMark): mark is CommandMark {
  return 'command' in mark;
}

/**
 * Every cluster at one moment: forks (`sims`), or — a checkpoint a Web Worker took while it replayed
 * a what-if — as it was packed there (`packed`), unpacked only when a jump starts from it.
 */
interface Checkpoint {
  timeMs: number;
  sims?: Map<ClusterKey, Simulation>;
  packed?: PackedClusters;
}

/** Clusters packed for another thread (Simulation.pack). */
export type PackedClusters = [ClusterKey, PackedSimulation][];

export interface PackedCheckpoint {
  timeMs: number;
  clusters: PackedClusters;
}

/**
 * A replayed run's timeline as a Web Worker hands it over with the answer: its marks and spacing
 * (its checkpoints were sent one by one as they were taken: `forReplay`'s sink).
 */
export interface TimelineOutline {
  marks: readonly TimelineMark[];
  headMs: number;
  spacingMs: number;
  maxCheckpoints: number;
}

export function packClusters(sims: ReadonlyMap<ClusterKey, Simulation>): PackedClusters {
  return [...sims].map(([key, sim]) => [key, sim.pack()]);
}

export function unpackClusters(clusters: PackedClusters): Map<ClusterKey, Simulation> {
  return new Map(clusters.map(([key, packed]) => [key, unpackSimulation(packed)]));
}

/** Simulated ms between checkpoints of a classroom-sized run (up to 200 clients in all). */
export const CHECKPOINT_INTERVAL_MS = 5_000;
/** Clients a checkpoint every CHECKPOINT_INTERVAL_MS is sized for. */
const CLIENTS_PER_INTERVAL = 200;

/**
 * Simulated ms between checkpoints for these clusters. A checkpoint is a fork, whose cost grows with
 * the clients (≈ 6 ms at 200, ≈ 30 ms at 1,000): a bigger run takes them further apart (a power of
 * two times the base), so the page spends about the same on them per simulated second, and a jump
 * replays at most one interval of a bigger run.
 */
export function checkpointSpacingFor(sims: ReadonlyMap<ClusterKey, Simulation>): number {
  let clients = 0;
  for (const sim of sims.values()) clients += sim.config.clients;
  return CHECKPOINT_INTERVAL_MS * 2 ** Math.max(0, Math.ceil(Math.log2(clients / CLIENTS_PER_INTERVAL)));
}
/** Beyond this many checkpoints one is dropped for each one taken: coverage stays whole, memory level. */
const MAX_CHECKPOINTS = 120;
/** What the live run's checkpoints may hold in all, and the fewest a big run keeps. */
const CHECKPOINT_BUDGET_BYTES = 160 * 2 ** 20;
const MIN_CHECKPOINTS = 30;
/** A checkpoint's size per client (a fork of 1,000 clients on 4 nodes is ~2.6 MB, measured with --expose-gc). */
const CHECKPOINT_BYTES_PER_CLIENT = 2_700;

/**
 * How many checkpoints a run of these clusters keeps: 120 up to ~500 clients in all, fewer beyond
 * (60 at 1,000, 30 for Compare at 1,000), so a big hall's rewind history fits in about 160 MB — at the
 * cost of longer jumps (a jump replays at most the gap between two checkpoints).
 */
export function checkpointCapFor(sims: ReadonlyMap<ClusterKey, Simulation>): number {
  let clients = 0;
  for (const sim of sims.values()) clients += sim.config.clients;
  const fits = Math.floor(CHECKPOINT_BUDGET_BYTES / (CHECKPOINT_BYTES_PER_CLIENT * Math.max(1, clients)));
  return Math.max(MIN_CHECKPOINTS, Math.min(MAX_CHECKPOINTS, fits));
}

export class Timeline {
  private marksList: TimelineMark[] = [];
  private checkpoints: Checkpoint[] = [];
  private spacingMs: number;
  /** Where a replay's checkpoints go instead of being kept (a worker sends each to the page as it is taken). */
  private sink: ((checkpoint: PackedCheckpoint) => void) | null = null;
  /** Checkpoints kept packed, not forked (a what-if computed ahead in a worker: ready to post as they are). */
  private packing = false;
  /** Checkpoints that arrive after the run was handed over (receiveCheckpoint) belong to it up to here. */
  private lateUntilMs = Infinity;
  /** The furthest simulated time this run has reached. */
  headMs = 0;

  /** `maxCheckpoints`: memory against jump cost (a checkpoint of 200 clients is ~0.3–0.5 MB). */
  constructor(
    sims: ReadonlyMap<ClusterKey, Simulation>,
    private maxCheckpoints = checkpointCapFor(sims),
  ) {
    this.spacingMs = checkpointSpacingFor(sims);
    this.checkpoints.push({ timeMs: timeOf(sims), sims: forkAll(sims) });
    this.headMs = timeOf(sims);
  }

  /**
   * A timeline for `sims` (fresh clusters) that will replay `marks` up to `untilMs` as they are
   * advanced — what-if. Marks at the start are applied at once. Checkpoints are spaced for the
   * whole span from the outset, so a long replay takes no more forks than it keeps.
   */
  static forReplay(
    sims: ReadonlyMap<ClusterKey, Simulation>,
    marks: readonly TimelineMark[],
    untilMs: number,
    maxCheckpoints = checkpointCapFor(sims),
    /** How far the replay is expected to go, for spacing its checkpoints (a shadow following a live run). */
    spanMs = untilMs,
    /**
     * Where its checkpoints go, packed, as they are taken, instead of being kept here: a worker
     * sends each to the page, so its own heap stays small (this timeline can then not jump).
     */
    sink?: (checkpoint: PackedCheckpoint) => void,
  ): Timeline {
    const timeline = new Timeline(sims, maxCheckpoints);
    if (sink !== undefined) {
      timeline.sink = sink;
      const first = timeline.checkpoints[0]!;
      sink({ timeMs: first.timeMs, clusters: packClusters(first.sims!) });
      timeline.checkpoints[0] = { timeMs: first.timeMs };
    }
    if (Number.isFinite(spanMs)) while (spanMs / timeline.spacingMs > maxCheckpoints) timeline.spacingMs *= 2;
    timeline.marksList = marks.filter((mark) => mark.timeMs <= untilMs && isFor(sims, mark));
    for (const mark of timeline.marksList) if (mark.timeMs === timeOf(sims)) applyMark(sims, mark);
    return timeline;
  }

  /** The timeline a Web Worker replayed (`outline()` there), with the checkpoints its sink sent, in order. */
  static fromOutline(outline: TimelineOutline, checkpoints: readonly PackedCheckpoint[]): Timeline {
    const timeline = new Timeline(new Map(), outline.maxCheckpoints);
    timeline.spacingMs = outline.spacingMs;
    timeline.marksList = [...outline.marks];
    timeline.headMs = outline.headMs;
    timeline.checkpoints = [];
    // Kept as the replay took them: one dropped for each one over the cap, as addCheckpoint does.
    for (const { timeMs, clusters } of checkpoints) {
      timeline.checkpoints.push({ timeMs, packed: clusters });
      if (timeline.checkpoints.length > timeline.maxCheckpoints) timeline.dropOneCheckpoint();
    }
    if (timeline.checkpoints.length === 0) throw new Error('a replayed timeline needs its first checkpoint');
    return timeline;
  }

  /**
   * From now on keeps its checkpoints packed (Simulation.pack) instead of forked: a what-if computed
   * ahead in a Web Worker, whose checkpoints are posted to the page as they are when it is asked.
   */
  keepPacked(): void {
    this.packing = true;
    for (const checkpoint of this.checkpoints)
      if (checkpoint.sims !== undefined) {
        checkpoint.packed = packClusters(checkpoint.sims);
        delete checkpoint.sims;
      }
  }

  /** Its checkpoints, packed, oldest first (a timeline that `keepPacked`). */
  packedCheckpoints(): PackedCheckpoint[] {
    return this.checkpoints.map(({ timeMs, sims, packed }) => ({
      timeMs,
      clusters: packed ?? packClusters(sims!),
    }));
  }

  /**
   * A checkpoint of this run that arrives after it was handed over (a what-if computed ahead in a
   * worker sends its answer first, its past after): put in its place. One from beyond a fork made
   * since (`endAt`) belongs to the dropped branch and is ignored.
   */
  receiveCheckpoint({ timeMs, clusters }: PackedCheckpoint): void {
    if (timeMs > this.lateUntilMs || this.checkpoints.some((checkpoint) => checkpoint.timeMs === timeMs)) return;
    let at = this.checkpoints.length;
    while (at > 0 && this.checkpoints[at - 1]!.timeMs > timeMs) at--;
    this.checkpoints.splice(at, 0, { timeMs, packed: clusters });
    if (this.checkpoints.length > this.maxCheckpoints) this.dropOneCheckpoint();
  }

  /** This timeline without its checkpoints (its sink sent those), for another thread (fromOutline there). */
  outline(): TimelineOutline {
    return {
      marks: this.marksList,
      headMs: this.headMs,
      spacingMs: this.spacingMs,
      maxCheckpoints: this.maxCheckpoints,
    };
  }

  /**
   * Takes a newer list of marks for a replay that is under way (a what-if shadow following the live
   * run): `marks` is the old list plus new marks, none before the replay's current time (the caller
   * checks). A new mark exactly at the current time is applied now — the live run gave it after
   * every event up to that moment, just as here; later ones are applied as time passes.
   */
  takeMarks(sims: ReadonlyMap<ClusterKey, Simulation>, marks: readonly TimelineMark[], firstNew: number): void {
    const nowMs = timeOf(sims);
    for (let i = firstNew; i < marks.length; i++) {
      const mark = marks[i]!;
      if (mark.timeMs === nowMs) applyMark(sims, mark);
    }
    this.marksList = marks.filter((mark) => isFor(sims, mark));
  }

  /** A new array whenever a mark is added or dropped, so views can compare by identity. */
  get marks(): readonly TimelineMark[] {
    return this.marksList;
  }

  /** Records a teacher's command at the clusters' current time; behind the head it forks the run. */
  record(sims: ReadonlyMap<ClusterKey, Simulation>, command: Command, cluster?: ClusterKey): void {
    const nowMs = this.forkHere(sims);
    // With a single cluster the command belongs to the run, not to a cluster: a what-if replay in
    // the other mode applies it too.
    const scoped = cluster !== undefined && sims.size > 1;
    this.marksList = [...this.marksList, scoped ? { timeMs: nowMs, command, cluster } : { timeMs: nowMs, command }];
  }

  /** Records one of the page's own requests, answered by `cluster` just now; behind the head it forks the run. */
  recordRequest(sims: ReadonlyMap<ClusterKey, Simulation>, request: HttpRequest, cluster: ClusterKey): void {
    const nowMs = this.forkHere(sims);
    const mode = sims.get(cluster)?.config.mode ?? cluster;
    this.marksList = [
      ...this.marksList,
      sims.size > 1 ? { timeMs: nowMs, request, cluster, mode } : { timeMs: nowMs, request, mode },
    ];
  }

  /** The run's time; a change given behind the head drops the recorded future there. */
  private forkHere(sims: ReadonlyMap<ClusterKey, Simulation>): number {
    const nowMs = timeOf(sims);
    if (nowMs < this.headMs) this.endAt(nowMs);
    return nowMs;
  }

  /**
   * Advances every cluster by `ms`, applying recorded commands on the way (when replaying behind
   * the head) and taking checkpoints as time passes.
   */
  advance(sims: ReadonlyMap<ClusterKey, Simulation>, ms: number): void {
    const fromMs = timeOf(sims);
    const untilMs = fromMs + ms;
    const marks = this.marksList.filter((mark) => mark.timeMs > fromMs && mark.timeMs <= untilMs);
    let markIndex = 0;
    // Checkpoints fall on multiples of the spacing, so they land in the same places on a replay.
    // At equal times a checkpoint comes before a command, as it does when the run is live.
    const spacingMs = this.spacingAt(untilMs);
    let nextCheckpointMs = (Math.floor(fromMs / spacingMs) + 1) * spacingMs;
    for (;;) {
      const mark = marks[markIndex];
      const markMs = mark?.timeMs ?? Infinity;
      if (nextCheckpointMs <= untilMs && nextCheckpointMs <= markMs) {
        advanceAllTo(sims, nextCheckpointMs);
        if (nextCheckpointMs > this.lastCheckpointMs()) this.addCheckpoint(sims);
        nextCheckpointMs += spacingMs;
      } else if (mark !== undefined) {
        advanceAllTo(sims, markMs);
        applyMark(sims, mark);
        markIndex++;
      } else {
        break;
      }
    }
    advanceAllTo(sims, untilMs);
    this.headMs = Math.max(this.headMs, untilMs);
  }

  /** The time of the latest checkpoint strictly before `timeMs`, or null (none is). */
  checkpointBefore(timeMs: number): number | null {
    let found: number | null = null;
    for (const checkpoint of this.checkpoints) if (checkpoint.timeMs < timeMs) found = checkpoint.timeMs;
    return found;
  }

  /** Fresh clusters at `timeMs` (clamped to the run so far), forked from the nearest checkpoint. */
  seek(timeMs: number): Map<ClusterKey, Simulation> {
    const target = Math.max(this.checkpoints[0]!.timeMs, Math.min(timeMs, this.headMs));
    let checkpoint = this.checkpoints[0]!;
    for (const candidate of this.checkpoints) if (candidate.timeMs <= target) checkpoint = candidate;
    const sims = restore(checkpoint);
    // Marks exactly at the checkpoint's time were applied after it was taken: replay them too.
    for (const mark of this.marksList)
      if (mark.timeMs === checkpoint.timeMs && mark.timeMs <= target) applyMark(sims, mark);
    const head = this.headMs;
    this.advance(sims, target - checkpoint.timeMs);
    this.headMs = head;
    return sims;
  }

  /**
   * The spacing of new checkpoints when the run reaches `timeMs`: the base spacing, doubled until
   * the run so far holds at most twice the cap. Once the cap is reached one checkpoint is dropped
   * for each one taken, so the gaps even out at about two run-lengths / cap anyway; spacing new ones
   * as widely means a long lecture no longer forks every cluster every few simulated seconds (at
   * 20× with 200 clients, four forks a second per timeline — the live run's and each what-if's —
   * and the garbage they leave) for checkpoints that are soon dropped.
   */
  private spacingAt(timeMs: number): number {
    let spacingMs = this.spacingMs;
    while (timeMs / spacingMs > 2 * this.maxCheckpoints) spacingMs *= 2;
    return spacingMs;
  }

  private lastCheckpointMs(): number {
    return this.checkpoints[this.checkpoints.length - 1]!.timeMs;
  }

  private addCheckpoint(sims: ReadonlyMap<ClusterKey, Simulation>): void {
    if (this.sink !== null) {
      // Only its time is kept: where the next one falls, and which one a full list would drop.
      this.sink({ timeMs: timeOf(sims), clusters: packClusters(sims) });
      this.checkpoints.push({ timeMs: timeOf(sims) });
      return;
    }
    this.checkpoints.push(
      this.packing
        ? { timeMs: timeOf(sims), packed: packClusters(sims) }
        : { timeMs: timeOf(sims), sims: forkAll(sims) },
    );
    if (this.checkpoints.length > this.maxCheckpoints) this.dropOneCheckpoint();
  }

  /**
   * Keeps the count at its cap by dropping the one checkpoint whose absence leaves the shortest gap
   * (the earliest of equals; never the first or the last). Memory stays level once the cap is reached
   * — no saw-tooth of halving and refilling — and the gaps even out as the run grows, so a jump
   * replays at most about two run-lengths / cap.
   */
  private dropOneCheckpoint(): void {
    const points = this.checkpoints;
    let drop = 1;
    let shortest = Infinity;
    for (let index = 1; index < points.length - 1; index++) {
      const gap = points[index + 1]!.timeMs - points[index - 1]!.timeMs;
      if (gap < shortest) {
        shortest = gap;
        drop = index;
      }
    }
    points.splice(drop, 1);
  }

  /** Keeps at most `max` checkpoints from now on (a live run kept as a what-if computed ahead holds fewer). */
  capCheckpoints(max: number): void {
    this.maxCheckpoints = max;
    while (this.checkpoints.length > max) this.dropOneCheckpoint();
  }

  /** How many checkpoints this run holds (each a fork of every cluster). */
  get checkpointCount(): number {
    return this.checkpoints.length;
  }

  /**
   * Ends the run at `timeMs`: the marks, checkpoints and head after it are dropped. A what-if asked
   * of a rewound moment answers from that moment on, as a fork does.
   */
  endAt(timeMs: number): void {
    this.marksList = this.marksList.filter((mark) => mark.timeMs <= timeMs);
    this.checkpoints = this.checkpoints.filter((checkpoint) => checkpoint.timeMs <= timeMs);
    this.headMs = timeMs;
    this.lateUntilMs = Math.min(this.lateUntilMs, timeMs);
  }
}

/** Whether a mark concerns one of these clusters (a mark for no cluster in particular concerns all). */
function isFor(sims: ReadonlyMap<ClusterKey, Simulation>, mark: TimelineMark): boolean {
  return mark.cluster === undefined || sims.has(mark.cluster);
}

/** The simulated time of a set of clusters (they always advance together). */
export function timeOf(sims: ReadonlyMap<ClusterKey, Simulation>): number {
  for (const sim of sims.values()) return sim.time;
  return 0;
}

/** Fresh clusters as they were at a checkpoint (forked or unpacked: the checkpoint stays as it is). */
function restore(checkpoint: Checkpoint): Map<ClusterKey, Simulation> {
  return checkpoint.sims !== undefined ? forkAll(checkpoint.sims) : unpackClusters(checkpoint.packed!);
}

function forkAll(sims: ReadonlyMap<ClusterKey, Simulation>): Map<ClusterKey, Simulation> {
  return new Map([...sims].map(([key, sim]) => [key, sim.fork()]));
}

function advanceAllTo(sims: ReadonlyMap<ClusterKey, Simulation>, timeMs: number): void {
  for (const sim of sims.values()) if (timeMs > sim.time) sim.advance(timeMs - sim.time);
}

function applyMark(sims: ReadonlyMap<ClusterKey, Simulation>, mark: TimelineMark): void {
  for (const [key, sim] of sims) {
    if (mark.cluster !== undefined && mark.cluster !== key) continue;
    try {
      if (isCommandMark(mark)) sim.apply(mark.command);
      else if (sim.config.mode === mark.mode) sim.send(mark.request);
    } catch {
      // It was refused when first given too (the store shows that notice); a replay stays silent.
    }
  }
}
