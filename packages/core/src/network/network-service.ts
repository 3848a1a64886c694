// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import type { ContainerCreateRequest } from '../api/container.js';
import type { EndpointConfig, NetworkCreateRequest, PortMap } from '../api/network.js';
import { EngineConfig } from '../config/engine-config.js';
import type { ContainerRecord } from '../container/container-record.js';
import { ContainerStore } from '../container/container-store.js';
import {
  AlreadyExistsError,
  ConflictError,
  InvalidArgumentError,
  NotFoundError,
  NotImplementedError,
  PermissionDeniedError,
} from '../errors/engine-error.js';
import { EventBus } from '../events/event-bus.js';
import type { OciMount, OciSpec } from '../runtime/oci-spec.js';
import { DEFAULT_ADDRESS_POOLS, pickSubnet } from './address-pools.js';
import type { AttachedEndpoint, ContainerNetworkState, EndpointState } from './container-network-state.js';
import { containerFileMounts, switchToEmbeddedDns, writeContainerFiles } from './container-files.js';
import { EmbeddedDns } from './embedded-dns.js';
import { Ipam } from './ipam.js';
import {
  containerToJoin,
  joinedContainer,
  joinNamespace,
  planJoinedNamespace,
  shareHostNamespace,
  type ContainerLookup,
} from './joined-namespace.js';
import { contains, formatIpv4, overlaps, parseIpv4, parseSubnet } from './ipv4.js';
import { NetworkDriver, type EndpointRequest, type PublishedPort } from './network-driver.js';
import { NetworkNamespaces } from './network-namespace.js';
import { hostCommand } from './host-command.js';
import { hasEmbeddedDns, type NetworkRecord } from './network-record.js';
import { NetworkStore } from './network-store.js';
import { toPublishedPorts, toPortMap } from './network-presenter.js';
import { PortAllocator } from './port-allocator.js';
import { normalizePortBindings } from './port-spec.js';
import { upstreamNameservers } from './resolv-conf.js';

/** The default bridge's Linux bridge when daemon.json names none (Docker's is docker0). */
export const DEFAULT_BRIDGE_NAME = 'tsc0';

const PREDEFINED: Record<string, NetworkRecord['driver']> = { bridge: 'bridge', host: 'host', none: 'null' };

/**
 * Networks and the containers on them. It owns the control plane — network records, IPAM leases, host ports,
 * the embedded resolver's name table — and drives the data plane through a {@link NetworkDriver}.
 *
 * A container's networking follows its lifecycle: {@link plan} at create validates and records what was asked;
 * {@link attach} at start makes the namespace, leases addresses and ports, plugs the interfaces and writes the
 * hosts/resolv.conf/hostname files into the spec; {@link release} at exit or removal undoes all of it. The state
 * lives in the container record, so after a daemon restart {@link adopt} takes over the leases of running
 * containers and {@link sweep} removes what no record owns.
 */
@injectable()
export class NetworkService {
  /** The network creation under way, which the next one waits for (see create). */
  private creations: Promise<unknown> = Promise.resolve();
  private readonly networks = new Map<string, NetworkRecord>();
  private readonly ipams = new Map<string, Ipam>();
  /** Containers holding a sandbox, by id: the resolver's name table and the endpoints `network rm` checks. */
  private readonly attached = new Map<string, ContainerRecord>();
  private readonly ports = new PortAllocator();
  private readonly namespaces: NetworkNamespaces;
  private readonly store: NetworkStore;
  private readonly dns: EmbeddedDns;
  /** Where the resolver sends names it does not know: daemon.json's `dns`, else the host's resolvers. */
  private upstream: string[] = [];
  /**
   * Bridges, firewall rules and resolvers being set up after {@link load}: in the background, so a restarting
   * daemon picks up its containers' exits at once; whatever needs the data plane waits for it.
   */
  private ready: Promise<void> = Promise.resolve();
  /**
   * Devices of removed networks still being deleted. A removal answers before its bridge has gone (see
   * NetworkDriver.tearDown); a network is set up only once they have, so it never meets one with its name or subnet.
   */
  private readonly leavingDevices = new Set<Promise<void>>();

