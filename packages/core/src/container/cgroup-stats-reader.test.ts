// SPDX-License-Identifier: Apache-2.0
// The cgroup readers against fake /proc and cgroup trees: a unified (v2) host, which these hybrid hosts cannot
// show for real, and a v1 one laid out as on them. The real v1 reader is exercised end to end by `docker stats`.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { locateCgroups, readCgroupStats } from './cgroup-stats-reader.js';

describe('cgroup stats reader', () => {
  let dir: string;
  const file = async (path: string, text: string) => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cgroup-stats-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds and reads a cgroup v2 container', async () => {
    await file('proc/42/cgroup', '0::/tsc-engine/abc\n');
    await file('proc/self/mountinfo', `30 23 0:27 / ${dir}/cg2 rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n`);
    await file('cg2/tsc-engine/abc/memory.current', '1048576\n');
    await file('cg2/tsc-engine/abc/memory.max', '4194304\n');
    await file('cg2/tsc-engine/abc/memory.stat', 'anon 4096\ninactive_file 8192\n');
    await file('cg2/tsc-engine/abc/cpu.stat', 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7\n');
    await file('cg2/tsc-engine/abc/pids.current', '2\n');
    await file('cg2/tsc-engine/abc/pids.max', 'max\n');
    await file('cg2/tsc-engine/abc/io.stat', '8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n');

    const location = await locateCgroups(42, join(dir, 'proc'));
    assert.equal(location.unified, join(dir, 'cg2/tsc-engine/abc'));
    assert.equal(location.v1.size, 0);
    const stats = await readCgroupStats(location);
    assert.deepEqual(stats.memory, { usage: 1048576, limit: 4194304, stats: { anon: 4096, inactive_file: 8192 } });
    assert.deepEqual(stats.cpu, {
      cpu_usage: { total_usage: 1_500_000, usage_in_usermode: 1_000_000, usage_in_kernelmode: 500_000 },
      throttling_data: { periods: 3, throttled_periods: 1, throttled_time: 7000 },
    });
    assert.deepEqual(stats.pids, { current: 2, limit: undefined });
    assert.deepEqual(stats.blkio.io_service_bytes_recursive, [
      { major: 8, minor: 0, op: 'read', value: 100 },
      { major: 8, minor: 0, op: 'write', value: 200 },
    ]);
  });

  it('finds and reads a cgroup v1 container on a hybrid host, preferring v1 controllers', async () => {
    await file('proc/43/cgroup', '5:memory:/tsc/x\n2:cpu,cpuacct:/tsc/x\n3:pids:/tsc/x\n4:blkio:/tsc/x\n0::/\n');
    await file(
      'proc/self/mountinfo',
      [
        `31 23 0:28 / ${dir}/v1/memory rw - cgroup cgroup rw,memory`,
        `32 23 0:29 / ${dir}/v1/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct`,
        `33 23 0:30 / ${dir}/v1/pids rw - cgroup cgroup rw,pids`,
        `34 23 0:31 / ${dir}/v1/blkio rw - cgroup cgroup rw,blkio`,
        `35 23 0:32 / ${dir}/v1/unified rw - cgroup2 cgroup2 rw`,
      ].join('\n'),
    );
    await file('v1/memory/tsc/x/memory.usage_in_bytes', '2000\n');
    await file('v1/memory/tsc/x/memory.max_usage_in_bytes', '3000\n');
    await file('v1/memory/tsc/x/memory.failcnt', '0\n');
    await file('v1/memory/tsc/x/memory.limit_in_bytes', '9223372036854771712\n');
    await file('v1/memory/tsc/x/memory.stat', 'cache 0\ntotal_inactive_file 100\n');
    await file('v1/cpu,cpuacct/tsc/x/cpuacct.usage', '5000000\n');
    await file('v1/cpu,cpuacct/tsc/x/cpuacct.usage_percpu', '3000000 2000000 \n');
    await file('v1/cpu,cpuacct/tsc/x/cpuacct.stat', 'user 1\nsystem 2\n');
    await file('v1/cpu,cpuacct/tsc/x/cpu.stat', 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n');
    await file('v1/pids/tsc/x/pids.current', '1\n');
    await file('v1/pids/tsc/x/pids.max', '100\n');
    await file('v1/blkio/tsc/x/blkio.io_service_bytes_recursive', 'Total 0\n');
    await file('v1/blkio/tsc/x/blkio.throttle.io_service_bytes_recursive', '8:0 Read 10\n8:0 Write 20\nTotal 30\n');

    const location = await locateCgroups(43, join(dir, 'proc'));
    assert.equal(location.v1.get('cpuacct'), join(dir, 'v1/cpu,cpuacct/tsc/x'));
    assert.equal(location.unified, join(dir, 'v1/unified'));
    const stats = await readCgroupStats(location);
    assert.equal(stats.memory.usage, 2000);
    assert.ok((stats.memory.limit ?? 0) < 9223372036854771712, 'an unlimited cgroup shows the host memory');
    assert.equal(stats.memory.stats?.total_inactive_file, 100);
    assert.deepEqual(stats.cpu.cpu_usage, { total_usage: 5_000_000, percpu_usage: [3_000_000, 2_000_000], usage_in_usermode: 10_000_000, usage_in_kernelmode: 20_000_000 });
    assert.deepEqual(stats.pids, { current: 1, limit: 100 });
    assert.deepEqual(stats.blkio.io_service_bytes_recursive, [
      { major: 8, minor: 0, op: 'Read', value: 10 },
      { major: 8, minor: 0, op: 'Write', value: 20 },
    ]);
  });
});
