/**
 * What each step of the Socket.IO lessons says: a title and a few plain sentences for students, with
 * this run's real values (the sid, the socket ids, the packet strings, the ports, the backoff delays).
 * Steps answer CURRICULUM.md Q4–Q9 and Q13 and meet M1, M4, M5 and M8; they carry those ids.
 */
import { SIO_RESERVED_EVENTS } from '../../../protocol/socketio';
import { SIO_DEFAULTS, type SioAppEvent } from '../../libs/socketio';
import type { Narration } from '../../steps/narration';
import { msText, quoted } from '../../steps/phrases';
import { SIO_STORY } from './script';
import {
  SIO_MISCONCEPTIONS,
  argsText,
  browserList,
  clip,
  label,
  list,
  lit,
  many,
  mid,
  type SioFacts,
} from './phrases';

type AppEvent<K extends SioAppEvent['kind']> = Extract<SioAppEvent, { readonly kind: K }>;

/** What an application event of the Socket.IO story says (null: nothing, the event has no step). */
export function narrateSioApp(e: SioAppEvent, f: SioFacts): Narration | null {
  switch (e.kind) {
    case 'listen':
    case 'io':
    case 'handshake':
    case 'connection':
    case 'connect':
    case 'upgrade':
    case 'upgrade-error':
    case 'join':
      return narrateConnecting(e, f);
    case 'client-emit':
    case 'server-event':
    case 'fanout':
    case 'ack-reply':
    case 'client-event':
    case 'ack':
      return narrateEvents(e, f);
    case 'disconnect-call':
    case 'client-disconnect':
    case 'server-disconnecting':
    case 'server-disconnect':
      return narrateLeaving(e, f);
    case 'network':
    case 'reconnect-attempt':
    case 'connect-error':
    case 'reconnect':
      return narrateReconnecting(e, f);
  }
}

