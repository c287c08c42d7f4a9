/**
 * The simulation's agenda: a binary min-heap of timed callbacks. Ties in time are broken by
 * insertion order, which is what makes a run deterministic.
 */
export interface Scheduled {
  time: number;
  seq: number;
  /** Handlers are long-lived bound methods and take their subject as an argument: no closure per event. */
  run: (subject: never) => void;
  subject: unknown;
}

export class EventQueue {
  private heap: Scheduled[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest event, or Infinity when the agenda is empty. */
  peekTime(): number {
    return this.heap.length > 0 ? this.heap[0]!.time : Infinity;
  }

  push<T>(time: number, run: (subject: T) => void, subject: T): void {
    const item: Scheduled = { time, seq: this.nextSeq++, run: run as (subject: never) => void, subject };
    const heap = this.heap;
    let index = heap.length;
    heap.push(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.time < time || (parent.time === time && parent.seq < item.seq)) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = item;
  }

  pop(): Scheduled | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const length = heap.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let child = left;
      let childItem = heap[left]!;
      if (right < length) {
        const rightItem = heap[right]!;
        if (rightItem.time < childItem.time || (rightItem.time === childItem.time && rightItem.seq < childItem.seq)) {
          child = right;
          childItem = rightItem;
        }
      }
      if (last.time < childItem.time || (last.time === childItem.time && last.seq < childItem.seq)) break;
      heap[index] = childItem;
      index = child;
    }
    heap[index] = last;
    return top;
  }
}
