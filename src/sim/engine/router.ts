/**
 * The path between the browsers and the server: 0 to 4 IPv4 routers in a line, as the reference capture's
 * Linux router (/work/shared/reference/routed/capture.sh):
 *
 *     browser 192.0.2.10 (…:0a) --- 192.0.2.1 (…:01) router-1 198.51.100.1 (…:02) --- 198.51.100.20 (…:14) server
 *
 * - hops=0: no router; browser and server share one LAN, 192.0.2.0/24 (the server is 192.0.2.20).
 * - hops=1: the reference's picture above.
 * - hops=2..4: routers k and k+1 are joined by a transit /30 carved out of 203.0.113.0/24 (TEST-NET-3,
 *   RFC 5737 §3): link k is 203.0.113.(4k-4)/30, router k at .(4k-3), router k+1 at .(4k-2). Router k's
 *   cards are 02:00:00:00:0(k-1):01 (towards the browsers) and 02:00:00:00:0(k-1):02 (towards the server),
 *   so router 1 keeps the reference's 02:00:00:00:00:01 and :02.
 *
 * Segments are numbered from the browsers' LAN (0) to the server's LAN (hops). A router forwards as
 * RFC 1812 §5.2 and §5.3.1 say and Linux does (net/ipv4/ip_forward.c, ip_decrease_ttl): it takes the frame
 * off one card, decrements the TTL, recomputes the header checksum (RFC 1812 §5.3.1 allows an incremental
 * update, RFC 1624; Linux's ip_decrease_ttl does one; the result is the same 16 bits), and writes a new
 * Ethernet header: its own outgoing card as the source, the next hop's card as the destination.
 */
import { internetChecksum } from '../../protocol/checksum';
import { parseMac } from '../../protocol/ethernet';
import { DEFAULT_HOPS, LIMITS } from '../scenario';

export const MAX_HOPS = LIMITS.maxHops;
export { DEFAULT_HOPS };

/** One card of a router. */
export interface RouterPort {
  readonly ip: string;
  readonly mac: string;
}

export interface RouterInfo {
  /** 'router-1' … 'router-4', numbered from the browsers' side. */
  readonly id: string;
  readonly label: string;
  /** [towards the browsers (segment k-1), towards the server (segment k)]. */
  readonly ports: readonly [RouterPort, RouterPort];
}

export interface PathPlan {
  readonly hops: number;
  readonly routers: readonly RouterInfo[];
  /** The server's IPv4 address on this path (192.0.2.20 with hops=0, else 198.51.100.20). */
  readonly serverIp: string;
  /** The browsers' default gateway (router 1's first card), or null on one LAN. */
  readonly gateway: string | null;
  /** One-way propagation delay of each segment, ns; they add up to `totalLatencyNs`. */
  readonly latencyNs: readonly number[];
}

function routerMac(k: number, port: 1 | 2): string {
  return `02:00:00:00:0${k - 1}:0${port}`;
}

/** Clamp a hop count from a link or a test to 0..MAX_HOPS (whole). */
export function clampHops(hops: number | undefined): number {
  if (hops === undefined || !Number.isFinite(hops)) return DEFAULT_HOPS;
  return Math.min(MAX_HOPS, Math.max(0, Math.trunc(hops)));
}

/**
 * The addresses and delays of a path with `hops` routers. The whole path's one-way propagation delay stays
 * `totalLatencyNs` whatever the count (our choice: a round trip stays readable, 10 ms plus each router's
 * store-and-forward time); it is split evenly over the segments, the last one taking the remainder.
 */
export function pathPlan(hopsIn: number | undefined, totalLatencyNs: number): PathPlan {
  const hops = clampHops(hopsIn);
  const routers: RouterInfo[] = [];
  for (let k = 1; k <= hops; k++) {
    const inner: RouterPort = {
      ip: k === 1 ? '192.0.2.1' : `203.0.113.${4 * (k - 1) - 2}`,
      mac: routerMac(k, 1),
    };
    const outer: RouterPort = {
      ip: k === hops ? '198.51.100.1' : `203.0.113.${4 * k - 3}`,
      mac: routerMac(k, 2),
    };
    routers.push({ id: `router-${k}`, label: hops === 1 ? 'Router' : `Router ${k}`, ports: [inner, outer] });
  }
  const segments = hops + 1;
  const each = Math.floor(totalLatencyNs / segments);
  const latencyNs = Array.from({ length: segments }, (_, i) =>
    i === segments - 1 ? totalLatencyNs - each * (segments - 1) : each,
  );
  return {
    hops,
    routers,
    serverIp: hops === 0 ? '192.0.2.20' : '198.51.100.20',
    gateway: hops === 0 ? null : '192.0.2.1',
    latencyNs,
  };
}

const ETHERNET = 14;
const TTL_AT = ETHERNET + 8;
const CHECKSUM_AT = ETHERNET + 10;

/** What forwarding did to a frame, for the inspector's highlights. */
export interface Forwarded {
  readonly frame: Uint8Array;
  readonly ttl: number;
  /** False when the TTL reached 0: RFC 1812 §5.3.1 says discard it (and send ICMP Time Exceeded). */
  readonly forwarded: boolean;
}

/**
 * Forward an Ethernet + IPv4 frame (no VLAN tag): a copy with the TTL one less, the header checksum
 * recomputed, destination MAC `nextMac` and source MAC `outMac`. The input is not changed.
 */
export function forwardFrame(frame: Uint8Array, outMac: string, nextMac: string): Forwarded {
  const out = frame.slice();
  const ttl = out[TTL_AT]!;
  // RFC 1812 §5.3.1: a router that receives a packet with TTL 0 or 1 must not forward it.
  if (ttl <= 1) return { frame: out, ttl: Math.max(0, ttl - 1), forwarded: false };
  out.set(parseMac(nextMac), 0);
  out.set(parseMac(outMac), 6);
  out[TTL_AT] = ttl - 1;
  const ihl = (out[ETHERNET]! & 0x0f) * 4;
  out[CHECKSUM_AT] = 0;
  out[CHECKSUM_AT + 1] = 0;
  const sum = internetChecksum(out.subarray(ETHERNET, ETHERNET + ihl));
  out[CHECKSUM_AT] = sum >> 8;
  out[CHECKSUM_AT + 1] = sum & 0xff;
  return { frame: out, ttl: ttl - 1, forwarded: true };
}
