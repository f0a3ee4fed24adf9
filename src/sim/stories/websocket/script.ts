/**
 * The websocket story: one browser opens a WebSocket to one `ws` server, the scenario's messages go
 * across in order, the server pings, and one side closes (RFC 6455 §7.1.2), the server closing TCP
 * first (§7.1.1).
 *
 * The story is a script: the first message leaves 20 ms after the browser's `onopen`, and each
 * later action (message, ping, close) 20 ms after the previous one reached its reader.
 */
import { NS_PER_MS, type World } from '../../engine/network';
import { CLIENT_HOST, serverHost } from '../hosts';
import { rngStream } from '../../engine/rng';
import { browserWsRequest } from '../../libs/chromeUpgrade';
import { BrowserWebSocket, WsServerConnection, type DeflateKit, type WsObserver } from '../../libs/websocket';
import type { TlsKit } from '../../libs/tls/kit';
import type { TlsClientSocket, TlsObserver, TlsServerSocket } from '../../libs/tls/socket';
import type { Scenario } from '../../scenario';

export const WS_STORY = {
  /** Pause between one action reaching its reader and the next action (ms of simulated time). */
  thinkNs: 20 * NS_PER_MS,
  host: 'server',
  path: '/chat',
  origin: 'http://server',
  port: 80,
  closeCode: 1000,
  closeReason: 'bye',
} as const;

export interface WsStoryOptions {
  /** Replace the seeded Sec-WebSocket-Key (16 raw bytes), e.g. to answer a real client's key. */
  readonly wsKey?: Uint8Array;
  /** wss://: the TLS library (scenario.tls) and who hears its events. */
  readonly tls?: { readonly kit: TlsKit; readonly observer: TlsObserver };
  /**
   * permessage-deflate's compressor: the browser can then take the extension (Chrome always offers it), and
   * with scenario.deflate the ws server is created with `perMessageDeflate: true` and accepts it.
   */
  readonly deflate?: DeflateKit;
}

/** RFC 6455 §3: ws:// defaults to port 80, wss:// to 443 (and the page's origin is https). */
export function wsEndpoint(tls: boolean): { readonly port: number; readonly origin: string } {
  return tls ? { port: 443, origin: 'https://server' } : { port: WS_STORY.port, origin: WS_STORY.origin };
}

/**
 * Run the websocket story on `world`: listen, connect, upgrade, each scenario message in order,
 * the ping, the close handshake, the TCP teardown.
 */
export function runWebSocketStory(
  world: World,
  scenario: Scenario,
  observer: WsObserver,
  o: WsStoryOptions = {},
): {
  client: BrowserWebSocket;
  server: () => WsServerConnection | null;
  tls: { client: TlsClientSocket | null; server: TlsServerSocket | null };
} {
  const tls = o.tls ?? null;
  const end = wsEndpoint(tls !== null);
  const sockets: { client: TlsClientSocket | null; server: TlsServerSocket | null } = {
    client: null,
    server: null,
  };
  const fromClient: number[] = [];
  const fromServer: number[] = [];
  const serverInfo = serverHost(scenario.hops);
  scenario.messages.forEach((m, i) => (m.from === 'c' ? fromClient : fromServer).push(i));
  const client = new BrowserWebSocket({
    observer,
    messageIndices: fromServer,
    world,
    host: CLIENT_HOST,
    server: serverInfo,
    port: end.port,
    // Chrome's upgrade request, in Chrome's order (chromium-ws.pcap; sim/libs/http.ts browserWsRequest).
    request: browserWsRequest(WS_STORY.path, tls !== null),
    keyBytes: o.wsKey ?? rngStream(world.seed, 'ws-key:0').bytes(16),
    masks: rngStream(world.seed, 'mask:0'),
    ...(o.deflate ? { deflate: o.deflate } : {}),
    ...(tls
      ? {
          secure: (tcp) =>
            (sockets.client = tls.kit.client(tcp, {
              seed: world.seed,
              stream: 'client:0',
              observer: tls.observer,
            })),
        }
      : {}),
  });
  let server: WsServerConnection | null = null;

  // The script: actions in order, each THINK after the previous one reached its reader.
  type Action =
    | { readonly kind: 'message'; readonly index: number }
    | { readonly kind: 'ping' }
    | { readonly kind: 'close' };
  const actions: Action[] = scenario.messages.map((_, index) => ({ kind: 'message', index }));
  if (scenario.ping) actions.push({ kind: 'ping' });
  actions.push({ kind: 'close' });
  let next = 0;
  const later = (): void => {
    const at = world.now + WS_STORY.thinkNs;
    world.schedule(at, act);
  };
  const act = (): void => {
    const a = actions[next++];
    if (!a || !server) return;
    if (a.kind === 'message') {
      const m = scenario.messages[a.index]!;
      (m.from === 'c' ? client : server).send(m.text, { message: a.index, frag: scenario.frag });
    } else if (a.kind === 'ping') {
      server.ping();
    } else {
      (scenario.close === 'c' ? client : server).close(WS_STORY.closeCode, WS_STORY.closeReason);
    }
  };
  client.hooks = { open: later, message: later };

  world.listen(serverInfo, end.port, (socket) => {
    if (server) return;
    server = new WsServerConnection({
      observer,
      messageIndices: fromClient,
      host: serverInfo,
      // `new WebSocketServer({ port, perMessageDeflate: true })`; ws's default is off (lib/websocket-server.js).
      ...(scenario.deflate && o.deflate ? { deflate: o.deflate } : {}),
    });
    server.hooks = { message: later, pong: later };
    server.attach(
      tls
        ? (sockets.server = tls.kit.server(socket, {
            seed: world.seed,
            stream: 'server:0',
            observer: tls.observer,
          }))
        : socket,
    );
  });
  observer.app({ kind: 'listen', host: serverInfo }, undefined);
  client.open();
  return { client, server: () => server, tls: sockets };
}
