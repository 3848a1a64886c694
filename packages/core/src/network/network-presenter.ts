// SPDX-License-Identifier: Apache-2.0
import type { EndpointSettings, NetworkInspect, NetworkSettings, PortMap, PortSummary } from '../api/network.js';
import type { ContainerRecord } from '../container/container-record.js';
import type { AttachedEndpoint, EndpointState } from './container-network-state.js';
import { joinedContainer } from './joined-namespace.js';
import type { PublishedPort } from './network-driver.js';
import type { NetworkRecord } from './network-record.js';
import { parsePortKey } from './port-spec.js';

/** `NetworkSettings.Ports` of a running container: its published ports, and `null` for exposed-only ones. */
export function toPortMap(published: PublishedPort[], exposed: string[]): PortMap {
  const ports: PortMap = {};
  for (const key of exposed) ports[key] = null;
  for (const p of published) {
    (ports[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  return ports;
}

/** The inverse of {@link toPortMap}: what the driver published, to unpublish or re-adopt it. */
export function toPublishedPorts(ports: PortMap): PublishedPort[] {
  return Object.entries(ports).flatMap(([key, bindings]) => {
    const { port, protocol } = parsePortKey(key);
    return (bindings ?? []).map((b) => ({ protocol, containerPort: port, hostPort: Number(b.HostPort), hostIp: b.HostIp || '0.0.0.0' }));
  });
}

/** `NetworkSettings` of container inspect, as Docker shapes it (addresses only while the container runs). */
export function toNetworkSettings(record: ContainerRecord): NetworkSettings {
  const state = record.network;
  const networks: Record<string, EndpointSettings> = {};
  for (const endpoint of state?.endpoints ?? []) networks[endpoint.networkName] = toEndpointSettings(record, endpoint);
  // A container in another's namespace has no network of its own: Docker shows none.
  if (state && state.endpoints.length === 0 && joinedContainer(state.mode) === undefined) networks[state.mode] = emptyEndpoint('');
  const primary = state?.endpoints[0];
  const onDefaultBridge = primary?.networkName === 'bridge' ? primary.attached : undefined;
  return {
    Bridge: '',
    SandboxID: state?.sandbox ? record.id : '',
    SandboxKey: state?.sandbox?.netnsPath ?? '',
    HairpinMode: false,
    Ports: state?.sandbox?.ports ?? {},
    EndpointID: onDefaultBridge?.endpointId ?? '',
    Gateway: onDefaultBridge?.gateway ?? '',
    IPAddress: onDefaultBridge?.address ?? '',
    IPPrefixLen: onDefaultBridge?.prefixLength ?? 0,
    MacAddress: onDefaultBridge?.macAddress ?? '',
    Networks: networks,
  };
}

/** `Ports` of a container summary: one entry per published binding, and exposed-only ports without host side. */
export function toPortSummaries(record: ContainerRecord): PortSummary[] {
  const ports = record.network?.sandbox?.ports ?? {};
  return Object.entries(ports).flatMap(([key, bindings]) => {
    const { port, protocol } = parsePortKey(key);
    if (!bindings || bindings.length === 0) return [{ PrivatePort: port, Type: protocol }];
    return bindings.map((b) => ({ IP: b.HostIp, PrivatePort: port, PublicPort: Number(b.HostPort), Type: protocol }));
  });
}

/** `GET /networks/{id}`; `attached` are the running containers on it. */
export function toNetworkInspect(
  network: NetworkRecord,
  attached: { record: ContainerRecord; endpoint: EndpointState & { attached: AttachedEndpoint } }[],
): NetworkInspect {
  return {
    Name: network.name,
    Id: network.id,
    Created: network.created,
    Scope: 'local',
    Driver: network.driver,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: network.subnet ? [{ Subnet: network.subnet, Gateway: network.gateway }] : [] },
    Internal: network.internal,
    Attachable: false,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: Object.fromEntries(
      attached.map(({ record, endpoint }) => [
        record.id,
        {
          Name: record.name,
          EndpointID: endpoint.attached.endpointId,
          MacAddress: endpoint.attached.macAddress,
          IPv4Address: `${endpoint.attached.address}/${endpoint.attached.prefixLength}`,
          IPv6Address: '',
        },
      ]),
    ),
    Options: network.options,
    Labels: network.labels,
  };
}

function toEndpointSettings(record: ContainerRecord, endpoint: EndpointState): EndpointSettings {
  const attached = endpoint.attached;
  return {
    ...emptyEndpoint(endpoint.networkId),
    IPAMConfig: endpoint.requestedAddress ? { IPv4Address: endpoint.requestedAddress } : null,
    Aliases: endpoint.aliases.length > 0 ? endpoint.aliases : null,
    EndpointID: attached?.endpointId ?? '',
    Gateway: attached?.gateway ?? '',
    IPAddress: attached?.address ?? '',
    IPPrefixLen: attached?.prefixLength ?? 0,
    MacAddress: attached?.macAddress ?? '',
    DNSNames: endpoint.networkName === 'bridge' ? null : [record.name, ...endpoint.aliases, record.id.slice(0, 12)],
  };
}

function emptyEndpoint(networkId: string): EndpointSettings {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: '',
    DriverOpts: null,
    NetworkID: networkId,
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  };
}
