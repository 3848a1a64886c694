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
    [key: string]: unknown;
  };
  cgroupsPath?: string;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: unknown;
  sysctl?: Record<string, string>;
}
