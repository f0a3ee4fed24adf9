/**
 * A small hand-made Timeline for component and layout tests: eight packets (SYN, SYN-ACK, ACK, the upgrade
 * GET, the 101, a masked "Hello", a lost "Hi!" and its retransmission), 28 steps with a seven-layer walk of
 * "Hello", three chapters, both programs and console lines. Frames come from the real protocol encoders and
 * fields from the real decoders, so the fixture's bytes are as real as the simulator's.
 */
import { decodeEthernet, ethernetFcs, ethernetPadding } from '../../src/protocol/ethernet';
import { shiftFields, type FieldAnnotation } from '../../src/protocol/fields';
import {
  decodeHttpRequest,
  decodeHttpResponse,
  encodeHttpRequest,
  encodeHttpResponse,
  upgradeRequest,
  upgradeResponse,
} from '../../src/protocol/http';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { encodeTcpFrame, linuxTcpIpv4 } from '../../src/protocol/stack';
import { decodeTcp, linuxSynOptions, type TcpFlagName } from '../../src/protocol/tcp';
import { decodeWsFrame, encodeWsFrame } from '../../src/protocol/websocket';
import { utf8 } from '../../src/protocol/bytes';
import { SCENARIO_DEFAULTS } from '../../src/sim/scenario';
import type {
  AppInfo,
  Chapter,
  Comparison,
  HostInfo,
  HostState,
  OsiLayer,
  Packet,
  Step,
  StepKind,
  Timeline,
} from '../../src/sim/types';

export const CLIENT: HostInfo = {
  id: 'client',
  label: 'Browser',
  role: 'client',
  mac: '02:00:00:00:00:0a',
  ip: '192.0.2.10',
};
export const SERVER: HostInfo = {
  id: 'server',
  label: 'Server',
  role: 'server',
  mac: '02:00:00:00:00:14',
  ip: '198.51.100.20',
};

/** RFC 6455 §1.3's example key, so the accept value is the RFC's. */
export const FIXTURE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
export const FIXTURE_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
/** RFC 6455 §5.7's masking key for "Hello". */
export const FIXTURE_MASK = Uint8Array.of(0x37, 0xfa, 0x21, 0x3d);

const CLIENT_PORT = 49152;
const ISN_C = 1000;
const ISN_S = 5000;

interface Spec {
  from: 'client' | 'server';
  seq: number;
  ack: number;
  flags: TcpFlagName[];
  app?: Uint8Array;
  appLayer?: 'http' | 'websocket';
  info?: AppInfo;
  summary: string;
  lost?: boolean;
  retransmissionOf?: number;
  sentAt: number;
}

