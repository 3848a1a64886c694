// SPDX-License-Identifier: Apache-2.0
import { access, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { detectCgroupVersion } from '../shared/cgroup-version.js';

/**
 * Which cgroup limits this host can apply to containers, as Docker's `pkg/sysinfo` finds out: from the files the
 * controllers expose, never from the cgroup version alone (a v1 host may lack swap accounting, a v2 host may not
 * delegate a controller).
 */
export interface CgroupFeatures {
  version: '1' | '2';
  memoryLimit: boolean;
  swapLimit: boolean;
  memoryReservation: boolean;
  /** `memory.oom_control`: cgroup v1 only. */
  oomKillDisable: boolean;
  cpuShares: boolean;
  /** The CFS bandwidth controller: `--cpus`, `--cpu-period`, `--cpu-quota`. */
  cpuCfs: boolean;
  cpuset: boolean;
  pidsLimit: boolean;
  /** CPUs and memory nodes containers may be pinned to (`0-3`), empty when cpuset is not available. */
  cpus: string;
  mems: string;
  /** CPUs this process may run on (Docker's `sysinfo.NumCPU`): the bound of `--cpus`. */
  numCpu: number;
}

const cache = new Map<string, Promise<CgroupFeatures>>();

/** The features of the hierarchy mounted at `root`, probed once per root: the host does not change under a daemon. */
export function detectCgroupFeatures(root = '/sys/fs/cgroup'): Promise<CgroupFeatures> {
  let features = cache.get(root);
  if (!features) {
    features = probe(root);
    cache.set(root, features);
  }
  return features;
}

async function probe(root: string): Promise<CgroupFeatures> {
  const version = await detectCgroupVersion(root);
  const numCpu = availableParallelism();
  if (version === '2') {
    // Containers' cgroups are created below the root, which can hand them only the controllers it has.
    const controllers = new Set(((await text(join(root, 'cgroup.controllers'))) ?? '').split(/\s+/));
    const memory = controllers.has('memory');
    const cpu = controllers.has('cpu');
    const cpuset = controllers.has('cpuset');
    return {
      version, numCpu, memoryLimit: memory, swapLimit: memory, memoryReservation: memory, oomKillDisable: false,
      cpuShares: cpu, cpuCfs: cpu, cpuset, pidsLimit: controllers.has('pids'),
      cpus: cpuset ? ((await text(join(root, 'cpuset.cpus.effective'))) ?? '') : '',
      mems: cpuset ? ((await text(join(root, 'cpuset.mems.effective'))) ?? '') : '',
    };
  }
  const [memoryLimit, swapLimit, memoryReservation, oomKillDisable, cpuShares, cpuCfs, pidsLimit, cpus, mems] = await Promise.all([
    exists(join(root, 'memory', 'memory.limit_in_bytes')),
    exists(join(root, 'memory', 'memory.memsw.limit_in_bytes')),
    exists(join(root, 'memory', 'memory.soft_limit_in_bytes')),
    exists(join(root, 'memory', 'memory.oom_control')),
    exists(join(root, 'cpu', 'cpu.shares')),
    exists(join(root, 'cpu', 'cpu.cfs_quota_us')),
    // The root of a hierarchy has no limit files of its own: pids.max exists only below it.
    exists(join(root, 'pids', 'cgroup.procs')),
    text(join(root, 'cpuset', 'cpuset.cpus')),
    text(join(root, 'cpuset', 'cpuset.mems')),
  ]);
  return {
    version, numCpu, memoryLimit, swapLimit, memoryReservation, oomKillDisable, cpuShares, cpuCfs, pidsLimit,
    cpuset: cpus !== undefined && mems !== undefined, cpus: cpus ?? '', mems: mems ?? '',
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function text(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').then((t) => t.trim(), () => undefined);
}
