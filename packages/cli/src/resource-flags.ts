// SPDX-License-Identifier: Apache-2.0
import * as Flags from '@oclif/core/flags';
import { InvalidArgumentError, nanoCpus, ramInBytes, type ContainerResources } from '@tsc-engine/core/client';

/** The resource limit flags of `run` and `create`, named and spelled as docker's. */
export const resourceFlags = {
  memory: Flags.string({ char: 'm', description: 'memory limit (512m, 1g)' }),
  'memory-reservation': Flags.string({ description: 'memory soft limit (512m, 1g)' }),
  'memory-swap': Flags.string({ description: "swap limit equal to memory plus swap: '-1' to enable unlimited swap" }),
  cpus: Flags.string({ description: 'number of CPUs (1.5)' }),
  'cpu-shares': Flags.integer({ char: 'c', description: 'CPU shares (relative weight)' }),
  'cpu-period': Flags.integer({ description: 'limit CPU CFS (Completely Fair Scheduler) period' }),
  'cpu-quota': Flags.integer({ description: 'limit CPU CFS (Completely Fair Scheduler) quota' }),
  'cpuset-cpus': Flags.string({ description: 'CPUs in which to allow execution (0-3, 0,1)' }),
  'cpuset-mems': Flags.string({ description: 'MEMs in which to allow execution (0-3, 0,1)' }),
  'pids-limit': Flags.integer({ description: 'tune container pids limit (set -1 for unlimited)' }),
  'oom-kill-disable': Flags.boolean({ description: 'disable OOM Killer' }),
};

export interface ResourceFlagValues {
  memory?: string;
  'memory-reservation'?: string;
  'memory-swap'?: string;
  cpus?: string;
  'cpu-shares'?: number;
  'cpu-period'?: number;
  'cpu-quota'?: number;
  'cpuset-cpus'?: string;
  'cpuset-mems'?: string;
  'pids-limit'?: number;
  'oom-kill-disable'?: boolean;
}

/** The `HostConfig` limits the flags ask for, only those given; the daemon checks them against the host. */
export function resourcesFromFlags(flags: ResourceFlagValues): ContainerResources {
  const resources: ContainerResources = {
    Memory: parsed(flags.memory, '-m, --memory', ramInBytes),
    MemoryReservation: parsed(flags['memory-reservation'], '--memory-reservation', ramInBytes),
    // docker's MemSwapBytes: -1 is "unlimited", anything else a size.
    MemorySwap: parsed(flags['memory-swap'], '--memory-swap', (text) => (text === '-1' ? -1 : ramInBytes(text))),
    NanoCpus: parsed(flags.cpus, '--cpus', nanoCpus),
    CpuShares: flags['cpu-shares'],
    CpuPeriod: flags['cpu-period'],
    CpuQuota: flags['cpu-quota'],
    CpusetCpus: flags['cpuset-cpus'],
    CpusetMems: flags['cpuset-mems'],
    PidsLimit: flags['pids-limit'],
    OomKillDisable: flags['oom-kill-disable'] || undefined,
  };
  return Object.fromEntries(Object.entries(resources).filter(([, value]) => value !== undefined));
}

function parsed(text: string | undefined, flag: string, parse: (text: string) => number): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`invalid argument "${text}" for "${flag}" flag: ${(error as Error).message}`, { cause: error });
  }
}