  constructor(
    @inject(EngineConfig) private readonly config: EngineConfig,
    @inject(NetworkDriver) private readonly driver: NetworkDriver,
    @inject(ContainerStore) private readonly containers: ContainerStore,
    @inject(EventBus) private readonly events: EventBus,
  ) {
    this.namespaces = new NetworkNamespaces(join(config.execRoot, 'netns'));
    this.store = new NetworkStore(join(config.dataRoot, 'networks'));
    this.dns = new EmbeddedDns(
      (networkId, client, name) => this.resolveName(networkId, client, name),
      (networkId, address) => this.nameOfAddress(networkId, address),
      (networkId, client) => this.upstreamOf(networkId, client),
    );
  }

  /** Loads the networks, makes the predefined ones, and sets up every bridge (again, after a reboot). */
  async load(): Promise<void> {
    this.upstream = this.config.network?.dns ?? upstreamNameservers(await readFile('/etc/resolv.conf', 'utf8').catch(() => ''));
    for (const record of await this.store.loadAll()) this.networks.set(record.id, record);
    for (const name of Object.keys(PREDEFINED)) await this.ensurePredefined(name);
    this.ready = Promise.all([...this.networks.values()].map((network) => this.activate(network))).then(
      () => undefined,
      (error: Error) => process.emitWarning(`networks: setting up the host side failed: ${error.message}`),
    );
  }

  list(): NetworkRecord[] {
    return [...this.networks.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** By full id, name, or unique id prefix, as Docker finds networks. */
  get(idOrName: string): NetworkRecord {
    const exact = this.networks.get(idOrName) ?? this.list().find((n) => n.name === idOrName);
    if (exact) return exact;
    const matches = idOrName.length > 0 ? this.list().filter((n) => n.id.startsWith(idOrName)) : [];
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) throw new InvalidArgumentError(`network ${idOrName} is ambiguous (${matches.length} matches found based on ID prefix)`);
    throw new NotFoundError(`network ${idOrName} not found`);
  }

  /** Running containers on `network`, with their endpoint on it. */
  endpointsOf(network: NetworkRecord): { record: ContainerRecord; endpoint: EndpointState & { attached: AttachedEndpoint } }[] {
    const found = [];
    for (const record of this.attached.values()) {
      const endpoint = record.network?.endpoints.find((e) => e.networkId === network.id);
      if (endpoint?.attached) found.push({ record, endpoint: { ...endpoint, attached: endpoint.attached } });
    }
    return found;
  }

  /**
   * Creates a network. Creations run one at a time: choosing a free subnet and claiming the name look at the
   * networks that exist, so two at once could both pick the same ones.
   */
  create(request: NetworkCreateRequest): Promise<NetworkRecord> {
    const created = this.creations.then(() => this.createNow(request));
    this.creations = created.catch(() => undefined);
    return created;
  }

  private async createNow(request: NetworkCreateRequest): Promise<NetworkRecord> {
    const name = request.Name?.trim();
    if (!name) throw new InvalidArgumentError('network name is required');
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) throw new InvalidArgumentError(`invalid network name "${name}"`);
    if (this.list().some((n) => n.name === name)) throw new ConflictError(`network with name ${name} already exists`);
    const driver = request.Driver || 'bridge';
    if (driver !== 'bridge') {
      throw new NotImplementedError(`plugin "${driver}" not found`, { hint: 'only the bridge driver is built in' });
    }
    const pools = request.IPAM?.Config ?? [];
    if (pools.length > 1) throw new NotImplementedError('only one IPv4 subnet per network is supported');
    await this.ready;
    const id = randomBytes(32).toString('hex');
    const { subnet, gateway } = await this.addressing(pools[0]?.Subnet, pools[0]?.Gateway);
    const record: NetworkRecord = {
      id,
      name,
      driver: 'bridge',
      created: new Date().toISOString(),
      predefined: false,
      bridge: request.Options?.['com.docker.network.bridge.name'] ?? `tsc-${id.slice(0, 11)}`,
      subnet,
      gateway,
      internal: request.Internal ?? false,
      labels: request.Labels ?? {},
      options: request.Options ?? {},
    };
    this.networks.set(id, record);
    try {
      await this.activate(record);
      await this.store.save(record);
    } catch (error) {
      this.networks.delete(id);
      await this.deactivate(record).catch(() => undefined);
      throw error;
    }
    this.publish(record, 'create');
    return record;
  }

