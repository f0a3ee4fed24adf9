/**
 * The socketio story's lessons: Socket.IO on top of the transport, emit vs broadcast vs rooms, and
 * reconnection.
 */
import type { Scenario } from '../../sim/scenario';
import type { Packet, Step, Timeline } from '../../sim/types';
import {
  packetOf,
  firstSendingOf,
  onWire,
  firstStep,
  firstOfChapter,
  frameText,
  isSioEventFrame,
  hostLabel,
  openHandshake,
  numberOf,
  consoleLine,
  startAt,
} from './queries';
import type { LessonContent } from './types';
import { bytes, span } from './wording';

/** Socket.IO vs WebSocket: HTTP first, the handshake JSON, packets inside frames, Engine.IO's own heartbeat. */
function socketioAside(step: Step, t: Timeline): string | undefined {
  // client=ws (sim/stories/socketio/plainClient.ts): no socket.io-client on the page, so these asides about io()
  // do not apply; that story's own steps say what each one shows.
  if (t.scenario.client === 'ws') return undefined;
  const p = firstSendingOf(step, t);
  if (!p || !onWire(step)) return undefined;
  const firstApp = t.packets.find((q) => q.app !== undefined);
  if (p === firstApp && p.app?.kind === 'http-request' && !p.app.upgrade) {
    // engine.io-client lib/socket.ts: transports default to ["polling", "websocket", ...], upgrade: true;
    // RFC 6455 §4.1: a WebSocket client's opening request carries Upgrade: websocket.
    return (
      `The very first request is plain HTTP: ${p.app.method} ${p.app.target}, with no Upgrade header. ` +
      'By default the Socket.IO client starts its session over HTTP long-polling and only then tries a ' +
      'WebSocket; a WebSocket client would have sent Upgrade: websocket in its first request.'
    );
  }
  if (p.app?.kind === 'http-request' && p.app.upgrade && p.from === 'client') {
    const before = t.packets.filter(
      (q) =>
        q.id < p.id &&
        q.from === p.from &&
        q.retransmissionOf === undefined &&
        (q.app?.kind === 'http-request' ||
          (q.app?.kind === 'engineio' && q.tcp.len > 0 && q.to === 'server')),
    ).length;
    const open = openHandshake(t, p.from);
    // engine.io-client lib/socket.ts (createTransport): the upgrade names the session's sid in its query;
    // RFC 6455 §4.1: a plain client's opening handshake is the first thing on its connection.
    return (
      `Only now does the browser ask for a WebSocket, after ${before} HTTP request${before === 1 ? '' : 's'} of ` +
      `the same Engine.IO session${open ? ` (sid ${String(open['sid'])}, named in the URL)` : ''}. A plain ` +
      'WebSocket client sends this kind of GET first, on a fresh connection, and nothing before it.'
    );
  }
  const text = frameText(p);
  if (text !== undefined && isSioEventFrame(p) && t.packets.find((q) => isSioEventFrame(q)) === p) {
    // engine.io-parser lib/commons.ts (4 = message) and socket.io-parser lib/index.ts (2 = EVENT); RFC 6455
    // §5.6: a text frame's payload is the message a WebSocket peer receives.
    return (
      `The WebSocket frame carries ${bytes(new TextEncoder().encode(text).length)} of text: ${text}. A plain ` +
      'WebSocket peer would get exactly this string as its message, and would have to ' +
      'know that 4 means an Engine.IO message and 2 a Socket.IO event: that is the Socket.IO protocol, ' +
      'carried by WebSocket, not WebSocket itself.'
    );
  }
  if (text === '2' && p.from === 'server') {
    const interval = numberOf(openHandshake(t, p.to), 'pingInterval');
    // RFC 6455 §5.5.2 (ping opcode 0x9); engine.io lib/socket.ts (schedulePing: the server pings every
    // pingInterval, protocol v4) and engine.io-client lib/socket.ts (answers "3").
    return (
      'A text frame holding "2", not a WebSocket ping frame (opcode 0x9): Engine.IO runs its own heartbeat ' +
      'so that it works the same over HTTP long-polling. In Engine.IO 4 the server pings' +
      (interval !== undefined ? `, every ${interval} ms` : '') +
      ', and the browser answers "3".'
    );
  }
  return undefined;
}

