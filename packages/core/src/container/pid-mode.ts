// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError } from '../errors/engine-error.js';
import { containerToJoin, joinedContainer, joinNamespace, shareHostNamespace, type ContainerLookup } from '../network/joined-namespace.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import type { ContainerRecord } from './container-record.js';

/**
 * Checks `HostConfig.PidMode` at create, as moby's `validatePIDMode`: empty (a PID namespace of its own), `host`,
 * or `container:<name|id>`. Unlike `--network container:x`, the container named must exist already (moby looks it
 * up at create for its SELinux label, and a failed lookup is the request's fault: 400); it must be running only at
 * the start.
 */
export function validatePidMode(mode: string | undefined, lookup: ContainerLookup): void {
  const target = joinedContainer(mode);
  if (mode && mode !== 'host' && !target) throw new InvalidArgumentError(`invalid PID mode: ${mode}`);
  if (!target) return;
  try {
    lookup(target);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message, { cause: error });
  }
}

/**
 * The PID namespace of a starting container, as moby's `WithNamespaces`: `host` lists none, so the runtime leaves
 * the container in the host's (its /proc then shows every host process); `container:x` joins the namespace of x's
 * init, which must be running. Nothing else changes: the container keeps its capabilities, masked paths and cgroup.
 */
export function applyPidMode(spec: OciSpec, record: ContainerRecord, lookup: ContainerLookup): void {
  const mode = record.hostConfig.PidMode;
  if (mode === 'host') return shareHostNamespace(spec, 'pid');
  const target = joinedContainer(mode);
  if (target !== undefined) joinNamespace(spec, 'pid', `/proc/${containerToJoin(record, target, lookup, 'pid').state.pid}/ns/pid`);
}
