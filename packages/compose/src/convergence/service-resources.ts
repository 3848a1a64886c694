// SPDX-License-Identifier: Apache-2.0
import { InvalidArgumentError, ramInBytes, type ContainerResources } from '@tsc-engine/core/client';
import type { ServiceConfig } from '../compose-model.js';

/** `deploy.resources.limits` / `reservations`, as the compose spec writes them. */
interface DeployResource {
  cpus?: number | string;
  memory?: number | string;
  pids?: number;
}

/**
 * A service's resource limits in `HostConfig` terms, mapped as docker compose does (`pkg/compose/create.go`
 * `getDeployResources`): the service-level keys first, then `deploy.resources.limits` (cpus, memory, pids) and
 * `reservations.memory` over them. Other reservations are Swarm scheduling hints and mean nothing to one engine.
 */
export function serviceResources(name: string, service: ServiceConfig): ContainerResources {
  const deploy = (service.deploy?.resources ?? {}) as { limits?: DeployResource; reservations?: DeployResource };
  const bytes = (key: string, value: unknown) => toBytes(name, key, value);
  const resources: ContainerResources = {
    Memory: bytes('mem_limit', service.mem_limit),
    MemoryReservation: bytes('mem_reservation', service.mem_reservation),
    MemorySwap: bytes('memswap_limit', service.memswap_limit),
    NanoCpus: toNanoCpus(name, 'cpus', service.cpus),
    CpuShares: service.cpu_shares as number | undefined,
    CpuPeriod: service.cpu_period as number | undefined,
    CpuQuota: service.cpu_quota as number | undefined,
    CpusetCpus: service.cpuset as string | undefined,
    // docker compose sends a pids limit only when one is set: 0 would mean "unlimited" to the engine.
    PidsLimit: service.pids_limit ? (service.pids_limit as number) : undefined,
    OomKillDisable: service.oom_kill_disable as boolean | undefined,
  };
  const { limits, reservations } = deploy;
  if (limits?.memory !== undefined) resources.Memory = bytes('deploy.resources.limits.memory', limits.memory);
  if (limits?.cpus !== undefined) resources.NanoCpus = toNanoCpus(name, 'deploy.resources.limits.cpus', limits.cpus);
  if (limits?.pids !== undefined && limits.pids > 0) resources.PidsLimit = limits.pids;
  if (reservations?.memory !== undefined) resources.MemoryReservation = bytes('deploy.resources.reservations.memory', reservations.memory);
  return Object.fromEntries(Object.entries(resources).filter(([, value]) => value !== undefined && value !== 0 && value !== ''));
}

/** compose-go's UnitBytes: a number of bytes, or a size string (`64m`, `1gb`); -1 for memswap_limit's "unlimited". */
function toBytes(service: string, key: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (text === '-1') return -1;
  try {
    return ramInBytes(text);
  } catch (error) {
    throw new InvalidArgumentError(`service "${service}": ${key}: ${(error as Error).message}`, { cause: error });
  }
}

/** A CPU count (`0.5`, `"1.5"`) in units of 1e-9 CPUs, as compose-go reads it: a float, rounded to a whole unit. */
function toNanoCpus(service: string, key: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const cpus = Number(value);
  if (!Number.isFinite(cpus) || String(value).trim() === '') {
    throw new InvalidArgumentError(`service "${service}": ${key}: "${String(value)}" is not a number of CPUs`);
  }
  return Math.round(cpus * 1e9);
}
