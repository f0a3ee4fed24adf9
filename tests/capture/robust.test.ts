/**
 * Whatever the bytes, `readPacketCapture` returns (never throws), keeps what it could read, and says what it could
 * not: truncations, bit flips and splices of real captures (fast-check), wrong magic numbers, the limits, a cancel.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../src/capture/files';
import type { CaptureProgress } from '../../src/capture/model';
import { readPacketCapture, type PacketCaptureRead } from '../../src/capture/read';

const DIR = join(__dirname, '../fixtures/capture');
const FILES = [
  'dumpcap-lo.pcap',
  'dumpcap-lo-ipv6.pcapng',
  'tcpdump-any-sll2.pcap',
  'chromium-wss-dsb.pcapng',
].map((f) => new Uint8Array(readFileSync(join(DIR, f))));

/** A loaded machine (two cores shared by six engineers) can take far longer than vitest's default for hundreds of reads. */
const PROPERTY_TIMEOUT = 180_000;

/** Where each record ends, and the offsets where a record or block starts (the fixtures' pcapng are little-endian). */
function layout(bytes: Uint8Array): { ends: Map<number, number>; starts: Set<number> } {
  const ends = new Map<number, number>();
  const starts = new Set<number>([bytes.length]);
  readCaptureFile(bytes, (r) => {
    ends.set(r.record, r.end);
    starts.add(r.offset);
    starts.add(r.end);
  });
  if (bytes[0] === 0x0a) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < bytes.length; at += dv.getUint32(at + 4, true)) starts.add(at);
  }
  return { ends, starts };
}

/** Whatever came back is well formed: ranges and fields inside each record, streams pointing at real segments. */
function wellFormed(r: PacketCaptureRead): void {
  for (const s of r.segments) {
    expect(s.ranges.payload[1]).toBeLessThanOrEqual(s.data.length);
    for (const f of s.fields) expect(f.end).toBeLessThanOrEqual(s.data.length);
    expect(r.streams[s.stream]).toBeDefined();
  }
  for (const st of r.streams) {
    for (const i of st.segments) expect(r.segments[i]!.stream).toBe(st.id);
    for (const d of st.directions)
      for (const c of d.chunks) expect(c.offset + c.length).toBeLessThanOrEqual(d.bytes.length);
  }
  for (const p of r.problems) expect(p.message.length).toBeGreaterThan(10);
}

const FULL = FILES.map((f) => readPacketCapture(f, 'full'));
const LAYOUTS = FILES.map(layout);

describe('never throws, and says what it could not read', () => {
  it(
    'a capture cut anywhere keeps the records before the cut, and a cut inside a record is a problem',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: FILES.length - 1 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (f, x) => {
            const file = FILES[f]!;
            const cut = Math.floor(x * file.length);
            const r = readPacketCapture(file.subarray(0, cut), 'cut');
            wellFormed(r);
            const full = FULL[f]!;
            const { ends, starts } = LAYOUTS[f]!;
            const kept = full.segments.filter((s) => ends.get(s.record)! <= cut);
            if (cut >= (file[0] === 0x0a ? 28 : 24)) {
              expect(r.segments.map((s) => s.record)).toEqual(kept.map((s) => s.record));
              if (!starts.has(cut)) {
                const problem = r.problems.find((p) => /^truncated/.test(p.code));
                expect(problem, `cut at ${cut}`).toBeDefined();
                expect(problem!.offset).toBeLessThanOrEqual(cut);
                expect(problem!.message).toMatch(/byte \d+/);
              }
            } else {
              expect(r.segments).toEqual([]);
              expect(r.problems.length).toBeGreaterThan(0);
            }
          },
        ),
        { numRuns: 150 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'flipped bits anywhere never make it throw',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: FILES.length - 1 }),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 7 })), {
            minLength: 1,
            maxLength: 8,
          }),
          (f, flips) => {
            const file = FILES[f]!.slice();
            for (const [x, bit] of flips) file[Math.floor(x * (file.length - 1))]! ^= 1 << bit;
            wellFormed(readPacketCapture(file, 'flipped'));
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'splices of two captures never make it throw',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: FILES.length - 1 }),
          fc.integer({ min: 0, max: FILES.length - 1 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (a, b, x, y) => {
            const head = FILES[a]!.subarray(0, Math.floor(x * FILES[a]!.length));
            const tail = FILES[b]!.subarray(Math.floor(y * FILES[b]!.length));
            const spliced = new Uint8Array(head.length + tail.length);
            spliced.set(head);
            spliced.set(tail, head.length);
            wellFormed(readPacketCapture(spliced, 'spliced'));
          },
        ),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    'random bytes after a valid file header never make it throw',
    () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: FILES.length - 1 }),
          fc.uint8Array({ maxLength: 600 }),
          (f, junk) => {
            const header = FILES[f]![0] === 0x0a ? FILES[f]!.subarray(0, 28) : FILES[f]!.subarray(0, 24);
            const bytes = new Uint8Array(header.length + junk.length);
            bytes.set(header);
            bytes.set(junk, header.length);
            wellFormed(readPacketCapture(bytes, 'junk'));
          },
        ),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});

