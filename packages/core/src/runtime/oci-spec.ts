// SPDX-License-Identifier: Apache-2.0
// The subset of the OCI runtime spec (config.json, runtime-spec v1.0+) the engine writes.

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly?: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: OciLinux;
  annotations?: Record<string, string>;
}

export interface OciProcess {
  terminal?: boolean;
  /** The terminal's size when the runtime creates it, so the process never sees it unsized (only with `terminal`). */
  consoleSize?: { height: number; width: number };
  user: { uid: number; gid: number; additionalGids?: number[]; umask?: number };
  args: string[];
  env: string[];
  cwd: string;
  capabilities?: {
    bounding: string[];
    effective: string[];
    permitted: string[];
    inheritable?: string[];
    ambient?: string[];
  };
  rlimits?: { type: string; hard: number; soft: number }[];
  noNewPrivileges?: boolean;
  apparmorProfile?: string;
  oomScoreAdj?: number;
}

export interface OciMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface OciLinux {
  namespaces: { type: string; path?: string }[];
  resources?: {
    devices?: { allow: boolean; type?: string; major?: number; minor?: number; access?: string }[];
    memory?: OciMemory;
    cpu?: OciCpu;
    pids?: { limit: number };
    [key: string]: unknown;
  };
  cgroupsPath?: string;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: OciSeccomp;
  sysctl?: Record<string, string>;
  /** Device nodes the runtime makes in the container's /dev (runtime-spec config-linux.md "Devices"). */
  devices?: OciDevice[];
}

export interface OciDevice {
  path: string;
  /** `c` character, `b` block, `p` FIFO. */
  type: string;
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** The cgroup limits of `linux.resources` that Docker's resource options set (and `runc update` changes). */
export type OciResourceLimits = Pick<NonNullable<OciLinux['resources']>, 'memory' | 'cpu' | 'pids'>;

/** `linux.resources.memory` (runtime-spec config-linux.md "Memory"): bytes; `swap` is memory plus swap, -1 unlimited. */
export interface OciMemory {
  limit?: number;
  reservation?: number;
  swap?: number;
  disableOOMKiller?: boolean;
}

/** `linux.resources.cpu`: `shares` a relative weight, `quota` microseconds of CPU time per `period`. */
export interface OciCpu {
  shares?: number;
  quota?: number;
  period?: number;
  cpus?: string;
  mems?: string;
}

/** `linux.seccomp` (runtime-spec config-linux.md "Seccomp"): what a runtime hands to libseccomp. */
export interface OciSeccomp {
  /** `SCMP_ACT_*`: what a syscall no rule matches gets. */
  defaultAction: string;
  /** The errno of a `SCMP_ACT_ERRNO` default action (EPERM when absent). */
  defaultErrnoRet?: number;
  /** `SCMP_ARCH_*`: the calling conventions the filter accepts; others are killed. */
  architectures?: string[];
  /** `SECCOMP_FILTER_FLAG_*`. */
  flags?: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls?: OciSyscallRule[];
}

export interface OciSyscallRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: OciSyscallArg[];
}

/** A comparison of one syscall argument: `op` is `SCMP_CMP_*`, `valueTwo` the mask of `SCMP_CMP_MASKED_EQ`. */
export interface OciSyscallArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}
