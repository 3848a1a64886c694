// SPDX-License-Identifier: Apache-2.0
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { PortMap } from '../api/network.js';
import { ConflictError, UnavailableError } from '../errors/engine-error.js';
import type { PublishedPort } from './network-driver.js';
import { parsePortKey, parseRange, type PortProtocol } from './port-spec.js';

/** Used when the kernel's ephemeral range cannot be read; Linux's default. */
const FALLBACK_RANGE: [number, number] = [32768, 60999];

/**
 * Host ports the engine's containers publish. A port is taken if another container of this daemon holds it
 * (whatever the address, which is stricter than needed and never wrong) or if a host process listens on it: DNAT
 * would otherwise steal that process's traffic silently.
 */
export class PortAllocator {
  private readonly held = new Map<string, string>();

  /** Resolves `bindings` (plus `-P`'s exposed ports) to concrete host ports held by `owner`. */
  async allocate(owner: string, bindings: PortMap): Promise<PublishedPort[]> {
    const published: PublishedPort[] = [];
    try {
      for (const [key, list] of Object.entries(bindings)) {
        const { port: containerPort, protocol } = parsePortKey(key);
        for (const binding of list ?? []) {
          const hostIp = binding.HostIp || '0.0.0.0';
          const hostPort = await this.take(owner, protocol, hostIp, binding.HostPort);
          published.push({ protocol, containerPort, hostPort, hostIp });
        }
      }
    } catch (error) {
      this.release(owner);
      throw error;
    }
    return published;
  }

  /** Marks ports as held again after a daemon restart (the container kept them all along). */
  adopt(owner: string, ports: PublishedPort[]): void {
    for (const p of ports) this.held.set(keyOf(p.protocol, p.hostPort), owner);
  }

  release(owner: string): void {
    for (const [key, holder] of this.held) if (holder === owner) this.held.delete(key);
  }

  private async take(owner: string, protocol: PortProtocol, hostIp: string, wanted: string): Promise<number> {
    if (wanted !== '') {
      const [first, last] = parseRange(wanted, wanted);
      for (let port = first; port <= last; port++) if (await this.tryTake(owner, protocol, hostIp, port)) return port;
      throw new ConflictError(`Bind for ${hostIp}:${wanted} failed: port is already allocated`);
    }
    const [first, last] = await ephemeralRange();
    const span = last - first + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      if (await this.tryTake(owner, protocol, hostIp, first + ((start + i) % span))) return first + ((start + i) % span);
    }
    throw new UnavailableError(`no free host port left for ${protocol}`);
  }

  private async tryTake(owner: string, protocol: PortProtocol, hostIp: string, port: number): Promise<boolean> {
    const key = keyOf(protocol, port);
    if (this.held.has(key)) return false;
    // Held before the asynchronous check, so a concurrent start cannot pick the same port meanwhile.
    this.held.set(key, owner);
    if (await isFreeOnHost(protocol, hostIp, port)) return true;
    this.held.delete(key);
    return false;
  }
}

function keyOf(protocol: PortProtocol, port: number): string {
  return `${port}/${protocol}`;
}

async function ephemeralRange(): Promise<[number, number]> {
  try {
    const [first, last] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/).map(Number);
    return first > 0 && last >= first ? [first, last] : FALLBACK_RANGE;
  } catch {
    return FALLBACK_RANGE;
  }
}

/** Whether a host process could bind the port right now, i.e. nobody listens on it. */
function isFreeOnHost(protocol: PortProtocol, hostIp: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, hostIp, () => socket.close(() => resolve(true)));
      return;
    }
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: hostIp, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
