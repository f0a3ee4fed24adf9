/**
 * What each step of the websocket story says: a title and a few plain sentences for students of a
 * web-development class, with this run's real numbers (ports, ISNs, the key and the accept value, masking
 * keys, close codes). Steps that answer a CURRICULUM.md question or meet a misconception carry its id.
 */
import { originalName } from '../../steps/arp';
import { toHex } from '../../../protocol/bytes';
import { acceptComputation, WEBSOCKET_GUID } from '../../../protocol/http';
import { CLOSE_CODES } from '../../../protocol/websocket';
import type { HostInfo, Packet, TcpStateName } from '../../types';
import type { StoryWrite, WsAppEvent } from '../../libs/websocket';
import {
  ackWhyText,
  packetRole,
  type GoodbyeRole,
  type Narration,
  type RunFacts,
} from '../../steps/narration';
import { Label, MISCONCEPTIONS, Who, bytesText, maskSentence, quoted, who } from '../../steps/phrases';
import { plainBytes, schemeOf } from '../../steps/scheme';

/**
 * What the 101 says about Chrome's compression offer. ws writes Sec-WebSocket-Extensions only when it was
 * created with perMessageDeflate (lib/websocket-server.js completeUpgrade; off by default) and then answers
 * Chrome's offer as lib/permessage-deflate.js acceptAsServer does: `permessage-deflate`, the valueless
 * client_max_window_bits dropped (RFC 7692 §7.1.2.2: the client then keeps its 15-bit window).
 */
function deflateAnswer(f: RunFacts): string {
  if (f.scenario.deflate) {
    // ws lib/permessage-deflate.js acceptAsServer; RFC 7692 §7.1.2.2 (client_max_window_bits in an offer only
    // lets the server ask for a smaller client window).
    return (
      ' It adds Sec-WebSocket-Extensions: permessage-deflate: server.js created the WebSocketServer with ' +
      "perMessageDeflate: true, so ws accepts Chrome's offer (and drops client_max_window_bits, which only " +
      'allowed it to ask for a smaller window). From here on both ends compress their messages.'
    );
  }
  // ws lib/websocket-server.js completeUpgrade: no extension header unless perMessageDeflate is set; RFC 7692
  // §5 (an offer the response does not accept is declined).
  return (
    " No Sec-WebSocket-Extensions comes back: ws's WebSocketServer leaves perMessageDeflate off unless it is " +
    "asked for, so Chrome's compression offer is declined by silence and every message travels as plain text."
  );
}

/**
 * A compressed message's first frame (RFC 7692 §6, §7.2.1). Whose choice: Chrome compresses every message
 * once the extension is on; ws too (lib/sender.js: its 1024-byte threshold only counts with
 * server_no_context_takeover, which was not agreed).
 */
function compressedText(w: StoryWrite, push: boolean): string {
  const inflated = w.inflated!.length;
  const squeezed = w.frame!.payload.length;
  // ws lib/sender.js (the threshold applies only with server_no_context_takeover); Chromium
  // net/websockets/websocket_deflate_predictor_impl.cc predicts DEFLATE for every message.
  const whose = push
    ? "Whose choice: ws's. It compresses every message, however short; its 1024-byte threshold counts only " +
      'when the two ends agreed to forget the compression window after each message, and they did not.'
    : "Whose choice: Chrome's. It compresses every message once the extension is on.";
  // RFC 7692 §7.2.1: a short message can grow when compressed; the sizes are this frame's own.
  const worse =
    squeezed >= inflated ? ' For so short a text compression does not pay: the bytes did not get fewer.' : '';
  // RFC 7692 §6 (RSV1), §7.2.1 (raw DEFLATE, the trailing 00 00 ff ff removed).
  return (
    ` RSV1 = 1: the message is compressed (permessage-deflate, RFC 7692). Its ${bytesText(inflated)} of text ` +
    `travel as ${bytesText(squeezed)} of raw DEFLATE, the last four bytes of the flush (00 00 ff ff) left off.` +
    `${worse} ${whose}`
  );
}

function closeCodeName(code: number | null): string {
  if (code === null) return 'no status code';
  const name = CLOSE_CODES[code];
  return name ? `${code} (${name.toLowerCase()})` : String(code);
}

/** `x+1 = 2837465124` when the ISN is known. */
function seqExpr(name: string, isn: number | null, rel: number): string {
  if (isn === null) return String(rel);
  const abs = (isn + rel) >>> 0;
  return rel === 0 ? `${name} = ${abs}` : `${name}+${rel} = ${abs}`;
}
// ---- Application events ----

