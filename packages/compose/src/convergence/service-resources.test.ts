// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceResources } from './service-resources.js';

const MiB = 2 ** 20;

test('service-level limits map to HostConfig as docker compose maps them', () => {
  assert.deepEqual(
    serviceResources('web', {
      mem_limit: '64m', mem_reservation: 16 * MiB, memswap_limit: -1, cpus: 0.5, cpu_shares: 512, cpu_period: 50_000,
      cpu_quota: 25_000, cpuset: '0', pids_limit: 20, oom_kill_disable: false,
    }),
    {
      Memory: 64 * MiB, MemoryReservation: 16 * MiB, MemorySwap: -1, NanoCpus: 5e8, CpuShares: 512, CpuPeriod: 50_000,
      CpuQuota: 25_000, CpusetCpus: '0', PidsLimit: 20, OomKillDisable: false,
    },
  );
  assert.deepEqual(serviceResources('web', { image: 'busybox' }), {});
});

test('deploy.resources.limits and reservations.memory override the service-level keys', () => {
  const resources = serviceResources('web', {
    mem_limit: '1g',
    cpus: 1,
    deploy: { resources: { limits: { cpus: '0.25', memory: '50M', pids: 7 }, reservations: { memory: '10m', cpus: '2' } } },
  });
  assert.deepEqual(resources, { Memory: 50 * MiB, NanoCpus: 2.5e8, PidsLimit: 7, MemoryReservation: 10 * MiB });
});

test('a size that is not one names the service and key', () => {
  assert.throws(() => serviceResources('web', { mem_limit: 'lots' }), /service "web": mem_limit: invalid size: 'lots'/);
  assert.throws(() => serviceResources('web', { deploy: { resources: { limits: { cpus: 'x' } } } }), /deploy\.resources\.limits\.cpus/);
});