  /** Removes a network no running container is on; the records of stopped ones keep naming it, as Docker's do. */
  async remove(idOrName: string): Promise<void> {
    const network = this.get(idOrName);
    if (network.predefined) throw new PermissionDeniedError(`${network.name} is a pre-defined network and cannot be removed`);
    const users = this.endpointsOf(network);
    if (users.length > 0) {
      const names = users.map(({ record }) => `name:"${record.name}" id:"${record.id.slice(0, 12)}"`).join(', ');
      throw new PermissionDeniedError(`error while removing network: network ${network.name} id ${network.id} has active endpoints (${names})`, {
        hint: 'stop or disconnect those containers first',
      });
    }
    this.networks.delete(network.id);
    await this.ready;
    await this.deactivate(network);
    await this.store.delete(network.id);
    this.publish(network, 'destroy');
  }

  /** Removes the user-defined networks no container (running or not) refers to. */
  async prune(containers: readonly ContainerRecord[]): Promise<string[]> {
    const used = new Set(containers.flatMap((c) => c.network?.endpoints.map((e) => e.networkId) ?? []));
    const removed: string[] = [];
    for (const network of this.list()) {
      if (network.predefined || used.has(network.id)) continue;
      await this.remove(network.id);
      removed.push(network.name);
    }
    return removed;
  }

  /**
   * What a create request asks of networking, validated; it becomes the record's `network`. `lookup` finds the
   * container a `container:<name|id>` mode names.
   */
  plan(request: ContainerCreateRequest, imageExposedPorts: Record<string, object> | undefined, lookup: ContainerLookup): ContainerNetworkState {
    const hostConfig = request.HostConfig ?? {};
    const requested = !hostConfig.NetworkMode || hostConfig.NetworkMode === 'default' ? 'bridge' : hostConfig.NetworkMode;
    if (requested === 'container' || joinedContainer(requested) !== undefined) return planJoinedNamespace(request, requested, lookup);
    const { default: defaultConfig, ...configs } = (request.NetworkingConfig?.EndpointsConfig ?? {}) as Record<string, EndpointConfig>;
    // The docker CLI keys the endpoint of a `run` without --network as "default", which names the default bridge.
    if (defaultConfig && !(requested in configs)) configs[requested] = defaultConfig;
    const state: ContainerNetworkState = {
      mode: requested,
      endpoints: [],
      portBindings: normalizePortBindings(hostConfig.PortBindings as PortMap | undefined),
      publishAll: hostConfig.PublishAllPorts === true,
      exposedPorts: [...new Set([...Object.keys(imageExposedPorts ?? {}), ...Object.keys(request.ExposedPorts ?? {})])].map(
        (key) => (key.includes('/') ? key : `${key}/tcp`),
      ),
    };
    const primary = this.get(requested);
    if (primary.driver !== 'bridge') return { ...state, mode: primary.name };
    const names = [requested, ...Object.keys(configs).filter((key) => this.get(key).id !== primary.id)];
    state.mode = primary.predefined ? primary.name : requested;
    state.endpoints = names.map((key) => this.endpointFor(this.get(key), configs[key]));
    return state;
  }

  /**
   * Networking for a starting container: its namespace, addresses, interfaces, published ports and the three
   * generated files, all put into `spec`. On failure everything made so far is undone. `lookup` finds the
   * container whose namespace a `container:` mode joins.
   */
  async attach(record: ContainerRecord, spec: OciSpec, lookup: ContainerLookup): Promise<void> {
    const state = (record.network ??= { mode: 'none', endpoints: [], portBindings: {}, publishAll: false, exposedPorts: [] });
    const joined = joinedContainer(state.mode);
    if (joined !== undefined) return this.join(record, spec, containerToJoin(record, joined, lookup, 'network'));
    const directory = this.containers.directory(record.id);
    const hostname = record.config.Hostname || record.id.slice(0, 12);
    const extraHosts = record.hostConfig.ExtraHosts ?? undefined;
    const dns = record.hostConfig;
    // A network removed since create fails the start, as with Docker.
    const network = this.get(state.endpoints[0]?.networkId ?? state.mode);
    if (network.driver === 'host') {
      shareHostNamespace(spec, 'network');
      addMounts(spec, await writeContainerFiles({ directory, hostname, hostHosts: true, extraHosts, dns }));
      state.sandbox = { ports: {} };
      return;
    }
    if (network.driver === 'null') {
      // The runtime makes a fresh namespace with only loopback when the spec names none.
      addMounts(spec, await writeContainerFiles({ directory, hostname, extraHosts, dns }));
      state.sandbox = { ports: {} };
      return;
    }
    await this.ready;
    const leases = state.endpoints.map((endpoint) => {
      const ipam = this.ipamOf(this.get(endpoint.networkId));
      return { endpoint, address: ipam.allocate(record.id, endpoint.requestedAddress), ipam };
    });
    this.attached.set(record.id, record);
    try {
      const [netnsPath, published] = await Promise.all([
        this.namespaces.create(record.id),
        this.ports.allocate(record.id, this.bindingsToPublish(state)),
      ]);
      state.sandbox = { netnsPath, ports: toPortMap(published, state.exposedPorts) };
      const dnsNetwork = state.endpoints.map((e) => this.get(e.networkId)).find(hasEmbeddedDns);
      const [mounts] = await Promise.all([
        writeContainerFiles({ directory, hostname, address: leases[0]?.address, nameserver: dnsNetwork?.gateway, extraHosts, dns }),
        ...leases.map(async ({ endpoint, address }, index) => {
          endpoint.attached = await this.plug(record.id, netnsPath, endpoint, address, `eth${index}`, index === 0 ? published : []);
        }),
      ]);
      addMounts(spec, mounts);
      joinNamespace(spec, 'network', netnsPath);
    } catch (error) {
      for (const { endpoint, address, ipam } of leases) if (!endpoint.attached) ipam.release(address);
      await this.release(record);
      throw error;
    }
  }