function makePacket(id: number, s: Spec): Packet {
  const src = s.from === 'client' ? CLIENT : SERVER;
  const dst = s.from === 'client' ? SERVER : CLIENT;
  const payload = s.app ?? new Uint8Array(0);
  const syn = s.flags.includes('SYN');
  const {
    frame,
    ipv4At,
    tcpAt: tcpStart,
    payloadAt: appStart,
  } = encodeTcpFrame(
    { dst: dst.mac, src: src.mac },
    linuxTcpIpv4(src.ip, dst.ip, 0x1c46 + id),
    {
      srcPort: s.from === 'client' ? CLIENT_PORT : 80,
      dstPort: s.from === 'client' ? 80 : CLIENT_PORT,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      window: syn ? 64240 : 502,
      urgent: 0,
      options: syn ? linuxSynOptions(1460, s.sentAt, 0, 7) : [],
    },
    payload,
  );
  const eth = decodeEthernet(frame);
  if (!eth.ok) throw new Error(eth.error.message);
  const ipd = decodeIpv4(eth.payload);
  if (!ipd.ok) throw new Error(ipd.error.message);
  const tcpd = decodeTcp(ipd.payload, { src: src.ip, dst: dst.ip });
  if (!tcpd.ok) throw new Error(tcpd.error.message);
  let fields: FieldAnnotation[] = [
    ...eth.fields,
    ...shiftFields(ipd.fields, ipv4At),
    ...shiftFields(tcpd.fields, tcpStart),
  ];
  const layers: Packet['layers'] = {
    ethernet: { start: 0, end: ipv4At },
    ipv4: { start: ipv4At, end: tcpStart },
    tcp: { start: tcpStart, end: appStart },
    ...(s.appLayer ? { [s.appLayer]: { start: appStart, end: frame.length } } : {}),
  };
  if (s.appLayer === 'http') {
    const d = s.from === 'client' ? decodeHttpRequest(payload) : decodeHttpResponse(payload);
    if (!d.ok) throw new Error(d.error.message);
    fields = [...fields, ...shiftFields(d.fields, appStart)];
  } else if (s.appLayer === 'websocket') {
    const d = decodeWsFrame(payload, { from: s.from });
    if (!d.ok) throw new Error(d.error.message);
    fields = [...fields, ...shiftFields(d.fields, appStart)];
  }
  const isnSelf = s.from === 'client' ? ISN_C : ISN_S;
  const isnPeer = s.from === 'client' ? ISN_S : ISN_C;
  return {
    id,
    wireIndex: id + 1,
    from: s.from,
    to: s.from === 'client' ? 'server' : 'client',
    connection: 0,
    sentAt: s.sentAt,
    arrivesAt: s.sentAt + 5,
    lost: s.lost ?? false,
    ...(s.retransmissionOf !== undefined
      ? { retransmissionOf: s.retransmissionOf, retransmitReason: 'timeout' as const }
      : {}),
    frame,
    fcs: ethernetFcs(frame),
    padding: ethernetPadding(frame.length),
    fields,
    layers,
    tcp: {
      srcPort: s.from === 'client' ? CLIENT_PORT : 80,
      dstPort: s.from === 'client' ? 80 : CLIENT_PORT,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      len: payload.length,
      relSeq: s.seq - isnSelf,
      relAck: s.ack ? s.ack - isnPeer : 0,
    },
    ...(s.info ? { app: s.info } : {}),
    summary: s.summary,
  };
}

const GET = encodeHttpRequest(upgradeRequest({ host: 'server', path: '/chat', key: FIXTURE_KEY }));
const OK101 = encodeHttpResponse(upgradeResponse(FIXTURE_KEY));
const HELLO = encodeWsFrame({
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 1,
  maskKey: FIXTURE_MASK,
  payload: utf8('Hello'),
});
const HI = encodeWsFrame({
  fin: true,
  rsv1: false,
  rsv2: false,
  rsv3: false,
  opcode: 1,
  maskKey: null,
  payload: utf8('Hi!'),
});

const C1 = ISN_C + 1;
const S1 = ISN_S + 1;
const SPECS: Spec[] = [
  {
    from: 'client',
    seq: ISN_C,
    ack: 0,
    flags: ['SYN'],
    summary: '[SYN] Seq=0 Win=64240 Len=0 MSS=1460',
    sentAt: 0,
  },
  {
    from: 'server',
    seq: ISN_S,
    ack: C1,
    flags: ['SYN', 'ACK'],
    summary: '[SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0 MSS=1460',
    sentAt: 5,
  },
  { from: 'client', seq: C1, ack: S1, flags: ['ACK'], summary: '[ACK] Seq=1 Ack=1', sentAt: 10 },
  {
    from: 'client',
    seq: C1,
    ack: S1,
    flags: ['PSH', 'ACK'],
    app: GET,
    appLayer: 'http',
    info: { kind: 'http-request', method: 'GET', target: '/chat', upgrade: true },
    summary: 'GET /chat HTTP/1.1 (Upgrade)',
    sentAt: 11,
  },
  {
    from: 'server',
    seq: S1,
    ack: C1 + GET.length,
    flags: ['PSH', 'ACK'],
    app: OK101,
    appLayer: 'http',
    info: { kind: 'http-response', status: 101, reason: 'Switching Protocols' },
    summary: 'HTTP/1.1 101 Switching Protocols',
    sentAt: 16,
  },
  {
    from: 'client',
    seq: C1 + GET.length,
    ack: S1 + OK101.length,
    flags: ['PSH', 'ACK'],
    app: HELLO,
    appLayer: 'websocket',
    info: { kind: 'ws-frame', opcode: 1, fin: true, masked: true, text: 'Hello' },
    summary: 'WebSocket Text [FIN] [MASKED] "Hello"',
    sentAt: 30,
  },
  {
    from: 'server',
    seq: S1 + OK101.length,
    ack: C1 + GET.length + HELLO.length,
    flags: ['PSH', 'ACK'],
    app: HI,
    appLayer: 'websocket',
    info: { kind: 'ws-frame', opcode: 1, fin: true, masked: false, text: 'Hi!' },
    summary: 'WebSocket Text [FIN] "Hi!"',
    lost: true,
    sentAt: 40,
  },
  {
    from: 'server',
    seq: S1 + OK101.length,
    ack: C1 + GET.length + HELLO.length,
    flags: ['PSH', 'ACK'],
    app: HI,
    appLayer: 'websocket',
    info: { kind: 'ws-frame', opcode: 1, fin: true, masked: false, text: 'Hi!' },
    summary: '[TCP Retransmission] WebSocket Text [FIN] "Hi!"',
    retransmissionOf: 6,
    sentAt: 1040,
  },
];

