/**
 * What the Socket.IO story says about each packet: its one transmit step (TCP's own segments, the HTTP
 * requests and answers of long-polling, the WebSocket frames), a lost one, and layers 7 to 5 of a walk.
 */
import { originalName } from '../../steps/arp';
import { toHex } from '../../../protocol/bytes';
import type { EioHandshake } from '../../../protocol/engineio';
import { headerValue } from '../../../protocol/http';
import { SIO_PACKET_TYPES } from '../../../protocol/socketio';
import type { EioWrite } from '../../libs/engineio/writes';
import { SIO_DEFAULTS } from '../../libs/socketio';
import { ackWhyText, type Narration } from '../../steps/narration';
import { MISCONCEPTIONS, bytesText, maskSentence, msText, quoted } from '../../steps/phrases';
import type { Packet } from '../../types';
import {
  SIO_MISCONCEPTIONS,
  arrow,
  bodyLength,
  bodyText,
  browserOfPacket,
  clip,
  connName,
  connOf,
  label,
  lit,
  many,
  mid,
  once,
  packetMeaning,
  sidShort,
  sioOf,
  sioType,
  target,
  textOf,
  type SioFacts,
} from './phrases';

/** RFC 6455 §5.5.1: a Close frame (opcode 8). */
function isCloseFrame(p: Packet | undefined): boolean {
  return p?.app?.kind === 'ws-frame' && p.app.opcode === 0x8;
}

/** Whether a Close frame from the other side of `p`'s connection had arrived by the time `p` was first sent. */
function peerCloseArrived(p: Packet, f: SioFacts): boolean {
  const first = p.retransmissionOf !== undefined ? (f.packets[p.retransmissionOf] ?? p) : p;
  return f.packets.some(
    (q) =>
      q.connection === p.connection &&
      q.from === p.to &&
      !q.lost &&
      isCloseFrame(q) &&
      q.arrivesAt <= first.sentAt,
  );
}

/** Whether `p`'s sender had sent a Close frame on this connection before `p`. */
function ownCloseSent(p: Packet, f: SioFacts): boolean {
  return f.packets.some(
    (q) => q.connection === p.connection && q.from === p.from && isCloseFrame(q) && q.id < p.id,
  );
}

