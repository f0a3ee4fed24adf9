/**
 * The seven OSI layers as this app teaches them (CURRICULUM Q10): what each is called, what its unit is
 * called, and whether it adds bytes of its own in a WebSocket/TCP/IPv4/Ethernet stack. Pure data, written
 * once: the OSI walk's narration (sim/steps/osi.ts) and the views (views/theme/layers.ts, which adds only
 * colour) both read it.
 */
import type { OsiLayer } from './types';

export interface OsiLayerInfo {
  readonly osi: OsiLayer;
  /** Lower case, as a sentence uses it ("layer 2 (data link)"). */
  readonly name: string;
  /** What the unit is called at this layer. */
  readonly unit: string;
  /**
   * Layers 5 and 6 add no bytes (CURRICULUM M6): UTF-8 is an encoding, the session is a state. Layer 1 adds
   * the preamble and the start frame delimiter (IEEE 802.3 §3.2.1–3.2.2).
   */
  readonly addsHeader: boolean;
}

export const OSI_LAYERS: { readonly [L in OsiLayer]: OsiLayerInfo } = {
  7: { osi: 7, name: 'application', unit: 'data', addsHeader: true },
  6: { osi: 6, name: 'presentation', unit: 'data', addsHeader: false },
  5: { osi: 5, name: 'session', unit: 'data', addsHeader: false },
  4: { osi: 4, name: 'transport', unit: 'segment', addsHeader: true },
  3: { osi: 3, name: 'network', unit: 'packet', addsHeader: true },
  2: { osi: 2, name: 'data link', unit: 'frame', addsHeader: true },
  1: { osi: 1, name: 'physical', unit: 'bits', addsHeader: true },
};

/** Layer 7 first: the order a stack is drawn in and a sender walks. */
export const OSI_TOP_DOWN: readonly OsiLayer[] = [7, 6, 5, 4, 3, 2, 1];
