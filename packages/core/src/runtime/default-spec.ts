// SPDX-License-Identifier: Apache-2.0
// Docker's default container security profile (moby v28 `oci/defaults.go`, `oci/caps/defaults.go`,
// `daemon/oci_linux.go`), which every container gets unless the user relaxes it.
import { readdir } from 'node:fs/promises';
import type { OciLinux, OciMount } from './oci-spec.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Bounding = permitted = effective set of an unprivileged container. */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Kernel files that leak host information or allow attacks, hidden behind /dev/null or an empty tmpfs. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = [
  '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger',
];

/** 64 MiB, Docker's default `--shm-size`. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export const DEFAULT_MOUNTS: readonly OciMount[] = [
  { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
  { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
  {
    destination: '/dev/pts',
    type: 'devpts',
    source: 'devpts',
    options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
  },
  { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
  { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
  {
    destination: '/dev/shm',
    type: 'tmpfs',
    source: 'shm',
    options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${DEFAULT_SHM_SIZE}`],
  },
];

type DeviceRule = NonNullable<NonNullable<OciLinux['resources']>['devices']>[number];

/** Deny every device, then allow the few a process needs and runtimes create (null, zero, ttys, …). */
export const DEFAULT_DEVICE_RULES: readonly DeviceRule[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

/**
 * The default masked paths plus `/sys/devices/system/cpu/cpu*\/thermal_throttle` where this host has them
 * (GHSA-6fw5-f8r9-fgfm: they let a container throttle host CPUs).
 */
export async function defaultMaskedPaths(): Promise<string[]> {
  const cpus = await readdir('/sys/devices/system/cpu').catch(() => [] as string[]);
  const throttles = await Promise.all(
    cpus
      .filter((name) => /^cpu\d+$/.test(name))
      .map(async (cpu) => {
        const path = `/sys/devices/system/cpu/${cpu}/thermal_throttle`;
        return (await readdir(path).then(() => true, () => false)) ? path : undefined;
      }),
  );
  return [...DEFAULT_MASKED_PATHS, ...throttles.filter((p): p is string => p !== undefined)];
}
