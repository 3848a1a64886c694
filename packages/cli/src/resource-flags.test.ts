// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resourcesFromFlags } from './resource-flags.js';

const MiB = 2 ** 20;

test('resource flags become HostConfig limits with docker\'s units', () => {
  assert.deepEqual(
    resourcesFromFlags({
      memory: '512m', 'memory-reservation': '128m', 'memory-swap': '1g', cpus: '1.5', 'cpu-shares': 512, 'cpuset-cpus': '0-1',
      'pids-limit': 10, 'oom-kill-disable': true,
    }),
    {
      Memory: 512 * MiB, MemoryReservation: 128 * MiB, MemorySwap: 1024 * MiB, NanoCpus: 1.5e9, CpuShares: 512, CpusetCpus: '0-1',
      PidsLimit: 10, OomKillDisable: true,
    },
  );
  assert.deepEqual(resourcesFromFlags({ 'memory-swap': '-1', 'cpu-period': 50_000, 'cpu-quota': -1 }), { MemorySwap: -1, CpuPeriod: 50_000, CpuQuota: -1 });
  assert.deepEqual(resourcesFromFlags({}), {});
});

test('a malformed value is refused as docker\'s CLI words it', () => {
  assert.throws(() => resourcesFromFlags({ memory: 'big' }), { message: `invalid argument "big" for "-m, --memory" flag: invalid size: 'big'` });
  assert.throws(() => resourcesFromFlags({ cpus: '0.0000000001' }), { message: 'invalid argument "0.0000000001" for "--cpus" flag: value is too precise' });
});