export const PACKETS: readonly Packet[] = SPECS.map((s, i) => makePacket(i, s));

const tcpView = (
  state: NonNullable<HostState['tcp']>['state'],
  self: number,
  peer: number,
  snd: number,
  rcv: number,
): NonNullable<HostState['tcp']> => ({
  connection: 0,
  state,
  sndNxt: snd,
  relSndNxt: snd - self,
  rcvNxt: rcv,
  relRcvNxt: rcv ? rcv - peer : 0,
});

const C_CLOSED: HostState = {};
const S_LISTEN: HostState = { tcp: tcpView('LISTEN', ISN_S, ISN_C, ISN_S, 0) };
const C_SYN_SENT: HostState = { tcp: tcpView('SYN_SENT', ISN_C, ISN_S, C1, 0), ws: 'CONNECTING' };
const S_SYN_RCVD: HostState = { tcp: tcpView('SYN_RECEIVED', ISN_S, ISN_C, S1, C1) };
const C_EST: HostState = { tcp: tcpView('ESTABLISHED', ISN_C, ISN_S, C1, S1), ws: 'CONNECTING' };
const S_EST: HostState = { tcp: tcpView('ESTABLISHED', ISN_S, ISN_C, S1, C1) };
const C_OPEN: HostState = {
  tcp: tcpView('ESTABLISHED', ISN_C, ISN_S, C1 + GET.length, S1 + OK101.length),
  ws: 'OPEN',
};
const S_OPEN: HostState = {
  tcp: tcpView('ESTABLISHED', ISN_S, ISN_C, S1 + OK101.length, C1 + GET.length),
  ws: 'OPEN',
};

interface StepSpec {
  chapter: string;
  host: Step['host'];
  layer: OsiLayer | null;
  kind: StepKind;
  packet?: number;
  /** The scenario message the step sends (steps of a message's packets get theirs from MESSAGE_OF_PACKET). */
  message?: number;
  client: HostState;
  server: HostState;
  title: string;
  text: string;
  misconception?: string;
  code?: Step['code'];
  console?: Step['console'];
  curriculum?: string[];
}

const LAYER_WORDS: Record<OsiLayer, string> = {
  7: 'The WebSocket frame: 2 header bytes, a 4-byte masking key, and "Hello" masked.',
  6: 'The text is encoded as UTF-8. No header is added here.',
  5: 'The WebSocket session is open. No header is added here.',
  4: 'TCP adds its 20-byte header: ports 49152 → 80, seq and ack.',
  3: 'IPv4 adds its 20-byte header: 192.0.2.10 → 198.51.100.20, TTL 64.',
  2: 'Ethernet adds MAC addresses and, at the end, a 4-byte FCS.',
  1: 'The frame becomes a signal on the cable: bits, least significant first.',
};

const WALK_DOWN: StepSpec[] = ([7, 6, 5, 4, 3, 2, 1] as OsiLayer[]).map((layer) => ({
  chapter: 'ws-data',
  host: 'client',
  layer,
  kind: 'encapsulate',
  packet: 5,
  client: C_OPEN,
  server: S_OPEN,
  title: `Layer ${layer} wraps the message`,
  text: LAYER_WORDS[layer],
  ...(layer === 5
    ? { misconception: 'Not every OSI layer adds a header: layers 5 and 6 add none here.' }
    : {}),
  code: { program: 'client', line: 4 },
}));

