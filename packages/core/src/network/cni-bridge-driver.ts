// SPDX-License-Identifier: Apache-2.0
import { access, writeFile } from 'node:fs/promises';
import { injectable } from 'inversify';
import { InternalError } from '../errors/engine-error.js';
import { CniPlugin, type CniResult } from './cni-plugin.js';
import { hostCommand, isMissingDevice } from './host-command.js';
import { Iptables, type IptablesRule } from './iptables.js';
import type { EndpointRequest, EndpointResult, NetworkDriver, NetworkTeardown } from './network-driver.js';
import { NetworkIsolation } from './network-isolation.js';
import type { NetworkRecord } from './network-record.js';

/**
 * {@link NetworkDriver} for Linux bridges, built from the reference CNI plugins: `bridge` makes the veth pair and
 * configures the container side with `static` IPAM (the engine owns the addresses), `portmap` publishes ports with
 * DNAT rules that also catch connections to 127.0.0.1 (it sets `route_localnet` and masquerades those). The host
 * side — bridge, gateway address, one masquerade and two forward rules per network, and the two rules that
 * isolate it from the other networks — is made here, once per network instead of once per container, which
 * keeps a container's start to two short-lived processes.
 */
@injectable()
export class CniBridgeDriver implements NetworkDriver {
  private readonly cni = new CniPlugin();
  private readonly iptables = new Iptables();
  private readonly isolation = new NetworkIsolation(this.iptables);

