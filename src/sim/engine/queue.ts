/**
 * The discrete-event queue: events ordered by (time, insertion order). Two events at the same
 * simulated instant run in the order they were scheduled, which is what makes a run deterministic
 * and lets "the next turn of the event loop" be an event scheduled for `now`.
 */

interface Entry<T> {
  readonly time: number;
  readonly seq: number;
  readonly value: T;
}

function before<T>(a: Entry<T>, b: Entry<T>): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/** A binary min-heap: O(log n) push and pop. */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, value: T): void {
    const heap = this.heap;
    const entry: Entry<T> = { time, seq: this.counter++, value };
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The earliest event, or undefined when the queue is empty. */
  pop(): { readonly time: number; readonly value: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
