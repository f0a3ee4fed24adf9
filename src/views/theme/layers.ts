/**
 * One colour per layer, defined here and only here.
 *
 * The stack, the unit bar, the inspector tree, the hex dump and the ladder labels all take their colour from
 * `var(--layer-<key>)`, which `layerCssVariables(theme)` sets on the app root; `layerColour(key)` points an
 * element's `--c` / `--c-ink` (what the components' stylesheets paint with) at one layer's pair. The hues are the Okabe–Ito
 * palette (Okabe & Ito, "Color Universal Design", 2008), chosen to stay distinct under the three common
 * colour-vision deficiencies; neighbours in a frame (Ethernet | IPv4 | TCP | WebSocket) alternate light and
 * dark so they also survive a washed-out projector. Colour is never the only cue: every block, row and chip
 * also prints the layer's name or number.
 */
import type { CSSProperties } from 'react';
import type { ProtoLayer } from '../../protocol/fields';
import { OSI_LAYERS as OSI_TABLE, OSI_TOP_DOWN, type OsiLayerInfo } from '../../sim/osiLayers';
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

/** A hue that reads the same on a light and a dark page. */
function bothThemes(colour: LayerColour): Readonly<Record<Theme, LayerColour>> {
  return { light: colour, dark: colour };
}

const PALETTE: Readonly<Record<LayerKey, Readonly<Record<Theme, LayerColour>>>> = {
  physical: { light: { fill: '#5c5c5c', ink: '#ffffff' }, dark: { fill: '#b0b0b0', ink: '#000000' } },
  ethernet: bothThemes({ fill: '#e69f00', ink: '#000000' }),
  ipv4: bothThemes({ fill: '#009e73', ink: '#000000' }),
  tcp: { light: { fill: '#0072b2', ink: '#ffffff' }, dark: { fill: '#3a9ad9', ink: '#000000' } },
  session: bothThemes({ fill: '#cc79a7', ink: '#000000' }),
  presentation: bothThemes({ fill: '#f0e442', ink: '#000000' }),
  app: { light: { fill: '#d55e00', ink: '#000000' }, dark: { fill: '#ef7a2e', ink: '#000000' } },
  engineio: bothThemes({ fill: '#56b4e9', ink: '#000000' }),
  socketio: { light: { fill: '#882255', ink: '#ffffff' }, dark: { fill: '#d36b9e', ink: '#000000' } },
  data: { light: { fill: '#e8e8e8', ink: '#000000' }, dark: { fill: '#3a3a3a', ink: '#ffffff' } },
};

/** CSS custom properties for the app root: `--layer-tcp`, `--layer-tcp-ink`, … */
export function layerCssVariables(theme: Theme): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, colours] of Object.entries(PALETTE)) {
    out[`--layer-${key}`] = colours[theme].fill;
    out[`--layer-${key}-ink`] = colours[theme].ink;
  }
  return out;
}

const LAYER_COLOUR = new Map<LayerKey, CSSProperties>();

/**
 * The style for an element drawn in one layer's colour: `--c` and `--c-ink` set to `var(--layer-<key>)` and
 * `var(--layer-<key>-ink)`, so they follow the theme. One object per key, so memoised rows stay equal. The
 * element also wears the class `colour-<key>`, for tests and for a stylesheet that singles a layer out.
 */
export function layerColour(key: LayerKey): CSSProperties {
  let style = LAYER_COLOUR.get(key);
  if (!style) {
    style = Object.freeze({
      '--c': `var(--layer-${key})`,
      '--c-ink': `var(--layer-${key}-ink)`,
    } as CSSProperties);
    LAYER_COLOUR.set(key, style);
  }
  return style;
}

/** An OSI layer as the stack draws it: the one table of names and units (sim/osiLayers.ts), plus colour. */
export interface OsiInfo extends OsiLayerInfo {
  readonly colour: LayerKey;
}

const OSI_COLOURS: Readonly<Record<OsiLayer, LayerKey>> = {
  7: 'app',
  6: 'presentation',
  5: 'session',
  4: 'tcp',
  3: 'ipv4',
  2: 'ethernet',
  1: 'physical',
};

/** Layer 7 first, names capitalised as row labels ("Data link"). */
export const OSI_LAYERS: readonly OsiInfo[] = OSI_TOP_DOWN.map((osi) => {
  const info = OSI_TABLE[osi];
  return { ...info, name: info.name[0]!.toUpperCase() + info.name.slice(1), colour: OSI_COLOURS[osi] };
});

export interface ProtoInfo {
  readonly name: string;
  readonly osi: OsiLayer;
  readonly colour: LayerKey;
}

/** Each protocol layer of `FieldAnnotation.layer`: display name, OSI layer, colour. */
export const PROTO_LAYERS: Readonly<Record<ProtoLayer, ProtoInfo>> = {
  ethernet: { name: 'Ethernet II', osi: 2, colour: 'ethernet' },
  // Captures opened by the user (src/capture/links.ts): other link headers in the link layer's colour, IPv6 in IP's.
  sll: { name: 'Linux cooked capture', osi: 2, colour: 'ethernet' },
  loopback: { name: 'Loopback', osi: 2, colour: 'ethernet' },
  ipv4: { name: 'IPv4', osi: 3, colour: 'ipv4' },
  ipv6: { name: 'IPv6', osi: 3, colour: 'ipv4' },
  tcp: { name: 'TCP', osi: 4, colour: 'tcp' },
  // Between TCP and HTTP: its handshake is session-like (layer 5), its encryption presentation-like (6).
  tls: { name: 'TLS', osi: 6, colour: 'presentation' },
  http: { name: 'HTTP', osi: 7, colour: 'app' },
  websocket: { name: 'WebSocket', osi: 7, colour: 'app' },
  engineio: { name: 'Engine.IO', osi: 7, colour: 'engineio' },
  socketio: { name: 'Socket.IO', osi: 7, colour: 'socketio' },
  pcap: { name: 'pcap', osi: 1, colour: 'physical' },
};

/** Order of protocol layers from the outside of a frame inwards (the inspector tree's order). */
export const PROTO_ORDER: readonly ProtoLayer[] = [
  'ethernet',
  'sll',
  'loopback',
  'ipv4',
  'ipv6',
  'tcp',
  'tls',
  'http',
  'websocket',
  'engineio',
  'socketio',
];
