/**
 * The path (sim/engine/router.ts, network.ts): a router decrements the TTL, recomputes the IPv4 header
 * checksum and rewrites both MACs (RFC 1812 §5.3.1, as Linux's ip_forward); ARP (RFC 826) resolves each
 * next hop once; the addresses are the reference capture's (routed/capture.sh) with one router.
 */
import { describe, expect, it } from 'vitest';
import { decodeArp } from '../../src/protocol/arp';
import { decodeEthernet, ETHER_TYPES } from '../../src/protocol/ethernet';
import { decodeIpv4 } from '../../src/protocol/ipv4';
import { decodeTcp } from '../../src/protocol/tcp';
import { parseLink } from '../../src/lesson/link';
import { NETWORK } from '../../src/sim/engine/network';
import { forwardFrame, pathPlan } from '../../src/sim/engine/router';
import { captureCards, framesAtCard } from '../../src/sim/cards';
import { ALL_STORIES } from '../../src/sim/stories';
import { buildTimeline } from '../../src/sim/timeline';
import type { Packet, Timeline } from '../../src/sim/types';

function timeline(link: string): Timeline {
  return buildTimeline(parseLink(link).state.scenario, ALL_STORIES);
}

function ip(frame: Uint8Array) {
  const eth = decodeEthernet(frame);
  if (!eth.ok) throw new Error(eth.error.message);
  const r = decodeIpv4(eth.payload);
  if (!r.ok) throw new Error(r.error.message);
  return { eth: eth.repr, ip: r.repr, payload: r.payload };
}

describe('forwardFrame', () => {
  const t = timeline('lesson=websocket&hops=0');
  const syn = t.packets[0]!;

  it('takes one from the TTL, recomputes the checksum, rewrites both MACs, and changes nothing else', () => {
    const out = forwardFrame(syn.frame, '02:00:00:00:00:02', '02:00:00:00:00:14');
    expect(out.forwarded).toBe(true);
    expect(out.ttl).toBe(63);
    const before = ip(syn.frame);
    const after = ip(out.frame);
    expect(before.ip.ttl).toBe(64);
    expect(after.ip.ttl).toBe(63);
    expect(after.ip.checksumOk).toBe(true);
    expect(after.ip.checksum).not.toBe(before.ip.checksum);
    expect(after.eth).toEqual({ dst: '02:00:00:00:00:14', src: '02:00:00:00:00:02', etherType: 0x0800 });
    // Only bytes 0..11 (MACs), 22 (TTL) and 24..25 (checksum) may differ.
    const changed = [...out.frame.keys()].filter((i) => out.frame[i] !== syn.frame[i]);
    for (const i of changed) expect(i < 12 || i === 22 || i === 24 || i === 25, `byte ${i}`).toBe(true);
    expect(changed).toContain(22);
    // The TCP segment (and so its checksum, which covers the IP addresses but not the TTL) is unchanged.
    expect(decodeTcp(after.payload, { src: after.ip.src, dst: after.ip.dst }).ok).toBe(true);
    expect(syn.frame[22]).toBe(64); // the input was not touched
  });

  it('does not forward a packet whose TTL would reach 0 (RFC 1812 §5.3.1)', () => {
    const one = syn.frame.slice();
    one[22] = 1;
    expect(forwardFrame(one, '02:00:00:00:00:02', '02:00:00:00:00:14').forwarded).toBe(false);
  });
});

describe('pathPlan', () => {
  it('is the reference capture with one router, and keeps 5 ms one way whatever the count', () => {
    const one = pathPlan(1, NETWORK.latencyNs);
    expect(one.routers).toEqual([
      {
        id: 'router-1',
        label: 'Router',
        ports: [
          { ip: '192.0.2.1', mac: '02:00:00:00:00:01' },
          { ip: '198.51.100.1', mac: '02:00:00:00:00:02' },
        ],
      },
    ]);
    expect(one.serverIp).toBe('198.51.100.20');
    expect(pathPlan(0, NETWORK.latencyNs).serverIp).toBe('192.0.2.20');
    for (let h = 0; h <= 4; h++) {
      const p = pathPlan(h, NETWORK.latencyNs);
      expect(p.latencyNs.length).toBe(h + 1);
      expect(p.latencyNs.reduce((a, b) => a + b, 0)).toBe(NETWORK.latencyNs);
    }
  });

  it('joins routers with /30s of 203.0.113.0/24, each side on the same /30', () => {
    const p = pathPlan(4, NETWORK.latencyNs);
    for (let k = 0; k < 3; k++) {
      const a = p.routers[k]!.ports[1].ip.split('.').map(Number);
      const b = p.routers[k + 1]!.ports[0].ip.split('.').map(Number);
      expect(a.slice(0, 3)).toEqual([203, 0, 113]);
      expect(a[3]! >> 2).toBe(b[3]! >> 2); // same /30
      expect(a[3]! & 3).toBe(1);
      expect(b[3]! & 3).toBe(2);
    }
    const macs = p.routers.flatMap((r) => r.ports.map((x) => x.mac));
    expect(new Set(macs).size).toBe(8);
    expect(pathPlan(9, NETWORK.latencyNs).hops).toBe(4);
    expect(pathPlan(-1, NETWORK.latencyNs).hops).toBe(0);
  });
});

