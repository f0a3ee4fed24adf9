/**
 * The wire unit: what the packet is at each step of its walk. The blocks are cut from the packet's own bytes
 * (every byte of `packet.frame` belongs to the innermost protocol layer whose range, `packet.layers`, covers
 * it; bytes no header covers are application data; the Ethernet padding and FCS trailer follow), so the
 * blocks on screen always add up to the frame. Going down the sender each layer adds its header, going up
 * the receiver each removes its own; `unitChange` says so in words.
 */
import { FCS_LENGTH } from '../../protocol/ethernet';
import type { ProtoLayer } from '../../protocol/fields';
import { stepLinkFrame } from '../../state/derive';
import { OSI_LAYERS as OSI_TABLE } from '../../sim/osiLayers';
import type { HostId, LinkFrame, OsiLayer, Packet, Step, Timeline } from '../../sim/types';
import { linkFrameParts } from '../hex/linkFrame';
import { PROTO_LAYERS, PROTO_ORDER, type LayerKey } from '../theme/layers';

/**
 * What a unit is cut from: a packet, or an ARP frame read back as fields (hex/linkFrame.ts). `from` and `to`
 * say which way it travels.
 */
export type UnitFrame = Pick<Packet, 'frame' | 'fields' | 'layers' | 'padding' | 'fcs' | 'from' | 'to'> & {
  readonly app?: Packet['app'];
  readonly captured?: Packet['captured'];
  /** Its number on the wire (an ARP frame off the browsers' LAN has none). */
  readonly wireIndex?: number;
};

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
  sll: 'Linux cooked',
  loopback: 'Loopback',
  arp: 'ARP',
  ipv4: 'IPv4',
  ipv6: 'IPv6',
  tcp: 'TCP',
  tls: 'TLS',
  http: 'HTTP',
  websocket: 'WebSocket',
  engineio: 'Engine.IO',
  socketio: 'Socket.IO',
  pcap: 'pcap',
};

function dataDetail(packet: UnitFrame): string | undefined {
  const app = packet.app;
  if (!app) return undefined;
  if (app.kind === 'ws-frame') return app.text;
  if (app.kind === 'http-request') return `${app.method} ${app.target}`;
  if (app.kind === 'http-response') return `${app.status} ${app.reason}`;
  if (app.kind === 'http-chunk') return app.text;
  if (app.kind === 'engineio') return app.packets.join(' ');
  return undefined;
}

/** Field keys whose bytes are the payload a header carries (websocket.ts `payload`, http.ts `body`). */
const DATA_FIELDS: ReadonlySet<string> = new Set(['payload', 'body']);

const blockCache = new WeakMap<UnitFrame, readonly UnitBlock[]>();

/** Every block of a packet, outermost header first, trailer last. */
export function frameBlocks(packet: UnitFrame): readonly UnitBlock[] {
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
  if (packet.captured) {
    // A capture file holds neither the padding nor the FCS: the unit is the record as captured.
    blockCache.set(packet, blocks);
    return blocks;
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
    end: fcsStart + FCS_LENGTH,
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
export function unitBlocks(packet: UnitFrame): readonly UnitBlock[] {
  // A capture starts at layer 2: the preamble was never recorded (src/capture/walk.ts says so at layer 1).
  return packet.captured ? frameBlocks(packet) : [PREAMBLE_BLOCK, ...frameBlocks(packet)];
}

export interface UnitView {
  readonly packet: UnitFrame;
  /** The ARP frame the unit is, on a step about one (`Step.link`); `packet` is then that frame's bytes. */
  readonly link?: LinkFrame;
  /** Where the unit is: at its sender, on the wire, or at its receiver. */
  readonly at: 'sender' | 'wire' | 'receiver';
  readonly blocks: readonly (UnitBlock & { readonly state: BlockState })[];
  /** At layer 1 and on the wire the unit is a stream of bits. */
  readonly bits: boolean;
  readonly lost: boolean;
  /** Whether this step is part of a seven-layer walk (encapsulate/decapsulate), not a plain transmit. */
  readonly walking: boolean;
  /** The packet never left its sender (`Packet.unresolved`: ARP got no answer); it stays there, crossed out. */
  readonly unsent?: boolean;
}

/**
 * Which blocks of the step's packet exist at this step: going down the sender each layer adds its header
 * (so at layer L the blocks of layers ≥ L exist), going up the receiver each layer reads and removes its own.
 * Layers 5 and 6 add nothing (CURRICULUM M6), so the unit does not change there.
 */
export function unitAt(timeline: Timeline, step: Step | undefined): UnitView | null {
  const link = stepLinkFrame(timeline, step);
  if (step?.link && link) return linkUnit(timeline, step.link, link, step);
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
    case 'decapsulate': {
      const changing: BlockState = step.kind === 'encapsulate' ? 'adding' : 'removing';
      return {
        packet,
        at,
        blocks: all
          .filter((b) => b.osi >= layer)
          .map((b) => ({
            ...b,
            // The data is what the application handed down; a layer adds or removes only its header around it.
            state: b.osi === layer && b.colour !== 'data' ? changing : ('present' as const),
          })),
        bits: layer === 1,
        lost: false,
        walking: true,
      };
    }
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
      if (packet.unresolved) {
        // Never on the wire: the frame as its sender's layer 2 built it, dropped there (no signal).
        return {
          packet,
          at: 'sender',
          blocks: all.filter((b) => b.osi > 1).map((b) => ({ ...b, state: 'present' as const })),
          bits: false,
          lost: true,
          walking: false,
          unsent: true,
        };
      }
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

const linkUnits = new WeakMap<LinkFrame, UnitFrame>();

/**
 * An ARP frame crossing its segment: every block at once, as bits (the card sends it whole; no layer walk).
 * It travels the way of the packet that waits for it when its sender is that packet's sender on the segment
 * (the request), and back when it is the answer (the reply), so the bar moves between the right stacks.
 */
function linkUnit(timeline: Timeline, at: NonNullable<Step['link']>, link: LinkFrame, step: Step): UnitView {
  let source = linkUnits.get(link);
  if (!source) {
    const waiting = timeline.packets[at.packet];
    const sender = at.hop === null ? waiting?.from : waiting?.hops?.[at.hop]?.at;
    const along = !waiting || link.from === sender;
    const from: HostId = waiting ? (along ? waiting.from : waiting.to) : link.from;
    const to: HostId = waiting ? (along ? waiting.to : waiting.from) : link.to;
    source = {
      ...linkFrameParts(link),
      from,
      to,
      ...(link.wireIndex !== undefined ? { wireIndex: link.wireIndex } : {}),
    };
    linkUnits.set(link, source);
  }
  return {
    packet: source,
    link,
    at: 'wire',
    blocks: unitBlocks(source).map((b) => ({ ...b, state: 'present' as const })),
    bits: true,
    lost: step.kind === 'drop' || link.lost === true,
    walking: false,
  };
}

/**
 * One line saying what this step did to the unit, e.g. `+ TCP header: 20 bytes, added by layer 4 (transport)`.
 * Null when the unit is bits (the signal says it) or nothing is being wrapped or unwrapped.
 */
export function unitChange(unit: UnitView | null, step: Step | undefined): string | null {
  if (!unit || !step || !unit.walking || step.layer === null || step.layer === 1) return null;
  const layer = step.layer;
  const who = `layer ${layer} (${OSI_TABLE[layer].name})`;
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
