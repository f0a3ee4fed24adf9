/**
 * The Socket.IO part of the wire matrix (scripts/wire-matrix.ts runs it): captures of the socketio and
 * polling-vs-websocket lessons, each written as seen at Browser 1's network card and at the server's,
 * judged by tshark. Every capture: IPv4 and TCP checksums good, nothing malformed, no expert warning or
 * error and no TCP analysis flag except those a lost packet explains (a drop= outage also explains its
 * RSTs: the programs that gave up abort their connections), and the Engine.IO text tshark finds in
 * every HTTP body and WebSocket text frame equals, connection by connection, what the timeline says
 * was sent. With tls=1 (https:// and wss://) tshark reads the run's key log and every TLS record must
 * decrypt.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLink } from '../src/lesson/link';
import type { Scenario } from '../src/sim/scenario';
import { buildTimeline, timelineKeyLog, timelinePcap } from '../src/sim/timeline';
import { ALL_STORIES } from '../src/sim/stories';
import { OCCURRENCES, tsharkColumns } from './tshark';
import type { Packet, Timeline } from '../src/sim/types';

const WARN = 6291456;
const EXPLAINED_BY_LOSS =
  /retransmission|not captured|duplicate ack|out-of-order|segment that wasn't captured|spurious|lost segment|previous segment/i;
const EXPLAINED_BY_DROP = /connection reset|zero window|keep-alive/i;
const FLAGS = [
  'tcp.analysis.retransmission',
  'tcp.analysis.fast_retransmission',
  'tcp.analysis.spurious_retransmission',
  'tcp.analysis.out_of_order',
  'tcp.analysis.lost_segment',
  'tcp.analysis.duplicate_ack',
  'tcp.analysis.ack_lost_segment',
  'tcp.analysis.window_update',
  'tcp.analysis.zero_window',
  'tcp.analysis.keep_alive',
  'tcp.analysis.reused_ports',
];
const LOSS_FLAGS = new Set(FLAGS.slice(0, 7));

export interface SioCase {
  readonly name: string;
  readonly link: string;
}

export function socketIoCases(): SioCase[] {
  return [
    { name: 'socketio lesson', link: 'lesson=socketio' },
    { name: 'socketio 3 clients, broadcast', link: 'lesson=socketio&clients=3&emit=broadcast' },
    { name: 'socketio 5 clients, room', link: 'lesson=socketio&clients=5&emit=room&m=c:Hi&m=s:News' },
    { name: 'socketio 2 clients, io.emit', link: 'lesson=socketio&clients=2&emit=io' },
    { name: 'socketio polling only', link: 'lesson=socketio&transport=polling&m=c:a&m=s:b&m=c:c' },
    {
      name: 'socketio non-ASCII, ev=',
      link: 'lesson=socketio&ev=news&m=c:caf%C3%A9%20%F0%9F%98%80&m=s:%D7%A9%D7%9C%D7%95%D7%9D',
    },
    { name: 'socketio drop (reconnect)', link: 'lesson=socketio&drop=81&m=c:Hello&m=c:Are%20you%20there%3F' },
    {
      name: 'socketio drop, polling',
      link: 'lesson=socketio&transport=polling&drop=40&m=c:1&m=c:2&m=c:3&m=c:4&ping=0',
    },
    { name: 'socketio loss on a frame', link: 'lesson=socketio&loss=28' },
    {
      name: 'socketio 1 KB events, mss=536',
      link: `lesson=socketio&mss=536&m=c:${'x'.repeat(1000)}&m=s:${'y'.repeat(3000)}`,
    },
    // https:// polling and wss:// (RFC 8446): every connection's records, decrypted with the key log.
    { name: 'socketio over TLS', link: 'lesson=socketio&tls=1' },
    { name: 'socketio over TLS, polling only', link: 'lesson=socketio&tls=1&transport=polling&m=c:a&m=s:b' },
    { name: 'socketio over TLS, 2 clients', link: 'lesson=socketio&tls=1&clients=2&emit=broadcast' },
    { name: 'polling vs websocket', link: 'lesson=polling-vs-websocket' },
    { name: 'polling vs websocket, 250 ms', link: 'lesson=polling-vs-websocket&interval=250' },
  ];
}

interface Row {
  readonly frame: number;
  readonly src: string;
  /** ARP's opcode, '' for any other frame. */
  readonly arp: string;
  readonly dst: string;
  readonly srcPort: string;
  readonly dstPort: string;
  readonly seq: string;
  readonly ipOk: string;
  readonly tcpOk: string;
  readonly malformed: boolean;
  readonly experts: { severity: number; message: string }[];
  readonly flags: string[];
  readonly wsTexts: string[];
  readonly bodies: string[];
  readonly tlsRecords: number;
  readonly tlsTyped: number;
}

function unescape(s: string): string {
  return s.replace(/\\([\\tnr])/g, (_, c: string) => ({ '\\': '\\', t: '\t', n: '\n', r: '\r' })[c]!);
}

