// SPDX-License-Identifier: Apache-2.0
import type { ContainerResources } from '../api/container-resources.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { detectCgroupFeatures, type CgroupFeatures } from './cgroup-features.js';
import type { OciCpu, OciMemory, OciResourceLimits, OciSpec } from './oci-spec.js';
import type { Runtime } from './runtime.js';

/** Docker's floor (moby `linuxMinMemory`): not a kernel limit, but room for a container to start at all. */
export const MIN_MEMORY = 6 * 1024 * 1024;
/** Docker's CFS period for `--cpus` (100 ms). */
const NANO_CPUS_PERIOD_US = 100_000;

/** Resource limits as they are to be applied, and what the user is told about those that cannot be. */
export interface ResourceCheck {
  resources: ContainerResources;
  /** Docker's create `Warnings`: limits discarded because the host or runtime cannot apply them. */
  warnings: string[];
}

/** Every limit unset, as Docker's inspect shows a container created without limits. */
export const NO_LIMITS: Required<ContainerResources> = {
  Memory: 0, MemoryReservation: 0, MemorySwap: 0, NanoCpus: 0, CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, CpusetCpus: '',
  CpusetMems: '', PidsLimit: null, OomKillDisable: null,
};

/** The resource fields of a HostConfig (or update body), only those that are set. */
export function pickResources(config: ContainerResources): ContainerResources {
  const picked: ContainerResources = {};
  for (const key of RESOURCE_KEYS) if (config[key] !== undefined) (picked as Record<string, unknown>)[key] = config[key];
  return picked;
}

const RESOURCE_KEYS = [
  'Memory', 'MemoryReservation', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuPeriod', 'CpuQuota', 'CpusetCpus', 'CpusetMems',
  'PidsLimit', 'OomKillDisable',
] as const satisfies readonly (keyof ContainerResources)[];

/**
 * What `docker create` does with a HostConfig's limits: Docker's checks (moby `verifyPlatformContainerResources`),
 * its defaults (`adaptContainerSettings`: swap twice the memory), then whatever `runtime` cannot apply on this host
 * discarded with a warning, as Docker discards what the kernel cannot do. Throws Docker's errors for invalid values.
 */
export async function checkContainerResources(
  config: ContainerResources,
  runtime: Pick<Runtime, 'id' | 'adaptSpec'>,
  host?: CgroupFeatures,
): Promise<ResourceCheck> {
  const verified = verifyResources(pickResources(config), host ?? (await detectCgroupFeatures()));
  const discarded = discardUnappliable(withDefaults(verified.resources), runtime);
  return { resources: discarded.resources, warnings: [...verified.warnings, ...discarded.warnings] };
}

/**
 * Docker's validation of resource limits against the host's cgroups, with its wording (which clients and scripts
 * match on). Limits the host cannot apply are dropped with a warning; contradictory or out-of-range ones throw.
 * `update` relaxes the one check that an update may skip (a swap limit without a memory one).
 */
