/**
 * The curriculum map: every question (Q1-Q13) and misconception (M1-M15) of the class's curriculum, with the
 * lesson and the step that answers it, so that a teacher can link straight to it (`?lesson=<id>&step=<n>`,
 * with the link parameters that pick the lesson's variant, e.g. `emit=socket`, before the step).
 *
 * Step numbers are 1-based and written out, because teachers copy them into links; tests/lesson/
 * curriculum.test.ts builds each entry's timeline from its link and checks that the step exists and carries
 * the id in `step.curriculum`. M10 is answered with deflate=1 (permessage-deflate) and M12 at the router
 * the path has by default (hops=1). docs/curriculum-map.md is generated from this table (`npm run curriculum:map`).
 */
import { lessonById } from './catalogue';
import { curriculumLink, type CurriculumPlace } from './curriculumLink';

export { curriculumLink };

export interface CurriculumEntry extends CurriculumPlace {
  /** 'Q1'..'Q13', 'M1'..'M15'. */
  readonly id: string;
  /** The question or misconception, as the class brings it. */
  readonly text: string;
  /** One line: what the step shows. */
  readonly how: string;
}

export const CURRICULUM_MAP: readonly CurriculumEntry[] = [
  {
    id: 'Q1',
    // CURRICULUM Q1: the question or misconception, word for word.
    text: 'What is a WebSocket?',
    lesson: 'websocket',
    step: 70,
    // CURRICULUM Q1 (what to show); RFC 6455 §1.1; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'onopen: the connection that carried the HTTP upgrade becomes a full-duplex WebSocket (RFC 6455, 2011); both sides may now send at any time.',
  },
  {
    id: 'Q2',
    // CURRICULUM Q2: the question or misconception, word for word.
    text: 'Describe the WebSocket handshake and what happens once the connection is established',
    lesson: 'upgrade',
    step: 17,
    // CURRICULUM Q2 (what to show); RFC 6455 §4.2.2 item 5.4; tests/lesson/curriculum.test.ts finds it at the step.
    how: "The 101 Switching Protocols with Sec-WebSocket-Accept = base64(SHA-1(key + GUID)), computed step by step from this run's key; frames follow on the same connection.",
  },
  {
    id: 'Q3',
    // CURRICULUM Q3: the question or misconception, word for word.
    text: 'The server can send content without first receiving a ___',
    lesson: 'frames',
    step: 20,
    // CURRICULUM Q3 (what to show); RFC 6455 §1.1 (server push); tests/lesson/curriculum.test.ts finds it at the step.
    how: "A server push: the server's first frame, while the browser has sent no data since the 101 (no request).",
  },
  {
    id: 'Q4',
    // CURRICULUM Q4: the question or misconception, word for word.
    text: 'What does `io.on()` do?',
    lesson: 'socketio',
    step: 35,
    // CURRICULUM Q4 (what to show); socket.io lib/namespace.ts _doConnect; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'io.on(\'connection\') runs once for the browser whose CONNECT (40) just arrived, hands over its socket (id from this run) and logs "a user connected".',
  },
  {
    id: 'Q5',
    // CURRICULUM Q5: the question or misconception, word for word.
    text: 'Proof of life that the code works',
    lesson: 'socketio',
    step: 78,
    // CURRICULUM Q5 (what to show); socket.io lib/socket.ts dispatch; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The server console logs "message: Hello" at the very step the 42["chat message","Hello"] frame is decoded.',
  },
  {
    id: 'Q6',
    // CURRICULUM Q6: the question or misconception, word for word.
    text: 'What does `socket.emit()` do?',
    lesson: 'emit',
    step: 157,
    // CURRICULUM Q6 (what to show); socket.io lib/broadcast-operator.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'With three browsers connected, socket.broadcast.emit sends the event to Browser 2 and Browser 3 only; the asides compare socket.emit, io.emit and rooms.',
  },
  {
    id: 'Q7',
    // CURRICULUM Q7: the question or misconception, word for word.
    text: 'WebSocket vs Socket.IO',
    lesson: 'socketio',
    step: 56,
    // CURRICULUM Q7 (what to show); engine.io-parser lib/commons.ts; socket.io-parser lib/index.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The text 42["chat message","Hello"] (Engine.IO message 4, Socket.IO EVENT 2, JSON) inside a masked WebSocket frame: three protocols at layer 7.',
  },
  {
    id: 'Q8',
    // CURRICULUM Q8: the question or misconception, word for word.
    text: 'When would you use Socket.IO?',
    lesson: 'reconnect',
    step: 178,
    // CURRICULUM Q8 (what to show); socket.io-client lib/manager.ts and lib/socket.ts (sendBuffer, acks); tests/lesson/curriculum.test.ts finds it at the step.
    how: "After a network drop the Manager reconnects by itself ('reconnect' after 2 attempts) and then sends what was emitted offline.",
  },
  {
    id: 'Q8',
    // CURRICULUM Q8: the question or misconception, word for word.
    text: 'When would you use Socket.IO?',
    lesson: 'socketio',
    step: 108,
    // CURRICULUM Q8 (what to show); socket.io-client lib/manager.ts and lib/socket.ts (sendBuffer, acks); tests/lesson/curriculum.test.ts finds it at the step.
    how: 'An acknowledgement: the server answers the emit 420["users online"] with 430[1], which runs the callback in the page.',
  },
  {
    id: 'Q9',
    // CURRICULUM Q9: the question or misconception, word for word.
    text: 'When would you use plain WebSockets?',
    lesson: 'socketio',
    step: 131,
    // CURRICULUM Q9 (what to show); RFC 6455 §1.1; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The summary: what Socket.IO added to a plain WebSocket, byte by byte, and when the standard protocol alone is the better choice.',
  },
  {
    id: 'Q9',
    // CURRICULUM Q9: the question or misconception, word for word.
    text: 'When would you use plain WebSockets?',
    lesson: 'socketio',
    params: 'client=ws',
    step: 21,
    // CURRICULUM Q9 (what to show); engine.io-parser lib/decodePacket.ts (no packet type 'H': an error packet)
    // and engine.io lib/socket.ts (onError → close); tests/sim/plainClient.test.ts checks the bytes.
    how: 'A plain browser WebSocket meets a Socket.IO server: it gets the raw Engine.IO open packet, and its "Hello" is a parse error (H is no packet type), so the server closes it.',
  },
  {
    id: 'Q10',
    // CURRICULUM Q10: the question or misconception, word for word.
    text: 'The OSI model',
    lesson: 'osi',
    step: 62,
    // CURRICULUM Q10 (what to show); ISO/IEC 7498-1; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The "Hello" frame starts down the seven layers (data, segment, packet, frame, bits), with the size after each layer in the aside.',
  },
  {
    id: 'Q11',
    // CURRICULUM Q11: the question or misconception, word for word.
    text: 'The TCP handshake, for a non-technical friend',
    lesson: 'tcp',
    step: 12,
    // CURRICULUM Q11 (what to show); RFC 9293 §3.5 and §3.4.1; RFC 6528; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The third segment: ACK with Seq = x+1 and Ack = y+1, and why each side starts from a random number.',
  },
  {
    id: 'Q11',
    // CURRICULUM Q11: the question or misconception, word for word.
    text: 'The TCP handshake, for a non-technical friend',
    lesson: 'tcp',
    step: 28,
    // CURRICULUM Q11 (what to show); RFC 9293 §3.5 and §3.4.1; RFC 6528; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The goodbye begins: the first FIN, which uses up one sequence number like the SYN.',
  },
  {
    id: 'Q12',
    // CURRICULUM Q12: the question or misconception, word for word.
    text: 'Why not just HTTP polling?',
    lesson: 'polling-vs-websocket',
    step: 326,
    // CURRICULUM Q12 (what to show); RFC 6202 §2; WHATWG HTML §9.2; RFC 6455 §5.2; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The same 10 messages by short polling, long polling, Server-Sent Events, WebSocket and Socket.IO: bytes on the wire (every header) and delay, as the chart and the totals.',
  },
  {
    id: 'Q13',
    // CURRICULUM Q13: the question or misconception, word for word.
    text: "Socket.IO's reserved events",
    lesson: 'socketio',
    step: 35,
    // CURRICULUM Q13 (what to show); socket.io lib/socket.ts and socket.io-client lib/manager.ts (v4 event names); tests/lesson/curriculum.test.ts finds it at the step.
    how: "The server's reserved 'connection' event fires for the new socket; 'disconnect' follows at the end of the lesson.",
  },
  {
    id: 'Q13',
    // CURRICULUM Q13: the question or misconception, word for word.
    text: "Socket.IO's reserved events",
    lesson: 'reconnect',
    step: 139,
    // CURRICULUM Q13 (what to show); socket.io lib/socket.ts and socket.io-client lib/manager.ts (v4 event names); tests/lesson/curriculum.test.ts finds it at the step.
    how: "reconnect_attempt 1: a Manager event (socket.io.on), fired after the socket's 'disconnect' (ping timeout).",
  },
  {
    id: 'Q13',
    // CURRICULUM Q13: the question or misconception, word for word.
    text: "Socket.IO's reserved events",
    lesson: 'emit',
    params: 'emit=room',
    step: 222,
    // CURRICULUM Q13 (what to show); socket.io lib/socket.ts and socket.io-client lib/manager.ts (v4 event names); tests/lesson/curriculum.test.ts finds it at the step.
    how: "'disconnecting' fires on the server while socket.rooms still holds room1; the step lists every v4 reserved name (socket, io, Manager) in one place.",
  },
  {
    id: 'M1',
    // CURRICULUM M1: the question or misconception, word for word.
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    step: 157,
    // CURRICULUM M1 (what to show); socket.io lib/socket.ts emit and lib/broadcast-operator.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: "Three browsers; the handler's socket.broadcast.emit reaches two of them and not the sender; socket.emit would reach one, io.emit all three.",
  },
  {
    id: 'M1',
    // CURRICULUM M1: the question or misconception, word for word.
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    params: 'emit=socket',
    step: 157,
    // CURRICULUM M1 (what to show); socket.io lib/socket.ts emit and lib/broadcast-operator.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The same three browsers with emit=socket: socket.emit answers Browser 1 alone, one 42[…] frame; Browsers 2 and 3 get nothing.',
  },
  {
    id: 'M1',
    // CURRICULUM M1: the question or misconception, word for word.
    text: '"`socket.emit()` sends a message to all connected clients"',
    lesson: 'emit',
    params: 'emit=io',
    step: 157,
    // CURRICULUM M1 (what to show); socket.io lib/socket.ts emit and lib/broadcast-operator.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The same three browsers with emit=io: io.emit writes the one 42[…] packet to all three sessions, the sender included: three frames.',
  },
  {
    id: 'M2',
    // CURRICULUM M2: the question or misconception, word for word.
    text: '"The WebSocket handshake is a three-way handshake"',
    lesson: 'upgrade',
    step: 13,
    // CURRICULUM M2 (what to show); RFC 9293 §3.5; RFC 6455 §4; tests/lesson/curriculum.test.ts finds it at the step.
    how: "After TCP's three segments (layer 4), the WebSocket handshake is one HTTP GET with Upgrade: websocket (layer 7) on the same connection, then one 101.",
  },
  {
    id: 'M3',
    // CURRICULUM M3: the question or misconception, word for word.
    text: '"In the final ACK the SYN number is reset to 0" / "the same SYN number"',
    lesson: 'tcp',
    step: 12,
    // CURRICULUM M3 (what to show); RFC 9293 §3.4 and §3.6; tests/lesson/curriculum.test.ts finds it at the step.
    how: "The final ACK carries Seq = x+1 and Ack = y+1 with this run's absolute numbers; Wireshark's 0 and 1 are relative.",
  },
  {
    id: 'M3',
    // CURRICULUM M3: the question or misconception, word for word.
    text: '"In the final ACK the SYN number is reset to 0" / "the same SYN number"',
    lesson: 'tcp',
    step: 32,
    // CURRICULUM M3 (what to show); RFC 9293 §3.4 and §3.6; tests/lesson/curriculum.test.ts finds it at the step.
    how: "The second FIN carries the ACK of the first: Ack = that FIN's Seq + 1, as FIN, like SYN, uses up one number.",
  },
  {
    id: 'M4',
    // CURRICULUM M4: the question or misconception, word for word.
    text: '"Socket.IO is an implementation of the WebSocket protocol"',
    lesson: 'socketio',
    step: 29,
    // CURRICULUM M4 (what to show); engine.io lib/socket.ts; engine.io-parser lib/encodePacket.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The session opens with plain HTTP long-polling: the answer 0{"sid":…} is Engine.IO\'s own protocol, before any WebSocket exists.',
  },
  {
    id: 'M4',
    // CURRICULUM M4: the question or misconception, word for word.
    text: '"Socket.IO is an implementation of the WebSocket protocol"',
    lesson: 'socketio',
    step: 56,
    // CURRICULUM M4 (what to show); engine.io lib/socket.ts; engine.io-parser lib/encodePacket.ts; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'Once upgraded, every WebSocket frame carries Engine.IO and Socket.IO bytes (42[…]) that a plain WebSocket peer would not understand.',
  },
  {
    id: 'M5',
    // CURRICULUM M5: the question or misconception, word for word.
    text: '"The session layer includes DNS"',
    lesson: 'socketio',
    step: 61,
    // CURRICULUM M5 (what to show); engine.io lib/socket.ts (sid, heartbeat); RFC 1035 (DNS); tests/lesson/curriculum.test.ts finds it at the step.
    how: 'Layer 5 here is the Engine.IO session (its sid and its heartbeat), which adds no header; DNS is an application-layer protocol.',
  },
  {
    id: 'M6',
    // CURRICULUM M6: the question or misconception, word for word.
    text: '"Every OSI layer adds a header"',
    lesson: 'osi',
    step: 66,
    // CURRICULUM M6 (what to show); RFC 6455 §5.6 (UTF-8 text); RFC 8446 §5.2; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'Layer 6 encodes "Hello" as UTF-8 and adds no bytes (nor does layer 5); the headers come from WebSocket, TCP, IPv4 and Ethernet.',
  },
  {
    id: 'M7',
    // CURRICULUM M7: the question or misconception, word for word.
    text: '"A WebSocket stays open forever"',
    lesson: 'close',
    step: 28,
    // CURRICULUM M7 (what to show); RFC 6455 §7; engine.io-client lib/socket.ts (ping timeout); tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The server calls ws.close(1000, "bye"): the WebSocket stays open until one side starts the closing handshake or the network drops it.',
  },
  {
    id: 'M7',
    // CURRICULUM M7: the question or misconception, word for word.
    text: '"A WebSocket stays open forever"',
    lesson: 'reconnect',
    step: 136,
    // CURRICULUM M7 (what to show); RFC 6455 §7; engine.io-client lib/socket.ts (ping timeout); tests/lesson/curriculum.test.ts finds it at the step.
    how: "The network drops; no packet says so; after pingInterval + pingTimeout the heartbeat gives up: 'disconnect' (ping timeout), then Socket.IO reconnects.",
  },
  {
    id: 'M8',
    // CURRICULUM M8: the question or misconception, word for word.
    text: '"Ping/Reconnect/Join/Leave/connect_timeout are socket events"',
    lesson: 'reconnect',
    step: 139,
    // CURRICULUM M8 (what to show); socket.io-client lib/manager.ts (reconnect_*, ping); socket.io lib/socket.ts (disconnecting); tests/lesson/curriculum.test.ts finds it at the step.
    how: "reconnect_attempt is the Manager's event (socket.io.on('reconnect_attempt')), not the socket's; connect_timeout no longer exists in v4.",
  },
  {
    id: 'M8',
    // CURRICULUM M8: the question or misconception, word for word.
    text: '"Ping/Reconnect/Join/Leave/connect_timeout are socket events"',
    lesson: 'emit',
    params: 'emit=room',
    step: 222,
    // CURRICULUM M8 (what to show); socket.io-client lib/manager.ts (reconnect_*, ping); socket.io lib/socket.ts (disconnecting); tests/lesson/curriculum.test.ts finds it at the step.
    how: "The v4 names side by side: the socket's disconnecting/disconnect, the Manager's ping and reconnect_*; join and leave are methods (socket.join('room1') earlier).",
  },
  {
    id: 'M9',
    // CURRICULUM M9: the question or misconception, word for word.
    text: '"The session layer does authentication and authorisation"',
    lesson: 'wss',
    step: 50,
    // CURRICULUM M9 (what to show); RFC 8446 §4.4.2 and §4.4.3; RFC 6265; tests/lesson/curriculum.test.ts finds it at the step.
    how: "The server's TLS flight carries its Certificate and CertificateVerify: TLS authenticates the server; cookies or tokens would be HTTP headers (layer 7).",
  },
  {
    id: 'M10',
    // CURRICULUM M10: the question or misconception, word for word.
    text: '"The presentation layer translates (ASCII to base64), compresses and encrypts"',
    lesson: 'websocket',
    params: 'deflate=1',
    step: 72,
    // CURRICULUM M10 (what to show); RFC 7692 §5 and §6; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'The frame travels compressed by permessage-deflate (RFC 7692): offered by Chrome, accepted by ws in the upgrade, marked by RSV1; UTF-8 is an encoding and encryption is TLS (the wss lesson).',
  },
  {
    id: 'M11',
    // CURRICULUM M11: the question or misconception, word for word.
    text: '"The physical layer is the machine / electrons"',
    lesson: 'osi',
    step: 12,
    // CURRICULUM M11 (what to show); IEEE 802.3 §3.2.1-3.2.2 (preamble, SFD); tests/lesson/curriculum.test.ts finds it at the step.
    how: "Layer 1 is the signal: the SYN's frame as bits after 7 bytes of preamble and a start-of-frame byte, with the bit count and its time at 100 Mbit/s.",
  },
  {
    id: 'M12',
    // CURRICULUM M12: the question or misconception, word for word.
    text: '"The data link layer sends IP packets and uses CSMA"',
    lesson: 'osi',
    step: 18,
    // CURRICULUM M12 (what to show); RFC 826 (ARP); IEEE 802.3 §4.1 (half duplex only); tests/lesson/curriculum.test.ts finds it at the step.
    how: 'At the router the frame gets new MAC addresses (the next hop found with ARP) while the IP packet keeps 192.0.2.10 → 198.51.100.20; on full-duplex switched Ethernet there are no collisions for CSMA/CD to handle.',
  },
  {
    id: 'M13',
    // CURRICULUM M13: the question or misconception, word for word.
    text: '"SYN is a number sent along with the sequence number"',
    lesson: 'tcp',
    step: 6,
    // CURRICULUM M13 (what to show); RFC 9293 §3.1 (the flags); tests/lesson/curriculum.test.ts finds it at the step.
    how: "The SYN's flags byte from this run's frame, 0x02 = 00000010: SYN is one bit; the number beside it is the sequence number x.",
  },
  {
    id: 'M14',
    // CURRICULUM M14: the question or misconception, word for word.
    text: '"WebSocket is a library" / "an event-driven library"',
    lesson: 'upgrade',
    step: 20,
    // CURRICULUM M14 (what to show); WHATWG WebSockets (the API); RFC 6455 §5.2; tests/lesson/curriculum.test.ts finds it at the step.
    how: "The page's ws.send('Hello') (the browser's WebSocket API) beside the RFC 6455 frame it caused, byte by byte, masked.",
  },
  {
    id: 'M15',
    // CURRICULUM M15: the question or misconception, word for word.
    text: '"TCP guarantees accurate delivery"',
    lesson: 'loss',
    step: 32,
    // CURRICULUM M15 (what to show); RFC 5681 §3.2; RFC 6298; Linux net/ipv4/tcp_timer.c; tests/lesson/curriculum.test.ts finds it at the step.
    how: 'A lost segment is sent again after three duplicate ACKs: the same bytes, the same sequence number.',
  },
  {
    id: 'M15',
    // CURRICULUM M15: the question or misconception, word for word.
    text: '"TCP guarantees accurate delivery"',
    lesson: 'reconnect',
    step: 132,
    // CURRICULUM M15 (what to show); RFC 6298 §5.5 (the doubling); engine.io lib/socket.ts onClose → ws
    // lib/websocket.js close(); RFC 1122 §4.2.2.13 (the later RST); tests/lesson/curriculum.test.ts finds it at the step.
    how: "The ping's retransmissions (after 1, 2, 4, 8 s) never cross the broken path; engine.io gives up and ws.close() sends a Close frame, lost like them. A RST comes only later, when data reaches the socket ws closed.",
  },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function idOrder(id: string): number {
  const n = Number(id.slice(1));
  return (id.startsWith('Q') ? 0 : 100) + n;
}

/** docs/curriculum-map.md: the map as a Markdown table, in curriculum order (Q1…Q13, then M1…M15). */
export function curriculumMapMarkdown(): string {
  const rows = [...CURRICULUM_MAP]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => idOrder(a.e.id) - idOrder(b.e.id) || a.i - b.i)
    .map(({ e }) => {
      const title = lessonById(e.lesson)?.title ?? e.lesson;
      const link = curriculumLink(e);
      return `| ${e.id} | ${cell(e.text)} | ${cell(title)} (\`${e.lesson}\`) | ${e.step} | \`${link}\` | ${cell(e.how)} |`;
    });
  // The map's own words: CURRICULUM (its questions and misconceptions), tests/lesson/curriculum.test.ts (which
  // checks every link and step), scripts of package.json (curriculum:map).
  return [
    '# Curriculum map',
    '',
    '<!-- Generated by `npm run curriculum:map` from src/lesson/curriculum.ts. Do not edit by hand. -->', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    '',
    'Every question (Q) and misconception (M) of the class curriculum, with the lesson step that answers it.', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    "Add the link to the app's address, e.g. `https://example.org/wirewalk/?lesson=tcp&step=8`. Step numbers", // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    'are for the lesson as the link opens it (its default scenario, or the variant the link names);', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    'tests/lesson/curriculum.test.ts checks each one. M10 is answered with deflate=1 (permessage-deflate),', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    'M12 at the router the path has by default.', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    '',
    '| Id | Question or misconception | Lesson | Step | Link | What the step shows |', // CURRICULUM map intro; tests/lesson/curriculum.test.ts
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