function tshark(file: string, keyLog: string | null = null): Row[] {
  const fields = [
    'frame.number',
    'ip.src',
    'ip.dst',
    'tcp.srcport',
    'tcp.dstport',
    'tcp.seq_raw',
    'ip.checksum.status',
    'tcp.checksum.status',
    '_ws.malformed',
    '_ws.expert.severity',
    '_ws.expert.message',
    'websocket.payload.text',
    'http.file_data',
    ...FLAGS,
    'tls.record.length',
    'tls.record.content_type',
    'arp.opcode',
  ];
  const columns = tsharkColumns(file, fields, keyLog ? [`tls.keylog_file:${keyLog}`] : []);
  return columns.map((c) => {
    const all = (i: number): string[] => (c[i] ? c[i]!.split(OCCURRENCES) : []);
    const sev = all(9).map(Number);
    const msg = all(10);
    return {
      frame: Number(c[0]),
      src: c[1] ?? '',
      dst: c[2] ?? '',
      srcPort: c[3] ?? '',
      dstPort: c[4] ?? '',
      seq: c[5] ?? '',
      ipOk: c[6] ?? '',
      tcpOk: c[7] ?? '',
      malformed: (c[8] ?? '') !== '',
      experts: sev.map((severity, i) => ({ severity, message: msg[i] ?? '' })),
      wsTexts: all(11).map(unescape),
      bodies: all(12).map(unescape),
      flags: FLAGS.filter((_, i) => (c[13 + i] ?? '') !== ''),
      tlsRecords: all(13 + FLAGS.length).length,
      tlsTyped: all(14 + FLAGS.length).length,
      arp: c[15 + FLAGS.length] ?? '',
    };
  });
}

/** Engine.IO texts per connection and direction, as the capture at `at` must show them. */
function expected(t: Timeline, at: string): Map<string, string[]> {
  const ipOf = new Map(t.hosts.map((h) => [h.id, h.ip]));
  const delivered = (id: number): boolean =>
    !t.packets[id]!.lost || t.packets.some((q) => q.retransmissionOf === id && !q.lost);
  /** When the card at `at` first captures a copy of packet `id` (the original, or the first retransmission to get there). */
  const capturedAt = (id: number): number => {
    const copies = t.packets.filter((q) => q.id === id || q.retransmissionOf === id);
    const seen = copies.filter((q) => q.from === at || !q.lost);
    return Math.min(...seen.map((q) => (q.from === at ? q.sentAt : q.arrivesAt)));
  };
  /**
   * Wireshark flags a segment as a retransmission, and does not dissect its data, when the card has already
   * captured a later sequence number from that sender: here, when the copies sent before were lost on the way
   * and a later segment (ws's FIN after closeTimeout, sim/libs/websocket.ts) reached the card first. The text
   * is then in the capture but not decoded; the judge leaves it out rather than miscount.
   */
  const hiddenByLaterSeq = (p: Packet): boolean => {
    if (p.from === at) return false;
    const when = capturedAt(p.id);
    return t.packets.some(
      (q) =>
        q.connection === p.connection &&
        q.from === p.from &&
        !q.lost &&
        q.arrivesAt < when &&
        q.tcp.relSeq > p.tcp.relSeq,
    );
  };
  const out = new Map<string, string[]>();
  for (const p of t.packets) {
    if (p.retransmissionOf !== undefined || !p.app) continue;
    if (at !== 'server' && p.from !== at && p.to !== at) continue;
    if (p.from !== at && !delivered(p.id)) continue;
    if (hiddenByLaterSeq(p)) continue;
    let text: string | null = null;
    if (p.app.kind === 'engineio') text = p.app.packets.join('\x1e');
    else if (p.app.kind === 'ws-frame' && p.app.opcode === 1) text = p.app.text;
    if (text === null) continue;
    const key =
      p.from === 'server'
        ? `${ipOf.get(p.to)}:${p.tcp.dstPort} s2c`
        : `${ipOf.get(p.from)}:${p.tcp.srcPort} c2s`;
    out.set(key, [...(out.get(key) ?? []), text]);
  }
  return out;
}

function seen(rows: readonly Row[], serverIp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const done = new Set<string>();
  for (const r of rows) {
    if (
      r.flags.includes('tcp.analysis.retransmission') ||
      r.flags.includes('tcp.analysis.fast_retransmission')
    )
      continue;
    // Engine.IO bodies start with a packet type digit; `ok`, JSON answers and error bodies do not.
    const texts = [...r.wsTexts, ...r.bodies.filter((b) => /^[0-6]/.test(b))];
    if (texts.length === 0) continue;
    const s2c = r.src === serverIp;
    const key = s2c ? `${r.dst}:${r.dstPort} s2c` : `${r.src}:${r.srcPort} c2s`;
    const once = `${key}#${r.seq}`;
    if (done.has(once)) continue;
    done.add(once);
    out.set(key, [...(out.get(key) ?? []), ...texts]);
  }
  return out;
}

