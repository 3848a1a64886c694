// SPDX-License-Identifier: Apache-2.0

/** How a network carries traffic: a Linux bridge, the host's own stack, or nothing but loopback. */
export type NetworkDriverName = 'bridge' | 'host' | 'null';

/** A network as the daemon persists it under `<data-root>/networks/<id>.json`. */
export interface NetworkRecord {
  id: string;
  name: string;
  driver: NetworkDriverName;
  /** RFC 3339. */
  created: string;
  /** `bridge`, `host` and `none`: made by the daemon, never removed. */
  predefined: boolean;
  /** Bridge networks only: the Linux bridge, its IPv4 subnet (CIDR) and the gateway address on it. */
  bridge?: string;
  subnet?: string;
  gateway?: string;
  /** No masquerading and no route out: containers reach only each other. */
  internal: boolean;
  labels: Record<string, string>;
  options: Record<string, string>;
}

/** Whether containers on `network` find each other by name: Docker gives only user-defined bridges a resolver. */
export function hasEmbeddedDns(network: NetworkRecord): boolean {
  return network.driver === 'bridge' && !network.predefined;
}
