// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listContainerProcesses } from './container-top.js';

const CONTAINER = '/tsc-engine/c0ffee';
// utime 150 + stime 50 ticks, started 900 s after boot (100 s ago), ppid 0, no tty.
const STAT = '1 (sh) S 0 1 1 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 1 0 90000 1000 100\n';

/** /proc/<pid>/cgroup of a hybrid v1/v2 host: each v1 hierarchy, then the unified one. */
const hybrid = (path: string, unified = path) =>
  [`4:memory:${path}`, `2:cpu,cpuacct:${path}`, `1:name=systemd:${path}`, `0::${unified}`, ''].join('\n');
/** /proc/<pid>/cgroup of a cgroup v2 host. */
const v2 = (path: string) => `0::${path}\n`;

/** A /proc of its own whose processes are `pid → cgroup file`; each is a `sleep <pid>` unless `files` says else. */
async function fakeProc(processes: Record<number, string>, files: Record<number, Record<string, string>> = {}): Promise<string> {
  const proc = await mkdtemp(join(tmpdir(), 'container-top-'));
  await writeFile(join(proc, 'uptime'), '1000.00 1900.00\n');
  await writeFile(join(proc, 'stat'), `cpu  1 2 3 4\nbtime ${Math.floor(Date.now() / 1000) - 1000}\n`);
  for (const [pid, cgroup] of Object.entries(processes)) {
    await mkdir(join(proc, pid));
    const own = files[Number(pid)] ?? { stat: STAT, status: 'Uid:\t0\t0\t0\t0\n', cmdline: `sleep\0${pid}\0` };
    for (const [name, content] of Object.entries({ cgroup, ...own })) await writeFile(join(proc, pid, name), content);
  }
  return proc;
}

const pidsListed = async (proc: string, initPid = 1) => (await listContainerProcesses(initPid, '', proc)).Processes.map((row) => row[1]);

describe('listContainerProcesses', () => {
  const procs: string[] = [];
  const made = async (...args: Parameters<typeof fakeProc>) => {
    const proc = await fakeProc(...args);
    procs.push(proc);
    return proc;
  };
  after(() => Promise.all(procs.map((proc) => rm(proc, { recursive: true, force: true }))));

  it('leaves out a process that exited while it was listed', async () => {
    // pid 7 is the container's, but its files are gone once the directory has been listed, bar its cgroup.
    const proc = await made({ 1: hybrid(CONTAINER), 7: hybrid(CONTAINER) }, {
      1: { stat: STAT, status: 'Name:\tsh\nUid:\t0\t0\t0\t0\n', cmdline: 'sh\0-c\0sleep 1\0' },
      7: {},
    });
    const top = await listContainerProcesses(1, '', proc);
    assert.deepEqual(top.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
    assert.equal(top.Processes.length, 1);
    const [uid, pid, ppid, cpu, stime, tty, time, cmd] = top.Processes[0];
    assert.deepEqual([uid, pid, ppid, cpu, tty, time, cmd], ['root', '1', '0', '2', '?', '00:00:02', 'sh -c sleep 1']);
    assert.match(stime, /^\d\d:\d\d$/);
  });

  describe('picks the container\'s processes by cgroup, not by PID namespace', () => {
    let hybridProc: string;
    let v2Proc: string;
    before(async () => {
      // 1 the init and 2 an exec, in the container's cgroups; 3 in a cgroup the container made below its own; the
      // host's 4 and another container's 5, with whom (`--pid host`, `--pid container:x`) it may share a namespace;
      // 6 in a sibling whose name merely starts with the container's.
      const layout = (format: (path: string) => string) => ({
        1: format(CONTAINER), 2: format(CONTAINER), 3: format(`${CONTAINER}/worker`),
        4: format('/'), 5: format('/tsc-engine/beef'), 6: format(`${CONTAINER}-other`),
      });
      // On a hybrid host, 7 is in the container's v1 cgroups but not its unified one: every hierarchy must agree.
      hybridProc = await made({ ...layout(hybrid), 7: hybrid(CONTAINER, '/') });
      v2Proc = await made(layout(v2));
    });

    it('on a hybrid cgroup v1/v2 host', async () => assert.deepEqual(await pidsListed(hybridProc), ['1', '2', '3']));
    it('on a cgroup v2 host', async () => assert.deepEqual(await pidsListed(v2Proc), ['1', '2', '3']));
    it('from any process of the container', async () => assert.deepEqual(await pidsListed(v2Proc, 5), ['5']));
  });
});
