// SPDX-License-Identifier: Apache-2.0
import type { ContainerConfig, ContainerHealth, ContainerStatus, HostConfig } from '../api/container.js';
import type { ContainerMount } from '../volume/container-mount.js';
import type { ContainerNetworkState } from '../network/container-network-state.js';

/** A container as the daemon persists it: what it was created from and what happened to it since. */
export interface ContainerRecord {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  /** RFC 3339 with nanoseconds. */
  created: string;
  /** The image id (config digest). */
  imageId: string;
  /** Config as created: the image's defaults merged with the request. */
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** Executable and arguments: Entrypoint + Cmd resolved. */
  path: string;
  args: string[];
  runtime: string;
  /** Chain ids of the image's layers, lowest first. */
  layers: string[];
  logPath: string;
  state: ContainerRunState;
  restartCount: number;
  /** Stopped or killed by the user since the last start, which restart policies respect. */
  manuallyStopped?: boolean;
  /** Binds, volumes and tmpfs mounts as resolved at create; absent in records older than volumes. */
  mounts?: ContainerMount[];
  /** Networks, ports and (while running) the sandbox; absent in records older than networking. */
  network?: ContainerNetworkState;
  /** What create warned about (limits discarded, …): Docker's `Warnings` in the create response. */
  warnings?: string[];
}

export interface ContainerRunState {
  status: ContainerStatus;
  pid: number;
  exitCode: number;
  error: string;
  startedAt: string;
  finishedAt: string;
  /**
   * Frozen by `pause`. The status stays `running` because the processes still exist and everything that needs a
   * live task (stop, kill, top, logs) still applies; Docker's views show it as `paused` (see `dockerStatus`).
   */
  paused?: boolean;
  /** The kernel's OOM killer killed a process of the container in its last run (Docker's `State.OOMKilled`). */
  oomKilled?: boolean;
  /** Present once a container with a healthcheck has started (see `HealthMonitor`). */
  health?: ContainerHealth;
}

/** Docker's zero time, which inspect shows for events that have not happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The status Docker shows (inspect, `ps`, the `status` filter, `info`): a paused container is `paused`, not `running`. */
export function dockerStatus(state: ContainerRunState): ContainerStatus {
  return state.paused ? 'paused' : state.status;
}
