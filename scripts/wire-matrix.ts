/**
 * `npm run test:wire:matrix`: export the pcap of each link in a matrix of scenarios and let tshark
 * judge it. For every capture: IP and TCP checksums good, nothing malformed, no expert warning or
 * error except those a retransmission explains, TCP analysis flags only where a loss explains them,
 * and the WebSocket text messages tshark reassembles equal the link's, in order, each direction; every ARP
 * frame dissected (request or reply) and every IPv4 TTL what the routers between the sender and the card
 * leave (64 less one per router; captures at a router's or the server's card with `card`). A TLS
 * scenario (tls=1) is read with its key log (`-o tls.keylog_file:…`): every TLS record must decrypt.
 * Exits non-zero with a report on any failure. `--keep` leaves the pcaps in the temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLink } from '../src/lesson/link';
import type { Scenario } from '../src/sim/scenario';
import { buildTimeline, timelineKeyLog, timelinePcap } from '../src/sim/timeline';
import type { Timeline } from '../src/sim/types';
import { ALL_STORIES } from '../src/sim/stories';
import { OCCURRENCES, tsharkAvailable, tsharkColumns } from './tshark';
import type { Packet } from '../src/sim/types';
import { runSocketIoMatrix, socketIoSelfTest } from './wire-matrix-socketio';

const CLIENT_IP = '192.0.2.10';
const SEVERITY_WARNING = 6291456; // Wireshark PI_WARN; PI_ERROR is 8388608.
/** Expert messages and analysis flags a lost packet and its retransmission explain. */
const EXPLAINED_BY_LOSS =
  /retransmission|not captured|duplicate ack|out-of-order|segment that wasn't captured|spurious|lost segment/i;
const EXPLAINED_FLAGS = new Set([
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.ack_lost_segment',
]);
const FLAG_FIELDS = [
  ...EXPLAINED_FLAGS,
  'tcp.analysis.window_update',
  'tcp.analysis.zero_window',
  'tcp.analysis.window_full',
  'tcp.analysis.keep_alive',
  'tcp.analysis.reused_ports',
];

const text = (n: number, seed = 0): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + ((i * 7 + seed) % 26));
  return s;
};
const q = (s: string): string => encodeURIComponent(s);

interface Case {
  readonly name: string;
  readonly link: string;
  /** The card the capture is taken at (sim/cards.ts); the first browser's when absent. */
  readonly card?: string;
  /** At least one frame must carry this many SACK blocks (RFC 2018), as tshark dissects them. */
  readonly sackBlocks?: number;
}

