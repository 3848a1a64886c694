// SPDX-License-Identifier: Apache-2.0
import type { PortMap } from '../api/network.js';
import type { CniResult } from './cni-plugin.js';

/**
 * A container's networking as its record keeps it: what was asked for at create, and while it runs what it holds
 * (namespace, addresses, host ports). Kept in the container record so one file says everything about a
 * container, and a restarted daemon rebuilds its leases and name tables from the records alone.
 */
export interface ContainerNetworkState {
  /** `bridge`, `host`, `none` or a network name: `HostConfig.NetworkMode` as the daemon resolved it. */
  mode: string;
  /** The networks the container joins, first one gets the default route. Empty for `host` and `none`. */
  endpoints: EndpointState[];
  /** Normalised `HostConfig.PortBindings` (`HostPort` "" means "pick one"). */
  portBindings: PortMap;
  /** `-P`: every exposed port gets a random host port. */
  publishAll: boolean;
  /** `80/tcp` keys of the image's and the request's `ExposedPorts`. */
  exposedPorts: string[];
  /** Set from start to exit. */
  sandbox?: SandboxState;
}

export interface EndpointState {
  networkId: string;
  networkName: string;
  aliases: string[];
  /** `IPAMConfig.IPv4Address`: a fixed address asked for. */
  requestedAddress?: string;
  /** Set from start to exit. */
  attached?: AttachedEndpoint;
}

export interface AttachedEndpoint {
  endpointId: string;
  /** Interface name inside the container (`eth0`, `eth1`, …). */
  ifname: string;
  address: string;
  prefixLength: number;
  gateway: string;
  macAddress: string;
  /** What the CNI plugins returned, handed back to them on DEL. */
  cniResult: CniResult;
}

export interface SandboxState {
  /** The network namespace's bind mount; absent in `host` mode. */
  netnsPath?: string;
  /** Host ports in use, as `NetworkSettings.Ports` shows them. */
  ports: PortMap;
}
