// SPDX-License-Identifier: Apache-2.0
import type { ContainerInspect, ContainerSummary, HealthStatus } from '../api/container.js';
import { NO_LIMITS } from '../runtime/resource-limits.js';
import { humanDuration } from '../shared/human-duration.js';
import { toMountPoints } from '../volume/mount-points.js';
import { toNetworkSettings, toPortSummaries } from '../network/network-presenter.js';
import { ZERO_TIME, dockerStatus, type ContainerRecord } from './container-record.js';

/** `GET /containers/{id}/json` for a record. */
export function toContainerInspect(record: ContainerRecord): ContainerInspect {
  const { state } = record;
  return {
    Id: record.id,
    Created: record.created,
    Path: record.path,
    Args: record.args,
    State: {
      Status: dockerStatus(state),
      // As Docker's, a container waiting for its restart counts as running.
      Running: state.status === 'running' || state.status === 'restarting',
      Paused: state.paused === true,
      Restarting: state.status === 'restarting',
      OOMKilled: state.oomKilled === true,
      Dead: false,
      Pid: state.pid,
      ExitCode: state.exitCode,
      Error: state.error,
      StartedAt: state.startedAt,
      FinishedAt: state.finishedAt,
      ...(state.health ? { Health: state.health } : {}),
    },
    Image: record.imageId,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: record.logPath,
    Name: `/${record.name}`,
    RestartCount: record.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    HostConfig: { NetworkMode: 'none', PidMode: '', RestartPolicy: { Name: 'no', MaximumRetryCount: 0 }, AutoRemove: false, ...NO_LIMITS, ...record.hostConfig },
    Config: record.config,
    NetworkSettings: toNetworkSettings(record),
    Mounts: toMountPoints(record.mounts),
  };
}

/** An entry of `GET /containers/json` for a record. */
export function toContainerSummary(record: ContainerRecord, now = Date.now()): ContainerSummary {
  return {
    Id: record.id,
    Names: [`/${record.name}`],
    Image: record.config.Image ?? record.imageId,
    ImageID: record.imageId,
    Command: [record.path, ...record.args].map(quoteArg).join(' '),
    Created: Math.floor(Date.parse(record.created) / 1000),
    Ports: toPortSummaries(record),
    Labels: record.config.Labels ?? {},
    State: dockerStatus(record.state),
    Status: statusText(record, now),
    HostConfig: { NetworkMode: String(record.hostConfig.NetworkMode ?? 'none') },
    NetworkSettings: { Networks: toNetworkSettings(record).Networks },
    Mounts: toMountPoints(record.mounts),
  };
}

function statusText(record: ContainerRecord, now: number): string {
  const { state } = record;
  const since = (time: string) => humanDuration((now - Date.parse(time)) / 1000);
  switch (dockerStatus(state)) {
    case 'running':
      return `Up ${since(state.startedAt)}${healthSuffix(state.health?.Status)}`;
    case 'paused':
      return `Up ${since(state.startedAt)} (Paused)`;
    case 'exited':
      return state.finishedAt === ZERO_TIME ? `Exited (${state.exitCode})` : `Exited (${state.exitCode}) ${since(state.finishedAt)} ago`;
    case 'created':
      return 'Created';
    default:
      return state.status[0].toUpperCase() + state.status.slice(1);
  }
}

/** Docker's `ps` shows the health after the uptime: `Up 2 minutes (healthy)`. */
function healthSuffix(status: HealthStatus | undefined): string {
  if (status === 'starting') return ' (health: starting)';
  return status === 'healthy' || status === 'unhealthy' ? ` (${status})` : '';
}

// Docker shows the command as one string; arguments with spaces are quoted so it reads back unambiguously.
function quoteArg(arg: string): string {
  return /[\s"'\\]/.test(arg) || arg === '' ? JSON.stringify(arg) : arg;
}
