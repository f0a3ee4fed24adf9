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
    return (
      `The very first request is plain HTTP: ${p.app.method} ${p.app.target}, with no Upgrade header. ` +
      'Socket.IO starts its session over HTTP long-polling and only then tries a WebSocket; a WebSocket ' +
      'client would have sent Upgrade: websocket in its first request.'
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
    return (
      `Only now does the browser ask for a WebSocket, after ${before} HTTP request${before === 1 ? '' : 's'} of ` +
      `the same Engine.IO session${open ? ` (sid ${String(open['sid'])}, named in the URL)` : ''}. A plain ` +
      'WebSocket client sends this kind of GET first, on a fresh connection, and nothing before it.'
    );
  }
  const text = frameText(p);
  if (text !== undefined && isSioEventFrame(p) && t.packets.find((q) => isSioEventFrame(q)) === p) {
    return (
      `The WebSocket frame carries ${bytes(new TextEncoder().encode(text).length)} of text: ${text}. A plain ` +
      'WebSocket peer would get exactly this string as its message, and would have to ' +
      'know that 4 means an Engine.IO message and 2 a Socket.IO event: that is the Socket.IO protocol, ' +
      'carried by WebSocket, not WebSocket itself.'
    );
  }
  if (text === '2' && p.from === 'server') {
    const interval = numberOf(openHandshake(t, p.to), 'pingInterval');
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
    return (
      `${hostLabel(t, p.from)} emits one frame, to the server only: a browser can only ever talk to the ` +
      `server. Who else receives the event is decided by the server's handler, here ` +
      `${EMIT_CALLS[t.scenario.emit]}, with ${browsers.length} browsers connected.`
    );
  }
  const group = fanOut(p, t);
  const k = group.indexOf(p);
  if (k < 0) return undefined;
  const got = group.map((q) => hostLabel(t, q.to));
  const missed = browsers.map((h) => h.label).filter((l) => !got.includes(l));
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
    return (
      `From here on nothing reaches ${me} and nothing leaves it. Nobody is told: a pulled cable or a lost ` +
      'Wi-Fi sends no packet. Both sides can only notice that answers stop coming.'
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
    return (
      `The last packet ${me} received arrived ${span(step.time - last)} ago. Only the heartbeat noticed: a ` +
      'plain WebSocket without pings would still report readyState OPEN, waiting for frames that cannot come.'
    );
  }
  if (
    step.host === 'client' &&
    step.kind === 'app' &&
    step.states['client']?.sio?.connected === false &&
    /socket\.emit\(/.test(step.title)
  ) {
    return (
      `${Me} is offline, yet socket.emit does not fail: the packet waits in the socket’s send buffer and ` +
      'goes out after the next successful connect.'
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
    return (
      `Waits before each attempt so far: ${waits.join(', ')}. Each is about twice the one before (with ` +
      'randomness), so that thousands of browsers cut off by the same outage do not all knock at the same moment.'
    );
  }
  if (step.host === 'client' && consoleLine(step, 'reconnect')?.startsWith('reconnect after')) {
    const oldSid = openHandshake(t, 'client', 0)?.['sid'];
    const newSid = openHandshake(t, 'client', -1)?.['sid'];
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
    return `The buffered message arrives ${span(step.time - emitted.time)} after the page emitted it offline, and only once.`;
  }
  return undefined;
}

export const SOCKETIO_LESSONS: readonly LessonContent[] = [
  {
    id: 'socketio',
    intro:
      'Socket.IO is a library with a protocol of its own, not an implementation of WebSocket. It opens a ' +
      'session with ordinary HTTP requests (long-polling), upgrades to a WebSocket when it can, and sends ' +
      'named events such as 42["chat message","Hello"] inside the frames. Watch the bytes: a plain ' +
      'WebSocket client could not make sense of them.',
    checks: [
      {
        question: 'Is Socket.IO an implementation of the WebSocket protocol?',
        choices: [
          'No: it is its own protocol, which can use a WebSocket (or HTTP long-polling) as its transport',
          'Yes: it is WebSocket with a nicer API',
          'Yes, but only in browsers',
        ],
        answer: 0,
        explain:
          'The session starts with plain HTTP GETs and POSTs before any WebSocket exists, and even on the ' +
          'WebSocket every frame carries Engine.IO and Socket.IO packets (2probe, 5, 42[…]). A plain WebSocket ' +
          'client cannot talk to a Socket.IO server.',
      },
      {
        question: 'Inside a WebSocket frame, what does 42["chat message","Hello"] mean?',
        choices: [
          '4 = Engine.IO message, 2 = Socket.IO EVENT, then the event name and its data as JSON',
          'A payload of 42 bytes',
          'Socket.IO version 4.2',
        ],
        answer: 0,
        explain:
          'The event steps decode it digit by digit: Engine.IO packet type 4 (message) carries a Socket.IO ' +
          'packet of type 2 (EVENT) whose JSON array is the event name and its arguments.',
      },
      {
        question: "What does io.on('connection', socket => …) do on the server?",
        choices: [
          'Runs once for each client that connects and hands over that client’s socket',
          'Opens a connection to the browser',
          'Runs once, when the server starts',
        ],
        answer: 0,
        explain:
          'It fires when the browser\'s CONNECT packet (40) arrives and logs "a user connected"; the ' +
          "handlers for that client, such as socket.on('chat message'), are registered inside it.",
      },
      {
        question: 'When would you choose plain WebSockets over Socket.IO?',
        choices: [
          'When the other end speaks standard WebSocket, or every byte and dependency counts',
          'When you need rooms, acknowledgements and automatic reconnection',
          'When WebSocket is blocked by a proxy',
        ],
        answer: 0,
        explain:
          'Socket.IO gives rooms, broadcasting, acknowledgements, reconnection, buffering and a long-polling ' +
          'fallback, at the price of its own protocol on both ends and extra bytes in every frame.',
      },
    ],
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
    intro:
      'socket.emit() does not send to everyone: it sends to the one client at the other end of that socket. ' +
      'Here three browsers are connected and Browser 1 says "Hello"; the server passes it on with ' +
      'socket.broadcast.emit, which reaches everyone except the sender. Change emit= in the link to socket, io ' +
      'or room to see the other fan-outs.',
    checks: [
      {
        question: 'On the server, what does socket.emit("chat message", msg) reach?',
        choices: [
          'The one client at the other end of that socket',
          'Every connected client',
          'Every client except the sender',
        ],
        answer: 0,
        explain:
          'A socket is one client’s connection. io.emit reaches everyone, socket.broadcast.emit everyone but ' +
          'that socket’s client, io.to(room).emit the room’s members.',
      },
      {
        question: 'Which call sends to every client except the one whose message is being handled?',
        choices: ['socket.broadcast.emit', 'io.emit', 'socket.emit'],
        answer: 0,
        explain:
          'In this run the event went out to Browser 2 and Browser 3 only: Browser 1, the sender, got nothing ' +
          'back.',
      },
      {
        question: 'How does a client end up in a room?',
        choices: [
          'The server calls socket.join(room) for it; nothing about rooms is sent on the wire',
          'The client sends a reserved "join" event that Socket.IO handles by itself',
          'The client opens a second connection to the room',
        ],
        answer: 0,
        explain:
          'Rooms exist only on the server: socket.join(room) is a method, not an event. With emit=room the ' +
          "browsers ask with an event of the app's own, and the server's handler calls socket.join.",
      },
    ],
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
    intro:
      'A connection can die without a goodbye: Wi-Fi drops, a laptop sleeps. Socket.IO notices when the ' +
      "server's heartbeat stops arriving, fires 'disconnect', and its Manager keeps trying to reconnect, " +
      'waiting longer each time. What the page emits meanwhile waits in a buffer and is sent once the new ' +
      'session is up.',
    checks: [
      {
        question: 'How does the browser find out that the connection is dead?',
        choices: [
          "The server's pings stop arriving within pingInterval + pingTimeout",
          'The network sends a "disconnected" message',
          'It never finds out',
        ],
        answer: 0,
        explain:
          'Nothing announces the break. Engine.IO expects a ping from the server every pingInterval; when none ' +
          "comes within pingInterval + pingTimeout, the client closes the session and 'disconnect' fires.",
      },
      {
        question: "Where do you listen for 'reconnect' in Socket.IO 4?",
        choices: [
          "socket.io.on('reconnect', …): it is an event of the Manager",
          "socket.on('reconnect', …)",
          "io.on('reconnect', …) on the server",
        ],
        answer: 0,
        explain:
          'Since Socket.IO 3 the socket only emits connect, connect_error and disconnect; reconnect, ' +
          'reconnect_attempt, reconnect_error, reconnect_failed and ping belong to the Manager (socket.io). ' +
          'connect_timeout and reconnecting no longer exist.',
      },
      {
        question: 'The page emitted a message while offline. What happened to it?',
        choices: [
          'It waited in the send buffer and was sent after reconnecting',
          'It was lost',
          'It was sent over HTTP instead',
        ],
        answer: 0,
        explain:
          'socket.emit while disconnected keeps the packet in the socket’s send buffer; after the new CONNECT ' +
          'the buffer is flushed, and the server receives the message late but once.',
      },
    ],
    teacherNotes:
      'Ask first: "a WebSocket stays open forever, right?" (M7). Pause where the network drops and ask how ' +
      'either side could notice (no packet says so). Watch the heartbeat go missing, then the disconnect ' +
      'reason. At each reconnect_attempt note the delay growing (backoff). At the end, check the buffered ' +
      'message arrived exactly once. Use the event names here to correct old notes (M8): ping, reconnect, ' +
      'join, leave and connect_timeout are not socket events in v4.',
    aside: reconnectAside,
    start: startAt((t) => firstOfChapter(t, 'reconnect')),
  },
];
