// SPDX-License-Identifier: Apache-2.0
import { readdir, readFile } from 'node:fs/promises';
import type { ContainerTopResponse } from '../api/container-stats.js';
import { InvalidArgumentError } from '../errors/engine-error.js';
import { ProcessFailedError, runProcess } from '../shared/process-runner.js';
import { CLOCK_TICKS } from './cgroup-stats-reader.js';

const EF_TITLES = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The processes of the container whose init is `initPid`: those in its cgroups or below them (so execs too),
 * found through /proc (`proc`, which a test points at a tree of its own). Not its PID namespace, which a
 * `--pid host` container shares with the whole host and a `--pid container:x` one with x: Docker asks the runtime
 * for the pids of the container's cgroup. Without `psArgs` (or with `-ef`) the columns are `ps -ef`'s, read from
 * /proc with no `ps` binary; other arguments run the host's `ps` and keep the container's rows, as Docker does.
 * Processes that exit while they are looked at are not listed.
 */
export async function listContainerProcesses(initPid: number, psArgs = '', proc = '/proc'): Promise<ContainerTopResponse> {
  const pids = await pidsInCgroupsOf(initPid, proc);
  const args = psArgs.trim();
  if (args === '' || args === '-ef') {
    // Host-wide, so read once for all rows rather than once per process.
    const [uptime, procStat] = await Promise.all([readFile(`${proc}/uptime`, 'utf8'), readFile(`${proc}/stat`, 'utf8')]);
    const host = { uptime: Number(uptime.split(' ')[0]), bootTime: Number(/^btime (\d+)/m.exec(procStat)?.[1] ?? 0) };
    const rows = await Promise.all(pids.map((pid) => psEfRow(proc, pid, host)));
    return { Titles: EF_TITLES, Processes: rows.filter((row) => row !== undefined) };
  }
  return runPs(args.split(/\s+/), new Set(pids));
}

async function pidsInCgroupsOf(initPid: number, proc: string): Promise<number[]> {
  const container = parseCgroups(await readFile(`${proc}/${initPid}/cgroup`, 'utf8'));
  const pids: number[] = [];
  for (const name of await readdir(proc)) {
    if (!/^\d+$/.test(name)) continue;
    // A process that exits while we look is simply not listed.
    const cgroups = await readFile(`${proc}/${name}/cgroup`, 'utf8').catch(() => undefined);
    if (cgroups !== undefined && within(parseCgroups(cgroups), container)) pids.push(Number(name));
  }
  return pids.sort((a, b) => a - b);
}

/**
 * /proc/<pid>/cgroup as hierarchy → path. Its lines are `id:controllers:path`: one, `0::/path`, on a cgroup v2
 * host; one per v1 hierarchy on a v1 host, and the unified one besides on a hybrid host. The kernel lists the same
 * hierarchies for every process, so `id:controllers` names a hierarchy whatever the host's mode.
 */
function parseCgroups(text: string): Map<string, string> {
  const hierarchies = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':', line.indexOf(':') + 1);
    if (at > 0) hierarchies.set(line.slice(0, at), line.slice(at + 1));
  }
  return hierarchies;
}

/** Whether a process's cgroups are the container's, or below them, in every hierarchy the container is in. */
function within(candidate: Map<string, string>, container: Map<string, string>): boolean {
  for (const [hierarchy, path] of container) {
    const own = candidate.get(hierarchy);
    if (own === undefined || (own !== path && !own.startsWith(path.endsWith('/') ? path : `${path}/`))) return false;
  }
  return true;
}

/** The process's `ps -ef` row, or undefined if it has exited since it was found. */
async function psEfRow(proc: string, pid: number, { uptime, bootTime }: { uptime: number; bootTime: number }): Promise<string[] | undefined> {
  const read = (file: string): Promise<string> => readFile(`${proc}/${pid}/${file}`, 'utf8');
  const files = await Promise.all([read('stat'), read('status'), read('cmdline').catch(() => '')]).catch((error: unknown) => {
    if (isVanished(error)) return undefined;
    throw error;
  });
  if (!files) return undefined;
  const [stat, status, cmdline] = files;
  const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = fields[1];
  const ttyNr = Number(fields[4]);
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const startTicks = Number(fields[19]);
  const uid = Number(/^Uid:\s+\d+\s+(\d+)/m.exec(status)?.[1] ?? 0);
  const elapsed = uptime - startTicks / CLOCK_TICKS;
  const cpuPercent = elapsed > 0 ? Math.min(99, Math.floor((cpuTicks / CLOCK_TICKS / elapsed) * 100)) : 0;
  const args = cmdline.split('\0').filter(Boolean).join(' ');
  return [
    await userName(uid),
    String(pid),
    ppid,
    String(cpuPercent),
    startTime(new Date((bootTime + startTicks / CLOCK_TICKS) * 1000)),
    ttyName(ttyNr),
    cpuTime(Math.floor(cpuTicks / CLOCK_TICKS)),
    args || `[${comm}]`,
  ];
}

let passwd: Promise<Map<number, string>> | undefined;

/** The host's name for a uid, as ps prints it (the processes run on this host's kernel). */
async function userName(uid: number): Promise<string> {
  passwd ??= readFile('/etc/passwd', 'utf8').then(
    (text) => new Map(text.split('\n').map((l) => l.split(':')).filter((f) => f.length > 2).map((f) => [Number(f[2]), f[0]])),
    () => new Map(),
  );
  return (await passwd).get(uid) ?? String(uid);
}

/** ps's STIME: the time today, else month and day. */
function startTime(start: Date, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  if (now.getTime() - start.getTime() < 24 * 3600 * 1000) return `${pad(start.getHours())}:${pad(start.getMinutes())}`;
  return `${MONTHS[start.getMonth()]}${pad(start.getDate())}`;
}

function cpuTime(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const days = Math.floor(seconds / 86400);
  const rest = `${pad(Math.floor((seconds % 86400) / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  return days > 0 ? `${days}-${rest}` : rest;
}

function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4 && minor < 64) return `tty${minor}`;
  return '?';
}

/** ENOENT once the kernel has removed the directory; ESRCH when the process dies between open and read. */
function isVanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** The host's `ps` with the caller's arguments, keeping the rows whose PID is the container's (moby `top_unix.go`). */
async function runPs(args: string[], pids: Set<number>): Promise<ContainerTopResponse> {
  const { stdout } = await runProcess('ps', args).catch((error: Error) => {
    const reason = (error instanceof ProcessFailedError && error.stderr.trim()) || error.message;
    throw new InvalidArgumentError(`ps: ${reason.trim()}`, { cause: error });
  });
  const [header = '', ...lines] = stdout.split('\n');
  const titles = header.trim().split(/\s+/);
  const pidColumn = titles.indexOf('PID');
  if (pidColumn < 0) throw new InvalidArgumentError(`Couldn't find PID field in ps output`);
  const processes = lines
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= titles.length && pids.has(Number(fields[pidColumn])))
    .map((fields) => [...fields.slice(0, titles.length - 1), fields.slice(titles.length - 1).join(' ')]);
  return { Titles: titles, Processes: processes };
}
