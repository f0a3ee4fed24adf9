/**
 * The Socket.IO story's words: the facts a run has established, the misconceptions its steps meet, and
 * how its sentences name hosts, connections and Engine.IO/Socket.IO packets.
 */
import { utf8 } from '../../../protocol/bytes';
import { clipText, type EioPacketRepr } from '../../../protocol/engineio';
import { decodeSioPacket, SIO_PACKET_TYPES } from '../../../protocol/socketio';
import type { EioWrite } from '../../libs/engineio/writes';
import type { OpenReason } from '../../libs/http';
import { quoted } from '../../steps/phrases';
import type { Scenario } from '../../scenario';
import type { EioHandshake } from '../../../protocol/engineio';
import type { HostId, HostInfo, Packet } from '../../types';

export const SIO_MISCONCEPTIONS = {
  // CURRICULUM M1; socket.io lib/socket.ts emit() (one client), lib/namespace.ts emit() (every socket),
  // lib/socket.ts broadcast (all but this socket), lib/broadcast-operator.ts to(room).
  M1:
    'Students often write that socket.emit() sends a message to all connected clients. It does not: ' +
    'socket.emit reaches the one peer at the other end of that socket; io.emit reaches everyone, ' +
    'socket.broadcast.emit everyone but the sender, io.to(room).emit the room.',
  // CURRICULUM M4; engine.io-parser lib/commons.ts PACKET_TYPES and socket.io-parser lib/index.ts: its own
  // packets; engine.io-client lib/socket.ts: polling first, then the WebSocket upgrade.
  M4:
    'Students often write that Socket.IO is an implementation of the WebSocket protocol. It is a ' +
    'protocol of its own (Engine.IO and Socket.IO packets) that may use a WebSocket as its transport: ' +
    'here it starts with ordinary HTTP requests, and even on the WebSocket every frame carries ' +
    'Engine.IO and Socket.IO bytes that a plain WebSocket peer would not understand.',
  // CURRICULUM M5; RFC 1123 §6.1: DNS is an application-layer protocol; engine.io-client lib/socket.ts
  // createTransport(): query.sid = this.id in every request's URL; engine.io lib/socket.ts: the heartbeat.
  M5:
    'Students often write that the session layer includes DNS. DNS is an application protocol. The ' +
    'session here is the Engine.IO session: its sid, kept across HTTP requests and a WebSocket, and its ' +
    'heartbeat. It adds no header of its own: the sid rides in the URL of each request (?sid=…).',
  // CURRICULUM M8; engine.io-parser lib/commons.ts: ping "2", pong "3"; socket.io-client lib/manager.ts
  // onping() emits "ping", ManagerReservedEvents (reconnect, reconnect_attempt; no connect_timeout in v4);
  // socket.io lib/socket.ts join()/leave() are methods.
  M8:
    'Students often list ping, reconnect, join, leave or connect_timeout as socket events. In Socket.IO 4 ' +
    'the heartbeat is Engine.IO packets 2 and 3 (the Manager emits "ping"), reconnect and ' +
    'reconnect_attempt are Manager events (socket.io.on), join and leave are server methods, and ' +
    'connect_timeout no longer exists.',
} as const;

/** Which connection a packet belongs to, as the story opened it. */
export interface ConnInfo {
  readonly browser: HostId;
  readonly purpose: 'http' | 'websocket';
  /** Counts this browser's connections of this purpose from 1. */
  readonly n: number;
  readonly reason: OpenReason | 'websocket';
}

/** What the run has established so far, for the sentences. */
export interface SioFacts {
  readonly scenario: Scenario;
  readonly hosts: ReadonlyMap<HostId, HostInfo>;
  readonly server: HostInfo;
  readonly packets: readonly Packet[];
  readonly events: { readonly event: string; readonly join: string; readonly ack: string };
  readonly sid: Map<HostId, string>;
  readonly socketId: Map<HostId, string>;
  readonly handshake: Map<HostId, EioHandshake>;
  readonly conns: Map<number, ConnInfo>;
  /** Browser 1's path is down now. */
  linkDown: boolean;
  /** Browser 1's own network is down now (offline=): the browser knows it. */
  browserOffline: boolean;
  /** Explanations given once per run (keys). */
  readonly told: Set<string>;
}

