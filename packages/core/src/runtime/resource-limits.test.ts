// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ContainerResources } from '../api/container-resources.js';
import { errorCodeOf } from '../errors/engine-error.js';
import { detectCgroupFeatures, type CgroupFeatures } from './cgroup-features.js';
import type { OciSpec } from './oci-spec.js';
import {
  checkContainerResources,
  discardUnappliable,
  mergeResourceUpdate,
  ociResources,
  parseCpuList,
  verifyResources,
  withDefaults,
} from './resource-limits.js';

const MiB = 1024 * 1024;
const FULL: CgroupFeatures = {
  version: '1', memoryLimit: true, swapLimit: true, memoryReservation: true, oomKillDisable: true, cpuShares: true,
  cpuCfs: true, cpuset: true, pidsLimit: true, cpus: '0-1', mems: '0', numCpu: 2,
};
const runc = { id: 'runc', adaptSpec: (spec: OciSpec) => spec };
/** As crun on a hybrid host: the spec's resources are dropped whole. */
const crunHybrid = { id: 'crun', adaptSpec: (spec: OciSpec) => ({ ...spec, linux: { ...spec.linux, resources: undefined } }) };

function rejects(resources: ContainerResources, message: string, host = FULL): void {
  assert.throws(() => verifyResources(resources, host), (error: Error) => {
    assert.equal(errorCodeOf(error), 'invalid-argument');
    assert.equal(error.message, message);
    return true;
  });
}