export function narrateApp(e: WsAppEvent, f: RunFacts): Narration {
  switch (e.kind) {
    case 'listen':
      if (f.scenario.tls) {
        return {
          title: 'The server listens on port 443', // RFC 6455 §3: wss uses port 443 by default.
          // ws/README.md "External HTTP/S server"; RFC 9293 §3.3.2 (LISTEN: waiting for a SYN).
          text:
            'server.js creates an HTTPS server with a certificate and its private key, puts a WebSocketServer on ' +
            'it, and listens on port 443. Its TCP socket is in the LISTEN state, waiting for a SYN. The server ' +
            `is ${f.server.ip}; the browser is ${f.client.ip}. Nothing has been sent yet.`,
        };
      }
      return {
        title: 'The server listens on port 80', // RFC 6455 §3: ws uses port 80 by default.
        // ws lib/websocket-server.js (options.port: its own HTTP server); RFC 9293 §3.3.2 (LISTEN).
        text:
          'server.js creates a WebSocketServer on port 80. Its TCP socket is in the LISTEN state, waiting for a ' +
          `SYN. The server is ${f.server.ip}; the browser is ${f.client.ip}. Nothing has been sent yet.`,
      };
    case 'create':
      if (f.scenario.tls) {
        return {
          title: 'The page opens a secure WebSocket', // WHATWG WebSockets: new WebSocket(url)
          // WHATWG WebSockets (readyState CONNECTING); RFC 6455 §3 and §4.1: wss:// means a TLS connection first, then the same opening handshake.
          text:
            "The page runs new WebSocket('wss://server/chat'). readyState is CONNECTING. wss:// means three " +
            `handshakes, one inside the other: TCP's to ${f.server.ip} port 443, then TLS's (keys and the ` +
            "server's certificate), and only then the WebSocket upgrade, which travels encrypted.",
          curriculum: ['M2'],
        };
      }
      return {
        title: 'The page opens a WebSocket', // WHATWG WebSockets: new WebSocket(url)
        // WHATWG WebSockets (readyState CONNECTING); RFC 6455 §4.1 (a TCP connection first, RFC 9293 §3.5).
        text:
          "The page runs new WebSocket('ws://server/chat'). readyState is CONNECTING. Before one WebSocket byte " +
          `can flow the browser needs a TCP connection to ${f.server.ip} port 80, so TCP's three-way handshake ` +
          'comes first. The WebSocket handshake (one HTTP request and one response) comes after it.',
        curriculum: ['M2'],
      };
    case 'connection':
      return {
        title: "ws: 'connection'",
        // ws lib/websocket-server.js completeUpgrade: writes the 101, sets the socket (readyState OPEN), then
        // emits 'connection' with the new WebSocket.
        text:
          'ws has sent the 101, so for the server this connection is now a WebSocket: readyState OPEN. ' +
          "wss.on('connection') runs once for this client, hands over its ws object, and logs " +
          '"client connected".',
        curriculum: ['Q2'],
      };
    case 'open':
      return {
        title: 'onopen: the WebSocket is open', // WHATWG WebSockets: the open event
        // RFC 6455 §4.1 (the client checks Sec-WebSocket-Accept), Abstract and §1.5 (two-way traffic over one
        // TCP connection; published December 2011); WHATWG WebSockets (readyState OPEN, then onopen).
        text:
          `The 101 carried Sec-WebSocket-Accept: ${e.accept}, exactly what the browser computed from its own key, ` +
          'so the browser switches this connection from HTTP to WebSocket: readyState OPEN, onopen logs ' +
          '"connected". That is what a WebSocket is (RFC 6455, 2011): a full-duplex channel over one TCP ' +
          'connection. Both sides may now send frames whenever they like, even at the same time, on this same ' +
          `connection and port ${schemeOf(f).port}. No more HTTP on it.`,
        curriculum: ['Q1', 'Q2'],
      };
    case 'message': {
      const m = f.scenario.messages[e.message];
      const push = m?.from === 's';
      // RFC 6455 §5.4: the fragments of one message are joined before the program sees it.
      const parts = e.frames > 1 ? ` It came in ${e.frames} frames; the library joined them.` : '';
      // RFC 7692 §7.2.2: the receiving end inflates a compressed message before the program sees it.
      const inflated =
        e.compressed === undefined
          ? ''
          : ` It arrived compressed: ${bytesText(e.compressed)} of DEFLATE, which ` +
            `${e.host.role === 'client' ? 'the browser' : 'ws'} inflated before handing it over; the program ` +
            'never sees the compressed bytes.';
      if (e.host.role === 'client') {
        const nothingAsked = push && (f.firstClientMessage < 0 || f.firstClientMessage > e.message);
        return {
          title: `onmessage: ${quoted(e.text, 30)}`, // WHATWG WebSockets: the message event
          // WHATWG WebSockets (event.data); RFC 9110 §3.4 (in HTTP a response answers a request); WHATWG HTML
          // Server-sent events (a response the server keeps writing to, one way); RFC 6455 §1.1, §1.5.
          text:
            `The browser runs onmessage with event.data = ${quoted(e.text)} (${bytesText(e.bytes)}) and the page ` +
            `logs it.${parts}${inflated} ` +
            (nothingAsked
              ? 'The browser has not sent anything since the upgrade: no request came first. The server pushed ' +
                'this on its own. In plain HTTP every response answers a request; the nearest thing to a push ' +
                'there is a response the server keeps open and writes into (Server-Sent Events), one way only.'
              : 'It may read like an answer to the browser’s message, but WebSocket has no requests: the server ' +
                'sends whenever it has something, and the browser’s own frames are messages, not requests ' +
                'waiting for an answer.'),
          curriculum: push ? ['Q3', 'Q1'] : ['Q1'],
        };
      }
      return {
        title: `ws: 'message' ${quoted(e.text, 30)}`, // ws lib/websocket.js receiverOnMessage
        // ws lib/receiver.js (unmask, then the whole message), lib/websocket.js emits 'message'.
        text:
          `ws unmasked the frame and emits 'message' with ${quoted(e.text)} (${bytesText(e.bytes)}); the ` +
          `handler logs it.${parts}${inflated}`,
      };
    }
    case 'pong':
      return {
        title: "ws: 'pong'",
        // RFC 6455 §5.5.2-5.5.3 (a ping may serve to verify the other end is still responsive); ws/README.md
        // "How to detect and close broken connections?" (the heartbeat pattern); CURRICULUM.md M5.
        text:
          "The pong came back, so the browser is still there. The 'pong' handler logs it. This ping/pong " +
          'heartbeat is part of the WebSocket session: it checks that the other end still answers.',
      };
    case 'close-start':
      return {
        title: `ws.close(${e.code}, ${quoted(e.reason)})`, // WHATWG WebSockets close(code, reason)
        // RFC 6455 §7.1.2 (start the closing handshake), §5.5.1 (code and reason), §7.1.5 (1006 when the
        // connection breaks); WHATWG WebSockets (readyState CLOSING).
        text:
          `${Who(e.host)} starts the closing handshake: readyState CLOSING. A WebSocket stays open until one side ` +
          `does this (or the connection breaks). The Close frame carries status ${closeCodeName(e.code)} and the ` +
          `reason ${quoted(e.reason)}.`,
        curriculum: ['M7'],
        misconception: MISCONCEPTIONS.M7,
      };
    case 'close-received':
      if (e.echo) {
        return {
          title: `${Label(e.host)} gets Close ${e.code ?? ''} ${quoted(e.reason)}`, // RFC 6455 §5.5.1
          // RFC 6455 §5.5.1 (answer a Close with a Close, typically echoing the code), §7.1.1 (the server closes
          // TCP first); ws lib/websocket.js receiverOnConclude (echoes code and reason, then ends the socket).
          text:
            `${Who(e.host)} got a Close frame with status ${closeCodeName(e.code)} and reason ${quoted(e.reason)}: readyState ` +
            'CLOSING. It answers at once with its own Close frame carrying the same code (RFC 6455 §5.5.1).' +
            (e.host.role === 'server'
              ? ' Then ws closes the TCP connection: the server closes first (RFC 6455 §7.1.1).'
              : ' The browser does this by itself; no JavaScript runs.'),
          curriculum: ['M7'],
        };
      }
      return {
        title: 'The closing handshake is complete', // RFC 6455 §7.1.2-7.1.3
        // RFC 6455 §7.1.1: the server should close the TCP connection first.
        text:
          `${Who(e.host)} got the answering Close frame, status ${closeCodeName(e.code)}. Both sides have said goodbye ` +
          'at the WebSocket level (layer 7). TCP is still open: ' +
          (e.host.role === 'server'
            ? 'now the server closes it, as RFC 6455 §7.1.1 asks.'
            : 'the browser waits for the server to close it, as RFC 6455 §7.1.1 asks.'),
      };
    case 'closed':
      if (e.host.role === 'client') {
        return {
          // WHATWG WebSockets: the close event.
          title: e.clean ? `onclose: ${e.code} ${quoted(e.reason)}` : `onclose: ${e.code} (abnormal)`,
          // WHATWG WebSockets (wasClean); RFC 6455 §7.1.4 (closed when TCP is), §7.4.1 (1006 is never sent in a
          // Close frame).
          text: e.clean
            ? 'The server closed TCP and the browser closed its side too, so the WebSocket is closed: readyState ' +
              `CLOSED, onclose runs with code ${e.code}, reason ${quoted(e.reason)}, wasClean true.`
            : 'The connection broke without a closing handshake: readyState CLOSED, onclose runs with code 1006 ' +
              '(abnormal closure, a code that is never sent on the wire), wasClean false.',
          curriculum: ['M7'],
        };
      }
      return {
        // ws lib/websocket.js emitClose.
        title: e.clean ? `ws: 'close' ${e.code} ${quoted(e.reason)}` : `ws: 'close' ${e.code} (abnormal)`,
        // ws lib/websocket.js emitClose, on the socket's 'close' (both FINs done); RFC 6455 §7.4.1 (1006).
        text: e.clean
          ? `The browser's FIN arrived, so TCP is closed for ws: readyState CLOSED, and 'close' fires with ${e.code} ` +
            `and ${quoted(e.reason)}.`
          : "The connection broke: readyState CLOSED, and 'close' fires with 1006 (abnormal closure).",
      };
    case 'failed':
      return {
        title: 'WebSocket failed',
        // RFC 6455 §7.1.7 (fail the WebSocket connection); the reason is the library's (sim/libs/websocket.ts).
        text: `${Who(e.host)} gives up on the WebSocket: ${e.message}.`,
      };
  }
}

