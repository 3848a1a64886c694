// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join, posix } from 'node:path';
import type { BlkioEntry, BlkioStats, CpuStats, MemoryStats } from '../api/container-stats.js';

/** Where a process's cgroups are: a directory per v1 controller, and its v2 (unified) directory if mounted. */
export interface CgroupLocation {
  v1: Map<string, string>;
  unified?: string;
}

export interface CgroupStats {
  memory: MemoryStats;
  cpu: Omit<CpuStats, 'system_cpu_usage' | 'online_cpus'>;
  pids: { current?: number; limit?: number };
  blkio: BlkioStats;
}

/**
 * The cgroup directories of `pid`, from its `/proc/<pid>/cgroup` and the mounts in `/proc/self/mountinfo`: nothing
 * is assumed about the layout, so the same code reads a unified (v2) host, a legacy (v1) one and a hybrid one
 * (v1 controllers with an empty v2 hierarchy beside them, as on these hosts).
 */
export async function locateCgroups(pid: number, proc = '/proc'): Promise<CgroupLocation> {
  const [membership, mountinfo] = await Promise.all([
    readFile(join(proc, String(pid), 'cgroup'), 'utf8'),
    readFile(join(proc, 'self', 'mountinfo'), 'utf8'),
  ]);
  const v1Mounts: Array<{ controllers: string[]; root: string; point: string }> = [];
  let unifiedMount: { root: string; point: string } | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const fields = left.split(' ');
    const [fstype, , superOptions] = right.split(' ');
    const mount = { root: unescape(fields[3]), point: unescape(fields[4]) };
    if (fstype === 'cgroup2') unifiedMount ??= mount;
    else if (fstype === 'cgroup') v1Mounts.push({ ...mount, controllers: superOptions.split(',').filter((o) => o !== 'rw' && o !== 'ro') });
  }
  const location: CgroupLocation = { v1: new Map() };
  for (const line of membership.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    const [, hierarchy, list, path] = match;
    if (hierarchy === '0' && list === '') {
      const dir = unifiedMount && below(unifiedMount, path);
      if (dir) location.unified = dir;
      continue;
    }
    const controllers = list.split(',');
    const mount = v1Mounts.find((m) => controllers.every((c) => m.controllers.includes(c)));
    const dir = mount && below(mount, path);
    if (dir) for (const controller of controllers) location.v1.set(controller, dir);
  }
  return location;
}

/** Reads memory, CPU, pids and block I/O, each from v1 when its controller is there, else from v2. */
export async function readCgroupStats(location: CgroupLocation): Promise<CgroupStats> {
  const v2 = location.unified;
  const memory = location.v1.get('memory');
  const cpuacct = location.v1.get('cpuacct');
  const pids = location.v1.get('pids') ?? v2;
  const blkio = location.v1.get('blkio');
  const cpuDir = location.v1.get('cpu');
  return {
    memory: memory ? await memoryV1(memory) : v2 ? await memoryV2(v2) : {},
    cpu: cpuacct ? await cpuV1(cpuacct, cpuDir) : v2 ? await cpuV2(v2) : emptyCpu(),
    pids: pids ? { current: await readNumber(join(pids, 'pids.current')), limit: await readNumber(join(pids, 'pids.max')) } : {},
    blkio: blkio ? await blkioV1(blkio) : v2 ? await ioV2(v2) : emptyBlkio(),
  };
}

async function memoryV1(dir: string): Promise<MemoryStats> {
  const limit = await readNumber(join(dir, 'memory.limit_in_bytes'));
  return {
    usage: await readNumber(join(dir, 'memory.usage_in_bytes')),
    max_usage: await readNumber(join(dir, 'memory.max_usage_in_bytes')),
    failcnt: await readNumber(join(dir, 'memory.failcnt')),
    // No limit reads as a huge number: like Docker, show the machine's memory instead.
    limit: limit === undefined || limit > totalmem() ? totalmem() : limit,
    stats: await readKeyValues(join(dir, 'memory.stat')),
  };
}

async function memoryV2(dir: string): Promise<MemoryStats> {
  const limit = await readNumber(join(dir, 'memory.max'));
  return {
    usage: await readNumber(join(dir, 'memory.current')),
    limit: limit === undefined || limit > totalmem() ? totalmem() : limit,
    stats: await readKeyValues(join(dir, 'memory.stat')),
  };
}

/** USER_HZ: the unit of cpuacct.stat and /proc/stat. */
export const CLOCK_TICKS = 100;

