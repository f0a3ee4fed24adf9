/**
 * Pure geometry and content for the two OSI stacks and the unit that travels between them.
 *
 * The unit is cut from the packet's own bytes: every byte of `packet.frame` belongs to the innermost
 * protocol layer whose range (`packet.layers`) covers it, bytes no header covers are application data,
 * and the Ethernet padding and FCS trailer follow. So the blocks on screen always add up to the frame.
 */
import type { ProtoLayer } from '../../protocol/fields';
import type { HostId, HostInfo, HostState, OsiLayer, Packet, Step, Timeline } from '../../sim/types';
import { OSI_LAYERS, PROTO_LAYERS, PROTO_ORDER, type LayerKey } from '../theme/layers';

/** FCS length: IEEE 802.3 §3.2.9, a 32-bit CRC. */
export const FCS_BYTES = 4;

export interface UnitBlock {
  /** Stable key: `ethernet`, `ipv4`, `tcp`, `websocket`, `data`, `padding`, `fcs` (+ `-2` … when a layer recurs). */
  readonly id: string;
  readonly colour: LayerKey;
  readonly osi: OsiLayer;
  /** Short name printed on the block. */
  readonly name: string;
  /** Byte range in the frame; padding and FCS sit after `frame.length`. */
  readonly start: number;
  readonly end: number;
  /** Something to print beside the name: the message text of a data block. */
  readonly detail?: string;
  /** Padding or FCS: added by the network card, not captured in `frame`. */
  readonly trailer: boolean;
}

const BLOCK_NAMES: Readonly<Record<ProtoLayer, string>> = {
  ethernet: 'Ethernet',
  ipv4: 'IPv4',
  tcp: 'TCP',
  http: 'HTTP',
  websocket: 'WebSocket',
  engineio: 'Engine.IO',
  socketio: 'Socket.IO',
  pcap: 'pcap',
};

function dataDetail(packet: Packet): string | undefined {
  const app = packet.app;
  if (!app) return undefined;
  if (app.kind === 'ws-frame') return app.text;
  if (app.kind === 'http-request') return `${app.method} ${app.target}`;
  if (app.kind === 'http-response') return `${app.status} ${app.reason}`;
  if (app.kind === 'engineio') return app.packets.join(' ');
  return undefined;
}

/** Field keys whose bytes are the payload a header carries (websocket.ts `payload`, http.ts `body`). */
const DATA_FIELDS: ReadonlySet<string> = new Set(['payload', 'body']);

const blockCache = new WeakMap<Packet, readonly UnitBlock[]>();