// ---- TCP states ----

const STATE_MEANING: { readonly [S in TcpStateName]: string } = {
  CLOSED: 'no connection', // RFC 9293 §3.3.2
  LISTEN: 'waiting for a SYN', // RFC 9293 §3.3.2
  SYN_SENT: 'SYN sent, waiting for SYN-ACK', // RFC 9293 §3.3.2
  SYN_RECEIVED: 'SYN received and answered, waiting for the ACK', // RFC 9293 §3.3.2
  ESTABLISHED: 'open: data can flow both ways', // RFC 9293 §3.3.2
  FIN_WAIT_1: 'FIN sent, waiting for its ACK', // RFC 9293 §3.3.2
  FIN_WAIT_2: 'own side closed, waiting for the other FIN', // RFC 9293 §3.3.2
  CLOSE_WAIT: 'the other side has closed; waiting for this application to close', // RFC 9293 §3.3.2
  CLOSING: 'both sides sent FIN at once; waiting for the ACK', // RFC 9293 §3.3.2
  LAST_ACK: 'FIN sent after the other side’s, waiting for the last ACK', // RFC 9293 §3.3.2
  // Linux's TCP_TIMEWAIT_LEN (60 s, include/net/tcp.h); RFC 9293 §3.4.2 asks for 2 × MSL (MSL = 2 minutes).
  TIME_WAIT: 'closed; waiting (60 s on Linux) in case the last ACK was lost', // include/net/tcp.h
};

export function narrateTcpState(
  host: HostInfo,
  from: TcpStateName,
  to: TcpStateName,
  f: RunFacts,
): Narration {
  return { title: `${Label(host)}: ${from} → ${to}`, ...tcpStateText(host, from, to, f) };
}