async function cpuV1(cpuacct: string, cpu: string | undefined): Promise<CgroupStats['cpu']> {
  const ticks = await readKeyValues(join(cpuacct, 'cpuacct.stat'));
  const percpu = (await readText(join(cpuacct, 'cpuacct.usage_percpu')))?.trim().split(/\s+/).filter(Boolean).map(Number);
  const throttling = cpu ? await readKeyValues(join(cpu, 'cpu.stat')) : {};
  return {
    cpu_usage: {
      total_usage: (await readNumber(join(cpuacct, 'cpuacct.usage'))) ?? 0,
      percpu_usage: percpu,
      usage_in_usermode: ((ticks.user ?? 0) * 1e9) / CLOCK_TICKS,
      usage_in_kernelmode: ((ticks.system ?? 0) * 1e9) / CLOCK_TICKS,
    },
    throttling_data: {
      periods: throttling.nr_periods ?? 0,
      throttled_periods: throttling.nr_throttled ?? 0,
      throttled_time: throttling.throttled_time ?? 0,
    },
  };
}

async function cpuV2(dir: string): Promise<CgroupStats['cpu']> {
  const stat = await readKeyValues(join(dir, 'cpu.stat'));
  return {
    cpu_usage: {
      total_usage: (stat.usage_usec ?? 0) * 1000,
      usage_in_usermode: (stat.user_usec ?? 0) * 1000,
      usage_in_kernelmode: (stat.system_usec ?? 0) * 1000,
    },
    throttling_data: {
      periods: stat.nr_periods ?? 0,
      throttled_periods: stat.nr_throttled ?? 0,
      throttled_time: (stat.throttled_usec ?? 0) * 1000,
    },
  };
}

async function blkioV1(dir: string): Promise<BlkioStats> {
  // The CFQ files are empty (or gone) with other I/O schedulers; the throttle ones are always kept.
  const pick = async (name: string) => {
    const cfq = parseBlkioV1(await readText(join(dir, `blkio.${name}`)));
    return cfq.length > 0 ? cfq : parseBlkioV1(await readText(join(dir, `blkio.throttle.${name}`)));
  };
  return {
    ...emptyBlkio(),
    io_service_bytes_recursive: await pick('io_service_bytes_recursive'),
    io_serviced_recursive: await pick('io_serviced_recursive'),
  };
}

/** `8:0 Read 4096` lines; the `Total` line has no device and is left out, as Docker does. */
function parseBlkioV1(text: string | undefined): BlkioEntry[] {
  const entries: BlkioEntry[] = [];
  for (const line of (text ?? '').split('\n')) {
    const match = /^(\d+):(\d+) (\S+) (\d+)$/.exec(line.trim());
    if (match) entries.push({ major: Number(match[1]), minor: Number(match[2]), op: match[3], value: Number(match[4]) });
  }
  return entries;
}

/** io.stat: `8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0`, in Docker's v2 form (lower-case ops). */
async function ioV2(dir: string): Promise<BlkioStats> {
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of ((await readText(join(dir, 'io.stat'))) ?? '').split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    const dev = /^(\d+):(\d+)$/.exec(device ?? '');
    if (!dev) continue;
    const values = Object.fromEntries(pairs.map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
    const at = { major: Number(dev[1]), minor: Number(dev[2]) };
    bytes.push({ ...at, op: 'read', value: values.rbytes ?? 0 }, { ...at, op: 'write', value: values.wbytes ?? 0 });
    ios.push({ ...at, op: 'read', value: values.rios ?? 0 }, { ...at, op: 'write', value: values.wios ?? 0 });
  }
  return { ...emptyBlkio(), io_service_bytes_recursive: bytes, io_serviced_recursive: ios };
}

export function emptyCpu(): CgroupStats['cpu'] {
  return {
    cpu_usage: { total_usage: 0, usage_in_usermode: 0, usage_in_kernelmode: 0 },
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  };
}

export function emptyBlkio(): BlkioStats {
  return {
    io_service_bytes_recursive: null,
    io_serviced_recursive: null,
    io_queue_recursive: null,
    io_service_time_recursive: null,
    io_wait_time_recursive: null,
    io_merged_recursive: null,
    io_time_recursive: null,
    sectors_recursive: null,
  };
}

function below(mount: { root: string; point: string }, path: string): string | undefined {
  const relative = posix.relative(mount.root, path);
  if (relative.startsWith('..')) return undefined;
  return join(mount.point, relative);
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** A one-number file; `max` (no limit) and missing files read as undefined. */
async function readNumber(path: string): Promise<number | undefined> {
  const text = (await readText(path))?.trim();
  if (text === undefined || text === '' || text === 'max') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

async function readKeyValues(path: string): Promise<Record<string, number>> {
  const values: Record<string, number> = {};
  for (const line of ((await readText(path)) ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values[key] = Number(value);
  }
  return values;
}
