/**
 * What each step of the Socket.IO lessons says: a title and a few plain sentences for students, with
 * this run's real values (the sid, the socket ids, the packet strings, the ports, the backoff delays).
 * Steps answer CURRICULUM.md Q4–Q9 and Q13 and meet M1, M4, M5 and M8; they carry those ids.
 */
import { toHex, utf8 } from '../../../protocol/bytes';
import { clipText, type EioHandshake, type EioPacketRepr } from '../../../protocol/engineio';
import { headerValue } from '../../../protocol/http';
import { decodeSioPacket, SIO_PACKET_TYPES } from '../../../protocol/socketio';
import { maskPayload } from '../../../protocol/websocket';
import type { EioWrite } from '../../libs/engineio';
import type { OpenReason } from '../../libs/http';
import { bytesText, msText, quoted, type Narration } from '../../steps/narration';
import { SIO_DEFAULTS, SIO_STORY, type SioAppEvent } from '../../libs/socketio';
import type { Scenario } from '../../scenario';
import type { HostId, HostInfo, Packet } from '../../types';

export const SIO_MISCONCEPTIONS = {
  M1:
    'Students often write that socket.emit() sends a message to all connected clients. It does not: ' +
    'socket.emit reaches the one peer at the other end of that socket; io.emit reaches everyone, ' +
    'socket.broadcast.emit everyone but the sender, io.to(room).emit the room.',
  M4:
    'Students often write that Socket.IO is an implementation of the WebSocket protocol. It is a ' +
    'protocol of its own (Engine.IO and Socket.IO packets) that may use a WebSocket as its transport: ' +
    'here it starts with ordinary HTTP requests, and even on the WebSocket every frame carries ' +
    'Engine.IO and Socket.IO bytes that a plain WebSocket peer would not understand.',
  M5:
    'Students often write that the session layer includes DNS. DNS is an application protocol. The ' +
    'session here is the Engine.IO session: its sid, kept across HTTP requests and a WebSocket, and its ' +
    'heartbeat. It adds no header of its own.',
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
  /** Explanations given once per run (keys). */
  readonly told: Set<string>;
}

export function label(f: SioFacts, id: HostId): string {
  return f.hosts.get(id)?.label ?? (id === f.server.id ? 'Server' : id);
}

function many(f: SioFacts): boolean {
  return f.scenario.clients > 1;
}

/** Once per run: the first call with `key` returns `text`, later ones ''. */
function once(f: SioFacts, key: string, text: string): string {
  if (f.told.has(key)) return '';
  f.told.add(key);
  return text;
}

function list(names: readonly string[]): string {
  if (names.length === 0) return 'nobody';
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function sidShort(sid: string | undefined): string {
  return sid ?? '(none yet)';
}

// ---- Engine.IO and Socket.IO packets in words ----

/** `42["chat message","Hello"]` explained: Engine.IO type, then the Socket.IO packet inside. */
export function packetMeaning(p: EioPacketRepr): string {
  switch (p.type) {
    case 'open':
      return '0 = Engine.IO open, with the handshake JSON';
    case 'close':
      return '1 = Engine.IO close: the browser ends the session';
    case 'ping':
      return p.data === 'probe' ? '2probe = Engine.IO ping with the data "probe"' : '2 = Engine.IO ping';
    case 'pong':
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
      switch (s.type) {
        case SIO_PACKET_TYPES.CONNECT:
          return s.data === undefined
            ? '4 = Engine.IO message, 0 = Socket.IO CONNECT to the main namespace "/"'
            : `4 = Engine.IO message, 0 = Socket.IO CONNECT, answered with ${JSON.stringify(s.data)}`;
        case SIO_PACKET_TYPES.DISCONNECT:
          return '4 = Engine.IO message, 1 = Socket.IO DISCONNECT';
        case SIO_PACKET_TYPES.EVENT:
          return `4 = Engine.IO message, 2 = Socket.IO EVENT${id}, then the JSON array ${JSON.stringify(s.data)}`;
        case SIO_PACKET_TYPES.ACK:
          return `4 = Engine.IO message, 3 = Socket.IO ACK${id}, then the callback's arguments ${JSON.stringify(s.data)}`;
        default:
          return `4 = Engine.IO message, Socket.IO type ${s.type}`;
      }
    }
  }
}

function textOf(p: EioPacketRepr): string {
  const digit = { open: 0, close: 1, ping: 2, pong: 3, message: 4, upgrade: 5, noop: 6 }[p.type];
  return `${digit}${p.data ?? ''}`;
}

const decoded = new WeakMap<EioPacketRepr, ReturnType<typeof decodeSioPacket>>();