/** What a change of TCP state means, told from the side it happens on. */
function tcpStateText(
  host: HostInfo,
  from: TcpStateName,
  to: TcpStateName,
  f: RunFacts,
): Omit<Narration, 'title'> {
  const H = Who(host);
  const port = f.clientPort ?? 0;
  const key = `${from}>${to}`;
  switch (key) {
    case 'CLOSED>SYN_SENT':
      return {
        // RFC 6056 §3 (an ephemeral port, chosen hard to guess); RFC 9293 §3.4.1 and RFC 6528 (the ISN: a clock
        // plus a keyed hash of the addresses and ports); §3.4: the SYN occupies x, so the first data byte is x + 1.
        text:
          `The browser's TCP picks a source port (${port}) from its range of spare ones and an initial sequence ` +
          `number that looks random, x = ${f.clientIsn ?? '(chosen now)'}. It sends a SYN ("let's talk; I start counting at x, so my first ` +
          'byte of data will be number x + 1") ' +
          'and waits for the answer.',
        curriculum: ['Q11'],
      };
    case 'LISTEN>SYN_RECEIVED':
      return {
        // RFC 9293 §3.10.7.2 (a SYN in LISTEN), §3.4.1 and RFC 6528 (its own ISN, chosen the same way).
        text:
          `A SYN for port ${schemeOf(f).port} from ${f.client.ip}:${port}. The server's TCP notes the browser's number x and picks ` +
          `its own the same way, y = ${f.serverIsn ?? '(chosen now)'}. It answers with SYN-ACK.`,
        curriculum: ['Q11'],
      };
    case 'SYN_SENT>ESTABLISHED':
      return {
        // RFC 9293 §3.5 and §3.10.7.3 (SYN-SENT: the SYN acknowledged, answer with an ACK).
        text:
          'The SYN-ACK acknowledged the SYN (Ack = x+1) and brought the server’s number y. For the browser the ' +
          'connection is open; it sends the third and last segment of the handshake, an ACK.',
        curriculum: ['Q11'],
      };
    case 'SYN_RECEIVED>ESTABLISHED':
      return {
        // RFC 9293 §3.5 (three segments), RFC 6455 §1.3 (the opening handshake: one request, one response).
        text:
          'The ACK arrived: SYN, SYN-ACK, ACK, and both sides know where the other’s numbering starts. That was ' +
          "TCP's three-way handshake, at layer 4. The WebSocket handshake is a different thing: one HTTP " +
          'request and one response, on this connection.',
        curriculum: ['Q11', 'M2'],
        misconception: MISCONCEPTIONS.M2,
      };
    case 'ESTABLISHED>FIN_WAIT_1':
      return {
        // RFC 9293 §3.6 (each direction closes on its own); chromium-ws.pcap frames 33-35 (three segments).
        text:
          `${H} closes its side of the TCP connection: its TCP sends FIN ("I have nothing more to send"). ` +
          'Each direction closes on its own, so both sides send a FIN and both FINs are acknowledged: four ' +
          'segments, or three when the other side’s FIN carries the ACK of this one.',
        curriculum: ['Q11'],
      };
    case 'ESTABLISHED>CLOSE_WAIT':
      return {
        // Linux net/ipv4/tcp_input.c tcp_fin: inet_csk_enter_pingpong_mode in ESTABLISHED → CLOSE_WAIT.
        text:
          `The FIN arrived: the other side will send nothing more. ${H}'s TCP tells the program, which will ` +
          'close its side next. Linux does not acknowledge the FIN at once: it waits up to 40 ms (its ' +
          'delayed-ACK timer) so that the program’s own FIN can carry the ACK.',
        curriculum: ['Q11'],
      };
    case 'FIN_WAIT_1>FIN_WAIT_2':
      return {
        // RFC 9293 §3.6: FIN-WAIT-1 → FIN-WAIT-2 when the FIN is acknowledged.
        text: `The FIN was acknowledged. One direction is closed; ${who(host)} now waits for the other side's FIN.`,
      };
    case 'CLOSE_WAIT>LAST_ACK':
      return {
        // RFC 9293 §3.6: CLOSE-WAIT → LAST-ACK on the application's close.
        text: `${H} closes its side too: its TCP sends FIN and waits for the last ACK.`,
        curriculum: ['Q11'],
      };
    case 'FIN_WAIT_2>TIME_WAIT':
    case 'CLOSING>TIME_WAIT':
    case 'FIN_WAIT_1>TIME_WAIT':
      return {
        // RFC 9293 §3.4.2 (MSL 2 minutes), §3.6 (TIME-WAIT 2 × MSL); include/net/tcp.h TCP_TIMEWAIT_LEN;
        // RFC 6455 §7.1.1 (the server closes first, so that it, not the client, holds TIME_WAIT).
        text:
          `Both FINs are acknowledged or answered. ${H} sends the last ACK and stays in TIME_WAIT before ` +
          'forgetting the connection, in case that ACK is lost and the FIN comes again. RFC 9293 §3.4.2 asks ' +
          'for 2 × MSL, with an MSL of 2 minutes: 4 minutes. Linux waits a fixed 60 s (TCP_TIMEWAIT_LEN), ' +
          'its own shorter choice. The closer pays this wait, which is why RFC 6455 asks the server, not the ' +
          'browser, to close first.',
        curriculum: ['Q11'],
      };
    case 'LAST_ACK>CLOSED':
      return {
        // RFC 9293 §3.6 (LAST-ACK → CLOSED); the listening socket stays (ws keeps listening on its port).
        text:
          `The last ACK arrived. For ${who(host)} the connection is gone` +
          (host.role === 'client'
            ? ` and its port ${port} is free again.`
            : `; port ${schemeOf(f).port} goes on listening for new connections.`),
        curriculum: ['Q11'],
      };
    case 'TIME_WAIT>CLOSED':
      return {
        // include/net/tcp.h TCP_TIMEWAIT_LEN = 60 s (Linux), not the RFC's 2 × MSL.
        text: 'Linux’s 60 s of TIME_WAIT have passed: the connection is forgotten.',
      };
    default:
      return {
        // RFC 9293 §3.3.2: the states and their meaning.
        text: `${H}'s TCP goes from ${from} (${STATE_MEANING[from]}) to ${to} (${STATE_MEANING[to]}).`,
      };
  }
}

// ---- Packets ----