export function label(f: SioFacts, id: HostId): string {
  return f.hosts.get(id)?.label ?? (id === f.server.id ? 'Server' : id);
}

export function many(f: SioFacts): boolean {
  return f.scenario.clients > 1;
}

/** Once per run: the first call with `key` returns `text`, later ones ''. */
export function once(f: SioFacts, key: string, text: string): string {
  if (f.told.has(key)) return '';
  f.told.add(key);
  return text;
}

export function list(names: readonly string[]): string {
  if (names.length === 0) return 'nobody';
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

export function sidShort(sid: string | undefined): string {
  return sid ?? '(none yet)';
}

// ---- Engine.IO and Socket.IO packets in words ----

/** `42["chat message","Hello"]` explained: Engine.IO type, then the Socket.IO packet inside. */
export function packetMeaning(p: EioPacketRepr): string {
  // engine.io-parser lib/commons.ts PACKET_TYPES: open 0, close 1, ping 2, pong 3, message 4, upgrade 5,
  // noop 6; engine.io-client lib/socket.ts _probe(): ping and pong with the data "probe".
  switch (p.type) {
    case 'open':
      // engine.io lib/socket.ts onOpen(): "0" + JSON { sid, upgrades, pingInterval, pingTimeout, maxPayload }.
      return '0 = Engine.IO open, with the handshake JSON';
    case 'close':
      // engine.io-client lib/transports/polling.ts doClose() and engine.io lib/transports/polling.ts doClose():
      // either side may send it.
      return '1 = Engine.IO close: the sender ends the session';
    case 'ping':
      // engine.io-parser lib/commons.ts: "2"; engine.io-client lib/socket.ts _probe(): "2probe".
      return p.data === 'probe' ? '2probe = Engine.IO ping with the data "probe"' : '2 = Engine.IO ping';
    case 'pong':
      // engine.io-parser lib/commons.ts: "3"; engine.io lib/socket.ts: the probe is answered "3probe".
      return p.data === 'probe' ? '3probe = Engine.IO pong "probe"' : '3 = Engine.IO pong';
    case 'upgrade':
      return '5 = Engine.IO upgrade';
    case 'noop':
      return '6 = Engine.IO noop (nothing)';
    case 'message': {
      const d = sioOf(p)!;
      if (!d.ok) return `4 = Engine.IO message carrying ${quoted(p.data ?? '', 30)}`;
      const s = d.repr;
      const id = s.id !== undefined ? `, ack id ${s.id}` : '';
      // socket.io-parser lib/index.ts PacketType: CONNECT 0, DISCONNECT 1, EVENT 2, ACK 3; Encoder
      // encodeAsString(): type, ack id, JSON; socket.io lib/socket.ts _onconnect(): CONNECT answered with { sid }.
      switch (s.type) {
        case SIO_PACKET_TYPES.CONNECT:
          // socket.io-parser lib/index.ts CONNECT = 0; socket.io-client connects to "/" with no data.
          return s.data === undefined
            ? '4 = Engine.IO message, 0 = Socket.IO CONNECT to the main namespace "/"'
            : `4 = Engine.IO message, 0 = Socket.IO CONNECT, answered with ${JSON.stringify(s.data)}`;
        case SIO_PACKET_TYPES.DISCONNECT:
          // socket.io-parser lib/index.ts DISCONNECT = 1.
          return '4 = Engine.IO message, 1 = Socket.IO DISCONNECT';
        case SIO_PACKET_TYPES.EVENT:
          // socket.io-parser lib/index.ts EVENT = 2: the data is the array [name, ...args].
          return `4 = Engine.IO message, 2 = Socket.IO EVENT${id}, then the JSON array ${JSON.stringify(s.data)}`;
        case SIO_PACKET_TYPES.ACK:
          // socket.io-parser lib/index.ts ACK = 3: the data is the callback's arguments.
          return `4 = Engine.IO message, 3 = Socket.IO ACK${id}, then the callback's arguments ${JSON.stringify(s.data)}`;
        default:
          // socket.io-parser lib/index.ts PacketType: CONNECT_ERROR 4, BINARY_EVENT 5, BINARY_ACK 6.
          return `4 = Engine.IO message, Socket.IO type ${s.type}`;
      }
    }
  }
}

export function textOf(p: EioPacketRepr): string {
  const digit = { open: 0, close: 1, ping: 2, pong: 3, message: 4, upgrade: 5, noop: 6 }[p.type];
  return `${digit}${p.data ?? ''}`;
}

const decoded = new WeakMap<EioPacketRepr, ReturnType<typeof decodeSioPacket>>();

/** The Socket.IO packet inside an Engine.IO message, or null (decoded once per packet). */
export function sioOf(p: EioPacketRepr): ReturnType<typeof decodeSioPacket> | null {
  if (p.type !== 'message') return null;
  let d = decoded.get(p);
  if (!d) decoded.set(p, (d = decodeSioPacket(p.data ?? '')));
  return d;
}

export function isEvent(p: EioPacketRepr, name?: string): boolean {
  const d = sioOf(p);
  if (!d || !d.ok || d.repr.type !== SIO_PACKET_TYPES.EVENT || !Array.isArray(d.repr.data)) return false;
  return name === undefined || d.repr.data[0] === name;
}

/** A packet's text as it travels, quoted for a sentence: ‹42["chat message","Hello"]›, long ones cut. */
export function lit(text: string): string {
  return `‹${clipText(text, 80)}›`;
}

/** Several packets in one polling body, in words. */
export function bodyText(w: EioWrite): string {
  const ps = w.packets;
  if (ps.length === 1) return `${lit(w.text)}: ${packetMeaning(ps[0]!)}.`;
  // engine.io-parser lib/index.ts encodePayload(): packets joined by SEPARATOR, String.fromCharCode(30).
  return (
    `${ps.length} packets joined by the record separator 0x1e: ` +
    ps.map((p) => `${lit(textOf(p))} (${packetMeaning(p)})`).join('; ') +
    '.'
  );
}

export function connOf(p: Packet, f: SioFacts): ConnInfo | undefined {
  return f.conns.get(p.connection);
}

export function connName(c: ConnInfo | undefined, f: SioFacts, own = false): string {
  if (!c) return 'this connection';
  const who = own ? '' : `${label(f, c.browser)}'s `;
  return c.purpose === 'websocket'
    ? `${who}WebSocket connection${c.n > 1 ? ` #${c.n}` : ''}`
    : `${who}HTTP connection ${c.n}`;
}

export function arrow(p: Packet, f: SioFacts): string {
  return `${label(f, p.from)} → ${label(f, p.to)}`;
}

export function browserOfPacket(p: Packet, f: SioFacts): HostId {
  return f.hosts.has(p.from) && p.from !== f.server.id ? p.from : p.to;
}

export function target(w: EioWrite): string {
  return w.http && 'target' in w.http ? w.http.target : '';
}

export function bodyLength(w: EioWrite): number {
  return utf8(w.text).length;
}

export function sioType(p: EioPacketRepr): number | null {
  const d = sioOf(p);
  return d && d.ok ? d.repr.type : null;
}

export function clip(s: string, n = 48): string {
  const chars = Array.from(s);
  return chars.length > n ? chars.slice(0, n).join('') + '…' : s;
}

/** A host's name inside a sentence: a lone browser is "the browser", several are "Browser 2"… */
export function mid(f: SioFacts, id: HostId): string {
  const l = label(f, id);
  return l === 'Browser' ? 'the browser' : l;
}

export function browserList(f: SioFacts): string {
  const bs = [...f.hosts.values()].filter((h) => h.role === 'client');
  return bs.length === 1
    ? `the browser is ${bs[0]!.ip}`
    : `the browsers are ${list(bs.map((h) => `${h.label} (${h.ip})`))}`;
}

export function argsText(args: readonly unknown[]): string {
  return args.map((x) => (typeof x === 'string' ? quoted(x, 30) : JSON.stringify(x))).join(', ');
}
