/**
 * The socketio story: one server, one to five browsers, named events with fan-out, rooms, an
 * acknowledgement, heartbeats, a network drop with reconnection, and polling-only sessions, composed
 * from the Socket.IO model in libs/socketio.ts.
 */
import { encodeSioPacket, SIO_PACKET_TYPES } from '../../../protocol/socketio';
import { NS_PER_MS, type SecureTransport, type World } from '../../engine/network';
import { serverHost } from '../hosts';
import type { Clock } from '../../engine/clock';
import {
  SIO_DEFAULTS,
  SioClient,
  SioServer,
  type SioAppEvent,
  type SioClientObserver,
  type SioServerSocket,
} from '../../libs/socketio';
import type { EmitKind, Scenario } from '../../scenario';
import type { HostId, HostInfo } from '../../types';

export const SIO_STORY = {
  /** Pause between one action being done and the next (ms of simulated time). */
  thinkNs: 20 * NS_PER_MS,
  port: 80,
  room: 'room1',
  joinEvent: 'join room',
  ackEvent: 'users online',
  /** How long the network stays down when nothing tries to reconnect. */
  fallbackOutageNs: 30_000 * NS_PER_MS,
  /** A run still going after this much simulated time has stalled: everyone disconnects. */
  giveUpNs: 15 * 60_000 * NS_PER_MS,
} as const;

export type SioChapterId =
  | 'eio-handshake'
  | 'sio-connect'
  | 'more-browsers'
  | 'sio-events'
  | 'heartbeat'
  | 'reconnect'
  | 'sio-disconnect'
  | 'tcp-teardown';

/** What the story tells the timeline: the programs' events, and the chapter it has reached. */
export interface SioObserver extends SioClientObserver {
  /** The story moved on to this chapter (chapters only go forward). */
  chapter(id: SioChapterId): void;
}

/** The hosts of a run: the server and `clients` browsers ('client', 'client-2' … 'client-5'). */
export function socketIoHosts(clients: number, hops?: number): { browsers: HostInfo[]; server: HostInfo } {
  const browsers: HostInfo[] = [];
  const n = Math.max(1, Math.min(5, Math.floor(clients)));
  for (let i = 0; i < n; i++) {
    browsers.push({
      id: i === 0 ? 'client' : `client-${i + 1}`,
      label: n === 1 ? 'Browser' : `Browser ${i + 1}`,
      role: 'client',
      mac: `02:00:00:00:00:${(0x0a + i).toString(16).padStart(2, '0')}`,
      ip: `192.0.2.${10 + i}`,
    });
  }
  return { browsers, server: serverHost(hops) };
}

/** Browsers that join the room when emit=room: the first, third and fifth. */
export function joinsRoom(index: number): boolean {
  return index % 2 === 0;
}

/** The server call for an emit kind, as server.js writes it. */
export function emitCall(kind: EmitKind): string {
  switch (kind) {
    case 'socket':
      return 'socket.emit';
    case 'broadcast':
      return 'socket.broadcast.emit';
    case 'io':
      return 'io.emit';
    case 'room':
      return `io.to('${SIO_STORY.room}').emit`;
  }
}

/** The event names of a run: the link's `ev=` for messages, and two of the story's own that never collide with it. */
export function storyEvents(scenario: Scenario): {
  readonly event: string;
  readonly join: string;
  readonly ack: string;
} {
  const event = scenario.event;
  return {
    event,
    join: event === 'join room' ? 'join the room' : 'join room',
    ack: event === 'users online' ? 'how many online' : 'users online',
  };
}

type Action =
  | { readonly kind: 'message'; readonly index: number }
  | { readonly kind: 'ack' }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'disconnect'; readonly browser: number };

export interface SioStory {
  readonly server: SioServer;
  readonly clients: readonly SioClient[];
  readonly hosts: readonly HostInfo[];
  /** The timeline calls this after each step it records: `drop=<step>` breaks the network after it. */
  afterStep(count: number): void;
  /** 'chat message' events each browser's page received, in order (scenario message index and text). */
  readonly received: ReadonlyMap<HostId, readonly { readonly message: number; readonly text: string }[]>;
  /** Start: the server listens and Browser 1 runs io(). */
  start(): void;
}