const WALK_UP: StepSpec[] = ([1, 2, 3, 4, 5, 6, 7] as OsiLayer[]).map((layer) => ({
  chapter: 'ws-data',
  host: 'server',
  layer,
  kind: 'decapsulate',
  packet: 5,
  client: C_OPEN,
  server: S_OPEN,
  title: `Layer ${layer} unwraps the message`,
  text: `The server's layer ${layer} reads and removes what the client's layer ${layer} added.`,
}));

const STEP_SPECS: StepSpec[] = [
  {
    chapter: 'tcp-handshake',
    host: 'client',
    layer: 7,
    kind: 'app',
    client: C_CLOSED,
    server: S_LISTEN,
    title: 'The page opens a WebSocket',
    text: "new WebSocket('ws://server/chat') first needs a TCP connection to port 80.",
    code: { program: 'client', line: 1 },
  },
  {
    chapter: 'tcp-handshake',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 0,
    client: C_SYN_SENT,
    server: S_LISTEN,
    title: 'SYN: "shall we talk?"',
    text: 'The browser picks a random starting number, 1000, and sends SYN with seq=1000.',
    curriculum: ['Q11'],
  },
  {
    chapter: 'tcp-handshake',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 1,
    client: C_SYN_SENT,
    server: S_SYN_RCVD,
    title: 'SYN-ACK',
    text: 'The server answers with its own starting number 5000 and ack=1001.',
  },
  {
    chapter: 'tcp-handshake',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 2,
    client: C_EST,
    server: S_SYN_RCVD,
    title: 'ACK',
    text: 'The browser acknowledges: seq=1001, ack=5001.',
    misconception: 'The final ACK does not reset the numbers to 0: it carries seq = x+1 and ack = y+1.',
    curriculum: ['Q11', 'M3'],
  },
  {
    chapter: 'tcp-handshake',
    host: 'server',
    layer: 4,
    kind: 'state',
    packet: 2,
    client: C_EST,
    server: S_EST,
    title: 'Both sides ESTABLISHED',
    text: 'The TCP connection is open.',
  },
  {
    chapter: 'ws-upgrade',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 3,
    client: C_EST,
    server: S_EST,
    title: 'GET /chat with Upgrade: websocket',
    text: `The browser asks to switch protocols, with Sec-WebSocket-Key ${FIXTURE_KEY}.`,
    code: { program: 'client', line: 1 },
  },
  {
    chapter: 'ws-upgrade',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 4,
    client: C_EST,
    server: S_OPEN,
    title: '101 Switching Protocols',
    text: `The server proves it understood: Sec-WebSocket-Accept ${FIXTURE_ACCEPT}.`,
    code: { program: 'server', line: 2 },
  },
  {
    chapter: 'ws-upgrade',
    host: 'client',
    layer: 7,
    kind: 'app',
    packet: 4,
    client: C_OPEN,
    server: S_OPEN,
    title: 'onopen',
    text: 'The WebSocket is OPEN on both sides.',
    code: { program: 'client', line: 2 },
    console: [{ host: 'server', text: 'connected' }],
  },
  {
    chapter: 'ws-data',
    host: 'client',
    layer: 7,
    kind: 'app',
    client: C_OPEN,
    server: S_OPEN,
    title: "ws.send('Hello')",
    message: 0,
    text: 'The page sends a text message.',
    code: { program: 'client', line: 3 },
  },
  ...WALK_DOWN,
  {
    chapter: 'ws-data',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 5,
    client: C_OPEN,
    server: S_OPEN,
    title: 'Bits on the wire',
    text: 'The frame crosses the cable.',
  },
  ...WALK_UP,
  {
    chapter: 'ws-data',
    host: 'server',
    layer: 7,
    kind: 'app',
    packet: 5,
    client: C_OPEN,
    server: S_OPEN,
    title: "on('message')",
    text: 'The server logs the message.',
    code: { program: 'server', line: 4 },
    console: [{ host: 'server', text: 'message: Hello' }],
  },
  {
    chapter: 'ws-data',
    host: 'wire',
    layer: 1,
    kind: 'drop',
    packet: 6,
    client: C_OPEN,
    server: S_OPEN,
    title: 'Lost on the wire',
    text: 'The server pushes "Hi!" unasked, but the frame is lost.',
    code: { program: 'server', line: 5 },
  },
  {
    chapter: 'ws-data',
    host: 'wire',
    layer: 1,
    kind: 'transmit',
    packet: 7,
    client: C_OPEN,
    server: S_OPEN,
    title: 'Retransmission',
    text: 'After 1 s without an ACK, TCP sends it again.',
  },
  {
    chapter: 'ws-data',
    host: 'client',
    layer: 7,
    kind: 'app',
    packet: 7,
    client: C_OPEN,
    server: S_OPEN,
    title: 'onmessage',
    text: 'The browser receives "Hi!" without having asked for it.',
    code: { program: 'client', line: 5 },
    console: [{ host: 'client', text: 'Hi!' }],
  },
];