/** The server frames of one fan-out: those carrying the same event after the same trigger. */
function fanOut(p: Packet, t: Timeline): Packet[] {
  const text = frameText(p);
  if (text === undefined || p.from !== 'server' || !isSioEventFrame(p)) return [];
  const isTrigger = (q: Packet): boolean => q.from !== 'server' && isSioEventFrame(q);
  let from = 0;
  for (let i = p.id - 1; i >= 0; i--) {
    if (isTrigger(t.packets[i]!)) {
      from = i + 1;
      break;
    }
  }
  const out: Packet[] = [];
  for (let i = from; i < t.packets.length; i++) {
    const q = t.packets[i]!;
    if (i > p.id && isTrigger(q)) break;
    if (q.from === 'server' && q.retransmissionOf === undefined && frameText(q) === text) out.push(q);
  }
  return out;
}

const EMIT_CALLS: { readonly [K in Scenario['emit']]: string } = {
  socket: 'socket.emit',
  broadcast: 'socket.broadcast.emit',
  io: 'io.emit',
  room: "io.to('room1').emit",
};

function names(list: readonly string[]): string {
  if (list.length === 0) return 'nobody';
  return list.length === 1 ? list[0]! : `${list.slice(0, -1).join(', ')} and ${list.at(-1)!}`;
}

/** Emit: one frame in from Browser 1, then exactly one frame out per recipient, and who got none. */
function emitAside(step: Step, t: Timeline): string | undefined {
  const p = firstSendingOf(step, t);
  if (!p || step.kind !== 'transmit' || !isSioEventFrame(p)) return undefined;
  const browsers = t.hosts.filter((h) => h.role === 'client');
  if (p.from !== 'server') {
    if (t.packets.find((q) => q.from !== 'server' && isSioEventFrame(q)) !== p) return undefined;
    // socket.io-client lib/socket.ts: emit() writes one packet on the browser's own connection to the server;
    // socket.io lib/broadcast-operator.ts decides the recipients on the server.
    return (
      `${hostLabel(t, p.from)} emits one frame, to the server only: its connection leads to the server and ` +
      `nowhere else. Who else receives the event is decided by the server's handler, here ` +
      `${EMIT_CALLS[t.scenario.emit]}, with ${browsers.length} browsers connected.`
    );
  }
  const group = fanOut(p, t);
  const k = group.indexOf(p);
  if (k < 0) return undefined;
  const got = group.map((q) => hostLabel(t, q.to));
  const missed = browsers.map((h) => h.label).filter((l) => !got.includes(l));
  // socket.io-adapter lib/in-memory-adapter.ts (broadcast): the packet is encoded once and written to each
  // recipient's connection; socket.io lib/socket.ts (emit: one socket) and lib/broadcast-operator.ts.
  return (
    `Frame ${k + 1} of ${group.length} of this fan-out, to ${hostLabel(t, p.to)}. ` +
    `${EMIT_CALLS[t.scenario.emit]} reaches ${names(got)}` +
    (missed.length ? ` and not ${names(missed)}.` : '.') +
    ` With ${browsers.length} browsers: socket.emit sends 1 frame (to one socket), io.emit ${browsers.length}, ` +
    `socket.broadcast.emit ${browsers.length - 1}.`
  );
}