/**
 * Run the socketio story on `world`. The server listens; the browsers open one after another (each once
 * the previous one is connected and upgraded); when all are in (and in their room), the scenario's
 * messages follow in order, each THINK after the previous one has reached every recipient: `c:` ones
 * Browser 1 emits and the server fans out per `emit`, `s:` ones the server emits on Browser 1's socket
 * per `emit`. Then Browser 1 asks a question with an acknowledgement, waits for a heartbeat (`ping`),
 * and the browsers disconnect one after another.
 *
 * `drop=<step>`: Browser 1's network path breaks right after that step, or, if an event is on its way
 * then, as soon as it has arrived (Socket.IO does not resend an event lost in a dead connection unless
 * connection-state recovery or retries are configured, and this story delivers every event once). The
 * user waits until the page notices (ping timeout), then keeps typing: those emits wait in the send
 * buffer. The path comes back when the Manager's first reconnection attempt has failed (or after 30 s
 * if nothing tries to reconnect); the next attempt succeeds and the buffer is sent.
 */
export function runSocketIoStory(
  world: World,
  scenario: Scenario,
  observer: SioObserver,
  clock: Clock,
  /** https:// (scenario.tls): TLS over every connection, port 443. */
  secure: SecureTransport | null = null,
): SioStory {
  // RFC 9110 §4.2.2: https defaults to port 443.
  const port = secure ? 443 : SIO_STORY.port;
  const { browsers, server: serverHost } = socketIoHosts(scenario.clients, scenario.hops);
  const polling = scenario.transport === 'polling';
  const names = storyEvents(scenario);
  const event = names.event;
  const room = SIO_STORY.room;
  const emitKind = scenario.emit;

  // Deliveries the script waits for: per browser, the scenario message of each 'chat message' on its way.
  const expected = new Map<HostId, number[]>(browsers.map((h) => [h.id, []]));
  const serverSideMessage = new Map<HostId, number[]>(browsers.map((h) => [h.id, []]));
  const pendingOf = new Map<number, number>();
  const received = new Map<HostId, { message: number; text: string }[]>(browsers.map((h) => [h.id, []]));
  let outstanding = 0;
  let pendingAck = false;
  let joinedCount = 0;
  const joiners = browsers.filter((_, i) => emitKind === 'room' && joinsRoom(i)).length;
  const upgradeFailed = new Set<HostId>();
  let sawFirstHandshake = false;

  // Everything the programs report goes to the timeline, and the script reacts to some of it.
  const obs: SioObserver = {
    app: (e) => {
      if (e.kind === 'io' && e.browser !== browsers[0]!.id) observer.chapter('more-browsers');
      observer.app(e);
      react(e);
    },
    chapter: (id) => observer.chapter(id),
    connecting: (b, purpose, reason) => observer.connecting(b, purpose, reason),
  };

  const server = new SioServer(
    clock,
    serverHost,
    {
      pingIntervalMs: SIO_DEFAULTS.pingIntervalMs,
      pingTimeoutMs: SIO_DEFAULTS.pingTimeoutMs,
      maxPayload: SIO_DEFAULTS.maxPayload,
      transports: polling ? ['polling'] : ['polling', 'websocket'],
    },
    (socket) => socket.peer.id,
    port,
    secure,
  );
  const clients = browsers.map((h) => new SioClient(clock, h, serverHost, port, obs, secure));
  const first = clients[0]!;

  // ---- server.js ----
  server.app = {
    connection: (socket) => {
      obs.app({ kind: 'connection', browser: socket.browser, socketId: socket.id, sid: socket.session.sid });
    },
    event: (socket, name, args, ack, ackId) => {
      const index = name === event ? serverSideMessage.get(socket.browser)?.shift() : undefined;
      obs.app({
        kind: 'server-event',
        browser: socket.browser,
        event: name,
        args,
        ...(ackId !== undefined ? { ackId } : {}),
        ...(index !== undefined ? { message: index } : {}),
      });
      if (name === event) {
        fanOut(socket, args, index, false);
      } else if (name === names.join && typeof args[0] === 'string') {
        const r = args[0];
        server.join(socket, r);
        joinedCount++;
        obs.app({
          kind: 'join',
          browser: socket.browser,
          room: r,
          members: server.sockets.filter((s) => s.rooms.has(r)).map((s) => s.browser),
        });
        poke();
      } else if (name === names.ack && ack && ackId !== undefined) {
        const reply = [server.clientsCount];
        obs.app({
          kind: 'ack-reply',
          browser: socket.browser,
          ackId,
          args: reply,
          packet: encodeSioPacket({ type: SIO_PACKET_TYPES.ACK, nsp: '/', id: ackId, data: reply }),
        });
        ack(...reply);
      }
    },
    disconnecting: (socket, reason) => {
      const rooms = [...socket.rooms];
      obs.app({ kind: 'server-disconnecting', browser: socket.browser, socketId: socket.id, reason, rooms });
    },
    disconnect: (socket, reason) => {
      obs.app({ kind: 'server-disconnect', browser: socket.browser, socketId: socket.id, reason });
      if (disconnectWait === socket.browser) {
        disconnectWait = null;
        if (next >= actions.length) obs.chapter('tcp-teardown');
        done();
      }
    },
  };

  // The heartbeat action waits for Browser 1's next pong to reach the server.
  const sessionHooks = server.engine.hooks.connection;
  server.engine.hooks = {
    connection: (session) => {
      sessionHooks(session);
      const hooks = session.hooks;
      session.hooks = {
        ...hooks,
        ping: () => {
          hooks.ping?.();
          if (session.browser === first.host.id && heartbeatWait) obs.chapter('heartbeat');
        },
        pong: () => {
          hooks.pong?.();
          if (session.browser === first.host.id && heartbeatWait) {
            heartbeatWait = false;
            done();
          }
        },
      };
    },
  };

  function fanOut(
    from: SioServerSocket | null,
    args: readonly unknown[],
    index: number | undefined,
    push: boolean,
  ): void {
    const recipients = server.recipients(emitKind, from, room);
    const text = encodeSioPacket({ type: SIO_PACKET_TYPES.EVENT, nsp: '/', data: [event, ...args] });
    obs.app({
      kind: 'fanout',
      call: emitCall(emitKind),
      emit: emitKind,
      from: from?.browser ?? first.host.id,
      recipients: recipients.map((s) => s.browser),
      connected: server.sockets.map((s) => s.browser),
      event,
      args,
      ...(index !== undefined ? { message: index } : {}),
      push,
      packet: text,
    });
    server.emitTo(recipients, event, args);
    if (index === undefined) return;
    for (const r of recipients) expected.get(r.browser)!.push(index);
    pendingOf.set(index, (pendingOf.get(index) ?? 0) + recipients.length);
    outstanding += recipients.length;
    delivered(index, false);
  }

  function delivered(index: number, counted: boolean): void {
    if (counted) {
      outstanding--;
      pendingOf.set(index, (pendingOf.get(index) ?? 1) - 1);
    }
    if ((pendingOf.get(index) ?? 0) === 0 && awaiting === index) {
      awaiting = null;
      done();
      return;
    }
    maybeDrop();
    maybeOffline();
    poke();
  }

  // ---- client.js in each browser ----
  clients.forEach((c, i) => {
    c.app = {
      connect: () => {
        if (emitKind === 'room' && joinsRoom(i)) {
          c.emit(names.join, [room], null, (r) =>
            obs.app({
              kind: 'client-emit',
              browser: c.host.id,
              event: names.join,
              args: [room],
              buffered: r.buffered,
              packet: r.text,
            }),
          );
        }
        poke();
      },
      event: (name, args) => {
        const index = name === event ? expected.get(c.host.id)!.shift() : undefined;
        obs.app({
          kind: 'client-event',
          browser: c.host.id,
          event: name,
          args,
          ...(index !== undefined ? { message: index } : {}),
        });
        if (index !== undefined) {
          received.get(c.host.id)!.push({ message: index, text: String(args[0]) });
          delivered(index, true);
        }
      },
      disconnect: () => poke(),
    };
  });

  function react(e: SioAppEvent): void {
    if (e.kind === 'handshake' && e.browser === first.host.id && !sawFirstHandshake) {
      sawFirstHandshake = true;
      observer.chapter('sio-connect');
    }
    if (e.kind === 'upgrade-error') upgradeFailed.add(e.browser);
    if (e.kind === 'connect-error' && e.browser === first.host.id && down && e.attempt > 0) restore();
    if (e.kind === 'connect-error' && e.browser === first.host.id && e.attempt > 0 && offlineDown) back();
    if (e.kind === 'upgrade' || e.kind === 'reconnect' || e.kind === 'upgrade-error') poke();
  }

  // ---- The script ----
  const actions: Action[] = scenario.messages.map((_, index) => ({ kind: 'message', index }));
  actions.push({ kind: 'ack' });
  if (scenario.ping) actions.push({ kind: 'heartbeat' });
  clients.forEach((_, i) => actions.push({ kind: 'disconnect', browser: i }));
  let next = 0;
  let running = false;
  let waiting = false;
  let awaiting: number | null = null;
  let disconnectWait: HostId | null = null;
  let heartbeatWait = false;
  let setupDone = false;
  let opened = 1;

  const settled = (c: SioClient): boolean =>
    c.connected && (polling || c.engine?.transportName === 'websocket' || upgradeFailed.has(c.host.id));

  function setupProgress(): void {
    // The browsers open one after another: the next once the previous one is connected and upgraded.
    const last = clients[opened - 1]!;
    if (opened < clients.length && settled(last)) {
      const c = clients[opened++]!;
      clock.timer(SIO_STORY.thinkNs, () => c.start());
      return;
    }
    if (opened === clients.length && clients.every(settled) && joinedCount >= joiners && !down) {
      setupDone = true;
      obs.chapter('sio-events');
      clock.timer(SIO_STORY.thinkNs, act);
    }
  }

  function ready(a: Action): boolean {
    // While the page has not noticed that the network is gone, the user waits.
    if (down && first.connected) return false;
    switch (a.kind) {
      case 'message':
        return scenario.messages[a.index]!.from === 'c' || (first.connected && !down);
      case 'ack':
        return true;
      case 'heartbeat':
        return first.connected && !down;
      case 'disconnect':
        return !down && outstanding === 0 && !pendingAck && clients[a.browser]!.connected;
    }
  }

  function poke(): void {
    if (!setupDone) {
      setupProgress();
      return;
    }
    if (waiting && !running) {
      // The user resumes a moment after the page shows the change.
      waiting = false;
      clock.timer(SIO_STORY.thinkNs, act);
    }
  }

  function done(): void {
    running = false;
    maybeDrop();
    maybeOffline();
    clock.timer(SIO_STORY.thinkNs, act);
  }

  function act(): void {
    if (running) return;
    const a = actions[next];
    if (!a) return;
    if (!ready(a)) {
      waiting = true;
      return;
    }
    next++;
    running = true;
    switch (a.kind) {
      case 'message': {
        const m = scenario.messages[a.index]!;
        if (m.from === 'c') {
          serverSideMessage.get(first.host.id)!.push(a.index);
          // On its way from now on: the network does not break under it (see maybeDrop).
          awaiting = a.index;
          const r = first.emit(event, [m.text], null, (info) =>
            obs.app({
              kind: 'client-emit',
              browser: first.host.id,
              event,
              args: [m.text],
              buffered: info.buffered,
              message: a.index,
              packet: info.text,
            }),
          );
          if (r.buffered) {
            awaiting = null;
            done();
          }
        } else {
          awaiting = a.index;
          fanOut(server.sockets.find((s) => s.browser === first.host.id) ?? null, [m.text], a.index, true);
        }
        break;
      }
      case 'ack': {
        pendingAck = true;
        let buffered = false;
        let ackId = 0;
        first.emit(
          names.ack,
          [],
          (...reply: unknown[]) => {
            pendingAck = false;
            obs.app({ kind: 'ack', browser: first.host.id, ackId, args: reply });
            if (!buffered) done();
            else {
              maybeDrop();
              maybeOffline();
              poke();
            }
          },
          (info) => {
            buffered = info.buffered;
            ackId = info.ackId ?? 0;
            obs.app({
              kind: 'client-emit',
              browser: first.host.id,
              event: names.ack,
              args: [],
              ackId,
              buffered,
              packet: info.text,
            });
          },
        );
        if (buffered) done();
        break;
      }
      case 'heartbeat':
        heartbeatWait = true;
        break;
      case 'disconnect': {
        const c = clients[a.browser]!;
        if (a.browser === 0) obs.chapter('sio-disconnect');
        disconnectWait = c.host.id;
        obs.app({ kind: 'disconnect-call', browser: c.host.id });
        c.disconnect();
        break;
      }
    }
  }

  // ---- drop=<step>: Browser 1's network path breaks ----
  let dropArmed = false;
  let dropDone = false;
  let down = false;

  function maybeDrop(): void {
    if (!dropArmed || dropDone) return;
    if (outstanding > 0 || pendingAck || awaiting !== null) return;
    dropArmed = false;
    dropDone = true;
    down = true;
    world.setLinkDown(first.host.id, true);
    observer.chapter('reconnect');
    obs.app({ kind: 'network', browser: first.host.id, up: false });
    if (first.disconnectedByUser) clock.timer(SIO_STORY.fallbackOutageNs, restore);
  }

  // ---- offline=<step>: Browser 1's own network goes down, and the browser knows (it fires 'offline') ----
  let offlineArmed = false;
  let offlineDone = false;
  let offlineDown = false;

  function maybeOffline(): void {
    if (!offlineArmed || offlineDone || down) return;
    if (outstanding > 0 || pendingAck || awaiting !== null) return;
    offlineArmed = false;
    offlineDone = true;
    offlineDown = true;
    world.setLinkDown(first.host.id, true);
    observer.chapter('reconnect');
    obs.app({ kind: 'network', browser: first.host.id, up: false, offline: true });
    first.network(false);
    if (first.disconnectedByUser) clock.timer(SIO_STORY.fallbackOutageNs, back);
  }

  /** The browser's network is back (as drop's path: once the Manager's first reconnection attempt failed). */
  function back(): void {
    if (!offlineDown) return;
    offlineDown = false;
    world.setLinkDown(first.host.id, false);
    first.network(true);
    obs.app({ kind: 'network', browser: first.host.id, up: true, offline: true });
    poke();
  }

  function restore(): void {
    if (!down) return;
    down = false;
    world.setLinkDown(first.host.id, false);
    obs.app({ kind: 'network', browser: first.host.id, up: true });
    poke();
  }

  return {
    start(): void {
      obs.chapter('eio-handshake');
      obs.app({ kind: 'listen' });
      first.start();
      // A guard, not a behaviour: a story still going after this long has stalled; everyone leaves.
      world.schedule(
        SIO_STORY.giveUpNs,
        () => {
          for (const c of clients) if (!c.disconnectedByUser) c.disconnect();
          for (const session of [...server.engine.sessions.values()]) session.onClose('forced close');
          restore();
          back();
        },
        true,
      );
    },
    server,
    clients,
    hosts: [...browsers, serverHost],
    afterStep(count: number): void {
      if (scenario.drop !== null && count === scenario.drop && !dropDone) {
        dropArmed = true;
        maybeDrop();
      }
      if ((scenario.offline ?? null) !== null && count === scenario.offline && !offlineDone) {
        offlineArmed = true;
        maybeOffline();
      }
    },
    received,
  };
}
