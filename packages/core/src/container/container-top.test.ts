// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listContainerProcesses } from './container-top.js';

/*
 * A /proc of its own: the container's init (pid 1) and a process of its namespace (pid 7) whose files are gone, as
 * when it exits between the directory listing and the reads; pid 9 is in another namespace.
 */
describe('listContainerProcesses', () => {
  let proc: string;
  before(async () => {
    proc = await mkdtemp(join(tmpdir(), 'container-top-'));
    await writeFile(join(proc, 'uptime'), '1000.00 1900.00\n');
    await writeFile(join(proc, 'stat'), `cpu  1 2 3 4\nbtime ${Math.floor(Date.now() / 1000) - 1000}\n`);
    const fakeProcess = async (pid: number, namespace: string, files: Record<string, string>): Promise<void> => {
      await mkdir(join(proc, String(pid), 'ns'), { recursive: true });
      await symlink(namespace, join(proc, String(pid), 'ns', 'pid'));
      for (const [name, content] of Object.entries(files)) await writeFile(join(proc, String(pid), name), content);
    };
    // utime 150 + stime 50 ticks, started 900 s after boot (100 s ago), ppid 0, no tty.
    const stat = '1 (sh) S 0 1 1 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 1 0 90000 1000 100\n';
    await fakeProcess(1, 'pid:[4026532001]', { stat, status: 'Name:\tsh\nUid:\t0\t0\t0\t0\n', cmdline: 'sh\0-c\0sleep 1\0' });
    await fakeProcess(7, 'pid:[4026532001]', {});
    await fakeProcess(9, 'pid:[4026531836]', { stat, status: 'Uid:\t0\t0\t0\t0\n', cmdline: 'other\0' });
  });
  after(() => rm(proc, { recursive: true, force: true }));

  it('leaves out a process that exited while it was listed', async () => {
    const top = await listContainerProcesses(1, '', proc);
    assert.deepEqual(top.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    assert.equal(top.Processes.length, 1);
    const [uid, pid, ppid, cpu, stime, tty, time, cmd] = top.Processes[0];
    assert.deepEqual([uid, pid, ppid, cpu, tty, time, cmd], ['root', '1', '0', '2', '?', '00:00:02', 'sh -c sleep 1']);
    assert.match(stime, /^\d\d:\d\d$/);
  });
});