describe('what it refuses, and the limits', () => {
  it('names the magic it found and the ones it expected', () => {
    const har = new TextEncoder().encode('{"log":{"version":"1.2","entries":[]}}');
    const r = readPacketCapture(har, 'session.har');
    expect(r.segments).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'bad-magic', severity: 'error', offset: 0 });
    expect(r.problems[0]!.message).toContain('7b 22 6c 6f');
    expect(r.problems[0]!.message).toContain('not a pcap or pcapng');
    expect(r.problems[0]!.message).toContain('d4 c3 b2 a1');
    expect(r.problems[0]!.message).toContain('0a 0d 0d 0a');
    expect(readPacketCapture(new Uint8Array(0), 'empty').problems[0]!.message).toContain('empty');
  });

  it('stops at the segment limit, keeps what it read, and says how to filter', () => {
    const r = readPacketCapture(FILES[0]!, 'big.pcap', { limits: { segments: 5 } });
    expect(r.segments).toHaveLength(5);
    const p = r.problems.find((x) => x.code === 'limit-segments');
    expect(p).toMatchObject({ severity: 'error', record: 6 });
    expect(p!.message).toMatch(/tshark -r in\.pcap -Y/);
    expect(p!.message).toMatch(/editcap -r/);
  });

  it('stops at the file size limit, keeps what it read, and says how to cut', () => {
    for (const file of FILES.slice(0, 2)) {
      const r = readPacketCapture(file, 'big', { limits: { fileBytes: 600 } });
      const p = r.problems.find((x) => x.code === 'limit-file-bytes');
      expect(p).toBeDefined();
      expect(p!.message).toMatch(/editcap -r/);
      expect(r.segments.length).toBeGreaterThan(0);
      expect(r.segments.length).toBeLessThan(readPacketCapture(file, 'all').segments.length);
      for (const s of r.segments)
        expect(s.data.byteOffset - file.byteOffset + s.data.length).toBeLessThanOrEqual(600);
    }
  });

  it('stops when cancelled, saying so', () => {
    const r = readPacketCapture(FILES[0]!, 'x', { signal: { aborted: true } });
    expect(r.segments).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['aborted']);
  });

  it('reports progress, reading then reassembling, ending at 1', () => {
    const seen: CaptureProgress[] = [];
    readPacketCapture(FILES[3]!, 'x', { onProgress: (p) => seen.push(p) });
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['reading', 'reassembling']);
    for (const phase of phases) {
      const fractions = seen.filter((p) => p.phase === phase).map((p) => p.fraction);
      expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
      expect(fractions.at(-1)).toBe(1);
    }
  });

  it('lists at most 50 problems of one kind, then how many more', () => {
    const base = FILES[0]!;
    // 120 records whose IPv4 version nibble is wrong.
    const rec = base.subarray(24, 24 + 16 + 74);
    const bytes = new Uint8Array(24 + rec.length * 120);
    bytes.set(base.subarray(0, 24));
    for (let i = 0; i < 120; i++) {
      bytes.set(rec, 24 + i * rec.length);
      bytes[24 + i * rec.length + 16 + 14] = 0x55;
    }
    const r = readPacketCapture(bytes, 'bad');
    expect(r.source.skipped).toEqual({ 'malformed IPv4': 120 });
    expect(r.problems).toHaveLength(51);
    expect(r.problems[50]!.message).toMatch(/70 more/);
  });
});