function frameBytesText(w: StoryWrite): string {
  const repr = w.frame;
  const bytes = plainBytes(w);
  if (!repr) return bytesText(bytes.length);
  const header = bytes.length - repr.payload.length;
  // RFC 6455 §5.2: a frame is its header (2 to 14 bytes) and its payload.
  if (repr.payload.length === 0) return `${bytesText(bytes.length)}: just the header, no payload`;
  return `${bytesText(bytes.length)}: ${header} of header and ${repr.payload.length} of payload`; // RFC 6455 §5.2
}

function fragmentText(w: StoryWrite): string {
  if (!w.fragment) return '';
  const { index, count } = w.fragment;
  // RFC 6455 §5.4: FIN = 0 on every fragment but the last; continuation frames have opcode 0x0.
  return index === 0
    ? ` This is the first of ${count} frames of one message (FIN = 0: more follow).`
    : ` Continuation frame ${index + 1} of ${count} (opcode 0x0${index === count - 1 ? ', FIN = 1: the last one' : ''}).`;
}

/** The TCP flags byte (byte 13 of the header, RFC 9293 §3.1) in hex and in bits, from the frame itself. */
function flagsByteText(p: Packet): string {
  const at = p.layers.tcp ? p.layers.tcp.start + 13 : -1;
  const b = at >= 0 ? p.frame[at] : undefined;
  if (b === undefined) return 'which the inspector shows'; // RFC 9293 §3.1 (the flags byte)
  return `0x${b.toString(16).padStart(2, '0')} = ${b.toString(2).padStart(8, '0')} in bits`;
}