function wireIndexOf(link: string, pick: (p: Packet) => boolean): number {
  const t = buildTimeline(parseLink(link).state.scenario, ALL_STORIES);
  const p = t.packets.find(pick);
  if (!p) throw new Error(`no packet to lose in ${link.slice(0, 60)}`);
  return p.wireIndex;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const n of [0, 1, 125, 126, 65535, 65536, 200000]) {
    out.push({ name: `${n}-byte messages`, link: `lesson=websocket&m=c:${q(text(n))}&m=s:${q(text(n, 3))}` });
  }
  out.push({
    name: 'non-ASCII text',
    link: `lesson=websocket&m=c:${q('café é')}&m=s:${q('emoji 😀🎉')}&m=c:${q('שלום עולם')}`,
  });
  out.push({
    name: 'server push first',
    link: `lesson=websocket&m=s:${q('pushed before anything')}&m=c:Hello`,
  });
  out.push({
    name: 'mss=536',
    link: `lesson=websocket&mss=536&m=c:${q(text(5000))}&m=s:${q(text(3000, 5))}`,
  });
  out.push({
    name: 'frag=100',
    link: `lesson=websocket&frag=100&m=c:${q(text(1000))}&m=s:${q('é😀'.repeat(80))}`,
  });
  out.push({ name: 'close=s', link: 'lesson=websocket&close=s' });
  const isSyn = (p: Packet): boolean => p.tcp.flags.includes('SYN') && !p.tcp.flags.includes('ACK');
  const isSynAck = (p: Packet): boolean => p.tcp.flags.includes('SYN') && p.tcp.flags.includes('ACK');
  // loss= counts the ARP frames on the browser's LAN too: 1 is the browser's first request.
  out.push({ name: 'loss on the ARP request (asked again after 1 s)', link: 'lesson=websocket&loss=1' });
  out.push({ name: 'loss on the ARP reply', link: 'lesson=websocket&loss=2' });
  out.push({
    name: 'three ARP requests lost (the SYN dropped, resent)',
    link: 'lesson=websocket&loss=1,2,3',
  });
  out.push({
    name: 'loss on the SYN',
    link: `lesson=websocket&loss=${wireIndexOf('lesson=websocket', isSyn)}`,
  });
  out.push({
    name: 'loss on the SYN-ACK',
    link: `lesson=websocket&loss=${wireIndexOf('lesson=websocket', isSynAck)}`,
  });
  const small = 'lesson=websocket';
  out.push({
    name: 'loss on a data segment (client)',
    link: `${small}&loss=${wireIndexOf(small, (p) => p.app?.kind === 'ws-frame' && p.from === 'client')}`,
  });
  out.push({
    name: 'loss on a data segment (server)',
    link: `${small}&loss=${wireIndexOf(small, (p) => p.app?.kind === 'ws-frame' && p.from === 'server')}`,
  });
  const big = `lesson=websocket&m=c:${q(text(30000))}&m=s:${q(text(30000, 9))}`;
  const bigT = buildTimeline(parseLink(big).state.scenario, ALL_STORIES);
  const midClient = bigT.packets.filter((p) => p.from === 'client' && p.tcp.len > 0)[6]!.wireIndex;
  const midServer = bigT.packets.filter((p) => p.from === 'server' && p.tcp.len > 0)[8]!.wireIndex;
  out.push({
    name: 'loss mid-message (fast retransmit)',
    link: `${big}&loss=${midClient},${midServer}`,
    sackBlocks: 1,
  });
  // Two holes in one message: duplicate ACKs with two SACK blocks, and only the holes resent.
  const holeTwo = bigT.packets.filter((p) => p.from === 'client' && p.tcp.len > 0)[8]!.wireIndex;
  out.push({
    name: 'two holes in a message (SACK)',
    link: `${big}&loss=${midClient},${holeTwo}`,
    sackBlocks: 2,
  });
  out.push({ name: 'the loss lesson (SACK, lost FIN)', link: 'lesson=loss', sackBlocks: 1 });
  out.push({
    name: 'loss on a FIN',
    link: `${small}&loss=${wireIndexOf(small, (p) => p.tcp.flags.includes('FIN'))}`,
  });
  out.push({
    name: 'loss on the last FIN',
    link: `${small}&loss=${wireIndexOf(small, (p) => p.tcp.flags.includes('FIN') && p.from === 'client')}`,
  });
  // The path: no router (one LAN), one (the reference's), up to four; captured at other cards too.
  for (const hops of [0, 2, 3, 4]) out.push({ name: `hops=${hops}`, link: `lesson=websocket&hops=${hops}` });
  out.push({ name: 'hops=1 at the router', link: 'lesson=websocket', card: 'router' });
  out.push({ name: 'hops=1 at the server', link: 'lesson=websocket', card: 'server' });
  out.push({ name: 'hops=3 at router-2', link: 'lesson=websocket&hops=3', card: 'router-2' });
  out.push({
    name: 'hops=4 at the server, mss=536',
    link: `lesson=websocket&hops=4&mss=536&m=c:${q(text(3000))}`,
    card: 'server',
  });
  const routed = 'lesson=websocket&hops=2';
  out.push({
    name: 'hops=2, loss on a data segment',
    link: `${routed}&loss=${wireIndexOf(routed, (p) => p.app?.kind === 'ws-frame' && p.from === 'server')}`,
  });
  // wss:// (RFC 8446 records carrying the upgrade and every frame), decrypted with the key log.
  out.push({ name: 'wss: the websocket lesson', link: 'lesson=websocket&tls=1' });
  out.push({
    name: 'wss: 125/126/65535/65536 bytes',
    link:
      'lesson=websocket&tls=1&' +
      [125, 126, 65535, 65536].map((n, i) => `m=${i % 2 ? 's' : 'c'}:${q(text(n, i))}`).join('&'),
  });
  out.push({
    name: 'wss: mss=536, frag=100',
    link: `lesson=websocket&tls=1&mss=536&frag=100&m=c:${q(text(3000))}`,
  });
  const wss = 'lesson=websocket&tls=1';
  out.push({
    name: 'wss: loss on a data segment',
    link: `${wss}&loss=${wireIndexOf(wss, (p) => p.app?.kind === 'ws-frame' && p.from === 'server')}`,
  });
  // permessage-deflate (deflate=1): tshark inflates each compressed message (RSV1) with the context kept from
  // the messages before it, so its websocket.payload.text must be the link's text. Not fragmented: tshark 4.0
  // does not inflate a compressed message split over several frames (it shows the deflate bytes).
  out.push({ name: 'deflate: the websocket lesson', link: 'lesson=websocket&deflate=1' });
  out.push({
    name: 'deflate: repeats, 0-65536 bytes',
    link:
      'lesson=websocket&deflate=1&' +
      ['Hello', 'Hello', '', text(125), text(126, 1), text(65536, 2), 'Hello']
        .map((m, i) => `m=${i % 3 === 1 ? 's' : 'c'}:${q(m)}`)
        .join('&'),
  });
  out.push({
    name: 'deflate: mss=536, non-ASCII',
    link: `lesson=websocket&deflate=1&mss=536&m=c:${q('é😀'.repeat(900))}&m=s:${q(text(5000, 4))}`,
  });
  const deflate = 'lesson=websocket&deflate=1';
  out.push({
    name: 'deflate: loss on a data segment',
    link: `${deflate}&loss=${wireIndexOf(deflate, (p) => p.app?.kind === 'ws-frame' && p.from === 'client')}`,
  });
  out.push({ name: 'deflate: wss', link: 'lesson=websocket&deflate=1&tls=1&m=c:Hello&m=s:Hello' });
  return out;
}

