// SPDX-License-Identifier: Apache-2.0
// The process and sandbox settings of Docker's `HostConfig` (moby api/swagger.yaml) that `docker run` options set.

/** `--ulimit nofile=1024:2048`: one resource limit (`setrlimit(2)`); -1 is unlimited. */
export interface Ulimit {
  /** Lower-case name without `RLIMIT_`: `nofile`, `nproc`, `core`, … */
  Name: string;
  Soft: number;
  Hard: number;
}

/** `--device /dev/fuse:/dev/fuse:rwm`: a host device made in the container and allowed by its device cgroup. */
export interface DeviceMapping {
  PathOnHost: string;
  /** Defaults to `PathOnHost`. */
  PathInContainer?: string;
  /** Some of `r`, `w`, `m` (mknod); defaults to `rwm`. */
  CgroupPermissions?: string;
}

export interface ContainerRunOptions {
  Ulimits?: Ulimit[] | null;
  /** `--read-only`: the root filesystem, and the generated hosts/resolv.conf/hostname files, are read-only. */
  ReadonlyRootfs?: boolean;
  /** `--sysctl`: namespaced kernel parameters (`net.*`, `kernel.shm*`, `kernel.msg*`, `kernel.sem`, `fs.mqueue.*`). */
  Sysctls?: Record<string, string> | null;
  /** `--dns`: the nameservers of the container's resolv.conf (or, on a user network, the embedded resolver's upstreams). */
  Dns?: string[] | null;
  /** `--dns-search`; `.` alone means no search domains. */
  DnsSearch?: string[] | null;
  /** `--dns-option`: resolv.conf `options` (`ndots:2`, `timeout:1`). */
  DnsOptions?: string[] | null;
  /** `--shm-size` in bytes; 0: 64 MiB. */
  ShmSize?: number;
  Devices?: DeviceMapping[] | null;
  /** `--group-add`: supplementary groups, by name (looked up in the image's /etc/group) or number. */
  GroupAdd?: string[] | null;
  /** `--pid`: `""` a PID namespace of its own, `host` the host's, `container:<name|id>` that running container's. */
  PidMode?: string;
}
