// SPDX-License-Identifier: Apache-2.0
import { UnavailableError } from '../errors/engine-error.js';
import { hostCommand } from './host-command.js';
import { formatSubnet, overlaps, parseSubnet, subnetSize, type Ipv4Subnet } from './ipv4.js';

/** A range networks get their subnets from: `base` split into subnets of prefix `size` (daemon.json's shape). */
export interface AddressPool {
  base: string;
  size: number;
}

/** Docker's default pools: 172.17–31.0.0/16, then 192.168.0.0/16 in /20s. */
export const DEFAULT_ADDRESS_POOLS: AddressPool[] = [
  { base: '172.17.0.0/16', size: 16 },
  { base: '172.18.0.0/15', size: 16 },
  { base: '172.20.0.0/14', size: 16 },
  { base: '172.24.0.0/13', size: 16 },
  { base: '192.168.0.0/16', size: 20 },
];

/**
 * The first subnet of the pools that overlaps neither a route of the host (its own LAN, VPNs, other engines'
 * bridges) nor a subnet already `taken` by one of the engine's networks.
 */
export async function pickSubnet(pools: AddressPool[], taken: string[]): Promise<string> {
  const used = [...(await hostRoutes()), ...taken.map((s) => parseSubnet(s))];
  for (const pool of pools) {
    const base = parseSubnet(pool.base);
    const step = 2 ** (32 - pool.size);
    for (let start = base.base; start < base.base + subnetSize(base); start += step) {
      const candidate: Ipv4Subnet = { base: start, prefix: pool.size };
      if (!used.some((u) => overlaps(u, candidate))) return formatSubnet(candidate);
    }
  }
  throw new UnavailableError('all predefined address pools have been fully subnetted', {
    hint: 'remove unused networks (network prune), or give a subnet with --subnet',
  });
}

/** IPv4 destinations of the host's routes, the default route left out. */
export async function hostRoutes(): Promise<Ipv4Subnet[]> {
  const routes = JSON.parse(await hostCommand('ip', ['-j', '-4', 'route', 'show', 'table', 'all'])) as { dst: string }[];
  return routes
    .map((r) => r.dst)
    .filter((dst) => dst && dst !== 'default' && /^[\d.]+(\/\d+)?$/.test(dst))
    .map((dst) => parseSubnet(dst.includes('/') ? dst : `${dst}/32`, { loose: true }));
}
