/**
 * `npm run bench:capture`: how fast `readPacketCapture` reads and reassembles a large capture. Builds two pcaps
 * in memory with the protocol encoders (Ethernet + IPv4 + TCP, handshakes and FINs included, checksums right):
 *
 * - bulk: ~50 MB, 16 connections interleaved, 1448-byte segments each way with an ACK every two (what a download
 *   looks like on a 1500-byte MTU);
 * - chatty: as many small segments as CAPTURE_LIMITS allows (200 000), 120-byte WebSocket-sized messages.
 *
 * Prints the median of 3 runs (wall and CPU time of this process), MB/s and segments/s, with the machine (CPU
 * model, logical CPUs, load average) beside each figure; then the heap the result holds and the time to read every
 * segment's fields (they are read lazily: what a worker's postMessage of the whole capture would cost on top).
 * Run with `node --expose-gc` (the npm script does) so heap figures are measured after collection.
 * A benchmark, not a test: figures vary with load.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readPacketCapture } from '../src/capture/read';
import { CAPTURE_LIMITS } from '../src/capture/model';
import { encodeEthernet } from '../src/protocol/ethernet';
import { encodeIpv4 } from '../src/protocol/ipv4';
import { encodePcap, type PcapRecord } from '../src/protocol/pcap';
import { encodeTcp, type TcpFlagName } from '../src/protocol/tcp';

const CLIENT_MAC = '02:00:00:00:00:0a';
const SERVER_MAC = '02:00:00:00:00:14';

interface Conn {
  readonly port: number;
  cSeq: number;
  sSeq: number;
}

function frame(conn: Conn, fromClient: boolean, flags: TcpFlagName[], payload: Uint8Array): Uint8Array {
  const [src, dst] = fromClient ? ['192.0.2.10', '198.51.100.20'] : ['198.51.100.20', '192.0.2.10'];
  const seq = fromClient ? conn.cSeq : conn.sSeq;
  const ack = fromClient ? conn.sSeq : conn.cSeq;
  const tcp = encodeTcp(
    {
      srcPort: fromClient ? conn.port : 443,
      dstPort: fromClient ? 443 : conn.port,
      seq,
      ack: flags.includes('ACK') ? ack : 0,
      flags,
      window: 502,
      urgent: 0,
      options: [],
    },
    payload,
    { src, dst },
  );
  const used = payload.length + (flags.includes('SYN') ? 1 : 0) + (flags.includes('FIN') ? 1 : 0);
  if (fromClient) conn.cSeq = (conn.cSeq + used) >>> 0;
  else conn.sSeq = (conn.sSeq + used) >>> 0;
  const ip = encodeIpv4(
    {
      src,
      dst,
      protocol: 6,
      ttl: 64,
      identification: 0,
      dontFragment: true,
      moreFragments: false,
      fragmentOffset: 0,
      dscp: 0,
      ecn: 0,
    },
    tcp,
  );
  return encodeEthernet(
    {
      src: fromClient ? CLIENT_MAC : SERVER_MAC,
      dst: fromClient ? SERVER_MAC : CLIENT_MAC,
      etherType: 0x0800,
    },
    ip,
  );
}

/** `connections` interleaved connections, each sending `segments` data segments of `size` bytes, alternating ways. */
function buildCapture(connections: number, segments: number, size: number, ackEvery: number): Uint8Array {
  const records: PcapRecord[] = [];
  let t = 1_700_000_000_000_000;
  const push = (data: Uint8Array): void => {
    records.push({ timestampUs: t, data });
    t += 37;
  };
  const payload = Uint8Array.from({ length: size }, (_, i) => 32 + (i % 90));
  const conns: Conn[] = Array.from({ length: connections }, (_, i) => ({
    port: 40000 + i,
    cSeq: (0x9e3779b9 * (i + 1)) >>> 0, // spread ISNs so some wrap past 2^32
    sSeq: (0x7f4a7c15 * (i + 3)) >>> 0,
  }));
  for (const c of conns) {
    push(frame(c, true, ['SYN'], new Uint8Array(0)));
    push(frame(c, false, ['SYN', 'ACK'], new Uint8Array(0)));
    push(frame(c, true, ['ACK'], new Uint8Array(0)));
  }
  for (let n = 0; n < segments; n++) {
    for (const c of conns) {
      const fromClient = Math.floor(n / 64) % 2 === 0;
      push(frame(c, fromClient, ['PSH', 'ACK'], payload));
      if (n % ackEvery === ackEvery - 1) push(frame(c, !fromClient, ['ACK'], new Uint8Array(0)));
    }
  }
  for (const c of conns) {
    push(frame(c, false, ['FIN', 'ACK'], new Uint8Array(0)));
    push(frame(c, true, ['FIN', 'ACK'], new Uint8Array(0)));
    push(frame(c, false, ['ACK'], new Uint8Array(0)));
  }
  return encodePcap(records);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

function machine(): string {
  const all = cpus();
  const [one] = loadavg();
  return `${all[0]?.model.trim() ?? 'unknown CPU'}, ${all.length} logical CPUs, load ${one!.toFixed(2)}`;
}

function bench(name: string, bytes: Uint8Array): void {
  const before = heapMb();
  const wall: number[] = [];
  const cpu: number[] = [];
  let segments = 0;
  let streams = 0;
  let problems = 0;
  let kept: ReturnType<typeof readPacketCapture> | undefined;
  for (let run = 0; run < 3; run++) {
    kept = undefined;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = readPacketCapture(bytes, name);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    segments = r.segments.length;
    streams = r.streams.length;
    problems = r.problems.length;
    kept = r;
  }
  const held = heapMb() - before;
  const f0 = performance.now();
  let fields = 0;
  for (const s of kept!.segments) fields += s.fields.length;
  const fieldsMs = performance.now() - f0;
  const withFields = heapMb() - before;
  // Still in use here, so the collections above could not take it.
  if (kept!.segments.length !== segments) throw new Error('the result changed');
  const mb = bytes.length / (1024 * 1024);
  const w = median(wall);
  const u = median(cpu);
  console.log(
    `${name}: ${mb.toFixed(1)} MB, ${segments.toLocaleString('en')} segments, ${streams} streams, ${problems} problems\n` +
      `  read + reassemble: ${w.toFixed(0)} ms wall (${(mb / (w / 1000)).toFixed(1)} MB/s, ` +
      `${Math.round(segments / (w / 1000)).toLocaleString('en')} segments/s), ${u.toFixed(0)} ms CPU ` +
      `(${(mb / (u / 1000)).toFixed(1)} MB/s) — median of 3 on ${machine()}\n` +
      `  result holds ${held.toFixed(0)} MB of heap beside the file; reading all ${fields.toLocaleString('en')} fields ` +
      `takes ${fieldsMs.toFixed(0)} ms wall and brings it to ${withFields.toFixed(0)} MB — on ${machine()}`,
  );
}

const bulk = buildCapture(16, 2150, 1448, 2);
bench('bulk', bulk);
const perConn = Math.floor((CAPTURE_LIMITS.segments - 16 * 6) / 16 / 1.5);
const chatty = buildCapture(16, perConn, 120, 2);
bench('chatty', chatty);