  /**
   * `--network container:x`, as moby's `initializeNetworking` does it: the namespace of `target` (its bind mount,
   * else its init's), its hosts, resolv.conf and hostname files, and its hostname. None of it is the joiner's, so
   * releasing the joiner releases nothing, and when `target` stops its interfaces go for both, as with Docker.
   */
  private join(record: ContainerRecord, spec: OciSpec, target: ContainerRecord): void {
    if (target.network?.mode === 'host') shareHostNamespace(spec, 'network');
    else joinNamespace(spec, 'network', target.network?.sandbox?.netnsPath ?? `/proc/${target.state.pid}/ns/net`);
    addMounts(spec, containerFileMounts(this.containers.directory(target.id)));
    const previous = `HOSTNAME=${spec.hostname}`;
    record.config.Hostname = spec.hostname = target.config.Hostname;
    record.config.Domainname = target.config.Domainname;
    spec.process.env = spec.process.env.map((entry) => (entry === previous ? `HOSTNAME=${spec.hostname}` : entry));
    record.network!.sandbox = { ports: {} };
  }

  /** Undoes {@link attach}: interfaces, published ports, leases, namespace. Safe to call again. */
  async release(record: ContainerRecord): Promise<void> {
    const state = record.network;
    this.attached.delete(record.id);
    this.ports.release(record.id);
    if (!state?.sandbox) return;
    const { sandbox } = state;
    // Cleared before the slow part, so a concurrent release or a restore never sees it half undone.
    state.sandbox = undefined;
    await this.ready;
    const detached = state.endpoints.map(async (endpoint, index) => {
      const attached = endpoint.attached;
      endpoint.attached = undefined;
      if (!attached) return;
      const network = this.networks.get(endpoint.networkId);
      if (!network) return;
      const ports = index === 0 ? toPublishedPorts(sandbox.ports) : [];
      await this.driver
        .detach(this.endpointRequest(record.id, sandbox.netnsPath ?? '', network, attached.ifname, attached.address, index === 0, ports), {
          macAddress: attached.macAddress,
          cniResult: attached.cniResult,
        })
        .catch((error: Error) => process.emitWarning(`container ${record.id}: detaching from ${network.name}: ${error.message}`));
      // Only now: until its interface has gone, the old namespace still answers for the address (a removal does
      // not wait for this, and the next container would otherwise be given the same address at once).
      this.ipams.get(network.id)?.release(attached.address);
    });
    await Promise.all(detached);
    if (sandbox.netnsPath) await this.namespaces.delete(record.id);
  }

  /** After a daemon restart: a running container keeps its leases, ports and rules. */
  adopt(record: ContainerRecord): void {
    const state = record.network;
    if (!state?.sandbox) return;
    this.attached.set(record.id, record);
    this.ports.adopt(record.id, toPublishedPorts(state.sandbox.ports));
    for (const endpoint of state.endpoints) {
      const network = this.networks.get(endpoint.networkId);
      if (endpoint.attached && network) this.ipamOf(network).adopt(record.id, endpoint.attached.address);
    }
  }