/** Connecting: the server listens, a page runs io(), the session opens, upgrades, joins a room. */
function narrateConnecting(
  e: AppEvent<
    'listen' | 'io' | 'handshake' | 'connection' | 'connect' | 'upgrade' | 'upgrade-error' | 'join'
  >,
  f: SioFacts,
): Narration | null {
  const B = 'browser' in e ? label(f, e.browser) : '';
  const ev = f.events.event;
  switch (e.kind) {
    case 'listen':
      return {
        // RFC 9110 §4.2.1 and §4.2.2: http:// defaults to port 80, https:// to 443.
        title: `The server listens on port ${f.scenario.tls ? 443 : 80}`,
        text:
          (f.scenario.tls
            ? // Node's https.createServer: TLS with the certificate on every connection (RFC 9110 §4.2.2: port 443);
              // the program is sim/stories/socketio/programs.ts; socket.io lib/index.ts path(): "/socket.io".
              'server.js creates an HTTPS server with a certificate and its key, so every connection starts with a ' +
              'TLS handshake, and attaches socket.io to it; socket.io answers every request under '
            : // sim/stories/socketio/programs.ts; socket.io lib/index.ts path(): the default path "/socket.io".
              'server.js creates an HTTP server and attaches socket.io to it; socket.io answers every request under ') +
          // engine.io lib/server.ts constructor: pingInterval 25000, pingTimeout 20000, maxHttpBufferSize 1e6.
          `/socket.io/. engine.io's defaults: a ping every ${msText(SIO_DEFAULTS.pingIntervalMs)} (pingInterval), ` +
          `${msText(SIO_DEFAULTS.pingTimeoutMs)} to wait for the pong (pingTimeout), at most ` +
          `${SIO_DEFAULTS.maxPayload} bytes per message (maxHttpBufferSize).` +
          (f.scenario.transport === 'polling'
            ? // engine.io lib/server.ts option transports; transport=polling in the link is Wirewalk's choice of scenario.
              " It is configured with transports: ['polling'], as one would behind a proxy that cannot pass WebSockets: every packet will travel in HTTP requests."
            : '') +
          // sim/stories/socketio/script.ts socketIoHosts(): the addresses of this run.
          ` The server is ${f.server.ip}; ${browserList(f)}.`,
        curriculum: f.scenario.transport === 'polling' ? ['Q8'] : [],
      };
    case 'io':
      return {
        title: `${B}: const socket = io()`,
        text:
          // socket.io-client lib/index.ts lookup(): a Manager, then manager.socket("/"); engine.io-client
          // lib/socket.ts: transports default to ["polling", "websocket", "webtransport"] with upgrade: true;
          // socket.io-parser lib/index.ts and engine.io-parser lib/index.ts: its own packet formats.
          `The page in ${B} runs io(): a Manager (the connection, reconnection) and a Socket for the main ` +
          'namespace "/". It does not open a WebSocket: Engine.IO starts with HTTP long-polling, which passes ' +
          'wherever ordinary HTTP requests pass, and tries to upgrade afterwards. Socket.IO is a library with its ' +
          'own protocol on top of HTTP and WebSocket, not a WebSocket implementation.',
        curriculum: ['Q7', 'M4'],
        ...(e.browser === 'client' ? { misconception: SIO_MISCONCEPTIONS.M4 } : {}),
      };
    case 'handshake':
      return null;
    case 'connection':
      return {
        // socket.io lib/namespace.ts _doConnect(): emitReserved("connection", socket).
        title: "io.on('connection'): a user connected",
        text:
          // socket.io lib/namespace.ts _doConnect() emits "connection" with the new socket; lib/socket.ts
          // _onconnect() answers CONNECT with { sid: this.id }; its constructor draws the id with
          // base64id.generateId() "don't reuse the Engine.IO id because it's sensitive information".
          `${B}'s CONNECT (40) has arrived, so socket.io creates a socket for it, with id ${e.socketId}, and ` +
          "runs the function given to io.on('connection'). io.on() registers a server-level handler: it runs " +
          'once for each client that connects and hands over that client’s own socket, on which the ' +
          `per-client handlers are registered (socket.on(${quoted(ev, 30)}), socket.on('disconnect')). It logs ` +
          '"a user connected": proof that the code runs. The answer 40{"sid":"…"} carries the socket id, a new ' +
          `random value: socket.io does not reuse the Engine.IO sid ${e.sid}, which only the server and this ` +
          'browser should know.',
        curriculum: ['Q4', 'Q5', 'Q13'],
      };
    case 'connect':
      return {
        // socket.io-client lib/socket.ts onconnect(): emitReserved("connect").
        title: `${B}: 'connect' (socket.id ${e.socketId})`,
        text:
          // socket.io-client lib/socket.ts RESERVED_EVENTS; socket.io-parser lib/index.ts isPayloadValid()
          // rejects an EVENT whose name is in RESERVED_EVENTS.
          `${B}'s socket is connected: socket.id is ${e.socketId}. 'connect' is one of the events Socket.IO fires ` +
          "itself (with 'connect_error' and 'disconnect'); an EVENT packet may not use these names. " +
          (e.again
            ? // engine.io lib/server.ts handshake(): a new sid per session; socket.io lib/socket.ts constructor: a
              // new id (connectionStateRecovery is off by default); socket.io-client lib/socket.ts emitBuffered().
              `This is a new session after the reconnection: a new Engine.IO sid and a new socket id. ` +
              (e.flushed > 0
                ? `The ${e.flushed === 1 ? 'event' : `${e.flushed} events`} emitted while disconnected waited in the send buffer and ${e.flushed === 1 ? 'goes' : 'go'} out now, in order.`
                : '')
            : // sim/stories/socketio/programs.ts: the page's socket.on('connect') handler.
              'The page logs it.'),
        curriculum: e.again ? ['Q13', 'Q8'] : ['Q13', 'Q5'],
      };
    case 'upgrade':
      return {
        // engine.io-client lib/socket.ts _probe(): after 3probe it sends the upgrade packet and setTransport().
        title: `${B}: session moved to the WebSocket`,
        text:
          // engine.io-client lib/socket.ts _probe(): transport.send([{ type: "upgrade" }]), then
          // emitReserved("upgrade") on the Engine.IO socket (socket.io.engine), where this page does not listen.
          `engine.io-client has sent 5 and uses the WebSocket from now on for session ${e.sid}. The upgrade ` +
          'is invisible to the page: no handler of its own runs, socket.id stays the same. The HTTP connections ' +
          // sim/libs/http.ts keepAliveTimeoutNs: Node's http.Server keepAliveTimeout default (5000 ms).
          "fall idle; Node's HTTP server closes each one after 5 s without a request (its keepAliveTimeout).",
        curriculum: ['Q7', 'M4'],
      };
    case 'upgrade-error':
      return {
        // engine.io-client lib/socket.ts _probe() onerror: "probe error", emitReserved("upgradeError").
        title: `${B}: the WebSocket probe failed`,
        // engine.io-client lib/socket.ts _probe(): on a probe error the transport is frozen and polling goes on;
        // CURRICULUM Q8: the fallback as a reason to choose Socket.IO.
        text: `The WebSocket could not be used (${e.why}); the session stays on long-polling. This fallback is one reason to use Socket.IO.`,
        curriculum: ['Q8'],
      };
    case 'join':
      return {
        title: `socket.join('${e.room}')`,
        text:
          // socket.io lib/socket.ts join() calls adapter.addAll(); socket.io-adapter lib/in-memory-adapter.ts
          // addAll() keeps rooms in a Map in the server process and sends nothing; the 'join' event is the
          // program's own (sim/stories/socketio/programs.ts).
          `The server puts ${B}'s socket in the room ${quoted(e.room)}. socket.join() is a method on the server, ` +
          'not an event, and nothing is sent to the browser: rooms exist only on the server (socket.io’s default ' +
          `adapter keeps them in its memory). The browser asked with our own event ${quoted(f.events.join)}. ` +
          `Members now: ${list(e.members.map((m) => label(f, m)))}.`,
        curriculum: ['Q8', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
  }
}

/** Events: an emit, the handler that receives it, the fan-out, an acknowledgement. */
function narrateEvents(
  e: AppEvent<'client-emit' | 'server-event' | 'fanout' | 'ack-reply' | 'client-event' | 'ack'>,
  f: SioFacts,
): Narration | null {
  const B = 'browser' in e ? label(f, e.browser) : '';
  const ev = f.events.event;
  switch (e.kind) {
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
          // socket.io-client lib/socket.ts emit() builds an EVENT packet; socket.io-parser lib/index.ts
          // Encoder.encodeAsString(): type digit, ack id, JSON; engine.io-parser lib/encodePacket.ts: "4" + data.
          `${call} sends one event to the other end of this socket: the server. It becomes the Socket.IO packet ` +
          `${e.packet} and, inside an Engine.IO message, the text ${wire}` +
          (isAck
            ? // socket.io-client lib/socket.ts emit(): a function last argument gets an ack id; socket.io
              // lib/socket.ts onevent(): if packet.id is set, args.push(this.ack(packet.id)).
              `: the ack id ${e.ackId} after the type says "answer me"; the server's handler gets a callback to call.`
            : '.') +
          (isJoin
            ? // socket.io lib/socket.ts: join() is a server method; the 'join' event is the program's own
              // (sim/stories/socketio/programs.ts).
              ` ${quoted(e.event)} is an event name of our own: there is no built-in join event.`
            : '') +
          (e.buffered
            ? // socket.io-client lib/socket.ts emit(): not connected, so sendBuffer.push(packet), flushed by
              // emitBuffered() on connect; WHATWG WebSockets send(): no buffering across a closed connection.
              ' The socket is not connected, so the packet waits in the send buffer; Socket.IO sends it after it reconnects (plain WebSockets have no such buffer).'
            : ''),
        curriculum: e.buffered ? ['Q6', 'Q8'] : isAck ? ['Q6', 'Q8'] : ['Q6'],
      };
    }
    case 'server-event': {
      if (e.event !== ev) return null;
      return {
        // socket.io lib/socket.ts onevent() → dispatch(): the listeners for the event name run.
        title: `socket.on(${quoted(ev, 30)}): message: ${clip(String(e.args[0] ?? ''), 30)}`,
        text:
          // socket.io lib/socket.ts onevent() → dispatch() → emitUntyped() (lib/typed-events.ts): the handler gets the event's arguments; the log
          // line is the program's (sim/stories/socketio/programs.ts).
          `socket.io decoded the EVENT from ${B} and calls the handler registered with socket.on(${quoted(ev, 30)}) ` +
          `with ${argsText(e.args)}. It logs "message: ${clip(String(e.args[0] ?? ''), 40)}".`,
        curriculum: ['Q5'],
      };
    }
    case 'fanout': {
      const to = e.recipients.map((r) => label(f, r));
      const missed = e.connected.filter((c) => !e.recipients.includes(c)).map((r) => label(f, r));
      const who: { [k in typeof e.emit]: string } = {
        // socket.io lib/socket.ts emit(): this socket's one client.
        socket: `the one client at the other end of this socket, ${label(f, e.from)}`,
        // socket.io lib/socket.ts broadcast: a BroadcastOperator that excepts the socket's own id.
        broadcast: `every connected client except ${label(f, e.from)}, the socket it is called on`,
        // socket.io lib/namespace.ts emit(): every socket of the namespace.
        io: 'every connected client, the sender included',
        // socket.io lib/broadcast-operator.ts to(room): the sockets in that room.
        room: `the members of the room ${quoted(SIO_STORY.room)}`,
      };
      const call = `${e.call}(${quoted(e.event, 30)}, ${argsText(e.args)})`;
      return {
        title: `${call} → ${to.length === 0 ? 'nobody' : list(to)}`,
        text:
          (e.push
            ? // A server-side message (m=s: in the link) is the scenario's, Wirewalk's choice (script.ts).
              `The server has news of its own (no request came first) and calls ${call}. `
            : `The handler calls ${call}. `) +
          `${e.call} reaches ${who[e.emit]}` +
          (e.emit === 'socket' ? '' : `: ${to.length === 0 ? 'nobody here' : list(to)}`) +
          (missed.length > 0 ? `; ${list(missed)} ${missed.length === 1 ? 'gets' : 'get'} nothing` : '') +
          // socket.io-adapter lib/in-memory-adapter.ts broadcast(): _encode() once, then writeToEngine() for
          // each socket; socket.io lib/client.ts writeToEngine(): into that client's Engine.IO session.
          `. The packet ${lit(`4${e.packet}`)} is encoded once and written to each recipient's own session.` +
          (e.emit === 'socket' && many(f)
            ? // socket.io lib/socket.ts emit(): one client only (CURRICULUM M1).
              ' socket.emit does not send to all connected clients: it answers one.'
            : '') +
          // socket.io lib/socket.ts emit() (this one client), lib/broadcast-operator.ts (broadcast: all but
          // the sender; to(room): the room), lib/namespace.ts emit() (io.emit: every socket): socket.io's rules.
          (many(f) && !e.push
            ? fanOutsText(e.connected.length, label(f, e.from), f.scenario.transport === 'polling')
            : ''),
        curriculum: ['Q6', 'M1', ...(e.push ? ['Q3'] : [])],
        ...(many(f) || e.emit !== 'socket' ? { misconception: SIO_MISCONCEPTIONS.M1 } : {}),
      };
    }
    case 'ack-reply':
      return {
        // socket.io lib/socket.ts ack(): the callback sends an ACK packet with the same id.
        title: `callback(${argsText(e.args)}): ACK 4${e.packet}`,
        text:
          // socket.io lib/socket.ts onevent()/ack(): the ACK goes back on this socket only; engine.io
          // lib/server.ts clientsCount: the number of open Engine.IO sessions.
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
          // socket.io-client lib/socket.ts onevent() → emitEvent(): the page's handler
          // (sim/stories/socketio/programs.ts) runs with the event's arguments.
          `${B}'s handler for ${quoted(ev, 30)} runs and logs "message: ${text}".` +
          (many(f) && e.browser !== 'client'
            ? // socket.io lib/broadcast-operator.ts emit(): the server's fan-out decides who receives (M1).
              ' This browser sent nothing: the server chose to send it the event.'
            : ''),
        curriculum: many(f) ? ['Q5', 'M1'] : ['Q5'],
      };
    }
    case 'ack':
      return {
        // socket.io-client lib/socket.ts onack(): the stored callback for that id runs.
        title: `${B}: the callback runs: ${argsText(e.args)} users online`,
        text:
          // socket.io-client lib/socket.ts onack(): acks[packet.id] is called with the ACK's data and removed;
          // CURRICULUM Q8: acknowledgements as a reason to choose Socket.IO.
          `The ACK with id ${e.ackId} came back, so Socket.IO calls the function the page passed to emit() ` +
          `with ${argsText(e.args)}. Request and answer without numbering the requests yourself: one reason to ` +
          'choose Socket.IO.',
        curriculum: ['Q8'],
      };
  }
}

