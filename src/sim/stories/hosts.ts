/**
 * The stories' two hosts: a browser and a server, with documentation addresses (RFC 5737) and locally
 * administered MACs, as the reference capture (/work/shared/reference/routed/capture.sh): the browser on
 * 192.0.2.0/24, the server on 198.51.100.0/24 behind the router(s) of sim/engine/router.ts, or on the
 * browser's own LAN as 192.0.2.20 when there is no router (hops=0). The engine takes hosts as arguments;
 * these are the ones the lessons show.
 */
import { NETWORK } from '../engine/network';
import { pathPlan, type PathPlan } from '../engine/router';
import type { HostInfo } from '../types';

export const CLIENT_HOST: HostInfo = {
  id: 'client',
  label: 'Browser',
  role: 'client',
  mac: '02:00:00:00:00:0a',
  ip: '192.0.2.10',
};

export const SERVER_HOST: HostInfo = {
  id: 'server',
  label: 'Server',
  role: 'server',
  mac: '02:00:00:00:00:14',
  ip: '198.51.100.20',
};

/** The server on a path of `hops` routers (absent: the default one): its address depends on the path. */
export function serverHost(hops: number | undefined): HostInfo {
  const ip = pathPlan(hops, NETWORK.latencyNs).serverIp;
  return ip === SERVER_HOST.ip ? SERVER_HOST : { ...SERVER_HOST, ip };
}

/**
 * The routers of a path as hosts of the timeline ('router-1' …, role 'router', labelled 'Router' or 'Router 2'):
 * the eyebrow, the stage's stacks and everything that looks a host up by id find them by their name. Their
 * `ip` and `mac` are the card towards the browsers; `cards` has both (sim/engine/router.ts).
 */
export function routerHosts(plan: Pick<PathPlan, 'routers'>): HostInfo[] {
  return plan.routers.map((r) => ({
    id: r.id,
    label: r.label,
    role: 'router',
    ip: r.ports[0].ip,
    mac: r.ports[0].mac,
    cards: [r.ports[0], r.ports[1]],
  }));
}
