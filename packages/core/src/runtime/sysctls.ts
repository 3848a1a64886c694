// SPDX-License-Identifier: Apache-2.0
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from '../errors/engine-error.js';

/** IPC-namespaced parameters Docker accepts by name (docker/cli `opts.ValidateSysctl`). */
const IPC_SYSCTLS = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni',
  'kernel.shm_rmid_forced',
]);

/** Namespaced parameter families Docker accepts by prefix: the network's and the POSIX message queues'. */
const NAMESPACED_PREFIXES = ['net.', 'fs.mqueue.'];

/** Where a container's network namespace comes from, which decides whether `net.*` may be set. */
export type NetworkNamespaceKind = 'private' | 'host' | 'joined';

/**
 * Checks `--sysctl` entries. Only parameters the container's own namespaces scope may be set, or a container could
 * retune the host: Docker's CLI allow-list, in its words, enforced here so API and compose clients get it too; and
 * no `net.*` in the host's network namespace (runc's check, made at create rather than at start).
 */
export function validateSysctls(sysctls: Record<string, string> | null | undefined, network: NetworkNamespaceKind): void {
  for (const [name, value] of Object.entries(sysctls ?? {})) {
    if (!IPC_SYSCTLS.has(name) && !NAMESPACED_PREFIXES.some((prefix) => name.startsWith(prefix))) {
      throw new InvalidArgumentError(`sysctl '${name}=${value}' is not allowed`, {
        hint: 'only namespaced parameters can be set: net.*, fs.mqueue.*, kernel.msg*, kernel.sem and kernel.shm*',
      });
    }
    if (network === 'host' && name.startsWith('net.')) {
      throw new InvalidArgumentError(`sysctl "${name}" not allowed in host network namespace`);
    }
  }
}

/**
 * `linux.sysctl` of the spec: in a network namespace of its own, Docker's defaults first (moby `oci_linux.go`
 * WithCommonOptions: unprivileged ping and low ports, which the default capabilities grant anyway), then the
 * user's, which win. A parameter this kernel lacks is left out of the defaults: the runtime fails on it.
 */
export function containerSysctls(
  sysctls: Record<string, string> | null | undefined,
  network: NetworkNamespaceKind,
  exists: (name: string) => boolean = sysctlExists,
): Record<string, string> | undefined {
  const defaults: Record<string, string> = {};
  if (network === 'private') {
    if (exists('net.ipv4.ping_group_range')) defaults['net.ipv4.ping_group_range'] = '0 2147483647';
    if (exists('net.ipv4.ip_unprivileged_port_start')) defaults['net.ipv4.ip_unprivileged_port_start'] = '0';
  }
  const merged = { ...defaults, ...(sysctls ?? {}) };
  return Object.keys(merged).length > 0 ? merged : undefined;
}

function sysctlExists(name: string): boolean {
  return existsSync(`/proc/sys/${name.replaceAll('.', '/')}`);
}
