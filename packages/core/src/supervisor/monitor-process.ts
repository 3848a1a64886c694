// SPDX-License-Identifier: Apache-2.0
import { readFile } from 'node:fs/promises';

/**
 * Whether the conmon monitoring task `id` still runs as process `pid`. Reads /proc rather than `kill(pid, 0)`:
 * an exited monitor may linger as a zombie under an init that does not reap, and a pid may have been reused by
 * another process since a previous daemon recorded it.
 */
export async function isMonitorAlive(pid: number, id: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'latin1'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    const args = cmdline.split('\0');
    const cid = args.indexOf('-c');
    return state !== 'Z' && state !== 'X' && cid !== -1 && args[cid + 1] === id;
  } catch {
    return false;
  }
}
