// SPDX-License-Identifier: Apache-2.0
import { ConflictError, InvalidArgumentError, UnavailableError } from '../errors/engine-error.js';
import { contains, formatIpv4, formatSubnet, parseIpv4, subnetSize, type Ipv4Subnet } from './ipv4.js';

/**
 * Address leases of one IPv4 subnet, held in memory: the daemon rebuilds them from the records of running
 * containers when it starts, so a lease can never outlive the container that held it.
 *
 * New addresses are handed out round-robin after the last one given, as CNI's host-local does, so a container
 * recreated right away gets a new address and stale caches elsewhere are caught rather than silently right.
 */
export class Ipam {
  private readonly leases = new Map<number, string>();
  private cursor: number;
  private readonly gateway: number;

  constructor(readonly subnet: Ipv4Subnet, gateway: string) {
    this.gateway = parseIpv4(gateway);
    this.cursor = this.gateway;
  }

  /** Leases an address to `owner`: `requested` if given (and free), else the next free one. */
  allocate(owner: string, requested?: string): string {
    if (requested !== undefined) {
      const address = parseIpv4(requested);
      if (!this.usable(address)) throw new InvalidArgumentError(`address ${requested} is not usable in ${formatSubnet(this.subnet)}`);
      const holder = this.leases.get(address);
      if (holder !== undefined && holder !== owner) throw new ConflictError(`address ${requested} is already in use`);
      this.leases.set(address, owner);
      return requested;
    }
    const size = subnetSize(this.subnet);
    for (let step = 1; step <= size; step++) {
      const address = this.subnet.base + ((this.cursor - this.subnet.base + step) % size);
      if (this.usable(address) && !this.leases.has(address)) {
        this.leases.set(address, owner);
        this.cursor = address;
        return formatIpv4(address);
      }
    }
    throw new UnavailableError(`no free address left in ${formatSubnet(this.subnet)}`);
  }

  /** Takes over a lease a previous daemon gave (restore): the address stays with its owner. */
  adopt(owner: string, address: string): void {
    this.leases.set(parseIpv4(address), owner);
  }

  release(address: string): void {
    this.leases.delete(parseIpv4(address));
  }

  /** Owner by address, for answering "who is 10.1.0.5". */
  ownerOf(address: string): string | undefined {
    return this.leases.get(parseIpv4(address));
  }

  get size(): number {
    return this.leases.size;
  }

  // The network address, the gateway and the broadcast address are never handed out.
  private usable(address: number): boolean {
    const last = this.subnet.base + subnetSize(this.subnet) - 1;
    return contains(this.subnet, address) && address !== this.subnet.base && address !== last && address !== this.gateway;
  }
}
