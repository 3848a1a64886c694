// SPDX-License-Identifier: Apache-2.0
// Wire types of the Docker Engine API (v1.41 shape) shared by the daemon and its clients: `/version`, `/info`.

export const API_VERSION = '1.41';
export const MIN_API_VERSION = '1.24';

export interface SystemVersion {
  Platform: { Name: string };
  Components: { Name: string; Version: string; Details?: Record<string, string> }[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
  BuildTime: string;
  Experimental?: boolean;
}

export interface SystemInfo {
  ID: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  DockerRootDir: string;
  CgroupDriver: string;
  CgroupVersion: string;
  KernelVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  Name: string;
  ServerVersion: string;
  /** Each loaded runtime; `version` and `features` (the runtime's `features` output, when it has that command) are tsc-engine's. */
  Runtimes: Record<string, { path: string; version?: string; features?: unknown }>;
  DefaultRuntime: string;
  SecurityOptions: string[];
  Warnings: string[];
  IndexServerAddress: string;
  LiveRestoreEnabled: boolean;
  Swarm: { LocalNodeState: string };
  RegistryConfig?: { InsecureRegistryCIDRs: string[]; Mirrors: string[] };
  /** tsc-engine's own: each engine plugin and how it loaded. */
  Plugins?: { Engine: import('../plugin/plugin-status.js').PluginStatus[] };
  /** tsc-engine's own: the pull quota each registry reported on its last pull (Docker Hub's `RateLimit-*` headers). */
  RegistryRateLimits?: { Registry: string; Limit: number; Remaining: number; WindowSeconds?: number; ObservedAt: string }[];
}