/** Leaving: the page disconnects, and both sides hear of it. */
function narrateLeaving(
  e: AppEvent<'disconnect-call' | 'client-disconnect' | 'server-disconnecting' | 'server-disconnect'>,
  f: SioFacts,
): Narration | null {
  const B = label(f, e.browser);
  switch (e.kind) {
    case 'disconnect-call':
      return {
        title: `${B}: socket.disconnect()`,
        text:
          // socket.io-client lib/socket.ts disconnect(): packet({ type: DISCONNECT }), then destroy() →
          // lib/manager.ts _destroy() → _close() → onclose() → engine.close(); the page's call is the
          // scenario's (sim/stories/socketio/programs.ts).
          'The user leaves: the page calls socket.disconnect(). Socket.IO sends DISCONNECT (41), then the ' +
          'Manager closes the Engine.IO session' +
          (f.scenario.transport === 'polling'
            ? // engine.io-client lib/transports/polling.ts doClose(): write([{ type: "close" }]).
              ' with an Engine.IO close (1) in a POST.'
            : // engine.io-client lib/transports/websocket.ts doClose(): ws.close().
              ', which closes the WebSocket.') +
          // socket.io-client lib/manager.ts _close(): skipReconnect = true.
          ' The Manager will not reconnect after this.',
        curriculum: ['Q13'],
      };
    case 'client-disconnect': {
      const why: { [r: string]: string } = {
        // socket.io-client lib/socket.ts disconnect(): onclose("io client disconnect").
        'io client disconnect': 'the page called socket.disconnect() itself',
        // engine.io-client lib/socket.ts _resetPingTimeout(): onClose("ping timeout") after pingInterval +
        // pingTimeout without a ping; RFC 9293 §3.8.3: TCP notices only data left unacknowledged and gives up
        // after its R2 threshold (at least 100 s); an idle connection has nothing to retransmit.
        'ping timeout': `no ping came for ${msText(SIO_DEFAULTS.pingIntervalMs + SIO_DEFAULTS.pingTimeoutMs)} (pingInterval + pingTimeout): the server seems unreachable. TCP tells the page nothing until it gives up retrying, minutes later and only if it has data in flight; the heartbeat noticed first`,
        // engine.io-client lib/socket.ts: the 'offline' listener calls onClose("transport close",
        // { description: "network connection lost" }).
        'transport close': f.browserOffline
          ? "the browser went offline, and engine.io-client's listener for the window's 'offline' event " +
            '(lib/socket.ts) closed the transport at once, with the description "network connection lost". No ' +
            'heartbeat had to be missed: the browser knew'
          : // engine.io-client lib/transport.ts onClose(): the transport's connection closed.
            'the connection was closed',
        // engine.io-client lib/socket.ts _onError(): onClose("transport error").
        'transport error': 'the connection failed',
      };
      return {
        title: `${B}: 'disconnect' (${e.reason})`,
        text:
          // socket.io-client lib/socket.ts onclose(): emitReserved("disconnect", reason); RESERVED_EVENTS.
          `The socket fires 'disconnect' with the reason "${e.reason}": ${why[e.reason] ?? e.reason}. The page ` +
          `logs it. 'disconnect' is a reserved event, fired by Socket.IO itself.` +
          (e.reason === 'io client disconnect'
            ? ''
            : // socket.io-client lib/manager.ts onclose(): reconnect() unless skipReconnect; lib/socket.ts
              // emit(): sendBuffer.push() while not connected.
              ' The Manager will now try to reconnect by itself; emits meanwhile wait in the send buffer.'),
        curriculum: e.reason === 'io client disconnect' ? ['Q13'] : ['Q13', 'Q8', 'M7'],
      };
    }
    case 'server-disconnecting': {
      const joined = e.rooms.filter((r) => r !== e.socketId);
      return {
        // socket.io lib/socket.ts _onclose(): "disconnecting" before _cleanup() → leaveAll().
        title: `'disconnecting': ${B}'s socket is still in its rooms`,
        // socket.io lib/socket.ts _onclose(): emitReserved("disconnecting") before _cleanup() leaves the rooms.
        text:
          `${B}'s socket ${e.socketId} is closing (reason "${e.reason}"). Before it leaves its rooms, ` +
          "Socket.IO fires the reserved server-side event 'disconnecting': at this moment socket.rooms " +
          `still holds ${e.rooms.map((r) => quoted(r, 30)).join(', ')} (its own id${joined.length > 0 ? ' and the rooms it joined' : ''}), ` +
          "so a handler could tell those rooms who is leaving. 'disconnect' follows, after the rooms are " +
          'left. This program registers no handler for it, so nothing runs. ' +
          reservedNamesText(),
        curriculum: ['Q13', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    }
    case 'server-disconnect': {
      const why: { [r: string]: string } = {
        // socket.io lib/socket.ts ondisconnect(): _onclose("client namespace disconnect").
        'client namespace disconnect': 'the browser sent DISCONNECT (41)',
        // engine.io lib/socket.ts resetPingTimeout(): onClose("ping timeout") pingTimeout after its ping.
        'ping timeout': `its pong did not come within ${msText(SIO_DEFAULTS.pingTimeoutMs)} (pingTimeout)`,
        // engine.io lib/socket.ts onClose("transport close"): the transport's connection closed.
        'transport close': 'its connection closed',
        // engine.io lib/socket.ts onError(): onClose("transport error").
        'transport error': 'its connection failed',
      };
      return {
        // socket.io lib/socket.ts _onclose(): emitReserved("disconnect"); the log is the program's (programs.ts).
        title: "socket.on('disconnect'): user disconnected",
        text:
          // socket.io lib/socket.ts _onclose(): _cleanup() → leaveAll() before "disconnect"; sim/stories/socketio/
          // programs.ts: the handler's log line; engine.io lib/socket.ts: a ping timeout carries no cause.
          `${B}'s socket ${e.socketId} is gone, because ${why[e.reason] ?? e.reason} (reason "${e.reason}"). The ` +
          'handler registered with socket.on(\'disconnect\') logs "user disconnected". The socket has left every room.' +
          (e.reason === 'ping timeout' ? ' The server never learned why; the heartbeat told it.' : ''),
        curriculum: ['Q5', 'Q13'],
      };
    }
  }
}

/**
 * offline=: the browser's own network goes down and comes back. The window's offline/online events are the
 * HTML standard's (navigator.onLine); engine.io-client listens for 'offline' only (lib/socket.ts).
 */
function narrateOffline(up: boolean, B: string): Narration {
  const who = B === 'Browser' ? 'the browser' : B;
  return up
    ? {
        // WHATWG HTML navigator.onLine: the window fires 'online' when the network comes back.
        title: `${B} is online again`,
        text:
          // WHATWG HTML navigator.onLine ('online' event); engine.io-client lib/socket.ts and socket.io-client
          // lib/manager.ts add no 'online' listener; sim/engine/network.ts: the link is up again for TCP's retries.
          `${who[0]!.toUpperCase()}${who.slice(1)}'s network is back and the window fires 'online'. Neither ` +
          'engine.io-client nor socket.io-client listens for it: the Manager’s next scheduled attempt will simply ' +
          'go through. Packets TCP was still retransmitting on the old connection get through now too.',
        curriculum: ['M7'],
      }
    : {
        // WHATWG HTML navigator.onLine: the window fires 'offline'.
        title: `${B} goes offline`,
        text:
          // WHATWG HTML navigator.onLine ('offline' event); engine.io-client lib/socket.ts: the 'offline'
          // listener calls _onClose("transport close", { description: "network connection lost" }), which
          // closes the transport (lib/transports/websocket.ts doClose(): ws.close(), RFC 6455 §7.1.2).
          `${who[0]!.toUpperCase()}${who.slice(1)}'s own network goes down (its Wi-Fi drops), so the browser ` +
          "knows at once and the window fires 'offline'. engine.io-client listens for it (lib/socket.ts) and closes " +
          'the session right away, "network connection lost", the ordinary way: the WebSocket sends its Close ' +
          'frame, which cannot leave the machine now. Compare drop=, where a router fails somewhere on the path ' +
          'and only the missing heartbeat tells.',
        curriculum: ['M7'],
      };
}

/**
 * Socket.IO 4's reserved names in one sentence. The socket's: SIO_RESERVED_EVENTS (socket.io-parser
 * RESERVED_EVENTS, the same list as socket.io lib/socket.ts and socket.io-client lib/socket.ts
 * RESERVED_EVENTS); the namespace's 'connection' (socket.io lib/namespace.ts NamespaceReservedEventsMap); the
 * Manager's (socket.io-client lib/manager.ts ManagerReservedEvents); join and leave are methods
 * (socket.io lib/socket.ts join()/leave()).
 */
function reservedNamesText(): string {
  const names = (l: readonly string[]): string => l.map((n) => `'${n}'`).join(', ');
  const sio = SIO_RESERVED_EVENTS.filter((n) => n !== 'newListener' && n !== 'removeListener');
  // socket.io-parser lib/index.ts RESERVED_EVENTS; socket.io lib/namespace.ts NamespaceReservedEventsMap;
  // socket.io-client lib/manager.ts ManagerReservedEvents; socket.io lib/socket.ts join()/leave().
  return (
    `Socket.IO 4's reserved names: the socket's ${names(sio)} (with Node's 'newListener' and ` +
    "'removeListener', the names an emit may not use); io.on's 'connection' (and its synonym 'connect'); " +
    "the Manager's (socket.io.on) " +
    `${names(MANAGER_EVENTS)}. join and leave are methods (socket.join(room)), not events.`
  );
}

/** socket.io-client lib/manager.ts ManagerReservedEvents (v4): socket.io.on(…). */
const MANAGER_EVENTS = [
  'open',
  'error',
  'ping',
  'packet',
  'close',
  'reconnect_failed',
  'reconnect_attempt',
  'reconnect_error',
  'reconnect',
] as const;

/**
 * The three fan-outs side by side, with the link parameter that shows each (`emit=` in the link): the same
 * event packet, written to 1, n - 1 or n sessions.
 */
function fanOutsText(n: number, sender: string, polling: boolean): string {
  // With transports: ['polling'] each copy travels in an HTTP response body, not a WebSocket frame.
  const frames = (k: number): string =>
    polling ? (k === 1 ? 'one copy' : `${k} copies`) : k === 1 ? 'one frame' : `${k} frames`;
  // socket.io lib/socket.ts emit() (1), broadcast (n - 1), lib/namespace.ts emit() (n); CURRICULUM M1.
  return (
    ` Compare the three with the link's emit=: emit=socket writes ${frames(1)} (to ${sender} only), ` +
    `emit=broadcast ${frames(n - 1)} (everyone but ${sender}), emit=io ${frames(n)} (all ${n}, ${sender} included).`
  );
}

/** The network drops: the path breaks and comes back, the Manager tries again and reconnects. */
function narrateReconnecting(
  e: AppEvent<'network' | 'reconnect-attempt' | 'connect-error' | 'reconnect'>,
  f: SioFacts,
): Narration | null {
  const B = label(f, e.browser);
  switch (e.kind) {
    case 'network':
      if (e.offline) return narrateOffline(e.up, B);
      return e.up
        ? {
            // Wirewalk's choice (sim/engine/network.ts setLinkDown): the scenario's drop= ends here.
            title: `The network path to ${B} is back`,
            // Wirewalk's choice (sim/engine/network.ts): packets pass again; socket.io-client lib/manager.ts
            // reconnect(): the next attempt is already scheduled.
            text: `Packets between ${B} and the server get through again. The Manager's next attempt will find the server.`,
            curriculum: ['M7'],
          }
        : {
            // Wirewalk's choice (sim/engine/network.ts setLinkDown): every packet to or from this browser is lost.
            title: `The network path to ${B} breaks`,
            text:
              // Wirewalk's choice (sim/engine/network.ts setLinkDown): every packet to or from this browser is
              // lost from now; the router's address 192.0.2.1 is RFC 5737 TEST-NET-1 (sim/engine/router.ts).
              `Somewhere between ${mid(f, e.browser)} and the server the path breaks` +
              ((f.scenario.hops ?? 1) > 0
                ? ' (say the router, 192.0.2.1, loses its link towards the server). '
                : ' (say a link between them on the LAN fails). ') +
              `${B === 'Browser' ? 'The browser' : B}'s own ` +
              // RFC 9293 §3.8.1: TCP notices only through unacknowledged data it retransmits (and gives up after
              // its retries); an idle connection sends nothing, so a silent path goes unnoticed until someone writes.
              'network card is fine, so nothing tells the page. TCP notices only when it has data in flight that ' +
              "is never acknowledged, and an idle connection has none: Engine.IO's heartbeat will notice. " +
              `The server's next ping (every ${msText(SIO_DEFAULTS.pingIntervalMs)}) ` +
              // engine.io lib/socket.ts schedulePing(): the server sends "2" every pingInterval.
              'will not arrive.',
            curriculum: ['M7', 'M5'],
          };
    case 'reconnect-attempt':
      return {
        // socket.io-client lib/manager.ts reconnect(): emitReserved("reconnect_attempt", backoff.attempts).
        title: `${B}: reconnect_attempt ${e.attempt}`,
        text:
          // socket.io-client lib/manager.ts constructor: reconnectionDelay 1000, reconnectionDelayMax 5000,
          // randomizationFactor 0.5 (socket.io-client's defaults); lib/contrib/backo2.ts duration(): min ×
          // 2^attempts, minus or plus up to jitter × that, then capped at max; reconnect() → open(): a new
          // Engine.IO session; ManagerReservedEvents holds reconnect_attempt.
          `After waiting ${msText(e.delayMs)} (socket.io-client's default backoff: 1 s × 2^(attempt − 1), ` +
          `randomised by up to ±50 %, at most 5 s), the Manager tries again: a new Engine.IO handshake. ` +
          "reconnect_attempt is the Manager's event (socket.io.on('reconnect_attempt')), not the socket's.",
        curriculum: ['Q8', 'Q13', 'M8'],
        misconception: SIO_MISCONCEPTIONS.M8,
      };
    case 'connect-error':
      return {
        title: `${B}: connect_error (${e.message})`,
        text:
          (e.message === 'timeout'
            ? // socket.io-client lib/manager.ts open(): timeout (default 20000) → onError(new Error("timeout")).
              `No Engine.IO handshake within ${msText(SIO_DEFAULTS.connectTimeoutMs)} (the Manager's timeout, ` +
              "socket.io-client's default): "
            : f.browserOffline
              ? // Chrome's choice: while offline a request fails at once (Chromium net/base/net_error_list.h
                // ERR_INTERNET_DISCONNECTED); WHATWG XMLHttpRequest: a network error fires 'error';
                // engine.io-client lib/transports/polling-xhr.ts onError().
                `The browser is offline, so Chrome fails the handshake request at once without sending a packet ` +
                `(net::ERR_INTERNET_DISCONNECTED); the XHR reports an error (${e.message}): `
              : // engine.io-client lib/socket.ts _onError(): the transport's error ends the attempt.
                `The connection failed (${e.message}): `) +
          // socket.io-client lib/socket.ts onerror(): emitReserved("connect_error") while not connected;
          // lib/manager.ts reconnect(): emitReserved("reconnect_error") and a new backoff delay.
          "the socket fires 'connect_error'" +
          (e.attempt > 0 ? " and the Manager 'reconnect_error'" : '') +
          (e.nextDelayMs !== null ? `. The next attempt follows in ${msText(e.nextDelayMs)}.` : '.'),
        curriculum: ['Q13'],
      };
    case 'reconnect':
      return {
        // socket.io-client lib/manager.ts onreconnect(): emitReserved("reconnect", attempt).
        title: `${B}: reconnect after ${e.attempt} attempt${e.attempt === 1 ? '' : 's'}`,
        // socket.io-client lib/manager.ts onreconnect() and lib/socket.ts sendBuffer; WHATWG WebSockets: a
        // closed WebSocket object never opens again (a new one must be made).
        text:
          `The Manager is connected again and fires 'reconnect' with ${e.attempt}. Automatic reconnection and the ` +
          'send buffer are what Socket.IO adds to a bare WebSocket, which stays closed once it is closed.',
        curriculum: ['Q8', 'Q13', 'M7'],
      };
  }
}