export function narrateSioPacket(p: Packet, w: EioWrite | undefined, f: SioFacts): Narration {
  const again = p.retransmissionOf !== undefined;
  const prefix = again ? 'Again: ' : '';
  const againText = again
    ? // RFC 6298 §5.4: on the retransmission timeout TCP sends the earliest unacknowledged segment again.
      ` This is a retransmission of ${originalName(f.packets[p.retransmissionOf!])}: TCP sends the same bytes again because no acknowledgment came.`
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
      // RFC 9293 §3.7.1: TCP sends at most one MSS of data per segment, so a long write takes several.
      text: `${a}: ${bytesText(p.tcp.len)} more of the ${bytesText(w.bytes.length)} the program wrote; TCP cuts long writes into segments.`,
    };
  }
  if (flags.includes('RST')) {
    return {
      // RFC 1122 §4.2.2.13 (data for a closed socket) and RFC 9293 §3.10.7.1 (a segment for no connection).
      title: `RST: ${label(f, p.from)} has closed ${connName(c, f, p.from === c?.browser)}`,
      // RFC 1122 §4.2.2.13 / Linux tcp_rcv_state_process: new data for a socket its program closed is answered
      // with a reset; RFC 9293 §3.10.7.1: so is any segment once the connection is gone (CLOSED); §3.10.7.4:
      // the side that receives the reset drops the connection too.
      text:
        `${a}: [${flags.join(', ')}]. A segment arrived that no program will ever read: this side's program ` +
        'has closed its socket, or the connection is already gone. Its TCP answers with a reset, and the ' +
        'other side drops the connection too.',
    };
  }
  if (flags.includes('SYN') && !flags.includes('ACK')) {
    const port = p.tcp.srcPort;
    // RFC 6455 §4.1: a WebSocket opens its own connection; Chromium net/http/http_network_transaction.cc:
    // a request on a connection the server just closed is sent again on a new one; RFC 9112 §9.3: one request
    // at a time on an HTTP/1.1 connection; Chromium net/socket/client_socket_pool_manager.cc: at most six
    // connections per host (Chrome's choice).
    const why = !c
      ? ''
      : c.reason === 'websocket'
        ? 'For the upgrade, engine.io-client opens a WebSocket, and a browser gives every WebSocket a TCP ' +
          'connection of its own; the HTTP connections stay as they are meanwhile.'
        : c.reason === 'first'
          ? `The page's first request needs a connection to ${f.server.ip}, port ${f.scenario.tls ? 443 : 80}.` +
            once(f, 'tcp-lesson', ' (The WebSocket lesson shows this three-way handshake number by number.)')
          : c.reason === 'retry'
            ? 'The server closed the idle connection just as a request left on it; the browser sends the request again on a new one.'
            : 'Every other connection to the server is busy (a long-poll GET waits there for its answer, or a ' +
              'POST does), and HTTP/1.1 carries one request at a time on a connection, so the browser opens ' +
              'another one (Chrome allows up to six per server).';
    return {
      // RFC 9293 §3.5: the first segment of the three-way handshake carries SYN and the initial sequence number.
      title: `SYN: ${label(f, p.from)} opens ${c ? 'its ' + connName(c, f, true) : 'a connection'} (port ${port})`,
      // RFC 9293 §3.5: SYN with the initial sequence number; the reasons above carry their sources.
      text: `${a}: [SYN] from port ${port}, Seq = ${p.tcp.seq}. ${why}`,
      ...(c?.purpose === 'websocket' ? { curriculum: ['M4'] } : {}),
    };
  }
  if (flags.includes('SYN')) {
    return {
      title: `SYN-ACK for ${connName(c, f)}`,
      // RFC 9293 §3.5: the second segment, SYN and ACK.
      text: `${a}: [SYN, ACK], Seq = ${p.tcp.seq}, Ack = ${p.tcp.ack}: the server accepts the connection.`,
    };
  }
  if (flags.includes('FIN')) {
    const fromServer = p.from === f.server.id;
    // RFC 9293 §3.6: FIN, no more data from this side; sim/libs/http.ts: Node's http.Server keepAliveTimeout
    // (5000 ms) with Keep-Alive: timeout=5; engine.io lib/socket.ts: the session is keyed by its sid; RFC 6455
    // §7.1.1: the server should close the TCP connection first.
    const text = !c
      ? 'FIN: this side will send nothing more.'
      : c.purpose === 'http'
        ? fromServer
          ? 'The connection has been idle for 5 s since its last answer, so Node closes it (server.keepAliveTimeout, ' +
            'announced in every answer as Keep-Alive: timeout=5). Nothing is lost: the session lives on in its sid, ' +
            'not in a TCP connection.'
          : 'The server closed its side, so the browser closes its side too.'
        : fromServer
          ? peerCloseArrived(p, f) || !ownCloseSent(p, f)
            ? // RFC 6455 §7.1.1: the server closes TCP first; ws lib/websocket.js (socket.end() once both crossed).
              'Both Close frames have crossed, so the server closes the TCP connection first (RFC 6455 §7.1.1).'
            : // ws lib/websocket.js close() → setCloseTimer: closeTimeout 30 s, then socket.destroy(); Linux's
              // tcp_close (net/ipv4/tcp.c) sends a FIN, a RST only with unread data waiting (RFC 2525 §2.17).
              'No answer to the server’s Close frame has reached it, and ws waits for one only 30 s ' +
              '(its closeTimeout). Then it destroys the socket; with no unread data waiting, Linux closes with ' +
              'a FIN, not a RST.'
          : ownCloseSent(p, f) &&
              !f.packets.some(
                (q) =>
                  q.connection === p.connection &&
                  q.from === p.to &&
                  q.tcp.flags.includes('FIN') &&
                  !q.lost &&
                  q.arrivesAt <= p.sentAt,
              )
            ? // Chrome: kClosingHandshakeTimeoutSeconds = 60 (net/websockets/websocket_channel.cc), then the
              // channel drops its connection; Linux's tcp_close sends a FIN (nothing unread, RFC 2525 §2.17).
              'No answer to the browser’s Close frame has reached it; Chrome waits 60 s for one, then drops ' +
              'the connection, and Linux closes it with a FIN.'
            : // RFC 6455 §7.1.1 (the client waits for the server's FIN); chromium-ws.pcap frames 33-35.
              'The browser closes its side of the WebSocket connection after the server did.';
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
      // RFC 9293 §3.5: the third segment; RFC 6455 §4.1: the WebSocket handshake is an HTTP request.
      text:
        `${a}: [ACK], the third segment of TCP's handshake. The connection is ready for ` +
        (c?.purpose === 'websocket' ? 'the WebSocket handshake, itself an HTTP request.' : 'HTTP requests.'),
    };
  }
  return {
    title: 'ACK',
    // RFC 9293 §3.4: the acknowledgment number is the next sequence number the receiver expects.
    text:
      `${a}: [ACK], Ack = ${p.tcp.relAck} (relative): "I have every byte before this number" on ${connName(c, f)}. ` +
      ackWhyText(p.ackWhy),
  };
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
          // engine.io-client lib/socket.ts createTransport(): query EIO = 4, transport, sid once known;
          // lib/transports/polling.ts uri() adds t = randomString() (lib/util.ts: the clock in base 36 and
          // three random characters); engine.io lib/server.ts handshake() creates the session.
          `${a}: io() starts with an ordinary HTTP request, not a WebSocket: GET ${target(w)} ` +
          `(${bytesText(w.bytes.length)} with the browser's usual headers). EIO=4 is the Engine.IO protocol ` +
          `version, transport=polling asks for HTTP long-polling, and t=${t} is a cache-buster engine.io-client ` +
          'makes from the clock and three random characters, so that no cache answers in the server’s place. ' +
          'There is no sid yet: the server will create the session.',
        curriculum: ['Q7', 'M4'],
        misconception: SIO_MISCONCEPTIONS.M4,
      };
    }
    case 'handshake-response': {
      const h = parseOpen(w) ?? f.handshake.get(b);
      // engine.io lib/socket.ts onOpen(): "0" + JSON { sid, upgrades, pingInterval, pingTimeout, maxPayload };
      // engine.io-client lib/socket.ts _filterUpgrades(): only the upgrades the server lists are tried.
      const upgrades = h?.upgrades.length
        ? `upgrades ${JSON.stringify(h.upgrades)} (the browser may move the session to a WebSocket)`
        : 'upgrades [] (this server accepts only long-polling, so the browser will never try a WebSocket)';
      return {
        title: `Engine.IO open: 0{"sid":"${h?.sid ?? '?'}",…}`,
        // engine.io lib/transports/polling.ts send(): Content-Type text/plain; lib/socket.ts onOpen(): the JSON.
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
        // engine.io-client lib/transports/polling.ts write(): packets in a POST body (encodePayload); the
        // CONNECT's answer comes on the pending GET (engine.io lib/transports/polling.ts); doClose(): "1".
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
        // engine.io lib/transports/polling.ts onDataRequest(): res.end("ok") with Content-Type text/html.
        text: `${a}: the server read the POST's packets and answers with the two letters "ok" (Content-Type: text/html).`,
      };
    case 'poll-request':
      return {
        title: `Long-poll GET …sid=${sidShort(sid)}`,
        text:
          // engine.io-client lib/transports/polling.ts _poll() and onData(): a new GET after each answer;
          // engine.io lib/transports/polling.ts onPollRequest(): the answer waits until there are packets.
          `${a}: GET ${target(w)}. The browser always keeps one such request waiting. The server answers it ` +
          'only when it has something to send: that is how long-polling lets a server "push" with ordinary ' +
          'requests and answers.' +
          once(f, 'poll-again', ' As soon as an answer comes, the browser sends the next GET.'),
        curriculum: ['Q7', 'Q8'],
      };
    case 'poll-response':
      return {
        // engine.io lib/transports/polling.ts send(): the waiting GET's answer carries the packets.
        title: `200 OK on the long poll: ${w.packets.map(textOf).join(' ␞ ')}`,
        // engine.io lib/transports/polling.ts send(): encodePayload() into the waiting GET's body.
        text: `${a}: the server answers the waiting GET: ${bodyText(w)}` + pollExtra(w, f),
        curriculum: w.packets.some((x) => x.type === 'noop') ? ['Q7'] : ['Q7', 'Q8'],
      };
    case 'ws-upgrade-request': {
      const key = headerValue(w.http?.headers ?? [], 'Sec-WebSocket-Key') ?? '?';
      return {
        title: `WebSocket upgrade: GET ${target(w)}`,
        text:
          // engine.io lib/server.ts handleUpgrade()/onWebSocket(): the sid in the URL finds the session;
          // RFC 6455 §4.1 (the handshake's header fields); RFC 7692 (the permessage-deflate offer); engine.io
          // lib/server.ts: perMessageDeflate is not among its defaults, so it stays off.
          `${a}: the same session, a new transport. The URL carries sid=${sidShort(sid)} so the server can tie this ` +
          `WebSocket to the session it already has. Otherwise it is an ordinary WebSocket handshake: Upgrade: ` +
          `websocket, Connection: Upgrade, Sec-WebSocket-Key ${key}, version 13. The browser also offers ` +
          'permessage-deflate compression; engine.io leaves it off by default, so the 101 will not accept it.',
        curriculum: ['Q7', 'M4'],
      };
    }
    case 'ws-upgrade-response': {
      const acc = headerValue(w.http?.headers ?? [], 'Sec-WebSocket-Accept') ?? '?';
      return {
        title: '101 Switching Protocols',
        // RFC 6455 §4.2.2: Sec-WebSocket-Accept = base64(SHA-1(key + GUID)); engine.io-client lib/socket.ts
        // _probe(): the session moves only after the probe.
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
        // engine.io-client lib/transports/websocket.ts doClose(): ws.close() with no code; RFC 6455 §5.5.1 and
        // §7.1.2: the Close frame and its answer, then TCP closes.
        text:
          `${a}: a Close frame ${code === undefined ? 'with no status code (engine.io closes with ws.close())' : `with ${code}`}` +
          // RFC 6455 §5.5.1: the endpoint that receives a Close frame answers with one.
          (peerCloseArrived(p, f)
            ? `, the answer to the ${p.from === f.server.id ? 'browser’s' : 'server’s'}.`
            : '.') +
          ' The WebSocket closing handshake; then TCP closes.',
      };
    }
    case 'ws-pong':
      // RFC 6455 §5.5.2 and §5.5.3: ping and pong control frames.
      return {
        title: 'WebSocket control frame',
        // RFC 6455 §5.5.2 and §5.5.3: ping and pong control frames.
        text: `${a}: a WebSocket ping/pong control frame.`,
      };
    case 'http-error':
      return {
        // engine.io lib/server.ts verify()/abortRequest(): 400 with a JSON error body; an unknown path gets 404.
        title: `HTTP/1.1 ${'status' in (w.http ?? {}) ? (w.http as { status: number }).status : ''} ${w.text ? w.text : ''}`,
        // engine.io lib/server.ts abortRequest(): the error's JSON body (sim/libs/engineio/server.ts refuse()).
        text: `${a}: the server refuses the request: ${w.text || 'no body'}.`,
      };
    default:
      return { title: w.summary, text: `${a}: ${w.summary}.` };
  }
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
        // engine.io lib/socket.ts _maybeUpgrade() check(): a noop ends the pending GET during the upgrade.
        ' The server has nothing to say: it ends the waiting GET only so the browser can stop polling and finish the upgrade.',
      );
    } else if (p.type === 'ping') {
      parts.push(
        // engine.io lib/socket.ts schedulePing(): the ping is written to the transport, here the waiting GET;
        // engine.io-client lib/transports/polling.ts write(): the pong goes in a POST.
        ' A heartbeat: over long-polling the ping rides on the waiting GET; the pong will come in a POST.',
      );
    } else if (d?.ok && d.repr.type === SIO_PACKET_TYPES.CONNECT) {
      const id = (d.repr.data as { sid?: string } | undefined)?.sid;
      parts.push(
        // socket.io lib/socket.ts: the id is base64id.generateId(), "don't reuse the Engine.IO id because it's
        // sensitive information".
        ` Socket.IO is connected: ${id} is the socket's id (socket.id), not the Engine.IO sid ` +
          `${f.sid.get(w.browser) ?? ''}; Socket.IO keeps the Engine.IO sid private.`,
      );
    }
  }
  return parts.join('');
}