  /** After a daemon restart: releases what records of stopped containers still hold, and namespaces nobody owns. */
  async sweep(records: readonly ContainerRecord[]): Promise<void> {
    for (const record of records) if (record.state.status !== 'running' && record.network?.sandbox) await this.release(record);
    const owned = new Set(records.filter((r) => r.network?.sandbox?.netnsPath).map((r) => r.id));
    for (const id of await this.namespaces.list()) if (!owned.has(id)) await this.namespaces.delete(id);
  }

  /** `network connect`: joins at once if the container runs, else at its next start. */
  async connect(record: ContainerRecord, idOrName: string, config: EndpointConfig = {}): Promise<void> {
    const network = this.get(idOrName);
    const state = record.network;
    if (joinedContainer(state?.mode) !== undefined) {
      throw new InvalidArgumentError('container sharing network namespace with another container or host cannot be connected to any other network');
    }
    if (!state || state.endpoints.length === 0 || network.driver !== 'bridge') {
      throw new PermissionDeniedError(`container ${record.name} cannot be connected to network ${network.name}: it uses the ${state?.mode ?? 'none'} network mode`);
    }
    if (state.endpoints.some((e) => e.networkId === network.id)) {
      throw new AlreadyExistsError(`endpoint with name ${record.name} already exists in network ${network.name}`);
    }
    const endpoint = this.endpointFor(network, config);
    await this.ready;
    const hadResolver = state.endpoints.some((e) => {
      const other = this.networks.get(e.networkId);
      return other !== undefined && hasEmbeddedDns(other);
    });
    if (state.sandbox?.netnsPath) {
      const used = new Set(state.endpoints.map((e) => e.attached?.ifname));
      let index = 0;
      while (used.has(`eth${index}`)) index++;
      const ipam = this.ipamOf(network);
      const address = ipam.allocate(record.id, endpoint.requestedAddress);
      try {
        endpoint.attached = await this.plug(record.id, state.sandbox.netnsPath, endpoint, address, `eth${index}`, []);
      } catch (error) {
        ipam.release(address);
        throw error;
      }
      // A container that started without the embedded resolver (on the default bridge) is given it now.
      if (!hadResolver && hasEmbeddedDns(network)) await switchToEmbeddedDns(this.containers.directory(record.id), network.gateway!, record.hostConfig);
    }
    state.endpoints.push(endpoint);
    await this.containers.save(record);
    this.publish(network, 'connect', { container: record.id });
  }

  /** `network disconnect`: leaves at once if the container runs. */
  async disconnect(record: ContainerRecord, idOrName: string): Promise<void> {
    const network = this.get(idOrName);
    const state = record.network;
    const index = state?.endpoints.findIndex((e) => e.networkId === network.id) ?? -1;
    if (!state || index < 0) throw new NotFoundError(`container ${record.id} is not connected to network ${network.name}`);
    const [endpoint] = state.endpoints.splice(index, 1);
    if (endpoint.attached && state.sandbox?.netnsPath) {
      const { attached } = endpoint;
      this.ipamOf(network).release(attached.address);
      const ports = index === 0 ? toPublishedPorts(state.sandbox.ports) : [];
      await this.driver.detach(
        this.endpointRequest(record.id, state.sandbox.netnsPath, network, attached.ifname, attached.address, index === 0, ports),
        { macAddress: attached.macAddress, cniResult: attached.cniResult },
      );
    }
    await this.containers.save(record);
    this.publish(network, 'disconnect', { container: record.id });
  }

  private endpointFor(network: NetworkRecord, config: EndpointConfig | undefined): EndpointState {
    const aliases = config?.Aliases ?? [];
    if (aliases.length > 0 && !hasEmbeddedDns(network)) {
      throw new InvalidArgumentError('network-scoped alias is supported only for containers in user defined networks');
    }
    const requestedAddress = config?.IPAMConfig?.IPv4Address || undefined;
    if (requestedAddress && network.predefined) {
      throw new InvalidArgumentError('user specified IP address is supported only when connecting to networks with user configured subnets');
    }
    return { networkId: network.id, networkName: network.name, aliases, requestedAddress };
  }