/** Title and text of the single step of a packet that does not walk the layers. */
export function narratePacket(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  const role = packetRole(p, w);
  const from = p.from === 'client' ? f.client : f.server;
  const arrow = `${Label(from)} → ${who(p.to).replace('the ', '')}`;
  const again = p.retransmissionOf !== undefined;
  // RFC 9293 §3.8.1 (retransmission: the same bytes, the same sequence numbers); RFC 5681 §3.2 (after three
  // duplicate ACKs); RFC 6298 §5.4 (after the timeout).
  const againText = again
    ? ` This is a retransmission of ${originalName(f.packets[p.retransmissionOf!])}: the same bytes, the same sequence number${p.retransmitReason === 'fast-retransmit' ? ', sent after three duplicate ACKs' : ', sent after the timeout'}.`
    : '';
  const prefix = again ? 'Again: ' : '';
  if (w?.tls && !w.tls.inner && role !== 'continuation' && f.tls) {
    const n = f.tls.narrateTlsPacket(p, w, f, againText);
    if (n) return { ...n, title: prefix + n.title };
  }
  // With TLS every application write travels inside records (RFC 8446 §5.2).
  const inTls = w?.tls?.inner && f.tls ? f.tls.tlsDataSentence(w) : '';
  switch (role) {
    case 'syn':
      return {
        title: `${prefix}SYN: "let's talk"`, // RFC 9293 §3.5
        // RFC 9293 §3.7.1 (the MSS counts data only, no headers), RFC 6691 §2 (options come out of it: with
        // timestamps Linux sends 1448, sim/engine/tcp.ts); RFC 2018 (SACK), RFC 7323 (timestamps, window scale).
        text:
          `${arrow}: [SYN], Seq = x = ${p.tcp.seq} (Wireshark shows it as 0). It also says what the browser can ` +
          `handle: up to ${f.scenario.mss} bytes of data in each segment (the MSS, headers not counted; ` +
          `with the timestamps both sides will use, Linux puts at most ${bytesText(mssPayload(f))} in each), ` +
          'selective ACKs, timestamps, window scaling.' +
          // RFC 9293 §3.1: the flags are byte 13 of the TCP header; SYN is its bit 0x02.
          ` SYN itself is not a number: it is one bit of the flags byte, ${flagsByteText(p)}.` +
          againText,
        curriculum: ['Q11', 'M13'],
        misconception: MISCONCEPTIONS.M13,
      };
    case 'syn-ack':
      return {
        title: `${prefix}SYN-ACK: "OK, and my numbers start at y"`, // RFC 9293 §3.5
        // RFC 9293 §3.4 (the SYN occupies one sequence number; the ACK names the next one expected).
        text:
          `${arrow}: [SYN, ACK] with Seq = y = ${p.tcp.seq} (the server's own ISN) and ` +
          `Ack = ${seqExpr('x', f.clientIsn, 1)}. The SYN used up sequence number x, so the next number the ` +
          'server expects is x+1.' +
          againText,
        curriculum: ['Q11', 'M3'],
      };
    case 'handshake-ack':
      return {
        title: 'ACK: "got it" (handshake done)', // RFC 9293 §3.5
        // RFC 9293 §3.4.1 and RFC 6528 §3: ISN = a 4-µs clock + a keyed hash of the addresses and ports. The
        // clock keeps a new incarnation's numbers apart from an old one's (old duplicates); the secret keeps
        // off-path attackers from guessing them. Linux: net/core/secure_seq.c. Wirewalk draws it from the seed.
        text:
          `${arrow}: [ACK] with Seq = ${seqExpr('x', f.clientIsn, 1)} and Ack = ${seqExpr('y', f.serverIsn, 1)}. ` +
          'Nothing is reset to 0 and nothing is repeated: each side’s number has moved one past its SYN. ' +
          'Why not start at 0? Each side computes its first number from a clock and a secret hash of the two ' +
          'addresses and ports. The clock keeps this connection’s numbers apart from those of an older one ' +
          'with the same addresses and ports, so a stray old segment is not taken for part of this one; the ' +
          'secret keeps anyone who cannot see the packets from guessing the numbers to inject data. (Wirewalk ' +
          'draws them from the link’s seed.)',
        curriculum: ['Q11', 'M3'],
        misconception: MISCONCEPTIONS.M3,
      };
    case 'upgrade-request':
      return {
        title: `${prefix}HTTP upgrade request: GET /chat`, // RFC 6455 §4.1
        // The headers and their order: chromium-ws.pcap (Chromium 156); sources per header in
        // sim/libs/http.ts browserWsRequest (RFC 6455 §4.1, the Fetch standard, Chrome, RFC 7692).
        text:
          `${arrow}, on the connection TCP just opened: an ordinary HTTP request, GET /chat HTTP/1.1, ` +
          `${bytesText(w ? plainBytes(w).length : p.tcp.len)} with Chrome's twelve headers in Chrome's order. ` +
          `RFC 6455 §4.1 asks for Host, Upgrade: websocket, Connection: Upgrade, Sec-WebSocket-Key: ${f.key ?? '?'}, ` +
          'Sec-WebSocket-Version: 13 and, from a browser, Origin. Pragma and Cache-Control: no-cache are the Fetch ' +
          "standard's (a WebSocket request is never answered from a cache); User-Agent, Accept-Encoding and " +
          "Accept-Language are Chrome's, as on all its requests; Sec-WebSocket-Extensions: permessage-deflate; " +
          "client_max_window_bits is Chrome's offer to compress messages (RFC 7692)." +
          inTls +
          againText,
        curriculum: ['Q2', 'M2'],
        misconception: MISCONCEPTIONS.M2,
      };
    case 'upgrade-response': {
      const acc = f.key ? acceptComputation(f.key) : null;
      return {
        title: `${prefix}101 Switching Protocols`,
        // RFC 6455 §4.2.2 (Accept = base64(SHA-1(key + GUID))), §1.3 (one request, one response).
        text:
          `${arrow}: HTTP/1.1 101 Switching Protocols, with Sec-WebSocket-Accept: ${acc?.accept ?? '?'}. ` +
          (acc
            ? `The server took the key ${acc.key}, appended the fixed GUID ${WEBSOCKET_GUID}, hashed that with ` +
              `SHA-1 (${toHex(acc.sha1, '')}) and wrote the 20 bytes in base64. `
            : '') +
          deflateAnswer(f) +
          ' That was the whole WebSocket handshake: one request, one response.' +
          inTls +
          againText,
        curriculum: ['Q2', 'M2'],
      };
    }
    case 'message': {
      const m = w?.message !== undefined ? f.scenario.messages[w.message] : undefined;
      const text = m ? quoted(m.text) : '';
      const push = p.from === 'server';
      const part = w?.fragment ? ` (frame ${w.fragment.index + 1} of ${w.fragment.count})` : '';
      const squeezed = w?.inflated !== undefined && (w.fragment?.index ?? 0) === 0;
      return {
        title: `${prefix}${push ? 'Server push' : 'WebSocket frame'}: ${text}${part}`,
        // RFC 6455 §5.6 (a text frame), §1.5 (frames on the same connection, no HTTP headers; no requests).
        text:
          `${arrow}: a WebSocket text frame, ${w ? frameBytesText(w) : bytesText(p.tcp.len)}.` +
          (w ? maskSentence(w.frame, 'explained') + fragmentText(w) : '') +
          (squeezed ? compressedText(w, push) : '') +
          ` Same TCP connection, same port ${schemeOf(f).port}, no HTTP headers.` +
          (push ? ' No request asked for it: WebSocket has none.' : '') +
          inTls +
          againText,
        // M10: permessage-deflate squeezed this frame (RFC 7692 §6); M14: the frame's bytes beside the page's
        // ws.send() (code); M15: a retransmission (RFC 9293 §3.8.1).
        curriculum: squeezed ? ['Q1', 'M10'] : push ? ['Q1', 'Q3'] : again ? ['Q1', 'M15'] : ['Q1', 'M14'],
        ...(squeezed
          ? { misconception: MISCONCEPTIONS.M10 }
          : push
            ? {}
            : { misconception: again ? MISCONCEPTIONS.M15 : MISCONCEPTIONS.M14 }),
      };
    }
    case 'continuation': {
      const of = p.app?.kind === 'continuation' ? p.app.of : -1;
      const first = f.packets[of];
      const offset = first ? p.tcp.relSeq - first.tcp.relSeq : 0;
      return {
        title: `${prefix}Next piece of the frame (#${first?.wireIndex ?? of + 1})`, // RFC 9293 §3.7.1
        // RFC 9293 §3.7.1 and RFC 6691 §2: at most the MSS less the options (sim/engine/tcp.ts).
        text:
          `${arrow}: bytes ${offset + 1}–${offset + p.tcp.len} of the ${bytesText(w?.bytes.length ?? 0)} the ` +
          `application wrote. TCP cuts a long write into segments of at most ${bytesText(mssPayload(f))}.` +
          againText,
      };
    }
    case 'ping':
      return {
        title: `${prefix}Ping`,
        // RFC 6455 §5.5.2 (ping); ws lib/websocket.js ping() (ws never pings by itself); ws/README.md "How to
        // detect and close broken connections?" (a heartbeat the program sets up).
        text:
          `${arrow}: a ping control frame (opcode 0x9, ${w ? frameBytesText(w) : ''}). server.js called ` +
          'ws.ping(): ws never pings by itself, but servers often ping now and then to check the client is ' +
          'still there.' +
          inTls +
          againText,
      };
    case 'pong':
      return {
        title: `${prefix}Pong (automatic)`,
        // RFC 6455 §5.5.2-5.5.3 (a ping must be answered with a pong), §5.3 (client frames are masked); WHATWG
        // WebSockets has no ping or pong API.
        text:
          `${arrow}: the browser answers the ping by itself with a pong (opcode 0xA, ${w ? frameBytesText(w) : ''}), ` +
          'masked like every client frame. No JavaScript runs.' +
          ackOfAnswerText(p, f, 'ping') +
          inTls +
          againText,
      };
    case 'close':
    case 'close-echo': {
      const code = p.app?.kind === 'ws-frame' ? (p.app.closeCode ?? null) : null;
      const reason = p.app?.kind === 'ws-frame' ? p.app.text : '';
      return {
        title: `${prefix}${role === 'close' ? 'Close frame' : 'Close frame echoed'}: ${code ?? ''} ${quoted(reason)}`,
        // RFC 6455 §5.5.1: a Close frame, its 2-byte status code and UTF-8 reason.
        text:
          `${arrow}: a Close control frame (opcode 0x8) with status ${closeCodeName(code)} and reason ` +
          `${quoted(reason)}.` +
          (w ? maskSentence(w.frame, 'explained') : '') +
          (role === 'close-echo' ? ackOfAnswerText(p, f, 'Close') : '') +
          inTls +
          againText,
        curriculum: ['M7'],
      };
    }
    case 'tls-client-hello':
    case 'tls-server-hello':
    case 'tls-client-finished':
    case 'tls-session-ticket':
    case 'tls-close-notify':
      // Only without the write (a bare segment): narrateTlsPacket has answered otherwise.
      return {
        title: `${prefix}TLS`,
        text: `${arrow}: TLS records, ${bytesText(p.tcp.len)}.` + againText, // RFC 8446 §5.1
      };
    case 'fin':
      return narrateFin(p, f.goodbye.get(p.id), arrow, prefix, againText);
    case 'ack': {
      if (p.tcp.flags.includes('RST')) return narrateReset(p, arrow, prefix);
      const role = f.goodbye.get(p.id);
      if (role?.kind === 'ack-of-first') {
        return {
          title: 'ACK of the FIN', // RFC 9293 §3.4: the FIN takes one sequence number.
          // Linux's tcp_fin (net/ipv4/tcp_input.c) delays the ACK of a FIN in ESTABLISHED (ping-pong mode); the
          // delayed-ACK timer (40 ms, TCP_DELACK_MIN) sends it alone when the program has not closed by then.
          text:
            `${arrow}: [ACK] with Ack = ${p.tcp.relAck} (relative): one more than the FIN’s own sequence number, ` +
            'because FIN counts as one. It goes alone: Linux held it back in case this side’s program closed ' +
            'too, so that its FIN could carry it, but the program had not closed when the 40 ms delayed-ACK ' +
            'timer fired. So this goodbye will take four segments, not three.',
          curriculum: ['Q11', 'M3'],
        };
      }
      if (role?.kind === 'last-ack') {
        return {
          title: `Last ACK: the goodbye took ${role.segments} segments`, // RFC 9293 §3.6
          // RFC 9293 §3.6; chromium-ws.pcap frames 33-35; Linux net/ipv4/tcp_input.c tcp_fin (in FIN-WAIT a FIN
          // is acknowledged at once).
          text:
            `${arrow}: [ACK] with Ack = ${p.tcp.relAck} (relative), one more than the second FIN’s sequence ` +
            'number. ' +
            (role.segments === 3
              ? 'FIN, FIN + ACK, ACK: three segments, because the second FIN carried the ACK of the first ' +
                '(as in a real capture of Chromium and ws, chromium-ws.pcap frames 33-35).'
              : 'FIN, ACK, FIN, ACK: four segments, because the first FIN was acknowledged before the other ' +
                'side’s FIN could carry that ACK.') +
            ' Linux sends this ACK at once: a FIN that arrives in FIN-WAIT is acknowledged without delay.',
          curriculum: ['Q11', 'M3'],
        };
      }
      const dup = f.duplicateAcks.get(p.id);
      if (dup) {
        return {
          title: `Duplicate ACK (${dup})`,
          // RFC 5681 §4.2 (an out-of-order segment is acknowledged at once); RFC 2018 §4 (SACK blocks).
          text:
            `${arrow}: Ack = ${p.tcp.relAck} again. A segment arrived, but not the one that starts at ` +
            `${p.tcp.relAck}: TCP keeps the later bytes and repeats its ACK at once, so the sender learns that ` +
            'something is missing (RFC 5681 §4.2).' +
            sackText(p),
        };
      }
      return {
        title: 'ACK',
        // RFC 9293 §3.4: the Ack field names the next byte expected, so every byte before it has arrived.
        text:
          `${arrow}: [ACK], Ack = ${p.tcp.relAck}: "I have every byte before number ${p.tcp.relAck}" (relative ` +
          `numbers). No data. ${ackWhyText(p.ackWhy)}`,
      };
    }
  }
}

