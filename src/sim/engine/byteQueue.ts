/** Bytes arriving in pieces; taken out whole once enough are there (no re-scanning, no O(n²)). */
export class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  length = 0;

  push(b: Uint8Array): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
  }

  /** The first `n` bytes (n ≤ length), without removing them. */
  peek(n: number): Uint8Array {
    const first = this.chunks[this.head]!;
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let at = 0;
    for (let i = this.head; at < n; i++) {
      const c = this.chunks[i]!;
      const k = Math.min(c.length, n - at);
      out.set(c.subarray(0, k), at);
      at += k;
    }
    return out;
  }

  take(n: number): Uint8Array {
    const out = this.peek(n);
    let left = n;
    while (left > 0) {
      const c = this.chunks[this.head]!;
      if (c.length <= left) {
        left -= c.length;
        this.head++;
      } else {
        this.chunks[this.head] = c.subarray(left);
        left = 0;
      }
    }
    this.length -= n;
    if (this.head > 64) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** Index just past the first CRLF CRLF, or -1. Scans from `from` (bytes already searched). */
  headEnd(from: number): number {
    const all = this.peek(this.length);
    for (let i = Math.max(0, from - 3); i + 3 < all.length; i++) {
      if (all[i] === 13 && all[i + 1] === 10 && all[i + 2] === 13 && all[i + 3] === 10) return i + 4;
    }
    return -1;
  }
}