function narrateFrame(p: Packet, w: EioWrite, f: SioFacts): Narration {
  const a = arrow(p, f);
  const e = w.packets[0];
  // RFC 6455 §5.2: the frame's header, then its payload.
  const size = w.frame
    ? `${bytesText(w.bytes.length)}: ${bytesText(w.bytes.length - w.frame.payload.length)} of WebSocket header, ${bytesText(w.frame.payload.length)} of payload`
    : bytesText(w.bytes.length);
  if (!e) {
    return {
      // RFC 6455 §5.6: a text frame.
      title: `WebSocket text ${quoted(w.text, 30)}`,
      text: `${a}: a WebSocket text frame (${size}).${maskSentence(w.frame, 'brief')}`,
    };
  }
  const fromServer = p.from === f.server.id;
  switch (e.type) {
    case 'ping':
      if (e.data === 'probe') {
        return {
          // engine.io-client lib/socket.ts _probe(): "2probe" on the new transport.
          title: 'Probe: 2probe on the new WebSocket',
          // engine.io-client lib/socket.ts _probe(): send([{ type: "ping", data: "probe" }]) on the new transport.
          text:
            `${a}: ${lit(w.text)} (${size}): an Engine.IO ping carrying the word "probe". Not a heartbeat: ` +
            'a test that this WebSocket really reaches the same session before the browser moves to it.' +
            maskSentence(w.frame, 'brief'),
          curriculum: ['Q7', 'M4'],
        };
      }
      return {
        title: 'Heartbeat: ping 2',
        // engine.io lib/socket.ts schedulePing(); engine.io-client lib/socket.ts _onPacket() case "ping": it
        // sends "pong" itself and the Manager re-emits "ping" (socket.io-client lib/manager.ts onping()).
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
          // engine.io-client lib/socket.ts _probe(): on "3probe", pause the polling transport (it waits for
          // the pending GET); engine.io lib/socket.ts _maybeUpgrade(): setInterval(check, 100) sends a noop.
          text:
            `${a}: ${lit(w.text)}: the server's pong "probe". The WebSocket works. The browser now ` +
            'pauses long-polling: it waits for its pending GET to come back. So the server, every 100 ms, ends a ' +
            'pending GET with a noop (6).',
          curriculum: ['Q7'],
        };
      }
      return {
        title: 'Heartbeat: pong 3',
        // engine.io-client lib/socket.ts _onPacket(): the pong without the page's code; engine.io lib/socket.ts
        // resetPingTimeout(): no pong within pingTimeout closes the session.
        text:
          `${a}: "3", the Engine.IO pong (${size}).${maskSentence(w.frame, 'brief')} No JavaScript of the page ran: ` +
          `engine.io-client answers pings by itself. Without this pong within ${msText(SIO_DEFAULTS.pingTimeoutMs)} ` +
          '(pingTimeout) the server would close the session.',
        curriculum: ['Q13', 'M5', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    case 'upgrade':
      return {
        title: 'Upgrade: 5',
        // engine.io-client lib/socket.ts _probe(): send "5", setTransport(), then flush() the buffered packets.
        text:
          `${a}: "5", the Engine.IO upgrade packet. From now on every packet of session ${f.sid.get(w.browser) ?? ''} ` +
          'travels on this WebSocket; long-polling stops. Anything the page emitted meanwhile was kept and ' +
          'follows now.' +
          maskSentence(w.frame, 'brief'),
        curriculum: ['Q7', 'M4'],
      };
    case 'close':
      return {
        title: 'Engine.IO close 1',
        // engine.io-parser lib/commons.ts: close is "1"; engine.io lib/socket.ts onPacket(): the session closes.
        text: `${a}: "1": the Engine.IO session ends.`,
      };
    case 'noop':
      return { title: 'noop 6', text: `${a}: "6": an Engine.IO noop.` };
    case 'open':
      return { title: 'Engine.IO open', text: `${a}: ${packetMeaning(e)}.` };
    case 'message': {
      const d = sioOf(e);
      const s = d && d.ok ? d.repr : null;
      // RFC 6455 §5.2 (the frame header), engine.io-parser lib/commons.ts ("4"), socket.io-parser lib/index.ts.
      const layering =
        `${lit(w.text)} is ${packetMeaning(e)}. Three protocols in one frame: the WebSocket header ` +
        `(${bytesText(w.frame ? w.bytes.length - w.frame.payload.length : 0)}), Engine.IO's "4", Socket.IO's ` +
        `"${w.text[1] ?? ''}" and JSON.`;
      if (s?.type === SIO_PACKET_TYPES.EVENT && Array.isArray(s.data)) {
        const name = String(s.data[0]);
        const fanout = fromServer && many(f) && name === f.events.event;
        return {
          title: `${fromServer ? `Event to ${label(f, p.to)}` : 'Event'}: ${clip(w.text)}`,
          // socket.io-parser lib/index.ts: the ack id after the type; socket.io-adapter lib/in-memory-adapter.ts
          // broadcast(): one copy per recipient; CURRICULUM Q9: a plain WebSocket peer cannot read it.
          text:
            `${a}: a WebSocket text frame, ${size}. ` +
            layering +
            maskSentence(w.frame, 'brief') +
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
          // socket.io-client lib/socket.ts onack(): the stored callback runs with the ACK's data.
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
          // socket.io-client lib/socket.ts disconnect(); socket.io lib/socket.ts ondisconnect():
          // _onclose("client namespace disconnect").
          text:
            `${a}: "41": ${packetMeaning(e)}. The page called socket.disconnect(); the server will fire its ` +
            '\'disconnect\' handler with the reason "client namespace disconnect". Then the WebSocket closes.' +
            maskSentence(w.frame, 'brief'),
          curriculum: ['Q13'],
        };
      }
      return { title: clip(w.text), text: `${a}: ${layering}` };
    }
  }
}

export function narrateSioDrop(p: Packet, w: EioWrite | undefined, f: SioFacts, outage: boolean): Narration {
  const what = narrateSioPacket(p, w, f).title;
  const rst = p.tcp.flags.includes('RST');
  const wsClose = isCloseFrame(p) && !peerCloseArrived(p, f);
  const pollClose = w?.layer === 'http' && w.packets.some((x) => x.type === 'close');
  if (outage && p.retransmissionOf === undefined && (wsClose || pollClose)) {
    const server = p.from === f.server.id;
    const why = server
      ? // engine.io lib/socket.ts schedulePing/resetPingTimeout → onClose("ping timeout").
        'No pong came back within pingTimeout, so the server’s engine.io gives up on the session. '
      : f.browserOffline
        ? // engine.io-client lib/socket.ts: the "offline" listener calls _onClose("transport close") at once.
          'The browser fired "offline", and engine.io-client closes the session at once. '
        : // engine.io-client lib/socket.ts _resetPingTimeout → _onClose("ping timeout").
          'No ping came for pingInterval + pingTimeout, so engine.io-client gives up on the session. ';
    const how = wsClose
      ? server
        ? // engine.io lib/socket.ts onClose → clearTransport() → transport.close(); lib/transports/websocket.ts
          // doClose → ws socket.close() without a code: an empty Close frame (ws lib/sender.js close).
          'It does not cut the connection: it closes it the ordinary way, and ws sends this empty Close frame. '
        : // engine.io-client lib/socket.ts _onClose → transport.close(); lib/transports/websocket.ts doClose →
          // the browser's ws.close() without a code: an empty Close frame, masked as every client frame (RFC 6455 §5.3).
          'It does not cut the connection: it closes its WebSocket the ordinary way, and ws.close() sends this ' +
          'empty, masked Close frame. '
      : server
        ? // engine.io lib/transports/polling.ts doClose: a writable poll is answered with the close packet.
          'It closes the long-polling transport the ordinary way: the waiting poll is answered with the close packet 1. '
        : // engine.io-client lib/transports/polling.ts doClose: write([{ type: "close" }]) when open.
          'It closes the long-polling transport the ordinary way: a POST carrying the close packet 1. ';
    // Wirewalk's scenario: offline= takes the browser's own link down, drop= breaks the path (CURRICULUM M7).
    const broken = f.browserOffline
      ? 'the browser’s own network is down'
      : `the path between ${mid(f, 'client')} and the server is broken`;
    return {
      title: `Lost: ${what}`,
      text:
        `Packet #${p.wireIndex} (${p.summary}) goes nowhere: ${broken}. ${why}${how}` +
        // RFC 9293 §3.8.1: retransmission on timeout; every copy is lost while the path is down.
        'TCP will resend it like the segments before it, and while the path stays down every copy is lost: ' +
        'retransmissions cannot deliver anything over a broken path. No RST is sent: a program that gives up ' +
        'closes politely.',
      // M15: a retransmitted segment that never arrives; the program gives up before TCP does (RFC 9293 §3.8.1).
      curriculum: f.browserOffline ? ['M7'] : ['M7', 'M15'],
      ...(f.browserOffline ? {} : { misconception: MISCONCEPTIONS.M15 }),
    };
  }
  if (outage) {
    if (p.retransmissionOf !== undefined) {
      return {
        title: `Lost: ${what}`,
        // Wirewalk's choice (sim/engine/network.ts setLinkDown): the path loses every packet until it is back.
        text: `Packet #${p.wireIndex} (${p.summary}) is lost too: the path is still broken.`,
        curriculum: ['M7'],
      };
    }
    return {
      title: `Lost: ${what}`,
      text:
        (f.browserOffline
          ? // offline=: Browser 1's own link is down (its card has no carrier): the frame goes nowhere; TCP sends
            // regardless of the link (RFC 9293 §3.8.1: it learns of loss only from missing acknowledgments).
            `Packet #${p.wireIndex} (${p.summary}) goes nowhere: the browser's own network is down. TCP queued ` +
            'it anyway; it knows nothing of Wi-Fi. '
          : // Wirewalk's choice (sim/engine/network.ts setLinkDown): nobody on the path reports the loss.
            `Packet #${p.wireIndex} (${p.summary}) goes nowhere: the path between ${mid(f, 'client')} and the ` +
            'server is broken. Nobody is told. ') +
        (rst
          ? // RFC 9293 §3.10.5 / §3.10.7: a RST is never acknowledged, so never retransmitted.
            'A reset is never acknowledged or sent again: the other side will simply never hear it.'
          : // RFC 9293 §3.8.1 / RFC 6298 §5.5: retransmission on timeout, the timer doubled each time.
            'TCP will notice only that no acknowledgment comes back, and will send it again, waiting longer each time.'),
      curriculum: ['M7'],
    };
  }
  return {
    // The link's loss= (Wirewalk's choice, sim/scenario.ts).
    title: `Lost on the wire: ${what}`,
    // The link's loss= (Wirewalk's choice, sim/scenario.ts); RFC 9293 §3.5.2: a reset takes no sequence space, so it is never retransmitted.
    text:
      `Packet #${p.wireIndex} (${p.summary}) is lost: the link says loss=${p.wireIndex}. ` +
      (rst ? 'Resets are not sent again.' : 'TCP will resend it when no acknowledgment comes back.'),
  };
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
        // RFC 9293 §3.5: the connection's handshake comes before any data of the program.
        title: layer(7, 'application', down ? 'nothing to send yet' : 'nothing yet'),
        // RFC 9293 §3.5: the SYN opens the connection; no application data yet.
        text: down
          ? "io() wants to talk to the server, but there is no connection yet: TCP's SYN goes first."
          : 'Nothing for socket.io yet: the connection is still being set up.',
      },
      6: {
        // CURRICULUM M6: the OSI presentation layer's job; no bytes without data.
        title: layer(6, 'presentation', 'nothing to do'),
        // CURRICULUM M6: a segment without data has nothing to encode.
        text: 'No text to encode. Layer 6 adds no bytes.',
        curriculum: ['M6'],
      },
      5: {
        // engine.io lib/server.ts handshake(): the session begins with the first request.
        title: layer(5, 'session', 'no session yet'),
        // engine.io lib/server.ts handshake(): no sid before the first request's answer.
        text: 'The Engine.IO session does not exist yet. Layer 5 adds no bytes.',
        curriculum: ['M5'],
      },
    };
  }
  const http = w.layer === 'http';
  const request = w.from === 'client';
  const what = request ? 'an HTTP request' : 'an HTTP response';
  const masked = w.frame?.maskKey;
  const seven: Narration = http
    ? {
        // engine.io-client lib/transports/polling.ts: Engine.IO packets in HTTP requests and responses.
        title: layer(7, 'application', `Engine.IO in ${what}`),
        // RFC 9112 §2.1 (the start line and header fields, then the body); engine.io-parser lib/index.ts
        // encodePayload() (the body); Node lib/_http_server.js hands the request to engine.io lib/server.ts
        // handleRequest() (a request without sid goes to handshake()); engine.io-client lib/transports/
        // polling-xhr.ts: the browser's XMLHttpRequest reads the answer.
        text: down
          ? `${w.purpose === 'handshake-request' ? 'The Engine.IO handshake is' : 'This is'} plain HTTP: ` +
            `${w.summary.split('  ')[0]}, ${bytesText(w.bytes.length - bodyLength(w))} of ASCII head` +
            (w.packets.length > 0 ? ` and a body of ${bytesText(bodyLength(w))}: ${bodyText(w)}` : '.') +
            ' Socket.IO carries its packets in HTTP wherever a WebSocket is not (yet) there; at layer 7 the unit is simply data.'
          : request
            ? `Node's HTTP server reads the request line and headers and hands the request to engine.io` +
              (w.packets.length > 0
                ? `, which reads the body: ${bodyText(w)}`
                : w.purpose === 'handshake-request'
                  ? ', which finds no sid in the URL and creates a session.'
                  : '.')
            : `The browser (XMLHttpRequest inside engine.io-client) reads the status line and headers, then the body: ` +
              (w.packets.length > 0 ? bodyText(w) : lit(w.text)),
        curriculum: ['Q7', 'M4'],
      }
    : {
        // RFC 6455 §5.2 (the frame), engine.io-parser lib/commons.ts and socket.io-parser lib/index.ts (its text).
        title: layer(7, 'application', 'Socket.IO inside Engine.IO inside WebSocket'),
        // RFC 6455 §5.2 and §5.3: the frame's fields; a client masks its payload with the key, and the
        // receiver unmasks it where it reads the frame (the same layer); ws lib/sender.js and the browser's
        // WebSocket build frames; ws lib/receiver.js unmasks.
        text: down
          ? `The text ${lit(w.text)} is ${w.packets[0] ? packetMeaning(w.packets[0]) : 'Engine.IO'}. ` +
            `${p.from === f.server.id ? "The server's ws library" : "The browser's WebSocket"} wraps it in a frame: FIN 1, opcode 1 (text), MASK ${masked ? 1 : 0}, ` +
            `payload length ${w.frame?.payload.length ?? 0}${masked ? `, masking key ${toHex(masked)}` : ''}: ` +
            `${bytesText(w.bytes.length)} in all. Three protocols share layer 7 here.`
          : `The ${p.to === f.server.id ? 'server' : 'browser'} reads the WebSocket frame` +
            (masked ? `, unmasks its payload (XOR with ${toHex(masked)})` : '') +
            `, then Engine.IO's type digit "${w.text[0] ?? ''}", then Socket.IO's "${w.text[1] ?? ''}" and the ` +
            `JSON: ${lit(w.text)}.`,
        curriculum: ['Q7', 'M4'],
        misconception: SIO_MISCONCEPTIONS.M4,
      };
  const six: Narration = http
    ? {
        // RFC 9112 §2.2: the head is ASCII; RFC 8259 §8.1: JSON in UTF-8.
        title: layer(6, 'presentation', 'ASCII text, no header'),
        // RFC 9112 §2.2 (header fields in ASCII); RFC 8259 §8.1 (JSON text in UTF-8); RFC 9110 §4.2.1
        // (http:// has no TLS); CURRICULUM M6.
        text:
          'HTTP headers are ASCII text' +
          (w.packets.length > 0 ? ' and the body is UTF-8 text with JSON in it' : '') +
          '. Nothing is encrypted (http://, not https://). Layer 6 adds no bytes.',
        curriculum: ['M6'],
      }
    : {
        // RFC 6455 §5.6: a text frame's payload is UTF-8; RFC 8259 §8.1: JSON in UTF-8.
        title: layer(6, 'presentation', 'UTF-8 and JSON, no header'),
        // RFC 6455 §5.6 (the text is UTF-8, checked by the receiver, §8.1); RFC 8259 §8.1; CURRICULUM M6.
        text:
          (masked && !down ? 'The unmasked payload is read as UTF-8. ' : '') +
          'The event’s name and arguments are JSON text in UTF-8. Encoding is a job here, not a header: layer 6 adds no bytes.',
        curriculum: ['M6'],
      };
  const five: Narration = {
    // engine.io lib/socket.ts: the session is its sid; CURRICULUM M5.
    title: layer(5, 'session', `Engine.IO session ${sid}, no header`),
    // engine.io lib/server.ts verify(): every request and the WebSocket name the session by ?sid=;
    // engine.io lib/socket.ts schedulePing()/resetPingTimeout(): the heartbeat; CURRICULUM M5. Those bytes (the
    // sid in the URL, "2" and "3") are counted at layer 7, where they travel.
    text:
      `The dialogue these bytes belong to is the Engine.IO session ${sid}: it survives from HTTP request to HTTP ` +
      'request and across the switch to a WebSocket, and its heartbeat (ping 2, pong 3) checks it is alive. ' +
      'That is session-layer work, and DNS has nothing to do with it. It adds no header of its own: the sid ' +
      'travels in the URL and the heartbeat as Engine.IO packets, bytes counted at layer 7.',
    curriculum: ['M5'],
    misconception: SIO_MISCONCEPTIONS.M5,
  };
  return { 7: seven, 6: six, 5: five };
}