/** The SACK blocks of a duplicate ACK, in relative numbers (RFC 2018 §3-4). */
function sackText(p: Packet): string {
  const sack = p.fields.find((x) => x.key === 'optionSack');
  if (!sack) return '';
  // Relative to the same start as the Ack field (Wireshark's SLE/SRE with relative numbers).
  const base = (p.tcp.ack - p.tcp.relAck) >>> 0;
  const blocks = [...sack.value.matchAll(/(\d+)-(\d+)/g)].map(
    (m) => `${(Number(m[1]) - base) >>> 0}-${(Number(m[2]) - base) >>> 0}`,
  );
  // RFC 2018 §3-4: the blocks say which data arrived beyond the ACK; the first holds the latest segment.
  return (
    ' Both SYNs offered SACK, so this ACK also carries a SACK block list (RFC 2018): the bytes that did ' +
    `arrive after the hole (${blocks.join(', ')}, relative), so the sender resends only what is missing.`
  );
}

/**
 * Whether an answer (the echoed Close, the pong) carries the TCP ACK of the frame it answers, or a pure ACK went
 * first (Linux's quick-ACK or short-segment rule; chromium-ws.pcap frames 26-28 and 30-32).
 */
function ackOfAnswerText(p: Packet, f: RunFacts, what: string): string {
  const ackedBefore = f.packets.some(
    (q) => q.id < p.id && q.from === p.from && q.tcp.len === 0 && q.tcp.relAck === p.tcp.relAck,
  );
  // RFC 9293 §3.4 (every segment after the SYN carries the ACK field); Linux net/ipv4/tcp_input.c
  // __tcp_ack_snd_check (an ACK may go alone before the answer).
  return ackedBefore
    ? ` It answers the other side’s ${what}; TCP had already acknowledged that ${what} with an ACK of its own.`
    : ` It answers the other side’s ${what} and carries the TCP ACK for it.`;
}

