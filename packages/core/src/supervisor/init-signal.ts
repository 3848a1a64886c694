// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';

/**
 * A signal as `runc kill` takes it (`TERM`, `SIGTERM`, `15`) as a number, or undefined for one Node does not name
 * (`RTMIN+3`): that one is left to the runtime.
 */
export function signalNumber(signal: string): number | undefined {
  if (/^\d+$/.test(signal)) return Number(signal);
  const name = signal.toUpperCase();
  return constants.signals[(name.startsWith('SIG') ? name : `SIG${name}`) as keyof typeof constants.signals];
}

/**
 * When process `pid` started (field 22 of `/proc/<pid>/stat`, in clock ticks since boot), or undefined when there is
 * no such process or it has exited and is not yet reaped. With the pid it names one process for the whole uptime,
 * which is how runc tells a container's init from a process that reused its pid.
 */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const stat = await readFile(`/proc/${pid}/stat`, 'latin1').catch(() => undefined);
  if (stat === undefined) return undefined;
  // The command name may hold spaces and parentheses: the fields after it start after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state] = fields;
  return state === 'Z' || state === 'X' ? undefined : fields[19];
}