export function verifyResources(requested: ContainerResources, host: CgroupFeatures, options: { update?: boolean } = {}): ResourceCheck {
  const r = { ...requested };
  const warnings: string[] = [];
  const fail = (message: string): never => {
    throw new InvalidArgumentError(message);
  };
  const memory = r.Memory ?? 0;
  if (memory !== 0 && memory < MIN_MEMORY) fail('Minimum memory limit allowed is 6MB');
  if (memory > 0 && !host.memoryLimit) {
    warnings.push('Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.Memory = 0;
    r.MemorySwap = -1;
  }
  if ((r.Memory ?? 0) > 0 && r.MemorySwap !== -1 && !host.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  const [mem, swap] = [r.Memory ?? 0, r.MemorySwap ?? 0];
  if (mem > 0 && swap > 0 && swap < mem) fail('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (mem === 0 && swap > 0 && !options.update) fail('You should always set the Memory limit when using Memoryswap limit, see usage');
  if ((r.MemoryReservation ?? 0) > 0 && !host.memoryReservation) {
    warnings.push('Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.');
    r.MemoryReservation = 0;
  }
  const reservation = r.MemoryReservation ?? 0;
  if (reservation > 0 && reservation < MIN_MEMORY) fail('Minimum memory reservation allowed is 6MB');
  if (mem > 0 && reservation > 0 && mem < reservation) fail('Minimum memory limit can not be less than memory reservation limit, see usage');
  if (r.OomKillDisable != null && !host.oomKillDisable) {
    // Only a request to disable the killer loses something worth a warning.
    if (r.OomKillDisable) warnings.push('Your kernel does not support OomKillDisable. OomKillDisable discarded.');
    r.OomKillDisable = null;
  }
  if (r.OomKillDisable && mem === 0) {
    warnings.push('OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.');
  }
  if (r.PidsLimit != null && !host.pidsLimit) {
    if (r.PidsLimit > 0) warnings.push('Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.');
    r.PidsLimit = null;
  }

  const nanoCpus = r.NanoCpus ?? 0;
  if (nanoCpus > 0 && (r.CpuPeriod ?? 0) > 0) fail('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nanoCpus > 0 && (r.CpuQuota ?? 0) > 0) fail('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nanoCpus > 0 && !host.cpuCfs) fail('NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted');
  if (nanoCpus < 0 || nanoCpus > host.numCpu * 1e9) {
    fail(`Range of CPUs is from 0.01 to ${host.numCpu}.00, as there are only ${host.numCpu} CPUs available`);
  }
  if ((r.CpuShares ?? 0) < 0) fail('shares: invalid argument');
  if ((r.CpuShares ?? 0) > 0 && !host.cpuShares) {
    warnings.push('Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.');
    r.CpuShares = 0;
  }
  if ((r.CpuPeriod || r.CpuQuota) && !host.cpuCfs) {
    warnings.push('Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.');
    r.CpuPeriod = 0;
    r.CpuQuota = 0;
  }
  const period = r.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1_000_000)) {
    fail('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  const quota = r.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) fail('CPU cfs quota can not be less than 1ms (i.e. 1000)');

  if ((r.CpusetCpus || r.CpusetMems) && !host.cpuset) {
    warnings.push('Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.');
    r.CpusetCpus = '';
    r.CpusetMems = '';
  }
  if (r.CpusetCpus && !isSubset(r.CpusetCpus, host.cpus, 'cpus')) {
    fail(`Requested CPUs are not available - requested ${r.CpusetCpus}, available: ${host.cpus}`);
  }
  if (r.CpusetMems && !isSubset(r.CpusetMems, host.mems, 'mems')) {
    fail(`Requested memory nodes are not available - requested ${r.CpusetMems}, available: ${host.mems}`);
  }
  return { resources: r, warnings };
}

/** Docker's create-time defaults: swap as large again as the memory limit when only that is set. */
export function withDefaults(resources: ContainerResources): ContainerResources {
  const memory = resources.Memory ?? 0;
  return memory > 0 && !resources.MemorySwap ? { ...resources, MemorySwap: memory * 2 } : resources;
}

/**
 * A container's limits after `docker update` (moby `container.UpdateContainer`): each limit the update sets (non-zero,
 * or a non-null pids limit) replaces the current one. Throws Docker's conflicts: `--cpus` against a CFS period or
 * quota already set (and the reverse), and a memory limit above the swap limit already set without a new one.
 */
export function mergeResourceUpdate(current: ContainerResources, update: ContainerResources): ContainerResources {
  const conflict = (message: string): never => {
    throw new InvalidArgumentError(`Conflicting options: ${message}`);
  };
  const [nano, period, quota] = [update.NanoCpus ?? 0, update.CpuPeriod ?? 0, update.CpuQuota ?? 0];
  if (nano > 0 && (current.CpuPeriod ?? 0) > 0) conflict('Nano CPUs cannot be updated as CPU Period has already been set');
  if (nano > 0 && (current.CpuQuota ?? 0) > 0) conflict('Nano CPUs cannot be updated as CPU Quota has already been set');
  if (period > 0 && (current.NanoCpus ?? 0) > 0) conflict('CPU Period cannot be updated as NanoCPUs has already been set');
  if (quota > 0 && (current.NanoCpus ?? 0) > 0) conflict('CPU Quota cannot be updated as NanoCPUs has already been set');
  if ((update.Memory ?? 0) !== 0 && (update.Memory ?? 0) > (current.MemorySwap ?? 0) && !update.MemorySwap) {
    conflict('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  const merged = pickResources(current);
  for (const key of RESOURCE_KEYS) {
    const value = update[key];
    const set = key === 'PidsLimit' ? value != null : key !== 'OomKillDisable' && value !== undefined && value !== 0 && value !== '';
    if (set) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/** `linux.resources` memory, cpu and pids for the limits (moby `getMemoryResources`, `getCPUResources`, `getPidsLimit`). */
export function ociResources(r: ContainerResources): OciResourceLimits {
  const memory: OciMemory = {
    ...((r.Memory ?? 0) > 0 && { limit: r.Memory }),
    ...((r.MemoryReservation ?? 0) > 0 && { reservation: r.MemoryReservation }),
    ...((r.MemorySwap ?? 0) > 0 && { swap: r.MemorySwap }),
    ...(r.OomKillDisable != null && { disableOOMKiller: r.OomKillDisable }),
  };
  const nanoCpus = r.NanoCpus ?? 0;
  const cpu: OciCpu = {
    ...((r.CpuShares ?? 0) > 0 && { shares: r.CpuShares }),
    ...(r.CpusetCpus && { cpus: r.CpusetCpus }),
    ...(r.CpusetMems && { mems: r.CpusetMems }),
    ...(nanoCpus > 0 && { period: NANO_CPUS_PERIOD_US, quota: Math.floor((nanoCpus * NANO_CPUS_PERIOD_US) / 1e9) }),
    ...(r.CpuPeriod && { period: r.CpuPeriod }),
    ...(r.CpuQuota && { quota: r.CpuQuota }),
  };
  return {
    ...(Object.keys(memory).length > 0 && { memory }),
    ...(Object.keys(cpu).length > 0 && { cpu }),
    // The API takes 0 and negative values for "unlimited"; runtimes need -1 to lift a limit.
    ...(r.PidsLimit != null && { pids: { limit: r.PidsLimit > 0 ? r.PidsLimit : -1 } }),
  };
}

/** Which limits each class of `linux.resources` carries, to discard them together when a runtime drops the class. */
const CLASSES = [
  { key: 'memory', what: 'memory limits', discarded: 'Limitation discarded.', reset: { Memory: 0, MemoryReservation: 0, MemorySwap: 0, OomKillDisable: null } },
  { key: 'cpu', what: 'CPU limits', discarded: 'Limitation discarded.', reset: { NanoCpus: 0, CpuShares: 0, CpuPeriod: 0, CpuQuota: 0, CpusetCpus: '', CpusetMems: '' } },
  { key: 'pids', what: 'PIDs limit', discarded: 'PIDs limit discarded.', reset: { PidsLimit: null } },
] as const;

/**
 * Limits the runtime would drop from the spec on this host (crun on a hybrid cgroup host runs without
 * `linux.resources`), found by asking the runtime's own {@link Runtime.adaptSpec}, so this stays true to whatever
 * the runtime does. They are discarded with a warning, as Docker discards what the kernel cannot apply: the
 * container must not look limited (in inspect, in stats) while it is not.
 */
export function discardUnappliable(resources: ContainerResources, runtime: Pick<Runtime, 'id' | 'adaptSpec'>): ResourceCheck {
  const wanted = ociResources(resources);
  if (Object.keys(wanted).length === 0) return { resources, warnings: [] };
  const probe: OciSpec = {
    ociVersion: '1.0.2',
    process: { user: { uid: 0, gid: 0 }, args: ['true'], env: [], cwd: '/' },
    root: { path: 'rootfs' },
    mounts: [],
    linux: { namespaces: [], resources: { ...wanted } },
  };
  const kept = runtime.adaptSpec(probe).linux.resources ?? {};
  let result = resources;
  const warnings: string[] = [];
  for (const { key, what, discarded, reset } of CLASSES) {
    if (!(key in wanted) || key in kept) continue;
    warnings.push(`Runtime ${runtime.id} does not support ${what} on this host. ${discarded}`);
    result = { ...result, ...reset };
  }
  return { resources: result, warnings };
}

/** Whether every CPU (or memory node) of `requested` is in `available`; both are lists like `0-3,7`. */
function isSubset(requested: string, available: string, what: 'cpus' | 'mems'): boolean {
  const wanted = parseCpuList(requested);
  if (!wanted) throw new InvalidArgumentError(`Invalid value ${requested} for cpuset ${what}: invalid format: ${requested}`);
  const have = parseCpuList(available) ?? new Set<number>();
  return [...wanted].every((n) => have.has(n));
}

/** A cpuset list (`0-3,7`) as a set, undefined when malformed (Docker's `parsers.ParseUintList`). */
export function parseCpuList(list: string): Set<number> | undefined {
  const numbers = new Set<number>();
  if (list.trim() === '') return numbers;
  for (const part of list.split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) return undefined;
    const [from, to] = [Number(match[1]), Number(match[2] ?? match[1])];
    if (to < from || to - from > 10_000) return undefined;
    for (let n = from; n <= to; n++) numbers.add(n);
  }
  return numbers;
}