describe('a lesson across routers', () => {
  const last = (p: Packet): Uint8Array => (p.hops && p.hops.length > 0 ? p.hops.at(-1)!.frame : p.frame);

  for (const hops of [0, 1, 2, 4]) {
    it(`hops=${hops}: the sender's frame goes to its next hop, the receiver gets TTL ${64 - hops}`, () => {
      const t = timeline(`lesson=websocket&hops=${hops}`);
      const server = t.hosts.find((h) => h.id === 'server')!;
      expect(server.ip).toBe(hops === 0 ? '192.0.2.20' : '198.51.100.20');
      for (const p of t.packets) {
        if (p.lost) continue;
        const first = ip(p.frame);
        expect(first.ip.ttl).toBe(64);
        const toServer = p.from === 'client';
        if (hops > 0)
          expect(first.eth.dst).toBe(toServer ? '02:00:00:00:00:01' : '02:00:00:00:0' + (hops - 1) + ':02');
        expect(p.hops?.length ?? 0).toBe(hops);
        const end = ip(last(p));
        expect(end.ip.ttl).toBe(64 - hops);
        expect(end.ip.checksumOk).toBe(true);
        expect(end.ip.src).toBe(first.ip.src);
        expect(end.ip.dst).toBe(first.ip.dst);
        expect(end.eth.dst).toBe(toServer ? '02:00:00:00:00:14' : '02:00:00:00:00:0a');
        // Times only grow along the way.
        let at = p.sentAt;
        for (const h of p.hops ?? []) {
          expect(h.receivedAt).toBeGreaterThan(at);
          expect(h.sentAt).toBeGreaterThanOrEqual(h.receivedAt);
          at = h.sentAt;
        }
        expect(p.arrivesAt).toBeGreaterThan(at);
      }
    });
  }

  it('ARP: the browser asks for its gateway before its first packet, each router for its next hop, once', () => {
    const t = timeline('lesson=websocket&hops=2');
    const arps = t.packets.flatMap((p) => [...(p.arp ?? []), ...(p.hops ?? []).flatMap((h) => h.arp ?? [])]);
    const lines = arps.map((a) => `${a.segment} ${a.from}>${a.to} ${a.summary}`);
    expect(lines).toEqual([
      '0 client>broadcast Who has 192.0.2.1? Tell 192.0.2.10',
      '0 router-1>client 192.0.2.1 is at 02:00:00:00:00:01',
      '1 router-1>broadcast Who has 203.0.113.2? Tell 203.0.113.1',
      '1 router-2>router-1 203.0.113.2 is at 02:00:00:00:01:01',
      '2 router-2>broadcast Who has 198.51.100.20? Tell 198.51.100.1',
      '2 server>router-2 198.51.100.20 is at 02:00:00:00:00:14',
    ]);
    // All on the first packet (the SYN): the answers come back learned from the requests (RFC 826 merge).
    expect(t.packets[0]!.arp?.length).toBe(2);
    for (const a of arps) {
      const eth = decodeEthernet(a.frame);
      expect(eth.ok && eth.repr.etherType).toBe(ETHER_TYPES.ARP);
      expect(eth.ok && decodeArp(eth.payload).ok).toBe(true);
    }
    // The SYN leaves only after the reply came back: request and reply each take a segment's delay.
    const [request, reply] = t.packets[0]!.arp!;
    expect(reply!.arrivesAt).toBeGreaterThan(request!.arrivesAt);
    expect(t.packets[0]!.sentAt).toBeGreaterThanOrEqual(reply!.arrivesAt);
  });

  it('a round trip stays 10 ms and a few microseconds with one router, once ARP is done', () => {
    const t = timeline('lesson=websocket');
    const get = t.packets.find((p) => p.app?.kind === 'http-request')!;
    const answer = t.packets.find((p) => p.app?.kind === 'http-response')!;
    const rtt = answer.arrivesAt - get.sentAt;
    // 5 ms each way, plus each frame's time on the browser's card and again on the router's (store and
    // forward: (bytes + 24) x 80 ns), plus the server's quick ACK, which leaves its card just before the 101
    // (GET, ACK, 101, as chromium-ws.pcap shows).
    const onCard = (bytes: number): number => ((Math.max(bytes, 60) + 24) * 80) / 1e6;
    const ack = t.packets.find((p) => p.from === 'server' && p.id > get.id && p.tcp.len === 0)!;
    expect(ack.id).toBeLessThan(answer.id);
    expect(rtt).toBeCloseTo(
      10 + 2 * onCard(get.frame.length) + onCard(ack.frame.length) + 2 * onCard(answer.frame.length),
      9,
    );
    // The SYN's took one ARP exchange more, the router's on the server's segment (2 x 2.5 ms).
    const syn = t.packets[0]!;
    const synAck = t.packets.find((p) => p.from === 'server')!;
    expect(synAck.arrivesAt - syn.sentAt).toBeGreaterThan(15);
    expect(synAck.arrivesAt - syn.sentAt).toBeLessThan(15.1);
  });

  it("captures: the browser's card sees only the router's MAC, the router's card TTL 63 one way and 64 the other", () => {
    const t = timeline('lesson=websocket');
    const atClient = framesAtCard(t, 'client')!;
    for (const f of atClient) {
      const eth = decodeEthernet(f.data);
      expect(eth.ok).toBe(true);
      if (!eth.ok || f.arp) continue;
      expect([eth.repr.src, eth.repr.dst]).toContain('02:00:00:00:00:01');
      expect(ip(f.data).ip.ttl).toBe(f.sent ? 64 : 63);
    }
    const atRouter = framesAtCard(t, 'router')!;
    expect(atRouter.length).toBe(atClient.length);
    for (const f of atRouter) {
      if (f.arp) continue;
      const { eth, ip: h } = ip(f.data);
      expect(h.ttl).toBe(f.sent ? 63 : 64);
      expect(f.sent ? eth.src : eth.dst).toBe('02:00:00:00:00:02');
    }
    expect(framesAtCard(t, 'router-2')).toBeNull();
  });
});

