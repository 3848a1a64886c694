// SPDX-License-Identifier: Apache-2.0
// Wire shapes of `GET /containers/{id}/stats`, `/top` and `POST /containers/prune` (moby `api/types/container`).

export interface ContainerStats {
  /** RFC 3339; Docker's zero time for a container that is not running. */
  read: string;
  preread: string;
  name?: string;
  id?: string;
  num_procs: number;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: BlkioStats;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: MemoryStats;
  storage_stats: Record<string, never>;
  networks?: Record<string, NetworkStats>;
}

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface MemoryStats {
  usage?: number;
  max_usage?: number;
  failcnt?: number;
  limit?: number;
  /** memory.stat as it is: cgroup v1 keys (`total_inactive_file`, …) or v2 keys (`inactive_file`, …). */
  stats?: Record<string, number>;
}

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface BlkioStats {
  io_service_bytes_recursive: BlkioEntry[] | null;
  io_serviced_recursive: BlkioEntry[] | null;
  io_queue_recursive: BlkioEntry[] | null;
  io_service_time_recursive: BlkioEntry[] | null;
  io_wait_time_recursive: BlkioEntry[] | null;
  io_merged_recursive: BlkioEntry[] | null;
  io_time_recursive: BlkioEntry[] | null;
  sectors_recursive: BlkioEntry[] | null;
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface ContainerTopResponse {
  Titles: string[];
  Processes: string[][];
}

export interface ContainerPruneResponse {
  /** Docker answers null, not [], when nothing was removed. */
  ContainersDeleted: string[] | null;
  SpaceReclaimed: number;
}
