/**
 * The stories' two hosts: a browser and a server on one Ethernet segment, with documentation
 * addresses (RFC 5737) and locally administered MACs. The engine takes hosts as arguments; these are
 * the ones the lessons show.
 */
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