describe('resource limits', () => {
  describe('verifyResources (Docker wording)', () => {
    it('refuses memory limits below 6MB and contradictory swap and reservation', () => {
      rejects({ Memory: 4 * MiB }, 'Minimum memory limit allowed is 6MB');
      rejects({ Memory: 64 * MiB, MemorySwap: 32 * MiB }, 'Minimum memoryswap limit should be larger than memory limit, see usage');
      rejects({ MemorySwap: 64 * MiB }, 'You should always set the Memory limit when using Memoryswap limit, see usage');
      rejects({ MemoryReservation: MiB }, 'Minimum memory reservation allowed is 6MB');
      rejects({ Memory: 64 * MiB, MemoryReservation: 128 * MiB }, 'Minimum memory limit can not be less than memory reservation limit, see usage');
      assert.deepEqual(verifyResources({ MemorySwap: 64 * MiB }, FULL, { update: true }).warnings, []);
    });

    it('refuses conflicting and out-of-range CPU settings', () => {
      rejects({ NanoCpus: 1e9, CpuPeriod: 50_000 }, 'Conflicting options: Nano CPUs and CPU Period cannot both be set');
      rejects({ NanoCpus: 1e9, CpuQuota: 50_000 }, 'Conflicting options: Nano CPUs and CPU Quota cannot both be set');
      rejects({ NanoCpus: 3e9 }, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available');
      rejects({ NanoCpus: -1 }, 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available');
      rejects({ CpuPeriod: 500 }, 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
      rejects({ CpuQuota: 999 }, 'CPU cfs quota can not be less than 1ms (i.e. 1000)');
      rejects({ NanoCpus: 1e9 }, 'NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted', { ...FULL, cpuCfs: false });
      assert.deepEqual(verifyResources({ CpuQuota: -1, CpuPeriod: 100_000 }, FULL).warnings, []);
    });

    it('checks cpusets against what the host has', () => {
      rejects({ CpusetCpus: '0-3' }, 'Requested CPUs are not available - requested 0-3, available: 0-1');
      rejects({ CpusetMems: '1' }, 'Requested memory nodes are not available - requested 1, available: 0');
      rejects({ CpusetCpus: '0-x' }, 'Invalid value 0-x for cpuset cpus: invalid format: 0-x');
      assert.deepEqual(verifyResources({ CpusetCpus: '1', CpusetMems: '0' }, FULL).resources, { CpusetCpus: '1', CpusetMems: '0' });
    });

    it('discards what the host cannot apply, with Docker\'s warnings', () => {
      const none: CgroupFeatures = { ...FULL, memoryLimit: false, swapLimit: false, oomKillDisable: false, cpuShares: false, pidsLimit: false, cpuset: false };
      const checked = verifyResources({ Memory: 64 * MiB, CpuShares: 512, PidsLimit: 10, OomKillDisable: true, CpusetCpus: '0' }, none);
      assert.deepEqual(checked.resources, { Memory: 0, MemorySwap: -1, CpuShares: 0, PidsLimit: null, OomKillDisable: null, CpusetCpus: '', CpusetMems: '' });
      assert.deepEqual(checked.warnings, [
        'Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.',
        'Your kernel does not support OomKillDisable. OomKillDisable discarded.',
        'Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.',
        'Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.',
        'Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.',
      ]);
      const noSwap = verifyResources({ Memory: 64 * MiB }, { ...FULL, swapLimit: false });
      assert.deepEqual(noSwap.resources, { Memory: 64 * MiB, MemorySwap: -1 });
      assert.match(noSwap.warnings[0], /^Your kernel does not support swap limit capabilities/);
    });
  });

  it('defaults swap to twice the memory, as Docker does, and leaves an explicit one alone', () => {
    assert.deepEqual(withDefaults({ Memory: 64 * MiB }), { Memory: 64 * MiB, MemorySwap: 128 * MiB });
    assert.deepEqual(withDefaults({ Memory: 64 * MiB, MemorySwap: -1 }), { Memory: 64 * MiB, MemorySwap: -1 });
    assert.deepEqual(withDefaults({ CpuShares: 2 }), { CpuShares: 2 });
  });

  it('maps limits to linux.resources as moby does', () => {
    assert.deepEqual(ociResources({}), {});
    assert.deepEqual(
      ociResources({ Memory: 64 * MiB, MemorySwap: 128 * MiB, MemoryReservation: 32 * MiB, OomKillDisable: false, NanoCpus: 1.5e9, CpuShares: 512, CpusetCpus: '0', PidsLimit: 10 }),
      {
        memory: { limit: 64 * MiB, reservation: 32 * MiB, swap: 128 * MiB, disableOOMKiller: false },
        cpu: { shares: 512, cpus: '0', period: 100_000, quota: 150_000 },
        pids: { limit: 10 },
      },
    );
    assert.deepEqual(ociResources({ CpuPeriod: 50_000, CpuQuota: 25_000, MemorySwap: -1 }), { cpu: { period: 50_000, quota: 25_000 } });
    // 0 and negative pids limits mean "unlimited", which runtimes spell -1.
    assert.deepEqual(ociResources({ PidsLimit: 0 }), { pids: { limit: -1 } });
  });

  it('discards, with a warning, the limits a runtime drops from the spec, and keeps them for one that applies them', () => {
    const limits = { Memory: 64 * MiB, MemorySwap: 128 * MiB, NanoCpus: 1e9, PidsLimit: 10 };
    assert.deepEqual(discardUnappliable(limits, runc), { resources: limits, warnings: [] });
    const dropped = discardUnappliable(limits, crunHybrid);
    assert.deepEqual(dropped.warnings, [
      'Runtime crun does not support memory limits on this host. Limitation discarded.',
      'Runtime crun does not support CPU limits on this host. Limitation discarded.',
      'Runtime crun does not support PIDs limit on this host. PIDs limit discarded.',
    ]);
    assert.deepEqual(ociResources(dropped.resources), {});
    assert.deepEqual(discardUnappliable({}, crunHybrid), { resources: {}, warnings: [] });
  });

  it('checks a create request end to end: validation, defaults, runtime', async () => {
    const checked = await checkContainerResources({ Memory: 64 * MiB, PidsLimit: 5, Binds: ['/a:/b'] } as ContainerResources, runc, FULL);
    assert.deepEqual(checked, { resources: { Memory: 64 * MiB, MemorySwap: 128 * MiB, PidsLimit: 5 }, warnings: [] });
  });

  it('merges an update as docker update does, refusing its conflicts', () => {
    const current = { Memory: 64 * MiB, MemorySwap: 128 * MiB, NanoCpus: 1e9, PidsLimit: 10 };
    assert.deepEqual(mergeResourceUpdate(current, { Memory: 96 * MiB, PidsLimit: 0, CpuShares: 0 }), { ...current, Memory: 96 * MiB, PidsLimit: 0 });
    assert.deepEqual(mergeResourceUpdate(current, { Memory: 256 * MiB, MemorySwap: -1 }), { ...current, Memory: 256 * MiB, MemorySwap: -1 });
    assert.throws(() => mergeResourceUpdate(current, { Memory: 256 * MiB }), {
      message: 'Conflicting options: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time',
    });
    assert.throws(() => mergeResourceUpdate(current, { CpuQuota: 50_000 }), { message: 'Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set' });
    assert.throws(() => mergeResourceUpdate({ CpuPeriod: 50_000 }, { NanoCpus: 1e9 }), { message: 'Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set' });
  });

  it('parses cpuset lists', () => {
    assert.deepEqual([...parseCpuList('0-2,5')!], [0, 1, 2, 5]);
    assert.deepEqual([...parseCpuList('')!], []);
    assert.equal(parseCpuList('2-1'), undefined);
    assert.equal(parseCpuList('a'), undefined);
  });

  describe('detectCgroupFeatures', () => {
    let dir: string;
    before(async () => (dir = await mkdtemp(join(tmpdir(), 'tsc-cgroup-features-'))));
    after(() => rm(dir, { recursive: true, force: true }));

    it('reads a v2 host from the controllers its root delegates', async () => {
      const root = join(dir, 'v2');
      await mkdir(root);
      await writeFile(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
      await writeFile(join(root, 'cpuset.cpus.effective'), '0-7\n');
      await writeFile(join(root, 'cpuset.mems.effective'), '0\n');
      const features = await detectCgroupFeatures(root);
      assert.deepEqual({ ...features, numCpu: 0 }, {
        version: '2', numCpu: 0, memoryLimit: true, swapLimit: true, memoryReservation: true, oomKillDisable: false,
        cpuShares: true, cpuCfs: true, cpuset: true, pidsLimit: true, cpus: '0-7', mems: '0',
      });
    });

    it('reads a v1 host from its controllers\' files', async () => {
      const root = join(dir, 'v1');
      for (const [controller, files] of Object.entries({ memory: ['memory.limit_in_bytes', 'memory.oom_control'], cpu: ['cpu.shares'], pids: ['cgroup.procs'] })) {
        await mkdir(join(root, controller), { recursive: true });
        for (const file of files) await writeFile(join(root, controller, file), '');
      }
      const features = await detectCgroupFeatures(root);
      assert.deepEqual({ ...features, numCpu: 0 }, {
        version: '1', numCpu: 0, memoryLimit: true, swapLimit: false, memoryReservation: false, oomKillDisable: true,
        cpuShares: true, cpuCfs: false, cpuset: false, pidsLimit: true, cpus: '', mems: '',
      });
    });
  });
});