interface Row {
  readonly frame: number;
  readonly src: string;
  readonly ttl: string;
  /** ARP's opcode (1 request, 2 reply), '' for any other frame. */
  readonly arp: string;
  readonly ipOk: string;
  readonly tcpOk: string;
  readonly opcode: string;
  readonly fin: string;
  readonly text: string | null;
  readonly severities: number[];
  readonly messages: string[];
  readonly malformed: boolean;
  readonly flags: string[];
  /** TLS records that end in this frame, and how many of them tshark has a content type for (decrypted). */
  readonly tlsRecords: number;
  readonly tlsTyped: number;
  /** SACK blocks in this frame's TCP options. */
  readonly sackBlocks: number;
}

function tshark(file: string, keyLog: string | null = null): Row[] {
  const fields = [
    'frame.number',
    'ip.src',
    'ip.checksum.status',
    'tcp.checksum.status',
    'websocket.opcode',
    'websocket.fin',
    'websocket.payload.text',
    '_ws.expert.severity',
    '_ws.expert.message',
    '_ws.malformed',
    ...FLAG_FIELDS,
    'tls.record.length',
    'tls.record.content_type',
    'ip.ttl',
    'arp.opcode',
    'tcp.options.sack_le',
  ];
  // Wireshark's "Reassemble out-of-order segments" preference, as one reads a capture with loss: without
  // it Wireshark does not hand a resent segment to the WebSocket or TLS dissector once it has seen a later
  // sequence number (a pure ACK carries SEQ = SND.NXT, RFC 9293 §3.10.7.4, while the lost data waits for
  // its retransmission), and calls the resend of bytes it already reassembled at the sender "malformed".
  const prefs = ['tcp.reassemble_out_of_order:TRUE', ...(keyLog ? [`tls.keylog_file:${keyLog}`] : [])];
  const columns = tsharkColumns(file, fields, prefs);
  const rows: Row[] = [];
  for (const c of columns) {
    const all = (i: number): string[] => (c[i] ? c[i]!.split(OCCURRENCES) : []);
    rows.push({
      frame: Number(c[0]),
      src: c[1] ?? '',
      ipOk: c[2] ?? '',
      tcpOk: c[3] ?? '',
      opcode: c[4] ?? '',
      fin: c[5] ?? '',
      text: c[6] === undefined || c[6] === '' ? null : c[6],
      severities: all(7).map(Number),
      messages: all(8),
      malformed: (c[9] ?? '') !== '',
      flags: FLAG_FIELDS.filter((_, i) => (c[10 + i] ?? '') !== ''),
      tlsRecords: all(10 + FLAG_FIELDS.length).length,
      tlsTyped: all(11 + FLAG_FIELDS.length).length,
      ttl: c[12 + FLAG_FIELDS.length] ?? '',
      arp: c[13 + FLAG_FIELDS.length] ?? '',
      sackBlocks: all(14 + FLAG_FIELDS.length).length,
    });
  }
  return rows;
}

/** Routers between the browsers' LAN and the card's segment (0 at a browser, `hops` at the server). */
function segmentOf(scenario: Scenario, card: string | undefined): number {
  const hops = scenario.hops ?? 1;
  if (card === undefined || card.startsWith('client')) return 0;
  if (card === 'server') return hops;
  return card === 'router' ? 1 : Number(card.slice('router-'.length));
}