/** "Hello" (message 0) is packet 5; "Hi!" (message 1) is packet 6, lost, and its retransmission 7. */
const MESSAGE_OF_PACKET: Readonly<Record<number, number>> = { 5: 0, 6: 1, 7: 1 };
const messageOf = (s: StepSpec): number | undefined =>
  s.message ?? (s.packet !== undefined ? MESSAGE_OF_PACKET[s.packet] : undefined);

export const STEPS: readonly Step[] = STEP_SPECS.map((s, index) => ({
  index,
  chapter: s.chapter,
  time: s.packet !== undefined ? PACKETS[s.packet]!.sentAt : 0,
  host: s.host,
  layer: s.layer,
  kind: s.kind,
  ...(s.packet !== undefined ? { packet: s.packet } : {}),
  ...(messageOf(s) !== undefined ? { message: messageOf(s) } : {}),
  states: { client: s.client, server: s.server },
  title: s.title,
  text: s.text,
  ...(s.curriculum ? { curriculum: s.curriculum } : {}),
  ...(s.misconception ? { misconception: s.misconception } : {}),
  ...(s.code ? { code: s.code } : {}),
  ...(s.console ? { console: s.console } : {}),
}));

function chapters(steps: readonly Step[]): Chapter[] {
  const titles: Record<string, string> = {
    'tcp-handshake': 'TCP handshake',
    'ws-upgrade': 'WebSocket upgrade',
    'ws-data': 'Messages',
  };
  const out: Chapter[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if (last && last.id === s.chapter) out[out.length - 1] = { ...last, lastStep: s.index };
    else
      out.push({
        id: s.chapter,
        title: titles[s.chapter] ?? s.chapter,
        firstStep: s.index,
        lastStep: s.index,
      });
  }
  return out;
}

export const FIXTURE: Timeline = {
  scenario: SCENARIO_DEFAULTS,
  hosts: [CLIENT, SERVER],
  packets: PACKETS,
  steps: STEPS,
  chapters: chapters(STEPS),
  programs: {
    client: {
      title: 'client.js',
      language: 'javascript',
      lines: [
        "const ws = new WebSocket('ws://server/chat');",
        "ws.onopen = () => console.log('connected');",
        "ws.onopen = () => ws.send('Hello');",
        '// (the browser wraps it layer by layer)',
        'ws.onmessage = (e) => console.log(e.data);',
      ],
    },
    server: {
      title: 'server.js',
      language: 'javascript',
      lines: [
        "const wss = new WebSocketServer({ port: 80, path: '/chat' });",
        "wss.on('connection', (ws) => {",
        "  console.log('connected');",
        "  ws.on('message', (m) => console.log('message: ' + m));",
        "  ws.send('Hi!');",
        '});',
      ],
    },
  },
};

/** Index of the first step of the "Hello" walk (layer 7 on the client). */
export const WALK_START = STEPS.findIndex((s) => s.kind === 'encapsulate');

export const COMPARISON: Comparison = {
  messages: 5,
  series: [
    {
      method: 'short-polling',
      label: 'HTTP short polling (every 1 s)',
      cumulativeBytes: [1450, 2900, 4350, 5800, 7250],
      packets: 40,
      delays: [500, 480, 510, 495, 505],
    },
    {
      method: 'long-polling',
      label: 'HTTP long polling',
      cumulativeBytes: [900, 1800, 2700, 3600, 4500],
      packets: 20,
      delays: [12, 13, 12, 12, 13],
    },
    {
      method: 'websocket',
      label: 'WebSocket',
      cumulativeBytes: [620, 700, 780, 860, 940],
      packets: 12,
      delays: [6, 6, 6, 6, 6],
    },
  ],
};

export const FIXTURE_WITH_COMPARISON: Timeline = { ...FIXTURE, comparison: COMPARISON };
