// SPDX-License-Identifier: Apache-2.0
// The cgroup limits of Docker's `HostConfig` (moby api/swagger.yaml `Resources`) that tsc-engine applies.
import type { RestartPolicy } from './container.js';

/**
 * A container's resource limits, part of `HostConfig` in create and inspect, and the body of
 * `POST /containers/{id}/update`. Zero (or absent) means "no limit", as in Docker.
 */
export interface ContainerResources {
  /** Memory limit in bytes (`-m`); at least 6 MiB. */
  Memory?: number;
  /** Soft limit in bytes (`--memory-reservation`). */
  MemoryReservation?: number;
  /** Memory plus swap in bytes (`--memory-swap`); -1 unlimited swap. Defaults to twice `Memory` when only that is set. */
  MemorySwap?: number;
  /** CPU quota in units of 1e-9 CPUs (`--cpus 1.5` is 1500000000). */
  NanoCpus?: number;
  /** Relative CPU weight (`-c`, `--cpu-shares`); the kernel's default is 1024. */
  CpuShares?: number;
  /** CFS period in microseconds (`--cpu-period`), 1000 to 1000000. */
  CpuPeriod?: number;
  /** CFS quota in microseconds per period (`--cpu-quota`); at least 1000. */
  CpuQuota?: number;
  /** CPUs the container may run on: `0-3`, `0,1`. */
  CpusetCpus?: string;
  /** Memory nodes the container may use (NUMA): `0-3`, `0,1`. */
  CpusetMems?: string;
  /** Most processes the container may have (`--pids-limit`); 0 or -1 unlimited, null unchanged. */
  PidsLimit?: number | null;
  /** Keep the kernel's OOM killer away from the container (cgroup v1 only). */
  OomKillDisable?: boolean | null;
}

/** The body of `POST /containers/{id}/update` (`docker update`): new limits and, optionally, a new restart policy. */
export interface ContainerUpdateRequest extends ContainerResources {
  RestartPolicy?: RestartPolicy;
}

/** The answer of `POST /containers/{id}/update`. */
export interface ContainerUpdateResponse {
  Warnings: string[];
}