  async setUp(network: NetworkRecord): Promise<void> {
    const { bridge, subnet, gateway } = bridgeOf(network);
    const exists = await access(`/sys/class/net/${bridge}`).then(() => true, () => false);
    if (!exists) await hostCommand('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    await hostCommand('ip', ['addr', 'replace', `${gateway}/${subnet.split('/')[1]}`, 'dev', bridge]);
    await hostCommand('ip', ['link', 'set', bridge, 'up']);
    // Containers on a bridge reach beyond it only through the host's routing.
    if (!network.internal) await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
    // Before the rules that accept the bridge's traffic, so no packet crosses to another network meanwhile.
    await this.isolation.isolate(bridge);
    // Side by side: each is a check and an append of its own, in any order (`compose up` waits for the network).
    await Promise.all(hostRules(network).map(([table, chain, rule]) => this.iptables.ensure(table, chain, rule)));
  }

  async tearDown(network: NetworkRecord): Promise<NetworkTeardown> {
    // The rules go in one batch; the bridge's deletion, slower than that in the kernel, runs beside it and is not
    // waited for here (see NetworkDriver.tearDown).
    const { bridge } = bridgeOf(network);
    const deviceRemoved = hostCommand('ip', ['link', 'del', bridge]).then(
      () => undefined,
      (error: Error) => {
        if (!isMissingDevice(error)) process.emitWarning(`network ${network.name}: deleting bridge ${bridge}: ${error.message}`);
      },
    );
    await this.iptables.removeAll([...hostRules(network), ...this.isolation.rulesOf(bridge)]);
    return { deviceRemoved };
  }

  async attach(request: EndpointRequest): Promise<EndpointResult> {
    const result = await this.cni.invoke({ ...this.invocation(request, 'ADD'), config: bridgeConfig(request) });
    try {
      if (request.ports.length > 0) {
        await this.cni.invoke({ ...this.invocation(request, 'ADD'), config: portmapConfig(request, result) });
      }
    } catch (error) {
      await this.cni.invoke({ ...this.invocation(request, 'DEL'), config: bridgeConfig(request) }).catch(() => undefined);
      throw error;
    }
    const mac = result.interfaces?.find((i) => i.name === request.ifname && i.sandbox)?.mac;
    if (!mac) throw new InternalError(`cni bridge: no interface ${request.ifname} in its result`);
    return { macAddress: mac, cniResult: result };
  }

  async detach(request: EndpointRequest, attached: EndpointResult): Promise<void> {
    const failures: unknown[] = [];
    if (request.ports.length > 0) {
      await this.cni
        .invoke({ ...this.invocation(request, 'DEL'), config: portmapConfig(request, attached.cniResult) })
        .catch((error: unknown) => failures.push(error));
    }
    await this.removeVeth(request, attached).catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw failures[0];
  }

  /**
   * What the bridge plugin's DEL does with this driver's config (no ipMasq, static IPAM): delete the veth pair.
   * Deleting its host end, whose name the ADD's result holds, takes one `ip` instead of a plugin process (a Go
   * binary, the larger part of what each container costs `compose down`); the pair goes at once either way, so
   * the address is free when the release returns. A result without the host end goes through the plugin.
   */
  private async removeVeth(request: EndpointRequest, attached: EndpointResult): Promise<void> {
    const hostEnd = attached.cniResult.interfaces?.find((i) => !i.sandbox && i.name !== request.network.bridge)?.name;
    if (!hostEnd) {
      await this.cni.invoke({ ...this.invocation(request, 'DEL'), config: { ...bridgeConfig(request), prevResult: attached.cniResult } });
      return;
    }
    await hostCommand('ip', ['link', 'del', hostEnd]).catch((error: Error) => {
      // Gone with its namespace already: nothing left to delete.
      if (!isMissingDevice(error)) throw error;
    });
  }

  private invocation(request: EndpointRequest, command: 'ADD' | 'DEL') {
    return { command, containerId: request.containerId, netns: request.netnsPath, ifname: request.ifname };
  }
}

function bridgeOf(network: NetworkRecord): { bridge: string; subnet: string; gateway: string } {
  if (!network.bridge || !network.subnet || !network.gateway) {
    throw new InternalError(`network ${network.name}: a bridge network needs a bridge, a subnet and a gateway`);
  }
  return { bridge: network.bridge, subnet: network.subnet, gateway: network.gateway };
}

/** The per-network rules: masquerade what leaves the subnet (unless internal) and let the bridge forward. */
function hostRules(network: NetworkRecord): [string, string, IptablesRule][] {
  const { bridge, subnet } = bridgeOf(network);
  const rules: [string, string, IptablesRule][] = [
    ['filter', 'FORWARD', ['-i', bridge, '-j', 'ACCEPT']],
    ['filter', 'FORWARD', ['-o', bridge, '-j', 'ACCEPT']],
  ];
  if (!network.internal) rules.push(['nat', 'POSTROUTING', ['-s', subnet, '!', '-o', bridge, '-j', 'MASQUERADE']]);
  return rules;
}

/** CNI's network name; portmap derives its chain names from it and the container id, so it must not change. */
function cniName(network: NetworkRecord): string {
  return `tsc-engine-${network.id.slice(0, 12)}`;
}

function bridgeConfig(request: EndpointRequest): Record<string, unknown> & { type: string } {
  const { bridge, subnet, gateway } = bridgeOf(request.network);
  return {
    name: cniName(request.network),
    type: 'bridge',
    bridge,
    isGateway: true,
    ipMasq: false,
    // A container reaching its own published port through the host comes back through the same bridge port.
    hairpinMode: true,
    ipam: {
      type: 'static',
      addresses: [{ address: `${request.address}/${subnet.split('/')[1]}`, gateway }],
      routes: request.defaultRoute && !request.network.internal ? [{ dst: '0.0.0.0/0' }] : [],
    },
  };
}

function portmapConfig(request: EndpointRequest, prevResult: CniResult): Record<string, unknown> & { type: string } {
  return {
    name: cniName(request.network),
    type: 'portmap',
    snat: true,
    capabilities: { portMappings: true },
    runtimeConfig: {
      portMappings: request.ports.map((p) => ({
        hostPort: p.hostPort,
        containerPort: p.containerPort,
        protocol: p.protocol,
        ...(p.hostIp && p.hostIp !== '0.0.0.0' ? { hostIP: p.hostIp } : {}),
      })),
    },
    prevResult,
  };
}