/** Every block of a packet, outermost header first, trailer last. */
export function frameBlocks(packet: Packet): readonly UnitBlock[] {
  const cached = blockCache.get(packet);
  if (cached) return cached;
  const length = packet.frame.length;
  // Paint outer layers first; inner layers (a Socket.IO packet inside a WebSocket frame) paint over them.
  const owner = new Int8Array(length).fill(-1);
  PROTO_ORDER.forEach((layer, index) => {
    const range = packet.layers[layer];
    if (!range) return;
    owner.fill(index, Math.max(0, range.start), Math.min(length, range.end));
    // What a WebSocket frame or HTTP message carries is data, not header: the classic encapsulation picture.
    for (const f of packet.fields) {
      if (f.layer === layer && DATA_FIELDS.has(f.key))
        owner.fill(-1, Math.max(0, f.start), Math.min(length, f.end));
    }
  });
  const blocks: UnitBlock[] = [];
  const seen = new Map<string, number>();
  let runStart = 0;
  for (let i = 1; i <= length; i++) {
    if (i < length && owner[i] === owner[runStart]) continue;
    const index = owner[runStart]!;
    const layer = index >= 0 ? PROTO_ORDER[index]! : null;
    const base = layer ?? 'data';
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}-${n}`;
    if (layer) {
      const info = PROTO_LAYERS[layer];
      blocks.push({
        id,
        colour: info.colour,
        osi: info.osi,
        name: BLOCK_NAMES[layer],
        start: runStart,
        end: i,
        trailer: false,
      });
    } else {
      const detail = dataDetail(packet);
      blocks.push({
        id,
        colour: 'data',
        osi: 7,
        name: 'data',
        start: runStart,
        end: i,
        trailer: false,
        ...(detail !== undefined ? { detail } : {}),
      });
    }
    runStart = i;
  }
  if (packet.padding > 0) {
    blocks.push({
      id: 'padding',
      colour: 'ethernet',
      osi: 2,
      name: 'padding',
      start: length,
      end: length + packet.padding,
      trailer: true,
    });
  }
  const fcsStart = length + packet.padding;
  blocks.push({
    id: 'fcs',
    colour: 'ethernet',
    osi: 2,
    name: 'FCS',
    start: fcsStart,
    end: fcsStart + FCS_BYTES,
    trailer: true,
  });
  blockCache.set(packet, blocks);
  return blocks;
}

export type BlockState = 'present' | 'adding' | 'removing';

/**
 * IEEE 802.3 §3.2.1–3.2.2: on the cable the frame is preceded by 7 preamble bytes (0x55) and the start
 * frame delimiter (0xD5). Layer 1 adds them and the receiver's layer 1 strips them; no capture shows them.
 */
export const PREAMBLE_BYTES = 8;
export const PREAMBLE_BLOCK: UnitBlock = {
  id: 'preamble',
  colour: 'physical',
  osi: 1,
  name: 'preamble',
  start: -PREAMBLE_BYTES,
  end: 0,
  trailer: false,
};

/** Every block the packet ever has on screen, the preamble included: what the unit bar lays out. */
export function unitBlocks(packet: Packet): readonly UnitBlock[] {
  return [PREAMBLE_BLOCK, ...frameBlocks(packet)];
}

export interface UnitView {
  readonly packet: Packet;
  /** Where the unit is: at its sender, on the wire, or at its receiver. */
  readonly at: 'sender' | 'wire' | 'receiver';
  readonly blocks: readonly (UnitBlock & { readonly state: BlockState })[];
  /** At layer 1 and on the wire the unit is a stream of bits. */
  readonly bits: boolean;
  readonly lost: boolean;
  /** Whether this step is part of a seven-layer walk (encapsulate/decapsulate), not a plain transmit. */
  readonly walking: boolean;
}

/**
 * Which blocks of the step's packet exist at this step: going down the sender each layer adds its header
 * (so at layer L the blocks of layers ≥ L exist), going up the receiver each layer reads and removes its own.
 * Layers 5 and 6 add nothing (CURRICULUM M6), so the unit does not change there.
 */
export function unitAt(timeline: Timeline, step: Step | undefined): UnitView | null {
  if (!step || step.packet === undefined) return null;
  const packet = timeline.packets[step.packet];
  if (!packet) return null;
  const all = unitBlocks(packet);
  const layer = step.layer ?? 7;
  const at: UnitView['at'] =
    step.host === 'wire'
      ? 'wire'
      : step.host === packet.from
        ? 'sender'
        : step.host === packet.to
          ? 'receiver'
          : 'wire';
  switch (step.kind) {
    case 'encapsulate':
      return {
        packet,
        at,
        blocks: all
          .filter((b) => b.osi >= layer)
          .map((b) => ({
            ...b,
            // The data is what the application handed down; the layer adds only its header around it.
            state: b.osi === layer && b.colour !== 'data' ? ('adding' as const) : ('present' as const),
          })),
        bits: layer === 1,
        lost: false,
        walking: true,
      };
    case 'decapsulate':
      return {
        packet,
        at,
        blocks: all
          .filter((b) => b.osi >= layer)
          .map((b) => ({
            ...b,
            state: b.osi === layer && b.colour !== 'data' ? ('removing' as const) : ('present' as const),
          })),
        bits: layer === 1,
        lost: false,
        walking: true,
      };
    case 'app':
      return {
        packet,
        at,
        blocks: all.filter((b) => b.osi === 7).map((b) => ({ ...b, state: 'present' as const })),
        bits: false,
        lost: false,
        walking: false,
      };
    case 'transmit':
    case 'drop':
    case 'receive':
    case 'state':
      return {
        packet,
        at,
        blocks: (step.kind === 'state' ? all.filter((b) => b.osi > 1) : all).map((b) => ({
          ...b,
          state: 'present' as const,
        })),
        bits: step.kind !== 'state',
        lost: step.kind === 'drop',
        walking: false,
      };
  }
}

export interface PlacedBlock {
  readonly id: string;
  readonly x: number;
  readonly width: number;
}

/**
 * Block widths for the unit bar: every block gets `minWidth` (room for its name), the rest of `width` is
 * shared by the square root of the byte counts, so a 4-byte FCS and a 1400-byte payload both stay readable
 * while bigger blocks still look bigger. Returns x positions from 0.
 */
export function unitBarLayout(
  blocks: readonly { readonly id: string; readonly start: number; readonly end: number }[],
  width: number,
  minWidth: number,
): PlacedBlock[] {
  if (blocks.length === 0) return [];
  const floor = Math.min(minWidth, width / blocks.length);
  const spare = Math.max(0, width - floor * blocks.length);
  const weights = blocks.map((b) => Math.sqrt(Math.max(0, b.end - b.start)));
  const total = weights.reduce((a, b) => a + b, 0);
  let x = 0;
  return blocks.map((b, i) => {
    const w = floor + (total > 0 ? (spare * weights[i]!) / total : spare / blocks.length);
    const placed = { id: b.id, x, width: w };
    x += w;
    return placed;
  });
}

export interface StackRow {
  readonly osi: OsiLayer;
  readonly name: string;
  readonly unit: string;
  /** The real protocol at work at this layer on this host, e.g. `TCP :80`. */
  readonly protocol: string;
  /** Longer form for a tooltip: addresses included. */
  readonly detail: string;
  readonly colour: LayerKey;
  readonly addsHeader: boolean;
  /** The current step happens at this layer of this host. */
  readonly active: boolean;
  /** Direction of travel through this host at the current step. */
  readonly direction: 'down' | 'up' | null;
  /** Layers the current unit has already passed on this host (the trail of the walk). */
  readonly passed: boolean;
}

function appProtocol(timeline: Timeline, step: Step | undefined, host: HostId): string {
  const story = timeline.scenario.story;
  const packet = step?.packet !== undefined ? timeline.packets[step.packet] : undefined;
  const app = packet?.app;
  if (app?.kind === 'http-request' || app?.kind === 'http-response') return 'HTTP';
  if (app?.kind === 'engineio')
    return app.transport === 'polling' ? 'Socket.IO over HTTP' : 'Socket.IO over WebSocket';
  if (app?.kind === 'ws-frame') return story === 'socketio' ? 'Socket.IO over WebSocket' : 'WebSocket';
  const ws = step?.states[host]?.ws;
  if (story === 'socketio') return 'Socket.IO';
  return ws === 'OPEN' || ws === 'CLOSING' ? 'WebSocket' : 'HTTP, then WebSocket';
}

function tcpPort(timeline: Timeline, host: HostInfo): number | undefined {
  for (const p of timeline.packets) {
    if (p.from === host.id) return p.tcp.srcPort;
    if (p.to === host.id) return p.tcp.dstPort;
  }
  return undefined;
}

/** The seven rows of one host's stack at a step, layer 7 first. */
export function stackRows(timeline: Timeline, step: Step | undefined, host: HostInfo): StackRow[] {
  const port = tcpPort(timeline, host);
  const socketio = timeline.scenario.story === 'socketio';
  const protocols: Readonly<Record<OsiLayer, string>> = {
    7: appProtocol(timeline, step, host.id),
    6: socketio ? 'UTF-8 JSON' : 'UTF-8',
    5: socketio ? 'Engine.IO session' : 'session',
    4: port !== undefined ? `TCP :${port}` : 'TCP',
    3: `IPv4 ${host.ip}`,
    2: 'Ethernet II',
    1: 'signal',
  };
  const here = step?.host === host.id && step.layer !== null ? step.layer : null;
  const direction: StackRow['direction'] =
    here === null
      ? null
      : step?.kind === 'encapsulate'
        ? 'down'
        : step?.kind === 'decapsulate' || step?.kind === 'receive'
          ? 'up'
          : null;
  return OSI_LAYERS.map((info) => ({
    osi: info.osi,
    name: info.name,
    unit: info.unit,
    protocol: protocols[info.osi],
    detail:
      info.osi === 2
        ? `Ethernet II, MAC address ${host.mac}`
        : info.osi === 4 && port !== undefined
          ? `TCP, port ${port}`
          : info.osi === 6
            ? 'UTF-8 encoding of the text; no header of its own'
            : info.osi === 5
              ? `the ${socketio ? 'Engine.IO' : 'WebSocket'} session; no header of its own`
              : protocols[info.osi],
    colour: info.colour,
    addsHeader: info.addsHeader,
    active: here === info.osi,
    direction: here === info.osi ? direction : null,
    passed:
      here !== null && ((direction === 'down' && info.osi > here) || (direction === 'up' && info.osi < here)),
  }));
}

export interface Badge {
  /** What the badge is about: `TCP`, `WebSocket`, `Socket.IO`. */
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
  /** A longer spoken/hover text. */
  readonly title: string;
}

/** Status badges for a host: TCP state with seq/ack, WebSocket readyState, Socket.IO connection. */
export function hostBadges(state: HostState | undefined): Badge[] {
  const out: Badge[] = [];
  const tcp = state?.tcp;
  if (tcp) {
    const numbers =
      tcp.state === 'CLOSED' || tcp.state === 'LISTEN'
        ? undefined
        : `next seq ${tcp.relSndNxt}, ack ${tcp.relRcvNxt}`;
    out.push({
      label: 'TCP',
      value: tcp.state,
      ...(numbers ? { detail: numbers } : {}),
      title:
        `TCP ${tcp.state}` +
        (numbers
          ? `: next sequence number to send ${tcp.sndNxt} (relative ${tcp.relSndNxt}), ` +
            `next expected from the peer ${tcp.rcvNxt} (relative ${tcp.relRcvNxt})`
          : ''),
    });
  } else {
    out.push({ label: 'TCP', value: 'no connection', title: 'No TCP connection yet' });
  }
  if (state?.ws) out.push({ label: 'WebSocket', value: state.ws, title: `WebSocket readyState ${state.ws}` });
  const sio = state?.sio;
  if (sio) {
    const value = sio.connected ? 'connected' : 'disconnected';
    out.push({
      label: 'Socket.IO',
      value,
      ...(sio.sid ? { detail: `sid ${sio.sid}` } : {}),
      title:
        `Socket.IO ${value}` +
        (sio.sid ? `, session id ${sio.sid}` : '') +
        (sio.transport ? `, transport ${sio.transport}` : '') +
        (sio.rooms && sio.rooms.length ? `, rooms ${sio.rooms.join(', ')}` : ''),
    });
  }
  return out;
}

/**
 * Which hosts stand left and right: the server on the right, and on the left the client the current step
 * concerns (multi-client lessons), else the first client.
 */
export function stageHosts(
  timeline: Timeline,
  step: Step | undefined,
): { left?: HostInfo; right?: HostInfo } {
  const server = timeline.hosts.find((h) => h.role === 'server');
  const clients = timeline.hosts.filter((h) => h.role === 'client');
  const packet = step?.packet !== undefined ? timeline.packets[step.packet] : undefined;
  const involved = [step?.host, packet?.from, packet?.to];
  const left = clients.find((c) => involved.includes(c.id)) ?? clients[0];
  return { ...(left ? { left } : {}), ...(server ? { right: server } : {}) };
}

const LAYER_NAMES: Readonly<Record<OsiLayer, string>> = {
  7: 'application',
  6: 'presentation',
  5: 'session',
  4: 'transport',
  3: 'network',
  2: 'data link',
  1: 'physical',
};

/**
 * One line saying what this step did to the unit, e.g. `+ TCP header: 20 bytes, added by layer 4 (transport)`.
 * Null when the unit is bits (the signal says it) or nothing is being wrapped or unwrapped.
 */
export function unitChange(unit: UnitView | null, step: Step | undefined): string | null {
  if (!unit || !step || !unit.walking || step.layer === null || step.layer === 1) return null;
  const layer = step.layer;
  const who = `layer ${layer} (${LAYER_NAMES[layer]})`;
  const changed = unit.blocks.filter((b) => b.state !== 'present');
  const bytes = changed.reduce((n, b) => n + (b.end - b.start), 0);
  const names = changed.map((b) => (b.trailer ? b.name : `${b.name} header`)).join(' + ');
  if (unit.blocks.length === 0) return `${who}: no application data, this segment is TCP's own`;
  if (step.kind === 'encapsulate') {
    if (changed.length === 0) return `${who} adds no header: the unit stays ${total(unit)} bytes`;
    return `+ ${names}: ${bytes} bytes, added by ${who}`;
  }
  if (changed.length === 0) return `${who} removes nothing: no header of its own`;
  return `− ${names}: ${bytes} bytes, removed by ${who}`;
}

function total(unit: UnitView): number {
  return unit.blocks.reduce((n, b) => n + (b.end - b.start), 0);
}
