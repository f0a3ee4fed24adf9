/**
 * A scenario: the small, link-sized description from which the whole timeline is computed.
 * It is plain data; `src/lesson/link.ts` parses and serialises it.
 */

export type Side = 'c' | 's';

export interface ScenarioMessage {
  /** `c`: the client sends it; `s`: the server pushes it unasked. */
  readonly from: Side;
  readonly text: string;
}

/** Which story the simulator tells. Lessons pick one and tune its knobs. */
export type Story = 'websocket' | 'socketio' | 'compare';

export type EmitKind = 'socket' | 'broadcast' | 'io' | 'room';
/** Who talks to the Socket.IO server: socket.io-client (`io()`), or a plain browser `WebSocket` (CURRICULUM Q9). */
export type SioClientKind = 'io' | 'ws';
export type Transport = 'websocket' | 'polling';

/** Which packets get the seven-layer walk down the client and up the server. */
export type WalkMode = 'default' | 'all' | 'none';

export interface Scenario {
  /** Built-in lesson id (see src/lesson/catalogue.ts). */
  readonly lesson: string;
  readonly story: Story;
  readonly messages: readonly ScenarioMessage[];
  /** uint32; drives ISNs, the ephemeral port, Sec-WebSocket-Key, masking keys, sids. */
  readonly seed: number;
  /** TCP maximum segment size in bytes. */
  readonly mss: number;
  /** WebSocket messages longer than this are fragmented; null: never. */
  readonly frag: number | null;
  /** 1-based indices, in sending order, of packets lost once on the wire. */
  readonly loss: readonly number[];
  /** Who starts the close handshake. */
  readonly close: Side;
  readonly walk: WalkMode;
  /** Include the ping/pong exchange (the `websocket` lesson does). */
  readonly ping: boolean;
  // Socket.IO knobs (story 'socketio' and 'compare').
  /** Event name for `m=` messages in Socket.IO lessons. */
  readonly event: string;
  readonly clients: number;
  readonly emit: EmitKind;
  /** Step at which the network drops (reconnection); null: never. */
  readonly drop: number | null;
  readonly transport: Transport;
  /** Short-polling interval in ms (comparison lesson). */
  readonly interval: number;
  /**
   * wss:// (and https:// for Socket.IO's polling): TLS 1.3 between TCP and HTTP, port 443. Absent means
   * false, so that every scenario without TLS is the same data (and the same pinned digests) as before it.
   */
  readonly tls?: boolean;
  /**
   * The `ws` server is created with `perMessageDeflate: true` (ws's option; its default is off), so it accepts
   * Chrome's permessage-deflate offer (RFC 7692) and messages travel compressed. Absent means false, like tls.
   */
  readonly deflate?: boolean;
  /**
   * Step after which Browser 1's own network goes down (its Wi-Fi drops): unlike `drop`, the browser knows and
   * fires `offline`. Socket.IO lessons only. Absent means null (never), like tls.
   */
  readonly offline?: number | null;
  /**
   * Routers between the browsers and the server, 0 to LIMITS.maxHops (sim/engine/router.ts). Absent means
   * DEFAULT_HOPS (1): the reference capture's path, one Linux router.
   */
  readonly hops?: number;
  /**
   * The Socket.IO lessons' page: `io` (socket.io-client, the default) or `ws`, a plain browser WebSocket opened
   * to the Socket.IO server's /socket.io/ URL, which cannot talk to it (CURRICULUM Q9). Absent means `io`, like tls.
   */
  readonly client?: SioClientKind;
}

/** Routers on the path when a scenario says nothing: one, as the reference capture (sim/engine/router.ts). */
export const DEFAULT_HOPS = 1;

export const DEFAULT_SEED = 20111211; // RFC 6455 was published in December 2011.

export const SCENARIO_DEFAULTS: Scenario = {
  lesson: 'websocket',
  story: 'websocket',
  messages: [
    { from: 'c', text: 'Hello' },
    { from: 's', text: 'Hi!' },
  ],
  seed: DEFAULT_SEED,
  mss: 1460,
  frag: null,
  loss: [],
  close: 'c',
  walk: 'default',
  ping: true,
  event: 'chat message',
  clients: 1,
  emit: 'socket',
  drop: null,
  transport: 'websocket',
  interval: 1000,
};

/** Limits the link parser enforces (and the simulator relies on). */
export const LIMITS = {
  /** Total bytes of message text in one scenario. */
  maxMessageBytes: 4 * 1024 * 1024,
  maxMessages: 5000,
  minMss: 64,
  maxMss: 9000,
  minFrag: 1,
  maxLoss: 64,
  maxClients: 5,
  minInterval: 50,
  maxInterval: 60000,
  maxHops: 4,
} as const;