/** A FIN, by its part in the goodbye. */
function narrateFin(
  p: Packet,
  role: GoodbyeRole | undefined,
  arrow: string,
  prefix: string,
  againText: string,
): Narration {
  // RFC 9293 §3.4: SYN and FIN each occupy one sequence number.
  const seqText = `Like SYN, FIN uses up one sequence number, so the ACK for it will say ${p.tcp.relSeq + p.tcp.len + 1}.`;
  if (role?.kind === 'second-fin') {
    return {
      title: `${prefix}FIN${role.carriesAck ? ' + ACK' : ''}: "nothing more from me either"`, // RFC 9293 §3.6
      // RFC 9293 §3.6: this side closes too.
      text:
        `${arrow}: [FIN, ACK] Seq = ${p.tcp.relSeq}, Ack = ${p.tcp.relAck} (relative). This side closes too. ` +
        (role.carriesAck
          ? // Linux net/ipv4/tcp_input.c tcp_fin enters ping-pong mode; chromium-ws.pcap frame 34 (FIN carrying the ACK).
            'Its Ack also acknowledges the first FIN: Linux did not send that ACK alone, it waited (up to ' +
            'its 40 ms delayed-ACK timer) because the program usually closes right after the other side ' +
            'does, and it did. So the goodbye takes three segments, not four. '
          : 'The first FIN was already acknowledged by an earlier segment (an ACK of its own, or data this ' +
            'side sent first, such as a TLS close_notify), so the FINs and their ACKs take four segments. ') +
        seqText +
        againText,
      curriculum: ['Q11', 'M3'],
    };
  }
  return {
    title: `${prefix}FIN: "nothing more from me"`, // RFC 9293 §3.6
    // RFC 9293 §3.6: FIN means no more data from this side.
    text:
      `${arrow}: [FIN, ACK] Seq = ${p.tcp.relSeq} (relative). FIN means this side will send no more data. ` +
      seqText +
      // Linux net/ipv4/tcp_input.c tcp_fin (ping-pong mode on a FIN in ESTABLISHED); chromium-ws.pcap frames 33-35.
      ' Linux on the other side will not acknowledge it at once: it waits up to 40 ms for its own program ' +
      'to close, so that its FIN can carry the ACK (three segments in all); if the program takes longer, ' +
      'the ACK goes alone and the goodbye takes four.' +
      againText,
    curriculum: ['Q11', 'M3'],
  };
}

/** A reset (RFC 9293 §3.10.7.1, §3.10.5). */
function narrateReset(p: Packet, arrow: string, prefix: string): Narration {
  return {
    title: `${prefix}RST: "no such connection"`, // RFC 9293 §3.10.7.1
    // RFC 9293 §3.10.7.1: a segment for a CLOSED connection gets <SEQ=SEG.ACK><CTL=RST>, or
    // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> when it had no ACK; Linux net/ipv4/tcp_ipv4.c tcp_v4_send_reset.
    text:
      `${arrow}: [${p.tcp.flags.join(', ')}]. A segment arrived for a connection this side no longer has, and ` +
      'TCP answers such a segment with a reset (RFC 9293 §3.10.7.1): ' +
      (p.tcp.flags.includes('ACK')
        ? 'the segment carried no ACK, so the reset acknowledges it instead (its Seq + length), '
        : 'its sequence number is the Ack of the segment that caused it, ') +
      'so the other side accepts it and drops the connection.',
  };
}

/** The data a segment carries at most: the MSS less the 12 bytes of timestamps every segment has (RFC 6691 §2). */
function mssPayload(f: RunFacts): number {
  return f.scenario.mss - 12;
}

export function narrateDrop(p: Packet, w: StoryWrite | undefined, f: RunFacts): Narration {
  const what = narratePacket(p, w, f).title;
  return {
    title: `Lost on the wire: ${what}`, // Wirewalk's choice: the link's loss=k drops the k-th packet sent.
    // RFC 9293 §3.8.1 (no one reports a loss: the sender learns from the ACKs, by the timeout, RFC 6298 §5, or
    // from duplicate ACKs of later segments, RFC 5681 §3.2).
    text:
      `Packet #${p.wireIndex} (${p.summary}) is lost: the link says loss=${p.wireIndex}. It never reaches ` +
      `${who(p.to)}, and nobody is told. ${Who(p.from)} can tell only from the acknowledgments: none comes ` +
      'back for it, or later segments make the receiver repeat an older one.',
  };
}

/** For a walk's wire step. */
export function narrateWire(p: Packet, latencyMs: number): Narration {
  const bits = (p.frame.length + p.padding + 12) * 8;
  return {
    title: 'On the wire',
    // The latency is Wirewalk's choice (sim/engine/network.ts); the bits include the preamble and FCS (IEEE 802.3
    // §3.2). Layer 1 carries signals (IEEE 802.3 clause 1); a switch forwards by MAC (IEEE 802.1D, layer 2), a
    // router by IP address (RFC 1812, layer 3): each reads only the headers of its own layer and below.
    text:
      `The ${bits} bits travel to ${who(p.to)}: ${latencyMs} ms on this simulated path. A cable or a radio link ` +
      'carries only signals; a switch on the way would read the Ethernet header, a router the IPv4 header too' +
      ((p.hops?.length ?? 0) > 0
        ? `, and ${p.hops!.length === 1 ? 'a router stands' : `${p.hops!.length} routers stand`} between the two.`
        : '. Here both are on one LAN: no router between them.'),
    curriculum: ['Q10'],
  };
}