/** The Socket.IO packet inside an Engine.IO message, or null (decoded once per packet). */
function sioOf(p: EioPacketRepr): ReturnType<typeof decodeSioPacket> | null {
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
function lit(text: string): string {
  return `‹${clipText(text, 80)}›`;
}

/** Several packets in one polling body, in words. */
function bodyText(w: EioWrite): string {
  const ps = w.packets;
  if (ps.length === 1) return `${lit(w.text)}: ${packetMeaning(ps[0]!)}.`;
  return (
    `${ps.length} packets joined by the record separator 0x1e: ` +
    ps.map((p) => `${lit(textOf(p))} (${packetMeaning(p)})`).join('; ') +
    '.'
  );
}

function connOf(p: Packet, f: SioFacts): ConnInfo | undefined {
  return f.conns.get(p.connection);
}

function connName(c: ConnInfo | undefined, f: SioFacts, own = false): string {
  if (!c) return 'this connection';
  const who = own ? '' : `${label(f, c.browser)}'s `;
  return c.purpose === 'websocket'
    ? `${who}WebSocket connection${c.n > 1 ? ` #${c.n}` : ''}`
    : `${who}HTTP connection ${c.n}`;
}

function arrow(p: Packet, f: SioFacts): string {
  return `${label(f, p.from)} → ${label(f, p.to)}`;
}

function browserOfPacket(p: Packet, f: SioFacts): HostId {
  return f.hosts.has(p.from) && p.from !== f.server.id ? p.from : p.to;
}

// ---- Transmit steps ----

export function narrateSioPacket(p: Packet, w: EioWrite | undefined, f: SioFacts): Narration {
  const again = p.retransmissionOf !== undefined;
  const prefix = again ? 'Again: ' : '';
  const againText = again
    ? ` This is a retransmission of packet #${p.retransmissionOf! + 1}: TCP sends the same bytes again because no acknowledgment came.`
    : '';
  const n = w && p.app?.kind !== 'continuation' ? narrateWrite(p, w, f) : narrateTcpOnly(p, w, f);
  return { ...n, title: prefix + n.title, text: n.text + againText };
}

function narrateTcpOnly(p: Packet, w: EioWrite | undefined, f: SioFacts): Narration {
  const c = connOf(p, f);
  const flags = p.tcp.flags;
  const a = arrow(p, f);
  if (p.app?.kind === 'continuation' && w) {
    return {
      title: `Next piece of ${w.purpose === 'ws-frame' ? 'the frame' : 'the HTTP message'}`,
      text: `${a}: ${bytesText(p.tcp.len)} more of the ${bytesText(w.bytes.length)} the program wrote; TCP cuts long writes into segments.`,
    };
  }
  if (flags.includes('RST') && !flags.includes('ACK')) {
    return {
      title: `RST: ${label(f, p.from)} no longer knows ${connName(c, f, p.from === c?.browser)}`,
      text:
        `${a}: [RST]. A segment arrived for a connection this side has already dropped, so its TCP answers ` +
        'with a reset (RFC 9293 §3.10.7.1) and the other side gives up on it too.',
    };
  }
  if (flags.includes('RST')) {
    return {
      title: `RST: ${label(f, p.from)} aborts ${connName(c, f, p.from === c?.browser)}`,
      text:
        `${a}: [RST, ACK]. The program gave up on this connection (its peer went silent), so TCP drops ` +
        'it at once instead of closing it politely; a RST tells the other side, if it can still hear.',
    };
  }
  if (flags.includes('SYN') && !flags.includes('ACK')) {
    const port = p.tcp.srcPort;
    const why = !c
      ? ''
      : c.reason === 'websocket'
        ? 'For the upgrade, engine.io-client opens a WebSocket, and a browser gives every WebSocket a TCP ' +
          'connection of its own; the HTTP connections stay as they are meanwhile.'
        : c.reason === 'first'
          ? `The page's first request needs a connection to ${f.server.ip}, port 80.` +
            once(f, 'tcp-lesson', ' (The WebSocket lesson shows this three-way handshake number by number.)')
          : c.reason === 'retry'
            ? 'The server closed the idle connection just as a request left on it; the browser sends the request again on a new one.'
            : 'Every other connection to the server is busy (a long-poll GET waits there for its answer, or a ' +
              'POST does), and HTTP/1.1 carries one request at a time on a connection, so the browser opens ' +
              'another one (it allows up to six per server).';
    return {
      title: `SYN: ${label(f, p.from)} opens ${c ? 'its ' + connName(c, f, true) : 'a connection'} (port ${port})`,
      text: `${a}: [SYN] from port ${port}, Seq = ${p.tcp.seq}. ${why}`,
      ...(c?.purpose === 'websocket' ? { curriculum: ['M4'] } : {}),
    };
  }
  if (flags.includes('SYN')) {
    return {
      title: `SYN-ACK for ${connName(c, f)}`,
      text: `${a}: [SYN, ACK], Seq = ${p.tcp.seq}, Ack = ${p.tcp.ack}: the server accepts the connection.`,
    };
  }
  if (flags.includes('FIN')) {
    const fromServer = p.from === f.server.id;
    const text = !c
      ? 'FIN: this side will send nothing more.'
      : c.purpose === 'http'
        ? fromServer
          ? 'The connection has been idle for 5 s since its last answer, so Node closes it (server.keepAliveTimeout, ' +
            'announced in every answer as Keep-Alive: timeout=5). Nothing is lost: the session lives on in its sid, ' +
            'not in a TCP connection.'
          : 'The server closed its side, so the browser closes its side too.'
        : fromServer
          ? 'Both Close frames have crossed, so the server closes the TCP connection first (RFC 6455 §7.1.1).'
          : 'The browser closes its side of the WebSocket connection after the server did.';
    return {
      title: `FIN: ${label(f, p.from)} closes ${connName(c, f, p.from === c?.browser)}`,
      text: `${a}: [FIN, ACK]. ${text}`,
    };
  }
  if (
    p.tcp.relSeq === 1 &&
    p.tcp.relAck === 1 &&
    p.from !== f.server.id &&
    p.retransmissionOf === undefined
  ) {
    return {
      title: `ACK: ${connName(c, f)} is open`,
      text:
        `${a}: [ACK], the third segment of TCP's handshake. The connection is ready for ` +
        (c?.purpose === 'websocket' ? 'the WebSocket handshake, itself an HTTP request.' : 'HTTP requests.'),
    };
  }
  return {
    title: 'ACK',
    text: `${a}: [ACK], Ack = ${p.tcp.relAck} (relative): "I have every byte before this number" on ${connName(c, f)}.`,
  };
}

function target(w: EioWrite): string {
  return w.http && 'target' in w.http ? w.http.target : '';
}

function narrateWrite(p: Packet, w: EioWrite, f: SioFacts): Narration {
  const a = arrow(p, f);
  const b = w.browser;
  const sid = f.sid.get(b);
  switch (w.purpose) {
    case 'handshake-request': {
      const t = /[?&]t=([^&]+)/.exec(target(w))?.[1] ?? '';
      return {
        title: `Engine.IO handshake: GET ${target(w)}`,
        text:
          `${a}: io() starts with an ordinary HTTP request, not a WebSocket: GET ${target(w)} ` +
          `(${bytesText(w.bytes.length)} with the browser's usual headers). EIO=4 is the Engine.IO protocol ` +
          `version, transport=polling asks for HTTP long-polling, and t=${t} is a cache-buster engine.io-client ` +
          'makes from the clock so that no cache answers in the server’s place. There is no sid yet: the ' +
          'server will create the session.',
        curriculum: ['Q7', 'M4'],
        misconception: SIO_MISCONCEPTIONS.M4,
      };
    }
    case 'handshake-response': {
      const h = parseOpen(w) ?? f.handshake.get(b);
      const upgrades = h?.upgrades.length
        ? `upgrades ${JSON.stringify(h.upgrades)} (the browser may move the session to a WebSocket)`
        : 'upgrades [] (this server accepts only long-polling, so the browser will never try a WebSocket)';
      return {
        title: `Engine.IO open: 0{"sid":"${h?.sid ?? '?'}",…}`,
        text:
          `${a}: 200 OK, Content-Type: text/plain. The body is one Engine.IO packet: 0 (open) and JSON: ` +
          `sid ${h?.sid ?? '?'} (every later request of this session carries it), ${upgrades}, ` +
          `pingInterval ${h?.pingInterval ?? '?'} and pingTimeout ${h?.pingTimeout ?? '?'} (the server will ping ` +
          `every ${msText(h?.pingInterval ?? 0)} and wait ${msText(h?.pingTimeout ?? 0)} for the pong), maxPayload ` +
          `${h?.maxPayload ?? '?'} bytes. This is Engine.IO's protocol, carried by HTTP: no WebSocket so far.`,
        curriculum: ['Q7', 'M4', 'M5'],
      };
    }
    case 'post-request': {
      const closing = w.packets.some((x) => x.type === 'close');
      const connect = w.packets.some((x) => sioType(x) === SIO_PACKET_TYPES.CONNECT);
      return {
        title: `POST ${w.packets.map(textOf).join(' ␞ ')}`,
        text:
          `${a}: with long-polling the browser's packets travel in POST bodies: ${bytesText(w.bytes.length)} in ` +
          `all, ${bytesText(w.bytes.length - bodyLength(w))} of them HTTP headers for a body of ` +
          `${bytesText(bodyLength(w))}, ` +
          bodyText(w) +
          (connect
            ? ' Socket.IO asks to join the main namespace; the server will answer on the pending GET.'
            : closing
              ? ' The browser ends its Engine.IO session.'
              : '') +
          ` The URL carries sid=${sidShort(sid)}.`,
        curriculum: ['Q7'],
      };
    }
    case 'post-response':
      return {
        title: 'HTTP/1.1 200 OK: ok',
        text: `${a}: the server read the POST's packets and answers with the two letters "ok" (Content-Type: text/html).`,
      };
    case 'poll-request':
      return {
        title: `Long-poll GET …sid=${sidShort(sid)}`,
        text:
          `${a}: GET ${target(w)}. The browser always keeps one such request waiting. The server answers it ` +
          'only when it has something to send, so this is how a server "pushes" over HTTP, where it can only ' +
          'answer requests.' +
          once(f, 'poll-again', ' As soon as an answer comes, the browser sends the next GET.'),
        curriculum: ['Q7', 'Q8'],
      };
    case 'poll-response':
      return {
        title: `200 OK on the long poll: ${w.packets.map(textOf).join(' ␞ ')}`,
        text: `${a}: the server answers the waiting GET: ${bodyText(w)}` + pollExtra(w, f),
        curriculum: w.packets.some((x) => x.type === 'noop') ? ['Q7'] : ['Q7', 'Q8'],
      };
    case 'ws-upgrade-request': {
      const key = headerValue(w.http?.headers ?? [], 'Sec-WebSocket-Key') ?? '?';
      return {
        title: `WebSocket upgrade: GET ${target(w)}`,
        text:
          `${a}: the same session, a new transport. The URL carries sid=${sidShort(sid)} so the server can tie this ` +
          `WebSocket to the session it already has. Otherwise it is an ordinary WebSocket handshake: Upgrade: ` +
          `websocket, Connection: Upgrade, Sec-WebSocket-Key ${key}, version 13. The browser also offers ` +
          'permessage-deflate compression; socket.io turns it off by default, so the 101 will not accept it.',
        curriculum: ['Q7', 'M4'],
      };
    }
    case 'ws-upgrade-response': {
      const acc = headerValue(w.http?.headers ?? [], 'Sec-WebSocket-Accept') ?? '?';
      return {
        title: '101 Switching Protocols',
        text:
          `${a}: the server's ws library accepts: Sec-WebSocket-Accept ${acc}, base64(SHA-1(key + GUID)). This ` +
          'connection now carries WebSocket frames. The session still runs on long-polling until the probe ' +
          'has shown that this WebSocket works.',
        curriculum: ['Q7'],
      };
    }
    case 'ws-frame':
      return narrateFrame(p, w, f);
    case 'ws-close': {
      const code = p.app?.kind === 'ws-frame' ? p.app.closeCode : undefined;
      return {
        title: `WebSocket Close ${code ?? '(no status code)'}`,
        text:
          `${a}: a Close frame ${code === undefined ? 'with no status code (engine.io closes with ws.close())' : `with ${code}`}` +
          (p.from === f.server.id ? ', the answer to the browser’s.' : '.') +
          ' The WebSocket closing handshake; then TCP closes.',
      };
    }
    case 'ws-pong':
      return { title: 'WebSocket control frame', text: `${a}: a WebSocket ping/pong control frame.` };
    case 'http-error':
      return {
        title: `HTTP/1.1 ${'status' in (w.http ?? {}) ? (w.http as { status: number }).status : ''} ${w.text ? w.text : ''}`,
        text: `${a}: the server refuses the request: ${w.text || 'no body'}.`,
      };
    default:
      return { title: w.summary, text: `${a}: ${w.summary}.` };
  }
}

function bodyLength(w: EioWrite): number {
  return utf8(w.text).length;
}

function sioType(p: EioPacketRepr): number | null {
  const d = sioOf(p);
  return d && d.ok ? d.repr.type : null;
}

function parseOpen(w: EioWrite): EioHandshake | null {
  const open = w.packets.find((p) => p.type === 'open');
  if (!open?.data) return null;
  try {
    return JSON.parse(open.data) as EioHandshake;
  } catch {
    return null;
  }
}

function pollExtra(w: EioWrite, f: SioFacts): string {
  const parts: string[] = [];
  for (const p of w.packets) {
    const d = sioOf(p);
    if (p.type === 'noop') {
      parts.push(
        ' The server has nothing to say: it ends the waiting GET only so the browser can stop polling and finish the upgrade.',
      );
    } else if (p.type === 'ping') {
      parts.push(
        ' A heartbeat: over long-polling the ping rides on the waiting GET; the pong will come in a POST.',
      );
    } else if (d?.ok && d.repr.type === SIO_PACKET_TYPES.CONNECT) {
      const id = (d.repr.data as { sid?: string } | undefined)?.sid;
      parts.push(
        ` Socket.IO is connected: ${id} is the socket's id (socket.id), not the Engine.IO sid ` +
          `${f.sid.get(w.browser) ?? ''}; Socket.IO keeps the Engine.IO sid private.`,
      );
    }
  }
  return parts.join('');
}

/** Masked bytes of a client frame's first payload bytes, for the sentence. */
function maskSentence(w: EioWrite): string {
  const repr = w.frame;
  if (!repr) return '';
  if (!repr.maskKey) return ' Servers never mask.';
  const sample = repr.payload.subarray(0, 6);
  return ` Masked with the key ${toHex(repr.maskKey)}: ${toHex(sample)}… travel as ${toHex(maskPayload(sample, repr.maskKey))}….`;
}

function narrateFrame(p: Packet, w: EioWrite, f: SioFacts): Narration {
  const a = arrow(p, f);
  const e = w.packets[0];
  const size = w.frame
    ? `${bytesText(w.bytes.length)}: ${bytesText(w.bytes.length - w.frame.payload.length)} of WebSocket header, ${bytesText(w.frame.payload.length)} of payload`
    : bytesText(w.bytes.length);
  if (!e) {
    return {
      title: `WebSocket text ${quoted(w.text, 30)}`,
      text: `${a}: a WebSocket text frame (${size}).${maskSentence(w)}`,
    };
  }
  const fromServer = p.from === f.server.id;
  switch (e.type) {
    case 'ping':
      if (e.data === 'probe') {
        return {
          title: 'Probe: 2probe on the new WebSocket',
          text:
            `${a}: ${lit(w.text)} (${size}): an Engine.IO ping carrying the word "probe". Not a heartbeat: ` +
            'a test that this WebSocket really reaches the same session before the browser moves to it.' +
            maskSentence(w),
          curriculum: ['Q7', 'M4'],
        };
      }
      return {
        title: 'Heartbeat: ping 2',
        text:
          `${a}: one byte of payload, "2": an Engine.IO ping. The server sends one every ` +
          `${msText(SIO_DEFAULTS.pingIntervalMs)} (pingInterval) to check the browser is still there. This heartbeat ` +
          'belongs to the Engine.IO session (layer 5 here, not DNS). It is not a socket event: ' +
          "engine.io-client answers it by itself, and only the Manager reports it (socket.io.on('ping')).",
        curriculum: ['Q13', 'M5', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M5,
      };
    case 'pong':
      if (e.data === 'probe') {
        return {
          title: 'Probe answered: 3probe',
          text:
            `${a}: ${lit(w.text)}: the server's pong "probe". The WebSocket works. The browser now ` +
            'pauses long-polling: it waits for its pending GET to come back. So the server, every 100 ms, ends a ' +
            'pending GET with a noop (6).',
          curriculum: ['Q7'],
        };
      }
      return {
        title: 'Heartbeat: pong 3',
        text:
          `${a}: "3", the Engine.IO pong (${size}).${maskSentence(w)} No JavaScript of the page ran: ` +
          `engine.io-client answers pings by itself. Without this pong within ${msText(SIO_DEFAULTS.pingTimeoutMs)} ` +
          '(pingTimeout) the server would close the session.',
        curriculum: ['Q13', 'M5', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    case 'upgrade':
      return {
        title: 'Upgrade: 5',
        text:
          `${a}: "5", the Engine.IO upgrade packet. From now on every packet of session ${f.sid.get(w.browser) ?? ''} ` +
          'travels on this WebSocket; long-polling stops. Anything the page emitted meanwhile was kept and ' +
          'follows now.' +
          maskSentence(w),
        curriculum: ['Q7', 'M4'],
      };
    case 'close':
      return { title: 'Engine.IO close 1', text: `${a}: "1": the Engine.IO session ends.` };
    case 'noop':
      return { title: 'noop 6', text: `${a}: "6": an Engine.IO noop.` };
    case 'open':
      return { title: 'Engine.IO open', text: `${a}: ${packetMeaning(e)}.` };
    case 'message': {
      const d = sioOf(e);
      const s = d && d.ok ? d.repr : null;
      const layering =
        `${lit(w.text)} is ${packetMeaning(e)}. Three protocols in one frame: the WebSocket header ` +
        `(${bytesText(w.frame ? w.bytes.length - w.frame.payload.length : 0)}), Engine.IO's "4", Socket.IO's ` +
        `"${w.text[1] ?? ''}" and JSON.`;
      if (s?.type === SIO_PACKET_TYPES.EVENT && Array.isArray(s.data)) {
        const name = String(s.data[0]);
        const fanout = fromServer && many(f) && name === f.events.event;
        return {
          title: `${fromServer ? `Event to ${label(f, p.to)}` : 'Event'}: ${clip(w.text)}`,
          text:
            `${a}: a WebSocket text frame, ${size}. ` +
            layering +
            maskSentence(w) +
            (s.id !== undefined
              ? ` The ack id ${s.id} asks the other side to answer with ACK 43${s.id}[…].`
              : '') +
            (fanout
              ? ` This frame goes to ${label(f, p.to)} only, on its own connection; every recipient of the emit gets its own copy.`
              : '') +
            once(
              f,
              'plain-ws',
              ' A plain WebSocket server would receive the text 42[…] and not know what to do with it: Socket.IO needs Socket.IO at both ends.',
            ),
          curriculum: fanout ? ['Q7', 'M4', 'M1'] : ['Q7', 'M4'],
          ...(once(f, 'M4-frame', 'x') ? { misconception: SIO_MISCONCEPTIONS.M4 } : {}),
        };
      }
      if (s?.type === SIO_PACKET_TYPES.ACK) {
        return {
          title: `Acknowledgement: ${clip(w.text)}`,
          text:
            `${a}: ${lit(w.text)}: ${packetMeaning(e)}. It answers the EVENT with ack id ${s.id}: the ` +
            'callback the page passed to emit() will run with these values. Acknowledgements are Socket.IO’s, ' +
            'not WebSocket’s (Q8).',
          curriculum: ['Q8', 'Q7'],
        };
      }
      if (s?.type === SIO_PACKET_TYPES.DISCONNECT) {
        return {
          title: 'Socket.IO DISCONNECT: 41',
          text:
            `${a}: "41": ${packetMeaning(e)}. The page called socket.disconnect(); the server will fire its ` +
            '\'disconnect\' handler with the reason "client namespace disconnect". Then the WebSocket closes.' +
            maskSentence(w),
          curriculum: ['Q13'],
        };
      }
      return { title: clip(w.text), text: `${a}: ${layering}` };
    }
  }
}

function clip(s: string, n = 48): string {
  const chars = Array.from(s);
  return chars.length > n ? chars.slice(0, n).join('') + '…' : s;
}

export function narrateSioDrop(p: Packet, w: EioWrite | undefined, f: SioFacts, outage: boolean): Narration {
  const what = narrateSioPacket(p, w, f).title;
  const rst = p.tcp.flags.includes('RST');
  if (outage) {
    if (p.retransmissionOf !== undefined) {
      return {
        title: `Lost: ${what}`,
        text: `Packet #${p.wireIndex} (${p.summary}) is lost too: the path is still broken.`,
        curriculum: ['M7'],
      };
    }
    return {
      title: `Lost: ${what}`,
      text:
        `Packet #${p.wireIndex} (${p.summary}) goes nowhere: the path between ${mid(f, 'client')} and the ` +
        'server is broken. Nobody is told. ' +
        (rst
          ? 'A reset is never acknowledged or sent again: the other side will simply never hear it.'
          : 'TCP will notice only that no acknowledgment comes back, and will send it again, waiting longer each time.'),
      curriculum: ['M7'],
    };
  }
  return {
    title: `Lost on the wire: ${what}`,
    text:
      `Packet #${p.wireIndex} (${p.summary}) is lost: the link says loss=${p.wireIndex}. ` +
      (rst ? 'Resets are not sent again.' : 'TCP will resend it when no acknowledgment comes back.'),
  };
}

/** A host's name inside a sentence: a lone browser is "the browser", several are "Browser 2"… */
function mid(f: SioFacts, id: HostId): string {
  const l = label(f, id);
  return l === 'Browser' ? 'the browser' : l;
}

// ---- Application steps ----

function browserList(f: SioFacts): string {
  const bs = [...f.hosts.values()].filter((h) => h.role === 'client');
  return bs.length === 1
    ? `the browser is ${bs[0]!.ip}`
    : `the browsers are ${list(bs.map((h) => `${h.label} (${h.ip})`))}`;
}

function argsText(args: readonly unknown[]): string {
  return args.map((x) => (typeof x === 'string' ? quoted(x, 30) : JSON.stringify(x))).join(', ');
}

export function narrateSioApp(e: SioAppEvent, f: SioFacts): Narration | null {
  const B = 'browser' in e ? label(f, e.browser) : '';
  const ev = f.events.event;
  switch (e.kind) {
    case 'listen':
      return {
        title: 'The server listens on port 80',
        text:
          'server.js creates an HTTP server and attaches socket.io to it; socket.io answers every request under ' +
          `/socket.io/. Its defaults: a ping every ${msText(SIO_DEFAULTS.pingIntervalMs)} (pingInterval), ` +
          `${msText(SIO_DEFAULTS.pingTimeoutMs)} to wait for the pong (pingTimeout), at most ` +
          `${SIO_DEFAULTS.maxPayload} bytes per message.` +
          (f.scenario.transport === 'polling'
            ? " It is configured with transports: ['polling'], as one would behind a proxy that cannot pass WebSockets: every packet will travel in HTTP requests."
            : '') +
          ` The server is ${f.server.ip}; ${browserList(f)}.`,
        curriculum: f.scenario.transport === 'polling' ? ['Q8'] : [],
      };
    case 'io':
      return {
        title: `${B}: const socket = io()`,
        text:
          `The page in ${B} runs io(): a Manager (the connection, reconnection) and a Socket for the main ` +
          'namespace "/". It does not open a WebSocket: Engine.IO starts with HTTP long-polling, which works ' +
          'through any proxy, and tries to upgrade afterwards. Socket.IO is a library with its own protocol ' +
          'on top of HTTP and WebSocket, not a WebSocket implementation.',
        curriculum: ['Q7', 'M4'],
        ...(e.browser === 'client' ? { misconception: SIO_MISCONCEPTIONS.M4 } : {}),
      };
    case 'handshake':
      return null;
    case 'connection':
      return {
        title: "io.on('connection'): a user connected",
        text:
          `${B}'s CONNECT (40) has arrived, so socket.io creates a socket for it, with id ${e.socketId}, and ` +
          "runs the function given to io.on('connection'). io.on() registers a server-level handler: it runs " +
          'once for each client that connects and hands over that client’s own socket, on which the ' +
          `per-client handlers are registered (socket.on(${quoted(ev, 30)}), socket.on('disconnect')). It logs ` +
          '"a user connected": proof that the code runs. The answer 40{"sid":"…"} carries the socket id; the ' +
          `Engine.IO sid ${e.sid} stays between the server and this browser.`,
        curriculum: ['Q4', 'Q5', 'Q13'],
      };
    case 'connect':
      return {
        title: `${B}: 'connect' (socket.id ${e.socketId})`,
        text:
          `${B}'s socket is connected: socket.id is ${e.socketId}. 'connect' is one of the events Socket.IO fires ` +
          "itself (with 'connect_error' and 'disconnect'); an EVENT packet may not use these names. " +
          (e.again
            ? `This is a new session after the reconnection: a new Engine.IO sid and a new socket id. ` +
              (e.flushed > 0
                ? `The ${e.flushed === 1 ? 'event' : `${e.flushed} events`} emitted while offline waited in the send buffer and ${e.flushed === 1 ? 'goes' : 'go'} out now, in order.`
                : '')
            : 'The page logs it.'),
        curriculum: e.again ? ['Q13', 'Q8'] : ['Q13', 'Q5'],
      };
    case 'upgrade':
      return {
        title: `${B}: session moved to the WebSocket`,
        text:
          `engine.io-client has sent 5 and uses the WebSocket from now on for session ${e.sid}. The upgrade ` +
          'is invisible to the page: no handler runs, socket.id stays the same. The HTTP connections fall idle; ' +
          'the server will close them after 5 s.',
        curriculum: ['Q7', 'M4'],
      };
    case 'upgrade-error':
      return {
        title: `${B}: the WebSocket probe failed`,
        text: `The WebSocket could not be used (${e.why}); the session stays on long-polling. This fallback is one reason to use Socket.IO.`,
        curriculum: ['Q8'],
      };
    case 'join':
      return {
        title: `socket.join('${e.room}')`,
        text:
          `The server puts ${B}'s socket in the room ${quoted(e.room)}. socket.join() is a method on the server, ` +
          'not an event, and nothing is sent to the browser: rooms exist only in the server’s memory. The ' +
          `browser asked with our own event ${quoted(f.events.join)}. Members now: ${list(e.members.map((m) => label(f, m)))}.`,
        curriculum: ['Q8', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    case 'client-emit': {
      const isAck = e.ackId !== undefined;
      const isJoin = e.event === f.events.join;
      const call = isAck
        ? `socket.emit(${quoted(e.event, 30)}, callback)`
        : `socket.emit(${quoted(e.event, 30)}, ${argsText(e.args)})`;
      const wire = `4${e.packet}`;
      return {
        title: `${B}: ${call}`,
        text:
          `${call} sends one event to the other end of this socket: the server. It becomes the Socket.IO packet ` +
          `${e.packet} and, inside an Engine.IO message, the text ${wire}` +
          (isAck
            ? `: the ack id ${e.ackId} after the type says "answer me"; the server's handler gets a callback to call.`
            : '.') +
          (isJoin
            ? ` ${quoted(e.event)} is an event name of our own: there is no built-in join event.`
            : '') +
          (e.buffered
            ? ' The socket is not connected, so the packet waits in the send buffer; Socket.IO sends it after it reconnects (plain WebSockets have no such buffer).'
            : ''),
        curriculum: e.buffered ? ['Q6', 'Q8'] : isAck ? ['Q6', 'Q8'] : ['Q6'],
      };
    }
    case 'server-event': {
      if (e.event !== ev) return null;
      return {
        title: `socket.on(${quoted(ev, 30)}): message: ${clip(String(e.args[0] ?? ''), 30)}`,
        text:
          `socket.io decoded the EVENT from ${B} and calls the handler registered with socket.on(${quoted(ev, 30)}) ` +
          `with ${argsText(e.args)}. It logs "message: ${clip(String(e.args[0] ?? ''), 40)}".`,
        curriculum: ['Q5'],
      };
    }
    case 'fanout': {
      const to = e.recipients.map((r) => label(f, r));
      const missed = e.connected.filter((c) => !e.recipients.includes(c)).map((r) => label(f, r));
      const who: { [k in typeof e.emit]: string } = {
        socket: `the one client at the other end of this socket, ${label(f, e.from)}`,
        broadcast: `every connected client except ${label(f, e.from)}, the socket it is called on`,
        io: 'every connected client, the sender included',
        room: `the members of the room ${quoted(SIO_STORY.room)}`,
      };
      const call = `${e.call}(${quoted(e.event, 30)}, ${argsText(e.args)})`;
      return {
        title: `${call} → ${to.length === 0 ? 'nobody' : list(to)}`,
        text:
          (e.push
            ? `The server has news of its own (no request came first) and calls ${call}. `
            : `The handler calls ${call}. `) +
          `${e.call} reaches ${who[e.emit]}` +
          (e.emit === 'socket' ? '' : `: ${to.length === 0 ? 'nobody here' : list(to)}`) +
          (missed.length > 0 ? `; ${list(missed)} ${missed.length === 1 ? 'gets' : 'get'} nothing` : '') +
          `. The packet ${lit(`4${e.packet}`)} is encoded once and written to each recipient's own session.` +
          (e.emit === 'socket' && many(f)
            ? ' socket.emit does not send to all connected clients: it answers one.'
            : ''),
        curriculum: ['Q6', 'M1', ...(e.push ? ['Q3'] : [])],
        ...(many(f) || e.emit !== 'socket' ? { misconception: SIO_MISCONCEPTIONS.M1 } : {}),
      };
    }
    case 'ack-reply':
      return {
        title: `callback(${argsText(e.args)}): ACK 4${e.packet}`,
        text:
          `The handler for ${quoted(f.events.ack)} got a callback because the EVENT carried ack id ${e.ackId}. ` +
          `Calling it with ${argsText(e.args)} (io.engine.clientsCount, the Engine.IO sessions open) sends the ` +
          `ACK 4${e.packet} to ${B} only.`,
        curriculum: ['Q8'],
      };
    case 'client-event': {
      if (e.event !== ev) return null;
      const text = clip(String(e.args[0] ?? ''), 40);
      return {
        title: `${B}: message: ${text}`,
        text:
          `${B}'s handler for ${quoted(ev, 30)} runs and logs "message: ${text}".` +
          (many(f) && e.browser !== 'client'
            ? ' This browser sent nothing: the server chose to send it the event.'
            : ''),
        curriculum: many(f) ? ['Q5', 'M1'] : ['Q5'],
      };
    }
    case 'ack':
      return {
        title: `${B}: the callback runs: ${argsText(e.args)} users online`,
        text:
          `The ACK with id ${e.ackId} came back, so Socket.IO calls the function the page passed to emit() ` +
          `with ${argsText(e.args)}. Request and answer without inventing a protocol: one reason to choose Socket.IO.`,
        curriculum: ['Q8'],
      };
    case 'disconnect-call':
      return {
        title: `${B}: socket.disconnect()`,
        text:
          'The user leaves: the page calls socket.disconnect(). Socket.IO sends DISCONNECT (41), then the ' +
          'Manager closes the Engine.IO session' +
          (f.scenario.transport === 'polling'
            ? ' with an Engine.IO close (1) in a POST.'
            : ', which closes the WebSocket.') +
          ' The Manager will not reconnect after this.',
        curriculum: ['Q13'],
      };
    case 'client-disconnect': {
      const why: { [r: string]: string } = {
        'io client disconnect': 'the page called socket.disconnect() itself',
        'ping timeout': `no ping came for ${msText(SIO_DEFAULTS.pingIntervalMs + SIO_DEFAULTS.pingTimeoutMs)} (pingInterval + pingTimeout): the server must be unreachable. TCP had not noticed anything; the heartbeat did`,
        'transport close': 'the connection was closed',
        'transport error': 'the connection failed',
      };
      return {
        title: `${B}: 'disconnect' (${e.reason})`,
        text:
          `The socket fires 'disconnect' with the reason "${e.reason}": ${why[e.reason] ?? e.reason}. The page ` +
          `logs it. 'disconnect' is a reserved event, fired by Socket.IO itself.` +
          (e.reason === 'io client disconnect'
            ? ''
            : ' The Manager will now try to reconnect by itself; emits meanwhile wait in the send buffer.'),
        curriculum: e.reason === 'io client disconnect' ? ['Q13'] : ['Q13', 'Q8', 'M7'],
      };
    }
    case 'server-disconnect': {
      const why: { [r: string]: string } = {
        'client namespace disconnect': 'the browser sent DISCONNECT (41)',
        'ping timeout': `its pong did not come within ${msText(SIO_DEFAULTS.pingTimeoutMs)} (pingTimeout)`,
        'transport close': 'its connection closed',
        'transport error': 'its connection failed',
      };
      return {
        title: "socket.on('disconnect'): user disconnected",
        text:
          `${B}'s socket ${e.socketId} is gone, because ${why[e.reason] ?? e.reason} (reason "${e.reason}"). The ` +
          'handler registered with socket.on(\'disconnect\') logs "user disconnected". The socket has left every room.' +
          (e.reason === 'ping timeout' ? ' The server never learned why; the heartbeat told it.' : ''),
        curriculum: ['Q5', 'Q13'],
      };
    }
    case 'network':
      return e.up
        ? {
            title: `The network path to ${B} is back`,
            text: `Packets between ${B} and the server get through again. The Manager's next attempt will find the server.`,
            curriculum: ['M7'],
          }
        : {
            title: `The network path to ${B} breaks`,
            text:
              `Somewhere between ${mid(f, e.browser)} and the server the path breaks (a router loses its uplink). ` +
              `${B === 'Browser' ? 'The browser' : B}'s own ` +
              'network card is fine, so nothing tells the page. TCP does not notice a silent network either: ' +
              `Engine.IO's heartbeat will. The server's next ping (every ${msText(SIO_DEFAULTS.pingIntervalMs)}) ` +
              'will not arrive.',
            curriculum: ['M7', 'M5'],
          };
    case 'reconnect-attempt':
      return {
        title: `${B}: reconnect_attempt ${e.attempt}`,
        text:
          `After waiting ${msText(e.delayMs)} (the Manager's backoff: 1 s × 2^(attempt − 1), randomised by ±50 %, at ` +
          `most 5 s), the Manager tries again: a new Engine.IO handshake. reconnect_attempt is the Manager's event ` +
          "(socket.io.on('reconnect_attempt')), not the socket's.",
        curriculum: ['Q8', 'Q13', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    case 'connect-error':
      return {
        title: `${B}: connect_error (${e.message})`,
        text:
          (e.message === 'timeout'
            ? `No Engine.IO handshake within ${msText(SIO_DEFAULTS.connectTimeoutMs)} (the Manager's timeout): `
            : `The connection failed (${e.message}): `) +
          "the socket fires 'connect_error'" +
          (e.attempt > 0 ? " and the Manager 'reconnect_error'" : '') +
          (e.nextDelayMs !== null ? `. The next attempt follows in ${msText(e.nextDelayMs)}.` : '.'),
        curriculum: ['Q13'],
      };
    case 'reconnect':
      return {
        title: `${B}: reconnect after ${e.attempt} attempt${e.attempt === 1 ? '' : 's'}`,
        text:
          `The Manager is connected again and fires 'reconnect' with ${e.attempt}. Automatic reconnection and the ` +
          'send buffer are what Socket.IO adds to a bare WebSocket, which stays closed once it is closed.',
        curriculum: ['Q8', 'Q13', 'M7'],
      };
  }
}

/** The walk's layers 7, 6 and 5 for a Socket.IO packet (layers 4 to 1 come from osi.ts). */
export function sioWalkLayers(
  p: Packet,
  w: EioWrite | undefined,
  f: SioFacts,
  down: boolean,
): { readonly 7: Narration; readonly 6: Narration; readonly 5: Narration } {
  const b = w?.browser ?? browserOfPacket(p, f);
  const sid = f.sid.get(b) ?? '(not yet chosen)';
  const layer = (n: number, name: string, what: string): string => `Layer ${n} (${name}): ${what}`;
  if (!w) {
    return {
      7: {
        title: layer(7, 'application', down ? 'nothing to send yet' : 'nothing yet'),
        text: down
          ? "io() wants to talk to the server, but there is no connection yet: TCP's SYN goes first."
          : 'Nothing for socket.io yet: the connection is still being set up.',
      },
      6: {
        title: layer(6, 'presentation', 'nothing to do'),
        text: 'No text to encode. Layer 6 adds no bytes.',
        curriculum: ['M6'],
      },
      5: {
        title: layer(5, 'session', 'no session yet'),
        text: 'The Engine.IO session does not exist yet. Layer 5 adds no bytes.',
        curriculum: ['M5'],
      },
    };
  }
  const http = w.layer === 'http';
  const request = w.from === 'client';
  const what = request ? 'an HTTP request' : 'an HTTP response';
  const seven: Narration = http
    ? {
        title: layer(7, 'application', `Engine.IO in ${what}`),
        text: down
          ? `${w.purpose === 'handshake-request' ? 'The Engine.IO handshake is' : 'This is'} plain HTTP: ` +
            `${w.summary.split('  ')[0]}, ${bytesText(w.bytes.length - bodyLength(w))} of ASCII head` +
            (w.packets.length > 0 ? ` and a body of ${bytesText(bodyLength(w))}: ${bodyText(w)}` : '.') +
            ' Socket.IO carries its packets in HTTP wherever a WebSocket is not (yet) there; at layer 7 the unit is simply data.'
          : request
            ? `socket.io's HTTP server reads the request line and headers` +
              (w.packets.length > 0
                ? `, then the body: ${bodyText(w)}`
                : w.purpose === 'handshake-request'
                  ? ', finds no sid in the URL and creates a session.'
                  : '.')
            : `The browser (XMLHttpRequest inside engine.io-client) reads the status line and headers, then the body: ` +
              (w.packets.length > 0 ? bodyText(w) : lit(w.text)),
        curriculum: ['Q7', 'M4'],
      }
    : {
        title: layer(7, 'application', 'Socket.IO inside Engine.IO inside WebSocket'),
        text: down
          ? `The text ${lit(w.text)} is ${w.packets[0] ? packetMeaning(w.packets[0]) : 'Engine.IO'}. ` +
            `${p.from === f.server.id ? "The server's ws library" : "The browser's WebSocket"} wraps it in a frame: FIN 1, opcode 1 (text), MASK ${w.frame?.maskKey ? 1 : 0}, ` +
            `payload length ${w.frame?.payload.length ?? 0}${w.frame?.maskKey ? `, masking key ${toHex(w.frame.maskKey)}` : ''}: ` +
            `${bytesText(w.bytes.length)} in all. Three protocols share layer 7 here.`
          : `The ${p.to === f.server.id ? 'server' : 'browser'} reads the WebSocket frame, then Engine.IO's type ` +
            `digit "${w.text[0] ?? ''}", then Socket.IO's "${w.text[1] ?? ''}" and the JSON: ${lit(w.text)}.`,
        curriculum: ['Q7', 'M4'],
        misconception: SIO_MISCONCEPTIONS.M4,
      };
  const six: Narration = http
    ? {
        title: layer(6, 'presentation', 'ASCII text, no header'),
        text:
          'HTTP headers are ASCII text' +
          (w.packets.length > 0 ? ' and the body is UTF-8 text with JSON in it' : '') +
          '. Nothing is encrypted (http://, not https://). Layer 6 adds no bytes.',
        curriculum: ['M6'],
      }
    : {
        title: layer(6, 'presentation', 'UTF-8 and JSON, no header'),
        text:
          (w.frame?.maskKey && !down
            ? `The payload is unmasked (XOR with ${toHex(w.frame.maskKey)}) and read as UTF-8. `
            : '') +
          'The event’s name and arguments are JSON text in UTF-8. Encoding is a job here, not a header: layer 6 adds no bytes.',
        curriculum: ['M6'],
      };
  const five: Narration = {
    title: layer(5, 'session', `Engine.IO session ${sid}, no header`),
    text:
      `The dialogue these bytes belong to is the Engine.IO session ${sid}: it survives from HTTP request to HTTP ` +
      'request and across the switch to a WebSocket, and its heartbeat (ping 2, pong 3) checks it is alive. ' +
      'That is session-layer work, and DNS has nothing to do with it. It adds no bytes of its own.',
    curriculum: ['M5'],
    misconception: SIO_MISCONCEPTIONS.M5,
  };
  return { 7: seven, 6: six, 5: five };
}
