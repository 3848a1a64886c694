// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import type { ContainerStats, CpuStats, NetworkStats } from '../api/container-stats.js';
import { ZERO_TIME, type ContainerRecord } from './container-record.js';
import { ContainerService } from './container-service.js';
import { CLOCK_TICKS, emptyBlkio, emptyCpu, locateCgroups, readCgroupStats, type CgroupLocation } from './cgroup-stats-reader.js';

/** Docker's collector period: one sample a second, each carrying the previous one's CPU as `precpu_stats`. */
const INTERVAL_MS = 1000;

export interface StatsOptions {
  /** Keep sending a sample a second until the container stops or the client goes. */
  stream: boolean;
  /** With `stream` off: answer at once, without waiting for a second sample to fill `precpu_stats`. */
  oneShot?: boolean;
}

/** `GET /containers/{id}/stats`: cgroup, /proc/stat and the container's /proc/net/dev read into Docker's shape. */
@injectable()
export class ContainerStatsService {
  constructor(@inject(ContainerService) private readonly containers: ContainerService) {}

  async *stats(idOrName: string, options: StatsOptions, signal?: AbortSignal): AsyncGenerator<ContainerStats> {
    const record = this.containers.get(idOrName);
    if (!running(record)) {
      yield emptyStats(record);
      return;
    }
    let previous = emptyStats(record);
    // A process stays in its cgroups: found once per process (a restart brings a new one), not re-parsed from
    // mountinfo every second.
    let located: { pid: number; location: Promise<CgroupLocation> } | undefined;
    const sample = (prev: ContainerStats): Promise<ContainerStats> => {
      const { pid } = record.state;
      if (located?.pid !== pid) located = { pid, location: locateCgroups(pid) };
      return this.sample(record, prev, located.location);
    };
    if (!options.stream && !options.oneShot) {
      previous = await sample(previous);
      await delay(INTERVAL_MS, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted || !running(record)) return;
    }
    for (;;) {
      const current = await sample(previous).catch((error: unknown) => {
        // The container exited while it was being read.
        if (!running(record)) return undefined;
        throw error;
      });
      if (!current) return;
      yield current;
      if (!options.stream) return;
      previous = current;
      await delay(INTERVAL_MS, undefined, { signal }).catch(() => undefined);
      if (signal?.aborted || !running(record)) return;
    }
  }

  private async sample(record: ContainerRecord, previous: ContainerStats, location: Promise<CgroupLocation>): Promise<ContainerStats> {
    const pid = record.state.pid;
    const [cgroup, system, networks] = await Promise.all([
      location.then(readCgroupStats),
      systemCpu(),
      record.hostConfig.NetworkMode === 'host' ? undefined : networkStats(pid),
    ]);
    return {
      ...emptyStats(record),
      read: new Date().toISOString(),
      preread: previous.read,
      pids_stats: cgroup.pids,
      blkio_stats: cgroup.blkio,
      memory_stats: cgroup.memory,
      cpu_stats: { ...cgroup.cpu, ...system },
      precpu_stats: previous.cpu_stats,
      ...(networks && Object.keys(networks).length > 0 ? { networks } : {}),
    };
  }
}

function running(record: ContainerRecord): boolean {
  return record.state.status === 'running' && record.state.pid > 0;
}

function emptyStats(record: ContainerRecord): ContainerStats {
  const cpu: CpuStats = emptyCpu();
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    name: `/${record.name}`,
    id: record.id,
    num_procs: 0,
    pids_stats: {},
    blkio_stats: emptyBlkio(),
    cpu_stats: cpu,
    precpu_stats: cpu,
    memory_stats: {},
    storage_stats: {},
  };
}

/** The host's CPU time in nanoseconds (moby `getSystemCPUUsage`: the first eight fields of /proc/stat's `cpu`). */
async function systemCpu(): Promise<Pick<CpuStats, 'system_cpu_usage' | 'online_cpus'>> {
  const text = await readFile('/proc/stat', 'utf8');
  const lines = text.split('\n');
  const total = lines[0].split(/\s+/).slice(1, 9).reduce((sum, v) => sum + Number(v), 0);
  return {
    system_cpu_usage: (total * 1e9) / CLOCK_TICKS,
    online_cpus: lines.filter((l) => /^cpu\d+ /.test(l)).length,
  };
}

/** Interfaces of the container's network namespace, loopback left out as Docker does. */
async function networkStats(pid: number): Promise<Record<string, NetworkStats>> {
  const text = await readFile(`/proc/${pid}/net/dev`, 'utf8');
  const networks: Record<string, NetworkStats> = {};
  for (const line of text.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name.trim() === 'lo') continue;
    const f = rest.trim().split(/\s+/).map(Number);
    networks[name.trim()] = {
      rx_bytes: f[0], rx_packets: f[1], rx_errors: f[2], rx_dropped: f[3],
      tx_bytes: f[8], tx_packets: f[9], tx_errors: f[10], tx_dropped: f[11],
    };
  }
  return networks;
}
