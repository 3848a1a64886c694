// SPDX-License-Identifier: Apache-2.0
import type { CniResult } from './cni-plugin.js';
import type { NetworkRecord } from './network-record.js';

/** A host port forwarded to a container port. */
export interface PublishedPort {
  protocol: 'tcp' | 'udp';
  containerPort: number;
  hostPort: number;
  /** `0.0.0.0` for every host address. */
  hostIp: string;
}

/** What {@link NetworkDriver.attach} plugs in: one interface of one container on one network. */
export interface EndpointRequest {
  containerId: string;
  network: NetworkRecord;
  /** The container's network namespace. */
  netnsPath: string;
  ifname: string;
  /** The address the network's IPAM leased. */
  address: string;
  /** Whether this interface carries the container's default route (its first network's does). */
  defaultRoute: boolean;
  ports: PublishedPort[];
}

export interface EndpointResult {
  macAddress: string;
  cniResult: CniResult;
}

/**
 * The data plane of a network: the host side (`setUp`/`tearDown`: bridge, gateway address, firewall) and the
 * container side (`attach`/`detach`: an interface in the container's namespace with its address and published
 * ports). Addresses are decided by the engine's IPAM, not by the driver, so the engine always knows them; the
 * driver must make `detach` undo `attach` exactly, given what `attach` returned.
 */
export interface NetworkDriver {
  setUp(network: NetworkRecord): Promise<void>;
  /**
   * Takes the network off the host: once this resolves, nothing forwards, masquerades or isolates for it any more.
   * Its device may take longer to go (a bridge's deletion waits out the kernel's RCU grace periods, 60–100 ms) and
   * is harmless meanwhile: `deviceRemoved` says when it has gone, and a new network is set up only after that.
   */
  tearDown(network: NetworkRecord): Promise<NetworkTeardown>;
  attach(request: EndpointRequest): Promise<EndpointResult>;
  detach(request: EndpointRequest, attached: EndpointResult): Promise<void>;
}

/** What is still under way when {@link NetworkDriver.tearDown} resolves. */
export interface NetworkTeardown {
  /** Never rejects: a device that cannot be deleted is a warning (it no longer carries traffic). */
  deviceRemoved: Promise<void>;
}

/** DI token for {@link NetworkDriver}. */
export const NetworkDriver = Symbol.for('tsc-engine:NetworkDriver');