  private async plug(containerId: string, netnsPath: string, endpoint: EndpointState, address: string, ifname: string, ports: PublishedPort[]): Promise<AttachedEndpoint> {
    const network = this.get(endpoint.networkId);
    const { macAddress, cniResult } = await this.driver.attach(this.endpointRequest(containerId, netnsPath, network, ifname, address, ifname === 'eth0', ports));
    return {
      endpointId: randomBytes(32).toString('hex'),
      ifname,
      address,
      prefixLength: parseSubnet(network.subnet!).prefix,
      gateway: network.gateway!,
      macAddress,
      cniResult,
    };
  }

  private endpointRequest(containerId: string, netnsPath: string, network: NetworkRecord, ifname: string, address: string, defaultRoute: boolean, ports: PublishedPort[]): EndpointRequest {
    return { containerId, network, netnsPath, ifname, address, defaultRoute, ports };
  }

  /** Port bindings plus, with `-P`, a random host port for every exposed port that has none. */
  private bindingsToPublish(state: ContainerNetworkState): PortMap {
    const bindings: PortMap = { ...state.portBindings };
    if (state.publishAll) for (const key of state.exposedPorts) bindings[key] ??= [{ HostIp: '', HostPort: '' }];
    return bindings;
  }

  private resolveName(networkId: string, client: string, name: string): string[] {
    const asker = this.attached.get(this.ipams.get(networkId)?.ownerOf(client) ?? '');
    // Names resolve on the networks the asking container shares with the target, as with Docker's resolver.
    const scope = new Set(asker?.network?.endpoints.map((e) => e.networkId) ?? [networkId]);
    const addresses = new Set<string>();
    for (const record of this.attached.values()) {
      for (const endpoint of record.network?.endpoints ?? []) {
        if (!endpoint.attached || !scope.has(endpoint.networkId)) continue;
        const network = this.networks.get(endpoint.networkId);
        if (!network || !hasEmbeddedDns(network)) continue;
        if (dnsNames(record, endpoint).includes(name)) addresses.add(endpoint.attached.address);
      }
    }
    return [...addresses];
  }

  /**
   * Where the resolver forwards what it does not know for the container at `client`: its `--dns` servers, as
   * Docker's does, else the daemon's. The resolver runs on the host, so loopback servers work as with Docker,
   * which forwards to them from the host's namespace.
   */
  private upstreamOf(networkId: string, client: string): string[] {
    const asker = this.attached.get(this.ipams.get(networkId)?.ownerOf(client) ?? '');
    const servers = asker?.hostConfig.Dns;
    return servers?.length ? servers : this.upstream;
  }

  private nameOfAddress(networkId: string, address: string): string | undefined {
    const record = this.attached.get(this.ipams.get(networkId)?.ownerOf(address) ?? '');
    const network = this.networks.get(networkId);
    return record && network ? `${record.name}.${network.name}` : undefined;
  }

  private ipamOf(network: NetworkRecord): Ipam {
    let ipam = this.ipams.get(network.id);
    if (!ipam) {
      ipam = new Ipam(parseSubnet(network.subnet!), network.gateway!);
      this.ipams.set(network.id, ipam);
    }
    return ipam;
  }

  private async activate(network: NetworkRecord): Promise<void> {
    if (network.driver !== 'bridge') return;
    await this.devicesRemoved();
    await this.driver.setUp(network);
    this.ipamOf(network);
    if (hasEmbeddedDns(network)) await this.dns.listen(network.id, network.gateway!);
  }

  private async deactivate(network: NetworkRecord): Promise<void> {
    this.dns.close(network.id);
    this.ipams.delete(network.id);
    if (network.driver !== 'bridge') return;
    const { deviceRemoved } = await this.driver.tearDown(network);
    const leaving = deviceRemoved.finally(() => this.leavingDevices.delete(leaving));
    this.leavingDevices.add(leaving);
  }

  /** Resolves once the devices of every network removed so far have gone (the daemon waits for them as it stops). */
  async devicesRemoved(): Promise<void> {
    await Promise.all(this.leavingDevices);
  }