function judge(scenario: Scenario, rows: Row[], card?: string): string[] {
  const problems: string[] = [];
  const lossy = scenario.loss.length > 0;
  const hops = scenario.hops ?? 1;
  const segment = segmentOf(scenario, card);
  if (rows.length === 0) problems.push('tshark read no frames');
  if (!rows.some((r) => r.arp === '1') || !rows.some((r) => r.arp === '2'))
    problems.push('no ARP request and reply on the segment');
  for (const r of rows) {
    const at = `frame ${r.frame}`;
    if (r.malformed) problems.push(`${at}: malformed`);
    if (r.arp !== '') {
      if (r.arp !== '1' && r.arp !== '2') problems.push(`${at}: ARP opcode ${r.arp}`);
      r.severities.forEach((sev, i) => {
        if (sev >= SEVERITY_WARNING) problems.push(`${at}: ARP expert: ${r.messages[i] ?? ''}`);
      });
      continue;
    }
    if (r.ipOk !== '1') problems.push(`${at}: IP checksum status ${r.ipOk || 'missing'}`);
    if (r.tcpOk !== '1') problems.push(`${at}: TCP checksum status ${r.tcpOk || 'missing'}`);
    // Linux sends with TTL 64; each router on the way to this card took one (RFC 1812 §5.3.1).
    const routers = r.src === CLIENT_IP ? segment : hops - segment;
    if (r.ttl !== String(64 - routers)) problems.push(`${at}: TTL ${r.ttl}, expected ${64 - routers}`);
    r.severities.forEach((sev, i) => {
      const msg = r.messages[i] ?? '';
      if (sev >= SEVERITY_WARNING && !(lossy && EXPLAINED_BY_LOSS.test(msg))) {
        problems.push(`${at}: expert ${sev >= 8388608 ? 'error' : 'warning'}: ${msg}`);
      }
    });
    for (const f of r.flags) {
      if (!(lossy && EXPLAINED_FLAGS.has(f))) problems.push(`${at}: ${f}`);
    }
    // An encrypted record tshark could not decrypt has a length but no (inner) content type.
    if (r.tlsTyped < r.tlsRecords) {
      problems.push(`${at}: ${r.tlsRecords - r.tlsTyped} of ${r.tlsRecords} TLS records not decrypted`);
    }
  }
  if (scenario.tls && !rows.some((r) => r.tlsRecords > 0)) problems.push('no TLS records in a tls=1 capture');
  // Messages: tshark gives the reassembled text on each message's final frame (FIN set).
  for (const [side, ip] of [
    ['c', CLIENT_IP],
    ['s', null],
  ] as const) {
    const got = rows
      .filter(
        (r) =>
          (ip ? r.src === ip : r.src !== CLIENT_IP) &&
          (r.opcode === '1' || r.opcode === '0') &&
          r.fin === '1',
      )
      .map((r) => r.text ?? '');
    const want = scenario.messages.filter((m) => m.from === side).map((m) => m.text);
    if (got.length !== want.length || got.some((g, i) => g !== want[i])) {
      const show = (xs: readonly string[]): string =>
        xs.map((x) => (x.length > 20 ? `${x.slice(0, 20)}…(${x.length})` : x)).join(' | ');
      problems.push(
        `${side === 'c' ? 'browser' : 'server'} messages: tshark saw [${show(got)}], the link has [${show(want)}]`,
      );
    }
  }
  return problems;
}

