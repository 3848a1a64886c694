// SPDX-License-Identifier: Apache-2.0
// Container wire types of the Docker Engine API (v1.41 shape).
import type { ContainerResources } from './container-resources.js';
import type { ContainerRunOptions } from './run-options.js';
import type { MountPoint, MountSpec } from './volume.js';

export type { ContainerResources, ContainerUpdateRequest, ContainerUpdateResponse } from './container-resources.js';
export type { ContainerRunOptions, DeviceMapping, Ulimit } from './run-options.js';

/** `Config` of `POST /containers/create` and of container inspect. */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object>;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  StopTimeout?: number;
  Healthcheck?: HealthConfig;
}

/**
 * How to check a container's health (`HEALTHCHECK`, `--health-cmd`). Durations are nanoseconds; zero means the
 * default (30 s interval and timeout, 3 retries, no start period).
 */
export interface HealthConfig {
  /** `[]` inherit the image's, `["NONE"]` disabled, `["CMD", args…]`, or `["CMD-SHELL", "command"]` run by `/bin/sh -c`. */
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  StartInterval?: number;
}

export type HealthStatus = 'none' | 'starting' | 'healthy' | 'unhealthy';

/** `State.Health` of container inspect. */
export interface ContainerHealth {
  Status: HealthStatus;
  FailingStreak: number;
  /** The last five probes, oldest first. */
  Log: HealthcheckResult[];
}

export interface HealthcheckResult {
  /** RFC 3339 with nanoseconds. */
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export interface HostConfig extends ContainerResources, ContainerRunOptions {
  AutoRemove?: boolean;
  Runtime?: string;
  NetworkMode?: string;
  RestartPolicy?: RestartPolicy;
  Binds?: string[] | null;
  Mounts?: MountSpec[] | null;
  /** `--tmpfs`: mount point to options (`size=64m,mode=1777`). */
  Tmpfs?: Record<string, string> | null;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Privileged?: boolean;
  /** `--security-opt`: `seccomp=unconfined|builtin|<profile JSON>`, `no-new-privileges[=bool]`, … */
  SecurityOpt?: string[] | null;
  /** `--add-host`: `host:ip` entries for the container's /etc/hosts. */
  ExtraHosts?: string[] | null;
  Init?: boolean | null;
  /** `[height, width]` of a `Tty` container's terminal from its start (`docker run -t` sends the client's). */
  ConsoleSize?: [number, number] | null;
  [key: string]: unknown;
}

/** Body of `POST /containers/create`. */
export interface ContainerCreateRequest extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, unknown> };
}

export interface ContainerCreateResponse {
  Id: string;
  Warnings: string[];
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface ContainerState {
  Status: ContainerStatus;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: ContainerHealth;
}

/** `GET /containers/{id}/json`. */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  HostConfig: HostConfig;
  Config: ContainerConfig;
  NetworkSettings: { Networks: Record<string, unknown>; Ports: Record<string, unknown> };
  Mounts: MountPoint[];
}

/** An entry of `GET /containers/json`. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  /** Unix seconds. */
  Created: number;
  Ports: unknown[];
  Labels: Record<string, string>;
  State: ContainerStatus;
  /** `Up 5 minutes`, `Exited (0) 3 seconds ago`. */
  Status: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, unknown> };
  Mounts: MountPoint[];
}

/** `POST /containers/{id}/wait`. */
export interface ContainerWaitResponse {
  StatusCode: number;
  Error: { Message: string } | null;
}

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';