  /** The predefined network `name`; the default bridge follows daemon.json's `bridge` and `bip` when they change. */
  private async ensurePredefined(name: string): Promise<void> {
    const existing = this.list().find((n) => n.name === name && n.predefined);
    const driver = PREDEFINED[name];
    if (driver !== 'bridge') {
      if (!existing) await this.saveNew({ id: randomBytes(32).toString('hex'), name, driver, created: new Date().toISOString(), predefined: true, internal: false, labels: {}, options: {} });
      return;
    }
    const wanted = this.config.network ?? {};
    const bridge = wanted.bridge ?? existing?.bridge ?? DEFAULT_BRIDGE_NAME;
    const changed = existing && (bridge !== existing.bridge || (wanted.bip && !bipMatches(wanted.bip, existing)));
    if (existing && !changed) return;
    if (existing) await this.deactivate(existing);
    // As dockerd does with docker0: a bridge that already carries an address keeps it, rather than gaining another.
    const adopted = wanted.bip ? undefined : await bridgeAddress(bridge);
    const { subnet, gateway } = wanted.bip ? fromBip(wanted.bip) : adopted ? fromBip(adopted) : await this.addressing();
    await this.saveNew({
      id: existing?.id ?? randomBytes(32).toString('hex'),
      name,
      driver,
      created: existing?.created ?? new Date().toISOString(),
      predefined: true,
      bridge,
      subnet,
      gateway,
      internal: false,
      labels: {},
      options: { 'com.docker.network.bridge.name': bridge, 'com.docker.network.bridge.default_bridge': 'true' },
    });
  }

  private async saveNew(record: NetworkRecord): Promise<void> {
    this.networks.set(record.id, record);
    await this.store.save(record);
  }

  /** A subnet and gateway from the request, else the first free subnet of the pools and its first address. */
  private async addressing(subnetText?: string, gatewayText?: string): Promise<{ subnet: string; gateway: string }> {
    const taken = this.list().flatMap((n) => (n.subnet ? [n.subnet] : []));
    const subnet = subnetText ?? (await pickSubnet(this.config.network?.addressPools ?? DEFAULT_ADDRESS_POOLS, taken));
    const parsed = parseSubnet(subnet);
    if (subnetText && taken.some((t) => overlaps(parseSubnet(t), parsed))) {
      throw new PermissionDeniedError(`Pool overlaps with other one on this address space`, { hint: `subnet ${subnet} is in use by another network` });
    }
    const gateway = gatewayText ?? formatIpv4(parsed.base + 1);
    if (!contains(parsed, parseIpv4(gateway))) throw new InvalidArgumentError(`gateway ${gateway} is not in subnet ${subnet}`);
    return { subnet, gateway };
  }

  private publish(network: NetworkRecord, action: string, extra: Record<string, string> = {}): void {
    this.events.publish({ Type: 'network', Action: action, Actor: { ID: network.id, Attributes: { name: network.name, type: network.driver, ...extra } } });
  }
}

/** The names a container answers to on a network: its name, its aliases and its short id (Docker's DNSNames). */
export function dnsNames(record: ContainerRecord, endpoint: EndpointState): string[] {
  return [record.name, ...endpoint.aliases, record.id.slice(0, 12)].map((n) => n.toLowerCase());
}

/**
 * Adds the generated files' mounts, unless the user mounted something of their own there (Docker's rule); with
 * a read-only root filesystem they are read-only too, as moby's `NetworkMounts` makes them.
 */
function addMounts(spec: OciSpec, mounts: OciMount[]): void {
  const taken = new Set((spec.mounts ??= []).map((m) => m.destination));
  const readonly = (m: OciMount): OciMount => (spec.root.readonly ? { ...m, options: [...(m.options ?? []), 'ro'] } : m);
  spec.mounts.push(...mounts.filter((m) => !taken.has(m.destination)).map(readonly));
}

/** The first IPv4 address (`172.17.0.1/16`) of an existing bridge device, or undefined. */
async function bridgeAddress(bridge: string): Promise<string | undefined> {
  const output = await hostCommand('ip', ['-j', '-4', 'addr', 'show', 'dev', bridge]).catch(() => '[]');
  const [link] = JSON.parse(output || '[]') as { addr_info?: { local: string; prefixlen: number }[] }[];
  const address = link?.addr_info?.[0];
  return address ? `${address.local}/${address.prefixlen}` : undefined;
}

/** daemon.json's `bip` (`172.17.0.1/16`): the gateway address with the subnet's prefix. */
function fromBip(bip: string): { subnet: string; gateway: string } {
  const parsed = parseSubnet(bip, { loose: true });
  return { subnet: `${formatIpv4(parsed.base)}/${parsed.prefix}`, gateway: bip.split('/')[0] };
}

function bipMatches(bip: string, network: NetworkRecord): boolean {
  const { subnet, gateway } = fromBip(bip);
  return network.subnet === subnet && network.gateway === gateway;
}

