/**
 * The simulation's agenda: timed events ordered by (time, insertion order). Ties in time are
 * broken by insertion order, which is what makes a run deterministic.
 *
 * Built for speed without changing that order:
 * - An event is a small integer `kind` (the simulation switches on it) and a `subject`, kept in
 *   parallel arrays: no object is allocated per event, so nothing short-lived piles up for the
 *   garbage collector, and the agenda holds no functions (a fork copies plain data).
 * - Most events happen a FIXED delay after now (network latencies). Events pushed with the same
 *   delay arrive in time order, so they wait in a FIFO `lane` (append, take from the front)
 *   instead of the binary heap. pop() takes the earliest of the heap's top and the lanes' fronts,
 *   comparing (time, seq) exactly as one heap would: the order is the same, only cheaper. A lane
 *   is only a hint — an event that would break a lane's order goes to the heap instead.
 */

/**
 * A FIFO of events in (time, seq) order: a ring buffer that doubles when full, so steady traffic
 * allocates nothing.
 */
export class Lane<S> {
  times = new Float64Array(64);
  seqs = new Float64Array(64);
  kinds = new Uint8Array(64);
  subjects: (S | null)[] = new Array<S | null>(64).fill(null);
  /** Index of the first event; `size` events follow it, wrapping around. */
  head = 0;
  size = 0;

  lastTime(): number {
    return this.times[(this.head + this.size - 1) & (this.times.length - 1)]!;
  }

  append(time: number, seq: number, kind: number, subject: S | null): void {
    if (this.size === this.times.length) this.grow();
    const at = (this.head + this.size) & (this.times.length - 1);
    this.times[at] = time;
    this.seqs[at] = seq;
    this.kinds[at] = kind;
    this.subjects[at] = subject;
    this.size++;
  }

  private grow(): void {
    const capacity = this.times.length;
    const order = (from: number): number => (this.head + from) & (capacity - 1);
    const times = new Float64Array(capacity * 2);
    const seqs = new Float64Array(capacity * 2);
    const kinds = new Uint8Array(capacity * 2);
    const subjects = new Array<S | null>(capacity * 2).fill(null);
    for (let i = 0; i < capacity; i++) {
      times[i] = this.times[order(i)]!;
      seqs[i] = this.seqs[order(i)]!;
      kinds[i] = this.kinds[order(i)]!;
      subjects[i] = this.subjects[order(i)]!;
    }
    Object.assign(this, { times, seqs, kinds, subjects, head: 0 });
  }
}

export class EventQueue<S> {
  // The binary heap, as parallel arrays indexed alike; `count` entries are in use. Typed arrays
  // that double when full: no per-push bookkeeping, nothing to shrink when the heap empties.
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private kinds = new Uint8Array(1024);
  private subjects: (S | null)[] = new Array<S | null>(1024).fill(null);
  private count = 0;
  private readonly lanes: Lane<S>[];
  private nextSeq = 0;

  /** The event last taken by pop(). */
  time = 0;
  kind = 0;
  subject: S | null = null;

  constructor(laneCount = 0) {
    this.lanes = Array.from({ length: laneCount }, () => new Lane<S>());
  }

  get size(): number {
    let size = this.count;
    for (const lane of this.lanes) size += lane.size;
    return size;
  }

  /** Time of the earliest event, or Infinity when the agenda is empty. */
  peekTime(): number {
    let earliest = this.count > 0 ? this.times[0]! : Infinity;
    for (const lane of this.lanes) {
      if (lane.size > 0 && lane.times[lane.head]! < earliest) earliest = lane.times[lane.head]!;
    }
    return earliest;
  }

  /**
   * Schedules an event. With a `lane`, the caller promises a fixed delay for that lane (so times
   * arrive in order); if the promise is broken the event simply goes to the heap.
   */
  push(time: number, kind: number, subject: S | null, lane = -1): void {
    const seq = this.nextSeq++;
    if (lane >= 0) {
      const fifo = this.lanes[lane]!;
      if (fifo.size === 0 || fifo.lastTime() <= time) {
        fifo.append(time, seq, kind, subject);
        return;
      }
    }
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const kinds = this.kinds;
    const subjects = this.subjects;
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const parentTime = times[parent]!;
      // seq only grows, so a parent at the same time is always earlier: no seq comparison needed.
      if (parentTime <= time) break;
      times[index] = parentTime;
      seqs[index] = seqs[parent]!;
      kinds[index] = kinds[parent]!;
      subjects[index] = subjects[parent]!;
      index = parent;
    }
    times[index] = time;
    seqs[index] = seq;
    kinds[index] = kind;
    subjects[index] = subject;
  }

  /**
   * Takes the earliest event, if it is due by `until`, into `time`, `kind` and `subject`; false
   * when there is none that early (or none at all).
   */
  pop(until = Infinity): boolean {
    // Which source holds the earliest (time, seq): -1 the heap, else a lane.
    let source = -2;
    let bestTime = Infinity;
    let bestSeq = Infinity;
    if (this.count > 0) {
      source = -1;
      bestTime = this.times[0]!;
      bestSeq = this.seqs[0]!;
    }
    const lanes = this.lanes;
    for (let i = 0; i < lanes.length; i++) {
      const lane = lanes[i]!;
      if (lane.size === 0) continue;
      const time = lane.times[lane.head]!;
      if (time < bestTime || (time === bestTime && lane.seqs[lane.head]! < bestSeq)) {
        source = i;
        bestTime = time;
        bestSeq = lane.seqs[lane.head]!;
      }
    }
    if (source === -2 || bestTime > until) return false;
    if (source >= 0) {
      const lane = lanes[source]!;
      const head = lane.head;
      this.time = bestTime;
      this.kind = lane.kinds[head]!;
      this.subject = lane.subjects[head]!;
      lane.subjects[head] = null;
      lane.head = (head + 1) & (lane.times.length - 1);
      lane.size--;
      return true;
    }
    this.time = bestTime;
    this.kind = this.kinds[0]!;
    this.subject = this.subjects[0]!;
    this.popHeap();
    return true;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    times.set(this.times);
    const seqs = new Float64Array(capacity);
    seqs.set(this.seqs);
    const kinds = new Uint8Array(capacity);
    kinds.set(this.kinds);
    this.times = times;
    this.seqs = seqs;
    this.kinds = kinds;
    this.subjects.length = capacity;
    this.subjects.fill(null, capacity / 2);
  }

  private popHeap(): void {
    const times = this.times;
    const seqs = this.seqs;
    const kinds = this.kinds;
    const subjects = this.subjects;
    const length = --this.count;
    const lastTime = times[length]!;
    const lastSeq = seqs[length]!;
    const lastKind = kinds[length]!;
    const lastSubject = subjects[length]!;
    subjects[length] = null;
    if (length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childTime = times[left]!;
      if (right < length) {
        const rightTime = times[right]!;
        if (rightTime < childTime || (rightTime === childTime && seqs[right]! < seqs[left]!)) {
          child = right;
          childTime = rightTime;
        }
      }
      if (lastTime < childTime || (lastTime === childTime && lastSeq < seqs[child]!)) break;
      times[index] = childTime;
      seqs[index] = seqs[child]!;
      kinds[index] = kinds[child]!;
      subjects[index] = subjects[child]!;
      index = child;
    }
    times[index] = lastTime;
    seqs[index] = lastSeq;
    kinds[index] = lastKind;
    subjects[index] = lastSubject;
  }
}
