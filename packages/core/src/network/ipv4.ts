// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';

/** An IPv4 subnet as numbers: `base` is the network address, `prefix` its length. */
export interface Ipv4Subnet {
  base: number;
  prefix: number;
}

export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new InvalidArgumentError(`invalid IPv4 address: ${text}`);
  }
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** `10.1.0.0/16` (host bits must be zero unless `loose`, as for `bip` which names the gateway). */
export function parseSubnet(cidr: string, options: { loose?: boolean } = {}): Ipv4Subnet {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const prefix = Number(match?.[2]);
  if (!match || prefix > 32) throw new InvalidArgumentError(`invalid subnet ${cidr}: expected an IPv4 CIDR such as 10.1.0.0/16`);
  const address = parseIpv4(match[1]);
  const size = 2 ** (32 - prefix);
  const base = address - (address % size);
  if (base !== address && !options.loose) {
    throw new InvalidArgumentError(`invalid subnet ${cidr}: host bits are set`, { hint: `use ${formatSubnet({ base, prefix })}` });
  }
  return { base, prefix };
}

export function formatSubnet(subnet: Ipv4Subnet): string {
  return `${formatIpv4(subnet.base)}/${subnet.prefix}`;
}

export function subnetSize(subnet: Ipv4Subnet): number {
  return 2 ** (32 - subnet.prefix);
}

export function contains(subnet: Ipv4Subnet, address: number): boolean {
  return address >= subnet.base && address < subnet.base + subnetSize(subnet);
}

export function overlaps(a: Ipv4Subnet, b: Ipv4Subnet): boolean {
  return a.base < b.base + subnetSize(b) && b.base < a.base + subnetSize(a);
}
