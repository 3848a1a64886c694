// SPDX-License-Identifier: Apache-2.0
import type { ContainerCreateRequest } from '../api/container.js';
import type { ContainerRecord } from '../container/container-record.js';
import { ConflictError, InternalError, InvalidArgumentError } from '../errors/engine-error.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import type { ContainerNetworkState } from './container-network-state.js';

/** Finds a container by id, name or unique id prefix (the container service's `get`); throws when none matches. */
export type ContainerLookup = (idOrName: string) => ContainerRecord;

const PREFIX = 'container:';

/** A namespace a container can share with another (`--network container:x`, `--pid container:x`). */
export type SharedNamespace = 'network' | 'pid';

/** The container named by a `container:<name|id>` network or PID mode, else undefined. */
export function joinedContainer(mode: string | undefined): string | undefined {
  return mode?.startsWith(PREFIX) ? mode.slice(PREFIX.length) : undefined;
}

/**
 * What `--network container:<name|id>` asks at create: nothing of its own — no endpoints, no ports — after the
 * checks of moby's `validateNetContainerMode`, with the same messages. As moby does, a container that exists is
 * named by its id from then on (so renaming it changes nothing), and one that does not is left for the start
 * to complain about.
 */
export function planJoinedNamespace(request: ContainerCreateRequest, mode: string, lookup: ContainerLookup): ContainerNetworkState {
  const target = joinedContainer(mode);
  const hostConfig = request.HostConfig ?? {};
  const conflict = (what: string) => new InvalidArgumentError(`conflicting options: ${what}`);
  if (!target) throw new InvalidArgumentError('invalid network mode: invalid container format container:<name|id>');
  if (request.Hostname) throw conflict('hostname and the network mode');
  if (listed(hostConfig.Links)) {
    throw conflict("container type network can't be used with links. This would result in undefined behavior");
  }
  if (listed(hostConfig.Dns)) throw conflict('dns and the network mode');
  if (listed(hostConfig.ExtraHosts)) throw conflict('custom host-to-IP mapping and the network mode');
  if (Object.keys(hostConfig.PortBindings ?? {}).length > 0 || hostConfig.PublishAllPorts) {
    throw conflict('port publishing and the container type network mode');
  }
  if (Object.keys(request.ExposedPorts ?? {}).length > 0) throw conflict('port exposing and the container type network mode');
  let id = target;
  try {
    id = lookup(target).id;
  } catch {
    // Created before the container it joins, which moby allows: the start finds it or fails.
  }
  return { mode: `${PREFIX}${id}`, endpoints: [], portBindings: {}, publishAll: false, exposedPorts: [] };
}

/**
 * The running container whose `namespace` `record` joins at its start (moby's `getNetworkedContainer` and
 * `getPIDContainer`).
 */
export function containerToJoin(record: ContainerRecord, target: string, lookup: ContainerLookup, namespace: SharedNamespace): ContainerRecord {
  let joined: ContainerRecord;
  try {
    joined = lookup(target);
  } catch (error) {
    // Not the user's mistake now but the state's (the name resolved, or was not checked, at create): as moby.
    throw new InternalError(`joining ${namespace} namespace of container: ${(error as Error).message}`, { cause: error });
  }
  if (joined.id === record.id) throw new InvalidArgumentError(`cannot join own ${namespace} namespace`);
  if (joined.state.status !== 'running') {
    throw new ConflictError(`cannot join ${namespace} namespace of a non running container: container ${joined.name} is ${joined.state.status}`, {
      hint: `start ${joined.name} first`,
    });
  }
  return joined;
}

/** Puts the container into the `type` namespace at `path` instead of a new one. */
export function joinNamespace(spec: OciSpec, type: SharedNamespace, path: string): void {
  const ns = spec.linux.namespaces.find((n) => n.type === type);
  if (ns) ns.path = path;
  else spec.linux.namespaces.push({ type, path });
}

/** Leaves the container in the host's `type` namespace: the runtime makes one only for the types the spec lists. */
export function shareHostNamespace(spec: OciSpec, type: SharedNamespace): void {
  spec.linux.namespaces = spec.linux.namespaces.filter((ns) => ns.type !== type);
}

/** HostConfig's `Links` and `Dns` are not typed here: any non-empty list of them counts. */
function listed(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