/** Reconnection: silence, the ping timeout, buffered emits, backoff, a new session. */
function reconnectAside(step: Step, t: Timeline): string | undefined {
  const first = firstOfChapter(t, 'reconnect');
  if (first === undefined || step.index + 1 < first) return undefined;
  const h = openHandshake(t, 'client');
  const interval = numberOf(h, 'pingInterval');
  const timeout = numberOf(h, 'pingTimeout');
  const label = hostLabel(t, 'client');
  // A one-browser run labels its browser just "Browser"; in a sentence that reads better as "the browser".
  const me = label === 'Browser' ? 'the browser' : label;
  const Me = label === 'Browser' ? 'The browser' : label;
  if (step.index + 1 === first) {
    // drop= breaks the path past the browser's own link (src/sim/scenario.ts); no packet reports it (RFC 9293
    // §3.8.1: TCP only sees missing ACKs). offline= is the other case: the browser fires 'offline' (WHATWG
    // HTML, navigator.onLine) and engine.io-client lib/socket.ts closes at once.
    return (
      `From here on nothing reaches ${me} and nothing leaves it: the path breaks somewhere past its own ` +
      'network link, and no packet reports it. Both sides can only notice that answers stop coming. Had its ' +
      "own Wi-Fi dropped, the browser would know at once: it fires 'offline' and engine.io-client closes " +
      '(offline= in the link).'
    );
  }
  const p = packetOf(step, t);
  if (
    p &&
    step.kind === 'drop' &&
    frameText(p) === '2' &&
    p.retransmissionOf === undefined &&
    interval !== undefined &&
    timeout !== undefined
  ) {
    // engine.io-client lib/socket.ts (_resetPingTimeout): the client waits pingInterval + pingTimeout.
    return (
      `The server's ping is lost. The browser expects one every ${interval} ms and gives up after ` +
      `pingInterval + pingTimeout = ${interval + timeout} ms without one.`
    );
  }
  const disconnect = consoleLine(step, 'disconnect:');
  const firstDisconnect = t.steps.find(
    (s) => s.index + 1 >= first && s.host === 'client' && consoleLine(s, 'disconnect:'),
  );
  if (step.host === 'client' && disconnect && firstDisconnect === step) {
    const last = t.packets
      .filter((q) => q.to === 'client' && !q.lost && q.arrivesAt <= step.time)
      .reduce((m, q) => Math.max(m, q.arrivesAt), 0);
    const chapterStart = t.steps[first - 1]!.time;
    const resending = t.packets.some(
      (q) =>
        q.from === 'client' && q.lost && q.tcp.len > 0 && q.sentAt >= chapterStart && q.sentAt <= step.time,
    );
    // RFC 6298 §5: only data in flight runs the retransmission timer; Linux gives up after tcp_retries2 = 15
    // tries (net/ipv4/tcp_timer.c), many minutes; engine.io-client lib/socket.ts (_resetPingTimeout) ends the
    // session; WHATWG WebSockets: readyState stays OPEN until the connection closes.
    return (
      `The last packet ${me} received arrived ${span(step.time - last)} ago. ` +
      (resending
        ? "The browser's TCP was resending unanswered data, but it gives up only after many minutes; "
        : "The browser's TCP had nothing in flight, so it had nothing to time out; ") +
      "Engine.IO's heartbeat noticed first. A plain WebSocket without pings would still report readyState OPEN."
    );
  }
  if (
    step.host === 'client' &&
    step.kind === 'app' &&
    step.states['client']?.sio?.connected === false &&
    /socket\.emit\(/.test(step.title)
  ) {
    // socket.io-client lib/socket.ts: emit() while disconnected pushes the packet on sendBuffer; onconnect
    // calls emitBuffered().
    return (
      `${Me} is disconnected, yet socket.emit does not fail: the packet waits in the socket’s send buffer ` +
      'and goes out after the next successful connect.'
    );
  }
  if (step.host === 'client' && consoleLine(step, 'reconnect_attempt')) {
    const waits: string[] = [];
    let since: number | undefined;
    for (const s of t.steps.slice(0, step.index + 1)) {
      if (s.host !== 'client') continue;
      if (consoleLine(s, 'disconnect:') || consoleLine(s, 'connect_error')) since = s.time;
      else if (consoleLine(s, 'reconnect_attempt') && since !== undefined) waits.push(span(s.time - since));
    }
    // socket.io-client lib/manager.ts (reconnectionDelay 1000, reconnectionDelayMax 5000, randomizationFactor
    // 0.5) and lib/contrib/backo2.ts (delay × 2 per attempt, ± up to half at random, capped).
    return (
      `Waits before each attempt so far: ${waits.join(', ')}. Each is about twice the one before (± up to ` +
      'half, at random), up to 5 s: so that thousands of browsers cut off by the same outage do not all ' +
      'knock at the same moment.'
    );
  }
  if (step.host === 'client' && consoleLine(step, 'reconnect')?.startsWith('reconnect after')) {
    const oldSid = openHandshake(t, 'client', 0)?.['sid'];
    const newSid = openHandshake(t, 'client', -1)?.['sid'];
    // engine.io lib/server.ts: a new session gets a new id; socket.io-client lib/manager.ts emits 'reconnect',
    // lib/socket.ts emits 'connect' on the new CONNECT.
    return (
      `A new Engine.IO session: sid ${String(newSid)} (before the drop it was ${String(oldSid)}). ` +
      "'reconnect' comes from the Manager (socket.io.on('reconnect')); the socket itself gets 'connect' again."
    );
  }
  const msg = consoleLine(step, 'message:');
  if (step.host === 'server' && msg) {
    const emitted = t.steps.find(
      (s) =>
        s.host === 'client' &&
        s.kind === 'app' &&
        s.states['client']?.sio?.connected === false &&
        s.title.includes(JSON.stringify(msg.slice('message: '.length))),
    );
    if (!emitted) return undefined;
    // socket.io-client lib/socket.ts (sendBuffer, emitBuffered): each buffered packet is written once.
    return `The buffered message arrives ${span(step.time - emitted.time)} after the page emitted it while disconnected, and only once.`;
  }
  return undefined;
}

export const SOCKETIO_LESSONS: readonly LessonContent[] = [
  {
    id: 'socketio',
    // socket.io-website docs/categories/01-Documentation/index.md ("What Socket.IO is not"); engine.io-client
    // lib/socket.ts (polling first, then the upgrade); socket.io-parser lib/index.ts (42 = message + EVENT).
    intro:
      'Socket.IO is a library with a protocol of its own, not an implementation of WebSocket. It opens a ' +
      'session with ordinary HTTP requests (long-polling), upgrades to a WebSocket when it can, and sends ' +
      'named events such as 42["chat message","Hello"] inside the frames. Watch the bytes: a plain ' +
      'WebSocket client could not make sense of them.',
    checks: [
      {
        // socket.io-website docs/categories/01-Documentation/index.md: "Socket.IO is NOT a WebSocket implementation".
        question: 'Is Socket.IO an implementation of the WebSocket protocol?',
        choices: [
          // engine.io-client lib/socket.ts: transports polling and websocket.
          'No: it is its own protocol, which can use a WebSocket (or HTTP long-polling) as its transport',
          // socket.io-website docs/categories/01-Documentation/index.md.
          'Yes: it is WebSocket with a nicer API',
          // socket.io-website docs/categories/01-Documentation/index.md: the same protocol in Node clients too.
          'Yes, but only in browsers',
        ],
        answer: 0,
        // engine.io-client lib/socket.ts (polling, then probe 2probe/3probe and upgrade 5); socket.io-parser
        // lib/index.ts; socket.io-website docs/categories/01-Documentation/index.md.
        explain:
          'The session starts with plain HTTP GETs and POSTs before any WebSocket exists, and even on the ' +
          'WebSocket every frame carries Engine.IO and Socket.IO packets (2probe, 5, 42[…]). A plain WebSocket ' +
          'client that does not speak these packets cannot talk to a Socket.IO server.',
      },
      {
        // engine.io-parser lib/commons.ts and socket.io-parser lib/index.ts.
        question: 'Inside a WebSocket frame, what does 42["chat message","Hello"] mean?',
        choices: [
          // engine.io-parser lib/commons.ts (4 = message); socket.io-parser lib/index.ts (2 = EVENT).
          '4 = Engine.IO message, 2 = Socket.IO EVENT, then the event name and its data as JSON',
          // RFC 6455 §5.2: the length is in the frame header, not in the text.
          'A payload of 42 bytes',
          // socket.io-parser lib/index.ts: the first digits are packet types, not versions.
          'Socket.IO version 4.2',
        ],
        answer: 0,
        // engine.io-parser lib/commons.ts and socket.io-parser lib/index.ts (encodeAsString).
        explain:
          'The event steps decode it digit by digit: Engine.IO packet type 4 (message) carries a Socket.IO ' +
          'packet of type 2 (EVENT) whose JSON array is the event name and its arguments.',
      },
      {
        // socket.io lib/namespace.ts: 'connection' is emitted once per connecting client, with its socket.
        question: "What does io.on('connection', socket => …) do on the server?",
        choices: [
          // socket.io lib/namespace.ts (_doConnect emits 'connection').
          'Runs once for each client that connects and hands over that client’s socket',
          // socket.io lib/namespace.ts: the server only answers connections the clients open.
          'Opens a connection to the browser',
          // socket.io lib/namespace.ts: it runs per client, not at start-up.
          'Runs once, when the server starts',
        ],
        answer: 0,
        // socket.io lib/client.ts (a CONNECT packet, 40, joins the namespace); the log line is the program's
        // (src/sim/stories/socketio/programs.ts).
        explain:
          'It fires when the browser\'s CONNECT packet (40) arrives and logs "a user connected"; the ' +
          "handlers for that client, such as socket.on('chat message'), are registered inside it.",
      },
      {
        // socket.io-website docs/categories/01-Documentation/index.md (features, and what Socket.IO is not).
        question: 'When would you choose plain WebSockets over Socket.IO?',
        choices: [
          // socket.io-website docs/categories/01-Documentation/index.md: a Socket.IO client cannot talk to a
          // plain WebSocket server.
          'When the other end speaks standard WebSocket, or every byte and dependency counts',
          // socket.io-website docs/categories/01-Documentation/index.md: these are Socket.IO's features.
          'When you need rooms, acknowledgements and automatic reconnection',
          // engine.io-client lib/socket.ts: the long-polling fallback is Socket.IO's answer to that.
          'When WebSocket is blocked by a proxy',
        ],
        answer: 0,
        // socket.io-website docs/categories/01-Documentation/index.md (features: fallback, reconnection,
        // buffering, acknowledgements, broadcasting, rooms).
        explain:
          'Socket.IO gives rooms, broadcasting, acknowledgements, reconnection, buffering and a long-polling ' +
          'fallback, at the price of its own protocol on both ends and extra bytes in every frame.',
      },
    ],
    // CURRICULUM M4 and the run's packets; engine.io lib/socket.ts (v4: the server pings).
    teacherNotes:
      'Run the WebSocket overview first, then this. Ask: "which bytes show this is not a plain WebSocket?" ' +
      'Pause at the first polling GET and its 0{"sid":…} answer: no WebSocket yet (M4). At the probe ' +
      '(2probe, 3probe, then 5), ask why Socket.IO tests the WebSocket before switching. At 42[…], decode ' +
      'the digits with the class. Point to the server console lines ("a user connected", "message: Hello") ' +
      'as the proof of life, each in step with the packet that caused it. At the heartbeat, ask which side ' +
      'pings (the server, in Engine.IO v4).',
    aside: socketioAside,
    start: startAt((t) => firstStep(t, (s) => s.host === 'client' && s.kind === 'app')),
  },
  {
    id: 'emit',
    // socket.io lib/socket.ts (emit: this socket's client), lib/broadcast-operator.ts (broadcast: all but the
    // sender); the lesson's default emit=broadcast (src/lesson/catalogue.ts).
    intro:
      'socket.emit() does not send to everyone: it sends to the one client at the other end of that socket. ' +
      'Here three browsers are connected and Browser 1 says "Hello"; the server passes it on with ' +
      'socket.broadcast.emit, which reaches everyone except the sender. Change emit= in the link to socket, io ' +
      'or room to see the other fan-outs.',
    checks: [
      {
        // socket.io lib/socket.ts (emit writes to this socket's client only).
        question: 'On the server, what does socket.emit("chat message", msg) reach?',
        choices: [
          // socket.io lib/socket.ts.
          'The one client at the other end of that socket',
          // socket.io lib/namespace.ts: that is io.emit.
          'Every connected client',
          // socket.io lib/broadcast-operator.ts: that is socket.broadcast.emit.
          'Every client except the sender',
        ],
        answer: 0,
        // socket.io lib/socket.ts, lib/namespace.ts and lib/broadcast-operator.ts (to(), except the sender).
        explain:
          'A socket is one client’s connection. io.emit reaches everyone, socket.broadcast.emit everyone but ' +
          'that socket’s client, io.to(room).emit the room’s members.',
      },
      {
        // socket.io lib/socket.ts: broadcast adds the sender's own room to the exceptions.
        question: 'Which call sends to every client except the one whose message is being handled?',
        choices: ['socket.broadcast.emit', 'io.emit', 'socket.emit'],
        answer: 0,
        // The lesson's default run, emit=broadcast (src/lesson/catalogue.ts; tests/lesson/catalogue.test.ts).
        explain:
          'In the lesson’s own run (emit=broadcast) the event went out to Browser 2 and Browser 3 only: ' +
          'Browser 1, the sender, got nothing back.',
      },
      {
        // socket.io lib/socket.ts (join() is a server method); socket.io-website docs/categories/04-Events/rooms.md.
        question: 'How does a client end up in a room?',
        choices: [
          // socket.io-website docs/categories/04-Events/rooms.md: rooms are a server-only concept.
          'The server calls socket.join(room) for it; nothing about rooms is sent on the wire',
          // socket.io-parser lib/index.ts: no such packet; "join" is no reserved event (RESERVED_EVENTS).
          'The client sends a reserved "join" event that Socket.IO handles by itself',
          // socket.io lib/socket.ts: a room is a set of sockets on one connection each.
          'The client opens a second connection to the room',
        ],
        answer: 0,
        // src/sim/stories/socketio/programs.ts: the app's own join event, whose handler calls socket.join.
        explain:
          'Rooms exist only on the server: socket.join(room) is a method, not an event. With emit=room the ' +
          "browsers ask with an event of the app's own, and the server's handler calls socket.join.",
      },
    ],
    // CURRICULUM M1; socket.io-adapter lib/in-memory-adapter.ts (broadcast: encoded once, written per socket).
    teacherNotes:
      'Before the fan-out step, ask the class to predict who receives the message (M1: many expect ' +
      'everyone, or say socket.emit would reach everyone). Count the WebSocket frames leaving the server. ' +
      'Then edit the link: emit=socket (only Browser 1), emit=io (all three), emit=room (the browsers that ' +
      'joined). Each event is one encoded packet, 42["chat message",…], written once per recipient.',
    aside: emitAside,
    start: startAt((t) => {
      const p = t.packets.find((q) => q.from !== 'server' && isSioEventFrame(q));
      return p ? firstStep(t, (s) => s.packet === p.id) : undefined;
    }),
  },
  {
    id: 'reconnect',
    // drop= breaks the path (src/sim/scenario.ts); engine.io-client lib/socket.ts (ping timeout), socket.io-client
    // lib/manager.ts (reconnection with backoff) and lib/socket.ts (sendBuffer).
    intro:
      'A connection can die without a goodbye: the path breaks somewhere between browser and server, and no ' +
      "packet says so. Socket.IO notices when the server's heartbeat stops arriving, fires 'disconnect', and " +
      'its Manager keeps trying to reconnect, waiting longer each time. What the page emits meanwhile waits ' +
      'in a buffer and is sent once the new session is up.',
    checks: [
      {
        // engine.io-client lib/socket.ts (_resetPingTimeout; the 'offline' listener for the other case).
        question: 'Here the path broke somewhere between the two. How did the browser find out?',
        choices: [
          // engine.io-client lib/socket.ts (_resetPingTimeout).
          "The server's pings stopped arriving within pingInterval + pingTimeout",
          // RFC 9293 §3.8.1: nothing on the path reports a break; TCP only sees missing ACKs.
          'The network sent a "disconnected" message',
          // engine.io-client lib/socket.ts: the ping timeout closes the session.
          'It never found out',
        ],
        answer: 0,
        // engine.io-client lib/socket.ts: the ping timer (pingInterval + pingTimeout) and the 'offline'
        // listener (WHATWG HTML, navigator.onLine) that closes at once.
        explain:
          'Nothing announced the break. Engine.IO expects a ping from the server every pingInterval; when none ' +
          "came within pingInterval + pingTimeout, the client closed the session and 'disconnect' fired. Had " +
          "the browser's own Wi-Fi dropped instead, it would have known at once: the window fires 'offline' " +
          'and engine.io-client closes right away.',
      },
      {
        // socket.io-client lib/manager.ts (ManagerReservedEvents).
        question: "Where do you listen for 'reconnect' in Socket.IO 4?",
        choices: [
          // socket.io-client lib/manager.ts.
          "socket.io.on('reconnect', …): it is an event of the Manager",
          // socket.io-client lib/socket.ts: since v3 the socket no longer forwards the Manager's events.
          "socket.on('reconnect', …)",
          // socket.io lib/namespace.ts: the server has no 'reconnect' event.
          "io.on('reconnect', …) on the server",
        ],
        answer: 0,
        // socket.io-client lib/socket.ts (RESERVED_EVENTS) and lib/manager.ts (ManagerReservedEvents); the v3
        // changelog (socket.io-client CHANGELOG.md 3.0.0): the socket no longer forwards the Manager's events.
        explain:
          'Since Socket.IO 3 the socket only emits connect, connect_error and disconnect; reconnect, ' +
          'reconnect_attempt, reconnect_error, reconnect_failed and ping belong to the Manager (socket.io). ' +
          'connect_timeout and reconnecting no longer exist.',
      },
      {
        // socket.io-client lib/socket.ts (sendBuffer, emitBuffered).
        question: 'The page emitted a message while disconnected. What happened to it?',
        choices: [
          // socket.io-client lib/socket.ts (sendBuffer).
          'It waited in the send buffer and was sent after reconnecting',
          // socket.io-client lib/socket.ts: only volatile emits are dropped.
          'It was lost',
          // socket.io-client lib/socket.ts: it waits for the next session, whatever its transport.
          'It was sent over HTTP instead',
        ],
        answer: 0,
        // socket.io-client lib/socket.ts: onconnect calls emitBuffered, which writes each packet once.
        explain:
          'socket.emit while disconnected keeps the packet in the socket’s send buffer; after the new CONNECT ' +
          'the buffer is flushed, and the server receives the message late but once.',
      },
    ],
    // CURRICULUM M7 and M8; socket.io-client lib/manager.ts (reconnect_attempt, backoff).
    teacherNotes:
      'Ask first: "a WebSocket stays open forever, right?" (M7). Pause where the network drops and ask how ' +
      'either side could notice (no packet says so). Watch the heartbeat go missing, then the disconnect ' +
      'reason. At each reconnect_attempt note the delay growing (backoff). At the end, check the buffered ' +
      'message arrived exactly once. Use the event names here to correct old notes (M8): ping, reconnect, ' +
      'join, leave and connect_timeout are not socket events in v4. For the other way a connection ends, ' +
      "open the link with offline= instead: the browser's own Wi-Fi drops and it knows at once.",
    aside: reconnectAside,
    start: startAt((t) => firstOfChapter(t, 'reconnect')),
  },
];