/** The judge must be able to fail: a flipped byte, wrong messages and unexplained retransmissions. */
function selfTest(dir: string): string[] {
  const failures: string[] = [];
  const link = parseLink('lesson=websocket').state.scenario;
  const bytes = timelinePcap(buildTimeline(link, ALL_STORIES));
  const flipped = bytes.slice();
  flipped[flipped.length - 1]! ^= 0xff; // inside the last frame's TCP header: its checksum breaks
  const file = join(dir, 'self-test.pcap');
  writeFileSync(file, flipped);
  if (!judge(link, tshark(file)).some((p) => p.includes('TCP checksum')))
    failures.push('a corrupted byte went unnoticed');
  writeFileSync(file, bytes);
  if (
    !judge({ ...link, messages: [{ from: 'c', text: 'Hellp' }] }, tshark(file)).some((p) =>
      p.includes('messages'),
    )
  ) {
    failures.push('wrong messages went unnoticed');
  }
  // Frames 1 and 2 are ARP: 3 is the SYN, whose retransmission the judge must notice.
  const lossy = { ...link, loss: [3] };
  writeFileSync(file, timelinePcap(buildTimeline(lossy, ALL_STORIES)));
  if (judge({ ...lossy, loss: [] }, tshark(file)).length === 0)
    failures.push('a retransmission without a loss went unnoticed');
  // TLS: without the key log nothing decrypts; with another run's key log neither.
  const tls = { ...link, tls: true };
  const tlsTimeline = buildTimeline(tls, ALL_STORIES);
  writeFileSync(file, timelinePcap(tlsTimeline));
  if (!judge(tls, tshark(file)).some((p) => p.includes('not decrypted')))
    failures.push('TLS records without keys went unnoticed');
  const otherKeys = join(dir, 'self-test.keys');
  writeFileSync(otherKeys, timelineKeyLog(buildTimeline({ ...tls, seed: tls.seed + 1 }, ALL_STORIES)) ?? '');
  if (!judge(tls, tshark(file, otherKeys)).some((p) => p.includes('not decrypted')))
    failures.push('TLS records with the wrong keys went unnoticed');
  writeFileSync(otherKeys, keyLogOf(tlsTimeline));
  const right = judge(tls, tshark(file, otherKeys));
  if (right.length > 0) failures.push(`the wss lesson with its own keys: ${right.slice(0, 3).join('; ')}`);
  return failures;
}

function keyLogOf(t: Timeline): string {
  const log = timelineKeyLog(t);
  if (log === null) throw new Error('a TLS scenario without a key log');
  return log;
}

function main(): void {
  const keep = process.argv.includes('--keep');
  if (!tsharkAvailable()) {
    process.stderr.write('tshark is not installed (apt-get install tshark)\n');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wirewalk-matrix-'));
  const broken = [...selfTest(dir), ...socketIoSelfTest(dir)];
  if (broken.length > 0) {
    process.stdout.write(`FAIL  the matrix's own checks: ${broken.join('; ')}\n`);
    process.exit(1);
  }
  let failed = 0;
  const started = Date.now();
  const all = cases();
  all.forEach((c, i) => {
    const { state, problems: linkProblems } = parseLink(c.link);
    const file = join(dir, `${String(i + 1).padStart(2, '0')}.pcap`);
    const timeline = buildTimeline(state.scenario, ALL_STORIES);
    writeFileSync(file, timelinePcap(timeline, c.card));
    // The key log beside the capture, as `npm run pcap` writes it.
    const keys = state.scenario.tls ? file.replace(/\.pcap$/, '.keys') : null;
    if (keys) writeFileSync(keys, keyLogOf(timeline));
    const rows = tshark(file, keys);
    const problems = [
      ...linkProblems.map((p) => `link: ${p.param}: ${p.message}`),
      ...judge(state.scenario, rows, c.card),
    ];
    const most = Math.max(0, ...rows.map((r) => r.sackBlocks));
    if (c.sackBlocks !== undefined && most < c.sackBlocks) {
      problems.push(`no frame with ${c.sackBlocks} SACK block(s) (at most ${most})`);
    }
    const status = problems.length === 0 ? 'PASS' : 'FAIL';
    if (problems.length > 0) failed++;
    process.stdout.write(
      `${status}  ${c.name.padEnd(36)} ${String(timeline.packets.length).padStart(4)} packets  ${file}\n`,
    );
    for (const p of problems.slice(0, 12)) process.stdout.write(`      ${p}\n`);
    if (problems.length > 12) process.stdout.write(`      … and ${problems.length - 12} more\n`);
  });
  const sio = runSocketIoMatrix(dir);
  for (const r of sio) {
    if (r.problems.length > 0) failed++;
    process.stdout.write(
      `${r.problems.length === 0 ? 'PASS' : 'FAIL'}  ${r.name.padEnd(36)} ${String(r.packets).padStart(4)} packets  ${r.file}\n`,
    );
    for (const p of r.problems.slice(0, 12)) process.stdout.write(`      ${p}\n`);
    if (r.problems.length > 12) process.stdout.write(`      … and ${r.problems.length - 12} more\n`);
  }
  const total = all.length + sio.length;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\n${total - failed}/${total} captures pass (${secs} s)\n`);
  if (!keep && failed === 0) rmSync(dir, { recursive: true, force: true });
  process.exit(failed === 0 ? 0 : 1);
}

main();
