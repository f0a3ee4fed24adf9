/**
 * The websocket story's lessons about frames: full-duplex frames and server push, masking, and the close
 * handshake.
 */
import { toHex } from '../../../protocol/bytes';
import { maskPayload } from '../../../protocol/websocket';
import type { Step, Timeline } from '../../../sim/types';
import {
  packetOf,
  firstSendingOf,
  appBytes,
  wsFrameOf,
  wsHeaderBytes,
  isTextFrame,
  isCloseFrame,
  has,
  firstTransmit,
  firstOfChapter,
  wsBecame,
  startsClosing,
  sameText,
  lastPacketBefore,
  startAt,
} from '../queries';
import type { LessonContent } from '../types';
import { quote, bytes, byteList, TEXT } from '../wording';

/** Frames and server push: what a frame header costs, and that no request came first. */
function framesAside(step: Step, t: Timeline): string | undefined {
  const p = firstSendingOf(step, t);
  if (!p || step.kind !== 'transmit' || !isTextFrame(p)) return undefined;
  const f = wsFrameOf(p);
  if (!f) return undefined;
  const head = appBytes(p).subarray(0, 2);
  const header = wsHeaderBytes(p, f);
  const b0 = head[0] ?? 0;
  const b1 = head[1] ?? 0;
  // RFC 6455 §5.2: FIN and opcode in the first byte, MASK and the 7-bit length in the second; length 126
  // or 127 means 2 or 8 more length bytes; a masked frame then carries the 4-byte key. Read from this frame.
  const parts =
    `Header ${toHex(head)}: ${toHex(head.subarray(0, 1))} = FIN ${b0 >> 7}, opcode ${b0 & 0x0f} (text); ` +
    `${toHex(head.subarray(1, 2))} = MASK ${b1 >> 7}, ` +
    ((b1 & 0x7f) < 126
      ? `length ${b1 & 0x7f}`
      : `length code ${b1 & 0x7f}: the length, ${f.payload.length}, follows in ${(b1 & 0x7f) === 126 ? 2 : 8} more bytes`) +
    (f.maskKey ? `, then the 4-byte masking key ${toHex(f.maskKey)}` : '') +
    `. ${bytes(header)} of header for ${bytes(f.payload.length)} of text.`;
  if (p.from === 'client') return parts;
  const response = t.packets.find((q) => q.app?.kind === 'http-response');
  const asked = t.packets.some(
    (q) =>
      q.from === 'client' &&
      q.tcp.len > 0 &&
      q.app?.kind === 'ws-frame' &&
      q.id < p.id &&
      (!response || q.id > response.id),
  );
  // RFC 6455 §1.2: each side sends data at will, independently of the other; no frame is a request that
  // another answers; what the browser sent is read from this run's packets; the server's messages are the
  // scenario's script (sim/stories/websocket/timeline.ts).
  return (
    parts +
    (asked
      ? ' The browser did send a frame earlier, but that was a message of its own, not a request: the server sends this because its program chose to.'
      : ' Since the 101, the browser has sent no data at all, only TCP ACKs: nothing asked for this frame. That is server push.')
  );
}

