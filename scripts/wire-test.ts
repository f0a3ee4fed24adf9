/**
 * The protocol core's wire test: assemble a whole WebSocket conversation from Wirewalk's own encoders
 * (SYN, SYN-ACK, ACK, GET upgrade, 101, masked and unmasked text frames, close frames, FIN teardown),
 * write it as a pcap, and let tshark judge it with checksum validation on.
 *
 *   npm run test:wire
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8 } from '../src/protocol/bytes';
import {
  encodeHttpRequest,
  encodeHttpResponse,
  upgradeRequest,
  upgradeResponse,
  websocketKey,
} from '../src/protocol/http';
import { encodePcap, type PcapRecord } from '../src/protocol/pcap';
import { encodeTcpFrame, linuxTcpIpv4 } from '../src/protocol/stack';
import { linuxSynOptions, tcpSegmentLength, type TcpFlagName, type TcpOption } from '../src/protocol/tcp';
import { encodeClosePayload, encodeWsFrame, WS_OPCODES } from '../src/protocol/websocket';
import { dissect, tsharkAvailable, wireProblems } from './tshark';

const CLIENT = { mac: '02:00:00:00:00:0a', ip: '192.0.2.10', port: 49500 };
const SERVER = { mac: '02:00:00:00:00:14', ip: '198.51.100.20', port: 80 };
type End = typeof CLIENT;

const records: PcapRecord[] = [];
let clock = 1_323_561_600_000_000; // 2011-12-11T00:00:00Z in µs
const seq = { client: 1_000_000, server: 3_000_000_000 };
const ack = { client: 0, server: 0 };
let ipId = 0x1c46;
let ts = 100_000;

function segment(
  from: 'client' | 'server',
  flags: TcpFlagName[],
  payload: Uint8Array = new Uint8Array(0),
  options?: TcpOption[],
) {
  const [src, dst]: [End, End] = from === 'client' ? [CLIENT, SERVER] : [SERVER, CLIENT];
  const to = from === 'client' ? 'server' : 'client';
  const { frame } = encodeTcpFrame(
    { dst: dst.mac, src: src.mac },
    linuxTcpIpv4(src.ip, dst.ip, ipId++),
    {
      srcPort: src.port,
      dstPort: dst.port,
      seq: seq[from] >>> 0,
      ack: flags.includes('ACK') ? ack[from] >>> 0 : 0,
      flags,
      window: flags.includes('SYN') ? 64240 : 502,
      urgent: 0,
      options: options ?? [
        { kind: 'nop' },
        { kind: 'nop' },
        { kind: 'timestamps', tsval: ts, tsecr: ts - 1 },
      ],
    },
    payload,
  );
  records.push({ timestampUs: clock, data: frame });
  clock += 1500;
  ts += 1;
  const used = tcpSegmentLength(flags, payload.length);
  seq[from] = (seq[from] + used) >>> 0;
  ack[to] = seq[from]; // in-order delivery: the receiver next expects what the sender sends next
}

const key = websocketKey(Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff));
const texts = { client: 'Hello from Wirewalk', server: 'Hi! é 😀 שלום' };

// TCP three-way handshake (RFC 9293 §3.5); the ACK numbers follow from the SYNs consuming one number each.
segment('client', ['SYN'], undefined, linuxSynOptions(1460, ts, 0, 7));
segment('server', ['SYN', 'ACK'], undefined, linuxSynOptions(1460, ts, ts - 1, 7));
segment('client', ['ACK']);
// HTTP Upgrade (RFC 6455 §4).
segment('client', ['PSH', 'ACK'], encodeHttpRequest(upgradeRequest({ host: SERVER.ip, path: '/chat', key })));
segment('server', ['ACK']);
segment('server', ['PSH', 'ACK'], encodeHttpResponse(upgradeResponse(key)));
segment('client', ['ACK']);
// Frames both ways: client frames masked, server frames not (RFC 6455 §5.1).
const frame = (opcode: number, payload: Uint8Array, maskKey: Uint8Array | null) =>
  encodeWsFrame({ fin: true, rsv1: false, rsv2: false, rsv3: false, opcode, maskKey, payload });
segment(
  'client',
  ['PSH', 'ACK'],
  frame(WS_OPCODES.text, utf8(texts.client), Uint8Array.of(0x37, 0xfa, 0x21, 0x3d)),
);
segment('server', ['ACK']);
segment('server', ['PSH', 'ACK'], frame(WS_OPCODES.text, utf8(texts.server), null));
segment('client', ['ACK']);
// Close handshake (RFC 6455 §7), then the server closes TCP first (§7.1.1).
segment(
  'client',
  ['PSH', 'ACK'],
  frame(WS_OPCODES.close, encodeClosePayload(1000, 'bye'), Uint8Array.of(1, 2, 3, 4)),
);
segment('server', ['PSH', 'ACK'], frame(WS_OPCODES.close, encodeClosePayload(1000, 'bye'), null));
segment('server', ['FIN', 'ACK']);
segment('client', ['FIN', 'ACK']);
segment('server', ['ACK']);

if (!tsharkAvailable()) {
  console.error('tshark is not installed: apt-get install -y tshark');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'wirewalk-wire-'));
const file = join(dir, 'protocol-core.pcap');
writeFileSync(file, encodePcap(records));
const frames = dissect(file);

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
};
check(frames.length === records.length, `tshark reads all ${records.length} frames (read ${frames.length})`);
const problems = wireProblems(frames);
check(
  problems.length === 0,
  `all IPv4 and TCP checksums good, nothing malformed, no expert warning or error`,
);
for (const p of problems) console.log(`       ${p}`);
const seen = frames.flatMap((f) => f.wsTexts);
const expected = [texts.client, texts.server];
check(
  JSON.stringify(seen) === JSON.stringify(expected),
  `WebSocket texts in tshark equal what was encoded: ${JSON.stringify(seen)}`,
);
check(
  frames.some((f) => /101 Switching Protocols/.test(f.info)),
  'tshark sees the 101 Switching Protocols response',
);
console.log(`\npcap: ${file}`);
console.log(`wire: ${4 - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
