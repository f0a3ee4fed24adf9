/**
 * Every reference capture and every fixture made by scripts/make-capture-fixtures.sh, read by `readPacketCapture`
 * and compared with what Wireshark's engine read in the same file (tests/fixtures/capture/tshark.json, written
 * by scripts/capture-tshark.ts with `tshark -Y tcp -T fields …` and `tshark -q -z follow,tcp,raw,N`): the TCP
 * frame count, each frame's stream, relative seq/ack and length, the stream count, and each direction's bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPacketCapture } from '../../src/capture/read';
import type { TcpStream } from '../../src/capture/model';

const DIR = join(__dirname, '../fixtures/capture');

interface Expected {
  readonly tcpFrames: number;
  readonly streams: readonly (readonly {
    node: string;
    length: number;
    sha256: string;
    missing: number[];
  }[])[];
  /** [frame.number, tcp.stream, tcp.seq, tcp.ack, tcp.len, analysis, frame.time_relative (s)] */
  readonly frames: readonly (readonly [number, number, number, number, number, string, number])[];
}

const EXPECTED = JSON.parse(readFileSync(join(DIR, 'tshark.json'), 'utf8')) as Record<string, Expected>;

function nodeName(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** The bytes tshark's follow shows: what was captured, without the zero-filled gaps. */
function capturedBytes(stream: TcpStream, direction: 0 | 1): Uint8Array {
  const d = stream.directions[direction];
  const parts: number[] = [];
  let at = 0;
  for (const [a, b] of [...d.gaps, [d.bytes.length, d.bytes.length] as const]) {
    for (let i = at; i < a; i++) parts.push(d.bytes[i]!);
    at = b;
  }
  return Uint8Array.from(parts);
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * The analysis flags both readers define the same way: zero window, duplicate ACK, a segment lost before this one
 * (Wireshark's tcp.analysis.lost_segment). Wireshark's retransmission / out-of-order split also weighs timing
 * (packet-tcp.c: a segment filling a hole within an RTT is out of order); the reader decides by the bytes alone
 * (new bytes: out of order; bytes already seen: retransmission), so a tshark retransmission is either here.
 */
function comparableFlags(flags: readonly string[]): string[] {
  return flags.filter((f) => f === 'zero-window' || f === 'dup-ack' || f === 'gap-before').sort();
}

describe.each(Object.keys(EXPECTED))('%s, as tshark reads it', (file) => {
  const expected = EXPECTED[file]!;
  const bytes = new Uint8Array(readFileSync(join(DIR, file)));
  const read = readPacketCapture(bytes, file);

  it('has as many TCP segments and streams as tshark, and no errors', () => {
    expect(read.segments.length).toBe(expected.tcpFrames);
    expect(read.streams.length).toBe(expected.streams.length);
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it("puts each frame in tshark's stream, with its relative seq/ack and length", () => {
    const ours = read.segments.map((s) => [s.record, s.stream, s.relSeq, s.relAck, s.payloadLength]);
    expect(ours).toEqual(expected.frames.map((f) => f.slice(0, 5)));
  });

  it('times each frame from the first record, as tshark does (to the nanosecond)', () => {
    for (const [i, f] of expected.frames.entries())
      expect(read.segments[i]!.time).toBeCloseTo(f[6] * 1000, 6);
  });

  it("notes what tshark's TCP analysis notes", () => {
    for (const [i, f] of expected.frames.entries()) {
      const tsharkFlags = f[5] === '' ? [] : f[5].split(',');
      const ours = read.segments[i]!.analysis ?? [];
      expect({ frame: f[0], flags: comparableFlags(ours) }).toEqual({
        frame: f[0],
        flags: comparableFlags(tsharkFlags),
      });
      if (tsharkFlags.includes('retransmission')) {
        expect(ours.some((x) => x === 'retransmission' || x === 'out-of-order')).toBe(true);
      }
    }
  });

  it("reassembles each direction into tshark's follow,tcp,raw bytes", () => {
    for (const [n, nodes] of expected.streams.entries()) {
      const stream = read.streams[n]!;
      for (const node of nodes) {
        const direction = node.node === nodeName(stream.client) ? 0 : 1;
        expect(nodeName(direction === 0 ? stream.client : stream.server)).toBe(node.node);
        const got = capturedBytes(stream, direction);
        // tshark marks a lost segment's bytes as missing, not a snapshot length's cut (that is 'truncated').
        const d = stream.directions[direction];
        const cutTails = new Set(
          read.segments
            .filter((s) => s.stream === n && s.direction === direction && s.analysis?.includes('truncated'))
            .map((s) => s.relSeq - (stream.synSeen ? 1 : 0) + s.ranges.payload[1] - s.ranges.payload[0]),
        );
        const missing = d.gaps.filter(([a]) => !cutTails.has(a)).map(([a, b]) => b - a);
        expect({ stream: n, node: node.node, length: got.length, sha256: sha256(got), missing }).toEqual({
          stream: n,
          node: node.node,
          length: node.length,
          sha256: node.sha256,
          missing: node.missing,
        });
      }
    }
  });
});