describe('the routers are hosts of the timeline', () => {
  it('hops=1: one router, "Router", with both cards; the router steps name it', () => {
    const t = timeline('lesson=websocket');
    const routers = t.hosts.filter((h) => h.role === 'router');
    expect(routers.map((h) => [h.id, h.label, h.ip, h.mac])).toEqual([
      ['router-1', 'Router', '192.0.2.1', '02:00:00:00:00:01'],
    ]);
    expect(routers[0]!.cards).toEqual([
      { ip: '192.0.2.1', mac: '02:00:00:00:00:01' },
      { ip: '198.51.100.1', mac: '02:00:00:00:00:02' },
    ]);
    // Every step happens at a host of the timeline (or on the wire): the router's included.
    const ids = new Set(t.hosts.map((h) => h.id));
    const atRouter = t.steps.filter((s) => s.host === 'router-1');
    expect(atRouter.length).toBeGreaterThan(0);
    for (const s of t.steps) if (s.host !== 'wire') expect(ids.has(s.host)).toBe(true);
  });

  for (const [link, labels] of [
    ['lesson=websocket&hops=0', []],
    ['lesson=websocket&hops=3', ['Router 1', 'Router 2', 'Router 3']],
    ['lesson=socketio&hops=2', ['Router 1', 'Router 2']],
    ['lesson=compare', ['Router']],
  ] as const) {
    it(`${link}: ${labels.length} router host(s), after the browsers and the server`, () => {
      const t = timeline(link);
      expect(t.hosts.filter((h) => h.role === 'router').map((h) => h.label)).toEqual(labels);
      expect(t.hosts.slice(0, t.hosts.length - labels.length).every((h) => h.role !== 'router')).toBe(true);
      expect(captureCards(t)).toEqual([
        ...t.hosts.filter((h) => h.role !== 'router').map((h) => h.id),
        ...labels.map((_, i) => `router-${i + 1}`),
      ]);
    });
  }
});
