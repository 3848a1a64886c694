// SPDX-License-Identifier: Apache-2.0
import type { HostConfig } from '../api/container.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import type { ContainerLookup } from '../network/joined-namespace.js';
import { validateDnsSettings } from '../network/resolv-conf.js';
import { containerDevices, validateDeviceMappings } from '../runtime/container-devices.js';
import { resolveAdditionalGroups } from '../runtime/container-user.js';
import { DEFAULT_SHM_SIZE } from '../runtime/default-spec.js';
import type { OciSpec } from '../runtime/oci-spec.js';
import { daemonLimits, ociRlimits, validateUlimits } from '../runtime/rlimits.js';
import { containerSysctls, validateSysctls, type NetworkNamespaceKind } from '../runtime/sysctls.js';
import { validatePidMode } from './pid-mode.js';

/**
 * Checks the `docker run` process and sandbox options of `HostConfig` (ulimits, sysctls, DNS, devices, shm size,
 * PID mode, whose container `lookup` finds) at create, so a bad value fails `create` with Docker's message instead
 * of a later start.
 */
export async function validateRunOptions(hostConfig: HostConfig, lookup: ContainerLookup): Promise<void> {
  validateUlimits(hostConfig.Ulimits, await daemonLimits());
  validateSysctls(hostConfig.Sysctls, networkNamespaceKind(hostConfig.NetworkMode));
  validateDnsSettings(hostConfig);
  validateDeviceMappings(hostConfig.Devices);
  if ((hostConfig.ShmSize ?? 0) < 0) throw new InvalidArgumentError('SHM size can not be less than 0');
  validatePidMode(hostConfig.PidMode, lookup);
}

/**
 * Puts those options into a container's spec (moby `oci_linux.go` WithRlimits, WithSysctls, WithDevices, WithUser,
 * WithMounts' shm size). `rootfs` is the mounted root filesystem, whose /etc/group names `GroupAdd`'s groups.
 * The daemon's limits are read again: they may have changed since create, and a limit can still only be lowered.
 */
export async function applyRunOptions(spec: OciSpec, hostConfig: HostConfig, rootfs: string): Promise<void> {
  validateUlimits(hostConfig.Ulimits, await daemonLimits());
  const rlimits = ociRlimits(hostConfig.Ulimits);
  if (rlimits) spec.process.rlimits = rlimits;

  const sysctl = containerSysctls(hostConfig.Sysctls, networkNamespaceKind(hostConfig.NetworkMode));
  if (sysctl) spec.linux.sysctl = { ...spec.linux.sysctl, ...sysctl };

  const { devices, rules } = await containerDevices(hostConfig.Devices);
  if (devices.length > 0) {
    spec.linux.devices = [...(spec.linux.devices ?? []), ...devices];
    // A privileged container's cgroup allows every device already.
    if (!hostConfig.Privileged) (spec.linux.resources ??= {}).devices = [...(spec.linux.resources.devices ?? []), ...rules];
  }

  const groups = await resolveAdditionalGroups(rootfs, hostConfig.GroupAdd ?? []);
  if (groups.length > 0) {
    const user = spec.process.user;
    user.additionalGids = [...new Set([...(user.additionalGids ?? []), ...groups])];
  }

  const shm = spec.mounts.find((m) => m.destination === '/dev/shm' && m.source === 'shm');
  if (shm) shm.options = [...(shm.options ?? []).filter((o) => !o.startsWith('size=')), `size=${hostConfig.ShmSize || DEFAULT_SHM_SIZE}`];
}

function networkNamespaceKind(mode: string | undefined): NetworkNamespaceKind {
  return mode === 'host' ? 'host' : mode?.startsWith('container:') ? 'joined' : 'private';
}
