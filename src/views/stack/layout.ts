/**
 * Pure content of the two OSI stacks: the seven rows of a host at a step, its status badges, and which hosts
 * stand left and right of the wire. The unit that travels between them is modelled in wireUnit.ts.
 */
import type { HostId, HostInfo, HostState, OsiLayer, Step, Timeline } from '../../sim/types';
import { OSI_LAYERS, type LayerKey } from '../theme/layers';

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
  if (app?.kind === 'http-request' || app?.kind === 'http-response' || app?.kind === 'http-chunk')
    return 'HTTP';
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

/**
 * Layers 3 and 2 as this host's packets carry them: IPv4 and Ethernet II in every lesson; in a capture the
 * user opened, IPv6 and other link-layer headers (Linux cooked capture, BSD loopback, or none: raw IP).
 */
function lowerLayers(
  timeline: Timeline,
  host: HostInfo,
): { network: string; link: string; linkDetail: string } {
  const p = timeline.packets.find((x) => x.from === host.id || x.to === host.id);
  const network = p?.layers.ipv6 ? `IPv6 ${host.ip}` : `IPv4 ${host.ip}`;
  if (!p?.captured)
    return { network, link: 'Ethernet II', linkDetail: `Ethernet II, MAC address ${host.mac}` };
  const links: Readonly<Record<string, string>> = {
    ethernet: 'Ethernet II',
    sll: 'Linux cooked',
    sll2: 'Linux cooked v2',
    null: 'Loopback',
    raw: 'none captured',
  };
  const link = links[p.captured.link] ?? p.captured.link;
  return {
    network,
    link,
    linkDetail:
      p.captured.link === 'ethernet'
        ? `Ethernet II, MAC address ${host.mac}`
        : p.captured.link === 'raw'
          ? 'The capture starts at the IP header: the link-layer header was not recorded'
          : `${link} header: what the capturing machine recorded instead of the link's own header`,
  };
}

/** The seven rows of one host's stack at a step, layer 7 first. */
export function stackRows(timeline: Timeline, step: Step | undefined, host: HostInfo): StackRow[] {
  const port = tcpPort(timeline, host);
  const lower = lowerLayers(timeline, host);
  const socketio = timeline.scenario.story === 'socketio';
  // wss:// and https://: TLS 1.3 sits between TCP and HTTP (RFC 8446 §1); drawn at 6, with 5's session state.
  const tls = timeline.scenario.tls === true;
  const protocols: Record<OsiLayer, string> = {
    7: appProtocol(timeline, step, host.id),
    6: tls ? 'TLS 1.3' : socketio ? 'UTF-8 JSON' : 'UTF-8',
    5: tls ? 'TLS session' : socketio ? 'Engine.IO session' : 'session',
    4: port !== undefined ? `TCP :${port}` : 'TCP',
    3: lower.network,
    2: lower.link,
    1: 'signal',
  };
  const here = step?.host === host.id && step.layer !== null ? step.layer : null;
  // An ARP step (Step.link) happens at layer 2 of the card asking or answering (RFC 826 sits on Ethernet).
  if (here === 2 && step?.link) protocols[2] = `${lower.link} · ARP`;
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
        ? lower.linkDetail
        : info.osi === 4 && port !== undefined
          ? `TCP, port ${port}`
          : info.osi === 6
            ? tls
              ? 'TLS 1.3 between TCP and HTTP: it encrypts (layer 6 work) and keeps the session keys (layer 5 ' +
                'work), and adds 22 bytes to every record: neither layer alone describes it'
              : 'UTF-8 encoding of the text; no header of its own'
            : info.osi === 5
              ? tls
                ? `TLS’s keys and record numbers, and the ${socketio ? 'Engine.IO' : 'WebSocket'} session inside it`
                : `the ${socketio ? 'Engine.IO' : 'WebSocket'} session; no header of its own`
              : protocols[info.osi],
    colour: info.colour,
    addsHeader: tls && info.osi === 6 ? true : info.addsHeader,
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
  const servers = timeline.hosts.filter((h) => h.role === 'server');
  const clients = timeline.hosts.filter((h) => h.role === 'client');
  // An ARP step has no packet of its own: the packet waiting for it says which client and server are involved.
  const id = step?.packet ?? step?.link?.packet;
  const packet = id !== undefined ? timeline.packets[id] : undefined;
  const involved = [step?.host, packet?.from, packet?.to];
  const left = clients.find((c) => involved.includes(c.id)) ?? clients[0];
  // A capture may hold several servers: the one the step concerns.
  const server = servers.find((c) => involved.includes(c.id)) ?? servers[0];
  return { ...(left ? { left } : {}), ...(server ? { right: server } : {}) };
}

/**
 * The router the stage shows between the two hosts: the one the current step happens at, else the one the
 * step's packet is nearest to (the first on the browser's side), else the first. One router stack stands for
 * the whole path (Wirewalk's choice: four stacks would not fit beside the panels); with several routers its
 * heading says which one it is (`position` of `count`).
 */
export function stageRouter(
  timeline: Timeline,
  step: Step | undefined,
): { router: HostInfo; position: number; count: number } | null {
  const routers = timeline.hosts.filter((h) => h.role === 'router');
  if (routers.length === 0) return null;
  const at = routers.findIndex((r) => r.id === step?.host);
  const i = at >= 0 ? at : 0;
  return { router: routers[i]!, position: i + 1, count: routers.length };
}

/**
 * A router's three rows (layers 3, 2, 1), lit as a host's are: IPv4 forwarding on its two cards, Ethernet on
 * each, the signal. A router climbs only to layer 3 (RFC 1812 §5.2); sim/engine/router.ts forwards.
 */
export function routerRows(timeline: Timeline, step: Step | undefined, router: HostInfo): StackRow[] {
  const cards = router.cards ?? [
    { ip: router.ip, mac: router.mac },
    { ip: router.ip, mac: router.mac },
  ];
  return stackRows(timeline, step, router)
    .filter((r) => r.osi <= 3)
    .map((r) =>
      r.osi === 3
        ? {
            ...r,
            protocol: 'IPv4 forwarding',
            detail: `IPv4 on two cards, ${cards[0].ip} and ${cards[1].ip}: takes one from the TTL, recomputes the header checksum`,
          }
        : r.osi === 2
          ? {
              ...r,
              detail: `Ethernet II on two cards, MAC addresses ${cards[0].mac} and ${cards[1].mac}: a new header on the way out`,
            }
          : r,
    );
}