/** Masking: the key, the XOR byte by byte, and the same text looking different each time. */
function maskingAside(step: Step, t: Timeline): string | undefined {
  const p = packetOf(step, t);
  if (
    step.kind === 'app' &&
    step.host === 'server' &&
    step.console?.some((c) => c.text.startsWith('message:'))
  ) {
    const frame = [...t.packets]
      .reverse()
      .find((q) => q.id <= (lastPacketBefore(step, t) ?? -1) && q.from === 'client' && isTextFrame(q));
    const f = frame ? wsFrameOf(frame) : null;
    if (!frame || !f?.maskKey) return undefined;
    const wire = maskPayload(f.payload, f.maskKey);
    // ws lib/receiver.js (getData unmasks with lib/buffer-util.js unmask) and RFC 6455 §5.3 (the same
    // XOR undoes the masking); bytes from this run's frame.
    return (
      `ws XORs the wire bytes ${byteList(wire, 8)} with the same key ${toHex(f.maskKey)} and gets ` +
      `${byteList(f.payload, 8)} back: ${quote(TEXT.decode(f.payload))}. XOR with the same key twice gives the original.`
    );
  }
  if (!p || step.kind !== 'transmit' || p.retransmissionOf !== undefined || !isTextFrame(p)) return undefined;
  const f = wsFrameOf(p);
  if (!f) return undefined;
  if (!f.maskKey) {
    // RFC 6455 §5.1 (a server MUST NOT mask) and §10.3 (masking is not for confidentiality); §10.6 (TLS
    // gives confidentiality on wss://).
    return (
      `Not masked: the payload on the wire, ${byteList(f.payload, 8)}, is the UTF-8 text itself. A server ` +
      'must not mask (RFC 6455 §5.1). Masking is not secrecy anyway: only wss:// (TLS) hides the text from the path.'
    );
  }
  const wire = maskPayload(f.payload, f.maskKey);
  const n = Math.min(f.payload.length, 5);
  const xors: string[] = [];
  for (let i = 0; i < n; i++) {
    xors.push(
      `${toHex(f.payload.subarray(i, i + 1))} ⊕ ${toHex(f.maskKey.subarray(i & 3, (i & 3) + 1))} = ${toHex(wire.subarray(i, i + 1))}`,
    );
  }
  const text = TEXT.decode(f.payload);
  const earlier = t.packets.find(
    (q) =>
      q.id < p.id &&
      q.from === 'client' &&
      isTextFrame(q) &&
      q.retransmissionOf === undefined &&
      sameText(q, text),
  );
  const ef = earlier ? wsFrameOf(earlier) : null;
  // RFC 6455 §5.3 (a fresh key per frame, so the same text masks differently) and §10.3 (unpredictable
  // keys stop a script from choosing the wire bytes: cache poisoning of a confused proxy); keys from this run.
  const again =
    earlier && ef?.maskKey
      ? ` The page sent the same text before (packet #${earlier.wireIndex}, key ${toHex(ef.maskKey)}), and then ` +
        `it went out as ${byteList(maskPayload(ef.payload, ef.maskKey), 8)}: same text, different bytes.`
      : ' A script in the page chose the text but cannot predict these bytes, so it cannot make the wire carry ' +
        'something a confused proxy would take for an HTTP request (cache poisoning, RFC 6455 §10.3).';
  // RFC 6455 §5.3 (the client picks a fresh 32-bit key for each frame; octet i XOR key octet i MOD 4);
  // Chromium net/websockets/websocket_frame.cc (GenerateWebSocketMaskingKey, a new random key per frame).
  return (
    `Key ${toHex(f.maskKey)} (fresh for this frame). Byte i is XORed with key byte i mod 4: ${xors.join(', ')}` +
    `${f.payload.length > n ? ', …' : ''}. On the wire: ${byteList(wire, 8)}.` +
    again
  );
}