function sameMaps(a: Map<string, string[]>, b: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k) ?? [];
    const y = b.get(k) ?? [];
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
      const show = (xs: string[]): string =>
        xs.map((s) => (s.length > 24 ? s.slice(0, 24) + '…' : s)).join(' | ');
      problems.push(`${k}: tshark saw [${show(x)}], the timeline says [${show(y)}]`);
    }
  }
  return problems;
}

export function judgeSocketIo(scenario: Scenario, t: Timeline, at: string, rows: readonly Row[]): string[] {
  const problems: string[] = [];
  const lossy = scenario.loss.length > 0 || scenario.drop !== null;
  if (rows.length === 0) problems.push('tshark read no frames');
  for (const r of rows) {
    const f = `frame ${r.frame}`;
    // An ARP frame (RFC 826) has no IPv4 or TCP: a request (1) or a reply (2), and no expert warning.
    if (r.arp !== '') {
      if (r.arp !== '1' && r.arp !== '2') problems.push(`${f}: ARP opcode ${r.arp}`);
      if (r.malformed) problems.push(`${f}: malformed`);
      for (const e of r.experts) if (e.severity >= WARN) problems.push(`${f}: ARP expert: ${e.message}`);
      continue;
    }
    if (r.ipOk !== '1') problems.push(`${f}: IP checksum status ${r.ipOk || 'missing'}`);
    if (r.tcpOk !== '1') problems.push(`${f}: TCP checksum status ${r.tcpOk || 'missing'}`);
    if (r.malformed) problems.push(`${f}: malformed`);
    for (const e of r.experts) {
      const explained =
        lossy &&
        (EXPLAINED_BY_LOSS.test(e.message) || (scenario.drop !== null && EXPLAINED_BY_DROP.test(e.message)));
      if (e.severity >= WARN && !explained) problems.push(`${f}: expert: ${e.message}`);
    }
    for (const fl of r.flags) if (!(lossy && LOSS_FLAGS.has(fl))) problems.push(`${f}: ${fl}`);
    // An encrypted record tshark could not decrypt has a length but no (inner) content type.
    if (r.tlsTyped < r.tlsRecords)
      problems.push(`${f}: ${r.tlsRecords - r.tlsTyped} TLS records not decrypted`);
  }
  if (scenario.tls && !rows.some((r) => r.tlsRecords > 0)) problems.push('no TLS records in a tls=1 capture');
  const server = t.hosts.find((h) => h.role === 'server')!.ip;
  problems.push(...sameMaps(seen(rows, server), expected(t, at)));
  return problems;
}

/** The judge must fail on a wrong Engine.IO text and on a corrupted byte. */
export function socketIoSelfTest(dir: string): string[] {
  const failures: string[] = [];
  const s = parseLink('lesson=socketio').state.scenario;
  const t = buildTimeline(s, ALL_STORIES);
  const file = join(dir, 'sio-self-test.pcap');
  const bytes = timelinePcap(t);
  writeFileSync(file, bytes);
  const rows = tshark(file);
  if (judgeSocketIo(s, t, 'client', rows).length > 0) failures.push('the socketio lesson itself fails');
  const tampered = {
    ...t,
    packets: t.packets.map((p) =>
      p.app?.kind === 'ws-frame' && p.app.text === '42["chat message","Hi!"]'
        ? { ...p, app: { ...p.app, text: '42["chat message","Hi?"]' } }
        : p,
    ),
  };
  if (!judgeSocketIo(s, tampered, 'client', rows).some((x) => x.includes('tshark saw')))
    failures.push('a wrong Engine.IO text went unnoticed');
  const flipped = bytes.slice();
  flipped[flipped.length - 1]! ^= 0xff;
  writeFileSync(file, flipped);
  if (!judgeSocketIo(s, t, 'client', tshark(file)).some((x) => x.includes('TCP checksum')))
    failures.push('a corrupted byte went unnoticed');
  return failures;
}

export interface SioResult {
  readonly name: string;
  readonly file: string;
  readonly packets: number;
  readonly problems: readonly string[];
}

export function runSocketIoMatrix(dir: string): SioResult[] {
  const out: SioResult[] = [];
  socketIoCases().forEach((c, i) => {
    const { state, problems: linkProblems } = parseLink(c.link);
    const t = buildTimeline(state.scenario, ALL_STORIES);
    for (const at of ['client', 'server']) {
      const file = join(dir, `sio-${String(i + 1).padStart(2, '0')}-${at}.pcap`);
      writeFileSync(file, timelinePcap(t, at));
      const log = timelineKeyLog(t);
      const keys = log === null ? null : file.replace(/\.pcap$/, '.keys');
      if (keys) writeFileSync(keys, log!);
      out.push({
        name: `${c.name} (at the ${at === 'client' ? 'browser' : 'server'})`,
        file,
        packets: t.packets.length,
        problems: [
          ...linkProblems.map((p) => `link: ${p.param}: ${p.message}`),
          ...judgeSocketIo(state.scenario, t, at, tshark(file, keys)),
        ],
      });
    }
  });
  return out;
}
