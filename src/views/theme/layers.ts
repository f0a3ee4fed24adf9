/**
 * One colour per layer, defined here and only here.
 *
 * The stack, the unit bar, the inspector tree, the hex dump and the ladder labels all take their colour from
 * `var(--layer-<key>)`, which `layerCssVariables(theme)` sets on the app root. The hues are the Okabe–Ito
 * palette (Okabe & Ito, "Color Universal Design", 2008), chosen to stay distinct under the three common
 * colour-vision deficiencies; neighbours in a frame (Ethernet | IPv4 | TCP | WebSocket) alternate light and
 * dark so they also survive a washed-out projector. Colour is never the only cue: every block, row and chip
 * also prints the layer's name or number.
 */
import type { ProtoLayer } from '../../protocol/fields';
import type { OsiLayer } from '../../sim/types';

export type Theme = 'light' | 'dark';

/** Colour keys: the OSI layers without a protocol header of their own, the protocol layers, and payload data. */
export type LayerKey =
  | 'physical'
  | 'ethernet'
  | 'ipv4'
  | 'tcp'
  | 'session'
  | 'presentation'
  | 'app'
  | 'engineio'
  | 'socketio'
  | 'data';

export interface LayerColour {
  /** Fill for blocks, swatches, highlights. */
  readonly fill: string;
  /** Text drawn on top of `fill` (black or white, whichever contrasts more: WCAG 1.4.3). */
  readonly ink: string;
}

const PALETTE: Readonly<Record<Theme, Readonly<Record<LayerKey, LayerColour>>>> = {
  light: {
    physical: { fill: '#5c5c5c', ink: '#ffffff' },
    ethernet: { fill: '#e69f00', ink: '#000000' },
    ipv4: { fill: '#009e73', ink: '#000000' },
    tcp: { fill: '#0072b2', ink: '#ffffff' },
    session: { fill: '#cc79a7', ink: '#000000' },
    presentation: { fill: '#f0e442', ink: '#000000' },
    app: { fill: '#d55e00', ink: '#000000' },
    engineio: { fill: '#56b4e9', ink: '#000000' },
    socketio: { fill: '#882255', ink: '#ffffff' },
    data: { fill: '#e8e8e8', ink: '#000000' },
  },
  dark: {
    physical: { fill: '#b0b0b0', ink: '#000000' },
    ethernet: { fill: '#e69f00', ink: '#000000' },
    ipv4: { fill: '#009e73', ink: '#000000' },
    tcp: { fill: '#3a9ad9', ink: '#000000' },
    session: { fill: '#cc79a7', ink: '#000000' },
    presentation: { fill: '#f0e442', ink: '#000000' },
    app: { fill: '#ef7a2e', ink: '#000000' },
    engineio: { fill: '#56b4e9', ink: '#000000' },
    socketio: { fill: '#d36b9e', ink: '#000000' },
    data: { fill: '#3a3a3a', ink: '#ffffff' },
  },
};

export function layerColour(key: LayerKey, theme: Theme): LayerColour {
  return PALETTE[theme][key];
}

/** CSS custom properties for the app root: `--layer-tcp`, `--layer-tcp-ink`, … */
export function layerCssVariables(theme: Theme): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, c] of Object.entries(PALETTE[theme])) {
    out[`--layer-${key}`] = c.fill;
    out[`--layer-${key}-ink`] = c.ink;
  }
  return out;
}

/** What the seven OSI layers are called and what they carry (CURRICULUM Q10). */
export interface OsiInfo {
  readonly osi: OsiLayer;
  readonly name: string;
  /** What the unit is called at this layer. */
  readonly unit: string;
  readonly colour: LayerKey;
  /**
   * Whether this layer adds bytes of its own in a WebSocket/TCP/IP/Ethernet stack. Layers 5 and 6 do not
   * (CURRICULUM M6): UTF-8 is an encoding, the session is a state. Layer 1 adds the preamble and the start
   * frame delimiter (IEEE 802.3 §3.2.1–3.2.2).
   */
  readonly addsHeader: boolean;
}

export const OSI_LAYERS: readonly OsiInfo[] = [
  { osi: 7, name: 'Application', unit: 'data', colour: 'app', addsHeader: true },
  { osi: 6, name: 'Presentation', unit: 'data', colour: 'presentation', addsHeader: false },
  { osi: 5, name: 'Session', unit: 'data', colour: 'session', addsHeader: false },
  { osi: 4, name: 'Transport', unit: 'segment', colour: 'tcp', addsHeader: true },
  { osi: 3, name: 'Network', unit: 'packet', colour: 'ipv4', addsHeader: true },
  { osi: 2, name: 'Data link', unit: 'frame', colour: 'ethernet', addsHeader: true },
  { osi: 1, name: 'Physical', unit: 'bits', colour: 'physical', addsHeader: true },
];

export function osiInfo(osi: OsiLayer): OsiInfo {
  return OSI_LAYERS[7 - osi]!;
}

export interface ProtoInfo {
  readonly name: string;
  readonly osi: OsiLayer;
  readonly colour: LayerKey;
}

/** Each protocol layer of `FieldAnnotation.layer`: display name, OSI layer, colour. */
export const PROTO_LAYERS: Readonly<Record<ProtoLayer, ProtoInfo>> = {
  ethernet: { name: 'Ethernet II', osi: 2, colour: 'ethernet' },
  ipv4: { name: 'IPv4', osi: 3, colour: 'ipv4' },
  tcp: { name: 'TCP', osi: 4, colour: 'tcp' },
  http: { name: 'HTTP', osi: 7, colour: 'app' },
  websocket: { name: 'WebSocket', osi: 7, colour: 'app' },
  engineio: { name: 'Engine.IO', osi: 7, colour: 'engineio' },
  socketio: { name: 'Socket.IO', osi: 7, colour: 'socketio' },
  pcap: { name: 'pcap', osi: 1, colour: 'physical' },
};

/** Order of protocol layers from the outside of a frame inwards (the inspector tree's order). */
export const PROTO_ORDER: readonly ProtoLayer[] = [
  'ethernet',
  'ipv4',
  'tcp',
  'http',
  'websocket',
  'engineio',
  'socketio',
];