/** Close: the status code inside the frame, the codes that never travel, and TCP closing afterwards. */
function closeAside(step: Step, t: Timeline): string | undefined {
  if (startsClosing(step, t)) {
    // RFC 6455 §7.4.1 (the status codes it defines; 1005, 1006 and 1015 are never sent).
    return (
      'Status codes RFC 6455 §7.4.1 defines for a Close frame: 1000 normal closure, 1001 going away (a ' +
      'server going down, or a browser leaving the page), 1002 protocol error, 1003 unsupported data, 1007 ' +
      'invalid payload data, 1008 policy violation, 1009 message too big, 1010 a needed extension missing ' +
      '(from a client), 1011 internal error.'
    );
  }
  if (step.kind === 'app' && step.host === 'client' && wsBecame(step, t, 'client', 'CLOSED')) {
    const code = /onclose: (\d+)/.exec(step.title)?.[1];
    // WHATWG HTML (the close event's code is the WebSocket connection close code); RFC 6455 §7.1.5 (that
    // code comes from the Close frame received; 1005 without a code, 1006 without a Close frame) and
    // §7.4.1 (1005, 1006 and 1015 MUST NOT be sent in a Close frame).
    return (
      `onclose reports ${code ?? 'the code'}, read from the Close frame. Three codes exist only inside the ` +
      'API: 1005 (the Close frame had no status code), 1006 (the connection died with no Close frame at all) ' +
      'and 1015 (the TLS handshake failed). None of them is ever sent on the wire.'
    );
  }
  const p = packetOf(step, t);
  if (!p || step.kind !== 'transmit') return undefined;
  if (isCloseFrame(p)) {
    const f = wsFrameOf(p);
    if (!f) return undefined;
    const code = f.payload.subarray(0, 2);
    const reason = f.payload.subarray(2);
    const codeValue = ((code[0] ?? 0) << 8) | (code[1] ?? 0);
    const first = t.packets.find((q) => isCloseFrame(q))?.id === p.id;
    // RFC 6455 §5.5.1 (a 2-byte code, then a UTF-8 reason; the answer typically echoes the code, as ws
    // lib/websocket.js receiverOnConclude and Chromium net/websockets/websocket_channel.cc RespondToClosingHandshake do), §7.1.5 and
    // §7.4.1 (without a Close frame: 1006, a crash, a broken path, or a proxy or NAT dropping an idle
    // connection); RFC 6455 gives a WebSocket no lifetime.
    return (
      `Payload ${toHex(f.payload)}${f.maskKey ? ` (before masking with ${toHex(f.maskKey)})` : ''}: ` +
      `${toHex(code)} is the status code ${codeValue}, then ${toHex(reason)} is the reason ${quote(TEXT.decode(reason))} in UTF-8.` +
      (first
        ? ' A WebSocket ends like this, or when something breaks the connection; it has no expiry date.'
        : ' The answer repeats the code and the reason: both sides have now said goodbye at layer 7.')
    );
  }
  if (
    has(p, 'FIN') &&
    p.retransmissionOf === undefined &&
    t.packets.find((q) => has(q, 'FIN'))?.id === p.id
  ) {
    // RFC 6455 §7.1.1 (the server SHOULD close TCP first, so it holds TIME_WAIT) and ws lib/websocket.js
    // (the socket is ended once both Close frames have passed); RFC 9293 §3.3.2 and §3.4.2 (the side that
    // closes first waits 2 × MSL in TIME-WAIT, MSL = 2 minutes) and Linux's fixed TCP_TIMEWAIT_LEN of 60 s
    // (include/net/tcp.h, sim/engine/tcp.ts timeWaitNs).
    return (
      `The WebSocket closing handshake is over, so now TCP says goodbye at layer 4. The ${p.from} sends the ` +
      'first FIN. ' +
      (p.from === 'server'
        ? 'RFC 6455 §7.1.1 asks the server to close TCP first, so it, not the browser, waits in TIME_WAIT: ' +
          '60 s on Linux, where RFC 9293 asks for 2 × MSL (4 minutes).'
        : 'RFC 6455 §7.1.1 asks the server to close first; here the browser did, so it waits in TIME_WAIT.')
    );
  }
  return undefined;
}

export const FRAME_LESSONS: readonly LessonContent[] = [
  {
    id: 'frames',
    // RFC 9110 §3.3 (an HTTP server answers requests; WHATWG HTML Server-Sent Events stream in the response
    // to one request); RFC 6455 §1.2 and §5.2 (either side sends at will, in small frames); CURRICULUM Q3.
    intro:
      'With plain HTTP the server only speaks in answer to a request (even Server-Sent Events arrive as ' +
      'the answer to one). On a WebSocket either side sends whenever it has something to say. Here the ' +
      'server sends the first message before the browser has sent anything, and every message is a small ' +
      'frame rather than a request with headers.',
    checks: [
      {
        // CURRICULUM Q3 (the question as the class asks it).
        question: 'The server can send content without first receiving a ___.',
        choices: ['request', 'response', 'SYN'],
        answer: 0,
        // This scenario's packets (sim/stories/websocket/timeline.ts, tests/golden/pinned/lesson-frames.timeline.txt):
        // the server's text frame comes after the 101 with only the browser's ACK between.
        explain:
          'The first frame, "Welcome! 3 people are online.", comes from the server while the browser has sent ' +
          'no data since the 101: only TCP ACKs. No request came first.',
      },
      {
        // RFC 6455 §1.2: each side sends data at will.
        question: 'Once the WebSocket is open, who may send?',
        choices: [
          // RFC 6455 §1.2: the true answer.
          'Either side, whenever it likes',
          // RFC 6455 §5.1: the server sends frames of its own.
          'Only the browser; the server replies',
          'Only the server',
        ],
        answer: 0,
        // The scenario's order (tests/golden/pinned/lesson-frames.timeline.txt); RFC 6455 §1.2 (two-way, each side independently).
        explain:
          'Server, browser, server: three frames, and the order is just what each program decided. The channel ' +
          'is full-duplex: both directions are open at once.',
      },
      {
        // RFC 6455 §5.2.
        question: 'How long is the header of a server frame carrying less than 126 bytes?',
        choices: [
          '2 bytes',
          '6 bytes',
          // RFC 9112 §3 and §5: an HTTP request carries a request line and header fields.
          'About 100 bytes of HTTP headers',
        ],
        answer: 0,
        // RFC 6455 §5.2 (2 bytes; + 4 for the key; + 2 or 8 for lengths of 126 and more: 2 to 14 bytes).
        explain:
          'The asides decode it: FIN and opcode in the first byte, MASK and length in the second. Client frames ' +
          'add a 4-byte masking key (6 bytes). Lengths of 126 or more use 2 or 8 extra length bytes, so a ' +
          'header is 2 to 14 bytes.',
      },
    ],
    // CURRICULUM Q3 and Q12; RFC 6455 §5.2 (0x81 = FIN + text); long polling: RFC 6202 §2; Server-Sent
    // Events: WHATWG HTML.
    teacherNotes:
      'Before the first frame, ask: "the browser has not sent a message yet; can the server speak?" (Q3). At ' +
      'each frame, read the header bytes in the aside: 81 = FIN + text, then the length. Compare with the ' +
      'size of the GET (look at its length in the ladder). Ask what a chat app would have to do with plain ' +
      'HTTP to get "Welcome" without asking (ask again and again, or keep a request open: polling, long ' +
      'polling, Server-Sent Events; see the polling lesson).',
    aside: framesAside,
    start: startAt((t) => firstOfChapter(t, 'ws-data')),
  },
  {
    id: 'masking',
    // RFC 6455 §5.1 (every client frame is masked), §5.3 (a fresh random 4-byte key in the frame) and §10.3
    // (masking protects intermediaries from chosen wire bytes; it is not confidentiality); the scenario's
    // messages: lessonScenario('masking') in src/lesson/catalogue.ts.
    intro:
      'Every frame a browser sends is masked: its payload is XORed with a fresh random 4-byte key that travels ' +
      'in the frame. It is not encryption, since the key is right there. It protects proxies: a script cannot ' +
      'choose the bytes that appear on the wire. The page sends "Hello" twice, and the server sends "Hello" ' +
      'back; compare the bytes.',
    checks: [
      {
        // RFC 6455 §5.1.
        question: 'Which frames must be masked?',
        choices: [
          // RFC 6455 §5.1: a client MUST mask every frame it sends.
          'Every frame from the browser to the server',
          // RFC 6455 §5.1: a server MUST NOT mask.
          'Every frame from the server to the browser',
          // RFC 6455 §5.1: all client frames, whatever they carry.
          'Only frames that carry passwords',
          'None on ws://',
        ],
        answer: 0,
        // RFC 6455 §5.1; the bytes of this run's frames (tests/lesson/catalogue.test.ts checks them).
        explain:
          'Both "Hello" frames from the browser carry a masking key; the server\'s "Hello" goes out as plain ' +
          '48 65 6c 6c 6f (RFC 6455 §5.1).',
      },
      {
        // RFC 6455 §5.3.
        question: 'How is byte i of the payload masked?',
        choices: [
          // RFC 6455 §5.3: octet i XOR masking-key octet i MOD 4.
          'XOR with key byte i mod 4',
          // RFC 6455 §5.3: XOR, not addition.
          'Add the key to it',
          // RFC 6455 §10.3: masking is not encryption.
          'Encrypt it with AES',
        ],
        answer: 0,
        // RFC 6455 §5.3 (the same algorithm unmasks); ws lib/receiver.js unmasks on the server.
        explain:
          'The aside shows each byte XORed with the key byte at position i mod 4; the server XORs again with the ' +
          'same key and gets the text back.',
      },
      {
        // RFC 6455 §5.3 (a fresh key for every frame).
        question: 'The page sent "Hello" twice. On the wire the two payloads were…',
        choices: [
          // RFC 6455 §5.3 and Chromium net/websockets/websocket_frame.cc: a new key per frame.
          'different, because each frame gets a fresh key',
          'identical',
        ],
        answer: 0,
        // RFC 6455 §5.3; this run's two keys and payloads (the aside reads them from the packets).
        explain:
          "The second frame's aside puts both side by side: same text, different key, different bytes.",
      },
      {
        // RFC 6455 §10.3.
        question: 'Why does RFC 6455 require masking?',
        choices: [
          // RFC 6455 §10.3: the true answer.
          'So a script cannot choose the exact bytes on the wire and trick a proxy into caching a forged response',
          // RFC 6455 §10.3 and §10.6: secrecy comes from TLS.
          'To keep the message secret',
          // RFC 6455 §5.2: the key adds 4 bytes.
          'To make the message shorter',
        ],
        answer: 0,
        // RFC 6455 §10.3 (cache poisoning of intermediaries) and §10.6 (confidentiality from TLS).
        explain:
          'RFC 6455 §10.3: with unpredictable keys, a hostile page cannot write bytes that a badly written ' +
          'proxy would read as an HTTP request and cache (cache poisoning). Secrecy needs wss:// (TLS).',
      },
    ],
    // RFC 6455 §5.3 (XOR with the key) and §10.3 (the attack comes from scripts in pages, which write only
    // client frames); CURRICULUM M10 (masking is not encryption).
    teacherNotes:
      'Write the first key on the board and XOR two bytes by hand with the class (48 ⊕ key byte 0, 65 ⊕ key ' +
      'byte 1). Pause at the second "Hello" and ask: "same text, will the bytes be the same?" Then at the ' +
      "server's frame ask why it is not masked (the attack is about scripts in pages, which only write " +
      'client frames). Make sure nobody leaves thinking masking is encryption.',
    aside: maskingAside,
    start: startAt((t) => firstTransmit(t, (p) => p.from === 'client' && isTextFrame(p))),
  },
  {
    id: 'close',
    // CURRICULUM M7; RFC 6455 §7.1.2-§7.1.4 (Close frames both ways, then TCP closes) and §7.1.5/§7.4.1 (a
    // connection that breaks: 1006); the server's close() is the scenario's (lessonScenario('close') in
    // src/lesson/catalogue.ts); three TCP segments: Linux's tcp_fin (net/ipv4/tcp_input.c) lets the second
    // FIN carry the ACK, as in chromium-ws.pcap frames 33-35.
    intro:
      'A WebSocket has no time limit: it stays open until one side starts the closing handshake or something ' +
      'breaks the connection. Here the server calls ws.close(1000, "bye"): a Close frame with a status code, ' +
      "an answering Close frame, and only then TCP's goodbye: FIN, FIN + ACK, ACK.",
    checks: [
      {
        // CURRICULUM M7; RFC 6455 §7.
        question: 'When does a WebSocket close?',
        choices: [
          // RFC 6455 §7.1.2 and §7.1.5: the true answer.
          'When one side starts the closing handshake, or the network drops the connection',
          // RFC 6455 §7: a WebSocket can be closed at any time.
          'Never: once open it stays open forever',
          // RFC 6455 §5.6: many messages travel on one WebSocket.
          'After every message',
        ],
        answer: 0,
        explain:
          // RFC 6455 §5.5.2-5.5.3 (ping and pong), §7.1.5 and §7.4.1: a connection that ends without a Close
          // frame is reported as 1006; a crash, a broken path, or a proxy or NAT dropping an idle connection
          // all end it that way.
          'Nothing ended this WebSocket until the server called close(): the ping and pong before it only ' +
          'checked it was alive. Without a Close frame it ends only when something breaks it: a crash, a broken ' +
          'path, or a proxy or NAT dropping an idle connection (onclose then says 1006).',
      },
      {
        // RFC 6455 §7.4.1.
        question: 'Which status code means a normal closure?',
        choices: ['1000', '1006', '404'],
        answer: 0,
        // RFC 6455 §5.5.1 (code in network byte order, then the UTF-8 reason); 0x03e8 = 1000.
        explain: 'The Close frame\'s payload starts 03 e8, which is 1000, followed by the reason "bye".',
      },
      {
        // RFC 6455 §7.1.5 and §7.4.1.
        question: 'onclose reports code 1006. What was on the wire?',
        choices: [
          // RFC 6455 §7.1.5 and §7.4.1: the true answer.
          'No Close frame at all: 1006 means the connection broke, and it is never sent',
          // RFC 6455 §7.4.1: 1006 MUST NOT be sent.
          'A Close frame carrying 1006',
          // RFC 9110 §15: HTTP status codes have three digits.
          'An HTTP response with status 1006',
        ],
        answer: 0,
        // RFC 6455 §7.1.5 and §7.4.1.
        explain:
          '1005 (no status code in the Close frame) and 1006 (no Close frame at all) are reported by the API ' +
          'only; RFC 6455 §7.4.1 forbids sending them.',
      },
      {
        // RFC 6455 §7.1.1; the first FIN of this run (tests/golden/pinned/lesson-close.timeline.txt).
        question: 'After both Close frames, who closes the TCP connection first?',
        choices: [
          'The server',
          'The browser',
          // RFC 9293 §3.6: one side's FIN comes first here.
          'Both at the same moment',
        ],
        answer: 0,
        // RFC 6455 §7.1.1 and ws lib/websocket.js (the server ends the socket after both Close frames); RFC
        // 9293 §3.3.2 and §3.4.2 (TIME-WAIT: 2 × MSL = 4 minutes) and Linux's TCP_TIMEWAIT_LEN, 60 s (include/net/tcp.h).
        explain:
          'The first FIN comes from the server (RFC 6455 §7.1.1), so the server, not the browser, keeps the ' +
          'connection in TIME_WAIT: 60 s on Linux, where RFC 9293 asks for 2 × MSL (4 minutes).',
      },
    ],
    // CURRICULUM M7; RFC 6455 §5.3 (the browser's Close frame is masked), §7.4.1 (1005, 1006 never sent)
    // and §7.1.1-§7.1.4 (the WebSocket goodbye, then TCP's, RFC 9293 §3.6).
    teacherNotes:
      'Open at the server\'s close() call. Ask first: "how long would this WebSocket have stayed open without ' +
      'it?" (M7). Read the Close frame payload from the aside: 03 e8 = 1000, then "bye". Point out that the ' +
      'browser\'s answer is masked like any client frame. At onclose, write 1005 and 1006 on the board as "API ' +
      'only, never on the wire". End by showing that TCP\'s goodbye comes after the WebSocket one: two layers, ' +
      'two goodbyes.',
    aside: closeAside,
    start: startAt((t) => firstOfChapter(t, 'ws-close')),
  },
];
